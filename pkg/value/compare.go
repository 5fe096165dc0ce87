package value

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/r3labs/diff/v3"
)

// Normalizer puts both sides of a comparison in one canonical form. Keys are
// field names, matched at any depth.
type Normalizer struct {
	// Sets are list fields the service treats as sets: order does not
	// matter, so their items are sorted.
	Sets []string
	// SortBy orders the object items of a list field by one of their fields
	// (numbers or strings), such as working hours by day of the week.
	SortBy map[string]string
}

// Normalize sorts the set-like lists of a JSON-typed value and orders the
// lists SortBy names, in place, at any depth, and returns it.
func (n Normalizer) Normalize(v any) any {
	switch t := v.(type) {
	case Map:
		for k, e := range t {
			t[k] = n.Normalize(e)
			if slices.Contains(n.Sets, k) {
				sortItems(t[k])
			}
			if by, ok := n.SortBy[k]; ok {
				sortByField(t[k], by)
			}
		}
	case []any:
		for i, e := range t {
			t[i] = n.Normalize(e)
		}
	}
	return v
}

// NormalizeMap is Normalize for an object.
func (n Normalizer) NormalizeMap(m Map) Map {
	n.Normalize(m)
	return m
}

func sortItems(v any) {
	l, ok := v.([]any)
	if !ok {
		return
	}
	sort.SliceStable(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
}

func sortByField(v any, field string) {
	l, ok := v.([]any)
	if !ok {
		return
	}
	key := func(e any) any {
		m, _ := e.(Map)
		return m[field]
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := key(l[i]), key(l[j])
		af, aok := a.(float64)
		bf, bok := b.(float64)
		if aok && bok {
			return af < bf
		}
		if aok != bok { // numbers first, then the rest by text
			return aok
		}
		return fmt.Sprint(a) < fmt.Sprint(b)
	})
}

// IsZero reports a JSON zero value: services omit these and treat a missing
// field as its zero value.
func IsZero(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case bool:
		return !t
	case float64:
		return t == 0
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	case Map:
		return len(t) == 0
	}
	return false
}

// Project returns live cut down to the keys desired declares: nested objects
// recurse, everything else (scalars, lists) is taken whole. A key live lacks
// while desired holds its zero value is filled with that value, so "missing"
// and "zero" compare equal.
func Project(live, desired Map) Map {
	out := make(Map, len(desired))
	for k, d := range desired {
		l, ok := live[k]
		if !ok || l == nil {
			if IsZero(d) {
				out[k] = d
			}
			continue
		}
		out[k] = projectValue(l, d)
	}
	return out
}

// projectValue is Project for any value: objects recurse; lists of objects
// of the same length project item by item (so defaults the service fills
// into list items do not count as a difference); the rest is taken whole.
func projectValue(live, desired any) any {
	switch d := desired.(type) {
	case Map:
		if l, ok := live.(Map); ok {
			return Project(l, d)
		}
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(d) {
			return live
		}
		out := make([]any, len(l))
		for i := range l {
			out[i] = projectValue(l[i], d[i])
		}
		return out
	}
	return live
}

// FieldDiff is one changed field.
type FieldDiff struct {
	Path   string `json:"path"` // dotted path, e.g. "details.sleepTime" or "channels"
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	// Drift is true when the baseline declares the value After already: the
	// live value moved away from what was merged (changed by hand).
	Drift bool `json:"drift,omitempty"`
	// Source is where the desired value was written, "file:line" (the
	// manifest, a base, a vars file), when known.
	Source string `json:"source,omitempty"`
}

// Diff compares the projected live value with the desired one using
// r3labs/diff and returns one FieldDiff per changed declared field, sorted by
// path. A change inside a list reports the whole list (lists compare whole).
func Diff(live, desired Map) ([]FieldDiff, error) {
	cl, err := diff.Diff(live, desired, diff.AllowTypeMismatch(true), diff.SliceOrdering(true))
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	seen := map[string]bool{}
	var out []FieldDiff
	for _, c := range cl {
		path := fieldPath(desired, live, c.Path)
		key := strings.Join(path, ".")
		if seen[key] {
			continue
		}
		seen[key] = true
		before, _ := Lookup(live, path)
		after, _ := Lookup(desired, path)
		out = append(out, FieldDiff{Path: key, Before: before, After: after})
	}
	slices.SortFunc(out, func(a, b FieldDiff) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// DiffDeclared is Diff of live projected onto desired: the differences on
// what desired declares.
func DiffDeclared(live, desired Map) ([]FieldDiff, error) {
	return Diff(Project(live, desired), desired)
}

// fieldPath shortens a change path to the declared field it belongs to: it
// descends while both sides are objects and stops at the first list or scalar.
func fieldPath(desired, live Map, path []string) []string {
	var out []string
	d, l := desired, live
	for _, seg := range path {
		out = append(out, seg)
		dm, dok := d[seg].(Map)
		lm, lok := l[seg].(Map)
		if !dok || !lok {
			return out
		}
		d, l = dm, lm
	}
	return out
}

// SameDeclared reports whether v equals the desired value d on everything d
// declares: v is projected onto d (so keys d does not declare, and
// service-style defaults in list items, do not count) and diffed like a live
// value.
func SameDeclared(v, d any) bool {
	want := Map{"v": d}
	diffs, err := DiffDeclared(Map{"v": v}, want)
	return err == nil && len(diffs) == 0
}

// MarkDrift sets Drift on every diff whose desired value (After) base also
// declares, compared the way live is compared with desired. It reports
// whether any diff is drift.
func MarkDrift(diffs []FieldDiff, base Map) bool {
	found := false
	for i := range diffs {
		bv, ok := Lookup(base, strings.Split(diffs[i].Path, "."))
		if ok && SameDeclared(bv, diffs[i].After) {
			diffs[i].Drift = true
			found = true
		}
	}
	return found
}
