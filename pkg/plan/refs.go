package plan

// This file handles references between objects: a reference field holds the
// name (or names) of objects of another kind, resolved among the
// referencing object's relatives (see provider.Ref). Plans show and keep
// names; apply turns them into ids.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// Scope returns the key of the object under which references to kind rk
// made from the object at key k resolve: k's ancestor of rk's parent kind, or
// the target (nil) for a top-level kind. ok is false when k has no such
// ancestor.
func (k Key) Scope(rk *provider.Kind) (scope Key, ok bool) {
	if rk.Parent == "" {
		return nil, true
	}
	for i := len(k) - 1; i >= 0; i-- {
		if k[i].Kind == rk.Parent {
			return k[:i+1], true
		}
	}
	return nil, false
}

// Child returns the key of k's child of kind named name.
func (k Key) Child(kind, name string) Key {
	return append(k[:len(k):len(k)], KeyPart{kind, name})
}

// refPath shows a reference's path in messages: details.followupSequence[*].workflowId.
func refPath(path []string) string {
	return strings.ReplaceAll(strings.Join(path, "."), "."+value.Each, "[*]")
}

// refNamesAt returns the names the reference fields at path of m hold
// (value.Each stepping into lists).
func refNamesAt(m value.Map, path []string) []string {
	var out []string
	_ = value.MapAt(m, path, func(v any) (any, error) {
		out = append(out, provider.RefNames(v)...)
		return v, nil
	})
	return out
}

// desiredMap is a declared object's fields, normalized: references to
// read-only kinds resolved to ids (selectors) or checked (literal ids);
// references to managed kinds must name an object of the target that this
// plan keeps.
func (r *targetRun) desiredMap(n *node) (value.Map, error) {
	m := value.Clone(n.desired.Fields)
	if m == nil {
		m = value.Map{}
	}
	var refs []provider.Ref
	if n.kind.Refs != nil {
		refs = n.kind.Refs(m)
	}
	for _, ref := range refs {
		rk := r.kindOrNil(ref.Kind)
		if rk == nil || !rk.ReadOnly {
			continue
		}
		path := refPath(ref.Path)
		err := value.MapAt(m, ref.Path, func(v any) (any, error) { return r.resolveLookup(rk, path, v) })
		if err != nil {
			return nil, err
		}
	}
	n.kind.Normalize.NormalizeMap(m)
	for _, ref := range refs {
		rk, t := r.refTableFor(ref, n.key)
		if rk == nil || rk.ReadOnly {
			continue
		}
		path := refPath(ref.Path)
		for _, name := range refNamesAt(m, ref.Path) {
			fate, known := t.fate[name]
			switch {
			case !known:
				return nil, fmt.Errorf("%s: no %s %q in the %s (or several have that name)", path, rk.Name, name, r.scopeNoun(rk))
			case fate == "delete" && rk.Parent == "":
				return nil, fmt.Errorf("%s: %s %q is deleted by prune in this plan", path, rk.Name, name)
			case fate == "delete":
				return nil, fmt.Errorf("%s: %s %q is deleted in this plan", path, rk.Name, name)
			}
		}
	}
	return m, nil
}

// kindOrNil returns the kind called name, or nil.
func (r *targetRun) kindOrNil(name string) *provider.Kind {
	i, ok := r.index[name]
	if !ok {
		return nil
	}
	return r.kinds[i]
}

// scopeNoun names the scope references to rk resolve in.
func (r *targetRun) scopeNoun(rk *provider.Kind) string {
	if rk.Parent == "" {
		return r.t.Kind
	}
	return rk.Parent
}

// liveMap is a live object's fields, normalized, with references to managed
// objects shown as names; it also returns the referenced ids it could not
// name.
func (r *targetRun) liveMap(n *node) (value.Map, []string, error) {
	m := value.Clone(n.live.Fields)
	if m == nil {
		m = value.Map{}
	}
	var keep []string
	if n.kind.Refs != nil {
		for _, ref := range n.kind.Refs(m) {
			rk, t := r.refTableFor(ref, n.key)
			if rk == nil || rk.ReadOnly {
				continue
			}
			err := value.MapAt(m, ref.Path, func(v any) (any, error) {
				return provider.MapRefs(v, func(id string) (string, error) {
					if name, ok := t.name[id]; ok {
						return name, nil
					}
					keep = append(keep, id)
					return id, nil
				})
			})
			if err != nil {
				return nil, nil, fmt.Errorf("live %s: %w", refPath(ref.Path), err)
			}
		}
	}
	return n.kind.Normalize.NormalizeMap(m), keep, nil
}

// keptRefs lists the reference values of after that are ids kept as they
// are (keep).
func (r *targetRun) keptRefs(k *provider.Kind, after value.Map, keep []string) []string {
	if k.Refs == nil || len(keep) == 0 {
		return nil
	}
	var out []string
	for _, ref := range k.Refs(after) {
		if rk := r.kindOrNil(ref.Kind); rk == nil || rk.ReadOnly {
			continue
		}
		for _, s := range refNamesAt(after, ref.Path) {
			if slices.Contains(keep, s) && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// refTableFor returns the kind ref points at and its table in the scope of
// the object at key from (nil, nil for an unknown kind).
func (r *targetRun) refTableFor(ref provider.Ref, from Key) (*provider.Kind, *refTable) {
	rk := r.kindOrNil(ref.Kind)
	if rk == nil || rk.ReadOnly {
		return rk, nil
	}
	scope, ok := from.Scope(rk)
	if !ok {
		return rk, &refTable{name: map[string]string{}, fate: map[string]string{}}
	}
	key := rk.Name + "\x00" + scope.String()
	if t, ok := r.refs[key]; ok {
		return rk, t
	}
	var t *refTable
	if rk.Parent == "" {
		t = r.topRefs(rk)
	} else {
		t = r.childRefs(rk, scope)
	}
	r.refs[key] = t
	return rk, t
}

// topRefs builds the reference table of top-level kind rk. A live object is
// known by its declared name when declared, else by its live name, unless
// that name is shared (then its id is shown as it is). A declared object
// owns its name: an undeclared live namesake (say, a twin a pinned id sets
// apart) does not make the name ambiguous.
func (r *targetRun) topRefs(rk *provider.Kind) *refTable {
	t := &refTable{name: map[string]string{}, fate: map[string]string{}}
	var g *topGroup
	for _, tg := range r.tops {
		if tg.kind == rk {
			g = tg
		}
	}
	if g == nil {
		return t
	}
	owner := map[string][]string{} // name → live ids known by it ("" for one created here)
	for _, n := range g.declared {
		if n.live != nil {
			owner[n.desired.Name] = append(owner[n.desired.Name], n.live.ID)
		}
	}
	for _, n := range g.declared {
		if n.live == nil {
			owner[n.desired.Name] = append(owner[n.desired.Name], "")
		}
	}
	declared := make(map[string]bool, len(owner))
	for name := range owner {
		declared[name] = true
	}
	for _, n := range g.pruned {
		if !declared[n.live.Name] {
			owner[n.live.Name] = append(owner[n.live.Name], n.live.ID)
		}
	}
	for _, l := range g.reported {
		if !declared[l.Name] {
			owner[l.Name] = append(owner[l.Name], l.ID)
		}
	}
	fillRefs(t, owner)
	for _, n := range g.declared {
		if n.live == nil {
			t.fate[n.desired.Name] = "create"
		}
	}
	for _, n := range g.pruned {
		if _, ok := t.fate[n.live.Name]; ok && rk.Delete != nil { // a kind the API cannot delete stays
			t.fate[n.live.Name] = "delete"
		}
	}
	return t
}

// childRefs builds the reference table of child kind rk under the declared
// object at key scope.
func (r *targetRun) childRefs(rk *provider.Kind, scope Key) *refTable {
	t := &refTable{name: map[string]string{}, fate: map[string]string{}}
	var parent *node
	for _, g := range r.tops {
		for _, n := range g.declared {
			if n.key.Equal(scope) {
				parent = n
			}
		}
	}
	if parent == nil {
		return t
	}
	live := parent.children[rk.Name]
	owner := map[string][]string{}
	declared := map[string]bool{}
	for _, d := range parent.desired.ChildrenOf(rk.Name) {
		declared[d.Name] = true
		found := false
		for _, l := range live {
			if l.Name == d.Name {
				owner[d.Name] = append(owner[d.Name], l.ID)
				found = true
			}
		}
		if !found {
			owner[d.Name] = append(owner[d.Name], "")
		}
	}
	for _, l := range live {
		if !declared[l.Name] {
			owner[l.Name] = append(owner[l.Name], l.ID)
		}
	}
	fillRefs(t, owner)
	for name, ids := range owner {
		if _, ok := t.fate[name]; !ok {
			continue
		}
		switch {
		case declared[name] && ids[0] == "":
			t.fate[name] = "create"
		case !declared[name] && parent.desired.Owns[rk.Name] && rk.Delete != nil:
			t.fate[name] = "delete"
		}
	}
	return t
}

// fillRefs enters every name held by exactly one object.
func fillRefs(t *refTable, owner map[string][]string) {
	for name, ids := range owner {
		if len(ids) != 1 {
			continue
		}
		if ids[0] != "" {
			t.name[ids[0]] = name
		}
		t.fate[name] = ""
	}
}

// noteReferences records, as reads, the live objects the planned payloads
// reference that the plan does not change itself (another agent a
// transfer names): apply re-reads them, so a hand edit between plan and
// apply (a renamed transfer target) makes the target stale instead of
// sending a reference to the wrong object.
func (r *targetRun) noteReferences(changes []Change) {
	changed := map[string]bool{} // kind + key of objects the plan makes or changes
	for _, c := range changes {
		if c.Named() && c.Op != OpDelete && c.Op != OpReport {
			changed[c.Kind+"\x00"+c.Key.String()] = true
		}
	}
	for _, c := range changes {
		if c.Op == OpDelete || c.Op == OpReport {
			continue
		}
		k := r.kindOrNil(c.Kind)
		if k == nil || k.Refs == nil {
			continue
		}
		for _, ref := range k.Refs(c.After) {
			rk := r.kindOrNil(ref.Kind)
			if rk == nil || rk.ReadOnly {
				continue // read-only objects are recorded as they resolve
			}
			scope, ok := c.Key.Scope(rk)
			if !ok {
				continue
			}
			for _, name := range refNamesAt(c.After, ref.Path) {
				key := scope.Child(rk.Name, name)
				if changed[rk.Name+"\x00"+key.String()] {
					continue
				}
				if l, parentID := r.liveNamed(rk, scope, name); l != nil {
					r.noteLive(rk, key, l, parentID)
				}
			}
		}
	}
}

// liveNamed returns the one live object of kind rk under scope that a
// reference name means (a declared object by its declared name, else an
// undeclared one by its live name), and its parent's live id.
func (r *targetRun) liveNamed(rk *provider.Kind, scope Key, name string) (*provider.Live, string) {
	if rk.Parent == "" {
		for _, g := range r.tops {
			if g.kind != rk {
				continue
			}
			for _, n := range g.declared {
				if n.desired.Name == name {
					return n.live, ""
				}
			}
			var found *provider.Live
			for _, n := range g.pruned {
				if n.live.Name == name {
					found = n.live
				}
			}
			for _, l := range g.reported {
				if l.Name == name {
					if found != nil {
						return nil, "" // ambiguous: kept as an id in the plan
					}
					found = l
				}
			}
			return found, ""
		}
		return nil, ""
	}
	for _, g := range r.tops {
		for _, n := range g.declared {
			if !n.key.Equal(scope) || n.live == nil {
				continue
			}
			var found *provider.Live
			for _, l := range n.children[rk.Name] {
				if l.Name == name {
					if found != nil {
						return nil, ""
					}
					found = l
				}
			}
			return found, n.live.ID
		}
	}
	return nil, ""
}

// noteLive records a live object the plan depends on.
func (r *targetRun) noteLive(k *provider.Kind, key Key, l *provider.Live, parentID string) {
	for _, rd := range r.reads {
		if rd.Kind == k.Name && rd.ID == l.ID {
			return
		}
	}
	r.reads = append(r.reads, Read{Kind: k.Name, Key: key, ID: l.ID, ParentID: parentID, Fingerprint: l.Fingerprint})
}
