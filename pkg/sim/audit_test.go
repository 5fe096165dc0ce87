package sim_test

import (
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

func TestAudit(t *testing.T) {
	e := newEnv(t, sim.Options{})
	id := e.createAgent("a", nil)
	e.do("GET", "/conversation-ai/agents/search?limit=5&query=a", e.ro, nil).must(t, 200)
	e.bad("GET", "/conversation-ai/agents/"+id, "", nil).must(t, 401)
	e.bad("DELETE", "/conversation-ai/agents/"+id, e.ro, nil).must(t, 401)
	want := []sim.AuditEntry{
		{Method: "POST", Path: "/conversation-ai/agents", Status: 201, Location: loc},
		{Method: "GET", Path: "/conversation-ai/agents/search", Query: "limit=5&query=a", Status: 200, Location: loc},
		{Method: "GET", Path: "/conversation-ai/agents/" + id, Status: 401},
		{Method: "DELETE", Path: "/conversation-ai/agents/" + id, Status: 401, Location: loc},
	}
	got := e.s.Audit()
	if len(got) != len(want) {
		t.Fatalf("audit has %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		if g.Time.IsZero() {
			t.Errorf("entry %d has no time", i)
		}
		g.Time = want[i].Time
		if g != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, g, want[i])
		}
	}
	got[0].Method = "changed"
	if e.s.Audit()[0].Method != "POST" {
		t.Error("Audit must return a copy")
	}
	e.s.ResetAudit()
	if n := len(e.s.Audit()); n != 0 {
		t.Errorf("after ResetAudit: %d entries", n)
	}
}
