package krosai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Limits of the sandbox's validation (the documents give none).
const (
	maxName        = 100   // agent and knowledge-base names
	maxDescription = 1000  // descriptions
	maxPrompt      = 32000 // system prompts
	maxTitle       = 200   // conversation titles
	maxShort       = 100   // language, voice_id, providers, ids
)

// languageCode is a BCP 47-like tag: en, pt-BR, zh-Hant-TW.
var languageCode = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// decodeBody parses a JSON body that must be one object. Every refusal is a
// 400 (the documents list 400 for invalid input and no 422).
func decodeBody(body []byte) (map[string]any, *Answer) {
	if len(bytes.TrimSpace(body)) == 0 {
		a := badRequest("A JSON object body is required")
		return nil, &a
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil {
		a := badRequest("Invalid JSON body: %v", err)
		return nil, &a
	}
	if dec.More() {
		a := badRequest("Invalid JSON body: data after the object")
		return nil, &a
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		a := badRequest("The body must be a JSON object")
		return nil, &a
	}
	return m, nil
}

// fields reads one JSON object body and collects its problems.
type fields struct {
	m        map[string]any
	create   bool // null means "not given" (create) rather than "clear" (update)
	problems []string
}

func (f *fields) addf(format string, a ...any) {
	f.problems = append(f.problems, fmt.Sprintf(format, a...))
}

// answer is the 400 listing every problem, or nil.
func (f *fields) answer() *Answer {
	if len(f.problems) == 0 {
		return nil
	}
	a := badRequest("%s", strings.Join(f.problems, "; "))
	return &a
}

// only refuses properties outside allowed.
func (f *fields) only(allowed ...string) {
	var extra []string
	for k := range f.m {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		f.addf("Unknown field: %s", k)
	}
}

// strRule is how one string field is checked.
type strRule struct {
	max      int  // in characters
	required bool // must be given (on create)
	nonEmpty bool // "" (or blanks) refused
	nullable bool // on update, null clears the value
}

// text reads string field k. given is false when k is absent (or null on
// create); a nil val with given true is null clearing the field.
func (f *fields) text(k string, r strRule) (val *string, given bool) {
	v, present := f.m[k]
	if present && v == nil {
		switch {
		case f.create:
			present = false
		case r.nullable:
			return nil, true
		default:
			f.addf("%s may not be null", k)
			return nil, false
		}
	}
	if !present {
		if r.required && f.create {
			f.addf("%s is required", k)
		}
		return nil, false
	}
	s, isStr := v.(string)
	switch {
	case !isStr:
		f.addf("%s must be a string", k)
		return nil, false
	case r.nonEmpty && strings.TrimSpace(s) == "":
		f.addf("%s must not be empty", k)
		return nil, false
	case utf8.RuneCountInString(s) > r.max:
		f.addf("%s must be at most %d characters", k, r.max)
		return nil, false
	}
	return &s, true
}

// ids reads a list of ids: strings, not empty, no repeats.
func (f *fields) ids(k string) (list []string, given bool) {
	v, present := f.m[k]
	if present && v == nil {
		if f.create {
			return []string{}, true
		}
		f.addf("%s may not be null (send [] for none)", k)
		return nil, false
	}
	if !present {
		return nil, false
	}
	arr, isArr := v.([]any)
	if !isArr {
		f.addf("%s must be a list of strings", k)
		return nil, false
	}
	list = []string{}
	for _, x := range arr {
		s, isStr := x.(string)
		switch {
		case !isStr:
			f.addf("%s must be a list of strings", k)
			return nil, false
		case strings.TrimSpace(s) == "" || len(s) > maxShort:
			f.addf("%s holds an empty or overlong id", k)
			return nil, false
		case slices.Contains(list, s):
			f.addf("%s lists %s twice", k, s)
			return nil, false
		}
		list = append(list, s)
	}
	return list, true
}

// denied is the 403 for another account's object.
func denied(what string) Answer {
	return Errorf(http.StatusForbidden, "Not allowed to access this %s", what)
}

// notFound is the 404 for an unknown id.
func notFound(what string) Answer {
	return Errorf(http.StatusNotFound, "%s not found", what)
}
