package sim

import (
	"net/http"
	"strconv"
	"strings"
)

// call is one request that passed authentication, with the state lock held.
type call struct {
	s        *Server
	r        *http.Request
	location string
	body     []byte
}

type actionRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// agentCommon are the fields EmployeeResponseDTO and EmployeeListItemDTO share.
type agentCommon struct {
	ID                     string      `json:"id"`
	Name                   string      `json:"name"`
	BusinessName           string      `json:"businessName,omitempty"`
	Mode                   string      `json:"mode"`
	Channels               []string    `json:"channels"`
	WaitTime               float64     `json:"waitTime"`
	WaitTimeUnit           string      `json:"waitTimeUnit"`
	SleepEnabled           bool        `json:"sleepEnabled"`
	SleepTime              *float64    `json:"sleepTime,omitempty"`
	SleepTimeUnit          string      `json:"sleepTimeUnit,omitempty"`
	Actions                []actionRef `json:"actions"`
	IsPrimary              bool        `json:"isPrimary"`
	AutoPilotMaxMessages   int         `json:"autoPilotMaxMessages"`
	KnowledgeBaseIDs       []string    `json:"knowledgeBaseIds"`
	SleepOnManualMessage   *bool       `json:"sleepOnManualMessage,omitempty"`
	SleepOnWorkflowMessage *bool       `json:"sleepOnWorkflowMessage,omitempty"`
}

// agentBody is EmployeeResponseDTO.
type agentBody struct {
	agentCommon
	Goal            string `json:"goal"`
	Personality     string `json:"personality"`
	Instructions    string `json:"instructions"`
	RespondToImages bool   `json:"respondToImages"`
	RespondToAudio  bool   `json:"respondToAudio"`
}

// listItem is EmployeeListItemDTO: no personality or instructions, goal as an
// object, and timestamps.
type listItem struct {
	agentCommon
	Goal      goalObject `json:"goal"`
	CreatedAt string     `json:"createdAt"`
	UpdatedAt string     `json:"updatedAt"`
}

// goalObject is the search item's goal in the document's example shape:
// {"prompt": "...", "type": "custom", "actionId": null}.
type goalObject struct {
	Prompt   string  `json:"prompt"`
	Type     string  `json:"type"`
	ActionID *string `json:"actionId"`
}

// searchBody is SearchEmployeeResponseDTO.
type searchBody struct {
	Agents     []listItem `json:"agents"`
	TotalCount int        `json:"totalCount"`
	Count      int        `json:"count"`
}

// truncatedSearch is the outage answer observed in the wild: counts, no agents.
type truncatedSearch struct {
	TotalCount int    `json:"totalCount"`
	Count      int    `json:"count"`
	TraceID    string `json:"traceId"`
}

func refs(a *AgentState) []actionRef {
	out := make([]actionRef, 0, len(a.Actions))
	for _, act := range a.Actions {
		out = append(out, actionRef{ID: act.ID, Type: act.Type})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toCommon(a *AgentState) agentCommon {
	return agentCommon{
		ID: a.ID, Name: a.Name, BusinessName: a.BusinessName, Mode: a.Mode, Channels: nonNil(a.Channels),
		WaitTime: a.WaitTime, WaitTimeUnit: a.WaitTimeUnit, SleepEnabled: a.SleepEnabled,
		SleepTime: a.SleepTime, SleepTimeUnit: a.SleepTimeUnit, Actions: refs(a), IsPrimary: a.IsPrimary,
		AutoPilotMaxMessages: a.AutoPilotMaxMessages, KnowledgeBaseIDs: nonNil(a.KnowledgeBaseIDs),
		SleepOnManualMessage: a.SleepOnManualMessage, SleepOnWorkflowMessage: a.SleepOnWorkflowMessage,
	}
}

func toAgentBody(a *AgentState) agentBody {
	return agentBody{agentCommon: toCommon(a), Goal: a.Goal, Personality: a.Personality,
		Instructions: a.Instructions, RespondToImages: a.RespondToImages, RespondToAudio: a.RespondToAudio}
}

func toListItem(a *AgentState) listItem {
	return listItem{agentCommon: toCommon(a), Goal: goalObject{Prompt: a.Goal, Type: "custom"},
		CreatedAt: stampTime(a.CreatedAt), UpdatedAt: stampTime(a.UpdatedAt)}
}

// agent resolves an agent id for the caller's location: 400 when unknown,
// 403 when it belongs to another location.
func (c *call) agent(id string) (*AgentState, *answer) {
	a := c.s.agents[id]
	if a == nil {
		ans := noAgent(id)
		return nil, &ans
	}
	if a.LocationID != c.location {
		ans := forbiddenLocation()
		return nil, &ans
	}
	return a, nil
}

// makePrimaryLocked leaves a as the location's only primary agent.
func (c *call) makePrimaryLocked(a *AgentState) {
	for _, other := range c.s.st.location(c.location, true).Agents {
		other.IsPrimary = other == a
	}
}

func (c *call) createAgent() answer {
	body, bad := decodeObject(c.body)
	if bad != nil {
		return *bad
	}
	a := newAgentDefaults()
	var chk checker
	applyAgentFields(&chk, body, a, true)
	if chk.failed() {
		return unprocessable(chk.msgs)
	}
	now := c.s.opts.Now()
	a.ID, a.LocationID, a.CreatedAt, a.UpdatedAt = c.s.newIDLocked(), c.location, now, now
	loc := c.s.st.location(c.location, true)
	first := len(loc.Agents) == 0
	loc.Agents[a.ID] = a
	c.s.agents[a.ID] = a
	if first || a.IsPrimary {
		c.makePrimaryLocked(a)
	}
	c.s.dirty = true
	return reply(http.StatusCreated, toAgentBody(a))
}

func (c *call) getAgent(id string) answer {
	a, bad := c.agent(id)
	if bad != nil {
		return *bad
	}
	return reply(http.StatusOK, toAgentBody(a))
}

func (c *call) updateAgent(id string) answer {
	a, bad := c.agent(id)
	if bad != nil {
		return *bad
	}
	body, bad := decodeObject(c.body)
	if bad != nil {
		return *bad
	}
	next := a.clone()
	var chk checker
	applyAgentFields(&chk, body, &next, false)
	if chk.failed() {
		return unprocessable(chk.msgs)
	}
	wasPrimary := a.IsPrimary
	next.Actions = a.Actions // clone copied them; keep the stored ones
	next.UpdatedAt = c.s.opts.Now()
	*a = next
	if a.IsPrimary && !wasPrimary {
		c.makePrimaryLocked(a)
	}
	c.s.dirty = true
	return reply(http.StatusOK, toAgentBody(a))
}

func (c *call) deleteAgent(id string) answer {
	a, bad := c.agent(id)
	if bad != nil {
		return *bad
	}
	loc := c.s.st.location(c.location, true)
	delete(loc.Agents, id)
	delete(c.s.agents, id)
	if a.IsPrimary {
		if rest := loc.sortedAgents(); len(rest) > 0 {
			c.makePrimaryLocked(rest[0])
		}
	}
	c.s.dirty = true
	return reply(http.StatusOK, map[string]any{"success": true, "id": id})
}

// Search limits (the documents are silent).
const (
	DefaultSearchLimit = 10
	MaxSearchLimit     = 100
)

func (c *call) searchAgents() answer {
	q := c.r.URL.Query()
	limit := DefaultSearchLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil:
			return unprocessable([]string{"limit must be an integer number"})
		case n < 1:
			return unprocessable([]string{"limit must not be less than 1"})
		case n > MaxSearchLimit:
			return unprocessable([]string{"limit must not be greater than " + strconv.Itoa(MaxSearchLimit)})
		}
		limit = n
	}
	all := c.s.st.location(c.location, false).sortedAgents()
	start := 0
	if after := q.Get("startAfter"); after != "" {
		a := c.s.agents[after]
		if a == nil || a.LocationID != c.location {
			return noAgent(after)
		}
		for start < len(all) && byCreation(all[start], a) <= 0 {
			start++
		}
	}
	needle := strings.ToLower(q.Get("query"))
	page := []listItem{}
	for _, a := range all[start:] {
		if len(page) == limit {
			break
		}
		if strings.Contains(strings.ToLower(a.Name), needle) {
			page = append(page, toListItem(a))
		}
	}
	return reply(http.StatusOK, searchBody{Agents: page, TotalCount: len(all), Count: len(page)})
}
