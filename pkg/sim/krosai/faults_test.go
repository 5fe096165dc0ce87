package krosai_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
)

// TestKrosAIFaults: injected faults hit KrosAI paths with KrosAI's error
// shape (the contract recorder checks every answer), and the audit log
// names the account.
func TestKrosAIFaults(t *testing.T) {
	t.Run("5xx", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{Error5xx: 1}})
		seen := map[int]bool{}
		for range 30 {
			r := e.do("GET", "/v1/agents", e.key, nil)
			if r.status != 500 && r.status != 502 && r.status != 503 {
				t.Fatalf("status %d, want 500/502/503", r.status)
			}
			if d := r.detail(t); d != http.StatusText(r.status) {
				t.Errorf("detail %q", d)
			}
			seen[r.status] = true
		}
		if len(seen) != 3 {
			t.Errorf("30 injected errors used only %v", seen)
		}
		last := e.s.Audit()[len(e.s.Audit())-1]
		if last.Fault != sim.Fault5xx || last.Account != acme || last.Location != "" {
			t.Errorf("audit %+v", last)
		}
	})
	t.Run("429", func(t *testing.T) {
		e := newEnv(t, sim.Options{Faults: sim.Faults{RateLimit429: 1}})
		r := e.do("POST", "/v1/knowledge-bases", e.key, map[string]any{"name": "FAQ"}).must(t, 429)
		if r.header.Get("Retry-After") != "1" || !strings.Contains(r.detail(t), "Rate limit exceeded") {
			t.Errorf("429: headers %v body %s", r.header, r.raw)
		}
		e.s.SetFaults(sim.Faults{})
		if l := e.do("GET", "/v1/knowledge-bases", e.key, nil).list(t); len(l) != 0 {
			t.Errorf("a refused create stored %v", l)
		}
	})
	send := func(e *env, method, path, body string) error {
		req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.key)
		req.Header.Set("Content-Type", "application/json")
		res, err := e.ts.Client().Do(req)
		if err == nil {
			res.Body.Close()
		}
		return err
	}
	t.Run("reset", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.s.SetFaults(sim.Faults{Reset: 1})
		if err := send(e, "POST", "/v1/agents", `{"name":"x"}`); err == nil {
			t.Fatal("got an answer, want a connection error")
		}
		a := e.s.Audit()
		if len(a) != 1 || a[0].Status != 0 || a[0].Fault != sim.FaultReset || a[0].Account != acme {
			t.Errorf("audit %+v", a)
		}
		e.s.SetFaults(sim.Faults{})
		if l := e.do("GET", "/v1/agents", e.key, nil).list(t); len(l) != 0 {
			t.Errorf("a reset request created %v", ids(l))
		}
	})
	t.Run("drop commits the write", func(t *testing.T) {
		e := newEnv(t, sim.Options{})
		e.s.SetFaults(sim.Faults{Drop: 1})
		e.do("GET", "/v1/agents", e.key, nil).must(t, 200) // reads are not dropped
		if err := send(e, "POST", "/v1/agents", `{"name":"dropped"}`); err == nil {
			t.Fatal("got an answer, want a connection error")
		}
		last := e.s.Audit()[len(e.s.Audit())-1]
		if last.Status != 0 || last.Fault != sim.FaultDrop || last.Method != "POST" || last.Account != acme {
			t.Errorf("audit %+v", last)
		}
		e.s.SetFaults(sim.Faults{})
		if l := e.do("GET", "/v1/agents", e.key, nil).list(t); len(l) != 1 || l[0]["name"] != "dropped" {
			t.Errorf("dropped create left %v, want it committed", l)
		}
	})
	t.Run("latency", func(t *testing.T) {
		e := newEnv(t, sim.Options{Latency: 30 * time.Millisecond})
		start := time.Now()
		e.do("GET", "/v1/agents", e.key, nil).must(t, 200)
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Errorf("request took %v, want at least the 30ms latency", d)
		}
	})
}

// TestKrosAIRateLimit: each account has its own window; a 429 carries
// Retry-After and {"detail"}, and no rate-limit headers (none are
// documented).
func TestKrosAIRateLimit(t *testing.T) {
	e := newEnv(t, sim.Options{RateLimit: 2, RateWindow: 10 * time.Second})
	get := func(key string) resp { return e.do("GET", "/v1/agents", key, nil) }
	for range 2 {
		if r := get(e.key).must(t, 200); r.header.Get("X-RateLimit-Max") != "" {
			t.Errorf("KrosAI answer carries HighLevel's rate headers: %v", r.header)
		}
	}
	r := get(e.key).must(t, 429)
	if ra := r.header.Get("Retry-After"); ra != "10" || r.detail(t) != "Rate limit exceeded: retry in 10 s" {
		t.Errorf("429: Retry-After %q, body %s", ra, r.raw)
	}
	get(e.other).must(t, 200) // another account has its own window
	e.clock.Advance(10 * time.Second)
	get(e.key).must(t, 200)
}

// TestKrosAIAudit: the audit log records KrosAI requests with their
// account, and nothing of their bodies or answers (no room token).
func TestKrosAIAudit(t *testing.T) {
	e := newEnv(t, sim.Options{})
	agent := e.createAgent(e.key, map[string]any{"name": "Support"})
	e.createConversation(e.key, agent)
	e.bad("GET", "/v1/agents", "", nil).must(t, 401)
	e.bad("GET", "/v1/nothing", e.other, nil).must(t, 404)
	var got []sim.AuditEntry
	for _, a := range e.s.Audit() {
		a.Time = time.Time{}
		got = append(got, a)
	}
	want := []sim.AuditEntry{
		{Method: "POST", Path: "/v1/agents", Status: 200, Account: acme},
		{Method: "POST", Path: "/v1/conversations", Status: 200, Account: acme},
		{Method: "GET", Path: "/v1/agents", Status: 401},
		{Method: "GET", Path: "/v1/nothing", Status: 404, Account: other},
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit\n%+v\nwant\n%+v", got, want)
	}
}
