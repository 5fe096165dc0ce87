package plan

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/agentform/agentform/pkg/api"
)

// Resolver maps names to live ids while a plan is applied: ids of agents and
// actions that existed when the plan was made and of those created since.
type Resolver interface {
	AgentID(agentName string) (string, bool)
	ActionID(agentName, actionName string) (string, bool)
}

// agentRefKeys are the details keys, by action type, whose values name another
// agent of the location (an id in the API, a name in a plan).
var agentRefKeys = map[string]string{
	api.ActionTransferBot:        "transferToBot",
	api.ActionAppointmentBooking: "transferAgent",
}

// AgentSettings returns the body to send for an agent create or update change.
func (c Change) AgentSettings() (api.AgentSettings, error) {
	var s api.AgentSettings
	if c.Kind != KindAgent || (c.Op != OpCreate && c.Op != OpUpdate) {
		return s, fmt.Errorf("agent %q: %s %s change has no agent settings", c.Agent, c.Op, c.Kind)
	}
	if err := remarshal(c.After, &s); err != nil {
		return s, fmt.Errorf("agent %q: decode settings: %w", c.Agent, err)
	}
	if s.Name == "" {
		s.Name = c.Agent
	}
	return s, nil
}

// ActionInput returns the body to send for an action create, update or replace
// change, with agent references (transferBot.transferToBot,
// appointmentBooking.transferAgent) resolved to ids.
func (c Change) ActionInput(r Resolver) (api.ActionInput, error) {
	var in api.ActionInput
	if c.Kind != KindAction || (c.Op != OpCreate && c.Op != OpUpdate && c.Op != OpReplace) {
		return in, fmt.Errorf("action %q/%q: %s %s change has no action body", c.Agent, c.Action, c.Op, c.Kind)
	}
	typ, _ := c.After["type"].(string)
	name, _ := c.After["name"].(string)
	if name == "" {
		name = c.Action
	}
	details := map[string]any{}
	if d, ok := c.After["details"].(map[string]any); ok {
		details = cloneMap(d)
	}
	if key, ok := agentRefKeys[typ]; ok {
		if ref, ok := details[key].(string); ok && ref != "" {
			id, err := c.resolveAgentRef(r, ref)
			if err != nil {
				return in, fmt.Errorf("action %q/%q: details.%s: %w", c.Agent, c.Action, key, err)
			}
			details[key] = id
		}
	}
	return api.ActionInput{Type: typ, Name: name, Details: details}, nil
}

// resolveAgentRef turns an agent name of the plan into a live id. Values the
// planner kept as raw ids (KeepIDs) pass through unchanged.
func (c Change) resolveAgentRef(r Resolver, ref string) (string, error) {
	if id, ok := r.AgentID(ref); ok {
		return id, nil
	}
	if slices.Contains(c.KeepIDs, ref) {
		return ref, nil
	}
	return "", fmt.Errorf("agent %q is not known in the location", ref)
}

// FollowupUpdate returns the body to send for a follow-up change, with action
// names resolved to ids.
func (c Change) FollowupUpdate(r Resolver) (api.FollowupSettingsUpdate, error) {
	var up api.FollowupSettingsUpdate
	if c.Kind != KindFollowup || (c.Op != OpCreate && c.Op != OpUpdate) {
		return up, fmt.Errorf("follow-up of %q: %s %s change has no follow-up body", c.Agent, c.Op, c.Kind)
	}
	names, err := stringList(c.After["actions"])
	if err != nil {
		return up, fmt.Errorf("follow-up of %q: actions: %w", c.Agent, err)
	}
	up.ActionIDs = make([]string, 0, len(names))
	for _, n := range names {
		id, ok := r.ActionID(c.Agent, n)
		if !ok {
			return up, fmt.Errorf("follow-up of %q: action %q is not known in the agent", c.Agent, n)
		}
		up.ActionIDs = append(up.ActionIDs, id)
	}
	if err := remarshal(c.After["followupSettings"], &up.FollowupSettings); err != nil {
		return up, fmt.Errorf("follow-up of %q: decode settings: %w", c.Agent, err)
	}
	return up, nil
}

// remarshal converts v (JSON types) into out through JSON.
func remarshal(v, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// stringList reads a JSON list of strings ([]any or []string).
func stringList(v any) ([]string, error) {
	switch l := v.(type) {
	case []string:
		return l, nil
	case []any:
		out := make([]string, 0, len(l))
		for i, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("item %d is %T, want a string", i, e)
			}
			out = append(out, s)
		}
		return out, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("%T is not a list of strings", v)
}

// cloneMap copies m deeply (maps and lists), so callers may change the copy.
func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return cloneMap(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}
