package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrInconsistentAnswer marks a 2xx answer whose content contradicts itself: a
// search page whose counts disagree with its list (or that has no list at all),
// an id that a paginated search returns twice, or a required field that is
// missing. Such an answer is never read as "nothing there".
var ErrInconsistentAnswer = errors.New("inconsistent answer from the API")

// Error is an answer of the API with a non-2xx status. It never holds a token.
type Error struct {
	Method   string   // HTTP method
	Path     string   // request path, without query
	Location string   // location id the call was made for
	Status   int      // HTTP status
	Message  string   // the server's message (422 messages joined with "; ")
	Messages []string // 422 messages, one per violation
	// Scope is the scope the call needs (conversation-ai.readonly for a
	// GET of an agent, oauth.write to mint a token, ...); "" when the
	// document names none. IsMissingScope and MissingScope read it.
	Scope string
	// Company is the company id of an agency call (Location is then empty).
	Company string
}

// Error formats the failure as
// "PUT /conversation-ai/agents/abc (location X): 422 Unprocessable Entity: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	switch {
	case e.Location != "":
		b.WriteString(" (location ")
		b.WriteString(e.Location)
		b.WriteByte(')')
	case e.Company != "":
		b.WriteString(" (company ")
		b.WriteString(e.Company)
		b.WriteByte(')')
	}
	fmt.Fprintf(&b, ": %d", e.Status)
	if text := http.StatusText(e.Status); text != "" {
		b.WriteByte(' ')
		b.WriteString(text)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// AmbiguousError reports a non-idempotent request (POST) that may or may not
// have taken effect: the request was sent but no answer arrived. The caller must
// look before it creates again.
type AmbiguousError struct {
	Method, Path, Location string
	Err                    error
}

// Error says which call has an unknown outcome and why, naming the request
// once: when the failure's own text already starts with it (an *Error, a
// transport failure wrapped with the request), that text comes first.
func (e *AmbiguousError) Error() string {
	loc := ""
	if e.Location != "" {
		loc = " (location " + e.Location + ")"
	}
	if e.Err != nil {
		if msg := e.Err.Error(); strings.HasPrefix(msg, e.Method+" "+e.Path) {
			return msg + " (outcome unknown, the request may have taken effect)"
		}
	}
	return fmt.Sprintf("%s %s%s: outcome unknown, the request may have taken effect: %v",
		e.Method, e.Path, loc, e.Err)
}

// Unwrap returns the failure that made the outcome unknown.
func (e *AmbiguousError) Unwrap() error { return e.Err }

// statusOf returns the status of the *Error in err's chain, or 0.
func statusOf(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// isNotFoundMessage reports whether a 400 message is HighLevel's way of saying
// "unknown id" ("No Agent found for the id: x", "No Action found ...").
func isNotFoundMessage(msg string) bool {
	return strings.HasPrefix(msg, "No Agent found") ||
		strings.HasPrefix(msg, "No Action found") ||
		strings.Contains(strings.ToLower(msg), "not found")
}

// IsNotFound reports an unknown id: 404, or the 400 "No Agent found for the id"
// HighLevel answers in practice.
func IsNotFound(err error) bool {
	e, ok := statusOf(err)
	if !ok {
		return false
	}
	return e.Status == http.StatusNotFound ||
		(e.Status == http.StatusBadRequest && isNotFoundMessage(e.Message))
}

// IsUnauthorized reports a 401 (unknown token, or missing scope as observed).
func IsUnauthorized(err error) bool {
	e, ok := statusOf(err)
	return ok && e.Status == http.StatusUnauthorized
}

// IsForbidden reports a 403 (scope, or another location's resource).
func IsForbidden(err error) bool {
	e, ok := statusOf(err)
	return ok && e.Status == http.StatusForbidden
}

// IsValidation reports a 422 (or a 400 that is not a not-found).
func IsValidation(err error) bool {
	e, ok := statusOf(err)
	if !ok {
		return false
	}
	return e.Status == http.StatusUnprocessableEntity ||
		(e.Status == http.StatusBadRequest && !isNotFoundMessage(e.Message))
}

// IsRateLimited reports a 429 after retries were exhausted.
func IsRateLimited(err error) bool {
	e, ok := statusOf(err)
	return ok && e.Status == http.StatusTooManyRequests
}

// IsAmbiguous reports an *AmbiguousError.
func IsAmbiguous(err error) bool {
	var a *AmbiguousError
	return errors.As(err, &a)
}

// AccessHint says what to check after a 401 or 403 answer (status) for a
// location whose token lives in tokenEnv and needs scope; "" for any other
// status. It names the variable, never its value.
func AccessHint(status int, locationID, tokenEnv, scope string) string {
	switch status {
	case 401:
		return fmt.Sprintf("check that %s holds a valid token of location %s with the %s scope", tokenEnv, locationID, scope)
	case 403:
		return fmt.Sprintf("check that %s holds the token of location %s, not of another location", tokenEnv, locationID)
	}
	return ""
}

// StatusOf returns the HTTP status of the API answer in err's chain, or 0.
func StatusOf(err error) int {
	if e, ok := statusOf(err); ok {
		return e.Status
	}
	return 0
}

// isScopeMessage reports an answer saying the token lacks a scope, as
// HighLevel words it: "The token is not authorized for this scope."
func isScopeMessage(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "scope")
}

// IsMissingScope reports a 401 or 403 answer saying the token lacks the
// scope the call needs (see MissingScope for which).
func IsMissingScope(err error) bool {
	_, ok := MissingScope(err)
	return ok
}

// MissingScope returns the scope a call needed when its answer (401 or
// 403) says the token lacks a scope: conversation-ai.readonly or .write,
// oauth.write for minting location tokens from an agency token,
// locations.readonly, workflows.readonly, ... The scope is "" for an
// endpoint whose document names none (knowledge bases). ok is false for any
// other error.
func MissingScope(err error) (scope string, ok bool) {
	e, found := statusOf(err)
	if !found || (e.Status != http.StatusUnauthorized && e.Status != http.StatusForbidden) || !isScopeMessage(e.Message) {
		return "", false
	}
	return e.Scope, true
}
