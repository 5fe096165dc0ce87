package highlevel

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
)

// driftLoc is a manifest of the location driftLive serves, in sync with it
// (but for the live agent "Stray", which prune deletes).
func driftLoc() *spec.Location {
	return &spec.Location{ID: "loc-d", Name: "Drift", Prune: true, Agents: []*spec.Agent{{
		Name: "Desk",
		Settings: map[string]any{"mode": "off", "channels": []any{"SMS", "WebChat"}, "instructions": "Live text",
			"personality": "Kind.", "goal": "Help."},
		ActionsDeclared: true,
		Actions: []*spec.Action{
			{Name: "Book", Type: "appointmentBooking", Details: map[string]any{"calendarId": "cal-1", "onlySendLink": false}},
			{Name: "Extra", Type: "stopBot", Details: map[string]any{"enabled": true}},
			{Name: "Chase", Type: "advancedFollowup", Details: map[string]any{"enabled": true}},
		},
	}}}
}

// driftLive is the live state of loc-d.
func driftLive() *fakeReader {
	s := func(v string) *string { return &v }
	return &fakeReader{
		agents: []*api.Agent{
			{ID: "ag-desk", AgentSettings: api.AgentSettings{Name: "Desk", Mode: s("off"), Channels: []string{"WebChat", "SMS"},
				Instructions: s("Live text"), Personality: s("Kind."), Goal: s("Help.")}},
			{ID: "ag-stray", AgentSettings: api.AgentSettings{Name: "Stray", Mode: s("off")}},
		},
		actions: map[string][]api.Action{"ag-desk": {
			liveAct("act-book", "Book", "appointmentBooking", map[string]any{"calendarId": "cal-1", "onlySendLink": false, "rescheduleEnabled": true}),
			liveAct("act-extra", "Extra", "stopBot", map[string]any{"enabled": true}),
			liveAct("act-chase", "Chase", "advancedFollowup", map[string]any{"enabled": true}),
		}},
	}
}

// planWithBase plans loc against r with base as the baseline's only location
// (no baseline at all when base is nil).
func planWithBase(t *testing.T, loc, base *spec.Location, r Reader) *plan.Plan {
	t.Helper()
	opts := plan.Options{Now: fixedNow}
	if base != nil {
		opts.Baseline = manifests(t, &spec.Set{Locations: []*spec.Location{base}, Digest: "base-digest"})
	}
	p, err := plan.Make(context.Background(), manifests(t, &spec.Set{Locations: []*spec.Location{loc}, Digest: "d"}),
		readers(func(context.Context, *provider.Target) (Reader, error) { return r, nil }), opts)
	if err != nil {
		t.Fatal(err)
	}
	if lp := p.Targets[0]; lp.Error != "" {
		t.Fatal(lp.Error)
	}
	return p
}

// driftMark is what a test expects of one change: its Drift and the paths of
// its drift diffs.
type driftMark struct {
	drift bool
	paths []string
}

func marksOf(c plan.Change) driftMark {
	m := driftMark{drift: c.Drift}
	for _, d := range c.Diffs {
		if d.Drift {
			m.paths = append(m.paths, d.Path)
		}
	}
	return m
}

func TestDriftMarks(t *testing.T) {
	desk := func(l *spec.Location) *spec.Agent { return l.Agents[0] }
	action := func(l *spec.Location, name string) *spec.Action {
		for _, d := range desk(l).Actions {
			if d.Name == name {
				return d
			}
		}
		panic("no action " + name)
	}
	withoutAction := func(l *spec.Location, name string) {
		desk(l).Actions = slices.DeleteFunc(desk(l).Actions, func(d *spec.Action) bool { return d.Name == name })
	}
	tests := []struct {
		name       string
		want, base func(l *spec.Location) // edit the manifest and the baseline (both start in sync with live)
		marks      map[string]driftMark
	}{
		{
			name:  "intended: the baseline declares the live value",
			want:  func(l *spec.Location) { desk(l).Settings["mode"] = "auto-pilot" },
			marks: map[string]driftMark{"update agent Desk": {}},
		},
		{
			name:  "intended: the baseline does not declare the field",
			want:  func(l *spec.Location) { desk(l).Settings["mode"] = "auto-pilot" },
			base:  func(l *spec.Location) { delete(desk(l).Settings, "mode") },
			marks: map[string]driftMark{"update agent Desk": {}},
		},
		{
			name:  "intended: the baseline declares a third value",
			want:  func(l *spec.Location) { desk(l).Settings["mode"] = "auto-pilot" },
			base:  func(l *spec.Location) { desk(l).Settings["mode"] = "suggestive" },
			marks: map[string]driftMark{"update agent Desk": {}},
		},
		{
			name:  "drift only: the baseline declares the desired value",
			want:  func(l *spec.Location) { desk(l).Settings["mode"] = "auto-pilot" },
			base:  func(l *spec.Location) { desk(l).Settings["mode"] = "auto-pilot" },
			marks: map[string]driftMark{"update agent Desk": {true, []string{"mode"}}},
		},
		{
			name:  "drift: the baseline is normalized like the manifest (set order)",
			want:  func(l *spec.Location) { desk(l).Settings["channels"] = []any{"FB", "SMS"} },
			base:  func(l *spec.Location) { desk(l).Settings["channels"] = []any{"SMS", "FB"} },
			marks: map[string]driftMark{"update agent Desk": {true, []string{"channels"}}},
		},
		{
			name: "both in one change",
			want: func(l *spec.Location) {
				desk(l).Settings["mode"] = "auto-pilot"
				desk(l).Settings["instructions"] = "New text"
			},
			base:  func(l *spec.Location) { desk(l).Settings["mode"] = "auto-pilot" },
			marks: map[string]driftMark{"update agent Desk": {true, []string{"mode"}}},
		},
		{
			name: "pinned rename: drift when the baseline has the new name",
			want: func(l *spec.Location) { desk(l).Name, desk(l).PinnedID = "Front", "ag-desk" },
			base: func(l *spec.Location) {
				desk(l).Name, desk(l).PinnedID = "Front", "ag-desk"
				l.Agents = append(l.Agents, &spec.Agent{Name: "Stray"}) // keeps the prune delete intended
			},
			marks: map[string]driftMark{"update agent Front": {true, []string{"name"}}, "delete agent Stray": {}},
		},
		{
			name:  "pinned rename: intended when the baseline has the live name",
			want:  func(l *spec.Location) { desk(l).Name, desk(l).PinnedID = "Front", "ag-desk" },
			base:  func(l *spec.Location) { desk(l).PinnedID = "ag-desk" },
			marks: map[string]driftMark{"update agent Front": {}},
		},
		{
			name: "create of an agent the baseline declares: deleted by hand",
			want: func(l *spec.Location) {
				l.Agents = append(l.Agents, &spec.Agent{Name: "Gone", Settings: creatable(nil)},
					&spec.Agent{Name: "Fresh", Settings: creatable(nil)})
			},
			base: func(l *spec.Location) {
				l.Agents = append(l.Agents, &spec.Agent{Name: "Gone", Settings: creatable(nil)})
			},
			marks: map[string]driftMark{"create agent Gone": {drift: true}, "create agent Fresh": {}},
		},
		{
			name:  "action update drift",
			want:  func(l *spec.Location) { action(l, "Book").Details["calendarId"] = "cal-2" },
			base:  func(l *spec.Location) { action(l, "Book").Details["calendarId"] = "cal-2" },
			marks: map[string]driftMark{"update action Desk/Book": {true, []string{"details.calendarId"}}},
		},
		{
			name:  "action update intended",
			want:  func(l *spec.Location) { action(l, "Book").Details["calendarId"] = "cal-2" },
			marks: map[string]driftMark{"update action Desk/Book": {}},
		},
		{
			name:  "action replace drift: the baseline has the desired type",
			want:  func(l *spec.Location) { action(l, "Book").Type = "humanHandOver" },
			base:  func(l *spec.Location) { action(l, "Book").Type = "humanHandOver" },
			marks: map[string]driftMark{"replace action Desk/Book": {true, []string{"type"}}},
		},
		{
			name: "action create: drift when the baseline declares it, intended when new",
			want: func(l *spec.Location) {
				desk(l).Actions = append(desk(l).Actions,
					&spec.Action{Name: "Lost", Type: "stopBot", Details: map[string]any{"enabled": true}},
					&spec.Action{Name: "New", Type: "stopBot", Details: map[string]any{"enabled": true}})
			},
			base: func(l *spec.Location) {
				desk(l).Actions = append(desk(l).Actions, &spec.Action{Name: "Lost", Type: "stopBot"})
			},
			marks: map[string]driftMark{"create action Desk/Lost": {drift: true}, "create action Desk/New": {}},
		},
		{
			name:  "action delete drift: the baseline's actions list lacks it too (added by hand)",
			want:  func(l *spec.Location) { withoutAction(l, "Extra") },
			base:  func(l *spec.Location) { withoutAction(l, "Extra") },
			marks: map[string]driftMark{"delete action Desk/Extra": {drift: true}},
		},
		{
			name:  "action delete intended: the pull request removes it",
			want:  func(l *spec.Location) { withoutAction(l, "Extra") },
			marks: map[string]driftMark{"delete action Desk/Extra": {}},
		},
		{
			name: "action delete intended: the baseline had no actions list",
			want: func(l *spec.Location) { withoutAction(l, "Extra") },
			base: func(l *spec.Location) {
				desk(l).ActionsDeclared, desk(l).Actions = false, nil
			},
			marks: map[string]driftMark{"delete action Desk/Extra": {}},
		},
		{
			name:  "agent delete drift: the baseline pruned and did not declare it",
			marks: map[string]driftMark{"delete agent Stray": {drift: true}},
		},
		{
			name:  "agent delete intended: the pull request turns prune on",
			base:  func(l *spec.Location) { l.Prune = false },
			marks: map[string]driftMark{"delete agent Stray": {}},
		},
		{
			name:  "follow-up settings removed by hand",
			want:  func(l *spec.Location) { desk(l).Followup = chaseFollowup("contact") },
			base:  func(l *spec.Location) { desk(l).Followup = chaseFollowup("contact") },
			marks: map[string]driftMark{"create followup Desk": {drift: true}},
		},
		{
			name:  "follow-up settings the pull request adds",
			want:  func(l *spec.Location) { desk(l).Followup = chaseFollowup("contact") },
			base:  func(l *spec.Location) { desk(l).Followup = chaseFollowup("location") },
			marks: map[string]driftMark{"create followup Desk": {}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, base := driftLoc(), driftLoc()
			if tt.want != nil {
				tt.want(want)
			}
			if tt.base != nil {
				tt.base(base)
			}
			p := planWithBase(t, want, base, driftLive())
			if !p.Baseline || p.BaselineDigest != "base-digest" {
				t.Fatalf("plan baseline %v %q", p.Baseline, p.BaselineDigest)
			}
			cs := p.Targets[0].Changes
			for key, wantMark := range tt.marks {
				_, c := find(t, cs, key)
				if got := marksOf(c); got.drift != wantMark.drift || !slices.Equal(got.paths, wantMark.paths) {
					t.Errorf("%s: drift %v on %q, want %v on %q", key, got.drift, got.paths, wantMark.drift, wantMark.paths)
				}
			}
		})
	}
}

// chaseFollowup is a follow-up block for the action Chase.
func chaseFollowup(timezone string) *spec.Followup {
	return &spec.Followup{Actions: []string{"Chase"}, Settings: map[string]any{"timezoneToUse": timezone}}
}

func TestDriftFollowupSettingsDiff(t *testing.T) {
	// Chase has settings live; the manifest and the baseline want others.
	r := driftLive()
	acts := r.actions["ag-desk"]
	acts[2] = liveAct("act-chase", "Chase", "advancedFollowup", map[string]any{"enabled": true,
		"followupSettings": map[string]any{"timezoneToUse": "location", "dynamicChannelSwitching": false}})
	tests := []struct {
		name     string
		baseList []string
		want     driftMark
	}{
		{"baseline lists the action", []string{"Chase"}, driftMark{true, []string{"followupSettings.timezoneToUse"}}},
		{"baseline does not list the action", []string{"Other"}, driftMark{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, base := driftLoc(), driftLoc()
			want.Agents[0].Followup = chaseFollowup("contact")
			base.Agents[0].Followup = chaseFollowup("contact")
			base.Agents[0].Followup.Actions = tt.baseList
			_, c := find(t, planWithBase(t, want, base, r).Targets[0].Changes, "update followup Desk")
			if got := marksOf(c); got.drift != tt.want.drift || !slices.Equal(got.paths, tt.want.paths) {
				t.Fatalf("drift %v on %q, want %v on %q", got.drift, got.paths, tt.want.drift, tt.want.paths)
			}
		})
	}
}

func TestNoBaselineNoDrift(t *testing.T) {
	loc, r := richFixture()
	p := planWithBase(t, loc, nil, r)
	if p.Baseline || p.BaselineDigest != "" {
		t.Fatal("a plan without baseline must not say it has one")
	}
	for _, c := range p.Targets[0].Changes {
		if c.Drift {
			t.Errorf("%s: drift without a baseline", summary(c))
		}
		for _, d := range c.Diffs {
			if d.Drift {
				t.Errorf("%s %s: drift without a baseline", summary(c), d.Path)
			}
		}
	}
	if plan.DriftLine(p) != "" || p.Count().Drift != 0 {
		t.Fatalf("drift line %q, count %d", plan.DriftLine(p), p.Count().Drift)
	}
}

func TestBaselineWithoutTheLocation(t *testing.T) {
	want := driftLoc()
	want.Agents[0].Settings["mode"] = "auto-pilot"
	other := driftLoc()
	other.ID = "elsewhere"
	other.Agents[0].Settings["mode"] = "auto-pilot"
	p := planWithBase(t, want, other, driftLive())
	for _, c := range p.Targets[0].Changes {
		if c.Drift {
			t.Errorf("%s: drift, but the baseline does not declare the location", summary(c))
		}
	}
}

func TestBaselineDuplicateLocation(t *testing.T) {
	base := manifests(t, &spec.Set{Locations: []*spec.Location{driftLoc(), driftLoc()}})
	_, err := plan.Make(context.Background(), manifests(t, &spec.Set{Locations: []*spec.Location{driftLoc()}}),
		readers(func(context.Context, *provider.Target) (Reader, error) { return driftLive(), nil }), plan.Options{Baseline: base})
	if err == nil || !strings.Contains(err.Error(), "baseline: location loc-d is declared twice") {
		t.Fatalf("err %v", err)
	}
}

// driftPlan is the plan of the drift golden files: one intended field and
// one drift field in an agent update, a drift action update, an intended
// action create, a drift agent create and a drift prune delete.
func driftPlan(t *testing.T) *plan.Plan {
	t.Helper()
	want, base := driftLoc(), driftLoc()
	want.Agents[0].Settings["mode"] = "auto-pilot"
	base.Agents[0].Settings["mode"] = "auto-pilot"
	want.Agents[0].Settings["instructions"] = "Greet.\nAsk for their name.\nOffer a booking.\nSay goodbye."
	want.Agents[0].Actions[0].Details["calendarId"] = "cal-2"
	base.Agents[0].Actions[0].Details["calendarId"] = "cal-2"
	want.Agents[0].Actions = append(want.Agents[0].Actions,
		&spec.Action{Name: "New", Type: "stopBot", Details: map[string]any{"enabled": true}})
	gone := &spec.Agent{Name: "Gone", Settings: creatable(nil)}
	want.Agents = append(want.Agents, gone)
	base.Agents = append(base.Agents, gone)
	p := planWithBase(t, want, base, driftLive())
	p.ToolVersion = "test"
	return p
}

func TestRenderDriftGolden(t *testing.T) { checkRenderGolden(t, "drift", driftPlan(t)) }

func TestDriftFollowupOfRebuiltAction(t *testing.T) {
	// Chase was deleted by hand: its create is drift, and so is the follow-up
	// change that comes with it; a follow-up of a new action is intended.
	r := driftLive()
	r.actions["ag-desk"] = r.actions["ag-desk"][:2]
	tests := []struct {
		name      string
		baseChase bool // the baseline declares Chase and its follow-up
		want      bool
	}{
		{"the baseline declares the action", true, true},
		{"the pull request adds the action", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, base := driftLoc(), driftLoc()
			want.Agents[0].Followup = chaseFollowup("contact")
			if tt.baseChase {
				base.Agents[0].Followup = chaseFollowup("contact")
			} else {
				base.Agents[0].Actions = base.Agents[0].Actions[:2]
			}
			cs := planWithBase(t, want, base, r).Targets[0].Changes
			_, act := find(t, cs, "create action Desk/Chase")
			_, fu := find(t, cs, "create followup Desk")
			if act.Drift != tt.want || fu.Drift != tt.want {
				t.Fatalf("action drift %v, follow-up drift %v, want %v", act.Drift, fu.Drift, tt.want)
			}
		})
	}
}
