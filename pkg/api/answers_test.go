package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestUnusableAnswers checks 2xx answers the client cannot use: an error,
// never a zero value; for a POST the outcome is ambiguous (the server acted).
func TestUnusableAnswers(t *testing.T) {
	createAgent := func(ctx context.Context, l *Location) error {
		_, err := l.CreateAgent(ctx, AgentSettings{Name: "x"})
		return err
	}
	createAction := func(ctx context.Context, l *Location) error {
		_, err := l.CreateAction(ctx, "ag1", ActionInput{Type: ActionStopBot, Name: "x"})
		return err
	}
	getAction := func(ctx context.Context, l *Location) error {
		_, err := l.GetAction(ctx, "ag1", "ac1")
		return err
	}
	tests := []struct {
		name             string
		status           int
		body             string
		call             func(context.Context, *Location) error
		wantAmbiguous    bool
		wantInconsistent bool
	}{
		{"POST agent: not JSON", 201, `<html>`, createAgent, true, false},
		{"POST agent: no id", 201, `{"name":"x"}`, createAgent, true, true},
		{"POST action: no data", 201, `{"success":true}`, createAction, true, true},
		{"POST action: data without id", 201, `{"success":true,"data":{"name":"x"}}`, createAction, true, true},
		{"POST action: success false", 201, `{"success":false,"data":{"id":"ac1"}}`, createAction, true, false},
		{"GET action: no data", 200, `{"success":true}`, getAction, false, true},
		{"GET action: success false", 200, `{"success":false,"data":{"id":"ac1"}}`, getAction, false, false},
		{"DELETE agent: success false", 200, `{"success":false,"id":"ag1"}`,
			func(ctx context.Context, l *Location) error { return l.DeleteAgent(ctx, "ag1") }, false, false},
		{"GET agent: not JSON", 200, `{"id":`, idempotentCalls["GET"], false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.inc()
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			err := tt.call(context.Background(), env.loc)
			if err == nil {
				t.Fatal("no error")
			}
			if IsAmbiguous(err) != tt.wantAmbiguous {
				t.Errorf("IsAmbiguous = %v, want %v (%v)", !tt.wantAmbiguous, tt.wantAmbiguous, err)
			}
			if errors.Is(err, ErrInconsistentAnswer) != tt.wantInconsistent {
				t.Errorf("ErrInconsistentAnswer = %v, want %v (%v)", !tt.wantInconsistent, tt.wantInconsistent, err)
			}
			if hits.get() != 1 {
				t.Errorf("%d requests, want 1", hits.get())
			}
		})
	}
}

// TestRetryAfterOn503 checks a 503's Retry-After is honoured for an
// idempotent retry (without holding the location).
func TestRetryAfterOn503(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.inc() == 1 {
			w.Header().Set("Retry-After", "5")
			writeJSON(w, 503, errBody(503, "maintenance"))
			return
		}
		okAnswer(w, r)
	}))
	if _, err := env.loc.GetAgent(context.Background(), "ag1"); err != nil {
		t.Fatal(err)
	}
	if got := env.clock.Sleeps(); !slices.Equal(got, []time.Duration{5 * time.Second}) {
		t.Errorf("sleeps %v, want [5s]", got)
	}
}

// TestConcurrentUse runs many goroutines over several locations on one
// client (run with -race): every call succeeds and reaches the server once.
func TestConcurrentUse(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.inc()
		okAnswer(w, r)
	}))
	const goroutines, calls = 40, 10
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := range goroutines {
		l := env.client.Location(fmt.Sprint("loc-", g%5), fmt.Sprint("token-", g%5))
		wg.Go(func() {
			for range calls {
				if _, err := l.GetAgent(context.Background(), "ag1"); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if hits.get() != goroutines*calls {
		t.Errorf("%d requests, want %d", hits.get(), goroutines*calls)
	}
}

// TestDeleteRetryFindsItGone: a DELETE whose answer was lost is retried; the
// retry's "not found" means the first attempt worked.
func TestDeleteRetryFindsItGone(t *testing.T) {
	notFound := errBody(400, "No Agent found for the id: ag1")
	tests := []struct {
		name         string
		first        int // 0: delete, then hang up; else this status
		wantErr      bool
		wantAttempts int
	}{
		{"dropped answer, then not found: success", 0, false, 2},
		{"500, then not found: success", 500, false, 2},
		{"429, then not found: the 429 did nothing", 429, true, 2},
		{"not found at once: error", 400, true, 1},
	}
	for _, tt := range tests {
		for name, call := range map[string]func(context.Context, *Location) error{
			"agent":  func(ctx context.Context, l *Location) error { return l.DeleteAgent(ctx, "ag1") },
			"action": func(ctx context.Context, l *Location) error { return l.DeleteAction(ctx, "ag1", "ac1") },
		} {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				var hits counter
				env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					switch n := hits.inc(); {
					case n == 1 && tt.first == 0:
						hangUp(t, w, r)
					case n == 1 && tt.first != 400:
						writeJSON(w, tt.first, errBody(tt.first, "failure"))
					default:
						writeJSON(w, 400, notFound)
					}
				}))
				err := call(context.Background(), env.loc)
				if (err != nil) != tt.wantErr {
					t.Errorf("error %v, want error: %v", err, tt.wantErr)
				}
				if tt.wantErr && !IsNotFound(err) {
					t.Errorf("error %v, want not found", err)
				}
				if hits.get() != tt.wantAttempts {
					t.Errorf("%d attempts, want %d", hits.get(), tt.wantAttempts)
				}
			})
		}
	}
}
