package sim

import (
	"net/http"
	"time"
)

// actionData is ActionDataDTO.
type actionData struct {
	ID      string         `json:"id"`
	Name    string         `json:"name"`
	Type    string         `json:"type"`
	AgentID string         `json:"agentId"`
	Details map[string]any `json:"details"`
}

// actionAnswer is {data, success}.
type actionAnswer struct {
	Data    any  `json:"data"`
	Success bool `json:"success"`
}

func toActionData(a *ActionState) actionData {
	return actionData{ID: a.ID, Name: a.Name, Type: a.Type, AgentID: a.AgentID, Details: a.Details}
}

// readAction validates a CreateActionDTO body for agent.
func (c *call) readAction(agent *AgentState) (name, typ string, details map[string]any, bad *answer) {
	body, bad := decodeObject(c.body)
	if bad != nil {
		return "", "", nil, bad
	}
	var chk checker
	o := obj{c: &chk, m: body}
	o.only("type", "name", "details")
	typ, typOK := o.enum("type", true, actionTypes...)
	name, _ = o.nonEmpty("name", true)
	d, dOK := o.object("details", true)
	if typOK && dOK {
		other := func(id string) bool {
			l, ok := c.t.agentLocation(id)
			return ok && l == c.location && id != agent.ID
		}
		details = checkDetails(&chk, typ, d, other)
		c.checkActionRefs(&chk, typ, details)
	}
	if chk.failed() {
		ans := unprocessable(chk.msgs)
		return "", "", nil, &ans
	}
	return name, typ, details, nil
}

func (c *call) createAction(agentID string) answer {
	agent, bad := c.agent(agentID)
	if bad != nil {
		return *bad
	}
	name, typ, details, bad := c.readAction(agent)
	if bad != nil {
		return *bad
	}
	now := c.s.opts.Now()
	act := ActionState{ID: c.t.newID(), AgentID: agent.ID, Name: name, Type: typ, Details: details, CreatedAt: now, UpdatedAt: now}
	c.t.insertAction(c.location, &act)
	c.touch(agent, now)
	return reply(http.StatusCreated, actionAnswer{Data: toActionData(&act), Success: true})
}

// touch records that an agent's actions changed at now.
func (c *call) touch(agent *AgentState, now time.Time) {
	agent.UpdatedAt = now
	c.t.updateAgentRow(agent)
}

func (c *call) listActions(agentID string) answer {
	agent, bad := c.agent(agentID)
	if bad != nil {
		return *bad
	}
	data := make([]actionData, 0, len(agent.Actions))
	for i := range agent.Actions {
		data = append(data, toActionData(&agent.Actions[i]))
	}
	return reply(http.StatusOK, actionAnswer{Data: data, Success: true})
}

// action resolves an action id of agentID for the caller.
func (c *call) action(agentID, actionID string) (*AgentState, *ActionState, *answer) {
	agent, bad := c.agent(agentID)
	if bad != nil {
		return nil, nil, bad
	}
	act := agent.action(actionID)
	if act == nil {
		ans := noAction(actionID)
		return nil, nil, &ans
	}
	return agent, act, nil
}

func (c *call) getAction(agentID, actionID string) answer {
	_, act, bad := c.action(agentID, actionID)
	if bad != nil {
		return *bad
	}
	return reply(http.StatusOK, actionAnswer{Data: toActionData(act), Success: true})
}

func (c *call) updateAction(agentID, actionID string) answer {
	agent, act, bad := c.action(agentID, actionID)
	if bad != nil {
		return *bad
	}
	name, typ, details, bad := c.readAction(agent)
	if bad != nil {
		return *bad
	}
	now := c.s.opts.Now()
	act.Name, act.Type, act.Details, act.UpdatedAt = name, typ, details, now
	c.t.updateAction(act)
	c.touch(agent, now)
	return reply(http.StatusOK, actionAnswer{Data: toActionData(act), Success: true})
}

func (c *call) deleteAction(agentID, actionID string) answer {
	agent, _, bad := c.action(agentID, actionID)
	if bad != nil {
		return *bad
	}
	c.t.deleteAction(actionID)
	c.touch(agent, c.s.opts.Now())
	return reply(http.StatusOK, actionAnswer{Data: map[string]string{"id": actionID}, Success: true})
}

func (c *call) updateFollowupSettings(agentID string) answer {
	agent, bad := c.agent(agentID)
	if bad != nil {
		return *bad
	}
	body, bad := decodeObject(c.body)
	if bad != nil {
		return *bad
	}
	var chk checker
	o := obj{c: &chk, m: body}
	o.only("actionIds", "followupSettings")
	ids, idsOK := o.strs("actionIds", true)
	if idsOK {
		o.minItems("actionIds", ids, 1)
	}
	settings, setOK := o.object("followupSettings", true)
	if setOK {
		checkFollowupSettings(settings)
	}
	var targets []*ActionState
	for _, id := range ids {
		act := agent.action(id)
		if act == nil || act.Type != "advancedFollowup" {
			chk.addf("actionIds must name advancedFollowup actions of this agent: %s", id)
			continue
		}
		targets = append(targets, act)
	}
	if chk.failed() {
		return unprocessable(chk.msgs)
	}
	now := c.s.opts.Now()
	for _, act := range targets {
		// A new map, not a write into the old one: answers encoded after
		// the state's lock is let go may still hold the old one.
		d := make(map[string]any, len(act.Details)+1)
		for k, v := range act.Details {
			d[k] = v
		}
		d["followupSettings"] = deepCopy(settings.m)
		act.Details = d
		act.UpdatedAt = now
		c.t.updateAction(act)
	}
	c.touch(agent, now)
	return reply(http.StatusOK, actionAnswer{Data: toActionData(targets[0]), Success: true})
}
