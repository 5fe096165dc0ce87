package highlevel_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/value"
)

// duplicates counts the agents and actions a location holds beyond one per
// name.
func duplicates(s *sim.Server, locs []string) int {
	n := 0
	for _, loc := range locs {
		names := map[string]bool{}
		for _, a := range s.AgentsOf(loc) {
			if names[a.Name] {
				n++
			}
			names[a.Name] = true
			acts := map[string]bool{}
			for _, act := range a.Actions {
				if acts[act.Name] {
					n++
				}
				acts[act.Name] = true
			}
		}
	}
	return n
}

// TestRacingAppliesConverge runs two applies of the same manifests at once
// (a CI run and a laptop; two merges), each from its own plan made before
// either wrote anything. The service has no lock and no idempotency key, so
// both create every agent and action; each writer's convergence after its
// creates keeps the oldest object of a name and removes its own younger
// twin. Whatever a pathological interleaving leaves, one more apply removes
// it (the plan deletes twins), and a plan then shows no changes.
func TestRacingAppliesConverge(t *testing.T) {
	const locations, agents = 20, 3
	for trial := range 2 {
		sb := newSandbox(t, sim.Options{RateLimit: -1, Latency: time.Millisecond})
		set := genSet("race", locations, agents)
		sb.mint(set)
		var ids []string
		for _, l := range set.Locations {
			ids = append(ids, l.ID)
		}
		plans := []*plan.Plan{sb.plan(t, set), sb.plan(t, set)}
		reports := make([]*apply.Report, 2)
		var wg sync.WaitGroup
		for i, p := range plans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reports[i] = apply.Apply(context.Background(), p, sb.writers, apply.Options{Parallelism: 8})
			}()
		}
		wg.Wait()
		for i, r := range reports {
			for _, l := range r.Targets {
				// A racing apply may be refused as stale (the other wrote
				// first) or fail on a twin that differs mid-way; it never
				// leaves what it cannot account for.
				if l.Outcome == apply.TargetFailed && !strings.Contains(l.Error, "now have this name") {
					t.Errorf("trial %d apply %d: location %s: %s", trial, i, l.ID, l.Error)
				}
			}
		}
		left := duplicates(sb.s, ids)
		adopted, stale := 0, 0
		for _, r := range reports {
			stale += r.Counts.StaleTargets
			for _, l := range r.Targets {
				for _, s := range l.Steps {
					if s.Adopted {
						adopted++
					}
				}
			}
		}
		t.Logf("trial %d: %d creates converged on the other writer's object, %d locations refused as stale, %d duplicates left",
			trial, adopted, stale, left)

		again := sb.plan(t, set)
		if errs := planErrors(again); len(errs) > 0 {
			t.Fatalf("trial %d: plan after the race: %v", trial, errs)
		}
		if err := again.CheckSafety(plan.SafetyOptions{}); err != nil {
			t.Fatalf("trial %d: removing twins must pass the default guards: %v", trial, err)
		}
		requireApplied(t, apply.Apply(context.Background(), again, sb.writers, apply.Options{}))
		if n := duplicates(sb.s, ids); n != 0 {
			t.Fatalf("trial %d: %d duplicates after one more apply", trial, n)
		}
		requireNoChanges(t, sb.plan(t, set))
	}
}

// TestPlanRemovesTwins: two live agents (and two actions) with a declared
// name that equal the declaration are what racing applies leave; the plan
// deletes the younger ones (duplicateOf the oldest), with no prune and past
// the mass-delete guard. A namesake that differs fails the location with
// the ways out.
func TestPlanRemovesTwins(t *testing.T) {
	sb := newSandbox(t, sim.Options{RateLimit: -1})
	set := genSet("twin", 1, 2)
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))
	loc := set.Locations[0].ID
	w := sb.client.Location(loc, sb.token(loc))
	ctx := context.Background()
	// A twin of "Agent 0" with a twin of its "stop" action, and a twin of
	// "Agent 1"'s "stop" action.
	first := sb.s.AgentsOf(loc)
	var agent0 sim.AgentState
	for _, a := range first {
		if a.Name == "Agent 0" {
			agent0 = a
		}
	}
	twin, err := w.CreateAgent(ctx, settingsOf(agent0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateAction(ctx, twin.ID, api.ActionInput{Type: api.ActionStopBot, Name: "stop", Details: stopDetails()}); err != nil {
		t.Fatal(err)
	}
	p := sb.plan(t, set)
	if errs := planErrors(p); len(errs) > 0 {
		t.Fatal(errs)
	}
	var dupes []plan.Change
	for _, c := range p.Targets[0].Changes {
		if c.DuplicateOf != "" {
			dupes = append(dupes, c)
		}
	}
	if len(dupes) != 1 || dupes[0].ID != twin.ID || dupes[0].DuplicateOf != agent0.ID || dupes[0].Op != plan.OpDelete {
		t.Fatalf("twin deletes %+v, want the younger agent %s as a duplicate of %s", dupes, twin.ID, agent0.ID)
	}
	if err := p.CheckSafety(plan.SafetyOptions{}); err != nil {
		t.Fatalf("a twin delete needs no prune and passes the guards: %v", err)
	}
	requireApplied(t, apply.Apply(ctx, p, sb.writers, apply.Options{}))
	requireNoChanges(t, sb.plan(t, set))

	// A namesake that differs is not a twin: the location fails, naming both
	// ids and the way out.
	other := settingsOf(agent0)
	other.Goal = ptr("Something else entirely.")
	stranger, err := w.CreateAgent(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	p = sb.plan(t, set)
	e := p.Targets[0].Error
	for _, want := range []string{agent0.ID, stranger.ID, "pin the one to keep with `id: <id>`"} {
		if !strings.Contains(e, want) {
			t.Errorf("error %q lacks %q", e, want)
		}
	}
}

// settingsOf is the settings a sandbox agent was created with.
func settingsOf(a sim.AgentState) api.AgentSettings {
	s := api.AgentSettings{Name: a.Name, Channels: a.Channels}
	s.Mode, s.Personality, s.Goal, s.Instructions = ptr(a.Mode), ptr(a.Personality), ptr(a.Goal), ptr(a.Instructions)
	return s
}

// TestApplyConvergesAfterItsCreate: another writer created the same agent
// just before this create took effect; the oldest stays, this run deletes
// its own and adopts the other's.
func TestApplyConvergesAfterItsCreate(t *testing.T) {
	f := &fakeAPI{}
	c := createAgent("Desk")
	var other string
	f.fail = func(call string) error {
		if call == "CreateAgent Desk" && other == "" {
			var s api.AgentSettings
			_ = value.Decode(c.After, &s)
			other = f.addAgent(s).agent.ID // the racing writer's, older
		}
		return nil
	}
	r := apply.Apply(context.Background(), oneLocation("loc", c), fleet{"loc": f}.connect, apply.Options{})
	s := r.Targets[0].Steps[0]
	if s.Outcome != apply.StepCreated || s.NewID != other || !s.Adopted {
		t.Fatalf("step %+v, want the other writer's %s adopted", s, other)
	}
	if len(f.agents) != 1 || f.agents[0].agent.ID != other || f.count("DeleteAgent") != 1 {
		t.Fatalf("agents %d (first %s), deletes %d: want ours deleted", len(f.agents), f.agents[0].agent.ID, f.count("DeleteAgent"))
	}
}
