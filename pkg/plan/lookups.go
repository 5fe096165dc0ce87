package plan

// This file handles references to read-only kinds (a HighLevel location's
// workflows, calendars, custom fields, users, knowledge bases): a target's
// objects of such a kind are read once, and only when its manifests
// reference the kind; selectors ({name: Cleanings}) become ids, literal ids
// are checked, and every object a reference resolved to is recorded in the
// plan (TargetPlan.Reads) so the plan shows its name and apply can check it
// did not move.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// lookup is the live objects of one read-only kind of a target.
type lookup struct {
	lives []*provider.Live
	byID  map[string]*provider.Live
	err   error // the list failed: selectors cannot be resolved
}

// readLookups lists, concurrently, every read-only kind the target's
// declared objects reference by selector ({name: ...}). Literal ids need no
// read: a location whose manifests give ids reads no more than before (and
// its token needs no lookup scope).
func (r *targetRun) readLookups(ctx context.Context) {
	var need []*provider.Kind
	var visit func(d *provider.Desired)
	visit = func(d *provider.Desired) {
		k := r.kindOrNil(d.Kind)
		if k != nil && k.Refs != nil {
			for _, ref := range k.Refs(d.Fields) {
				rk := r.kindOrNil(ref.Kind)
				if rk != nil && rk.ReadOnly && !slices.Contains(need, rk) && hasSelectors(d.Fields, ref.Path) {
					need = append(need, rk)
				}
			}
		}
		for _, c := range d.Children {
			visit(c)
		}
	}
	for _, d := range r.t.Objects {
		visit(d)
	}
	r.lookups = map[string]*lookup{}
	tables := make([]*lookup, len(need))
	var g errgroup.Group
	g.SetLimit(childReadParallelism)
	for i, k := range need {
		g.Go(func() error {
			lives, err := k.List(ctx, r.sess, "")
			t := &lookup{lives: lives, err: err, byID: map[string]*provider.Live{}}
			for _, l := range lives {
				t.byID[l.ID] = l
			}
			tables[i] = t
			return nil
		})
	}
	_ = g.Wait()
	for i, k := range need {
		r.lookups[k.Name] = tables[i]
	}
}

// hasSelectors reports whether m holds a selector object at path (or in a
// list there).
func hasSelectors(m value.Map, path []string) bool {
	found := false
	_ = value.MapAt(m, path, func(v any) (any, error) {
		items, ok := v.([]any)
		if !ok {
			items = []any{v}
		}
		for _, it := range items {
			if _, ok := it.(value.Map); ok {
				found = true
			}
		}
		return v, nil
	})
	return found
}

// resolveLookup turns one reference field's value (an id, a selector, or a
// list of them) to a read-only kind into ids, checking each exists.
func (r *targetRun) resolveLookup(rk *provider.Kind, path string, v any) (any, error) {
	if l, ok := v.([]any); ok {
		out := make([]any, len(l))
		for i, e := range l {
			id, err := r.resolveOne(rk, path, e)
			if err != nil {
				return nil, err
			}
			out[i] = id
		}
		return out, nil
	}
	return r.resolveOne(rk, path, v)
}

func (r *targetRun) resolveOne(rk *provider.Kind, path string, v any) (any, error) {
	t := r.lookups[rk.Name]
	switch x := v.(type) {
	case string:
		if x == "" || t == nil || t.err != nil {
			return x, nil // literal ids are checked only where the kind was read for a selector
		}
		l, ok := t.byID[x]
		if !ok {
			return nil, fmt.Errorf("%s: no %s with id %q in the %s%s", path, rk.Name, x, r.t.Kind, t.known(rk))
		}
		r.noteRead(rk, l)
		return x, nil
	case value.Map:
		field, want, err := selector(rk, x)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if t == nil {
			return nil, fmt.Errorf("%s: %s were not read", path, rk.Plural)
		}
		if t.err != nil {
			return nil, fmt.Errorf("%s: cannot find the %s with %s %q: %w", path, rk.Name, field, want, t.err)
		}
		var found []*provider.Live
		for _, l := range t.lives {
			if identity(l, field) == want {
				found = append(found, l)
			}
		}
		switch len(found) {
		case 0:
			return nil, fmt.Errorf("%s: no %s with %s %q in the %s%s%s", path, rk.Name, field, want, r.t.Kind,
				didYouMean(want, t.values(field)), t.known(rk))
		case 1:
			r.noteRead(rk, found[0])
			return found[0].ID, nil
		default:
			return nil, fmt.Errorf("%s: %d %s have %s %q (ids %s); rename all but one in the %s, or give the id",
				path, len(found), rk.Plural, field, want, strings.Join(liveIDs(found), ", "), r.t.Kind)
		}
	}
	return v, nil
}

// selector reads a selector object: exactly one of rk's identity fields.
func selector(rk *provider.Kind, m value.Map) (field, want string, err error) {
	ids := rk.Identities
	if len(ids) == 0 {
		ids = []string{"name"}
	}
	for _, f := range ids {
		s, ok := m[f].(string)
		if !ok {
			continue
		}
		if field != "" {
			return "", "", fmt.Errorf("give one of %s, not both", strings.Join(ids, ", "))
		}
		field, want = f, s
	}
	if field == "" {
		return "", "", fmt.Errorf("a %s reference needs %s", rk.Name, strings.Join(ids, " or "))
	}
	return field, want, nil
}

// identity is a read-only object's identity field (its name for "name").
func identity(l *provider.Live, field string) string {
	if field == "name" {
		return l.Name
	}
	s, _ := l.Fields[field].(string)
	return s
}

// values lists the objects' identity field values.
func (t *lookup) values(field string) []string {
	var out []string
	for _, l := range t.lives {
		out = append(out, identity(l, field))
	}
	return out
}

// known says which objects exist: "; the location has: A, B" (at most 10).
func (t *lookup) known(rk *provider.Kind) string {
	if len(t.lives) == 0 {
		return fmt.Sprintf("; it has no %s", rk.Plural)
	}
	var names []string
	for i, l := range t.lives {
		if i == 10 {
			names = append(names, fmt.Sprintf("… %d more", len(t.lives)-10))
			break
		}
		names = append(names, fmt.Sprintf("%q (%s)", l.Name, l.ID))
	}
	return fmt.Sprintf("; %s: %s", rk.Plural, strings.Join(names, ", "))
}

// noteRead records a read-only object a reference resolved to.
func (r *targetRun) noteRead(rk *provider.Kind, l *provider.Live) {
	for _, rd := range r.reads {
		if rd.Kind == rk.Name && rd.ID == l.ID {
			return
		}
	}
	r.reads = append(r.reads, Read{Kind: rk.Name, Key: Key{{rk.Name, l.Name}}, ID: l.ID, Fingerprint: l.Fingerprint})
}

// didYouMean returns ` (did you mean "X"?)` when one of names is close to s
// (at most 2 edits, and fewer than half of s's characters), or "".
func didYouMean(s string, names []string) string {
	best, dist := "", -1
	for _, n := range names {
		d := editDistance(strings.ToLower(s), strings.ToLower(n))
		if dist < 0 || d < dist {
			best, dist = n, d
		}
	}
	if dist < 0 || dist > 2 || 2*dist >= len(s) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(y)]
}

// ensure the kinds of a read stay sorted for stable plans.
func sortReads(reads []Read) {
	slices.SortFunc(reads, func(a, b Read) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := compareKeys(a.Key, b.Key); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
