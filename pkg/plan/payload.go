package plan

import (
	"errors"

	"github.com/agentform/agentform/pkg/api"
)

// Resolver maps names to live ids while a plan is applied: ids of agents and
// actions that existed when the plan was made and of those created since.
type Resolver interface {
	AgentID(agentName string) (string, bool)
	ActionID(agentName, actionName string) (string, bool)
}

// AgentSettings returns the body to send for an agent create or update change.
func (c Change) AgentSettings() (api.AgentSettings, error) {
	return api.AgentSettings{}, errors.New("TODO")
}

// ActionInput returns the body to send for an action create, update or replace
// change, with agent references (transferBot.transferToBot,
// appointmentBooking.transferAgent) resolved to ids.
func (c Change) ActionInput(r Resolver) (api.ActionInput, error) {
	return api.ActionInput{}, errors.New("TODO")
}

// FollowupUpdate returns the body to send for a follow-up change, with action
// names resolved to ids.
func (c Change) FollowupUpdate(r Resolver) (api.FollowupSettingsUpdate, error) {
	return api.FollowupSettingsUpdate{}, errors.New("TODO")
}
