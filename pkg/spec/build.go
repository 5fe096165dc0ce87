package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// agentKeys are the agent keys that are not API settings.
var agentKeys = []string{"name", "id", "base", "actions", "followup"}

// buildLocation turns a validated document into the model.
func (l *loader) buildLocation(doc *node) *Location {
	loc := &Location{Pos: doc.pos, TokenEnv: DefaultTokenEnv}
	ln := doc.get("location")
	loc.ID, _ = ln.get("id").str()
	loc.Name, _ = ln.get("name").str()
	if env, ok := ln.get("tokenEnv").str(); ok && env != "" {
		loc.TokenEnv, loc.TokenEnvDeclared = env, true
	}
	if p := doc.get("prune"); p != nil {
		loc.Prune, _ = p.value.(bool)
	}
	if agents := doc.get("agents"); agents != nil {
		for _, a := range agents.items {
			loc.Agents = append(loc.Agents, l.buildAgent(a, doc.pos.File))
		}
	}
	return loc
}

func (l *loader) buildAgent(a *node, file string) *Agent {
	ag := &Agent{Pos: a.pos, Settings: map[string]any{}}
	ag.Name, _ = a.get("name").str()
	ag.PinnedID, _ = a.get("id").str()
	for _, f := range a.fields {
		if !containsString(agentKeys, f.key) {
			ag.Settings[f.key] = f.value.toJSON()
		}
	}
	if actions := a.get("actions"); actions != nil {
		ag.ActionsDeclared = true
		ag.Actions = []*Action{}
		for _, act := range actions.items {
			ag.Actions = append(ag.Actions, l.buildAction(act, file))
		}
	}
	if fu := a.get("followup"); fu != nil {
		ag.Followup = l.buildFollowup(fu, file)
	}
	ag.Refs = collectRefs(a, agentRefFields)
	ag.Sources = l.sourcesOf(a, file, agentKeys...)
	return ag
}

// sourcesOf records where each value under mapping n was written, leaving
// out the keys skip (and what is under them). The entries written outside
// the document's own file (bases, vars files) are shared, through
// l.sources, by every object that inherits the same ones; the document's
// own entries are its alone.
func (l *loader) sourcesOf(n *node, file string, skip ...string) Sources {
	own, inherited := map[string]Pos{}, map[string]Pos{}
	var walk func(v *node, path string)
	walk = func(v *node, path string) {
		if v == nil {
			return
		}
		if v.pos.File == file {
			own[path] = v.pos
		} else {
			inherited[path] = v.pos
		}
		switch v.kind {
		case mapKind:
			for _, f := range v.fields {
				walk(f.value, path+"."+f.key)
			}
		case seqKind:
			for i, it := range v.items {
				walk(it, path+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	if n == nil || n.kind != mapKind {
		return Sources{}
	}
	for _, f := range n.fields {
		if !containsString(skip, f.key) {
			walk(f.value, f.key)
		}
	}
	return Sources{own: newSourceSet(own), inherited: l.intern(inherited)}
}

// intern returns the one shared sourceSet equal to m (its paths interned
// too).
func (l *loader) intern(m map[string]Pos) *sourceSet {
	if len(m) == 0 {
		return nil
	}
	set := newSourceSet(m)
	var key strings.Builder
	for i, p := range set.paths {
		fmt.Fprintf(&key, "%s\x00%s\x00%d\x00%d\x00", p, set.pos[i].File, set.pos[i].Line, set.pos[i].Col)
	}
	if l.sources == nil {
		l.sources, l.paths = map[string]*sourceSet{}, map[string]string{}
	}
	if shared, ok := l.sources[key.String()]; ok {
		return shared
	}
	for i, p := range set.paths {
		if q, ok := l.paths[p]; ok {
			set.paths[i] = q
		} else {
			l.paths[p] = p
		}
	}
	l.sources[key.String()] = set
	return set
}

func (l *loader) buildAction(act *node, file string) *Action {
	a := &Action{Pos: act.pos, Details: map[string]any{}}
	a.Name, _ = act.get("name").str()
	a.Type, _ = act.get("type").str()
	if m, ok := act.get("details").toJSON().(map[string]any); ok {
		a.Details = m
	}
	a.Refs = collectRefs(act.get("details"), refFields[a.Type])
	a.Sources = l.sourcesOf(act, file)
	return a
}

func (l *loader) buildFollowup(fu *node, file string) *Followup {
	f := &Followup{Pos: fu.pos, Actions: []string{}, Settings: map[string]any{}}
	for _, fl := range fu.fields {
		if fl.key == "actions" {
			for _, it := range fl.value.items {
				s, _ := it.str()
				f.Actions = append(f.Actions, s)
			}
			continue
		}
		f.Settings[fl.key] = fl.value.toJSON()
	}
	f.Sources = l.sourcesOf(fu, file, "actions")
	return f
}
