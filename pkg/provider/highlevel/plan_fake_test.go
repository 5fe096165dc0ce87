package highlevel

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
)

// fakeReader is an in-memory Reader that counts its calls.
type fakeReader struct {
	agents  []*api.Agent
	actions map[string][]api.Action // agent id → actions
	fail    error

	mu    sync.Mutex
	calls map[string]int
}

func (f *fakeReader) count(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[name]++
}

func (f *fakeReader) AllAgents(ctx context.Context) ([]api.AgentSummary, error) {
	f.count("AllAgents")
	if f.fail != nil {
		return nil, f.fail
	}
	var out []api.AgentSummary
	for _, a := range f.agents {
		out = append(out, api.AgentSummary{ID: a.ID, Name: a.Name})
	}
	return out, nil
}

func (f *fakeReader) GetAgent(ctx context.Context, id string) (*api.Agent, error) {
	f.count("GetAgent")
	for _, a := range f.agents {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no agent %s", id)
}

func (f *fakeReader) ListActions(ctx context.Context, id string) ([]api.Action, error) {
	f.count("ListActions")
	return f.actions[id], nil
}

// liveAct builds a live action with details given as a map.
func liveAct(id, name, typ string, details map[string]any) api.Action {
	b, _ := json.Marshal(details)
	return api.Action{ID: id, Name: name, Type: typ, Details: b}
}

// fixedNow is the time every test plan is made at.
func fixedNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// manifests turns a manifest set into the engine's input, as the CLI does.
func manifests(tb testing.TB, set *spec.Set) *plan.Manifests {
	tb.Helper()
	targets, err := Targets(set, false)
	if err != nil {
		tb.Fatal(err)
	}
	return &plan.Manifests{Targets: targets, Digest: set.Digest}
}

// readers adapts a connector that returns a Reader per location to the
// engine's plan.Connector.
func readers(connect func(ctx context.Context, loc *provider.Target) (Reader, error)) plan.Connector {
	return func(ctx context.Context, loc *provider.Target) (provider.Session, error) {
		r, err := connect(ctx, loc)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
}

// makeOne plans a single location against r.
func makeOne(t *testing.T, loc *spec.Location, r Reader) plan.TargetPlan {
	t.Helper()
	p, err := plan.Make(context.Background(), manifests(t, &spec.Set{Locations: []*spec.Location{loc}, Digest: "d"}),
		readers(func(context.Context, *provider.Target) (Reader, error) { return r, nil }), plan.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return p.Targets[0]
}

// richFixture is a location and its live state with every change kind: agent
// create/update (pinned rename)/delete (prune), action create/update/replace/
// delete of every type, follow-up settings, transfer references and reports.
func richFixture() (*spec.Location, *fakeReader) {
	loc := &spec.Location{ID: "loc-a", Name: "Clinic", TokenEnv: "CLINIC_TOKEN", Prune: true, Pos: spec.Pos{File: "clinic.yaml", Line: 1}}
	loc.Agents = []*spec.Agent{
		{Name: "Front Desk", PinnedID: "ag-front", ActionsDeclared: true, Settings: map[string]any{
			"mode": "auto-pilot", "channels": []any{"SMS", "WebChat"}, "waitTime": 2,
			"instructions": "Greet the caller.\nAsk for their name.\nOffer a booking.\nSay goodbye.",
		}, Actions: []*spec.Action{
			{Name: "Book", Type: "appointmentBooking", Details: map[string]any{"calendarId": "cal-2", "onlySendLink": false,
				"transferBot": true, "transferAgent": "Sales"}},
			{Name: "To sales", Type: "transferBot", Details: map[string]any{"transferBotType": "default", "transferToBot": "Sales", "enabled": true}},
			{Name: "Chase", Type: "advancedFollowup", Details: map[string]any{"enabled": true, "scenarioId": "contactStoppedReplying",
				"followupSequence": []any{map[string]any{"id": 1, "followupTimeUnit": "hours", "followupTime": 2}}}},
			{Name: "Stop", Type: "stopBot", Details: map[string]any{"stopBotDetectionType": "auto", "stopBotTriggerCondition": "rude",
				"stopBotExamples": []any{"go away", "stop"}, "finalMessage": "Bye", "tags": []any{"b", "a"}, "enabled": true}},
			{Name: "Human", Type: "humanHandOver", Details: map[string]any{"enabled": true, "triggerCondition": "asks for a human",
				"handoverType": "assign", "finalMessage": "One moment"}},
			{Name: "Save email", Type: "updateContactField", Details: map[string]any{"contactFieldId": "email", "description": "their email"}},
			{Name: "Workflow", Type: "triggerWorkflow", Details: map[string]any{"workflowIds": []any{"wf2", "wf1"}, "triggerCondition": "wants a call"}},
		}, Followup: &spec.Followup{Actions: []string{"Chase"}, Settings: map[string]any{
			"dynamicChannelSwitching": true, "timezoneToUse": "contact",
			"workingHours": []any{map[string]any{"dayOfTheWeek": 1, "intervals": []any{map[string]any{"startHour": 9, "startMinute": 0, "endHour": 17, "endMinute": 0}}}},
		}}},
		{Name: "Sales", Settings: creatable(map[string]any{"mode": "suggestive", "businessName": "Clinic"}), ActionsDeclared: true,
			Actions: []*spec.Action{{Name: "Escalate", Type: "transferBot", Details: map[string]any{"transferBotType": "default", "transferToBot": "Support", "enabled": true}}}},
		{Name: "Support", Settings: map[string]any{"mode": "off"}},
	}
	s := func(v string) *string { return &v }
	f := func(v float64) *float64 { return &v }
	r := &fakeReader{
		agents: []*api.Agent{
			{ID: "ag-front", AgentSettings: api.AgentSettings{Name: "Reception", Mode: s("off"), Channels: []string{"WebChat", "SMS"},
				WaitTime: f(2), AutoPilotMaxMessages: f(10),
				Instructions: s("Greet the caller.\nAsk for their phone.\nOffer a booking.\nSay goodbye.")}},
			{ID: "ag-support", AgentSettings: api.AgentSettings{Name: "Support", Mode: s("off"), AutoPilotMaxMessages: f(5)}},
			{ID: "ag-old", AgentSettings: api.AgentSettings{Name: "Old bot", Mode: s("off")}},
		},
		actions: map[string][]api.Action{
			"ag-front": {
				liveAct("act-book", "Book", "appointmentBooking", map[string]any{"calendarId": "cal-1", "onlySendLink": false,
					"transferBot": false, "rescheduleEnabled": true}),
				liveAct("act-stop", "Stop", "stopBot", map[string]any{"stopBotDetectionType": "auto", "stopBotTriggerCondition": "rude",
					"stopBotExamples": []any{"go away", "stop"}, "finalMessage": "Bye", "tags": []any{"a", "b"}, "enabled": true, "reactivateEnabled": false}),
				liveAct("act-human", "Human", "triggerWorkflow", map[string]any{"workflowIds": []any{"wf1"}, "triggerCondition": "x"}),
				liveAct("act-chase", "Chase", "advancedFollowup", map[string]any{"enabled": true, "scenarioId": "contactStoppedReplying",
					"followupSequence": []any{map[string]any{"id": 1, "followupTimeUnit": "hours", "followupTime": 2}},
					"followupSettings": map[string]any{"dynamicChannelSwitching": false, "timezoneToUse": "contact"}}),
				liveAct("act-email", "Save email", "updateContactField", map[string]any{"contactFieldId": "email", "description": "their email"}),
				liveAct("act-wf", "Workflow", "triggerWorkflow", map[string]any{"workflowIds": []any{"wf1", "wf2"}, "triggerCondition": "wants a call"}),
				liveAct("act-legacy", "Legacy", "stopBot", map[string]any{"enabled": false}),
			},
			"ag-support": {liveAct("act-s1", "Ping", "stopBot", map[string]any{"enabled": true})},
		},
	}
	return loc, r
}

// creatable adds the fields the API requires to create an agent.
func creatable(settings map[string]any) map[string]any {
	if settings == nil {
		settings = map[string]any{}
	}
	settings["personality"], settings["goal"], settings["instructions"] = "Kind.", "Help.", "Answer."
	return settings
}

// strp returns a pointer to s.
func strp(s string) *string { return &s }
