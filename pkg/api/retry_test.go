package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// idempotentCalls are one call per idempotent method.
var idempotentCalls = map[string]func(context.Context, *Location) error{
	"GET": func(ctx context.Context, l *Location) error { _, err := l.GetAgent(ctx, "ag1"); return err },
	"PUT": func(ctx context.Context, l *Location) error {
		_, err := l.UpdateAgent(ctx, "ag1", AgentSettings{Name: "x"})
		return err
	},
	"PATCH": func(ctx context.Context, l *Location) error {
		return l.UpdateFollowupSettings(ctx, "ag1", FollowupSettingsUpdate{ActionIDs: []string{"ac1"}})
	},
	"DELETE": func(ctx context.Context, l *Location) error { return l.DeleteAgent(ctx, "ag1") },
}

// okAnswer answers any endpoint with a body every decoder accepts.
func okAnswer(w http.ResponseWriter, r *http.Request) {
	body := agentJSON("ag1", "x")
	body["success"] = true
	body["data"] = map[string]any{"id": "ac1"}
	writeJSON(w, 200, body)
}

// failing answers failures[i] to request i, then okAnswer. A status of 0
// hangs up without answering.
func failing(t *testing.T, hits *counter, failures ...int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.inc()
		if n > len(failures) {
			okAnswer(w, r)
			return
		}
		if failures[n-1] == 0 {
			hangUp(t, w, r)
			return
		}
		writeJSON(w, failures[n-1], errBody(failures[n-1], "failure"))
	})
}

func TestRetriesIdempotent(t *testing.T) {
	failures := []struct {
		name     string
		failures []int
	}{
		{"5xx", []int{500, 502, 503, 504}},
		{"429", []int{429, 429}},
		{"dropped connection", []int{0, 0}},
	}
	for method, call := range idempotentCalls {
		for _, f := range failures {
			t.Run(method+"/"+f.name, func(t *testing.T) {
				var hits counter
				env := newTestEnv(t, failing(t, &hits, f.failures...))
				if err := call(context.Background(), env.loc); err != nil {
					t.Fatalf("call: %v", err)
				}
				if want := len(f.failures) + 1; hits.get() != want {
					t.Errorf("%d attempts, want %d", hits.get(), want)
				}
				if got := len(env.clock.Sleeps()); got != len(f.failures) {
					t.Errorf("%d backoff sleeps, want %d", got, len(f.failures))
				}
			})
		}
	}
}

// TestBackoffGrowsAndGivesUp checks the exponential sleeps (jitter at its top)
// and that the last error is returned after MaxRetries retries.
func TestBackoffGrowsAndGivesUp(t *testing.T) {
	var hits counter
	env := newTestEnv(t, failing(t, &hits, 503, 503, 503, 503, 503, 503, 503), func(o *Options) {
		o.MaxRetries = 4
		o.MinBackoff = 100 * time.Millisecond
		o.MaxBackoff = 500 * time.Millisecond
	})
	_, err := env.loc.GetAgent(context.Background(), "ag1")
	var e *Error
	if !errors.As(err, &e) || e.Status != 503 {
		t.Fatalf("error %v, want the 503", err)
	}
	if hits.get() != 5 {
		t.Errorf("%d attempts, want 5", hits.get())
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond}
	if got := env.clock.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("sleeps %v, want %v", got, want)
	}
}

func TestNoRetry(t *testing.T) {
	tests := []struct {
		name   string
		status int
		edit   func(*Options)
	}{
		{"501 not implemented", 501, nil},
		{"400", 400, nil},
		{"401", 401, nil},
		{"403", 403, nil},
		{"422", 422, nil},
		{"retries disabled", 503, func(o *Options) { o.MaxRetries = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			var edits []func(*Options)
			if tt.edit != nil {
				edits = append(edits, tt.edit)
			}
			env := newTestEnv(t, failing(t, &hits, tt.status, tt.status), edits...)
			_, err := env.loc.GetAgent(context.Background(), "ag1")
			var e *Error
			if !errors.As(err, &e) || e.Status != tt.status {
				t.Fatalf("error %v, want status %d", err, tt.status)
			}
			if hits.get() != 1 {
				t.Errorf("%d attempts, want 1", hits.get())
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := newFakeClock().Now()
	tests := []struct {
		name       string
		retryAfter string
		wantSleep  time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"http date", now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{"absent: backoff only", "", 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.inc() == 1 {
					if tt.retryAfter != "" {
						w.Header().Set("Retry-After", tt.retryAfter)
					}
					writeJSON(w, 429, errBody(429, "Too many requests"))
					return
				}
				okAnswer(w, r)
			}))
			if _, err := env.loc.GetAgent(context.Background(), "ag1"); err != nil {
				t.Fatalf("GetAgent: %v", err)
			}
			if got := env.clock.Sleeps(); !slices.Equal(got, []time.Duration{tt.wantSleep}) {
				t.Errorf("sleeps %v, want [%v]", got, tt.wantSleep)
			}
			if hits.get() != 2 {
				t.Errorf("%d attempts, want 2", hits.get())
			}
		})
	}
}

// TestRetryAfterHoldsTheLocation checks that a Retry-After also pauses other
// requests of the same location, and not those of another location.
func TestRetryAfterHoldsTheLocation(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.inc() == 1 {
			w.Header().Set("Retry-After", "20")
			writeJSON(w, 429, errBody(429, "Too many requests"))
			return
		}
		okAnswer(w, r)
	}), func(o *Options) { o.MaxRetries = -1 })
	ctx := context.Background()
	if _, err := env.loc.GetAgent(ctx, "ag1"); !IsRateLimited(err) {
		t.Fatalf("first call: %v, want rate limited", err)
	}
	other := env.client.Location("loc-2", "other-token")
	if _, err := other.GetAgent(ctx, "ag1"); err != nil {
		t.Fatalf("other location: %v", err)
	}
	if got := env.clock.Sleeps(); len(got) != 0 {
		t.Errorf("other location slept %v", got)
	}
	if _, err := env.loc.GetAgent(ctx, "ag1"); err != nil {
		t.Fatalf("same location: %v", err)
	}
	if got := env.clock.Sleeps(); !slices.Equal(got, []time.Duration{20 * time.Second}) {
		t.Errorf("sleeps %v, want [20s]", got)
	}
}

// TestRetryAfterTooLong checks that a Retry-After beyond the client's patience
// (a spent daily cap) ends the call at once with the 429.
func TestRetryAfterTooLong(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.inc()
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 429, errBody(429, "daily limit"))
	}))
	_, err := env.loc.GetAgent(context.Background(), "ag1")
	if !IsRateLimited(err) {
		t.Fatalf("error %v, want rate limited", err)
	}
	if hits.get() != 1 || len(env.clock.Sleeps()) != 0 {
		t.Errorf("%d attempts, sleeps %v; want 1 attempt, no sleep", hits.get(), env.clock.Sleeps())
	}
}

func TestRateLimitedAfterRetries(t *testing.T) {
	var hits counter
	env := newTestEnv(t, failing(t, &hits, 429, 429, 429, 429), func(o *Options) { o.MaxRetries = 2 })
	_, err := env.loc.GetAgent(context.Background(), "ag1")
	if !IsRateLimited(err) {
		t.Fatalf("error %v, want rate limited", err)
	}
	if hits.get() != 3 {
		t.Errorf("%d attempts, want 3", hits.get())
	}
}

// TestPOST covers when a create is and is not retried.
func TestPOST(t *testing.T) {
	tests := []struct {
		name          string
		failures      []int
		wantAttempts  int
		wantAmbiguous bool
		wantStatus    int // status of the *Error inside the error; 0 means success
	}{
		{"429 is retried: the server did not act", []int{429, 429}, 3, false, 0},
		{"500 is ambiguous", []int{500}, 1, true, 500},
		{"503 is ambiguous", []int{503}, 1, true, 503},
		{"connection closed after the body is ambiguous", []int{0}, 1, true, -1},
		{"422 is a plain error", []int{422}, 1, false, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			env := newTestEnv(t, failing(t, &hits, tt.failures...))
			_, err := env.loc.CreateAgent(context.Background(), AgentSettings{Name: "x"})
			if hits.get() != tt.wantAttempts {
				t.Errorf("%d requests reached the server, want %d", hits.get(), tt.wantAttempts)
			}
			if IsAmbiguous(err) != tt.wantAmbiguous {
				t.Errorf("IsAmbiguous(%v) = %v, want %v", err, !tt.wantAmbiguous, tt.wantAmbiguous)
			}
			var e *Error
			switch tt.wantStatus {
			case 0:
				if err != nil {
					t.Errorf("error %v, want success", err)
				}
			case -1:
				if err == nil || errors.As(err, &e) {
					t.Errorf("error %v, want a transport error", err)
				}
			default:
				if !errors.As(err, &e) || e.Status != tt.wantStatus {
					t.Errorf("error %v, want status %d inside", err, tt.wantStatus)
				}
			}
		})
	}
}

// TestCreateActionAmbiguous checks the other POST endpoint too.
func TestCreateActionAmbiguous(t *testing.T) {
	var hits counter
	env := newTestEnv(t, failing(t, &hits, 0, 0))
	_, err := env.loc.CreateAction(context.Background(), "ag1", ActionInput{Type: ActionStopBot, Name: "stop"})
	if !IsAmbiguous(err) || hits.get() != 1 {
		t.Errorf("err %v after %d requests; want ambiguous after 1", err, hits.get())
	}
}

// TestPOSTDialErrorRetried checks that a POST that never left (the dial
// failed) is retried: it cannot have reached the server.
func TestPOSTDialErrorRetried(t *testing.T) {
	var hits counter
	var dials atomic.Int32
	env := newTestEnv(t, failing(t, &hits), func(o *Options) {
		tr := o.HTTPClient.Transport.(*http.Transport).Clone()
		var d net.Dialer
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) <= 2 {
				return nil, errors.New("dial tcp: connection refused")
			}
			return d.DialContext(ctx, network, addr)
		}
		o.HTTPClient = &http.Client{Transport: tr}
	})
	a, err := env.loc.CreateAgent(context.Background(), AgentSettings{Name: "x"})
	if err != nil {
		t.Fatalf("CreateAgent: %v", err)
	}
	if a.ID != "ag1" || dials.Load() != 3 || hits.get() != 1 {
		t.Errorf("agent %q after %d dials and %d requests; want ag1, 3, 1", a.ID, dials.Load(), hits.get())
	}
}

// TestCancellation checks that a cancelled context stops the retry loop and
// an in-flight request.
func TestCancellation(t *testing.T) {
	t.Run("during backoff", func(t *testing.T) {
		var hits counter
		env := newTestEnv(t, failing(t, &hits, 503, 503, 503))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		env.clock.OnSleep(cancel)
		_, err := env.loc.GetAgent(ctx, "ag1")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if hits.get() != 1 {
			t.Errorf("%d attempts, want 1", hits.get())
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		var hits counter
		env := newTestEnv(t, failing(t, &hits))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := env.loc.GetAgent(ctx, "ag1"); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if hits.get() != 0 {
			t.Errorf("%d requests sent", hits.get())
		}
	})
	for _, tt := range []struct {
		name          string
		call          func(context.Context, *Location) error
		wantAmbiguous bool
	}{
		{"in flight GET", idempotentCalls["GET"], false},
		{"in flight POST", func(ctx context.Context, l *Location) error {
			_, err := l.CreateAgent(ctx, AgentSettings{Name: "x"})
			return err
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			arrived := make(chan struct{})
			release := make(chan struct{})
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.inc()
				_, _ = io.Copy(io.Discard, r.Body) // the request fully reached the server
				close(arrived)
				select {
				case <-r.Context().Done():
				case <-release:
				}
			}))
			t.Cleanup(func() { close(release) }) // runs before the server closes
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-arrived; cancel() }()
			err := tt.call(ctx, env.loc)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", err)
			}
			if IsAmbiguous(err) != tt.wantAmbiguous {
				t.Errorf("IsAmbiguous = %v, want %v (%v)", !tt.wantAmbiguous, tt.wantAmbiguous, err)
			}
			if hits.get() != 1 {
				t.Errorf("%d attempts, want 1", hits.get())
			}
		})
	}
}

// TestRetryPastDeadline checks that a retry the caller's deadline would cut
// short is not waited for.
func TestRetryPastDeadline(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.inc()
		w.Header().Set("Retry-After", "90")
		writeJSON(w, 429, errBody(429, "slow down"))
	}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := env.loc.GetAgent(ctx, "ag1")
	if !errors.Is(err, context.DeadlineExceeded) || !IsRateLimited(err) {
		t.Errorf("error %v, want deadline exceeded and rate limited", err)
	}
	if hits.get() != 1 || len(env.clock.Sleeps()) != 0 {
		t.Errorf("%d attempts, sleeps %v; want 1 attempt, no sleep", hits.get(), env.clock.Sleeps())
	}
}
