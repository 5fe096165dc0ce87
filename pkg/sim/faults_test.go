package sim_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		in      string
		want    sim.Faults
		wantErr string
	}{
		{"", sim.Faults{}, ""},
		{"5xx=0.1,429=0.05,drop=0.03,reset=0.02,truncated=0.01", sim.Faults{Error5xx: 0.1, RateLimit429: 0.05, Drop: 0.03, Reset: 0.02, Truncated: 0.01}, ""},
		{" drop = 1 ", sim.Faults{Drop: 1}, ""},
		{"5xx", sim.Faults{}, "want kind=share"},
		{"5xx=2", sim.Faults{}, "from 0 to 1"},
		{"5xx=-0.1", sim.Faults{}, "from 0 to 1"},
		{"slow=0.1", sim.Faults{}, "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := sim.ParseFaults(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
			if back, err := sim.ParseFaults(got.String()); err != nil || back != got {
				t.Errorf("String() %q does not round-trip: %+v, %v", got.String(), back, err)
			}
		})
	}
}

func TestParseRateLimit(t *testing.T) {
	tests := []struct {
		in     string
		limit  int
		window string
		ok     bool
	}{
		{"100/10s", 100, "10s", true},
		{"5/1m", 5, "1m0s", true},
		{"off", -1, "10s", true},
		{"100", 0, "", false},
		{"0/10s", 0, "", false},
		{"10/soon", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			limit, window, err := sim.ParseRateLimit(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("error %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (limit != tt.limit || window.String() != tt.window) {
				t.Errorf("got %d/%s, want %d/%s", limit, window, tt.limit, tt.window)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	t.Run("5xx", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{Error5xx: 1}})
		seen := map[int]bool{}
		for range 30 {
			r := e.do("GET", "/conversation-ai/agents/search", e.ro, nil)
			if r.status != 500 && r.status != 502 && r.status != 503 {
				t.Fatalf("status %d, want 500/502/503", r.status)
			}
			seen[r.status] = true
		}
		if len(seen) != 3 {
			t.Errorf("30 injected errors used only %v", seen)
		}
		if a := e.s.Audit(); a[len(a)-1].Fault != sim.Fault5xx {
			t.Errorf("audit fault %q", a[len(a)-1].Fault)
		}
	})
	t.Run("429", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{RateLimit429: 1}})
		r := e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 429)
		if r.header.Get("Retry-After") != "1" || r.header.Get("X-RateLimit-Max") != "100" {
			t.Errorf("headers %v", r.header)
		}
	})
	t.Run("reset", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.s.SetFaults(sim.Faults{Reset: 1})
		body := strings.NewReader(`{"name":"x","personality":"p","goal":"g","instructions":"i"}`)
		req, _ := http.NewRequest("POST", e.ts.URL+"/conversation-ai/agents", body)
		req.Header.Set("Authorization", "Bearer "+e.rw)
		req.Header.Set("Version", "2021-04-15")
		if res, err := e.ts.Client().Do(req); err == nil {
			res.Body.Close()
			t.Fatalf("got status %d, want a connection error", res.StatusCode)
		}
		if n := len(e.s.AgentsOf(loc)); n != 0 {
			t.Errorf("a reset request created %d agents", n)
		}
		a := e.s.Audit()
		if len(a) != 1 || a[0].Status != 0 || a[0].Fault != sim.FaultReset || a[0].Location != loc {
			t.Errorf("audit %+v", a)
		}
	})
	t.Run("drop commits the write", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.s.SetFaults(sim.Faults{Drop: 1})
		// Reads are not dropped.
		e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
		body := strings.NewReader(`{"name":"x","personality":"p","goal":"g","instructions":"i"}`)
		req, _ := http.NewRequest("POST", e.ts.URL+"/conversation-ai/agents", body)
		req.Header.Set("Authorization", "Bearer "+e.rw)
		req.Header.Set("Version", "2021-04-15")
		if res, err := e.ts.Client().Do(req); err == nil {
			res.Body.Close()
			t.Fatalf("got status %d, want a connection error", res.StatusCode)
		}
		if n := len(e.s.AgentsOf(loc)); n != 1 {
			t.Errorf("dropped create left %d agents, want 1 (committed)", n)
		}
		a := e.s.Audit()
		if last := a[len(a)-1]; last.Status != 0 || last.Fault != sim.FaultDrop || last.Method != "POST" {
			t.Errorf("audit %+v", last)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{Truncated: 1}})
		e.createAgent("a", nil)
		e.createAgent("b", nil)
		// The truncated answer breaks the contract on purpose: plain client.
		r := doWith(t, e.ts.Client(), e.ts.URL, "GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
		if _, has := r.body["agents"]; has {
			t.Errorf("truncated search still has agents: %s", r.raw)
		}
		if r.body["totalCount"] != 2.0 || r.body["count"] != 2.0 || r.str("traceId") == "" {
			t.Errorf("truncated search = %s", r.raw)
		}
	})
	t.Run("latency honours cancellation", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.s.SetLatency(time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the client is gone while the sandbox waits
		req := httptest.NewRequestWithContext(ctx, "GET", "/conversation-ai/agents/search", nil)
		req.Header.Set("Authorization", "Bearer "+e.ro)
		w := httptest.NewRecorder()
		e.s.ServeHTTP(w, req) // returns at once instead of after an hour
		if w.Body.Len() != 0 {
			t.Errorf("a cancelled request got an answer: %s", w.Body)
		}
		a := e.s.Audit()
		if len(a) != 1 || a[0].Fault != sim.FaultCanceled || a[0].Status != 0 {
			t.Errorf("audit %+v", a)
		}
	})
	t.Run("latency is added", func(t *testing.T) {
		e := newEnv(t, sim.Options{Latency: 30 * time.Millisecond})
		start := time.Now()
		e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Errorf("request took %v, want at least the 30ms latency", d)
		}
	})
}

// TestFaultsAreSeeded replays the same fault sequence from the same seed.
func TestFaultsAreSeeded(t *testing.T) {
	run := func(seed int64) []int {
		e := newEnv(t, sim.Options{Seed: seed, Faults: sim.Faults{Error5xx: 0.5}})
		var out []int
		for range 40 {
			out = append(out, e.do("GET", "/conversation-ai/agents/search", e.ro, nil).status)
		}
		return out
	}
	a, b, c := run(7), run(7), run(8)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if fmt.Sprint(a) == fmt.Sprint(c) {
		t.Errorf("different seeds gave the same 40 outcomes: %v", a)
	}
	ok := 0
	for _, s := range a {
		if s == 200 {
			ok++
		}
	}
	if ok < 8 || ok > 32 {
		t.Errorf("%d of 40 requests passed with a 0.5 error share", ok)
	}
}
