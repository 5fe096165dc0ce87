package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// checker collects validation messages in NestJS' wording.
type checker struct{ msgs []string }

func (c *checker) addf(format string, a ...any) { c.msgs = append(c.msgs, fmt.Sprintf(format, a...)) }

func (c *checker) failed() bool { return len(c.msgs) > 0 }

// obj reads the fields of one JSON object, reporting problems to c under
// prefix ("" for the body, "details." for nested objects).
type obj struct {
	c      *checker
	prefix string
	m      map[string]any
}

func (o obj) name(k string) string { return o.prefix + k }

// has reports whether k is present, null included.
func (o obj) has(k string) bool { _, ok := o.m[k]; return ok }

// isNull reports whether k is present and null.
func (o obj) isNull(k string) bool { v, ok := o.m[k]; return ok && v == nil }

// only rejects properties outside allowed.
func (o obj) only(allowed ...string) {
	var extra []string
	for k := range o.m {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		o.c.addf("property %s should not exist", o.name(k))
	}
}

// get returns the value of k; missing required keys are reported.
func (o obj) get(k string, required bool) (any, bool) {
	v, ok := o.m[k]
	if !ok {
		if required {
			o.c.addf("%s should not be empty", o.name(k))
		}
		return nil, false
	}
	return v, true
}

func (o obj) str(k string, required bool) (string, bool) {
	v, ok := o.get(k, required)
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		o.c.addf("%s must be a string", o.name(k))
		return "", false
	}
	return s, true
}

// nonEmpty is str that also refuses "".
func (o obj) nonEmpty(k string, required bool) (string, bool) {
	s, ok := o.str(k, required)
	if ok && strings.TrimSpace(s) == "" {
		o.c.addf("%s should not be empty", o.name(k))
		return "", false
	}
	return s, ok
}

func (o obj) boolean(k string, required bool) (bool, bool) {
	v, ok := o.get(k, required)
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		o.c.addf("%s must be a boolean value", o.name(k))
		return false, false
	}
	return b, true
}

// num reads a finite, non-negative number.
func (o obj) num(k string, required bool) (float64, bool) {
	v, ok := o.get(k, required)
	if !ok {
		return 0, false
	}
	f, isNum := v.(float64)
	if !isNum || math.IsNaN(f) || math.IsInf(f, 0) {
		o.c.addf("%s must be a number conforming to the specified constraints", o.name(k))
		return 0, false
	}
	if f < 0 {
		o.c.addf("%s must not be less than 0", o.name(k))
		return 0, false
	}
	return f, true
}

// integer reads a number that must be whole, within lo..hi.
func (o obj) integer(k string, required bool, lo, hi int) (int, bool) {
	f, ok := o.num(k, required)
	if !ok {
		return 0, false
	}
	if f != math.Trunc(f) {
		o.c.addf("%s must be an integer number", o.name(k))
		return 0, false
	}
	switch {
	case f < float64(lo):
		o.c.addf("%s must not be less than %d", o.name(k), lo)
		return 0, false
	case f > float64(hi):
		o.c.addf("%s must not be greater than %d", o.name(k), hi)
		return 0, false
	}
	return int(f), true
}

func (o obj) enum(k string, required bool, allowed ...string) (string, bool) {
	s, ok := o.str(k, required)
	if !ok {
		return "", false
	}
	if !slices.Contains(allowed, s) {
		o.c.addf("%s must be one of the following values: %s", o.name(k), strings.Join(allowed, ", "))
		return "", false
	}
	return s, true
}

// array reads an array of any values.
func (o obj) array(k string, required bool) ([]any, bool) {
	v, ok := o.get(k, required)
	if !ok {
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		o.c.addf("%s must be an array", o.name(k))
		return nil, false
	}
	return arr, true
}

// strs reads an array of strings.
func (o obj) strs(k string, required bool) ([]string, bool) {
	arr, ok := o.array(k, required)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		s, isStr := x.(string)
		if !isStr {
			o.c.addf("each value in %s must be a string", o.name(k))
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// minItems reports a list shorter than n.
func (o obj) minItems(k string, list []string, n int) bool {
	if len(list) < n {
		o.c.addf("%s must contain at least %d elements", o.name(k), n)
		return false
	}
	return true
}

// object reads a nested object.
func (o obj) object(k string, required bool) (obj, bool) {
	v, ok := o.get(k, required)
	if !ok {
		return obj{}, false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		o.c.addf("%s must be an object", o.name(k))
		return obj{}, false
	}
	return obj{c: o.c, prefix: o.name(k) + ".", m: m}, true
}

// objects reads an array of objects.
func (o obj) objects(k string, required bool) ([]obj, bool) {
	arr, ok := o.array(k, required)
	if !ok {
		return nil, false
	}
	out := make([]obj, 0, len(arr))
	for i, x := range arr {
		m, isObj := x.(map[string]any)
		if !isObj {
			o.c.addf("each value in %s must be an object", o.name(k))
			return nil, false
		}
		out = append(out, obj{c: o.c, prefix: fmt.Sprintf("%s.%d.", o.name(k), i), m: m})
	}
	return out, true
}

// decodeObject parses a request body that must be one JSON object.
func decodeObject(body []byte) (map[string]any, *answer) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil {
		a := badRequest("Unexpected request body: %v", err)
		return nil, &a
	}
	if dec.More() {
		a := badRequest("Unexpected data after the JSON body")
		return nil, &a
	}
	m, ok := v.(map[string]any)
	if !ok {
		a := badRequest("The request body must be a JSON object")
		return nil, &a
	}
	return m, nil
}
