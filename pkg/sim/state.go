package sim

import (
	"cmp"
	"slices"
	"time"
)

// AgentState is an agent as the sandbox stores it, with its actions.
// Empty strings and nil pointers mean "not set".
type AgentState struct {
	ID                     string        `json:"id"`
	LocationID             string        `json:"locationId"`
	Name                   string        `json:"name"`
	BusinessName           string        `json:"businessName,omitempty"`
	Mode                   string        `json:"mode"`
	Channels               []string      `json:"channels"`
	IsPrimary              bool          `json:"isPrimary"`
	WaitTime               float64       `json:"waitTime"`
	WaitTimeUnit           string        `json:"waitTimeUnit"`
	SleepEnabled           bool          `json:"sleepEnabled"`
	SleepTime              *float64      `json:"sleepTime,omitempty"`
	SleepTimeUnit          string        `json:"sleepTimeUnit,omitempty"`
	Personality            string        `json:"personality"`
	Goal                   string        `json:"goal"`
	Instructions           string        `json:"instructions"`
	AutoPilotMaxMessages   int           `json:"autoPilotMaxMessages"`
	KnowledgeBaseIDs       []string      `json:"knowledgeBaseIds"`
	RespondToImages        bool          `json:"respondToImages"`
	RespondToAudio         bool          `json:"respondToAudio"`
	SleepOnManualMessage   *bool         `json:"sleepOnManualMessage,omitempty"`
	SleepOnWorkflowMessage *bool         `json:"sleepOnWorkflowMessage,omitempty"`
	CreatedAt              time.Time     `json:"createdAt"`
	UpdatedAt              time.Time     `json:"updatedAt"`
	Actions                []ActionState `json:"actions"`
}

// ActionState is an action as the sandbox stores it. Details hold the type's
// DTO with the schema's defaults filled in.
type ActionState struct {
	ID        string         `json:"id"`
	AgentID   string         `json:"agentId"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Details   map[string]any `json:"details"`
	CreatedAt time.Time      `json:"createdAt"`
	UpdatedAt time.Time      `json:"updatedAt"`
}

// byCreation orders agents by createdAt, then id.
func byCreation(a, b *AgentState) int {
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// action finds an action of a by id.
func (a *AgentState) action(id string) *ActionState {
	for i := range a.Actions {
		if a.Actions[i].ID == id {
			return &a.Actions[i]
		}
	}
	return nil
}

// deepCopy copies JSON-shaped values (maps, slices, scalars).
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = deepCopy(x)
		}
		return s
	case []string:
		return slices.Clone(t)
	default:
		return v
	}
}
