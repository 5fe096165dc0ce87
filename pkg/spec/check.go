package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentform/agentform/pkg/api"
)

// checkSemantics reports what the schema cannot express: duplicate names and
// pinned ids, names padded with white space, follow-up actions that do not
// exist or are not advancedFollowup, references to agents the location does
// not declare, and the consistency rules of rules.go.
func checkSemantics(doc *node, d *diags) {
	agents := doc.get("agents")
	if agents == nil || agents.kind != seqKind {
		return
	}
	names := map[string]Pos{}
	ids := map[string]Pos{}
	for i, a := range agents.items {
		path := fmt.Sprintf("agents[%d]", i)
		if n := a.get("name"); n != nil {
			checkName(n, path+".name", d)
			if s, ok := n.str(); ok {
				if first, dup := names[s]; dup {
					d.add(n.pos, path+".name", "duplicate agent name %q (first declared at %s)", s, shortPos(first, n.pos))
				} else {
					names[s] = n.pos
				}
			}
		}
		if n := a.get("id"); n != nil {
			if s, ok := n.str(); ok {
				if first, dup := ids[s]; dup {
					d.add(n.pos, path+".id", "agent id %q is pinned twice (first at %s)", s, shortPos(first, n.pos))
				} else {
					ids[s] = n.pos
				}
			}
		}
	}
	for i, a := range agents.items {
		checkAgent(a, fmt.Sprintf("agents[%d]", i), names, d)
	}
}

// checkAgent checks one merged agent's actions and follow-up settings.
func checkAgent(a *node, path string, agentNames map[string]Pos, d *diags) {
	self, _ := a.get("name").str()
	checkWorkingHours(a.get("followup").get("workingHours"), path+".followup.workingHours", d)
	types := map[string]string{} // action name → type
	var actionNames []string
	firsts := map[string]Pos{}
	if actions := a.get("actions"); actions != nil && actions.kind == seqKind {
		for j, act := range actions.items {
			apath := fmt.Sprintf("%s.actions[%d]", path, j)
			typ, _ := act.get("type").str()
			if typ == "advancedFollowup" {
				checkFollowupSequence(act.get("details").get("followupSequence"), apath+".details.followupSequence", d)
			}
			n := act.get("name")
			checkName(n, apath+".name", d)
			name, ok := n.str()
			if !ok {
				continue
			}
			if first, dup := firsts[name]; dup {
				d.add(n.pos, apath+".name", "duplicate action name %q in this agent (first declared at %s)", name, shortPos(first, n.pos))
				continue
			}
			firsts[name] = n.pos
			types[name] = typ
			actionNames = append(actionNames, name)
			checkAgentRef(act, typ, apath, self, agentNames, d)
		}
	}
	fu := a.get("followup").get("actions")
	if fu == nil || fu.kind != seqKind {
		return
	}
	for j, it := range fu.items {
		name, ok := it.str()
		if !ok {
			continue
		}
		p := fmt.Sprintf("%s.followup.actions[%d]", path, j)
		typ, exists := types[name]
		switch {
		case !exists:
			d.add(it.pos, p, "no action named %q in this agent%s", name, didYouMean(name, actionNames))
		case typ != "advancedFollowup":
			d.add(it.pos, p, "action %q has type %s; follow-up settings apply only to advancedFollowup actions", name, typ)
		}
	}
}

// checkAgentRef reports a transfer to an agent the location does not declare.
func checkAgentRef(act *node, typ, path, self string, agentNames map[string]Pos, d *diags) {
	key, ok := api.AgentReferenceKey(typ)
	if !ok {
		return
	}
	ref := act.get("details").get(key)
	target, ok := ref.str()
	if !ok || strings.TrimSpace(target) == "" {
		return // the schema reports a blank name
	}
	p := path + ".details." + key
	if _, declared := agentNames[target]; !declared {
		var others []string
		for name := range agentNames {
			if name != self {
				others = append(others, name)
			}
		}
		slices.Sort(others)
		d.add(ref.pos, p, "no agent named %q in this location (agents are referenced by name)%s", target, didYouMean(target, others))
		return
	}
	if target == self {
		d.add(ref.pos, p, "an agent cannot transfer to itself")
	}
}

// didYouMean returns ` (did you mean "X"?)` when one of names is close to s
// (at most 2 edits, and fewer than half of s's characters), or "".
func didYouMean(s string, names []string) string {
	best := closest(s, names)
	if best == "" || 2*editDistance(strings.ToLower(s), strings.ToLower(best)) >= len(s) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// checkLocationIDs reports a location id declared by more than one document.
func checkLocationIDs(docs []*document, d *diags) {
	first := map[string]Pos{}
	for _, doc := range docs {
		n := doc.doc.get("location").get("id")
		id, ok := n.str()
		if !ok || id == "" {
			continue
		}
		if p, dup := first[id]; dup {
			d.add(n.pos, "location.id", "duplicate location id %q (also declared at %s)", id, shortPos(p, n.pos))
			continue
		}
		first[id] = n.pos
	}
}

// checkTokenEnvs reports two locations naming the same tokenEnv: one token
// would then act for two sub-accounts, and HighLevel tokens are per
// location. Locations naming none are fine (agency mode mints a token per
// location).
func checkTokenEnvs(docs []*document, d *diags) {
	first := map[string]struct {
		pos Pos
		id  string
	}{}
	for _, doc := range docs {
		n := doc.doc.get("location").get("tokenEnv")
		env, ok := n.str()
		if !ok || env == "" {
			continue
		}
		id, _ := doc.doc.get("location").get("id").str()
		if f, dup := first[env]; dup {
			d.add(n.pos, "location.tokenEnv", "tokenEnv %s is also named by location %s at %s: each location needs its own token (or name none, for agency mode)", env, f.id, shortPos(f.pos, n.pos))
			continue
		}
		first[env] = struct {
			pos Pos
			id  string
		}{n.pos, id}
	}
}

// shortPos formats p for a message about something at ref: line:col when in
// the same file, file:line:col otherwise.
func shortPos(p, ref Pos) string {
	if p.File == ref.File {
		return fmt.Sprintf("line %d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}
