package api

import "encoding/json"

// Scopes a token may carry. Every GET needs ScopeReadonly; every POST, PUT, PATCH
// and DELETE needs ScopeWrite.
const (
	ScopeReadonly = "conversation-ai.readonly"
	ScopeWrite    = "conversation-ai.write"
)

// Action types, spelled as the API's schema enum spells them.
const (
	ActionTriggerWorkflow    = "triggerWorkflow"
	ActionUpdateContactField = "updateContactField"
	ActionAppointmentBooking = "appointmentBooking"
	ActionStopBot            = "stopBot"
	ActionHumanHandOver      = "humanHandOver"
	ActionAdvancedFollowup   = "advancedFollowup"
	ActionTransferBot        = "transferBot"
)

// ActionTypes lists every action type the API accepts, in the documents' order.
var ActionTypes = []string{
	ActionTriggerWorkflow, ActionUpdateContactField, ActionAppointmentBooking,
	ActionStopBot, ActionHumanHandOver, ActionAdvancedFollowup, ActionTransferBot,
}

// AgentSettings holds the writable fields of an agent: the body of
// POST /conversation-ai/agents (CreateEmployeeDto) and of
// PUT /conversation-ai/agents/{agentId} (UpdateEmployeeDto), and the same fields
// in the agent object the API answers with (EmployeeResponseDTO).
//
// Optional fields are pointers (or slices) tagged omitzero so that "not set" and
// "set to the zero value" stay distinct: an explicit false, 0 or [] is sent.
type AgentSettings struct {
	Name                   string   `json:"name,omitempty"`
	BusinessName           *string  `json:"businessName,omitzero"`
	Mode                   *string  `json:"mode,omitzero"`
	Channels               []string `json:"channels,omitzero"`
	IsPrimary              *bool    `json:"isPrimary,omitzero"`
	WaitTime               *float64 `json:"waitTime,omitzero"`
	WaitTimeUnit           *string  `json:"waitTimeUnit,omitzero"`
	SleepEnabled           *bool    `json:"sleepEnabled,omitzero"`
	SleepTime              *float64 `json:"sleepTime,omitzero"`
	SleepTimeUnit          *string  `json:"sleepTimeUnit,omitzero"`
	Personality            *string  `json:"personality,omitzero"`
	Goal                   *string  `json:"goal,omitzero"`
	Instructions           *string  `json:"instructions,omitzero"`
	AutoPilotMaxMessages   *float64 `json:"autoPilotMaxMessages,omitzero"`
	KnowledgeBaseIDs       []string `json:"knowledgeBaseIds,omitzero"`
	RespondToImages        *bool    `json:"respondToImages,omitzero"`
	RespondToAudio         *bool    `json:"respondToAudio,omitzero"`
	SleepOnManualMessage   *bool    `json:"sleepOnManualMessage,omitzero"`
	SleepOnWorkflowMessage *bool    `json:"sleepOnWorkflowMessage,omitzero"`
}

// ActionRef is an action as the agent object lists it (ActionsIdDto).
type ActionRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Agent is the agent object returned by create, get and update
// (EmployeeResponseDTO). Fields the documents do not list are ignored.
type Agent struct {
	ID string `json:"id"`
	AgentSettings
	Actions []ActionRef `json:"actions"`
}

// AgentSummary is one item of a search answer (EmployeeListItemDTO). It lacks
// personality and instructions and carries goal as an object, so a full read of
// an agent needs GetAgent.
type AgentSummary struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	BusinessName         string            `json:"businessName,omitempty"`
	Mode                 string            `json:"mode"`
	Channels             []string          `json:"channels"`
	WaitTime             float64           `json:"waitTime"`
	WaitTimeUnit         string            `json:"waitTimeUnit"`
	SleepEnabled         bool              `json:"sleepEnabled"`
	IsPrimary            bool              `json:"isPrimary"`
	AutoPilotMaxMessages float64           `json:"autoPilotMaxMessages"`
	Goal                 json.RawMessage   `json:"goal,omitempty"`
	Actions              []json.RawMessage `json:"actions"`
	CreatedAt            string            `json:"createdAt"`
	UpdatedAt            string            `json:"updatedAt"`
}

// SearchParams are the query parameters of GET /conversation-ai/agents/search.
type SearchParams struct {
	// StartAfter is the id of the agent to continue after; empty for the first page.
	StartAfter string
	// Limit is the page size; 0 lets the server choose.
	Limit int
	// Query filters by (lower-case) name.
	Query string
}

// SearchPage is one answer of the search endpoint (SearchEmployeeResponseDTO).
type SearchPage struct {
	Agents     []AgentSummary `json:"agents"`
	TotalCount int            `json:"totalCount"`
	Count      int            `json:"count"`
}

// DeleteAgentResult is the answer of DELETE /conversation-ai/agents/{agentId}.
type DeleteAgentResult struct {
	Success bool   `json:"success"`
	ID      string `json:"id"`
}

// Action is an action attached to an agent (ActionDataDTO). Details hold the
// type's DTO as raw JSON, as the service sent it; json.Unmarshal turns it
// into the type's *Details struct below.
type Action struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Type    string          `json:"type"`
	AgentID string          `json:"agentId,omitempty"`
	Details json.RawMessage `json:"details"`
}

// ActionInput is the body of create and update action (CreateActionDTO). Details
// may be one of the typed *Details structs below or any value that marshals to
// the type's DTO (such as a map).
type ActionInput struct {
	Type    string `json:"type"`
	Name    string `json:"name"`
	Details any    `json:"details"`
}

// TriggerWorkflowDetails is triggerWorkflowDto.
type TriggerWorkflowDetails struct {
	WorkflowIDs      []string `json:"workflowIds"`
	TriggerCondition string   `json:"triggerCondition"`
	TriggerMessage   *string  `json:"triggerMessage,omitzero"`
}

// UpdateContactFieldDetails is updateContactFieldDto.
type UpdateContactFieldDetails struct {
	ContactFieldID        string   `json:"contactFieldId"`
	Description           string   `json:"description"`
	ContactUpdateExamples []string `json:"contactUpdateExamples,omitzero"`
}

// AppointmentBookingDetails is appointmentBookingDto.
type AppointmentBookingDetails struct {
	ActionID          *string  `json:"actionId,omitzero"`
	CalendarID        string   `json:"calendarId"`
	OnlySendLink      bool     `json:"onlySendLink"`
	TriggerWorkflow   bool     `json:"triggerWorkflow"`
	WorkflowIDs       []string `json:"workflowIds,omitzero"`
	SleepAfterBooking bool     `json:"sleepAfterBooking"`
	SleepTimeUnit     *string  `json:"sleepTimeUnit,omitzero"`
	SleepTime         *float64 `json:"sleepTime,omitzero"`
	TransferBot       bool     `json:"transferBot"`
	TransferAgent     *string  `json:"transferAgent,omitzero"`
	RescheduleEnabled bool     `json:"rescheduleEnabled"`
	CancelEnabled     bool     `json:"cancelEnabled"`
}

// StopBotDetails is stopBotDto.
type StopBotDetails struct {
	StopBotDetectionType    string   `json:"stopBotDetectionType"`
	StopBotTriggerCondition string   `json:"stopBotTriggerCondition"`
	ReactivateEnabled       bool     `json:"reactivateEnabled"`
	SleepTimeUnit           *string  `json:"sleepTimeUnit,omitzero"`
	SleepTime               *float64 `json:"sleepTime,omitzero"`
	Enabled                 bool     `json:"enabled"`
	StopBotExamples         []string `json:"stopBotExamples"`
	FinalMessage            string   `json:"finalMessage"`
	Tags                    []string `json:"tags,omitzero"`
}

// HumanHandOverDetails is humanHandOverDto.
type HumanHandOverDetails struct {
	Enabled           bool     `json:"enabled"`
	TriggerCondition  string   `json:"triggerCondition"`
	Examples          []string `json:"examples,omitzero"`
	AssignToUserID    *string  `json:"assignToUserId,omitzero"`
	SkipAssignToUser  *bool    `json:"skipAssignToUser,omitzero"`
	CreateTask        *bool    `json:"createTask,omitzero"`
	ReactivateEnabled bool     `json:"reactivateEnabled"`
	SleepTimeUnit     *string  `json:"sleepTimeUnit,omitzero"`
	SleepTime         *float64 `json:"sleepTime,omitzero"`
	FinalMessage      string   `json:"finalMessage"`
	Tags              []string `json:"tags,omitzero"`
	HandoverType      string   `json:"handoverType"`
}

// FollowupSequenceStep is one step of an advanced follow-up (FollowupSequence).
type FollowupSequenceStep struct {
	ID               float64 `json:"id"`
	FollowupTimeUnit string  `json:"followupTimeUnit"`
	FollowupTime     float64 `json:"followupTime"`
	AIEnabledMessage *bool   `json:"aiEnabledMessage,omitzero"`
	TriggerWorkflow  *bool   `json:"triggerWorkflow,omitzero"`
	CustomMessage    *string `json:"customMessage,omitzero"`
	WorkflowID       *string `json:"workflowId,omitzero"`
	ContactRequested *bool   `json:"contactRequested,omitzero"`
}

// Interval is a span of working time inside a day.
type Interval struct {
	StartHour   float64 `json:"startHour"`
	StartMinute float64 `json:"startMinute"`
	EndHour     float64 `json:"endHour"`
	EndMinute   float64 `json:"endMinute"`
}

// WorkingHours are the intervals of one day of the week (0 = Sunday).
type WorkingHours struct {
	DayOfTheWeek float64    `json:"dayOfTheWeek"`
	Intervals    []Interval `json:"intervals,omitzero"`
}

// FollowupSettings are the follow-up settings stored on advancedFollowup actions.
type FollowupSettings struct {
	DynamicChannelSwitching bool           `json:"dynamicChannelSwitching"`
	FollowUpHours           *bool          `json:"followUpHours,omitzero"`
	WorkingHours            []WorkingHours `json:"workingHours,omitzero"`
	TimezoneToUse           *string        `json:"timezoneToUse,omitzero"`
}

// AdvancedFollowupDetails is advancedFollowupDto.
type AdvancedFollowupDetails struct {
	Enabled          bool                   `json:"enabled"`
	ScenarioID       string                 `json:"scenarioId"`
	FollowupSequence []FollowupSequenceStep `json:"followupSequence"`
	FollowupSettings *FollowupSettings      `json:"followupSettings,omitzero"`
}

// TransferBotDetails is transferBotDto. TransferToBot is the target agent's id.
type TransferBotDetails struct {
	TransferBotType             string   `json:"transferBotType"`
	TransferToBot               string   `json:"transferToBot"`
	Enabled                     bool     `json:"enabled"`
	TransferBotTriggerCondition *string  `json:"transferBotTriggerCondition,omitzero"`
	TransferBotExamples         []string `json:"transferBotExamples,omitzero"`
}

// FollowupSettingsUpdate is the body of
// PATCH /conversation-ai/agents/{agentId}/followup-settings.
type FollowupSettingsUpdate struct {
	ActionIDs        []string         `json:"actionIds"`
	FollowupSettings FollowupSettings `json:"followupSettings"`
}

// Generation sources accepted by GET /conversation-ai/generations.
const (
	SourceConversation = "conversation"
	SourceWorkflow     = "workflow"
)

// Generation is the answer of GET /conversation-ai/generations
// (FetchAIResponseDetailsResponseDTO).
type Generation struct {
	Prompt          string            `json:"prompt"`
	Intent          string            `json:"intent,omitempty"`
	ResponseMessage string            `json:"responseMessage"`
	FAQs            []json.RawMessage `json:"faqs,omitempty"`
	Website         []json.RawMessage `json:"website,omitempty"`
	AgentID         string            `json:"agentId,omitempty"`
	Input           string            `json:"input,omitempty"`
	ActionLogs      []json.RawMessage `json:"actionLogs"`
	History         []json.RawMessage `json:"history"`
	Mode            string            `json:"mode,omitempty"`
}
