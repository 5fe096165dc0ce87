package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/contract"
)

// seenRequest is what a test server received.
type seenRequest struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// Fixtures shaped as the documents require.
var (
	fixtureAgent = map[string]any{
		"id": "ag1", "name": "Front desk", "mode": "auto-pilot", "channels": []string{"SMS"},
		"waitTime": 2, "waitTimeUnit": "minutes", "sleepEnabled": false, "isPrimary": true,
		"autoPilotMaxMessages": 10, "actions": []any{map[string]any{"id": "ac1", "type": "triggerWorkflow"}},
		"traceId": "t-1", "someFutureField": map[string]any{"x": 1},
	}
	fixtureAction = map[string]any{
		"id": "ac1", "name": "Book", "type": "triggerWorkflow", "agentId": "ag1",
		"details": map[string]any{"workflowIds": []string{"wf1"}, "triggerCondition": "asks to book"},
	}
	fixtureSearch = map[string]any{
		"agents": []any{map[string]any{
			"id": "ag1", "name": "Front desk", "mode": "off", "channels": []string{}, "waitTime": 1,
			"waitTimeUnit": "minutes", "sleepEnabled": false, "actions": []any{}, "isPrimary": true,
			"autoPilotMaxMessages": 5, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
			"goal": map[string]any{"text": "help"},
		}},
		"totalCount": 1, "count": 1, "traceId": "t-2",
	}
	fixtureGeneration = map[string]any{
		"prompt": "p", "responseMessage": "hi", "actionLogs": []any{}, "history": []any{}, "agentId": "ag1",
	}
	wrap = func(data any) map[string]any { return map[string]any{"data": data, "success": true} }
)

// TestRequestShape checks, for every one of the 12 endpoints, the method, path,
// query, headers and body the client sends and that it decodes the answer;
// every exchange is validated against the OpenAPI documents.
func TestRequestShape(t *testing.T) {
	str := func(s string) *string { return &s }
	f := func(v float64) *float64 { return &v }
	no := false
	settings := AgentSettings{
		Name: "Front desk", Personality: str("kind"), Goal: str("book"), Instructions: str("be brief"),
		Mode: str("auto-pilot"), Channels: []string{"SMS"}, AutoPilotMaxMessages: f(10), IsPrimary: &no,
	}
	settingsJSON := `{"name":"Front desk","personality":"kind","goal":"book","instructions":"be brief",
		"mode":"auto-pilot","channels":["SMS"],"autoPilotMaxMessages":10,"isPrimary":false}`
	actionIn := ActionInput{Type: ActionTriggerWorkflow, Name: "Book",
		Details: TriggerWorkflowDetails{WorkflowIDs: []string{"wf1"}, TriggerCondition: "asks to book"}}
	actionJSON := `{"type":"triggerWorkflow","name":"Book","details":{"workflowIds":["wf1"],"triggerCondition":"asks to book"}}`
	followup := FollowupSettingsUpdate{ActionIDs: []string{"ac1"}, FollowupSettings: FollowupSettings{DynamicChannelSwitching: true}}

	tests := []struct {
		name      string
		call      func(context.Context, *Location) (any, error)
		method    string
		path      string
		query     string
		body      string // expected JSON body; empty for none
		status    int
		answer    any
		wantValue any
	}{
		{
			name: "CreateAgent",
			call: func(ctx context.Context, l *Location) (any, error) {
				a, err := l.CreateAgent(ctx, settings)
				return a.ID, err
			},
			method: "POST", path: "/conversation-ai/agents", body: settingsJSON,
			status: 201, answer: fixtureAgent, wantValue: "ag1",
		},
		{
			name: "SearchAgents",
			call: func(ctx context.Context, l *Location) (any, error) {
				p, err := l.SearchAgents(ctx, SearchParams{StartAfter: "ag0", Limit: 50, Query: "front"})
				return p.Agents[0].ID, err
			},
			method: "GET", path: "/conversation-ai/agents/search", query: "limit=50&query=front&startAfter=ag0",
			status: 200, answer: fixtureSearch, wantValue: "ag1",
		},
		{
			name: "GetAgent",
			call: func(ctx context.Context, l *Location) (any, error) {
				a, err := l.GetAgent(ctx, "ag1")
				return a.Actions[0].ID, err
			},
			method: "GET", path: "/conversation-ai/agents/ag1",
			status: 200, answer: fixtureAgent, wantValue: "ac1",
		},
		{
			name: "UpdateAgent",
			call: func(ctx context.Context, l *Location) (any, error) {
				a, err := l.UpdateAgent(ctx, "ag1", settings)
				return *a.Mode, err
			},
			method: "PUT", path: "/conversation-ai/agents/ag1", body: settingsJSON,
			status: 200, answer: fixtureAgent, wantValue: "auto-pilot",
		},
		{
			name:   "DeleteAgent",
			call:   func(ctx context.Context, l *Location) (any, error) { return nil, l.DeleteAgent(ctx, "ag1") },
			method: "DELETE", path: "/conversation-ai/agents/ag1",
			status: 200, answer: map[string]any{"success": true, "id": "ag1"},
		},
		{
			name: "CreateAction",
			call: func(ctx context.Context, l *Location) (any, error) {
				a, err := l.CreateAction(ctx, "ag1", actionIn)
				return a.ID, err
			},
			method: "POST", path: "/conversation-ai/agents/ag1/actions", body: actionJSON,
			status: 201, answer: wrap(fixtureAction), wantValue: "ac1",
		},
		{
			name: "ListActions",
			call: func(ctx context.Context, l *Location) (any, error) {
				as, err := l.ListActions(ctx, "ag1")
				return as[0].Type, err
			},
			method: "GET", path: "/conversation-ai/agents/ag1/actions/list",
			status: 200, answer: wrap([]any{fixtureAction}), wantValue: "triggerWorkflow",
		},
		{
			name: "GetAction",
			call: func(ctx context.Context, l *Location) (any, error) {
				a, err := l.GetAction(ctx, "ag1", "ac1")
				return a.AgentID, err
			},
			method: "GET", path: "/conversation-ai/agents/ag1/actions/ac1",
			status: 200, answer: wrap(fixtureAction), wantValue: "ag1",
		},
		{
			name: "UpdateAction",
			call: func(ctx context.Context, l *Location) (any, error) {
				a, err := l.UpdateAction(ctx, "ag1", "ac1", actionIn)
				return a.Name, err
			},
			method: "PUT", path: "/conversation-ai/agents/ag1/actions/ac1", body: actionJSON,
			status: 200, answer: wrap(fixtureAction), wantValue: "Book",
		},
		{
			name:   "DeleteAction",
			call:   func(ctx context.Context, l *Location) (any, error) { return nil, l.DeleteAction(ctx, "ag1", "ac1") },
			method: "DELETE", path: "/conversation-ai/agents/ag1/actions/ac1",
			status: 200, answer: wrap(map[string]any{"id": "ac1"}),
		},
		{
			name: "UpdateFollowupSettings",
			call: func(ctx context.Context, l *Location) (any, error) {
				return nil, l.UpdateFollowupSettings(ctx, "ag1", followup)
			},
			method: "PATCH", path: "/conversation-ai/agents/ag1/followup-settings",
			body:   `{"actionIds":["ac1"],"followupSettings":{"dynamicChannelSwitching":true}}`,
			status: 200, answer: wrap(fixtureAction),
		},
		{
			name: "GetGeneration",
			call: func(ctx context.Context, l *Location) (any, error) {
				g, err := l.GetGeneration(ctx, "msg 1", SourceConversation)
				return g.ResponseMessage, err
			},
			method: "GET", path: "/conversation-ai/generations", query: "messageId=msg+1&source=conversation",
			status: 200, answer: fixtureGeneration, wantValue: "hi",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan seenRequest, 1)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got <- seenRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), b}
				writeJSON(w, tt.status, tt.answer)
			})
			rec := &contract.Recorder{}
			env := newTestEnv(t, h, func(o *Options) {
				o.UserAgent = "agentform/1.2.3"
				rec.Base = o.HTTPClient.Transport
				o.HTTPClient = &http.Client{Transport: rec}
			})
			value, err := tt.call(context.Background(), env.loc)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if tt.wantValue != nil && value != tt.wantValue {
				t.Errorf("decoded %v, want %v", value, tt.wantValue)
			}
			r := <-got
			if r.method != tt.method || r.path != tt.path || r.query != tt.query {
				t.Errorf("sent %s %s?%s, want %s %s?%s", r.method, r.path, r.query, tt.method, tt.path, tt.query)
			}
			wantHeaders := map[string]string{
				"Authorization": "Bearer " + testToken,
				"Version":       DefaultVersion,
				"User-Agent":    "agentform/1.2.3",
				"Accept":        "application/json",
			}
			if tt.body != "" {
				wantHeaders["Content-Type"] = "application/json"
			}
			for k, v := range wantHeaders {
				if got := r.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			assertJSONEqual(t, r.body, tt.body)
			if v := rec.Violations(); len(v) > 0 {
				t.Errorf("contract violations:\n%s", strings.Join(v, "\n"))
			}
			if rec.Exchanges() != 1 {
				t.Errorf("recorder saw %d exchanges, want 1", rec.Exchanges())
			}
		})
	}
}

// assertJSONEqual compares a sent body with the expected JSON (empty: no body).
func assertJSONEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	if want == "" {
		if len(got) != 0 {
			t.Errorf("sent body %s, want none", got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("sent body %q is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("sent body\n%s\nwant\n%s", got, want)
	}
}

// TestDecodeIgnoresUnknownFields proves unknown fields (traceId, future ones)
// never break decoding.
func TestDecodeIgnoresUnknownFields(t *testing.T) {
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fixtureAgent)
	}))
	a, err := env.loc.GetAgent(context.Background(), "ag1")
	if err != nil {
		t.Fatalf("GetAgent: %v", err)
	}
	if a.Name != "Front desk" || len(a.Channels) != 1 {
		t.Errorf("decoded %+v", a)
	}
}

// TestEmptyIDRefused checks that an empty id never produces a request to
// another endpoint.
func TestEmptyIDRefused(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.inc() }))
	ctx := context.Background()
	calls := map[string]func() error{
		"GetAgent":     func() error { _, err := env.loc.GetAgent(ctx, ""); return err },
		"DeleteAgent":  func() error { return env.loc.DeleteAgent(ctx, "") },
		"DeleteAction": func() error { return env.loc.DeleteAction(ctx, "ag1", "") },
		"GetGeneration": func() error {
			_, err := env.loc.GetGeneration(ctx, "", SourceWorkflow)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			if err := call(); err == nil {
				t.Error("no error for an empty id")
			}
		})
	}
	if hits.get() != 0 {
		t.Errorf("%d requests reached the server", hits.get())
	}
}
