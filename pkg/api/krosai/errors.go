package krosai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/pkg/api"
)

// ErrInconsistentAnswer marks a 2xx answer the client cannot take at its
// word: a list that is not a list, a created object without id.
var ErrInconsistentAnswer = api.ErrInconsistentAnswer

// AmbiguousError is pkg/api's: a POST that may or may not have taken effect.
// Look up by name before creating again.
type AmbiguousError = api.AmbiguousError

// IsAmbiguous reports an *AmbiguousError.
func IsAmbiguous(err error) bool { return api.IsAmbiguous(err) }

// Error is a non-2xx answer of the KrosAI API. It never holds a key or token.
type Error struct {
	Method  string // HTTP method
	Path    string // request path, without query
	Account string // account name
	Status  int    // HTTP status
	Detail  string // the server's explanation, masked
}

// Error formats the failure as
// "POST /v1/agents (KrosAI account A): 400 Bad Request: detail".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	if e.Account != "" {
		b.WriteString(" (KrosAI account ")
		b.WriteString(e.Account)
		b.WriteByte(')')
	}
	fmt.Fprintf(&b, ": %d", e.Status)
	if text := http.StatusText(e.Status); text != "" {
		b.WriteByte(' ')
		b.WriteString(text)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// maxPlainDetail bounds how much of a non-JSON error body becomes a detail.
const maxPlainDetail = 200

// newError builds the *Error of a non-2xx answer, masking secrets in it.
func newError(method, path, account string, status int, body []byte, red *redact.Redactor) *Error {
	return &Error{Method: method, Path: path, Account: account, Status: status, Detail: red.String(parseDetail(body))}
}

// parseDetail reads {"detail": "..."}, a FastAPI-style {"detail": [{"msg":
// ...}, ...]}, {"message": "..."}, or else the body's first line.
func parseDetail(body []byte) string {
	var eb struct {
		Detail  json.RawMessage `json:"detail"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(body, &eb) == nil {
		for _, raw := range []json.RawMessage{eb.Detail, eb.Message} {
			if msg := readDetail(raw); msg != "" {
				return msg
			}
		}
	}
	body = bytes.TrimSpace(body)
	if i := bytes.IndexByte(body, '\n'); i >= 0 {
		body = body[:i]
	}
	if len(body) > maxPlainDetail {
		body = body[:maxPlainDetail]
	}
	return strings.ToValidUTF8(strings.TrimSpace(string(body)), string(utf8.RuneError))
}

// readDetail turns a detail value into text: a string as is; a list of
// strings or of {msg, loc} objects joined with "; ".
func readDetail(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return ""
	}
	var msgs []string
	for _, it := range items {
		var one string
		if json.Unmarshal(it, &one) == nil {
			msgs = append(msgs, one)
			continue
		}
		var v struct {
			Msg string `json:"msg"`
			Loc []any  `json:"loc"`
		}
		if json.Unmarshal(it, &v) == nil && v.Msg != "" {
			if len(v.Loc) > 0 {
				var loc []string
				for _, p := range v.Loc {
					loc = append(loc, fmt.Sprint(p))
				}
				msgs = append(msgs, strings.Join(loc, ".")+": "+v.Msg)
			} else {
				msgs = append(msgs, v.Msg)
			}
		}
	}
	return strings.Join(msgs, "; ")
}

// statusOf returns the *Error in err's chain.
func statusOf(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// StatusOf returns the HTTP status of the KrosAI answer in err's chain, or 0.
func StatusOf(err error) int {
	if e, ok := statusOf(err); ok {
		return e.Status
	}
	return 0
}

func hasStatus(err error, codes ...int) bool {
	e, ok := statusOf(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.Status == c {
			return true
		}
	}
	return false
}

// IsNotFound reports a 404 (no such agent, conversation or knowledge base).
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports a 401: the API key is missing or invalid.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports a 403: the object belongs to another user, or the key
// may not use it.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsValidation reports a 400 or 422: the request was refused as invalid.
func IsValidation(err error) bool {
	return hasStatus(err, http.StatusBadRequest, http.StatusUnprocessableEntity)
}

// IsTooLarge reports a 413: an uploaded document over the size limit.
func IsTooLarge(err error) bool { return hasStatus(err, http.StatusRequestEntityTooLarge) }

// IsRateLimited reports a 429 after retries ran out.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }
