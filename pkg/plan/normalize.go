package plan

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/r3labs/diff/v3"
)

// setKeys are list fields the service treats as sets: order does not matter,
// so both sides are sorted before they are compared.
var setKeys = map[string]bool{
	"channels":         true,
	"knowledgeBaseIds": true,
	"workflowIds":      true,
	"tags":             true,
}

// jsonValue turns any value into its JSON-typed form: map[string]any, []any,
// string, float64, bool or nil.
func jsonValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonMap is jsonValue for objects; nil and JSON null give an empty map.
func jsonMap(v any) (map[string]any, error) {
	j, err := jsonValue(v)
	if err != nil {
		return nil, err
	}
	switch m := j.(type) {
	case map[string]any:
		return m, nil
	case nil:
		return map[string]any{}, nil
	}
	return nil, fmt.Errorf("%T is not an object", j)
}

// normalize sorts the set-like lists of a JSON-typed value, in place, at any
// depth, and orders workingHours by day of the week.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
			if setKeys[k] {
				sortStrings(t[k])
			}
			if k == "workingHours" {
				sortWorkingHours(t[k])
			}
		}
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
	}
	return v
}

func sortStrings(v any) {
	l, ok := v.([]any)
	if !ok {
		return
	}
	sort.SliceStable(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
}

func sortWorkingHours(v any) {
	l, ok := v.([]any)
	if !ok {
		return
	}
	day := func(e any) float64 {
		m, _ := e.(map[string]any)
		d, _ := m["dayOfTheWeek"].(float64)
		return d
	}
	sort.SliceStable(l, func(i, j int) bool { return day(l[i]) < day(l[j]) })
}

// isZero reports a JSON zero value: the service omits these and treats a
// missing field as its zero value.
func isZero(v any) bool {
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
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// project returns live cut down to the keys desired declares: nested objects
// recurse, everything else (scalars, lists) is taken whole. A key live lacks
// while desired holds its zero value is filled with that value, so "missing"
// and "zero" compare equal.
func project(live, desired map[string]any) map[string]any {
	out := make(map[string]any, len(desired))
	for k, d := range desired {
		l, ok := live[k]
		if !ok || l == nil {
			if isZero(d) {
				out[k] = d
			}
			continue
		}
		out[k] = projectValue(l, d)
	}
	return out
}

// projectValue is project for any value: objects recurse; lists of objects
// of the same length project item by item (so defaults the service fills
// into list items do not count as a difference); the rest is taken whole.
func projectValue(live, desired any) any {
	switch d := desired.(type) {
	case map[string]any:
		if l, ok := live.(map[string]any); ok {
			return project(l, d)
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

// fieldDiffs compares the projected live value with the desired one using
// r3labs/diff and returns one FieldDiff per changed declared field, sorted by
// path. A change inside a list reports the whole list (lists compare whole).
func fieldDiffs(live, desired map[string]any) ([]FieldDiff, error) {
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
		before, _ := lookup(live, path)
		after, _ := lookup(desired, path)
		out = append(out, FieldDiff{Path: key, Before: before, After: after})
	}
	slices.SortFunc(out, func(a, b FieldDiff) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// fieldPath shortens a change path to the declared field it belongs to: it
// descends while both sides are objects and stops at the first list or scalar.
func fieldPath(desired, live map[string]any, path []string) []string {
	var out []string
	d, l := desired, live
	for _, seg := range path {
		out = append(out, seg)
		dm, dok := d[seg].(map[string]any)
		lm, lok := l[seg].(map[string]any)
		if !dok || !lok {
			return out
		}
		d, l = dm, lm
	}
	return out
}

func lookup(m map[string]any, path []string) (any, bool) {
	var cur any = m
	for _, seg := range path {
		cm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = cm[seg]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// deepMerge returns base with over merged in: objects merge key by key, lists
// and scalars from over replace those of base. Neither input is changed.
func deepMerge(base, over map[string]any) map[string]any {
	out := cloneMap(base)
	for k, v := range over {
		om, ook := v.(map[string]any)
		bm, bok := out[k].(map[string]any)
		if ook && bok {
			out[k] = deepMerge(bm, om)
			continue
		}
		out[k] = cloneValue(v)
	}
	return out
}
