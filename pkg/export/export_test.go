package export

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/spec"
)

type fakeReader struct {
	agents  []api.Agent
	actions map[string][]api.Action
	err     error

	// The lookup lists, their errors and how often each was read (by
	// list: "workflows", "calendars", "customFields", "users",
	// "knowledgeBases").
	workflows      []api.Workflow
	calendars      []api.Calendar
	customFields   []api.CustomField
	users          []api.User
	knowledgeBases []api.KnowledgeBase
	lookupErr      map[string]error
	mu             sync.Mutex
	lookupReads    map[string]int
}

// lookup counts a read of list and returns its items or error.
func lookup[T any](f *fakeReader, list string, items []T) ([]T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lookupReads == nil {
		f.lookupReads = map[string]int{}
	}
	f.lookupReads[list]++
	if err := f.lookupErr[list]; err != nil {
		return nil, err
	}
	return items, nil
}

func (f *fakeReader) ListWorkflows(context.Context) ([]api.Workflow, error) {
	return lookup(f, "workflows", f.workflows)
}

func (f *fakeReader) ListCalendars(context.Context) ([]api.Calendar, error) {
	return lookup(f, "calendars", f.calendars)
}

func (f *fakeReader) ListCustomFields(context.Context) ([]api.CustomField, error) {
	return lookup(f, "customFields", f.customFields)
}

func (f *fakeReader) ListUsers(context.Context) ([]api.User, error) {
	return lookup(f, "users", f.users)
}

func (f *fakeReader) ListKnowledgeBases(context.Context) ([]api.KnowledgeBase, error) {
	return lookup(f, "knowledgeBases", f.knowledgeBases)
}

func (f *fakeReader) AllAgents(ctx context.Context) ([]api.AgentSummary, error) {
	if f.err != nil {
		return nil, f.err
	}
	var out []api.AgentSummary
	for _, a := range f.agents {
		out = append(out, api.AgentSummary{ID: a.ID, Name: a.Name})
	}
	return out, nil
}

func (f *fakeReader) GetAgent(ctx context.Context, id string) (*api.Agent, error) {
	for _, a := range f.agents {
		if a.ID == id {
			return &a, nil
		}
	}
	return nil, errors.New("no such agent")
}

func (f *fakeReader) ListActions(ctx context.Context, id string) ([]api.Action, error) {
	return f.actions[id], nil
}

func ptr[T any](v T) *T { return &v }

func raw(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLocation(t *testing.T) {
	settings := map[string]any{"dynamicChannelSwitching": true, "timezoneToUse": "business",
		"workingHours": []any{map[string]any{"dayOfTheWeek": 1, "intervals": []any{map[string]any{"startHour": 9, "startMinute": 0, "endHour": 17, "endMinute": 0}}}}}
	other := map[string]any{"dynamicChannelSwitching": false}
	r := &fakeReader{
		agents: []api.Agent{
			{ID: "id-sales", AgentSettings: api.AgentSettings{Name: "Sales", Mode: ptr("auto-pilot"), Channels: []string{"SMS"},
				IsPrimary: ptr(true), Personality: ptr("Upbeat."), Goal: ptr("Sell."), Instructions: ptr("Line one.\nLine two.\n"),
				WaitTime: ptr(2.0), SleepEnabled: ptr(false)}},
			{ID: "id-desk", AgentSettings: api.AgentSettings{Name: "Desk", Personality: ptr("Calm."), Goal: ptr("Help."), Instructions: ptr("Answer.")}},
		},
		actions: map[string][]api.Action{
			"id-sales": {
				{ID: "a1", Name: "To desk", Type: api.ActionTransferBot, Details: raw(t, map[string]any{"transferBotType": "Default", "transferToBot": "id-desk", "enabled": true})},
				{ID: "a2", Name: "To ghost", Type: api.ActionTransferBot, Details: raw(t, map[string]any{"transferBotType": "Default", "transferToBot": "id-gone", "enabled": true})},
				{ID: "a3", Name: "Nudge", Type: api.ActionAdvancedFollowup, Details: raw(t, map[string]any{"enabled": true, "scenarioId": "contactIsBusy", "followupSequence": []any{}, "followupSettings": settings})},
				{ID: "a4", Name: "Nudge 2", Type: api.ActionAdvancedFollowup, Details: raw(t, map[string]any{"enabled": true, "scenarioId": "contactStoppedReplying", "followupSequence": []any{}, "followupSettings": settings})},
				{ID: "a5", Name: "Nudge 3", Type: api.ActionAdvancedFollowup, Details: raw(t, map[string]any{"enabled": true, "scenarioId": "contactRequested", "followupSequence": []any{}, "followupSettings": other})},
				{ID: "a6", Name: "Book", Type: api.ActionAppointmentBooking, Details: raw(t, map[string]any{"actionId": "srv", "calendarId": "cal", "onlySendLink": true,
					"triggerWorkflow": false, "sleepAfterBooking": false, "transferBot": false, "rescheduleEnabled": false, "cancelEnabled": false})},
			},
		},
		calendars: []api.Calendar{{ID: "cal", Name: "Cleanings"}},
	}
	res, err := Location(context.Background(), r, Options{LocationID: "loc1", TokenEnv: "TOK", SchemaPath: "../schemas/location.schema.json"})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.YAML)
	if !strings.HasPrefix(out, "# yaml-language-server: $schema=../schemas/location.schema.json\n") {
		t.Errorf("missing schema comment:\n%s", out)
	}
	var doc struct {
		APIVersion string                              `yaml:"apiVersion"`
		Location   struct{ ID, Name, TokenEnv string } `yaml:"location"`
		Agents     []map[string]any                    `yaml:"agents"`
	}
	if err := yaml.Unmarshal(res.YAML, &doc); err != nil {
		t.Fatalf("exported YAML does not parse: %v\n%s", err, out)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"apiVersion", doc.APIVersion == "agentform/v1"},
		{"location", doc.Location.ID == "loc1" && doc.Location.Name == "loc1"},
		{"agents sorted by name", len(doc.Agents) == 2 && doc.Agents[0]["name"] == "Desk" && doc.Agents[1]["name"] == "Sales"},
		{"isPrimary left out", doc.Agents[1]["isPrimary"] == nil},
		{"sleepEnabled false left out", doc.Agents[1]["sleepEnabled"] == nil},
		{"integral numbers as ints", doc.Agents[1]["waitTime"] == 2},
		{"multi-line text as a literal block", strings.Contains(out, "instructions: |\n      Line one.\n      Line two.\n")},
		{"reference turned into a name", strings.Contains(out, "transferToBot: Desk")},
		{"unknown reference kept as id", strings.Contains(out, "transferToBot: id-gone")},
		{"server-owned actionId left out", !strings.Contains(out, "actionId")},
		{"followupSettings moved out of details", !strings.Contains(out, "followupSettings")},
		{"followup names the larger group", strings.Contains(out, "followup:\n      actions: [Nudge, Nudge 2]")},
		{"fields in manifest order", inOrder(out[strings.Index(out, "name: Sales"):], "mode:", "channels:", "waitTime:", "personality:", "goal:", "instructions:", "actions:", "followup:")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not so in\n%s", c.name, out)
		}
	}
	if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[0], "id-gone") || !strings.Contains(res.Warnings[1], "Nudge 3") {
		t.Errorf("warnings = %q, want the unknown reference and the odd follow-up group", res.Warnings)
	}
}

func TestLocationError(t *testing.T) {
	_, err := Location(context.Background(), &fakeReader{err: errors.New("401 Unauthorized")}, Options{LocationID: "loc9"})
	if err == nil || !strings.Contains(err.Error(), "loc9") || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v, want one naming the location and the cause", err)
	}
}

// inOrder reports whether every part occurs in s, each after the one before.
func inOrder(s string, parts ...string) bool {
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		if i < 0 {
			return false
		}
		at += i + len(p)
	}
	return true
}

// TestLocationEscapesVariables: live text holding "${" must come back from
// the loader unchanged, not be read as a variable.
func TestLocationEscapesVariables(t *testing.T) {
	r := &fakeReader{
		agents: []api.Agent{{ID: "c1", AgentSettings: api.AgentSettings{Name: "Concierge ${business} #1",
			Personality: ptr("Calm."), Goal: ptr("Greet ${first_name} and $${literal}."), Instructions: ptr("Answer.")}}},
		actions: map[string][]api.Action{"c1": {{ID: "x", Name: "Stop ${now}", Type: api.ActionStopBot, Details: raw(t, map[string]any{
			"stopBotDetectionType": "Goodbye", "stopBotTriggerCondition": "done", "reactivateEnabled": false, "enabled": true,
			"stopBotExamples": []any{"bye", "thanks"}, "finalMessage": "${first_name}, one moment"})}}},
	}
	res, err := Location(context.Background(), r, Options{LocationID: "Abcdefghij0123456789", TokenEnv: "TOK"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "loc.yaml")
	if err := os.WriteFile(path, res.YAML, 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := spec.Load(path)
	if err != nil {
		t.Fatalf("exported manifest does not load: %v\n%s", err, res.YAML)
	}
	a := set.Locations[0].Agents[0]
	checks := map[string][2]any{
		"agent name":   {a.Name, "Concierge ${business} #1"},
		"goal":         {a.Settings["goal"], "Greet ${first_name} and $${literal}."},
		"action name":  {a.Actions[0].Name, "Stop ${now}"},
		"finalMessage": {a.Actions[0].Details["finalMessage"], "${first_name}, one moment"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: loaded %q, live %q", name, c[0], c[1])
		}
	}
}

func TestLocationRefusesDuplicateNames(t *testing.T) {
	r := &fakeReader{agents: []api.Agent{
		{ID: "s1", AgentSettings: api.AgentSettings{Name: "Scheduler"}},
		{ID: "s2", AgentSettings: api.AgentSettings{Name: "Scheduler"}},
	}}
	_, err := Location(context.Background(), r, Options{LocationID: "loc1"})
	if err == nil || !strings.Contains(err.Error(), `2 agents are named "Scheduler" (ids s1, s2)`) {
		t.Fatalf("err = %v, want a refusal naming both ids", err)
	}
}

func TestLocationRefusesLookAlikeNames(t *testing.T) {
	tests := []struct {
		name string
		r    *fakeReader
		want string
	}{
		{"agent", &fakeReader{agents: []api.Agent{{ID: "f1", AgentSettings: api.AgentSettings{Name: "Front  Desk "}}}},
			`agent "Front  Desk " (f1): name has leading/trailing or doubled spaces`},
		{"action", &fakeReader{agents: []api.Agent{{ID: "f1", AgentSettings: api.AgentSettings{Name: "Desk"}}},
			actions: map[string][]api.Action{"f1": {{ID: "a1", Name: "Say\tbye", Type: api.ActionStopBot}}}},
			`action "Say\tbye" (a1): name holds a tab`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Location(context.Background(), tt.r, Options{LocationID: "loc1"})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "rename it in HighLevel first") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
