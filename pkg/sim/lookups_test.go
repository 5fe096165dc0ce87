package sim_test

import (
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

const lookupSeed = `
companies:
  - id: compAcme
    locations:
      - id: locA
        name: Acme Dental Austin
        workflows: [{id: wf1, name: Confirm booking}, {id: wf2, name: Reminder, status: draft}]
        calendars: [{id: cal1, name: Cleanings}]
        customFields:
          - {id: cf1, name: Insurance provider, fieldKey: contact.insurance_provider}
          - {id: cf2, name: Deal size, model: opportunity}
        users: [{id: u1, name: Dana Smith, email: dana@acme.test}]
        knowledgeBases: [{id: kb1, name: Clinic FAQ}, {id: kb2, name: Pricing}, {id: kb3, name: Clinic hours}]
      - {id: locB, name: Acme Dental Dallas}
      - {id: locC, name: Acme Dental Houston, workflows: []}
`

// lookupEnv seeds lookupSeed and returns a read-write token of locA with
// the CLI's lookup scopes.
func lookupEnv(t *testing.T) (*env, string) {
	e := newEnv(t, sim.Options{})
	simtest.Seed(t, e.s, lookupSeed)
	tok, err := e.s.MintToken("locA", sim.LocationScopes(true)...)
	if err != nil {
		t.Fatal(err)
	}
	return e, tok
}

func names(r resp, key string) []string {
	var out []string
	list, _ := r.body[key].([]any)
	if data, ok := r.body["data"].(map[string]any); ok {
		list, _ = data[key].([]any)
	}
	for _, x := range list {
		out = append(out, x.(map[string]any)["id"].(string))
	}
	return out
}

func TestLookupEndpoints(t *testing.T) {
	e, tok := lookupEnv(t)
	v1 := withVersion("2021-04-15")
	tests := []struct {
		name, path string
		opt        reqOpt
		key        string
		want       string
	}{
		{"workflows", "/workflows/?locationId=locA", v2(), "workflows", "wf1 wf2"},
		{"calendars", "/calendars/?locationId=locA", v1, "calendars", "cal1"},
		{"custom fields", "/locations/locA/customFields", v2(), "customFields", "cf1 cf2"},
		{"contact custom fields", "/locations/locA/customFields?model=contact", v2(), "customFields", "cf1"},
		{"users", "/users/?locationId=locA", v2(), "users", "u1"},
		{"knowledge bases", "/knowledge-bases/?locationId=locA", v1, "knowledgeBases", "kb1 kb2 kb3"},
		{"knowledge bases page", "/knowledge-bases/?locationId=locA&limit=2", v1, "knowledgeBases", "kb1 kb2"},
		{"knowledge bases next page", "/knowledge-bases/?locationId=locA&limit=2&lastKnowledgeBaseId=kb2", v1, "knowledgeBases", "kb3"},
		{"knowledge bases query", "/knowledge-bases/?locationId=locA&query=clinic", v1, "knowledgeBases", "kb1 kb3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("GET", tt.path, tok, nil, tt.opt).must(t, 200)
			if got := strings.Join(names(r, tt.key), " "); got != tt.want {
				t.Errorf("ids %q, want %q: %s", got, tt.want, r.raw)
			}
		})
	}
	t.Run("shapes", func(t *testing.T) {
		wf := e.do("GET", "/workflows/?locationId=locA", tok, nil, v2()).body["workflows"].([]any)
		if w := wf[1].(map[string]any); w["name"] != "Reminder" || w["status"] != "draft" || w["locationId"] != "locA" {
			t.Errorf("workflow %v", w)
		}
		cf := e.do("GET", "/locations/locA/customFields", tok, nil, v2()).body["customFields"].([]any)[0].(map[string]any)
		if cf["fieldKey"] != "contact.insurance_provider" || cf["model"] != "contact" || cf["dataType"] != "TEXT" {
			t.Errorf("custom field %v", cf)
		}
		u := e.do("GET", "/users/?locationId=locA", tok, nil, v2()).body["users"].([]any)[0].(map[string]any)
		if u["email"] != "dana@acme.test" || u["firstName"] != "Dana" || u["lastName"] != "Smith" {
			t.Errorf("user %v", u)
		}
		kb := e.do("GET", "/knowledge-bases/?locationId=locA&limit=2", tok, nil, v1)
		data := kb.body["data"].(map[string]any)
		if data["hasMore"] != true || data["activeCount"] != 3.0 || data["lastKnowledgeBaseId"] != "kb2" || kb.body["success"] != true {
			t.Errorf("knowledge bases %s", kb.raw)
		}
	})
	t.Run("unseeded location lists nothing", func(t *testing.T) {
		b, err := e.s.MintToken("locB", sim.LocationScopes(false)...)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(e.do("GET", "/workflows/?locationId=locB", b, nil, v2()).must(t, 200), "workflows"); len(got) != 0 {
			t.Errorf("workflows %v", got)
		}
	})
}

func TestLookupErrors(t *testing.T) {
	e, tok := lookupEnv(t)
	v1 := withVersion("2021-04-15")
	narrow, err := e.s.MintToken("locA", sim.ScopeReadonly)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, token string
		opt               reqOpt
		loose             bool
		status            int
		message           string
	}{
		{"other location", "/workflows/?locationId=locB", tok, v2(), false, 403, "does not have access to this location"},
		{"other location's fields", "/locations/locB/customFields", tok, v2(), false, 403, "does not have access"},
		{"workflows scope", "/workflows/?locationId=locA", narrow, v2(), false, 401, "not authorized for this scope"},
		{"calendars scope", "/calendars/?locationId=locA", narrow, v1, false, 401, "not authorized for this scope"},
		{"custom fields scope", "/locations/locA/customFields", narrow, v2(), false, 401, "not authorized for this scope"},
		{"users scope", "/users/?locationId=locA", narrow, v2(), false, 401, "not authorized for this scope"},
		{"knowledge bases need no scope", "/knowledge-bases/?locationId=locA", narrow, v1, false, 200, ""},
		{"workflows need locationId", "/workflows/", tok, v2(), true, 422, "locationId should not be empty"},
		{"users need locationId", "/users/", tok, v2(), true, 400, "locationId should not be empty"},
		{"model enum", "/locations/locA/customFields?model=x", tok, v2(), true, 422, "model must be one of"},
		{"knowledge base cursor", "/knowledge-bases/?locationId=locA&lastKnowledgeBaseId=nope", tok, v1, false, 400, "No Knowledge Base found for the id: nope"},
		{"knowledge base limit", "/knowledge-bases/?locationId=locA&limit=101", tok, v1, false, 400, "limit must not be greater than 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send := e.do
			if tt.loose {
				send = e.bad
			}
			r := send("GET", tt.path, tt.token, nil, tt.opt).must(t, tt.status)
			if !strings.Contains(r.messages(), tt.message) {
				t.Errorf("message %q, want %q", r.messages(), tt.message)
			}
		})
	}
}

// TestUnknownReferencesRefused: on a location with a seeded lookup, an id it
// does not have is refused; unseeded kinds and locations take any id.
func TestUnknownReferencesRefused(t *testing.T) {
	e, tok := lookupEnv(t)
	agent := e.do("POST", "/conversation-ai/agents", tok, agentBody("a", map[string]any{"knowledgeBaseIds": []any{"kb1"}})).must(t, 201).str("id")
	other := e.do("POST", "/conversation-ai/agents", tok, agentBody("b", nil)).must(t, 201).str("id")
	with := func(typ string, over map[string]any) map[string]any {
		d := validDetails(typ, other)
		for k, v := range over {
			d[k] = v
		}
		return map[string]any{"type": typ, "name": typ, "details": d}
	}
	follow := validDetails("advancedFollowup", "")
	follow["followupSequence"] = []any{map[string]any{"id": 1, "followupTimeUnit": "hours", "followupTime": 2,
		"triggerWorkflow": true, "workflowId": "wf9"}}
	tests := []struct {
		name string
		body map[string]any
		want string // "" for accepted
	}{
		{"known workflow", with("triggerWorkflow", map[string]any{"workflowIds": []any{"wf1", "wf2"}}), ""},
		{"unknown workflow", with("triggerWorkflow", map[string]any{"workflowIds": []any{"wf1", "wf9"}}), "details.workflowIds must name workflows of this location: wf9"},
		{"unknown calendar", with("appointmentBooking", map[string]any{"calendarId": "cal9", "workflowIds": []any{"wf1"}}), "details.calendarId must be the id of a calendar of this location: cal9"},
		{"booking workflow", with("appointmentBooking", map[string]any{"workflowIds": []any{"wf9"}}), "details.workflowIds must name workflows of this location: wf9"},
		{"known calendar", with("appointmentBooking", map[string]any{"workflowIds": []any{"wf1"}}), ""},
		{"unknown field", with("updateContactField", map[string]any{"contactFieldId": "cf9"}), "details.contactFieldId must be the id of a custom field of this location: cf9"},
		{"unknown user", with("humanHandOver", map[string]any{"assignToUserId": "u9"}), "details.assignToUserId must be the id of a user of this location: u9"},
		{"known user", with("humanHandOver", map[string]any{"assignToUserId": "u1"}), ""},
		{"unknown follow-up workflow", map[string]any{"type": "advancedFollowup", "name": "f", "details": follow}, "details.followupSequence.0.workflowId must be the id of a workflow of this location: wf9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				e.do("POST", "/conversation-ai/agents/"+agent+"/actions", tok, tt.body).must(t, 201)
				return
			}
			r := e.do("POST", "/conversation-ai/agents/"+agent+"/actions", tok, tt.body).must(t, 422)
			if !strings.Contains(r.messages(), tt.want) {
				t.Errorf("message %q, want %q", r.messages(), tt.want)
			}
		})
	}
	t.Run("update action", func(t *testing.T) {
		r := e.do("POST", "/conversation-ai/agents/"+agent+"/actions", tok, with("triggerWorkflow", nil)).must(t, 201)
		id := r.body["data"].(map[string]any)["id"].(string)
		e.do("PUT", "/conversation-ai/agents/"+agent+"/actions/"+id, tok, with("triggerWorkflow", map[string]any{"workflowIds": []any{"wf9"}})).must(t, 422)
	})
	t.Run("agent knowledge bases", func(t *testing.T) {
		r := e.do("POST", "/conversation-ai/agents", tok, agentBody("c", map[string]any{"knowledgeBaseIds": []any{"kb9"}})).must(t, 422)
		if !strings.Contains(r.messages(), "knowledgeBaseIds must name knowledge bases of this location: kb9") {
			t.Errorf("message %q", r.messages())
		}
		e.do("PUT", "/conversation-ai/agents/"+agent, tok, map[string]any{"autoPilotMaxMessages": 5, "knowledgeBaseIds": []any{"kb9"}}).must(t, 422)
	})
	t.Run("unseeded location takes any id", func(t *testing.T) {
		b, err := e.s.MintToken("locB", sim.LocationScopes(true)...)
		if err != nil {
			t.Fatal(err)
		}
		id := e.do("POST", "/conversation-ai/agents", b, agentBody("b", map[string]any{"knowledgeBaseIds": []any{"kb9"}})).must(t, 201).str("id")
		e.do("POST", "/conversation-ai/agents/"+id+"/actions", b, with("triggerWorkflow", map[string]any{"workflowIds": []any{"wf9"}})).must(t, 201)
	})
	t.Run("an empty seeded list refuses every id", func(t *testing.T) {
		c, err := e.s.MintToken("locC", sim.LocationScopes(true)...)
		if err != nil {
			t.Fatal(err)
		}
		id := e.do("POST", "/conversation-ai/agents", c, agentBody("c", nil)).must(t, 201).str("id")
		e.do("POST", "/conversation-ai/agents/"+id+"/actions", c, with("triggerWorkflow", nil)).must(t, 422)
		// Calendars were not seeded for locC: any calendar id.
		e.do("POST", "/conversation-ai/agents/"+id+"/actions", c, with("updateContactField", nil)).must(t, 201)
	})
}
