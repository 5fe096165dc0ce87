package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "validation",
			err: &Error{Method: "PUT", Path: "/conversation-ai/agents/abc", Location: "X", Status: 422,
				Message: "waitTime must not be greater than 300"},
			want: "PUT /conversation-ai/agents/abc (location X): 422 Unprocessable Entity: waitTime must not be greater than 300",
		},
		{
			name: "no message, no location",
			err:  &Error{Method: "GET", Path: "/p", Status: 503},
			want: "GET /p: 503 Service Unavailable",
		},
		{
			name: "ambiguous",
			err: &AmbiguousError{Method: "POST", Path: "/conversation-ai/agents", Location: "X",
				Err: errors.New("EOF")},
			want: "POST /conversation-ai/agents (location X): outcome unknown, the request may have taken effect: EOF",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestErrorClasses sends each error class through the client and checks the
// helpers, the parsed message(s) and that none of them is retried.
func TestErrorClasses(t *testing.T) {
	type preds struct{ notFound, unauthorized, forbidden, validation, rateLimited, ambiguous bool }
	tests := []struct {
		name     string
		status   int
		body     any
		want     preds
		message  string
		messages []string
	}{
		{"400 no agent found", 400, errBody(400, "No Agent found for the id: ag9"), preds{notFound: true}, "No Agent found for the id: ag9", nil},
		{"400 no action found", 400, errBody(400, "No Action found for the id: ac9"), preds{notFound: true}, "No Action found for the id: ac9", nil},
		{"400 other not found", 400, errBody(400, "Agent not found"), preds{notFound: true}, "Agent not found", nil},
		{"400 bad request", 400, errBody(400, "name should not be empty"), preds{validation: true}, "name should not be empty", nil},
		{"401", 401, errBody(401, "The token is not authorized for this scope."), preds{unauthorized: true}, "The token is not authorized for this scope.", nil},
		{"403", 403, errBody(403, "The token does not have access to this location"), preds{forbidden: true}, "The token does not have access to this location", nil},
		{"404", 404, errBody(404, "Not Found"), preds{notFound: true}, "Not Found", nil},
		{"422 list", 422, errBody(422, []string{"waitTime must not be greater than 300", "mode must be one of off"}),
			preds{validation: true}, "waitTime must not be greater than 300; mode must be one of off",
			[]string{"waitTime must not be greater than 300", "mode must be one of off"}},
		{"plain text body", 400, "oops\nstack trace", preds{validation: true}, `"oops\nstack trace"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.inc()
				writeJSON(w, tt.status, tt.body)
			}))
			_, err := env.loc.GetAgent(context.Background(), "ag9")
			got := preds{IsNotFound(err), IsUnauthorized(err), IsForbidden(err), IsValidation(err), IsRateLimited(err), IsAmbiguous(err)}
			if got != tt.want {
				t.Errorf("predicates %+v, want %+v (err %v)", got, tt.want, err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *Error", err)
			}
			if e.Status != tt.status || e.Message != tt.message || fmt.Sprint(e.Messages) != fmt.Sprint(tt.messages) {
				t.Errorf("got status %d message %q messages %q", e.Status, e.Message, e.Messages)
			}
			if e.Method != "GET" || e.Path != "/conversation-ai/agents/ag9" || e.Location != "loc-1" {
				t.Errorf("got %s %s location %s", e.Method, e.Path, e.Location)
			}
			if hits.get() != 1 {
				t.Errorf("%d attempts, want 1 (never retried)", hits.get())
			}
		})
	}
}

func TestHelpersOnOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("x"), context.Canceled} {
		if IsNotFound(err) || IsUnauthorized(err) || IsForbidden(err) || IsValidation(err) || IsRateLimited(err) || IsAmbiguous(err) {
			t.Errorf("a predicate matched %v", err)
		}
	}
	wrapped := fmt.Errorf("apply: %w", &Error{Status: 429})
	if !IsRateLimited(wrapped) {
		t.Error("IsRateLimited does not see through wrapping")
	}
}

func TestAmbiguousErrorNamesTheRequestOnce(t *testing.T) {
	inner := &Error{Method: "POST", Path: "/conversation-ai/agents", Location: "L1", Status: 503, Message: "Service Unavailable"}
	tests := []struct {
		name string
		err  *AmbiguousError
		want string
	}{
		{"server answer", &AmbiguousError{Method: "POST", Path: "/conversation-ai/agents", Location: "L1", Err: inner},
			inner.Error() + " (outcome unknown, the request may have taken effect)"},
		{"lost connection", &AmbiguousError{Method: "POST", Path: "/conversation-ai/agents", Location: "L1", Err: errors.New("EOF")},
			"POST /conversation-ai/agents (location L1): outcome unknown, the request may have taken effect: EOF"},
		{"lost connection, wrapped with the request", &AmbiguousError{Method: "POST", Path: "/conversation-ai/agents", Location: "L1",
			Err: errors.New("POST /conversation-ai/agents (location L1): connection reset")},
			"POST /conversation-ai/agents (location L1): connection reset (outcome unknown, the request may have taken effect)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			if strings.Count(tt.err.Error(), "/conversation-ai/agents") != 1 {
				t.Fatalf("the request is named more than once: %q", tt.err.Error())
			}
		})
	}
}

func TestAccessHint(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{401, "check that TOK holds a valid token of location L with the conversation-ai.write scope"},
		{403, "check that TOK holds the token of location L, not of another location"},
		{422, ""},
		{0, ""},
	}
	for _, tt := range tests {
		if got := AccessHint(tt.status, "L", "TOK", ScopeWrite); got != tt.want {
			t.Errorf("AccessHint(%d) = %q, want %q", tt.status, got, tt.want)
		}
	}
	wrapped := fmt.Errorf("read: %w", &Error{Status: 403})
	if StatusOf(wrapped) != 403 || StatusOf(errors.New("x")) != 0 {
		t.Errorf("StatusOf does not find the status in the chain")
	}
}
