package sim_test

import (
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

func TestAccess(t *testing.T) {
	e := newEnv(t, sim.Options{})
	mine := e.createAgent("mine", nil)
	act := e.createAction(mine, "triggerWorkflow", validDetails("triggerWorkflow", ""))
	otherTok := e.rwToken("LocOTHERxxxxxxxxxxxx")
	theirs := e.do("POST", "/conversation-ai/agents", otherTok, agentBody("theirs", nil)).must(t, 201).str("id")
	writeOnly, err := e.s.MintToken(loc, sim.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	upd := map[string]any{"autoPilotMaxMessages": 3}
	action := map[string]any{"type": "triggerWorkflow", "name": "x", "details": validDetails("triggerWorkflow", "")}
	const scopeMsg = "The token is not authorized for this scope."
	tests := []struct {
		name         string
		method, path string
		token        string
		body         any
		opts         []reqOpt
		status       int
		msg          string
		errField     string
	}{
		{"no token", "GET", "/conversation-ai/agents/" + mine, "", nil, nil, 401, "Invalid token: access token is invalid", "Unauthorized"},
		{"unknown token", "GET", "/conversation-ai/agents/" + mine, "pit-made-up", nil, nil, 401, "Invalid token", "Unauthorized"},
		{"missing Version", "GET", "/conversation-ai/agents/" + mine, e.ro, nil, []reqOpt{noVersion()}, 400, "Version header must be one of: 2021-04-15", "Bad Request"},
		{"unknown Version", "GET", "/conversation-ai/agents/" + mine, e.ro, nil, []reqOpt{withVersion("2020-01-01")}, 400, "Version header", "Bad Request"},
		{"unknown route", "GET", "/conversation-ai/nothing", e.ro, nil, nil, 404, "Cannot GET /conversation-ai/nothing", "Not Found"},
		{"unknown method", "PATCH", "/conversation-ai/agents/" + mine, e.rw, upd, nil, 404, "Cannot PATCH", "Not Found"},
		{"readonly cannot create agent", "POST", "/conversation-ai/agents", e.ro, agentBody("x", nil), nil, 401, scopeMsg, ""},
		{"readonly cannot update agent", "PUT", "/conversation-ai/agents/" + mine, e.ro, upd, nil, 401, scopeMsg, ""},
		{"readonly cannot delete agent", "DELETE", "/conversation-ai/agents/" + mine, e.ro, nil, nil, 401, scopeMsg, ""},
		{"readonly cannot attach action", "POST", "/conversation-ai/agents/" + mine + "/actions", e.ro, action, nil, 401, scopeMsg, ""},
		{"readonly cannot update action", "PUT", "/conversation-ai/agents/" + mine + "/actions/" + act, e.ro, action, nil, 401, scopeMsg, ""},
		{"readonly cannot delete action", "DELETE", "/conversation-ai/agents/" + mine + "/actions/" + act, e.ro, nil, nil, 401, scopeMsg, ""},
		{"readonly cannot patch followups", "PATCH", "/conversation-ai/agents/" + mine + "/followup-settings", e.ro, map[string]any{"actionIds": []any{act}, "followupSettings": map[string]any{"dynamicChannelSwitching": true}}, nil, 401, scopeMsg, ""},
		{"write-only cannot read", "GET", "/conversation-ai/agents/search", writeOnly, nil, nil, 401, scopeMsg, ""},
		{"another location's agent: get", "GET", "/conversation-ai/agents/" + theirs, e.ro, nil, nil, 403, "The token does not have access to this location", "Forbidden"},
		{"another location's agent: update", "PUT", "/conversation-ai/agents/" + theirs, e.rw, upd, nil, 403, "does not have access to this location", "Forbidden"},
		{"another location's agent: delete", "DELETE", "/conversation-ai/agents/" + theirs, e.rw, nil, nil, 403, "does not have access", "Forbidden"},
		{"another location's agent: actions", "GET", "/conversation-ai/agents/" + theirs + "/actions/list", e.ro, nil, nil, 403, "does not have access", "Forbidden"},
		{"another location's agent: attach", "POST", "/conversation-ai/agents/" + theirs + "/actions", e.rw, action, nil, 403, "does not have access", "Forbidden"},
		{"unknown agent: get", "GET", "/conversation-ai/agents/nope123", e.ro, nil, nil, 400, "No Agent found for the id: nope123", "Bad Request"},
		{"unknown agent: delete", "DELETE", "/conversation-ai/agents/nope123", e.rw, nil, nil, 400, "No Agent found for the id: nope123", "Bad Request"},
		{"unknown agent: list actions", "GET", "/conversation-ai/agents/nope123/actions/list", e.ro, nil, nil, 400, "No Agent found for the id: nope123", "Bad Request"},
		{"unknown action: get", "GET", "/conversation-ai/agents/" + mine + "/actions/nope456", e.ro, nil, nil, 400, "No Action found for the id: nope456", "Bad Request"},
		{"unknown action: update", "PUT", "/conversation-ai/agents/" + mine + "/actions/nope456", e.rw, action, nil, 400, "No Action found for the id: nope456", "Bad Request"},
		{"unknown action: delete", "DELETE", "/conversation-ai/agents/" + mine + "/actions/nope456", e.rw, nil, nil, 400, "No Action found for the id: nope456", "Bad Request"},
		{"generations needs messageId", "GET", "/conversation-ai/generations?source=workflow", e.ro, nil, nil, 422, "messageId should not be empty", "Unprocessable Entity"},
		{"generations source enum", "GET", "/conversation-ai/generations?messageId=m&source=sms", e.ro, nil, nil, 422, "source must be one of the following values: conversation, workflow", "Unprocessable Entity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.bad(tt.method, tt.path, tt.token, tt.body, tt.opts...).must(t, tt.status)
			if !strings.Contains(r.messages(), tt.msg) {
				t.Errorf("message %q lacks %q", r.messages(), tt.msg)
			}
			if r.str("error") != tt.errField {
				t.Errorf("error field %q, want %q", r.str("error"), tt.errField)
			}
			if r.body["statusCode"] != float64(tt.status) {
				t.Errorf("statusCode %v, want %d", r.body["statusCode"], tt.status)
			}
		})
	}
	// Nothing above changed anything.
	if a := e.s.AgentsOf(loc); len(a) != 1 || len(a[0].Actions) != 1 || a[0].AutoPilotMaxMessages != 75 {
		t.Errorf("refused requests changed state: %+v", a)
	}
	if a := e.s.AgentsOf("LocOTHERxxxxxxxxxxxx"); len(a) != 1 {
		t.Errorf("the other location changed: %+v", a)
	}
}

func TestActionOfAnotherAgentIsUnknown(t *testing.T) {
	e := newEnv(t, sim.Options{})
	a := e.createAgent("a", nil)
	b := e.createAgent("b", nil)
	act := e.createAction(a, "triggerWorkflow", validDetails("triggerWorkflow", ""))
	r := e.do("GET", "/conversation-ai/agents/"+b+"/actions/"+act, e.ro, nil).must(t, 400)
	if r.messages() != "No Action found for the id: "+act {
		t.Errorf("message %q", r.messages())
	}
}

func TestMintTokenRejects(t *testing.T) {
	s, err := sim.New(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		location string
		scopes   []string
	}{
		{"no scopes", loc, nil},
		{"unknown scope", loc, []string{"contacts.write"}},
		{"empty location", "", []string{sim.ScopeReadonly}},
		{"location with a slash", "a/b", []string{sim.ScopeReadonly}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tok, err := s.MintToken(tt.location, tt.scopes...); err == nil {
				t.Fatalf("minted %q, want an error", tok)
			}
		})
	}
}
