package apply

import (
	"encoding/json"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

func ptr[T any](v T) *T { return &v }

func createAgent(name string) plan.Change {
	return plan.Change{Op: plan.OpCreate, Kind: plan.KindAgent, Agent: name,
		After: map[string]any{"name": name, "mode": "auto-pilot", "personality": "p", "goal": "g", "instructions": "i"}}
}

func updateAgent(a *fakeAgent, mode string) plan.Change {
	return plan.Change{Op: plan.OpUpdate, Kind: plan.KindAgent, Agent: a.agent.Name, ID: a.agent.ID,
		Fingerprint: plan.FingerprintAgent(&a.agent),
		After:       map[string]any{"name": a.agent.Name, "mode": mode}}
}

func deleteAgent(a *fakeAgent) plan.Change {
	return plan.Change{Op: plan.OpDelete, Kind: plan.KindAgent, Agent: a.agent.Name, ID: a.agent.ID,
		Fingerprint: plan.FingerprintAgent(&a.agent)}
}

func createAction(agent, agentID, name, typ string, details map[string]any, deps ...int) plan.Change {
	return plan.Change{Op: plan.OpCreate, Kind: plan.KindAction, Agent: agent, Action: name, AgentID: agentID,
		After: map[string]any{"name": name, "type": typ, "details": details}, DependsOn: deps}
}

func liveActionChange(op plan.Op, a *fakeAgent, i int, details map[string]any) plan.Change {
	act := a.actions[i]
	c := plan.Change{Op: op, Kind: plan.KindAction, Agent: a.agent.Name, Action: act.Name, ID: act.ID,
		AgentID: a.agent.ID, Fingerprint: plan.FingerprintAction(act)}
	if details != nil {
		c.After = map[string]any{"name": act.Name, "type": act.Type, "details": details}
	}
	return c
}

func followup(agent, agentID string, actions []any, fingerprint string, deps ...int) plan.Change {
	return plan.Change{Op: plan.OpUpdate, Kind: plan.KindFollowup, Agent: agent, AgentID: agentID,
		Fingerprint: fingerprint, DependsOn: deps,
		After: map[string]any{"actions": actions, "followupSettings": map[string]any{"dynamicChannelSwitching": true}}}
}

func liveAction(name, typ string, details map[string]any) api.Action {
	b, _ := json.Marshal(details)
	return api.Action{Name: name, Type: typ, Details: b}
}

func transferDetails(to string) map[string]any {
	return map[string]any{"transferBotType": "Default", "transferToBot": to, "enabled": true}
}

func stopDetails() map[string]any {
	return map[string]any{"stopBotDetectionType": "Goodbye", "stopBotTriggerCondition": "done", "enabled": true,
		"reactivateEnabled": false, "stopBotExamples": []any{"bye", "thanks"}, "finalMessage": "bye"}
}

func followupDetails() map[string]any {
	return map[string]any{"enabled": true, "scenarioId": "contactStoppedReplying",
		"followupSequence": []any{map[string]any{"id": 1.0, "followupTimeUnit": "hours", "followupTime": 2.0}}}
}

func oneLocation(id string, changes ...plan.Change) *plan.Plan {
	return &plan.Plan{FormatVersion: plan.FormatVersion, Locations: []plan.LocationPlan{{LocationID: id, TokenEnv: "TOKEN_" + id, Changes: changes}}}
}

func details(t *testing.T, a api.Action) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(a.Details, &d); err != nil {
		t.Fatalf("details of %s: %v", a.ID, err)
	}
	return d
}

func outcomes(l LocationReport) []StepOutcome {
	out := make([]StepOutcome, len(l.Steps))
	for i, s := range l.Steps {
		out[i] = s.Outcome
	}
	return out
}

// stepRecorder is a Progress that records events and may run a callback.
type stepRecorder struct {
	steps     []StepResult
	locations []string
	onStep    func(StepResult)
}

func (r *stepRecorder) StepDone(_ string, s StepResult) {
	r.steps = append(r.steps, s)
	if r.onStep != nil {
		r.onStep(s)
	}
}

func (r *stepRecorder) LocationDone(l LocationReport, done, total int) {
	r.locations = append(r.locations, l.LocationID)
}
