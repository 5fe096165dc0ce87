package value

import (
	"strconv"
	"strings"
)

// Field paths name a value inside an object: object keys joined by dots
// ("details.calendarId"), and list items by a selector after the list's
// name, either by the value of their key field
// ("followupSequence[id=2].customMessage", "workingHours[dayOfTheWeek=5]",
// `steps[name="Book"]`) or by position ("workflowIds[1]"). Key values are
// written as JSON scalars: numbers as written, strings quoted, true, false.
// Diffs name list items by key (see Normalizer.Keys); manifests' source
// positions name them by position (see Positional).

// pathStep is one step of a parsed path: an object key, or a list item
// selected by key or by position.
type pathStep struct {
	field string // object key; "" for an item selector
	item  bool
	key   string // the key field of the selector; "" selects by index
	value any    // the key's value (float64, string or bool)
	index int
}

// ElementPath is the path of the item of the list at path whose key field
// holds v: `followupSequence[id=2]`.
func ElementPath(path, key string, v any) string {
	return path + "[" + key + "=" + formatKey(v) + "]"
}

// formatKey writes a key value as a JSON scalar.
func formatKey(v any) string {
	switch t := v.(type) {
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case string:
		return strconv.Quote(t)
	case bool:
		return strconv.FormatBool(t)
	}
	return "null"
}

// parsePath splits a path into its steps; ok is false when it is malformed.
func parsePath(path string) (steps []pathStep, ok bool) {
	for i := 0; i < len(path); {
		switch path[i] {
		case '.': // between steps, before a field
			if i == 0 || i == len(path)-1 || path[i+1] == '.' || path[i+1] == '[' {
				return nil, false
			}
			i++
		case '[':
			end, step, ok := parseSelector(path, i)
			if !ok {
				return nil, false
			}
			steps = append(steps, step)
			i = end
		default:
			j := i
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				j++
			}
			steps = append(steps, pathStep{field: path[i:j]})
			i = j
		}
	}
	return steps, len(steps) > 0
}

// parseSelector reads the selector starting at path[i] ('['); it returns
// the index just after its ']'.
func parseSelector(path string, i int) (int, pathStep, bool) {
	rest := path[i+1:]
	eq := strings.IndexAny(rest, "=]")
	if eq < 0 {
		return 0, pathStep{}, false
	}
	if rest[eq] == ']' { // [n]
		n, err := strconv.Atoi(rest[:eq])
		if err != nil || n < 0 {
			return 0, pathStep{}, false
		}
		return i + 1 + eq + 1, pathStep{item: true, index: n}, true
	}
	key, val := rest[:eq], rest[eq+1:]
	if key == "" {
		return 0, pathStep{}, false
	}
	var v any
	var n int // length of the value's text
	if strings.HasPrefix(val, `"`) {
		q, err := strconv.QuotedPrefix(val)
		if err != nil {
			return 0, pathStep{}, false
		}
		s, _ := strconv.Unquote(q)
		v, n = s, len(q)
	} else {
		end := strings.IndexByte(val, ']')
		if end < 0 {
			return 0, pathStep{}, false
		}
		text := val[:end]
		switch text {
		case "true", "false":
			v = text == "true"
		default:
			f, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return 0, pathStep{}, false
			}
			v = f
		}
		n = end
	}
	if n >= len(val) || val[n] != ']' {
		return 0, pathStep{}, false
	}
	return i + 1 + eq + 1 + n + 1, pathStep{item: true, key: key, value: v}, true
}

// LookupPath returns the value at path (see the path syntax above) in m.
func LookupPath(m Map, path string) (any, bool) {
	steps, ok := parsePath(path)
	if !ok {
		return nil, false
	}
	var cur any = m
	for _, s := range steps {
		var found bool
		if cur, _, found = step(cur, s); !found {
			return nil, false
		}
	}
	return cur, true
}

// step takes one step from cur; for an item it also returns its index.
func step(cur any, s pathStep) (any, int, bool) {
	if !s.item {
		cm, ok := cur.(Map)
		if !ok {
			return nil, 0, false
		}
		v, ok := cm[s.field]
		return v, 0, ok
	}
	l, ok := cur.([]any)
	if !ok {
		return nil, 0, false
	}
	if s.key == "" {
		if s.index >= len(l) {
			return nil, 0, false
		}
		return l[s.index], s.index, true
	}
	for i, e := range l {
		if em, ok := e.(Map); ok && em[s.key] == s.value {
			return e, i, true
		}
	}
	return nil, 0, false
}

// Positional rewrites the key selectors of path into positions in m, as
// manifests' source maps name list items: with m's followupSequence holding
// the step of id 2 second, "details.followupSequence[id=2].customMessage"
// becomes "details.followupSequence[1].customMessage". When an item is not
// found in m, the path ends at its list ("details.followupSequence"): the
// nearest value m has.
func Positional(m Map, path string) string {
	steps, ok := parsePath(path)
	if !ok {
		return path
	}
	var b strings.Builder
	var cur any = m
	for _, s := range steps {
		next, i, found := step(cur, s)
		if !found && s.item {
			return b.String()
		}
		switch {
		case !s.item:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.field)
		default:
			b.WriteString("[" + strconv.Itoa(i) + "]")
		}
		cur = next
	}
	return b.String()
}

// IsElementPath reports whether path names a list item (it ends with a
// selector: "followupSequence[id=2]") rather than a field.
func IsElementPath(path string) bool {
	_, _, ok := parentList(path)
	return ok
}

// parentList splits an element path into its list's path and the item's
// selector; ok is false when path does not end with a selector.
func parentList(path string) (string, pathStep, bool) {
	if !strings.HasSuffix(path, "]") {
		return "", pathStep{}, false
	}
	// A quoted key value may hold '[': try each one from the right.
	for i := strings.LastIndexByte(path, '['); i > 0; i = strings.LastIndexByte(path[:i], '[') {
		if end, s, ok := parseSelector(path, i); ok && end == len(path) {
			return path[:i], s, true
		}
	}
	return "", pathStep{}, false
}
