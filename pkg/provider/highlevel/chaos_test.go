package highlevel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/sim"
)

// TestChaos applies 100 locations (5 agents × 4 actions, a transfer and a
// follow-up each) while the sandbox fails 10% of requests with 5xx, 5% with
// 429, drops 3% of writes after committing them and resets 2% of
// connections. Apply is re-run (plan, then apply) at most 3 times; then, with
// faults off, the plan must be empty, no agent or action may exist twice,
// the undeclared agents seeded first must survive, and no token may appear in
// any output.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("chaos test skipped in -short mode")
	}
	start := time.Now()
	const locations, agents = 100, 5
	// newSandbox gives the client a fake clock: backoff and the injected
	// 429s' Retry-After cost no real time.
	sb := newSandbox(t, sim.Options{Seed: 42, RateLimit: -1})
	set := genSet("chaos", locations, agents)
	sb.mint(set)

	// Agents no manifest declares, in every tenth location (prune is off).
	undeclared := map[string]string{}
	for i := 0; i < locations; i += 10 {
		id := set.Locations[i].ID
		a, err := sb.client.Location(id, sb.token(id)).CreateAgent(context.Background(),
			api.AgentSettings{Name: "Hand Made", Personality: ptr("p"), Goal: ptr("g"), Instructions: ptr("i")})
		if err != nil {
			t.Fatal(err)
		}
		undeclared[id] = a.ID
	}

	sb.s.SetFaults(sim.Faults{Error5xx: 0.10, RateLimit429: 0.05, Drop: 0.03, Reset: 0.02})
	var out strings.Builder
	runs, adopted := 0, 0
	for runs < 3 {
		p, err := plan.Make(context.Background(), manifests(t, set), sb.readers, plan.Options{Parallelism: locations})
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		writeJSON(t, &out, p)
		if !p.HasChanges() && len(planErrors(p)) == 0 {
			break
		}
		runs++
		r := apply.Apply(context.Background(), p, sb.writers, apply.Options{Parallelism: locations, Progress: apply.LineProgress{W: &out}})
		if err := apply.RenderText(&out, r); err != nil {
			t.Fatal(err)
		}
		writeJSON(t, &out, r)
		for _, l := range r.Targets {
			for _, s := range l.Steps {
				if s.Adopted {
					adopted++
				}
				if s.Outcome == apply.StepFailed {
					t.Logf("run %d: location %s: %s", runs, l.ID, s.Error)
				}
			}
		}
		t.Logf("run %d: %s (%d failed, %d stale locations)", runs, apply.Summary(r), r.Counts.FailedTargets, r.Counts.StaleTargets)
	}
	faults := map[string]int{}
	for _, e := range sb.s.Audit() {
		if e.Fault != "" {
			faults[e.Fault]++
		}
	}
	sb.s.SetFaults(sim.Faults{})

	requireNoChanges(t, sb.plan(t, set))
	checkNoDuplicates(t, sb.s, locationIDs(set))
	for loc, id := range undeclared {
		found := false
		for _, a := range sb.s.AgentsOf(loc) {
			found = found || a.ID == id
		}
		if !found {
			t.Errorf("location %s: undeclared agent %s was deleted", loc, id)
		}
	}
	for _, tok := range sb.tokens {
		if strings.Contains(out.String(), tok) {
			t.Fatalf("a token appears in the output")
		}
	}
	if faults["drop"] == 0 || faults["5xx"] == 0 || faults["429"] == 0 || faults["reset"] == 0 {
		t.Errorf("faults injected: %v", faults)
	}
	t.Logf("%d apply runs, faults %v, %d creates adopted after a lost answer, %v", runs, faults, adopted, time.Since(start).Round(time.Millisecond))
}

func writeJSON(t testing.TB, b *strings.Builder, v any) {
	t.Helper()
	enc := json.NewEncoder(b)
	if err := enc.Encode(v); err != nil {
		t.Fatal(fmt.Errorf("encode: %w", err))
	}
}
