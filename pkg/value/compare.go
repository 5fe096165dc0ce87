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
	// Keys names, for list fields whose items are objects, the field that
	// identifies an item (unique in the list), such as a follow-up step's
	// id or working hours' dayOfTheWeek. Diffs then name changed items by
	// it ("followupSequence[id=2].customMessage") instead of reporting the
	// whole list (see Normalizer.Diff).
	Keys map[string]string
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
	// Path names the field: dotted, e.g. "details.sleepTime" or "channels";
	// an item of a keyed list by its key, "followupSequence[id=2].customMessage"
	// (see the path syntax in path.go and Normalizer.Keys). An item added
	// or removed as a whole has a path ending with its selector and no
	// Before, or no After.
	Path   string `json:"path"`
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
// what desired declares. Lists are compared whole; Normalizer.DiffDeclared
// names the changed items of keyed lists.
func DiffDeclared(live, desired Map) ([]FieldDiff, error) {
	return Diff(Project(live, desired), desired)
}

// Diff is the package's Diff with the changed items of n's keyed lists
// (Keys) reported one by one: a list that holds objects with unique key
// values on both sides, its common items in the same order, gives one diff
// per changed field of a common item ("followupSequence[id=2].customMessage"),
// per added item (no Before) and per removed item (no After), in list
// order. Any other list (a key missing or repeated, items reordered, the
// list missing on one side) is reported whole, as Diff does.
func (n Normalizer) Diff(live, desired Map) ([]FieldDiff, error) {
	diffs, err := Diff(live, desired)
	if err != nil {
		return nil, err
	}
	return n.expand(diffs, false), nil
}

// DiffDeclared is Diff of live projected onto desired: the differences on
// what desired declares, keyed lists item by item (each common item is
// compared on what the desired item declares).
func (n Normalizer) DiffDeclared(live, desired Map) ([]FieldDiff, error) {
	diffs, err := DiffDeclared(live, desired)
	if err != nil {
		return nil, err
	}
	return n.expand(diffs, true), nil
}

// Elements splits a diff of a whole keyed list into the diffs of its items,
// as DiffDeclared does (each item is compared on what the desired item
// declares); they keep d's Source and Drift. Any other diff is returned as
// it is. Renderers use it on plans whose diffs report lists whole.
func (n Normalizer) Elements(d FieldDiff) []FieldDiff {
	out := n.expand([]FieldDiff{d}, true)
	for i := range out {
		out[i].Source, out[i].Drift = d.Source, d.Drift
	}
	return out
}

// expand replaces each diff of a keyed list by the diffs of its items when
// they can be told apart (see Diff).
func (n Normalizer) expand(diffs []FieldDiff, declared bool) []FieldDiff {
	if len(n.Keys) == 0 {
		return diffs
	}
	var out []FieldDiff
	for _, d := range diffs {
		if items, ok := n.items(d, declared); ok {
			out = append(out, items...)
			continue
		}
		out = append(out, d)
	}
	return out
}

// lastField is the field name a path ends with ("" when it ends with an
// item selector).
func lastField(path string) string {
	if strings.HasSuffix(path, "]") {
		return ""
	}
	return path[max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, ']'))+1:]
}

// items is the item-by-item diff of the keyed list d reports whole; ok is
// false when the list cannot be compared by key.
func (n Normalizer) items(d FieldDiff, declared bool) ([]FieldDiff, bool) {
	key, ok := n.Keys[lastField(d.Path)]
	if !ok {
		return nil, false
	}
	before, bok := d.Before.([]any)
	after, aok := d.After.([]any)
	if !bok || !aok {
		return nil, false
	}
	bk, bok := keysOf(before, key)
	ak, aok := keysOf(after, key)
	if !bok || !aok || !sameOrder(bk, ak) {
		return nil, false
	}
	inAfter := make(map[any]int, len(ak))
	for j, k := range ak {
		inAfter[k] = j
	}
	inBefore := make(map[any]int, len(bk))
	for i, k := range bk {
		inBefore[k] = i
	}
	var out []FieldDiff
	i, j := 0, 0
	for i < len(before) || j < len(after) {
		switch {
		case i < len(before) && !has(inAfter, bk[i]):
			out = append(out, FieldDiff{Path: ElementPath(d.Path, key, bk[i]), Before: before[i]})
			i++
		case j < len(after) && !has(inBefore, ak[j]):
			out = append(out, FieldDiff{Path: ElementPath(d.Path, key, ak[j]), After: after[j]})
			j++
		default: // the same key on both sides (common keys share their order)
			prefix := ElementPath(d.Path, key, ak[j])
			bm, am := before[i].(Map), after[j].(Map)
			var sub []FieldDiff
			var err error
			if declared {
				sub, err = n.DiffDeclared(bm, am)
			} else {
				sub, err = n.Diff(bm, am)
			}
			if err != nil {
				return nil, false
			}
			for _, s := range sub {
				s.Path = prefix + "." + s.Path
				out = append(out, s)
			}
			i, j = i+1, j+1
		}
	}
	return out, len(out) > 0
}

func has(m map[any]int, k any) bool {
	_, ok := m[k]
	return ok
}

// keysOf returns the key values of a list of objects; ok is false when an
// item is not an object, lacks a scalar key or repeats one.
func keysOf(l []any, key string) ([]any, bool) {
	out := make([]any, len(l))
	seen := make(map[any]bool, len(l))
	for i, e := range l {
		m, ok := e.(Map)
		if !ok {
			return nil, false
		}
		switch v := m[key].(type) {
		case float64, string, bool:
			if seen[v] {
				return nil, false
			}
			seen[v], out[i] = true, v
		default:
			return nil, false
		}
	}
	return out, true
}

// sameOrder reports whether the keys a and b have in common come in the
// same order in both.
func sameOrder(a, b []any) bool {
	inB := make(map[any]bool, len(b))
	for _, k := range b {
		inB[k] = true
	}
	inA := make(map[any]bool, len(a))
	for _, k := range a {
		inA[k] = true
	}
	j := 0
	for _, k := range a {
		if !inB[k] {
			continue
		}
		for j < len(b) && !inA[b[j]] {
			j++
		}
		if j == len(b) || b[j] != k {
			return false
		}
		j++
	}
	return true
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
// declares, compared the way live is compared with desired; a list item
// the manifest removes (an element path without After) is drift when base
// declares the list without that item. It reports whether any diff is
// drift.
func MarkDrift(diffs []FieldDiff, base Map) bool {
	found := false
	for i := range diffs {
		if baseWants(base, diffs[i]) {
			diffs[i].Drift = true
			found = true
		}
	}
	return found
}

// baseWants reports whether base declares what d's After says.
func baseWants(base Map, d FieldDiff) bool {
	bv, ok := LookupPath(base, d.Path)
	if ok {
		return SameDeclared(bv, d.After)
	}
	if d.After != nil {
		return false
	}
	list, sel, isItem := parentList(d.Path)
	if !isItem {
		return false
	}
	l, ok := LookupPath(base, list)
	if !ok {
		return false
	}
	_, isList := l.([]any)
	_, _, present := step(l, sel)
	return isList && !present
}
