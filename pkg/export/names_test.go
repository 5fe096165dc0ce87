package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/spec"
)

// clinic is a location whose agent holds an id of every lookup kind: a
// knowledge base, workflows (a trigger, a booking and a follow-up step), a
// calendar, a custom field and two users (one whose name repeats).
func clinic(t *testing.T) *fakeReader {
	t.Helper()
	return &fakeReader{
		agents: []api.Agent{{ID: "agDesk", AgentSettings: api.AgentSettings{Name: "Front Desk", Personality: ptr("Calm."),
			Goal: ptr("Book."), Instructions: ptr("Answer."), KnowledgeBaseIDs: []string{"kb1", "kb2"}}}},
		actions: map[string][]api.Action{"agDesk": {
			{ID: "a1", Name: "Send forms", Type: api.ActionTriggerWorkflow, Details: raw(t, map[string]any{
				"workflowIds": []any{"wf1", "wf2"}, "triggerCondition": "Forms asked.", "triggerMessage": "Sent."})},
			{ID: "a2", Name: "Book a cleaning", Type: api.ActionAppointmentBooking, Details: raw(t, map[string]any{
				"calendarId": "cal1", "onlySendLink": false, "triggerWorkflow": true, "workflowIds": []any{"wf1"},
				"sleepAfterBooking": false, "transferBot": false, "rescheduleEnabled": true, "cancelEnabled": true})},
			{ID: "a3", Name: "Save insurer", Type: api.ActionUpdateContactField, Details: raw(t, map[string]any{
				"contactFieldId": "cf1", "description": "The insurer", "contactUpdateExamples": []any{"Delta"}})},
			{ID: "a4", Name: "To billing", Type: api.ActionHumanHandOver, Details: raw(t, map[string]any{
				"enabled": true, "triggerCondition": "Bills.", "handoverType": "lackOfInformation", "assignToUserId": "u1",
				"reactivateEnabled": false, "finalMessage": "Passing you on."})},
			{ID: "a5", Name: "To Sam", Type: api.ActionHumanHandOver, Details: raw(t, map[string]any{
				"enabled": true, "triggerCondition": "Sam.", "handoverType": "lackOfInformation", "assignToUserId": "u2",
				"reactivateEnabled": false, "finalMessage": "Passing you on."})},
			{ID: "a6", Name: "Nudge", Type: api.ActionAdvancedFollowup, Details: raw(t, map[string]any{
				"enabled": true, "scenarioId": "contactStoppedReplying", "followupSequence": []any{
					map[string]any{"id": 1, "followupTimeUnit": "hours", "followupTime": 4, "aiEnabledMessage": true, "triggerWorkflow": true, "workflowId": "wf2"},
					map[string]any{"id": 2, "followupTimeUnit": "days", "followupTime": 1, "aiEnabledMessage": true, "triggerWorkflow": false},
				}})},
		}},
		workflows:      []api.Workflow{{ID: "wf1", Name: "Confirm booking"}, {ID: "wf2", Name: "New patient forms, part 1: intake"}, {ID: "wf3", Name: "Unused"}},
		calendars:      []api.Calendar{{ID: "cal1", Name: "Cleanings"}},
		customFields:   []api.CustomField{{ID: "cf1", Name: "Insurance provider", FieldKey: "contact.insurance_provider"}},
		users:          []api.User{{ID: "u1", Name: "Dana Smith", Email: "dana@x.test"}, {ID: "u2", Name: "Sam Lee", Email: "sam@x.test"}, {ID: "u3", Name: "Sam Lee", Email: "sam.lee@x.test"}},
		knowledgeBases: []api.KnowledgeBase{{ID: "kb1", Name: "Clinic FAQ"}, {ID: "kb2", Name: "Prices ${year}"}},
	}
}

// load writes an exported manifest and loads it as validate would.
func load(t *testing.T, yamlText []byte) *spec.Set {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loc.yaml")
	if err := os.WriteFile(path, yamlText, 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := spec.Load(path)
	if err != nil {
		t.Fatalf("exported manifest does not load: %v\n%s", err, yamlText)
	}
	return set
}

func TestLocationWritesNames(t *testing.T) {
	r := clinic(t)
	res, err := Location(context.Background(), r, Options{LocationID: "loc1", Name: "Acme Dental Austin"})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.YAML)
	for _, want := range []string{
		"name: Acme Dental Austin\n",
		"  - name: Front Desk\n    id: agDesk\n",
		"knowledgeBaseIds: [{name: Clinic FAQ}, {name: 'Prices $${year}'}]",
		"workflowIds: [{name: Confirm booking}, {name: 'New patient forms, part 1: intake'}]",
		"calendarId: {name: Cleanings}",
		"contactFieldId: {name: Insurance provider}",
		"assignToUserId: {name: Dana Smith}",
		"assignToUserId: {email: sam@x.test}",
		"workflowId: {name: 'New patient forms, part 1: intake'}",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "tokenEnv") {
		t.Errorf("no TokenEnv given, yet the manifest declares one:\n%s", out)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %q, want none", res.Warnings)
	}
	for _, list := range []string{"workflows", "calendars", "customFields", "users", "knowledgeBases"} {
		if n := r.lookupReads[list]; n != 1 {
			t.Errorf("%s read %d times, want once", list, n)
		}
	}
	set := load(t, res.YAML)
	a := set.Locations[0].Agents[0]
	if a.PinnedID != "agDesk" || set.Locations[0].TokenEnvDeclared {
		t.Errorf("loaded pin %q, tokenEnv declared %v; want agDesk, false", a.PinnedID, set.Locations[0].TokenEnvDeclared)
	}
	if kb := a.Settings["knowledgeBaseIds"].([]any)[1].(map[string]any)["name"]; kb != "Prices ${year}" {
		t.Errorf("knowledge base name loads as %q, want the live name", kb)
	}
	if len(a.Refs) != 2 {
		t.Errorf("agent refs %v, want the two knowledge bases", a.Refs)
	}
}

func TestLocationRawIDs(t *testing.T) {
	r := clinic(t)
	res, err := Location(context.Background(), r, Options{LocationID: "loc1", RawIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.YAML)
	if !strings.Contains(out, "calendarId: cal1") || !strings.Contains(out, "workflowIds: [wf1, wf2]") || strings.Contains(out, "{name:") {
		t.Errorf("--raw-ids export holds names:\n%s", out)
	}
	if len(r.lookupReads) != 0 {
		t.Errorf("lookup lists read with RawIDs: %v", r.lookupReads)
	}
}

// TestLocationReadsOnlyNeededLookups: agents holding no ids of a kind read
// no list of it.
func TestLocationReadsOnlyNeededLookups(t *testing.T) {
	r := clinic(t)
	r.agents[0].KnowledgeBaseIDs = nil
	r.actions["agDesk"] = r.actions["agDesk"][2:3] // the custom field only
	if _, err := Location(context.Background(), r, Options{LocationID: "loc1"}); err != nil {
		t.Fatal(err)
	}
	if len(r.lookupReads) != 1 || r.lookupReads["customFields"] != 1 {
		t.Errorf("lists read: %v, want customFields once", r.lookupReads)
	}
	r = clinic(t)
	r.agents[0].KnowledgeBaseIDs = nil
	r.actions = nil
	if _, err := Location(context.Background(), r, Options{LocationID: "loc1"}); err != nil {
		t.Fatal(err)
	}
	if len(r.lookupReads) != 0 {
		t.Errorf("lists read for an agent holding no ids: %v", r.lookupReads)
	}
}

func TestLocationKeepsIDs(t *testing.T) {
	scopeErr := &api.Error{Method: "GET", Path: "/calendars/", Status: 401, Message: "The token is not authorized for this scope.", Scope: api.ScopeCalendarsReadonly}
	tests := []struct {
		name     string
		change   func(r *fakeReader)
		want     []string // in the YAML
		unwanted []string
		warn     []string // in one warning
	}{
		{"ambiguous name",
			func(r *fakeReader) {
				r.workflows = append(r.workflows, api.Workflow{ID: "wf9", Name: "Confirm booking"})
			},
			[]string{"workflowIds: [wf1, {name: 'New patient forms, part 1: intake'}]", "calendarId: {name: Cleanings}"}, nil,
			[]string{`agent "Front Desk" action "Book a cleaning": details.workflowIds: workflow wf1 is kept as an id: 2 workflows have the name "Confirm booking" (ids wf1, wf9)`}},
		{"user with neither a unique name nor a unique e-mail",
			func(r *fakeReader) { r.users[2].Email = "sam@x.test" },
			[]string{"assignToUserId: u2", "assignToUserId: {name: Dana Smith}"}, nil,
			[]string{"user u2 is kept as an id", `2 users have the name "Sam Lee" (ids u2, u3), and 2 users have the email "sam@x.test"`}},
		{"id not in the list",
			func(r *fakeReader) { r.workflows = r.workflows[1:] },
			[]string{"workflowIds: [wf1, wf2]", "workflowId: wf2", "calendarId: {name: Cleanings}"}, []string{"{name: Confirm booking}"},
			[]string{`no workflow with the id wf1 (agent "Front Desk" action "Book a cleaning": details.workflowIds)`, "every workflow id is kept as an id"}},
		{"missing scope",
			func(r *fakeReader) { r.lookupErr = map[string]error{"calendars": scopeErr} },
			[]string{"calendarId: cal1", "contactFieldId: {name: Insurance provider}"}, nil,
			[]string{"reading calendars needs the scope calendars.readonly", "every calendar id is kept as an id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := clinic(t)
			tt.change(r)
			res, err := Location(context.Background(), r, Options{LocationID: "loc1"})
			if err != nil {
				t.Fatal(err)
			}
			out := string(res.YAML)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("export lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.unwanted {
				if strings.Contains(out, w) {
					t.Errorf("export holds %q:\n%s", w, out)
				}
			}
			joined := strings.Join(res.Warnings, "\n")
			for _, w := range tt.warn {
				if !strings.Contains(joined, w) {
					t.Errorf("warnings lack %q:\n%s", w, joined)
				}
			}
			if len(res.Warnings) != 1 {
				t.Errorf("%d warnings, want 1:\n%s", len(res.Warnings), joined)
			}
			load(t, res.YAML)
		})
	}
}

func TestLocationLookupFailure(t *testing.T) {
	r := clinic(t)
	r.lookupErr = map[string]error{"users": &api.Error{Method: "GET", Path: "/users/", Status: 500, Message: "Internal Server Error"}}
	_, err := Location(context.Background(), r, Options{LocationID: "loc1"})
	var apiErr *api.Error
	if err == nil || !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "location loc1") || !strings.Contains(err.Error(), "list users") {
		t.Fatalf("err = %v, want the failed list of users, naming the location", err)
	}
}

// TestLocationUnknownIDsShortened: a warning lists three unknown ids and
// counts the rest.
func TestLocationUnknownIDsShortened(t *testing.T) {
	r := clinic(t)
	r.workflows = nil
	r.actions["agDesk"] = append(r.actions["agDesk"], api.Action{ID: "a7", Name: "More forms", Type: api.ActionTriggerWorkflow,
		Details: raw(t, map[string]any{"workflowIds": []any{"wf7", "wf8", "wf9"}, "triggerCondition": "More.", "triggerMessage": "Sent."})})
	res, err := Location(context.Background(), r, Options{LocationID: "loc1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "wf8 (agent \"Front Desk\" action \"More forms\": details.workflowIds), 2 more;") {
		t.Errorf("warnings %q, want one listing 3 ids and 2 more", res.Warnings)
	}
}
