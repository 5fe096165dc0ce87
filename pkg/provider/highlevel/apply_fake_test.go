package highlevel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
)

// fakeAPI is an in-memory highlevel.API for unit tests. Calls are recorded as
// "Method arg..." strings; hooks inject failures and lost answers.
type fakeAPI struct {
	mu     sync.Mutex
	agents []*fakeAgent
	seq    int
	calls  []string

	// fail, when set, may fail a call before it takes effect.
	fail func(call string) error
	// lose, when set, makes a POST take effect and then lose its answer
	// (api.AmbiguousError); returning "skip" loses it without the effect.
	lose func(call string) string
	// mangle, when set, alters what a lost create stores.
	mangle func(a *api.Agent)
}

type fakeAgent struct {
	agent   api.Agent
	actions []api.Action
}

func (f *fakeAPI) record(ctx context.Context, call string) error {
	f.mu.Lock()
	f.calls = append(f.calls, call)
	hook := f.fail
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if hook != nil {
		return hook(call)
	}
	return nil
}

func (f *fakeAPI) lost(call string) string {
	if f.lose == nil {
		return ""
	}
	return f.lose(call)
}

func (f *fakeAPI) newID(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s%03d", prefix, f.seq)
}

func notFound(what string) error {
	return &api.Error{Status: http.StatusBadRequest, Message: "No Agent found for the id: " + what}
}

func (f *fakeAPI) find(id string) *fakeAgent {
	for _, a := range f.agents {
		if a.agent.ID == id {
			return a
		}
	}
	return nil
}

// addAgent stores a live agent with actions (ids assigned) and returns it.
func (f *fakeAPI) addAgent(s api.AgentSettings, actions ...api.Action) *fakeAgent {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := &fakeAgent{agent: api.Agent{ID: f.newID("ag"), AgentSettings: s}}
	for _, act := range actions {
		act.ID, act.AgentID = f.newID("ac"), a.agent.ID
		a.actions = append(a.actions, act)
	}
	f.agents = append(f.agents, a)
	return a
}

func (f *fakeAPI) writes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var w []string
	for _, c := range f.calls {
		for _, p := range []string{"Create", "Update", "Delete", "Followup"} {
			if strings.HasPrefix(c, p) {
				w = append(w, c)
			}
		}
	}
	return w
}

func (f *fakeAPI) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeAPI) AllAgents(ctx context.Context) ([]api.AgentSummary, error) {
	if err := f.record(ctx, "AllAgents"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []api.AgentSummary
	for _, a := range f.agents {
		out = append(out, api.AgentSummary{ID: a.agent.ID, Name: a.agent.Name})
	}
	return out, nil
}

func (f *fakeAPI) SearchAgents(ctx context.Context, p api.SearchParams) (*api.SearchPage, error) {
	if err := f.record(ctx, "SearchAgents "+p.Query); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	page := &api.SearchPage{}
	for _, a := range f.agents {
		if strings.Contains(strings.ToLower(a.agent.Name), p.Query) {
			page.Agents = append(page.Agents, api.AgentSummary{ID: a.agent.ID, Name: a.agent.Name})
		}
	}
	page.TotalCount, page.Count = len(page.Agents), len(page.Agents)
	return page, nil
}

func (f *fakeAPI) GetAgent(ctx context.Context, id string) (*api.Agent, error) {
	if err := f.record(ctx, "GetAgent "+id); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(id)
	if a == nil {
		return nil, notFound(id)
	}
	cp := a.agent
	return &cp, nil
}

func (f *fakeAPI) ListActions(ctx context.Context, id string) ([]api.Action, error) {
	if err := f.record(ctx, "ListActions "+id); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(id)
	if a == nil {
		return nil, notFound(id)
	}
	return append([]api.Action(nil), a.actions...), nil
}

func (f *fakeAPI) CreateAgent(ctx context.Context, in api.AgentSettings) (*api.Agent, error) {
	call := "CreateAgent " + in.Name
	if err := f.record(ctx, call); err != nil {
		return nil, err
	}
	lost := f.lost(call)
	if lost == "skip" {
		return nil, &api.AmbiguousError{Method: "POST", Path: "/conversation-ai/agents", Err: fmt.Errorf("connection reset")}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := &fakeAgent{agent: api.Agent{ID: f.newID("ag"), AgentSettings: in}}
	if lost != "" && f.mangle != nil {
		f.mangle(&a.agent)
	}
	f.agents = append(f.agents, a)
	if lost != "" {
		return nil, &api.AmbiguousError{Method: "POST", Path: "/conversation-ai/agents", Err: fmt.Errorf("connection reset")}
	}
	cp := a.agent
	return &cp, nil
}

func (f *fakeAPI) UpdateAgent(ctx context.Context, id string, in api.AgentSettings) (*api.Agent, error) {
	if err := f.record(ctx, "UpdateAgent "+id); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(id)
	if a == nil {
		return nil, notFound(id)
	}
	a.agent.AgentSettings = in
	cp := a.agent
	return &cp, nil
}

func (f *fakeAPI) DeleteAgent(ctx context.Context, id string) error {
	if err := f.record(ctx, "DeleteAgent "+id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, a := range f.agents {
		if a.agent.ID == id {
			f.agents = append(f.agents[:i], f.agents[i+1:]...)
			return nil
		}
	}
	return notFound(id)
}

func toAction(id, agentID string, in api.ActionInput) api.Action {
	details, _ := json.Marshal(in.Details)
	return api.Action{ID: id, Name: in.Name, Type: in.Type, AgentID: agentID, Details: details}
}

func (f *fakeAPI) CreateAction(ctx context.Context, agentID string, in api.ActionInput) (*api.Action, error) {
	call := "CreateAction " + agentID + " " + in.Name
	if err := f.record(ctx, call); err != nil {
		return nil, err
	}
	lost := f.lost(call)
	ambiguous := &api.AmbiguousError{Method: "POST", Path: "/conversation-ai/agents/" + agentID + "/actions", Err: fmt.Errorf("EOF")}
	if lost == "skip" {
		return nil, ambiguous
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(agentID)
	if a == nil {
		return nil, notFound(agentID)
	}
	act := toAction(f.newID("ac"), agentID, in)
	a.actions = append(a.actions, act)
	if lost != "" {
		return nil, ambiguous
	}
	return &act, nil
}

func (f *fakeAPI) UpdateAction(ctx context.Context, agentID, actionID string, in api.ActionInput) (*api.Action, error) {
	if err := f.record(ctx, "UpdateAction "+agentID+" "+actionID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(agentID)
	if a == nil {
		return nil, notFound(agentID)
	}
	for i := range a.actions {
		if a.actions[i].ID == actionID {
			a.actions[i] = toAction(actionID, agentID, in)
			cp := a.actions[i]
			return &cp, nil
		}
	}
	return nil, &api.Error{Status: http.StatusNotFound, Message: "No Action found"}
}

func (f *fakeAPI) DeleteAction(ctx context.Context, agentID, actionID string) error {
	if err := f.record(ctx, "DeleteAction "+agentID+" "+actionID); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(agentID)
	if a == nil {
		return notFound(agentID)
	}
	for i := range a.actions {
		if a.actions[i].ID == actionID {
			a.actions = append(a.actions[:i], a.actions[i+1:]...)
			return nil
		}
	}
	return &api.Error{Status: http.StatusNotFound, Message: "No Action found"}
}

func (f *fakeAPI) UpdateFollowupSettings(ctx context.Context, agentID string, in api.FollowupSettingsUpdate) error {
	if err := f.record(ctx, "Followup "+agentID+" "+strings.Join(in.ActionIDs, ",")); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.find(agentID)
	if a == nil {
		return notFound(agentID)
	}
	for _, id := range in.ActionIDs {
		found := false
		for i := range a.actions {
			if a.actions[i].ID != id {
				continue
			}
			var d map[string]any
			_ = json.Unmarshal(a.actions[i].Details, &d)
			if d == nil {
				d = map[string]any{}
			}
			d["followupSettings"] = in.FollowupSettings
			a.actions[i].Details, _ = json.Marshal(d)
			found = true
		}
		if !found {
			return &api.Error{Status: http.StatusUnprocessableEntity, Message: "unknown action " + id}
		}
	}
	return nil
}

// fleet maps location ids to fake APIs; connect opens them.
type fleet map[string]*fakeAPI

func (fl fleet) connect(_ context.Context, lp *plan.TargetPlan) (provider.Session, error) {
	f, ok := fl[lp.ID]
	if !ok {
		return nil, fmt.Errorf("location %s: environment variable %s is not set", lp.ID, lp.TokenEnv)
	}
	return f, nil
}

var _ highlevel.API = (*fakeAPI)(nil)
