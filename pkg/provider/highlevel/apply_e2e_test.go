package highlevel_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/spec"
)

func TestE2EApplyThenPlanHasNoChanges(t *testing.T) {
	sets := map[string]func(t *testing.T) *spec.Set{
		"generated": func(t *testing.T) *spec.Set { return genSet("gen", 6, 5) },
		"examples": func(t *testing.T) *spec.Set {
			dir := filepath.Join("..", "..", "examples", "locations")
			if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
				t.Skip("no examples yet")
			}
			set, err := spec.Load(dir)
			if err != nil {
				t.Fatalf("load examples: %v", err)
			}
			return set
		},
	}
	for name, build := range sets {
		t.Run(name, func(t *testing.T) {
			set := build(t)
			sb := newSandbox(t, sim.Options{})
			sb.mint(set)
			p := sb.plan(t, set)
			if errs := planErrors(p); len(errs) > 0 {
				t.Fatalf("plan errors: %v", errs)
			}
			r := apply.Apply(context.Background(), p, sb.writers, apply.Options{})
			requireApplied(t, r)
			want := p.Count()
			if r.Counts.Created != want.Create || r.Counts.Updated != want.Update || r.Counts.Failed != 0 {
				t.Errorf("report counts %+v, plan counts %+v", r.Counts, want)
			}
			requireNoChanges(t, sb.plan(t, set))
			checkNoDuplicates(t, sb.s, locationIDs(set))
		})
	}
}

func TestE2ETransferReferencesResolveToIDs(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("ref", 1, 2)
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))

	// A new agent transferring to an existing, unchanged agent.
	set.Locations[0].Agents = append(set.Locations[0].Agents, genAgent("Agent 2", "Agent 0"))
	p := sb.plan(t, set)
	r := apply.Apply(context.Background(), p, sb.writers, apply.Options{})
	requireApplied(t, r)
	requireNoChanges(t, sb.plan(t, set))

	ids := map[string]string{}
	agents := sb.s.AgentsOf("ref0000")
	for _, a := range agents {
		ids[a.Name] = a.ID
	}
	for _, a := range agents {
		for _, act := range a.Actions {
			if act.Type != api.ActionTransferBot {
				continue
			}
			want := map[string]string{"Agent 0": ids["Agent 1"], "Agent 1": ids["Agent 0"], "Agent 2": ids["Agent 0"]}[a.Name]
			if act.Details["transferToBot"] != want {
				t.Errorf("%s transfers to %v, want %s", a.Name, act.Details["transferToBot"], want)
			}
		}
		for _, act := range a.Actions {
			if act.Name == "nudge" && act.Details["followupSettings"] == nil {
				t.Errorf("%s: follow-up settings missing", a.Name)
			}
		}
	}
}

func TestE2EEveryChangeKind(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("kind", 1, 3)
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))
	// An agent no manifest declares, pruned below.
	loc := sb.client.Location("kind0000", sb.token("kind0000"))
	if _, err := loc.CreateAgent(context.Background(), api.AgentSettings{Name: "Stray", Personality: ptr("p"), Goal: ptr("g"), Instructions: ptr("i")}); err != nil {
		t.Fatal(err)
	}

	l := set.Locations[0]
	l.Prune = true
	a0, a1, a2 := l.Agents[0], l.Agents[1], l.Agents[2]
	a0.Settings["mode"] = "suggestive"                                          // agent update
	a0.Actions[0].Details["finalMessage"] = "Take care."                        // action update
	a1.Actions[0] = &spec.Action{Name: "stop", Type: api.ActionTriggerWorkflow, // action replace (type change)
		Details: map[string]any{"workflowIds": []any{"wf1"}, "triggerCondition": "wants to stop"}}
	a2.Actions = a2.Actions[1:]                                 // action delete ("stop")
	a2.Followup.Settings["dynamicChannelSwitching"] = false     // follow-up update
	l.Agents = append(l.Agents, genAgent("Agent 3", "Agent 1")) // agent create, transfer to existing

	p := sb.plan(t, set)
	r := apply.Apply(context.Background(), p, sb.writers, apply.Options{})
	requireApplied(t, r)
	seen := map[string]bool{}
	for _, s := range r.Targets[0].Steps {
		seen[string(s.Op)+" "+string(s.Kind)+" "+string(s.Outcome)] = true
	}
	for _, want := range []string{
		"create agent created", "update agent updated", "delete agent deleted", "create action created",
		"update action updated", "replace action replaced", "delete action deleted", "update followup updated",
		"create followup created",
	} {
		if !seen[want] {
			t.Errorf("no step %q in %v", want, seen)
		}
	}
	requireNoChanges(t, sb.plan(t, set))
	for _, a := range sb.s.AgentsOf("kind0000") {
		if a.Name == "Stray" {
			t.Errorf("pruned agent still there")
		}
	}
}

func TestE2EStalePlanRefusedPerLocation(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("stale", 2, 2)
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))

	for _, l := range set.Locations {
		l.Agents[0].Settings["mode"] = "suggestive"
	}
	p := sb.plan(t, set)
	// Someone edits an agent of the first location by hand after planning.
	var stale sim.AgentState
	for _, a := range sb.s.AgentsOf("stale0000") {
		if a.Name == "Agent 0" {
			stale = a
		}
	}
	loc := sb.client.Location("stale0000", sb.token("stale0000"))
	live, err := loc.GetAgent(context.Background(), stale.ID)
	if err != nil {
		t.Fatal(err)
	}
	live.AgentSettings.Goal = ptr("changed by hand")
	if _, err := loc.UpdateAgent(context.Background(), stale.ID, live.AgentSettings); err != nil {
		t.Fatal(err)
	}
	sb.s.ResetAudit()

	r := apply.Apply(context.Background(), p, sb.writers, apply.Options{})
	first, second := r.Targets[0], r.Targets[1]
	want := `agent "Agent 0" (id ` + stale.ID + `) changed since the plan was made`
	if first.Outcome != apply.TargetStale || !strings.Contains(first.Error, "plan is stale: "+want) {
		t.Fatalf("first location %s: %s", first.Outcome, first.Error)
	}
	if second.Outcome != apply.TargetApplied || r.Counts.Updated != 1 {
		t.Fatalf("second location %s: %s (counts %+v)", second.Outcome, second.Error, r.Counts)
	}
	for _, e := range sb.s.Audit() {
		if e.Location == "stale0000" && e.Method != "GET" {
			t.Errorf("write in the stale location: %s %s", e.Method, e.Path)
		}
	}
	if !r.Stale() || r.Failed() {
		t.Errorf("Stale %v Failed %v", r.Stale(), r.Failed())
	}
}

func TestE2EFailingLocationAmongHealthyOnes(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("mix", 3, 2)
	sb.mint(set)
	readOnly := "mix0001"
	p := sb.plan(t, set)
	// The token of one location lacks the write scope.
	sb.tokens[readOnly] = mintReadOnly(t, sb.s, readOnly)
	r := apply.Apply(context.Background(), p, sb.writers, apply.Options{})

	for i, l := range r.Targets {
		if l.ID == readOnly {
			if l.Outcome != apply.TargetFailed || l.Steps[0].Outcome != apply.StepFailed || l.Steps[0].Status != 401 {
				t.Fatalf("read-only location: %s %s %+v", l.Outcome, l.Error, l.Steps[0])
			}
			if want := "check that HIGHLEVEL_TOKEN holds a valid token of location mix0001 with the conversation-ai.write scope"; !strings.Contains(l.Error, want) {
				t.Errorf("location error %q lacks the hint %q", l.Error, want)
			}
			// Steps already in flight fail the same way; no other starts.
			for _, s := range l.Steps[1:] {
				failed := s.Outcome == apply.StepFailed && s.Status == 401
				skipped := s.Outcome == apply.StepSkipped && strings.HasPrefix(s.Error, "not run: step ")
				if !failed && !skipped {
					t.Errorf("step %d: %s %q", s.Index, s.Outcome, s.Error)
				}
			}
			continue
		}
		if l.Outcome != apply.TargetApplied {
			t.Errorf("location %d %s: %s", i, l.Outcome, l.Error)
		}
	}
	b, _ := json.Marshal(r)
	var text strings.Builder
	_ = apply.RenderText(&text, r)
	for _, tok := range sb.tokens {
		if strings.Contains(string(b), tok) || strings.Contains(text.String(), tok) {
			t.Fatalf("token in the report")
		}
	}
	// The next run finishes the failed location once its token is fixed.
	sb.tokens[readOnly] = mintWrite(t, sb.s, readOnly)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))
	requireNoChanges(t, sb.plan(t, set))
}

func TestE2EInterruptThenRerunConverges(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("int", 4, 3)
	sb.mint(set)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rec := &stepRecorder{onStep: func(apply.StepResult) { cancel() }}
	p := sb.plan(t, set)
	r := apply.Apply(ctx, p, sb.writers, apply.Options{Parallelism: 2, Progress: rec})

	if !r.Interrupted || !r.Failed() {
		t.Fatalf("Interrupted %v", r.Interrupted)
	}
	done := 0
	for _, l := range r.Targets {
		if len(l.Steps) != len(p.Targets[0].Changes) {
			t.Fatalf("location %s: %d steps reported", l.ID, len(l.Steps))
		}
		for _, s := range l.Steps {
			switch s.Outcome {
			case apply.StepSkipped:
				if s.Error != reasonInterrupted {
					t.Errorf("skip reason %q", s.Error)
				}
			case apply.StepCreated:
				done++
			default:
				t.Errorf("step %s %q: %s", s.Outcome, s.Error, l.ID)
			}
		}
	}
	// Steps in flight when the callback cancelled finish: at most one per
	// location that had started (2 locations × StepParallelism 4).
	if done < 1 || done > 8 || done != len(rec.steps) {
		t.Errorf("%d steps done, %d reported to Progress", done, len(rec.steps))
	}
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))
	requireNoChanges(t, sb.plan(t, set))
	checkNoDuplicates(t, sb.s, locationIDs(set))
}

// dropFirstPost loses the answer of the first POST of a location (the write
// happens), then turns the fault off.
type dropFirstPost struct {
	highlevel.API
	s     *sim.Server
	armed bool
}

func (d *dropFirstPost) CreateAgent(ctx context.Context, in api.AgentSettings) (*api.Agent, error) {
	if d.armed {
		d.s.SetFaults(sim.Faults{Drop: 1})
		defer d.s.SetFaults(sim.Faults{})
		d.armed = false
	}
	return d.API.CreateAgent(ctx, in)
}

func TestE2EAmbiguousCreateAdoptedOnce(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("amb", 1, 2)
	sb.mint(set)
	p := sb.plan(t, set)
	connect := func(ctx context.Context, lp *plan.TargetPlan) (provider.Session, error) {
		w, err := sb.writers(ctx, lp)
		if err != nil {
			return nil, err
		}
		return &dropFirstPost{API: w.(highlevel.API), s: sb.s, armed: true}, nil
	}
	r := apply.Apply(context.Background(), p, connect, apply.Options{StepParallelism: 1})
	requireApplied(t, r)
	if s := r.Targets[0].Steps[0]; s.Kind != highlevel.KindAgent || !s.Adopted || s.Outcome != apply.StepCreated {
		t.Fatalf("first step %+v", s)
	}
	agents := sb.s.AgentsOf("amb0000")
	if len(agents) != 2 || len(agents[0].Actions) != 4 || len(agents[1].Actions) != 4 {
		t.Fatalf("agents %+v", agents)
	}
	posts := 0
	for _, e := range sb.s.Audit() {
		if e.Method == "POST" && e.Path == "/conversation-ai/agents" {
			posts++
		}
	}
	if posts != 2 {
		t.Errorf("%d agent POSTs for 2 agents, want 2", posts)
	}
	if r.Targets[0].Steps[1].Adopted {
		t.Errorf("second create adopted too")
	}
	requireNoChanges(t, sb.plan(t, set))
}

func mintReadOnly(t testing.TB, s *sim.Server, loc string) string {
	t.Helper()
	tok, err := s.MintToken(loc, api.ScopeReadonly)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func mintWrite(t testing.TB, s *sim.Server, loc string) string {
	t.Helper()
	tok, err := s.MintToken(loc, api.ScopeReadonly, api.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestE2EPinnedTwinOwnsItsNameForReferences: a hand-made agent shares the
// name of a declared one; the manifest pins the declared one with id:, and
// another agent transfers to that name. The pinned agent is the target.
func TestE2EPinnedTwinOwnsItsNameForReferences(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("twin", 1, 2)
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))
	var pinned string
	for _, a := range sb.s.AgentsOf("twin0000") {
		if a.Name == "Agent 1" {
			pinned = a.ID
		}
	}
	loc := sb.client.Location("twin0000", sb.token("twin0000"))
	p, g, i := "x", "y", "z"
	twin, err := loc.CreateAgent(context.Background(), api.AgentSettings{Name: "Agent 1", Personality: &p, Goal: &g, Instructions: &i})
	if err != nil {
		t.Fatal(err)
	}
	set.Locations[0].Agents[1].PinnedID = pinned
	// Change Agent 0's transfer so the plan must resolve "Agent 1" again.
	set.Locations[0].Agents[0].Actions[2].Details["transferBotType"] = "Custom"
	set.Locations[0].Agents[0].Actions[2].Details["transferBotExamples"] = []any{"sales please", "talk to sales"}
	set.Locations[0].Agents[0].Actions[2].Details["transferBotTriggerCondition"] = "asks for sales"
	pl := sb.plan(t, set)
	if errs := planErrors(pl); len(errs) > 0 {
		t.Fatalf("plan errors: %v", errs)
	}
	requireApplied(t, apply.Apply(context.Background(), pl, sb.writers, apply.Options{}))
	requireNoChanges(t, sb.plan(t, set))
	for _, a := range sb.s.AgentsOf("twin0000") {
		for _, act := range a.Actions {
			if a.Name == "Agent 0" && act.Name == "transfer" && act.Details["transferToBot"] != pinned {
				t.Errorf("Agent 0 transfers to %v, want the pinned %s (not the twin %s)", act.Details["transferToBot"], pinned, twin.ID)
			}
		}
	}
}

// TestE2ERenamedReferenceTargetIsStale is issue 15's staleness gap: the plan
// only reads the agent a new transfer names; renamed by hand before apply,
// the name would now point at the wrong agent. Apply re-reads every object
// a change refers to and refuses the location as stale, naming it.
func TestE2ERenamedReferenceTargetIsStale(t *testing.T) {
	sb := newSandbox(t, sim.Options{})
	set := genSet("stale", 1, 2)
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))

	set.Locations[0].Agents = append(set.Locations[0].Agents, genAgent("Agent 2", "Agent 0"))
	p := sb.plan(t, set)
	var target sim.AgentState
	for _, a := range sb.s.AgentsOf("stale0000") {
		if a.Name == "Agent 0" {
			target = a
		}
	}
	found := false
	for _, rd := range p.Targets[0].Reads {
		found = found || (rd.Kind == highlevel.KindAgent && rd.ID == target.ID)
	}
	if !found {
		t.Fatalf("the plan does not record the transfer target it reads: %+v", p.Targets[0].Reads)
	}
	// Renamed by hand after the plan.
	w := sb.client.Location("stale0000", sb.token("stale0000"))
	live, err := w.GetAgent(context.Background(), target.ID)
	if err != nil {
		t.Fatal(err)
	}
	live.AgentSettings.Name = "Agent 0 (old)"
	if _, err := w.UpdateAgent(context.Background(), target.ID, live.AgentSettings); err != nil {
		t.Fatal(err)
	}
	before := len(sb.s.AgentsOf("stale0000"))
	r := apply.Apply(context.Background(), p, sb.writers, apply.Options{})
	l := r.Targets[0]
	want := `agent "Agent 0" (id ` + target.ID + `), which the plan refers to, changed since the plan was made`
	if l.Outcome != apply.TargetStale || !strings.Contains(l.Error, want) {
		t.Fatalf("outcome %s: %s\nwant stale with %q", l.Outcome, l.Error, want)
	}
	if n := len(sb.s.AgentsOf("stale0000")); n != before {
		t.Errorf("agents %d, want %d: a stale location writes nothing", n, before)
	}
}
