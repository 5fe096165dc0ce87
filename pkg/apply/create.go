package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

// maxCreateAttempts bounds the POSTs of one create whose answers get lost.
const maxCreateAttempts = 3

// searchPageSize is the page size of the name lookups after a lost answer.
const searchPageSize = 100

// createAgent creates the change's agent. When the answer is lost it looks
// the agent up by name before it tries again (see the package doc).
func (l *locationRun) createAgent(ctx context.Context, c plan.Change, settings api.AgentSettings, res *StepResult) error {
	var lost error
	for range maxCreateAttempts {
		a, err := l.w.CreateAgent(ctx, settings)
		if err == nil {
			l.res.setAgent(c.Agent, a.ID)
			res.NewID = a.ID
			return nil
		}
		if !api.IsAmbiguous(err) {
			return fmt.Errorf("create agent %q: %w", c.Agent, err)
		}
		lost = err
		ids, err := l.findAgents(ctx, c.Agent)
		if err != nil {
			return fmt.Errorf("create agent %q: answer lost (%v); looking it up by name failed: %w", c.Agent, lost, err)
		}
		switch len(ids) {
		case 0:
			continue // it was not created: try again
		case 1:
			if err := l.reconcileAgent(ctx, ids[0], settings); err != nil {
				return fmt.Errorf("create agent %q: adopted id %s: %w", c.Agent, ids[0], err)
			}
			l.res.setAgent(c.Agent, ids[0])
			res.NewID, res.Adopted = ids[0], true
			return nil
		default:
			return fmt.Errorf("create agent %q: answer lost and %d agents now have this name (ids %s): remove the extra ones by hand",
				c.Agent, len(ids), strings.Join(ids, ", "))
		}
	}
	return fmt.Errorf("create agent %q: answer lost %d times and the agent does not exist: %w", c.Agent, maxCreateAttempts, lost)
}

// findAgents returns the ids of the live agents named exactly name.
func (l *locationRun) findAgents(ctx context.Context, name string) ([]string, error) {
	var ids []string
	params := api.SearchParams{Query: strings.ToLower(name), Limit: searchPageSize}
	seen := 0
	for {
		page, err := l.w.SearchAgents(ctx, params)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Agents {
			if a.Name == name {
				ids = append(ids, a.ID)
			}
		}
		seen += len(page.Agents)
		if len(page.Agents) == 0 || seen >= page.TotalCount {
			return ids, nil
		}
		params.StartAfter = page.Agents[len(page.Agents)-1].ID
	}
}

// reconcileAgent updates an adopted agent when its settings differ from the
// desired ones, sending the live settings overlaid with the desired.
func (l *locationRun) reconcileAgent(ctx context.Context, id string, want api.AgentSettings) error {
	live, err := l.w.GetAgent(ctx, id)
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	if contains(live.AgentSettings, want) {
		return nil
	}
	var merged api.AgentSettings
	if err := overlay(live.AgentSettings, want, &merged); err != nil {
		return err
	}
	if _, err := l.w.UpdateAgent(ctx, id, merged); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	return nil
}

// createAction creates the change's action on agentID, looking it up by name
// when an answer is lost.
func (l *locationRun) createAction(ctx context.Context, c plan.Change, agentID string, in api.ActionInput, res *StepResult) error {
	var lost error
	for range maxCreateAttempts {
		a, err := l.w.CreateAction(ctx, agentID, in)
		if err == nil {
			l.res.setAction(c.Agent, c.Action, a.ID)
			res.NewID = a.ID
			return nil
		}
		if !api.IsAmbiguous(err) {
			return fmt.Errorf("create action %q/%q: %w", c.Agent, c.Action, err)
		}
		lost = err
		found, err := l.findActions(ctx, agentID, c.Action)
		if err != nil {
			return fmt.Errorf("create action %q/%q: answer lost (%v); looking it up by name failed: %w", c.Agent, c.Action, lost, err)
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			if !contains(found[0], in) {
				if _, err := l.w.UpdateAction(ctx, agentID, found[0].ID, in); err != nil {
					return fmt.Errorf("create action %q/%q: adopted id %s: update: %w", c.Agent, c.Action, found[0].ID, err)
				}
			}
			l.res.setAction(c.Agent, c.Action, found[0].ID)
			res.NewID, res.Adopted = found[0].ID, true
			return nil
		default:
			ids := make([]string, len(found))
			for i, a := range found {
				ids[i] = a.ID
			}
			return fmt.Errorf("create action %q/%q: answer lost and %d actions now have this name (ids %s): remove the extra ones by hand",
				c.Agent, c.Action, len(ids), strings.Join(ids, ", "))
		}
	}
	return fmt.Errorf("create action %q/%q: answer lost %d times and the action does not exist: %w", c.Agent, c.Action, maxCreateAttempts, lost)
}

// findActions returns the live actions of agentID named exactly name.
func (l *locationRun) findActions(ctx context.Context, agentID, name string) ([]api.Action, error) {
	list, err := l.w.ListActions(ctx, agentID)
	if err != nil {
		return nil, err
	}
	var found []api.Action
	for _, a := range list {
		if a.Name == name {
			found = append(found, a)
		}
	}
	return found, nil
}

// contains reports whether every field of want's JSON form is present with an
// equal value in live's JSON form (objects recursively; lists element-wise).
// Fields the server fills in (ids, defaults) are thus ignored.
func contains(live, want any) bool {
	l, err1 := toJSONValue(live)
	w, err2 := toJSONValue(want)
	if err1 != nil || err2 != nil {
		return false
	}
	return subset(l, w)
}

func subset(live, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			lv, ok := l[k]
			if !ok || !subset(lv, wv) {
				return false
			}
		}
		return true
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(w) {
			return false
		}
		for i := range w {
			if !subset(l[i], w[i]) {
				return false
			}
		}
		return true
	default:
		return reflect.DeepEqual(live, want)
	}
}

func toJSONValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// overlay writes base with every field of top set over it into out.
func overlay(base, top any, out any) error {
	b, err := toJSONValue(base)
	if err != nil {
		return fmt.Errorf("encode live settings: %w", err)
	}
	t, err := toJSONValue(top)
	if err != nil {
		return fmt.Errorf("encode desired settings: %w", err)
	}
	bm, _ := b.(map[string]any)
	if bm == nil {
		bm = map[string]any{}
	}
	if tm, ok := t.(map[string]any); ok {
		for k, v := range tm {
			bm[k] = v
		}
	}
	raw, err := json.Marshal(bm)
	if err != nil {
		return fmt.Errorf("encode merged settings: %w", err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode merged settings: %w", err)
	}
	return nil
}
