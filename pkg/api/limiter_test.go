package api

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestLimiterPacing uses a limiter of 1 request per second with a burst of 2:
// the first two requests pass at once, the next ones wait one second each.
func TestLimiterPacing(t *testing.T) {
	env := newTestEnv(t, http.HandlerFunc(okAnswer), func(o *Options) {
		o.RateLimit = 1
		o.RateBurst = 2
	})
	ctx := context.Background()
	for i := range 4 {
		if _, err := env.loc.GetAgent(ctx, "ag1"); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	want := []time.Duration{time.Second, time.Second}
	if got := env.clock.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("limiter waits %v, want %v", got, want)
	}
	// Another location has its own bucket.
	if _, err := env.client.Location("loc-2", "t2").GetAgent(ctx, "ag1"); err != nil {
		t.Fatal(err)
	}
	if got := env.clock.Sleeps(); len(got) != 2 {
		t.Errorf("another location waited: %v", got)
	}
}

// TestDefaultLimiter checks the documented default: a burst of 100, then one
// request per 100 ms.
func TestDefaultLimiter(t *testing.T) {
	env := newTestEnv(t, http.HandlerFunc(okAnswer))
	ctx := context.Background()
	for i := range 101 {
		if _, err := env.loc.GetAgent(ctx, "ag1"); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	want := []time.Duration{100 * time.Millisecond}
	if got := env.clock.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

// TestServerRateLimitHeaders checks that X-RateLimit-Remaining: 0 holds the
// location for X-RateLimit-Interval-Milliseconds.
func TestServerRateLimitHeaders(t *testing.T) {
	tests := []struct {
		name      string
		remaining string
		interval  string
		want      []time.Duration
	}{
		{"remaining 0 waits the interval", "0", "10000", []time.Duration{10 * time.Second}},
		{"remaining 0 without interval waits 10s", "0", "", []time.Duration{10 * time.Second}},
		{"remaining left: no wait", "3", "10000", nil},
		{"no headers: no wait", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits counter
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.inc() == 1 {
					if tt.remaining != "" {
						w.Header().Set("X-RateLimit-Remaining", tt.remaining)
					}
					if tt.interval != "" {
						w.Header().Set("X-RateLimit-Interval-Milliseconds", tt.interval)
					}
				}
				okAnswer(w, r)
			}))
			ctx := context.Background()
			for range 2 {
				if _, err := env.loc.GetAgent(ctx, "ag1"); err != nil {
					t.Fatal(err)
				}
			}
			if got := env.clock.Sleeps(); !slices.Equal(got, tt.want) {
				t.Errorf("waits %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLimiterCancelled checks that a wait for the limiter ends with the context.
func TestLimiterCancelled(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.inc()
		okAnswer(w, r)
	}), func(o *Options) { o.RateLimit = 0.001; o.RateBurst = 1 })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := env.loc.GetAgent(ctx, "ag1"); err != nil {
		t.Fatal(err)
	}
	env.clock.OnSleep(cancel)
	if _, err := env.loc.GetAgent(ctx, "ag1"); err == nil {
		t.Fatal("no error from a cancelled wait")
	}
	if hits.get() != 1 {
		t.Errorf("%d requests, want 1", hits.get())
	}
}
