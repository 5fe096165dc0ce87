package sim_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
)

func TestRateLimit(t *testing.T) {
	clock := newClock()
	e := newEnv(t, sim.Options{RateLimit: 3, RateWindow: 10 * time.Second, DailyLimit: 5, Now: clock.Now})
	get := func() resp { return e.do("GET", "/conversation-ai/agents/search", e.ro, nil) }
	for i := 1; i <= 3; i++ {
		r := get().must(t, 200)
		want := map[string]string{
			"X-RateLimit-Max": "3", "X-RateLimit-Remaining": itoa(3 - i),
			"X-RateLimit-Interval-Milliseconds": "10000",
			"X-RateLimit-Limit-Daily":           "5", "X-RateLimit-Daily-Remaining": itoa(5 - i),
		}
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
	r := get().must(t, 429)
	if ra := r.header.Get("Retry-After"); ra != "10" {
		t.Errorf("Retry-After %q, want 10 (the rest of the window)", ra)
	}
	if r.header.Get("X-RateLimit-Remaining") != "0" || r.body["statusCode"] != 429.0 {
		t.Errorf("429 answer: headers %v body %s", r.header, r.raw)
	}
	// Another location has its own window.
	other := e.rwToken("LocOTHERxxxxxxxxxxxx")
	e.do("GET", "/conversation-ai/agents/search", other, nil).must(t, 200)

	clock.Advance(10 * time.Second)
	get().must(t, 200)
	get().must(t, 200)
	// Daily cap (5) reached although the window has room.
	clock.Advance(10 * time.Second)
	r = get().must(t, 429)
	if r.header.Get("X-RateLimit-Daily-Remaining") != "0" {
		t.Errorf("daily remaining %q, want 0", r.header.Get("X-RateLimit-Daily-Remaining"))
	}
	if ra := r.header.Get("Retry-After"); ra == "" || ra == "1" || ra == "10" {
		t.Errorf("Retry-After %q should run to the next UTC day", ra)
	}
	clock.Advance(24 * time.Hour)
	get().must(t, 200)
}

func TestRateLimitDisabled(t *testing.T) {
	e := newEnv(t, sim.Options{RateLimit: -1})
	for range 150 {
		e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
