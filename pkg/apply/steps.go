package apply

import (
	"context"
	"fmt"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

// step runs change i and returns its result. The API calls use a context
// that ctx's cancellation does not reach, so a step once started finishes.
func (l *locationRun) step(ctx context.Context, i int) StepResult {
	c := l.lp.Changes[i]
	start := l.opts.Now()
	res := StepResult{Index: i, Op: c.Op, Kind: c.Kind, Agent: c.Agent, Action: c.Action}
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opts.StepTimeout)
	defer cancel()

	outcome, err := l.do(callCtx, c, &res)
	res.Duration = l.opts.Now().Sub(start)
	if err != nil {
		res.Outcome, res.Error, res.Status = StepFailed, err.Error(), api.StatusOf(err)
		return res
	}
	res.Outcome = outcome
	return res
}

// do performs one change.
func (l *locationRun) do(ctx context.Context, c plan.Change, res *StepResult) (StepOutcome, error) {
	switch c.Kind {
	case plan.KindAgent:
		return l.doAgent(ctx, c, res)
	case plan.KindAction:
		return l.doAction(ctx, c, res)
	case plan.KindFollowup:
		return l.doFollowup(ctx, c)
	}
	return "", fmt.Errorf("unknown kind %q", c.Kind)
}

func (l *locationRun) doAgent(ctx context.Context, c plan.Change, res *StepResult) (StepOutcome, error) {
	switch c.Op {
	case plan.OpCreate:
		settings, err := createSettings(c)
		if err != nil {
			return "", err
		}
		return StepCreated, l.createAgent(ctx, c, settings, res)
	case plan.OpUpdate:
		settings, err := c.AgentSettings()
		if err != nil {
			return "", fmt.Errorf("agent %q payload: %w", c.Agent, err)
		}
		if _, err := l.w.UpdateAgent(ctx, c.ID, settings); err != nil {
			return "", fmt.Errorf("update agent %q (id %s): %w", c.Agent, c.ID, err)
		}
		return StepUpdated, nil
	case plan.OpDelete:
		return StepDeleted, l.deleteAgent(ctx, c)
	case plan.OpReplace:
		settings, err := createSettings(c) // before the delete: never delete what cannot be recreated
		if err != nil {
			return "", err
		}
		if err := l.deleteAgent(ctx, c); err != nil {
			return "", err
		}
		return StepReplaced, l.createAgent(ctx, c, settings, res)
	}
	return "", fmt.Errorf("agent %q: unknown op %q", c.Agent, c.Op)
}

// createSettings is the body of the agent a create or replace change makes.
func createSettings(c plan.Change) (api.AgentSettings, error) {
	c.Op = plan.OpCreate
	settings, err := c.AgentSettings()
	if err != nil {
		return settings, fmt.Errorf("agent %q payload: %w", c.Agent, err)
	}
	return settings, nil
}

func (l *locationRun) deleteAgent(ctx context.Context, c plan.Change) error {
	if err := l.w.DeleteAgent(ctx, c.ID); err != nil && !api.IsNotFound(err) {
		return fmt.Errorf("delete agent %q (id %s): %w", c.Agent, c.ID, err)
	}
	return nil
}

func (l *locationRun) doAction(ctx context.Context, c plan.Change, res *StepResult) (StepOutcome, error) {
	agentID, err := l.agentID(c)
	if err != nil {
		return "", err
	}
	var in api.ActionInput
	if c.Op != plan.OpDelete {
		// Built before any call, so a replace never deletes what it cannot recreate.
		if in, err = c.ActionInput(l.res); err != nil {
			return "", fmt.Errorf("action %q/%q payload: %w", c.Agent, c.Action, err)
		}
	}
	switch c.Op {
	case plan.OpCreate:
		return StepCreated, l.createAction(ctx, c, agentID, in, res)
	case plan.OpUpdate:
		if _, err := l.w.UpdateAction(ctx, agentID, c.ID, in); err != nil {
			return "", fmt.Errorf("update action %q/%q (id %s): %w", c.Agent, c.Action, c.ID, err)
		}
		return StepUpdated, nil
	case plan.OpDelete:
		return StepDeleted, l.deleteAction(ctx, c, agentID)
	case plan.OpReplace:
		if err := l.deleteAction(ctx, c, agentID); err != nil {
			return "", err
		}
		return StepReplaced, l.createAction(ctx, c, agentID, in, res)
	}
	return "", fmt.Errorf("action %q/%q: unknown op %q", c.Agent, c.Action, c.Op)
}

func (l *locationRun) deleteAction(ctx context.Context, c plan.Change, agentID string) error {
	if err := l.w.DeleteAction(ctx, agentID, c.ID); err != nil && !api.IsNotFound(err) {
		return fmt.Errorf("delete action %q/%q (id %s): %w", c.Agent, c.Action, c.ID, err)
	}
	return nil
}

func (l *locationRun) doFollowup(ctx context.Context, c plan.Change) (StepOutcome, error) {
	agentID, err := l.agentID(c)
	if err != nil {
		return "", err
	}
	upd, err := c.FollowupUpdate(l.res)
	if err != nil {
		return "", fmt.Errorf("follow-up of agent %q payload: %w", c.Agent, err)
	}
	if err := l.w.UpdateFollowupSettings(ctx, agentID, upd); err != nil {
		return "", fmt.Errorf("update follow-up settings of agent %q: %w", c.Agent, err)
	}
	if c.Op == plan.OpCreate {
		return StepCreated, nil
	}
	return StepUpdated, nil
}

// agentID is the id of the change's agent: created by this run, or live.
func (l *locationRun) agentID(c plan.Change) (string, error) {
	if id, ok := l.res.AgentID(c.Agent); ok {
		return id, nil
	}
	if c.AgentID != "" {
		return c.AgentID, nil
	}
	return "", fmt.Errorf("agent %q has no id: it was not created", c.Agent)
}
