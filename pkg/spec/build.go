package spec

import "fmt"

// agentKeys are the agent keys that are not API settings.
var agentKeys = []string{"name", "id", "base", "actions", "followup"}

// buildLocation turns a validated document into the model.
func buildLocation(doc *node) *Location {
	loc := &Location{Pos: doc.pos, TokenEnv: DefaultTokenEnv}
	l := doc.get("location")
	loc.ID, _ = l.get("id").str()
	loc.Name, _ = l.get("name").str()
	if env, ok := l.get("tokenEnv").str(); ok && env != "" {
		loc.TokenEnv, loc.TokenEnvDeclared = env, true
	}
	if p := doc.get("prune"); p != nil {
		loc.Prune, _ = p.value.(bool)
	}
	if agents := doc.get("agents"); agents != nil {
		for _, a := range agents.items {
			loc.Agents = append(loc.Agents, buildAgent(a))
		}
	}
	return loc
}

func buildAgent(a *node) *Agent {
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
			ag.Actions = append(ag.Actions, buildAction(act))
		}
	}
	if fu := a.get("followup"); fu != nil {
		ag.Followup = buildFollowup(fu)
	}
	ag.Refs = collectRefs(a, agentRefFields)
	ag.Sources = sourcesOf(a, agentKeys...)
	return ag
}

// sourcesOf records where each value under mapping n was written, leaving
// out the keys skip (and what is under them).
func sourcesOf(n *node, skip ...string) Sources {
	out := Sources{}
	var walk func(v *node, path string)
	walk = func(v *node, path string) {
		if v == nil {
			return
		}
		out[path] = v.pos
		switch v.kind {
		case mapKind:
			for _, f := range v.fields {
				walk(f.value, path+"."+f.key)
			}
		case seqKind:
			for i, it := range v.items {
				walk(it, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	if n == nil || n.kind != mapKind {
		return out
	}
	for _, f := range n.fields {
		if !containsString(skip, f.key) {
			walk(f.value, f.key)
		}
	}
	return out
}

func buildAction(act *node) *Action {
	a := &Action{Pos: act.pos, Details: map[string]any{}}
	a.Name, _ = act.get("name").str()
	a.Type, _ = act.get("type").str()
	if m, ok := act.get("details").toJSON().(map[string]any); ok {
		a.Details = m
	}
	a.Refs = collectRefs(act.get("details"), refFields[a.Type])
	a.Sources = sourcesOf(act)
	return a
}

func buildFollowup(fu *node) *Followup {
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
	f.Sources = sourcesOf(fu, "actions")
	return f
}
