package plan

import (
	"cmp"
	"slices"

	"github.com/agentform/agentform/pkg/spec"
)

// order puts a location's changes in their total, deterministic execution
// order and sets DependsOn:
//
//  1. agent creates and updates, agents referenced by other agents' actions
//     before the agents whose actions reference them, then by name;
//  2. action creates, updates and replaces, by agent then action name;
//  3. follow-up changes, by agent name;
//  4. action deletes (by agent then action name), then agent deletes (by
//     name), then reports.
func order(changes []Change, loc *spec.Location) []Change {
	rank := agentRank(loc)
	class := func(c Change) int {
		switch {
		case c.Op == OpReport:
			return 6
		case c.Kind == KindAgent && c.Op == OpDelete:
			return 5
		case c.Kind == KindAction && c.Op == OpDelete:
			return 4
		case c.Kind == KindFollowup:
			return 3
		case c.Kind == KindAction:
			return 2
		}
		return 1
	}
	out := slices.Clone(changes)
	slices.SortStableFunc(out, func(a, b Change) int {
		if d := cmp.Compare(class(a), class(b)); d != 0 {
			return d
		}
		if class(a) == 1 {
			if d := cmp.Compare(rank[a.Agent], rank[b.Agent]); d != 0 {
				return d
			}
		}
		if d := cmp.Compare(a.Agent, b.Agent); d != 0 {
			return d
		}
		if d := cmp.Compare(a.Action, b.Action); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	setDependsOn(out)
	return out
}

// agentRank orders declared agents so that an agent comes after every agent
// its actions reference (Kahn's algorithm, smallest name first; members of a
// reference cycle are ranked by name).
func agentRank(loc *spec.Location) map[string]int {
	refs := map[string]map[string]bool{} // agent → agents it references
	names := make([]string, 0, len(loc.Agents))
	for _, a := range loc.Agents {
		names = append(names, a.Name)
		refs[a.Name] = map[string]bool{}
		for _, act := range a.Actions {
			if key, ok := agentRefKeys[act.Type]; ok {
				if ref, ok := act.Details[key].(string); ok && ref != a.Name {
					refs[a.Name][ref] = true
				}
			}
		}
	}
	slices.Sort(names)
	rank := make(map[string]int, len(names))
	for len(rank) < len(names) {
		next := ""
		for _, n := range names { // the smallest name whose references are ranked
			if _, done := rank[n]; done {
				continue
			}
			ready := true
			for r := range refs[n] {
				if _, known := refs[r]; !known {
					continue // not a declared agent: nothing to wait for
				}
				if _, done := rank[r]; !done {
					ready = false
					break
				}
			}
			if ready {
				next = n
				break
			}
		}
		if next == "" { // a cycle: break it at the smallest name left
			for _, n := range names {
				if _, done := rank[n]; !done {
					next = n
					break
				}
			}
		}
		rank[next] = len(rank)
	}
	return rank
}

// setDependsOn links each change to the earlier changes it needs: an action
// change to its agent's create; a change that references an agent to that
// agent's create or rename; a follow-up to the creates and replaces of its
// actions.
func setDependsOn(cs []Change) {
	agentMade := map[string]int{}     // agent created, or renamed, here
	actionMade := map[[2]string]int{} // action created or replaced here
	for i, c := range cs {
		switch {
		case c.Kind == KindAgent && c.Op == OpCreate:
			agentMade[c.Agent] = i
		case c.Kind == KindAgent && c.Op == OpUpdate && c.Before != nil && c.Before["name"] != c.Agent:
			agentMade[c.Agent] = i
		case c.Kind == KindAction && (c.Op == OpCreate || c.Op == OpReplace):
			actionMade[[2]string{c.Agent, c.Action}] = i
		}
	}
	for i := range cs {
		c := &cs[i]
		var deps []int
		add := func(j int, ok bool) {
			if ok && j != i && !slices.Contains(deps, j) {
				deps = append(deps, j)
			}
		}
		switch c.Kind {
		case KindAction:
			if c.Op == OpDelete || c.Op == OpReport {
				break
			}
			j, ok := agentMade[c.Agent]
			add(j, ok && cs[j].Op == OpCreate)
			if ref := actionRef(*c); ref != "" {
				j, ok := agentMade[ref]
				add(j, ok)
			}
		case KindFollowup:
			names, _ := stringList(c.After["actions"])
			for _, n := range names {
				j, ok := actionMade[[2]string{c.Agent, n}]
				add(j, ok)
			}
		}
		slices.Sort(deps)
		c.DependsOn = deps
	}
}

// actionRef is the agent name an action change's payload references, or "".
func actionRef(c Change) string {
	typ, _ := c.After["type"].(string)
	key, ok := agentRefKeys[typ]
	if !ok {
		return ""
	}
	details, _ := c.After["details"].(map[string]any)
	ref, _ := details[key].(string)
	return ref
}
