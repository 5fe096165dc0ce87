// Package value works on JSON-typed values (map[string]any, []any, string,
// float64, bool, nil): the form in which the planner holds desired and live
// objects of every kind. It converts Go values into that form, normalizes
// them, compares them on what a manifest declares, merges them and
// fingerprints them. It knows no provider and no kind.
package value

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Map is a JSON object.
type Map = map[string]any

// Of turns any value into its JSON-typed form through encoding/json.
func Of(v any) (any, error) {
	b, err := marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// MapOf is Of for objects; nil and JSON null give an empty map.
func MapOf(v any) (Map, error) {
	j, err := Of(v)
	if err != nil {
		return nil, err
	}
	switch m := j.(type) {
	case Map:
		return m, nil
	case nil:
		return Map{}, nil
	}
	return nil, fmt.Errorf("%T is not an object", j)
}

// Decode converts v (JSON types) into out through encoding/json.
func Decode(v, out any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// marshal encodes v without escaping <, > and & (the planner's values are
// data, not HTML).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Clone copies m deeply (maps and lists), so the copy may be changed.
func Clone(m Map) Map {
	if m == nil {
		return nil
	}
	out := make(Map, len(m))
	for k, v := range m {
		out[k] = CloneValue(v)
	}
	return out
}

// CloneValue is Clone for any JSON-typed value.
func CloneValue(v any) any {
	switch t := v.(type) {
	case Map:
		return Clone(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = CloneValue(e)
		}
		return out
	}
	return v
}

// DeepMerge returns base with over merged in: objects merge key by key, lists
// and scalars from over replace those of base. Neither input is changed.
func DeepMerge(base, over Map) Map {
	out := Clone(base)
	if out == nil {
		out = Map{}
	}
	for k, v := range over {
		om, ook := v.(Map)
		bm, bok := out[k].(Map)
		if ook && bok {
			out[k] = DeepMerge(bm, om)
			continue
		}
		out[k] = CloneValue(v)
	}
	return out
}

// Lookup returns the value at path (object keys) in m.
func Lookup(m Map, path []string) (any, bool) {
	var cur any = m
	for _, seg := range path {
		cm, ok := cur.(Map)
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

// Set stores v at path in m, creating objects on the way; it fails when a
// value on the way is not an object.
func Set(m Map, path []string, v any) error {
	cur := m
	for i, seg := range path {
		if i == len(path)-1 {
			cur[seg] = v
			return nil
		}
		next, ok := cur[seg].(Map)
		if !ok {
			if _, exists := cur[seg]; exists {
				return fmt.Errorf("%s is not an object", seg)
			}
			next = Map{}
			cur[seg] = next
		}
		cur = next
	}
	return nil
}

// Strings reads a JSON list of strings ([]any or []string); nil gives nil.
func Strings(v any) ([]string, error) {
	switch l := v.(type) {
	case []string:
		return l, nil
	case []any:
		out := make([]string, 0, len(l))
		for i, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("item %d is %T, want a string", i, e)
			}
			out = append(out, s)
		}
		return out, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("%T is not a list of strings", v)
}

// List turns strings into a JSON list.
func List(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// Each is the wildcard path segment that stands for every item of a list.
const Each = "*"

// MapAt replaces every value found at path in m by f's result. A segment
// Each steps into every item of a list; a missing key or a value of the
// wrong shape on the way is skipped. The first error stops it.
func MapAt(m Map, path []string, f func(any) (any, error)) error {
	if len(path) == 0 {
		return nil
	}
	return mapAt(m, path, f)
}

func mapAt(v any, path []string, f func(any) (any, error)) error {
	seg, rest := path[0], path[1:]
	switch t := v.(type) {
	case Map:
		if seg == Each {
			return nil
		}
		cur, ok := t[seg]
		if !ok {
			return nil
		}
		if len(rest) == 0 {
			nv, err := f(cur)
			if err != nil {
				return err
			}
			t[seg] = nv
			return nil
		}
		return mapAt(cur, rest, f)
	case []any:
		if seg != Each {
			return nil
		}
		for i := range t {
			if len(rest) == 0 {
				nv, err := f(t[i])
				if err != nil {
					return err
				}
				t[i] = nv
				continue
			}
			if err := mapAt(t[i], rest, f); err != nil {
				return err
			}
		}
	}
	return nil
}
