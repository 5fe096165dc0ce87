package plan

import (
	"cmp"
	"slices"

	"github.com/agentform/agentform/pkg/provider"
)

// order puts a target's changes in their total, deterministic execution
// order and sets DependsOn. Classes, in order:
//
//  1. creates, updates and replaces, kind by kind in the provider's order
//     (parents before children, derived kinds after the kinds they live
//     on); top-level objects that others reference come before the objects
//     referencing them;
//  2. deletes, the deepest kinds first (children before their parents);
//  3. reports.
//
// Inside a class: kind, then reference rank (top-level kinds), then the key's
// names, then the id.
func (r *targetRun) order(changes []Change) []Change {
	depth := func(k *provider.Kind) int {
		d := 0
		for k.Parent != "" {
			k = r.kind(k.Parent)
			d++
		}
		return d
	}
	maxDepth := 0
	for _, k := range r.kinds {
		maxDepth = max(maxDepth, depth(k))
	}
	n := len(r.kinds)
	class := func(c Change) int {
		k := r.kind(c.Kind)
		switch c.Op {
		case OpReport:
			return 2 + n + maxDepth
		case OpDelete:
			return 1 + n + maxDepth - depth(k)
		}
		return 1 + r.index[c.Kind]
	}
	rank := r.referenceRank()
	out := slices.Clone(changes)
	slices.SortStableFunc(out, func(a, b Change) int {
		if d := cmp.Compare(class(a), class(b)); d != 0 {
			return d
		}
		if d := cmp.Compare(r.index[a.Kind], r.index[b.Kind]); d != 0 {
			return d
		}
		if a.Op != OpDelete && a.Op != OpReport && r.kind(a.Kind).Parent == "" {
			if d := cmp.Compare(rank[a.Kind][a.TopName()], rank[b.Kind][b.TopName()]); d != 0 {
				return d
			}
		}
		if d := compareKeys(a.Key, b.Key); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	r.setDependsOn(out)
	return out
}

// compareKeys orders keys by their names, element by element; a missing
// element sorts first.
func compareKeys(a, b Key) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		var x, y string
		if i < len(a) {
			x = a[i].Name
		}
		if i < len(b) {
			y = b[i].Name
		}
		if d := cmp.Compare(x, y); d != 0 {
			return d
		}
	}
	return 0
}

// referenceRank orders the declared objects of each top-level kind so that
// an object comes after every object of its kind that it, or one of its
// children, references (Kahn's algorithm, smallest name first; members of a
// reference cycle are ranked by name).
func (r *targetRun) referenceRank() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, g := range r.tops {
		refs := map[string]map[string]bool{} // name → names it references
		names := make([]string, 0, len(g.declared))
		for _, n := range g.declared {
			name := n.desired.Name
			names = append(names, name)
			refs[name] = map[string]bool{}
			r.collectRefs(n.desired, g.kind.Name, func(ref string) {
				if ref != name {
					refs[name][ref] = true
				}
			})
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
				for ref := range refs[n] {
					if _, known := refs[ref]; !known {
						continue // not a declared object: nothing to wait for
					}
					if _, done := rank[ref]; !done {
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
		out[g.kind.Name] = rank
	}
	return out
}

// collectRefs calls f with every name of kind that d or its descendants
// reference.
func (r *targetRun) collectRefs(d *provider.Desired, kind string, f func(string)) {
	k := r.kind(d.Kind)
	if k.Refs != nil {
		for _, ref := range k.Refs(d.Fields) {
			if ref.Kind != kind {
				continue
			}
			for _, name := range refNamesAt(d.Fields, ref.Path) {
				f(name)
			}
		}
	}
	for _, c := range d.Children {
		r.collectRefs(c, kind, f)
	}
}

// setDependsOn links each change to the earlier changes it needs:
//   - a change of a child object waits for its parent's create;
//   - a change whose payload references an object waits for every earlier
//     change of that object that makes, renames or updates it (a reference
//     needs its target's id, and the referencing write must not be
//     overwritten by the target's own update);
//   - a delete of a top-level object waits for every earlier change but the
//     other top-level deletes: destructive changes come last and are not
//     made when an earlier step failed.
func (r *targetRun) setDependsOn(cs []Change) {
	type objKey struct{ kind, key string }
	keyOf := func(kind string, k Key) objKey { return objKey{kind, k.String()} }
	byObject := map[objKey][]int{} // non-delete, non-report changes of each named object
	for i, c := range cs {
		if c.Named() && c.Op != OpDelete && c.Op != OpReport {
			k := keyOf(c.Kind, c.Key)
			byObject[k] = append(byObject[k], i)
		}
	}
	made := func(k objKey) (int, bool) { // the object's create or replace
		for _, j := range byObject[k] {
			if cs[j].Op == OpCreate || cs[j].Op == OpReplace {
				return j, true
			}
		}
		return 0, false
	}
	for i := range cs {
		c := &cs[i]
		var deps []int
		add := func(j int) {
			if j < i && !slices.Contains(deps, j) {
				deps = append(deps, j)
			}
		}
		topLevel := r.kind(c.Kind).Parent == ""
		switch {
		case c.Op == OpReport:
		case c.Op == OpDelete && topLevel:
			for j := 0; j < i; j++ {
				p := cs[j]
				if p.Op == OpReport || (p.Op == OpDelete && r.kind(p.Kind).Parent == "") {
					continue
				}
				add(j)
			}
		case c.Op == OpDelete:
		default:
			if pk := c.ParentKey(); len(pk) > 0 {
				if j, ok := made(keyOf(pk[len(pk)-1].Kind, pk)); ok {
					add(j)
				}
			}
			k := r.kind(c.Kind)
			if k.Refs == nil {
				break
			}
			for _, ref := range k.Refs(c.After) {
				rk := r.kindOrNil(ref.Kind)
				if rk == nil || rk.ReadOnly {
					continue
				}
				scope, ok := c.Key.Scope(rk)
				if !ok {
					continue
				}
				for _, name := range refNamesAt(c.After, ref.Path) {
					target := scope.Child(ref.Kind, name)
					for _, j := range byObject[keyOf(ref.Kind, target)] {
						add(j)
					}
				}
			}
		}
		slices.Sort(deps)
		c.DependsOn = deps
	}
}
