package highlevel

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
)

// agentOf is the name of the agent a change is about (or under).
func agentOf(c plan.Change) string { return c.TopName() }

// actionOf is the name of the action a change is about, "" for none.
func actionOf(c plan.Change) string {
	if len(c.Key) > 1 {
		return c.Key[1].Name
	}
	return ""
}

// summary is a compact, comparable form of a change.
func summary(c plan.Change) string {
	s := fmt.Sprintf("%s %s %s", c.Op, c.Kind, agentOf(c))
	if a := actionOf(c); a != "" {
		s += "/" + a
	}
	return s
}

func summaries(cs []plan.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, summary(c))
	}
	return out
}

func find(t *testing.T, cs []plan.Change, want string) (int, plan.Change) {
	t.Helper()
	for i, c := range cs {
		if summary(c) == want {
			return i, c
		}
	}
	t.Fatalf("no change %q in %q", want, summaries(cs))
	return 0, plan.Change{}
}

func TestMakeRichLocation(t *testing.T) {
	loc, r := richFixture()
	lp := makeOne(t, loc, r)
	if lp.Error != "" {
		t.Fatal(lp.Error)
	}
	got := summaries(lp.Changes)
	wantOrder := []string{
		"create agent Sales",
		"update agent Front Desk",
		"update action Front Desk/Book",
		"replace action Front Desk/Human",
		"create action Front Desk/To sales",
		"create action Sales/Escalate",
		"update followup Front Desk",
		"delete action Front Desk/Legacy",
		"delete agent Old bot",
		"report action Support",
	}
	if !reflect.DeepEqual(got, wantOrder) {
		t.Fatalf("changes:\n got %q\nwant %q", got, wantOrder)
	}
	t.Run("pinned rename is an update of name", func(t *testing.T) {
		_, c := find(t, lp.Changes, "update agent Front Desk")
		var paths []string
		for _, d := range c.Diffs {
			paths = append(paths, d.Path)
		}
		if want := []string{"instructions", "mode", "name"}; !reflect.DeepEqual(paths, want) {
			t.Fatalf("diff paths %q, want %q (channels order and waitTime must not differ)", paths, want)
		}
		if c.After["autoPilotMaxMessages"] != 10.0 || c.After["name"] != "Front Desk" {
			t.Fatalf("After must keep live fields and carry the new name: %v", c.After)
		}
		if c.ID != "ag-front" || c.Fingerprint != FingerprintAgent(r.agents[0]) {
			t.Fatalf("id %q fingerprint %q", c.ID, c.Fingerprint)
		}
	})
	t.Run("action update merges live details", func(t *testing.T) {
		_, c := find(t, lp.Changes, "update action Front Desk/Book")
		d := c.After["details"].(map[string]any)
		if d["rescheduleEnabled"] != true || d["calendarId"] != "cal-2" || d["transferAgent"] != "Sales" {
			t.Fatalf("After details %v", d)
		}
		if c.ParentID != "ag-front" {
			t.Fatalf("ParentID %q", c.ParentID)
		}
	})
	t.Run("dependencies", func(t *testing.T) {
		create, _ := find(t, lp.Changes, "create agent Sales")
		_, book := find(t, lp.Changes, "update action Front Desk/Book")
		_, esc := find(t, lp.Changes, "create action Sales/Escalate")
		_, fu := find(t, lp.Changes, "update followup Front Desk")
		if !slices.Equal(book.DependsOn, []int{create}) {
			t.Errorf("Book depends on %v, want [%d] (its transfer target's create)", book.DependsOn, create)
		}
		if !slices.Equal(esc.DependsOn, []int{create}) {
			t.Errorf("Escalate depends on %v, want its agent's create %d", esc.DependsOn, create)
		}
		_, to := find(t, lp.Changes, "create action Front Desk/To sales")
		if !slices.Equal(to.DependsOn, []int{create}) {
			t.Errorf("To sales depends on %v, want [%d]", to.DependsOn, create)
		}
		if len(fu.DependsOn) != 0 {
			t.Errorf("follow-up depends on %v; Chase is not rebuilt", fu.DependsOn)
		}
	})
	t.Run("follow-up", func(t *testing.T) {
		_, c := find(t, lp.Changes, "update followup Front Desk")
		if len(c.Diffs) != 2 || c.Diffs[0].Path != "followupSettings.dynamicChannelSwitching" || c.Diffs[1].Path != "followupSettings.workingHours" {
			t.Fatalf("diffs %+v", c.Diffs)
		}
		if c.Fingerprint != FingerprintFollowup(r.actions["ag-front"]) {
			t.Fatal("follow-up fingerprint")
		}
	})
	t.Run("reads are the minimum", func(t *testing.T) {
		// 1 search; Front Desk and Support: GetAgent + ListActions; Old bot: GetAgent.
		want := map[string]int{"AllAgents": 1, "GetAgent": 3, "ListActions": 2}
		if !reflect.DeepEqual(r.calls, want) {
			t.Fatalf("calls %v, want %v", r.calls, want)
		}
	})
	if lp.LiveObjects != 3+8 {
		t.Errorf("LiveObjects = %d, want 11", lp.LiveObjects)
	}
}

func TestMakeNoChangesWhenLiveMatches(t *testing.T) {
	loc := &spec.Location{ID: "l", Agents: []*spec.Agent{{Name: "A", ActionsDeclared: true,
		Settings: map[string]any{"channels": []any{"SMS", "IG"}, "sleepEnabled": false, "waitTime": 3},
		Actions: []*spec.Action{
			{Name: "T", Type: "transferBot", Details: map[string]any{"transferToBot": "B", "transferBotType": "default"}},
			{Name: "F", Type: "advancedFollowup", Details: map[string]any{"enabled": true, "followupSettings": map[string]any{"ignored": true}}},
		},
		Followup: &spec.Followup{Actions: []string{"F"}, Settings: map[string]any{"timezoneToUse": "business",
			"workingHours": []any{map[string]any{"dayOfTheWeek": 2}, map[string]any{"dayOfTheWeek": 1}}}},
	}, {Name: "B"}}}
	s := func(v string) *string { return &v }
	f := func(v float64) *float64 { return &v }
	r := &fakeReader{
		agents: []*api.Agent{
			{ID: "a", AgentSettings: api.AgentSettings{Name: "A", Channels: []string{"IG", "SMS"}, WaitTime: f(3), Mode: s("off")}},
			{ID: "b", AgentSettings: api.AgentSettings{Name: "B"}},
		},
		actions: map[string][]api.Action{"a": {
			liveAct("t", "T", "transferBot", map[string]any{"transferToBot": "b", "transferBotType": "default", "enabled": false}),
			liveAct("f", "F", "advancedFollowup", map[string]any{"enabled": true, "followupSettings": map[string]any{
				"timezoneToUse": "business", "dynamicChannelSwitching": false,
				"workingHours": []any{map[string]any{"dayOfTheWeek": 1}, map[string]any{"dayOfTheWeek": 2}}}}),
		}},
	}
	lp := makeOne(t, loc, r)
	if lp.Error != "" || len(lp.Changes) != 0 {
		t.Fatalf("want no changes, got error %q changes %q %+v", lp.Error, summaries(lp.Changes), lp.Changes)
	}
}

func TestMakeLocationErrors(t *testing.T) {
	tests := []struct {
		name  string
		agent *spec.Agent
		live  []*api.Agent
		acts  map[string][]api.Action
		want  string
	}{
		{
			name:  "two live agents with the declared name",
			agent: &spec.Agent{Name: "A", Settings: map[string]any{"mode": "off"}},
			// They differ, so they are not twins an apply left behind.
			live: []*api.Agent{{ID: "x1", AgentSettings: api.AgentSettings{Name: "A", Mode: strp("off")}},
				{ID: "x2", AgentSettings: api.AgentSettings{Name: "A", Mode: strp("auto-pilot")}}},
			want: `agent "A": 2 live agents have this name (ids x1, x2)`,
		},
		{
			name:  "an agent to create lacks fields the API requires",
			agent: &spec.Agent{Name: "A", Settings: map[string]any{"mode": "off", "goal": "Help."}},
			want:  `agent "A": does not exist live, and creating it needs personality, instructions`,
		},
		{
			name:  "pinned id not live",
			agent: &spec.Agent{Name: "A", PinnedID: "gone"},
			want:  `agent "A": pinned id gone does not exist live`,
		},
		{
			name:  "two live actions with the declared name",
			agent: &spec.Agent{Name: "A", ActionsDeclared: true, Actions: []*spec.Action{{Name: "S", Type: "stopBot", Details: map[string]any{"enabled": true}}}},
			live:  []*api.Agent{{ID: "x1", AgentSettings: api.AgentSettings{Name: "A"}}},
			acts: map[string][]api.Action{"x1": {liveAct("s1", "S", "stopBot", map[string]any{"enabled": true}),
				liveAct("s2", "S", "stopBot", map[string]any{"enabled": false})}},
			want: `action "S": 2 live actions have this name (ids s1, s2)`,
		},
		{
			name: "reference to an unknown agent",
			agent: &spec.Agent{Name: "A", ActionsDeclared: true, Actions: []*spec.Action{{Name: "T", Type: "transferBot",
				Details: map[string]any{"transferToBot": "Nobody"}}}},
			want: `details.transferToBot: no agent "Nobody"`,
		},
		{
			name:  "follow-up names a missing action",
			agent: &spec.Agent{Name: "A", ActionsDeclared: true, Followup: &spec.Followup{Actions: []string{"F"}}},
			want:  `followup: action "F" is not an action of the agent`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := &spec.Location{ID: "l", Agents: []*spec.Agent{tt.agent}}
			lp := makeOne(t, loc, &fakeReader{agents: tt.live, actions: tt.acts})
			if !strings.Contains(lp.Error, tt.want) || len(lp.Changes) != 0 {
				t.Fatalf("error %q, want it to contain %q (changes %q)", lp.Error, tt.want, summaries(lp.Changes))
			}
		})
	}
}

func TestMakeUnmanagedAndPrune(t *testing.T) {
	for _, prune := range []bool{false, true} {
		t.Run(fmt.Sprintf("prune=%v", prune), func(t *testing.T) {
			loc := &spec.Location{ID: "l", Prune: prune, Agents: []*spec.Agent{{Name: "A"}}}
			r := &fakeReader{agents: []*api.Agent{{ID: "a", AgentSettings: api.AgentSettings{Name: "A"}},
				{ID: "z", AgentSettings: api.AgentSettings{Name: "Zed"}, Actions: []api.ActionRef{{ID: "z1", Type: "stopBot"}, {ID: "z2", Type: "transferBot"}}}}}
			lp := makeOne(t, loc, r)
			want := []string{"report agent Zed"}
			wantGets := 1
			if prune {
				want, wantGets = []string{"delete agent Zed"}, 2
			}
			if got := summaries(lp.Changes); !reflect.DeepEqual(got, want) {
				t.Fatalf("changes %q, want %q", got, want)
			}
			if r.calls["GetAgent"] != wantGets {
				t.Fatalf("GetAgent called %d times, want %d", r.calls["GetAgent"], wantGets)
			}
			if prune {
				// Zed's two actions go with it: the guards must count them.
				if c := lp.Changes[0]; c.Cascade != 2 || !strings.Contains(c.Reason, "its 2 action(s) are deleted with it") {
					t.Fatalf("cascade %d, reason %q; want 2 actions named", c.Cascade, c.Reason)
				}
				if lp.LiveObjects != 4 {
					t.Fatalf("LiveObjects = %d, want 4 (A, Zed and Zed's two actions)", lp.LiveObjects)
				}
			}
		})
	}
}

func TestMakeFailingLocationAmongHealthy(t *testing.T) {
	set := manifests(t, &spec.Set{Locations: []*spec.Location{
		{ID: "b", Agents: []*spec.Agent{{Name: "A", Settings: creatable(nil)}}},
		{ID: "a", Agents: []*spec.Agent{{Name: "A", Settings: creatable(nil)}}},
		{ID: "c", Agents: []*spec.Agent{{Name: "A", Settings: creatable(nil)}}},
	}})
	connect := func(ctx context.Context, loc *provider.Target) (Reader, error) {
		switch loc.ID {
		case "b":
			return nil, errors.New("environment variable B_TOKEN is not set")
		case "c":
			return &fakeReader{fail: errors.New("boom")}, nil
		}
		return &fakeReader{}, nil
	}
	p, err := plan.Make(context.Background(), set, readers(connect), plan.Options{Now: fixedNow, Parallelism: 2})
	if err != nil {
		t.Fatal(err)
	}
	var ids, errs []string
	for _, lp := range p.Targets {
		ids = append(ids, lp.ID)
		errs = append(errs, lp.Error)
	}
	if !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Fatalf("locations %q, want sorted by id", ids)
	}
	if errs[0] != "" || !strings.Contains(errs[1], "B_TOKEN") || !strings.Contains(errs[2], "list agents: boom") {
		t.Fatalf("errors %q", errs)
	}
	if got := summaries(p.Targets[0].Changes); !slices.Equal(got, []string{"create agent A"}) {
		t.Fatalf("healthy location changes %q", got)
	}
	if c := p.Count(); c.Failed != 2 || c.Create != 1 || c.Targets != 1 {
		t.Fatalf("counts %+v", c)
	}
}

// TestMakeAccessHint: a 401 or 403 while reading says which variable to check.
func TestMakeAccessHint(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{401, "(check that TOK_L holds a valid token of location l with the conversation-ai.readonly scope)"},
		{403, "(check that TOK_L holds the token of location l, not of another location)"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			loc := &spec.Location{ID: "l", TokenEnv: "TOK_L", Agents: []*spec.Agent{{Name: "A"}}}
			lp := makeOne(t, loc, &fakeReader{fail: &api.Error{Method: "GET", Path: "/conversation-ai/agents/search", Status: tt.status, Message: "no"}})
			if !strings.HasSuffix(lp.Error, tt.want) {
				t.Fatalf("error %q, want it to end with %q", lp.Error, tt.want)
			}
		})
	}
}

// TestDependencies: the plan's DependsOn is the complete execution order
// (apply adds no edges of its own). An action waits for its agent's create;
// a follow-up change waits for the changes of the actions it names (an
// action PUT carries the action's details and could otherwise overwrite the
// follow-up settings just set); an agent delete waits for every earlier
// change but the other agent deletes.
func TestDependencies(t *testing.T) {
	loc := &spec.Location{ID: "l", Prune: true, Agents: []*spec.Agent{
		{Name: "A", Settings: creatable(nil), ActionsDeclared: true, Actions: []*spec.Action{
			{Name: "y", Type: "stopBot", Details: map[string]any{"enabled": true}}}},
		{Name: "B", ActionsDeclared: true, Actions: []*spec.Action{
			{Name: "x", Type: "advancedFollowup", Details: map[string]any{"enabled": true}}},
			Followup: &spec.Followup{Actions: []string{"x"}, Settings: map[string]any{"timezoneToUse": "contact"}}},
	}}
	r := &fakeReader{
		agents: []*api.Agent{
			{ID: "b", AgentSettings: api.AgentSettings{Name: "B"}},
			{ID: "c", AgentSettings: api.AgentSettings{Name: "C"}},
			{ID: "d", AgentSettings: api.AgentSettings{Name: "D"}},
		},
		actions: map[string][]api.Action{"b": {
			liveAct("x1", "x", "advancedFollowup", map[string]any{"enabled": false,
				"followupSettings": map[string]any{"timezoneToUse": "location"}}),
			liveAct("z1", "z", "stopBot", map[string]any{"enabled": true}),
		}},
	}
	lp := makeOne(t, loc, r)
	if lp.Error != "" {
		t.Fatal(lp.Error)
	}
	earlier := []string{"create agent A", "create action A/y", "update action B/x", "update followup B", "delete action B/z"}
	want := map[string][]string{
		"create agent A":    nil,
		"update action B/x": nil,
		"create action A/y": {"create agent A"},
		"update followup B": {"update action B/x"},
		"delete action B/z": nil,
		"delete agent C":    earlier,
		"delete agent D":    earlier,
	}
	if len(lp.Changes) != len(want) {
		t.Fatalf("changes %q, want those of %v", summaries(lp.Changes), want)
	}
	for _, c := range lp.Changes {
		wantDeps, ok := want[summary(c)]
		if !ok {
			t.Errorf("unexpected change %q", summary(c))
			continue
		}
		var got []string
		for _, d := range c.DependsOn {
			got = append(got, summary(lp.Changes[d]))
		}
		slices.Sort(got)
		wantSorted := slices.Sorted(slices.Values(wantDeps))
		if !slices.Equal(got, wantSorted) {
			t.Errorf("%s depends on %q, want %q", summary(c), got, wantSorted)
		}
	}
}
