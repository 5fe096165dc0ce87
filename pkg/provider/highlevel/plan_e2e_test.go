package highlevel

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
	"github.com/agentform/agentform/pkg/spec"
)

// sandbox is an in-process sim behind an httptest server, with an API client.
type sandbox struct {
	s      *sim.Server
	client *api.Client
}

func startSandbox(tb testing.TB, opts sim.Options) *sandbox {
	tb.Helper()
	s, ts := simtest.Start(tb, opts)
	o := api.Options{BaseURL: ts.URL, MaxRetries: -1}
	if _, isTest := tb.(*testing.T); isTest {
		// Every request the planner sends and every answer it reads is
		// checked against the OpenAPI documents (benchmarks skip the cost).
		o.HTTPClient, _ = simtest.ContractClient(tb, ts)
	}
	c, err := api.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	return &sandbox{s: s, client: c}
}

// token mints a token for loc: read-only, or read-write.
func (sb *sandbox) token(tb testing.TB, loc string, write bool) string {
	tb.Helper()
	scopes := []string{sim.ScopeReadonly}
	if write {
		scopes = append(scopes, sim.ScopeWrite)
	}
	tok, err := sb.s.MintToken(loc, scopes...)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// connector opens locations with read-only tokens; a location missing from
// tokens fails as the CLI does when its variable is unset.
func (sb *sandbox) connector(tokens map[string]string) plan.Connector {
	return func(ctx context.Context, loc *provider.Target) (provider.Session, error) {
		tok, ok := tokens[loc.ID]
		if !ok {
			return nil, fmt.Errorf("environment variable %s is not set", loc.TokenEnv)
		}
		return sb.client.Location(loc.ID, tok), nil
	}
}

// seed creates loc's desired state directly through the API (what a correct
// apply would leave behind) and returns the agent ids by name.
func seed(tb testing.TB, ctx context.Context, l *api.Location, loc *spec.Location) map[string]string {
	tb.Helper()
	ids := map[string]string{}
	for _, a := range loc.Agents {
		var in api.AgentSettings
		remarshal(tb, a.Settings, &in)
		in.Name = a.Name
		got, err := l.CreateAgent(ctx, in)
		if err != nil {
			tb.Fatalf("create agent %q: %v", a.Name, err)
		}
		ids[a.Name] = got.ID
	}
	for _, a := range loc.Agents {
		actionIDs := map[string]string{}
		for _, act := range a.Actions {
			details := map[string]any{}
			for k, v := range act.Details {
				details[k] = v
			}
			for _, key := range []string{"transferToBot", "transferAgent"} {
				if ref, ok := details[key].(string); ok {
					details[key] = ids[ref]
				}
			}
			got, err := l.CreateAction(ctx, ids[a.Name], api.ActionInput{Type: act.Type, Name: act.Name, Details: details})
			if err != nil {
				tb.Fatalf("create action %q/%q: %v", a.Name, act.Name, err)
			}
			actionIDs[act.Name] = got.ID
		}
		if a.Followup != nil {
			up := api.FollowupSettingsUpdate{}
			for _, n := range a.Followup.Actions {
				up.ActionIDs = append(up.ActionIDs, actionIDs[n])
			}
			remarshal(tb, a.Followup.Settings, &up.FollowupSettings)
			if err := l.UpdateFollowupSettings(ctx, ids[a.Name], up); err != nil {
				tb.Fatalf("follow-up of %q: %v", a.Name, err)
			}
		}
	}
	return ids
}

// desiredLocation declares two agents that use every action type, transfer
// references both ways and follow-up settings.
func desiredLocation(id string) *spec.Location {
	interval := func(sh, eh float64) []any {
		return []any{map[string]any{"startHour": sh, "startMinute": 0.0, "endHour": eh, "endMinute": 30.0}}
	}
	return &spec.Location{ID: id, Name: "Clinic " + id, TokenEnv: "TOKEN_" + id, Agents: []*spec.Agent{
		{Name: "Front Desk", ActionsDeclared: true, Settings: map[string]any{
			"mode": "auto-pilot", "channels": []any{"WebChat", "SMS"}, "waitTime": 2.0, "waitTimeUnit": "minutes",
			"personality": "Warm and brief.", "goal": "Book visits.", "instructions": "Greet the caller.\nAsk for their name.\nOffer a booking.",
			"autoPilotMaxMessages": 10.0, "businessName": "Clinic", "respondToImages": false,
		}, Actions: []*spec.Action{
			{Name: "Call me", Type: api.ActionTriggerWorkflow, Details: map[string]any{"workflowIds": []any{"wf-2", "wf-1"}, "triggerCondition": "wants a call"}},
			{Name: "Save email", Type: api.ActionUpdateContactField, Details: map[string]any{"contactFieldId": "email", "description": "their email"}},
			{Name: "Book", Type: api.ActionAppointmentBooking, Details: map[string]any{"calendarId": "cal-1", "onlySendLink": false,
				"triggerWorkflow": false, "sleepAfterBooking": false, "transferBot": true, "transferAgent": "Sales",
				"rescheduleEnabled": true, "cancelEnabled": false}},
			{Name: "Stop", Type: api.ActionStopBot, Details: map[string]any{"stopBotDetectionType": "Custom", "stopBotTriggerCondition": "rude",
				"reactivateEnabled": false, "enabled": true, "stopBotExamples": []any{"go away", "stop it"}, "finalMessage": "Bye", "tags": []any{"b", "a"}}},
			{Name: "Human", Type: api.ActionHumanHandOver, Details: map[string]any{"enabled": true, "triggerCondition": "asks for a human",
				"handoverType": "contactRequest", "examples": []any{"a person please"}, "reactivateEnabled": false, "finalMessage": "One moment"}},
			{Name: "Chase", Type: api.ActionAdvancedFollowup, Details: map[string]any{"enabled": true, "scenarioId": "contactStoppedReplying",
				"followupSequence": []any{map[string]any{"id": 1.0, "followupTimeUnit": "hours", "followupTime": 2.0}}}},
			{Name: "To sales", Type: api.ActionTransferBot, Details: map[string]any{"transferBotType": "Default", "transferToBot": "Sales", "enabled": true}},
		}, Followup: &spec.Followup{Actions: []string{"Chase"}, Settings: map[string]any{
			"dynamicChannelSwitching": true, "timezoneToUse": "contact",
			"workingHours": []any{
				map[string]any{"dayOfTheWeek": 2.0, "intervals": interval(9, 17)},
				map[string]any{"dayOfTheWeek": 1.0, "intervals": interval(8, 16)},
			},
		}}},
		{Name: "Sales", ActionsDeclared: true, Settings: withText(map[string]any{"mode": "suggestive", "autoPilotMaxMessages": 5.0}), Actions: []*spec.Action{
			{Name: "Back", Type: api.ActionTransferBot, Details: map[string]any{"transferBotType": "Default", "transferToBot": "Front Desk", "enabled": true}},
		}},
	}}
}

func remarshal(tb testing.TB, in, out any) {
	tb.Helper()
	if err := jsonRemarshal(in, out); err != nil {
		tb.Fatal(err)
	}
}

// opsOf lists a location's changes as "op kind agent[/action]".
func opsOf(lp plan.TargetPlan) []string {
	var out []string
	for _, c := range lp.Changes {
		s := fmt.Sprintf("%s %s %s", c.Op, c.Kind, agentOf(c))
		if a := actionOf(c); a != "" {
			s += "/" + a
		}
		out = append(out, s)
	}
	return out
}

// onlyReads fails when the sandbox saw anything but successful GETs.
func onlyReads(t *testing.T, s *sim.Server) int {
	t.Helper()
	n := 0
	for _, e := range s.Audit() {
		if e.Method != http.MethodGet || e.Status != http.StatusOK {
			t.Errorf("planning sent %s %s (status %d); want only successful GETs", e.Method, e.Path, e.Status)
		}
		n++
	}
	return n
}

func planSet(t *testing.T, sb *sandbox, tokens map[string]string, locs ...*spec.Location) *plan.Plan {
	t.Helper()
	sb.s.ResetAudit()
	p, err := plan.Make(context.Background(), manifests(t, &spec.Set{Locations: locs, Digest: "d"}), sb.connector(tokens), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanSandboxNoChangesAfterApply(t *testing.T) {
	ctx := context.Background()
	sb := startSandbox(t, sim.Options{})
	loc := desiredLocation("loc-1")
	seed(t, ctx, sb.client.Location(loc.ID, sb.token(t, loc.ID, true)), loc)
	p := planSet(t, sb, map[string]string{loc.ID: sb.token(t, loc.ID, false)}, loc)
	lp := p.Targets[0]
	if lp.Error != "" || len(lp.Changes) != 0 {
		t.Fatalf("after an apply the plan must be empty; error %q, changes %q\n%+v", lp.Error, opsOf(lp), lp.Changes)
	}
	// 1 search page + GetAgent and ListActions for each of the 2 agents.
	if n := onlyReads(t, sb.s); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
}

func TestPlanSandboxEveryChangeKind(t *testing.T) {
	for _, prune := range []bool{false, true} {
		t.Run(fmt.Sprintf("prune=%v", prune), func(t *testing.T) {
			ctx := context.Background()
			sb := startSandbox(t, sim.Options{})
			loc := desiredLocation("loc-1")
			w := sb.client.Location(loc.ID, sb.token(t, loc.ID, true))
			seed(t, ctx, w, loc)
			if _, err := w.CreateAgent(ctx, textSettings("Legacy")); err != nil {
				t.Fatal(err)
			}
			loc.Prune = prune
			fd := loc.Agents[0]
			fd.Settings["mode"] = "off"
			fd.Settings["instructions"] = "Greet the caller.\nAsk for their phone number.\nOffer a booking."
			fd.Actions[3].Details["finalMessage"] = "Goodbye"                                             // Stop: update
			fd.Actions[4] = &spec.Action{Name: "Human", Type: api.ActionStopBot, Details: map[string]any{ // Human: replace
				"stopBotDetectionType": "Goodbye", "stopBotTriggerCondition": "bye", "reactivateEnabled": false,
				"enabled": true, "stopBotExamples": []any{"bye", "ciao"}, "finalMessage": "Bye"}}
			fd.Actions = slices.Delete(fd.Actions, 1, 2) // Save email: delete
			fd.Actions = append(fd.Actions, &spec.Action{Name: "Phone", Type: api.ActionUpdateContactField,
				Details: map[string]any{"contactFieldId": "phone", "description": "their phone"}}) // create
			fd.Followup.Settings["timezoneToUse"] = "business"
			loc.Agents = append(loc.Agents, &spec.Agent{Name: "Support", Settings: withText(map[string]any{"mode": "off"})})

			p := planSet(t, sb, map[string]string{loc.ID: sb.token(t, loc.ID, false)}, loc)
			lp := p.Targets[0]
			if lp.Error != "" {
				t.Fatal(lp.Error)
			}
			want := []string{
				"create agent Support",
				"update agent Front Desk",
				"replace action Front Desk/Human",
				"create action Front Desk/Phone",
				"update action Front Desk/Stop",
				"update followup Front Desk",
				"delete action Front Desk/Save email",
				"report agent Legacy",
			}
			if prune {
				want[7] = "delete agent Legacy"
			}
			if got := opsOf(lp); !slices.Equal(got, want) {
				t.Fatalf("changes\n got %q\nwant %q", got, want)
			}
			onlyReads(t, sb.s)
			if err := p.CheckSafety(plan.SafetyOptions{}); err != nil {
				t.Fatalf("legitimate deletes refused: %v", err)
			}
		})
	}
}

func TestPlanSandboxPinnedRename(t *testing.T) {
	ctx := context.Background()
	sb := startSandbox(t, sim.Options{})
	loc := desiredLocation("loc-1")
	ids := seed(t, ctx, sb.client.Location(loc.ID, sb.token(t, loc.ID, true)), loc)
	// Rename Sales to Sales Team, pinned to its live id; references follow.
	loc.Agents[1].Name, loc.Agents[1].PinnedID = "Sales Team", ids["Sales"]
	loc.Agents[0].Actions[2].Details["transferAgent"] = "Sales Team"
	loc.Agents[0].Actions[6].Details["transferToBot"] = "Sales Team"
	p := planSet(t, sb, map[string]string{loc.ID: sb.token(t, loc.ID, false)}, loc)
	lp := p.Targets[0]
	if got, want := opsOf(lp), []string{"update agent Sales Team"}; !slices.Equal(got, want) {
		t.Fatalf("changes %q, want %q (%s)", got, want, lp.Error)
	}
	c := lp.Changes[0]
	if c.ID != ids["Sales"] || len(c.Diffs) != 1 || c.Diffs[0].Path != "name" || c.Diffs[0].Before != "Sales" {
		t.Fatalf("rename change %+v", c)
	}
}

func TestPlanSandboxAmbiguousAndFailingLocations(t *testing.T) {
	ctx := context.Background()
	sb := startSandbox(t, sim.Options{})
	dup := &spec.Location{ID: "loc-dup", TokenEnv: "TOKEN_DUP", Agents: []*spec.Agent{{Name: "Twin", Settings: withText(nil)}}}
	w := sb.client.Location(dup.ID, sb.token(t, dup.ID, true))
	var twinIDs []string
	for i := range 2 {
		settings := textSettings("Twin")
		if i == 1 { // they differ: not twins an apply left behind
			settings.Goal = strp("Something else.")
		}
		a, err := w.CreateAgent(ctx, settings)
		if err != nil {
			t.Fatal(err)
		}
		twinIDs = append(twinIDs, a.ID)
	}
	healthy := &spec.Location{ID: "loc-ok", TokenEnv: "TOKEN_OK", Agents: []*spec.Agent{{Name: "Solo", Settings: withText(nil)}}}
	noToken := &spec.Location{ID: "loc-notoken", TokenEnv: "TOKEN_MISSING", Agents: []*spec.Agent{{Name: "Solo", Settings: withText(nil)}}}
	tokens := map[string]string{dup.ID: sb.token(t, dup.ID, false), healthy.ID: sb.token(t, healthy.ID, false)}
	p := planSet(t, sb, tokens, dup, healthy, noToken)
	byID := map[string]plan.TargetPlan{}
	for _, lp := range p.Targets {
		byID[lp.ID] = lp
	}
	if e := byID["loc-dup"].Error; !strings.Contains(e, twinIDs[0]) || !strings.Contains(e, twinIDs[1]) {
		t.Errorf("ambiguous location error %q must name both ids %v", e, twinIDs)
	}
	if e := byID["loc-notoken"].Error; !strings.Contains(e, "TOKEN_MISSING") {
		t.Errorf("failing location error %q", e)
	}
	if got := opsOf(byID["loc-ok"]); !slices.Equal(got, []string{"create agent Solo"}) {
		t.Errorf("healthy location changes %q (%s)", got, byID["loc-ok"].Error)
	}
	if c := p.Count(); c.Failed != 2 {
		t.Errorf("failed = %d, want 2", c.Failed)
	}
}

func TestPlanSandboxShardsUnionIsWhole(t *testing.T) {
	sb := startSandbox(t, sim.Options{})
	tokens := map[string]string{}
	var locs []*spec.Location
	for i := range 24 {
		id := fmt.Sprintf("loc-%02d", i)
		locs = append(locs, &spec.Location{ID: id, Agents: []*spec.Agent{{Name: "A" + id, Settings: withText(nil)}}})
		tokens[id] = sb.token(t, id, false)
	}
	set := manifests(t, &spec.Set{Locations: locs, Digest: "d"})
	whole, err := plan.Make(context.Background(), set, sb.connector(tokens), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var shards []*plan.Plan
	for i := range 4 {
		p, err := plan.Make(context.Background(), set, sb.connector(tokens), plan.Options{ShardIndex: i, ShardCount: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Targets) == 0 || p.TotalTargets != 24 {
			t.Fatalf("shard %d: %d locations of %d", i, len(p.Targets), p.TotalTargets)
		}
		shards = append(shards, p)
	}
	merged, err := plan.Merge(shards...) // refuses overlaps
	if err != nil {
		t.Fatal(err)
	}
	if len(merged.Targets) != len(whole.Targets) {
		t.Fatalf("union has %d locations, whole plan %d", len(merged.Targets), len(whole.Targets))
	}
	for i := range whole.Targets {
		if w, m := whole.Targets[i], merged.Targets[i]; w.ID != m.ID || !slices.Equal(opsOf(w), opsOf(m)) {
			t.Fatalf("location %d: whole %s %q, union %s %q", i, w.ID, opsOf(w), m.ID, opsOf(m))
		}
	}
}

// withText adds the texts the API requires on create to settings.
func withText(settings map[string]any) map[string]any {
	if settings == nil {
		settings = map[string]any{}
	}
	settings["personality"], settings["goal"], settings["instructions"] = "Friendly.", "Help.", "Answer questions."
	return settings
}

// textSettings are the smallest valid settings of an agent created by hand.
func textSettings(name string) api.AgentSettings {
	p, g, i := "Friendly.", "Help.", "Answer questions."
	return api.AgentSettings{Name: name, Personality: &p, Goal: &g, Instructions: &i}
}
