package api

import "errors"

// Error is an answer of the API with a non-2xx status. It never holds a token.
type Error struct {
	Method   string   // HTTP method
	Path     string   // request path, without query
	Location string   // location id the call was made for
	Status   int      // HTTP status
	Message  string   // the server's message (422 messages joined with "; ")
	Messages []string // 422 messages, one per violation
}

func (e *Error) Error() string { return "TODO" }

// AmbiguousError reports a non-idempotent request (POST) that may or may not
// have taken effect: the request was sent but no answer arrived. The caller must
// look before it creates again.
type AmbiguousError struct {
	Method, Path, Location string
	Err                    error
}

func (e *AmbiguousError) Error() string { return "TODO" }
func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsNotFound reports an unknown id: 404, or the 400 "No Agent found for the id"
// HighLevel answers in practice.
func IsNotFound(err error) bool { return false }

// IsUnauthorized reports a 401 (unknown token, or missing scope as observed).
func IsUnauthorized(err error) bool { return false }

// IsForbidden reports a 403 (scope, or another location's resource).
func IsForbidden(err error) bool { return false }

// IsValidation reports a 422 (or a 400 that is not a not-found).
func IsValidation(err error) bool { return false }

// IsRateLimited reports a 429 after retries were exhausted.
func IsRateLimited(err error) bool { return false }

// IsAmbiguous reports an *AmbiguousError.
func IsAmbiguous(err error) bool {
	var a *AmbiguousError
	return errors.As(err, &a)
}
