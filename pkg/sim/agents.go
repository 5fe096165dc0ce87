package sim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// call is one request that passed authentication, with the state lock held
// and its transaction open.
type call struct {
	s        *Server
	t        *tx
	r        *http.Request
	tok      tokenInfo
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
	a := c.t.agent(id)
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

func (c *call) createAgent() answer {
	body, bad := decodeObject(c.body)
	if bad != nil {
		return *bad
	}
	a := newAgentDefaults()
	var chk checker
	applyAgentFields(&chk, body, a, true)
	c.checkAgentRefs(&chk, a)
	if chk.failed() {
		return unprocessable(chk.msgs)
	}
	now := c.s.opts.Now()
	a.ID, a.LocationID, a.CreatedAt, a.UpdatedAt = c.t.newID(), c.location, now, now
	explicit := a.IsPrimary
	a.IsPrimary = explicit || !c.t.hasAgents(c.location)
	c.t.insertAgent(a)
	if explicit {
		c.t.makePrimary(c.location, a.ID)
	}
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
	var chk checker
	wasPrimary := a.IsPrimary
	applyAgentFields(&chk, body, a, false)
	if _, given := body["knowledgeBaseIds"]; given {
		c.checkAgentRefs(&chk, a)
	}
	if chk.failed() {
		return unprocessable(chk.msgs)
	}
	a.UpdatedAt = c.s.opts.Now()
	c.t.updateAgentRow(a)
	if a.IsPrimary && !wasPrimary {
		c.t.makePrimary(c.location, a.ID)
	}
	return reply(http.StatusOK, toAgentBody(a))
}

func (c *call) deleteAgent(id string) answer {
	a, bad := c.agent(id)
	if bad != nil {
		return *bad
	}
	c.t.deleteAgent(id)
	if a.IsPrimary {
		if next, ok := c.t.oldestAgent(c.location); ok {
			c.t.makePrimary(c.location, next)
		}
	}
	return reply(http.StatusOK, map[string]any{"success": true, "id": id})
}

// Search limits. The documents are silent on both (kept choice, see the
// package doc): limit=101 answers 422.
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
	all := c.t.agentsOf(c.location)
	start := 0
	if after := q.Get("startAfter"); after != "" {
		i := slices.IndexFunc(all, func(a *AgentState) bool { return a.ID == after })
		if i < 0 {
			return noAgent(after)
		}
		start = i + 1
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
