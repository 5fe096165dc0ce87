package highlevel_test

import (
	"encoding/json"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider/highlevel"
)

// reasonInterrupted is the skip reason apply gives to steps not run after
// its context was cancelled.
const reasonInterrupted = "interrupted"

func ptr[T any](v T) *T { return &v }

// agentKey is the key of an agent, or of its action when action is not "".
func agentKey(agent, action string) plan.Key {
	k := plan.Key{{Kind: highlevel.KindAgent, Name: agent}}
	if action != "" {
		k = k.Child(highlevel.KindAction, action)
	}
	return k
}

// agentOf is the name of the agent a step is about (or under).
func agentOf(s apply.StepResult) string {
	if len(s.Key) == 0 {
		return ""
	}
	return s.Key[0].Name
}

// report is a report-only change about agent name.
func report(name, reason string) plan.Change {
	return plan.Change{Op: plan.OpReport, Kind: highlevel.KindAgent, Key: agentKey(name, ""), Reason: reason}
}

// withDeps sets the changes c depends on (plan.Change.DependsOn).
func withDeps(c plan.Change, deps ...int) plan.Change {
	c.DependsOn = deps
	return c
}

func createAgent(name string) plan.Change {
	return plan.Change{Op: plan.OpCreate, Kind: highlevel.KindAgent, Key: agentKey(name, ""),
		After: map[string]any{"name": name, "mode": "auto-pilot", "personality": "p", "goal": "g", "instructions": "i"}}
}

func updateAgent(a *fakeAgent, mode string) plan.Change {
	return plan.Change{Op: plan.OpUpdate, Kind: highlevel.KindAgent, Key: agentKey(a.agent.Name, ""), ID: a.agent.ID,
		Fingerprint: highlevel.FingerprintAgent(&a.agent),
		After:       map[string]any{"name": a.agent.Name, "mode": mode}}
}

func deleteAgent(a *fakeAgent, deps ...int) plan.Change {
	return plan.Change{Op: plan.OpDelete, Kind: highlevel.KindAgent, Key: agentKey(a.agent.Name, ""), ID: a.agent.ID,
		Fingerprint: highlevel.FingerprintAgent(&a.agent), DependsOn: deps}
}

func createAction(agent, agentID, name, typ string, details map[string]any, deps ...int) plan.Change {
	return plan.Change{Op: plan.OpCreate, Kind: highlevel.KindAction, Key: agentKey(agent, name), ParentID: agentID,
		After: map[string]any{"name": name, "type": typ, "details": details}, DependsOn: deps}
}

func liveActionChange(op plan.Op, a *fakeAgent, i int, details map[string]any) plan.Change {
	act := a.actions[i]
	c := plan.Change{Op: op, Kind: highlevel.KindAction, Key: agentKey(a.agent.Name, act.Name), ID: act.ID,
		ParentID: a.agent.ID, Fingerprint: highlevel.FingerprintAction(act)}
	if details != nil {
		c.After = map[string]any{"name": act.Name, "type": act.Type, "details": details}
	}
	return c
}

func followup(agent, agentID string, actions []any, fingerprint string, deps ...int) plan.Change {
	return plan.Change{Op: plan.OpUpdate, Kind: highlevel.KindFollowup, Key: agentKey(agent, ""), ParentID: agentID,
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

// location is the plan of one HighLevel location.
func location(id string, changes ...plan.Change) plan.TargetPlan {
	return plan.TargetPlan{Kind: highlevel.TargetKind, ID: id, TokenEnv: "TOKEN_" + id, Changes: changes}
}

func oneLocation(id string, changes ...plan.Change) *plan.Plan {
	return &plan.Plan{FormatVersion: plan.FormatVersion, Targets: []plan.TargetPlan{location(id, changes...)}}
}

func details(t *testing.T, a api.Action) map[string]any {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(a.Details, &d); err != nil {
		t.Fatalf("details of %s: %v", a.ID, err)
	}
	return d
}

func outcomes(l apply.TargetReport) []apply.StepOutcome {
	out := make([]apply.StepOutcome, len(l.Steps))
	for i, s := range l.Steps {
		out[i] = s.Outcome
	}
	return out
}

// stepRecorder is a Progress that records events and may run a callback.
type stepRecorder struct {
	steps     []apply.StepResult
	locations []string
	onStep    func(apply.StepResult)
}

func (r *stepRecorder) StepDone(_ string, s apply.StepResult) {
	r.steps = append(r.steps, s)
	if r.onStep != nil {
		r.onStep(s)
	}
}

func (r *stepRecorder) TargetDone(l apply.TargetReport, done, total int) {
	r.locations = append(r.locations, l.ID)
}
