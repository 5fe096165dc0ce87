package highlevel_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
)

func TestApplyCreatesAndIDsFlow(t *testing.T) {
	f := &fakeAPI{}
	sales := f.addAgent(api.AgentSettings{Name: "Sales"}) // live, unchanged by the plan
	p := oneLocation("loc1",
		createAgent("Desk"),  // 0
		createAgent("Other"), // 1
		createAction("Desk", "", "to other", api.ActionTransferBot, transferDetails("Other"), 0, 1), // 2
		createAction("Desk", "", "to sales", api.ActionTransferBot, transferDetails("Sales"), 0),    // 3
		createAction("Desk", "", "nudge", api.ActionAdvancedFollowup, followupDetails(), 0),         // 4
		followup("Desk", "", []any{"nudge"}, "", 4),                                                 // 5
		report("Sales", "unmanaged"), // 6
	)
	r := apply.Apply(context.Background(), p, fleet{"loc1": f}.connect, apply.Options{})

	l := r.Targets[0]
	if l.Outcome != apply.TargetApplied {
		t.Fatalf("outcome %s: %s", l.Outcome, l.Error)
	}
	want := []apply.StepOutcome{apply.StepCreated, apply.StepCreated, apply.StepCreated, apply.StepCreated, apply.StepCreated, apply.StepUpdated, apply.StepUnchanged}
	if got := outcomes(l); !slices.Equal(got, want) {
		t.Fatalf("outcomes %v, want %v", got, want)
	}
	desk, other := f.find(l.Steps[0].NewID), f.find(l.Steps[1].NewID)
	if desk == nil || other == nil {
		t.Fatalf("created agents not found: %+v", l.Steps[:2])
	}
	byName := map[string]api.Action{}
	for _, a := range desk.actions {
		byName[a.Name] = a
	}
	if got := details(t, byName["to other"])["transferToBot"]; got != other.agent.ID {
		t.Errorf("transfer to created agent: %v, want %s", got, other.agent.ID)
	}
	if got := details(t, byName["to sales"])["transferToBot"]; got != sales.agent.ID {
		t.Errorf("transfer to live agent: %v, want %s", got, sales.agent.ID)
	}
	if details(t, byName["nudge"])["followupSettings"] == nil {
		t.Errorf("follow-up settings not set on %s", byName["nudge"].ID)
	}
	if l.Steps[4].NewID != byName["nudge"].ID {
		t.Errorf("NewID %s, want %s", l.Steps[4].NewID, byName["nudge"].ID)
	}
	c := r.Counts
	if c.Created != 5 || c.Updated != 1 || c.Failed != 0 || c.Targets != 1 {
		t.Errorf("counts %+v", c)
	}
}

func TestApplyUpdatesDeletesReplaces(t *testing.T) {
	f := &fakeAPI{}
	desk := f.addAgent(api.AgentSettings{Name: "Desk", Mode: ptr("off")},
		liveAction("stop", api.ActionStopBot, stopDetails()),
		liveAction("swap", api.ActionStopBot, stopDetails()),
		liveAction("old", api.ActionStopBot, stopDetails()),
		liveAction("nudge", api.ActionAdvancedFollowup, followupDetails()),
	)
	gone := f.addAgent(api.AgentSettings{Name: "Gone"})
	changed := stopDetails()
	changed["finalMessage"] = "see you"
	// DependsOn as the planner sets it: the transfer waits for the update of
	// the agent it names; the agent delete waits for every earlier change.
	p := oneLocation("loc1",
		updateAgent(desk, "auto-pilot"),                                                              // 0
		liveActionChange(plan.OpUpdate, desk, 0, changed),                                            // 1
		withDeps(liveActionChange(plan.OpReplace, desk, 1, transferDetails("Desk")), 0),              // 2
		followup("Desk", desk.agent.ID, []any{"nudge"}, highlevel.FingerprintFollowup(desk.actions)), // 3
		liveActionChange(plan.OpDelete, desk, 2, nil),                                                // 4
		deleteAgent(gone, 0, 1, 2, 3, 4),                                                             // 5
	)
	p.Targets[0].Changes[2].After["type"] = api.ActionTransferBot
	r := apply.Apply(context.Background(), p, fleet{"loc1": f}.connect, apply.Options{})
	l := r.Targets[0]
	want := []apply.StepOutcome{apply.StepUpdated, apply.StepUpdated, apply.StepReplaced, apply.StepUpdated, apply.StepDeleted, apply.StepDeleted}
	if got := outcomes(l); !slices.Equal(got, want) || l.Outcome != apply.TargetApplied {
		t.Fatalf("outcomes %v (%s: %s), want %v", got, l.Outcome, l.Error, want)
	}
	if *desk.agent.Mode != "auto-pilot" {
		t.Errorf("mode %s", *desk.agent.Mode)
	}
	names := map[string]api.Action{}
	for _, a := range desk.actions {
		names[a.Name] = a
	}
	if _, ok := names["old"]; ok {
		t.Errorf("deleted action still there")
	}
	if names["swap"].Type != api.ActionTransferBot || names["swap"].ID != l.Steps[2].NewID {
		t.Errorf("replace: %+v, NewID %s", names["swap"], l.Steps[2].NewID)
	}
	if details(t, names["stop"])["finalMessage"] != "see you" {
		t.Errorf("update not applied: %s", names["stop"].Details)
	}
	if f.find(gone.agent.ID) != nil {
		t.Errorf("agent not deleted")
	}
	if r.Counts.Replaced != 1 || r.Counts.Deleted != 2 || r.Counts.Updated != 3 {
		t.Errorf("counts %+v", r.Counts)
	}
	if !strings.Contains(apply.Summary(r), ", 1 replaced") {
		t.Errorf("summary %q", apply.Summary(r))
	}
}

func TestApplyRefusesStaleLocation(t *testing.T) {
	tests := []struct {
		name  string
		build func(f *fakeAPI) (plan.Change, func())
		want  string
	}{
		{"agent changed", func(f *fakeAPI) (plan.Change, func()) {
			a := f.addAgent(api.AgentSettings{Name: "Front Desk", Mode: ptr("off")})
			return updateAgent(a, "auto-pilot"), func() { a.agent.Mode = ptr("suggestive") }
		}, `agent "Front Desk" (id ag001) changed since the plan was made`},
		{"agent deleted", func(f *fakeAPI) (plan.Change, func()) {
			a := f.addAgent(api.AgentSettings{Name: "Front Desk"})
			return deleteAgent(a), func() { f.agents = nil }
		}, `agent "Front Desk" (id ag001) was deleted since the plan was made`},
		{"agent created by name", func(f *fakeAPI) (plan.Change, func()) {
			return createAgent("Front Desk"), func() {
				f.agents = append(f.agents, &fakeAgent{agent: api.Agent{ID: "agX", AgentSettings: api.AgentSettings{Name: "Front Desk"}}})
			}
		}, `agent "Front Desk" (id agX) was created since the plan was made`},
		{"action changed", func(f *fakeAPI) (plan.Change, func()) {
			a := f.addAgent(api.AgentSettings{Name: "Desk"}, liveAction("stop", api.ActionStopBot, stopDetails()))
			return liveActionChange(plan.OpUpdate, a, 0, stopDetails()), func() { a.actions[0].Details = []byte(`{}`) }
		}, `action "Desk"/"stop" (id ac002) changed since the plan was made`},
		{"action deleted", func(f *fakeAPI) (plan.Change, func()) {
			a := f.addAgent(api.AgentSettings{Name: "Desk"}, liveAction("stop", api.ActionStopBot, stopDetails()))
			return liveActionChange(plan.OpDelete, a, 0, nil), func() { a.actions = nil }
		}, `action "Desk"/"stop" (id ac002) was deleted since the plan was made`},
		{"action created by name", func(f *fakeAPI) (plan.Change, func()) {
			a := f.addAgent(api.AgentSettings{Name: "Desk"})
			return createAction("Desk", a.agent.ID, "stop", api.ActionStopBot, stopDetails()), func() {
				a.actions = append(a.actions, api.Action{ID: "acX", Name: "stop", Type: api.ActionStopBot})
			}
		}, `action "Desk"/"stop" (id acX) was created since the plan was made`},
		{"follow-up changed", func(f *fakeAPI) (plan.Change, func()) {
			a := f.addAgent(api.AgentSettings{Name: "Desk"}, liveAction("nudge", api.ActionAdvancedFollowup, followupDetails()))
			return followup("Desk", a.agent.ID, []any{"nudge"}, highlevel.FingerprintFollowup(a.actions)), func() {
				a.actions[0].Details = []byte(`{"followupSettings":{"dynamicChannelSwitching":false}}`)
			}
		}, `follow-up settings of agent "Desk" (id ag001) changed since the plan was made`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stale, healthy := &fakeAPI{}, &fakeAPI{}
			change, move := tt.build(stale)
			p := oneLocation("stale", change, createAgent("Later"))
			p.Targets = append(p.Targets, oneLocation("ok", createAgent("Desk")).Targets...)
			move()
			r := apply.Apply(context.Background(), p, fleet{"stale": stale, "ok": healthy}.connect, apply.Options{})

			l := r.Targets[0]
			if l.Outcome != apply.TargetStale || !strings.Contains(l.Error, "plan is stale") || !slices.Contains(l.Stale, tt.want) {
				t.Fatalf("got %s %q %q, want stale naming %q", l.Outcome, l.Error, l.Stale, tt.want)
			}
			if w := stale.writes(); len(w) != 0 {
				t.Errorf("writes in a stale location: %v", w)
			}
			if got := outcomes(l); !slices.Equal(got, []apply.StepOutcome{apply.StepSkipped, apply.StepSkipped}) {
				t.Errorf("steps %v", got)
			}
			if r.Targets[1].Outcome != apply.TargetApplied || healthy.count("CreateAgent") != 1 {
				t.Errorf("healthy location: %s %s", r.Targets[1].Outcome, r.Targets[1].Error)
			}
			if !r.Stale() || r.Failed() {
				t.Errorf("Stale %v Failed %v", r.Stale(), r.Failed())
			}
		})
	}
}

func TestApplyStopsAtFirstFailure(t *testing.T) {
	f := &fakeAPI{fail: func(call string) error {
		if call == "CreateAgent B" {
			return &api.Error{Status: http.StatusUnprocessableEntity, Message: "mode must be one of off, suggestive, auto-pilot"}
		}
		return nil
	}}
	healthy := &fakeAPI{}
	p := oneLocation("bad", createAgent("A"), createAgent("B"), createAgent("C"),
		createAction("A", "", "stop", api.ActionStopBot, stopDetails(), 0))
	p.Targets = append(p.Targets, oneLocation("good", createAgent("A")).Targets...)
	r := apply.Apply(context.Background(), p, fleet{"bad": f, "good": healthy}.connect, apply.Options{StepParallelism: 1})

	l := r.Targets[0]
	if l.Outcome != apply.TargetFailed || !strings.Contains(l.Error, `step 1 (create agent "B") failed`) {
		t.Fatalf("location %s: %s", l.Outcome, l.Error)
	}
	want := []apply.StepOutcome{apply.StepCreated, apply.StepFailed, apply.StepSkipped, apply.StepSkipped}
	if got := outcomes(l); !slices.Equal(got, want) {
		t.Fatalf("outcomes %v, want %v", got, want)
	}
	if l.Steps[1].Status != http.StatusUnprocessableEntity {
		t.Errorf("status %d", l.Steps[1].Status)
	}
	if l.Steps[2].Error != `not run: step 1 (create agent "B") failed` {
		t.Errorf("skip reason %q", l.Steps[2].Error)
	}
	if f.count("CreateAgent C") != 0 || f.count("CreateAction") != 0 {
		t.Errorf("steps after the failure ran: %v", f.writes())
	}
	if r.Targets[1].Outcome != apply.TargetApplied {
		t.Errorf("healthy location %s", r.Targets[1].Outcome)
	}
	if r.Counts.Failed != 1 || r.Counts.Skipped != 2 || !r.Failed() {
		t.Errorf("counts %+v", r.Counts)
	}
	var b strings.Builder
	if err := apply.RenderText(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"Apply: 2 created, 0 updated, 0 deleted, 1 failed, 2 skipped in 2 locations\n",
		`! failed   create agent "B" (HTTP 422): create agent "B": `,
		`- skipped  create agent "C": not run: step 1 (create agent "B") failed`,
	} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, b.String())
		}
	}
}

func TestApplyConnectFailureAndUnplannedLocation(t *testing.T) {
	good := &fakeAPI{}
	p := &plan.Plan{Targets: []plan.TargetPlan{
		{Kind: highlevel.TargetKind, ID: "missing", TokenEnv: "TOKEN_MISSING", Changes: []plan.Change{createAgent("A")}},
		{Kind: highlevel.TargetKind, ID: "unplanned", Error: "search: 503"},
		{Kind: highlevel.TargetKind, ID: "good", Changes: []plan.Change{createAgent("A")}},
		{Kind: highlevel.TargetKind, ID: "nothing", Changes: []plan.Change{report("X", "")}},
	}}
	r := apply.Apply(context.Background(), p, fleet{"good": good}.connect, apply.Options{})
	got := []apply.TargetOutcome{r.Targets[0].Outcome, r.Targets[1].Outcome, r.Targets[2].Outcome, r.Targets[3].Outcome}
	want := []apply.TargetOutcome{apply.TargetFailed, apply.TargetSkipped, apply.TargetApplied, apply.TargetApplied}
	if !slices.Equal(got, want) {
		t.Fatalf("outcomes %v, want %v", got, want)
	}
	if !strings.Contains(r.Targets[0].Error, "TOKEN_MISSING is not set") {
		t.Errorf("connect error %q", r.Targets[0].Error)
	}
	if r.Counts.FailedTargets != 2 || r.Counts.Targets != 3 {
		t.Errorf("counts %+v", r.Counts)
	}
}

func TestApplyAmbiguousAgentCreate(t *testing.T) {
	tests := []struct {
		name        string
		lose        func(call string) string
		mangle      func(a *api.Agent)
		dupes       int
		wantOutcome apply.StepOutcome
		wantAdopted bool
		wantPosts   int
		wantAgents  int
		wantUpdate  bool
		wantErr     string
	}{
		{name: "committed then lost: adopted", lose: once("lost"), wantOutcome: apply.StepCreated, wantAdopted: true, wantPosts: 1, wantAgents: 1},
		{name: "adopted but different: updated", lose: once("lost"), mangle: func(a *api.Agent) { a.Mode = ptr("off") },
			wantOutcome: apply.StepCreated, wantAdopted: true, wantPosts: 1, wantAgents: 1, wantUpdate: true},
		{name: "lost before commit: created again", lose: once("skip"), wantOutcome: apply.StepCreated, wantPosts: 2, wantAgents: 1},
		{name: "always lost before commit: fails", lose: func(string) string { return "skip" }, wantOutcome: apply.StepFailed,
			wantPosts: 3, wantErr: "answer lost 3 times and the agent does not exist"},
		{name: "duplicates: fails naming ids", lose: once("lost"), dupes: 1, wantOutcome: apply.StepFailed, wantPosts: 1, wantAgents: 2,
			wantErr: "2 agents now have this name (ids agX0, ag001)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAPI{lose: tt.lose, mangle: tt.mangle}
			p := oneLocation("loc", createAgent("Desk"))
			// Duplicates appear after pre-flight: inject them on the first POST.
			if tt.dupes > 0 {
				f.fail = func(call string) error {
					f.mu.Lock()
					defer f.mu.Unlock()
					if call == "CreateAgent Desk" && len(f.agents) == 0 {
						f.agents = append(f.agents, &fakeAgent{agent: api.Agent{ID: "agX0", AgentSettings: api.AgentSettings{Name: "Desk"}}})
					}
					return nil
				}
			}
			r := apply.Apply(context.Background(), p, fleet{"loc": f}.connect, apply.Options{})
			s := r.Targets[0].Steps[0]
			if s.Outcome != tt.wantOutcome || s.Adopted != tt.wantAdopted || !strings.Contains(s.Error, tt.wantErr) {
				t.Fatalf("step %+v", s)
			}
			if got := f.count("CreateAgent"); got != tt.wantPosts {
				t.Errorf("POSTs %d, want %d", got, tt.wantPosts)
			}
			if len(f.agents) != tt.wantAgents {
				t.Errorf("agents %d, want %d", len(f.agents), tt.wantAgents)
			}
			if got := f.count("UpdateAgent") > 0; got != tt.wantUpdate {
				t.Errorf("update issued %v, want %v", got, tt.wantUpdate)
			}
			if tt.wantUpdate && *f.agents[0].agent.Mode != "auto-pilot" {
				t.Errorf("adopted agent not reconciled: mode %s", *f.agents[0].agent.Mode)
			}
			if tt.wantOutcome == apply.StepCreated && s.NewID != f.agents[0].agent.ID {
				t.Errorf("NewID %s, want %s", s.NewID, f.agents[0].agent.ID)
			}
		})
	}
}

func TestApplyAmbiguousActionCreate(t *testing.T) {
	tests := []struct {
		name      string
		lose      func(string) string
		wantPosts int
		adopted   bool
	}{
		{"committed then lost: adopted", once("lost"), 1, true},
		{"lost before commit: created again", once("skip"), 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAPI{}
			desk := f.addAgent(api.AgentSettings{Name: "Desk"})
			f.lose = tt.lose
			p := oneLocation("loc",
				createAction("Desk", desk.agent.ID, "nudge", api.ActionAdvancedFollowup, followupDetails()),
				followup("Desk", desk.agent.ID, []any{"nudge"}, highlevel.FingerprintFollowup(nil), 0))
			r := apply.Apply(context.Background(), p, fleet{"loc": f}.connect, apply.Options{})
			l := r.Targets[0]
			if l.Outcome != apply.TargetApplied || l.Steps[0].Adopted != tt.adopted {
				t.Fatalf("%s %s %+v", l.Outcome, l.Error, l.Steps[0])
			}
			if len(desk.actions) != 1 || f.count("CreateAction") != tt.wantPosts {
				t.Fatalf("actions %d, POSTs %d", len(desk.actions), f.count("CreateAction"))
			}
			if l.Steps[0].NewID != desk.actions[0].ID || f.count("Followup "+desk.agent.ID+" "+desk.actions[0].ID) != 1 {
				t.Errorf("follow-up did not use the adopted id: %v", f.writes())
			}
		})
	}
}

// once returns a lose hook answering v for the first call only.
func once(v string) func(string) string {
	var mu sync.Mutex
	used := false
	return func(string) string {
		mu.Lock()
		defer mu.Unlock()
		if used {
			return ""
		}
		used = true
		return v
	}
}

func TestApplyDeleteNotFoundCountsAsDeleted(t *testing.T) {
	f := &fakeAPI{}
	a := f.addAgent(api.AgentSettings{Name: "Gone"})
	p := oneLocation("loc", deleteAgent(a))
	// The first DELETE's answer was lost inside the client: the agent is gone
	// by the time the retry answers not-found.
	f.fail = func(call string) error {
		if strings.HasPrefix(call, "DeleteAgent") {
			f.mu.Lock()
			f.agents = nil
			f.mu.Unlock()
			return notFound(a.agent.ID)
		}
		return nil
	}
	r := apply.Apply(context.Background(), p, fleet{"loc": f}.connect, apply.Options{})
	if s := r.Targets[0].Steps[0]; s.Outcome != apply.StepDeleted {
		t.Fatalf("step %+v", s)
	}
}

func TestApplyInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	first, second := &fakeAPI{}, &fakeAPI{}
	first.fail = func(call string) error {
		if call == "CreateAgent B" {
			<-release // in flight while the run is cancelled
		}
		return nil
	}
	rec := &stepRecorder{onStep: func(s apply.StepResult) {
		if agentOf(s) == "A" {
			cancel()
			close(release)
		}
	}}
	p := oneLocation("first", createAgent("A"), createAgent("B"), createAgent("C"), createAgent("D"), createAgent("E"))
	p.Targets = append(p.Targets, oneLocation("second", createAgent("A")).Targets...)
	r := apply.Apply(ctx, p, fleet{"first": first, "second": second}.connect,
		apply.Options{Parallelism: 1, StepParallelism: 2, Progress: rec})

	l := r.Targets[0]
	want := []apply.StepOutcome{apply.StepCreated, apply.StepCreated, apply.StepSkipped, apply.StepSkipped, apply.StepSkipped}
	if got := outcomes(l); !slices.Equal(got, want) {
		t.Fatalf("outcomes %v, want %v (%s)", got, want, l.Error)
	}
	if l.Outcome != apply.TargetInterrupted || l.Steps[2].Error != reasonInterrupted {
		t.Errorf("location %s, skip reason %q", l.Outcome, l.Steps[2].Error)
	}
	if r.Targets[1].Outcome != apply.TargetInterrupted || len(second.calls) != 0 {
		t.Errorf("second location %s, calls %v", r.Targets[1].Outcome, second.calls)
	}
	if !r.Interrupted || !r.Failed() {
		t.Errorf("Interrupted %v Failed %v", r.Interrupted, r.Failed())
	}
	if len(first.agents) != 2 {
		t.Errorf("agents %d, want 2 (the in-flight create finished)", len(first.agents))
	}
}

func TestApplyReportOrderAndParallelism(t *testing.T) {
	const n = 40
	var mu sync.Mutex
	inFlight, peak := 0, 0
	fl := fleet{}
	p := &plan.Plan{}
	for i := range n {
		id := fmt.Sprintf("loc%02d", i)
		p.Targets = append(p.Targets, oneLocation(id, createAgent("A")).Targets...)
		fl[id] = &fakeAPI{}
	}
	connect := func(ctx context.Context, lp *plan.TargetPlan) (provider.Session, error) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		return fl.connect(ctx, lp)
	}
	done := func(apply.TargetReport) {
		mu.Lock()
		inFlight--
		mu.Unlock()
	}
	r := apply.Apply(context.Background(), p, connect, apply.Options{Parallelism: 3, Progress: progressFunc(done)})
	for i, l := range r.Targets {
		if l.ID != p.Targets[i].ID || l.Outcome != apply.TargetApplied {
			t.Fatalf("location %d: %s %s", i, l.ID, l.Outcome)
		}
	}
	if peak > 3 {
		t.Errorf("peak parallelism %d > 3", peak)
	}
	if r.Counts.Created != n {
		t.Errorf("created %d", r.Counts.Created)
	}
}

// progressFunc adapts a function to Progress (location events only).
type progressFunc func(apply.TargetReport)

func (f progressFunc) StepDone(string, apply.StepResult) {}
func (f progressFunc) TargetDone(l apply.TargetReport, done, total int) {
	f(l)
}

func TestApplyReplace(t *testing.T) {
	t.Run("agent: delete then create", func(t *testing.T) {
		f := &fakeAPI{}
		old := f.addAgent(api.AgentSettings{Name: "Desk"})
		c := createAgent("Desk")
		c.Op, c.ID, c.Fingerprint = plan.OpReplace, old.agent.ID, highlevel.FingerprintAgent(&old.agent)
		r := apply.Apply(context.Background(), oneLocation("loc", c), fleet{"loc": f}.connect, apply.Options{})
		s := r.Targets[0].Steps[0]
		if s.Outcome != apply.StepReplaced || f.find(old.agent.ID) != nil || f.find(s.NewID) == nil {
			t.Fatalf("step %+v, agents %d", s, len(f.agents))
		}
	})
	t.Run("action payload broken: nothing deleted", func(t *testing.T) {
		f := &fakeAPI{}
		desk := f.addAgent(api.AgentSettings{Name: "Desk"}, liveAction("stop", api.ActionStopBot, stopDetails()))
		c := liveActionChange(plan.OpReplace, desk, 0, transferDetails("Nobody"))
		c.After["type"] = api.ActionTransferBot
		r := apply.Apply(context.Background(), oneLocation("loc", c), fleet{"loc": f}.connect, apply.Options{})
		s := r.Targets[0].Steps[0]
		if s.Outcome != apply.StepFailed || !strings.Contains(s.Error, `"Nobody"`) {
			t.Fatalf("step %+v", s)
		}
		if len(desk.actions) != 1 || f.count("DeleteAction") != 0 {
			t.Errorf("the live action was deleted: %v", f.writes())
		}
	})
}
