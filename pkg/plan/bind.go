package plan

import (
	"fmt"
	"strings"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// Bind checks a saved plan against the manifests it says it was made from,
// before anything is written, and takes its safety settings from them: a
// plan file is data anyone with the file can edit, so nothing in it is
// trusted that the manifests can say.
//
//   - The manifests' digest must be the plan's ManifestDigest.
//   - Every target of the plan must be declared; its prune setting and
//     credential variable are the manifests' (p is changed in place).
//   - Every change must be one the manifests ask for: a create, update or
//     replace of a declared object whose payload carries what the manifests
//     declare; a delete of an object they do not declare (a child: where
//     its parent owns that kind; a top-level object: CheckSafety then
//     refuses it unless the manifests prune), or of a twin of a declared
//     object.
//
// Load already refuses a file whose content does not match its digest;
// Bind refuses a plan whose digest was recomputed over edited content.
func Bind(p *Plan, m *Manifests) error {
	if p.ManifestDigest != m.Digest {
		return fmt.Errorf("the plan was made from other manifests (digest %.12s, now %.12s): plan again", p.ManifestDigest, m.Digest)
	}
	declared := map[targetID]*provider.Target{}
	for _, t := range m.Targets {
		declared[targetID{t.Kind, t.ID}] = t
	}
	var problems []string
	for i := range p.Targets {
		tp := &p.Targets[i]
		t, ok := declared[targetID{tp.Kind, tp.ID}]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %s: no manifest declares it", targetWord(tp.Kind), tp.ID))
			continue
		}
		tp.Prune, tp.TokenEnv = t.Prune, t.TokenEnv
		prov, ok := provider.ForTarget(tp.Kind)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %s: no provider for %s targets", targetWord(tp.Kind), tp.ID, tp.Kind))
			continue
		}
		if len(tp.Changes) == 0 {
			continue
		}
		t, err := t.Declared()
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for j, c := range tp.Changes {
			if msg := bindChange(prov, t, c); msg != "" {
				problems = append(problems, fmt.Sprintf("%s %s: change %d (%s): %s", targetWord(tp.Kind), tp.ID, j, c.Title(), msg))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("the plan does not match the manifests it was made from, so nothing was written: %s; plan again",
			strings.Join(problems, "; "))
	}
	return nil
}

// bindChange says what is wrong with a change for the target t declares,
// or "".
func bindChange(prov provider.Provider, t *provider.Target, c Change) string {
	if c.Op == OpReport {
		return ""
	}
	k := provider.KindNamed(prov, c.Kind)
	if k == nil || k.ReadOnly {
		return fmt.Sprintf("%s is not a kind %s plans change", c.Kind, prov.Name())
	}
	d, parent := declaredAt(t, c)
	switch c.Op {
	case OpCreate, OpUpdate, OpReplace:
		if d == nil {
			return "the manifests declare no such object"
		}
		if !carries(prov, k, c.After, d.Fields) {
			return "its payload is not what the manifests declare"
		}
	case OpDelete:
		switch {
		case c.DuplicateOf != "":
			if d == nil {
				return "it deletes a duplicate of an object the manifests do not declare"
			}
		case d != nil && (d.PinnedID == "" || d.PinnedID == c.ID):
			return "it deletes an object the manifests declare"
		case declaresPin(t, c.ID):
			return "it deletes an object the manifests declare (by its pinned id)"
		case k.Parent != "" && (parent == nil || !parent.Owns[c.Kind]):
			return "it deletes a child the manifests do not own"
		}
	default:
		return fmt.Sprintf("unknown op %q", c.Op)
	}
	return ""
}

// declaredAt finds the declared object a change's key names, and the
// declared parent of that key (nil when not declared).
func declaredAt(t *provider.Target, c Change) (d, parent *provider.Desired) {
	objects := t.Objects
	for i, part := range c.Key {
		var found *provider.Desired
		for _, o := range objects {
			if o.Kind == part.Kind && o.Name == part.Name {
				found = o
				break
			}
		}
		if found == nil {
			return nil, parent
		}
		if i == len(c.Key)-1 {
			if c.Named() {
				return found, parent
			}
			parent = found // a singleton or a report under found
			for _, ch := range found.Children {
				if ch.Kind == c.Kind && ch.Name == "" {
					return ch, parent
				}
			}
			return nil, parent
		}
		parent, objects = found, found.Children
	}
	return nil, parent
}

// declaresPin reports whether a top-level object of t pins id.
func declaresPin(t *provider.Target, id string) bool {
	for _, o := range t.Objects {
		if id != "" && o.PinnedID == id {
			return true
		}
	}
	return false
}

// carries reports whether a planned payload holds what the declaration
// says: the declared fields, normalized as the planner normalizes them,
// equal the payload's on everything declared. Fields that reference
// read-only objects are left out (the plan holds their ids, the manifests
// their names; the plan's digest covers them, and apply checks they did
// not move).
func carries(prov provider.Provider, k *provider.Kind, after, declared value.Map) bool {
	want := normalized(k, declared)
	if k.Refs != nil {
		for _, ref := range k.Refs(want) {
			if rk := provider.KindNamed(prov, ref.Kind); rk != nil && rk.ReadOnly {
				dropAt(want, ref.Path)
			}
		}
	}
	return value.SameDeclared(after, want)
}

// dropAt removes the field at path (value.Each stepping into lists) from m.
func dropAt(m value.Map, path []string) {
	if len(path) == 0 {
		return
	}
	if len(path) == 1 {
		delete(m, path[0])
		return
	}
	parentPath, last := path[:len(path)-1], path[len(path)-1]
	_ = value.MapAt(m, parentPath, func(v any) (any, error) {
		if o, ok := v.(value.Map); ok {
			delete(o, last)
		}
		return v, nil
	})
}
