package api

import (
	"errors"
	"net/url"
)

// API paths.
const (
	agentsPath      = "/conversation-ai/agents"
	searchPath      = "/conversation-ai/agents/search"
	generationsPath = "/conversation-ai/generations"
)

// errEmptyID reports a call made with an empty id, which would address
// another endpoint.
var errEmptyID = errors.New("api: empty id")

// agentPath is /conversation-ai/agents/{agentId}.
func agentPath(agentID string) (string, error) {
	if agentID == "" {
		return "", errEmptyID
	}
	return agentsPath + "/" + url.PathEscape(agentID), nil
}

// actionPath is /conversation-ai/agents/{agentId}/actions/{actionId}.
func actionPath(agentID, actionID string) (string, error) {
	p, err := agentPath(agentID)
	if err != nil || actionID == "" {
		return "", errEmptyID
	}
	return p + "/actions/" + url.PathEscape(actionID), nil
}
