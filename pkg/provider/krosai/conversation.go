package krosai

import (
	"context"
	"fmt"
	"strings"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/spec"
)

// Conversations is what OpenConversation calls; *kapi.Account implements
// it.
type Conversations interface {
	ListAgents(ctx context.Context) ([]kapi.Agent, error)
	CreateConversation(ctx context.Context, in kapi.ConversationInput) (*kapi.Conversation, error)
}

var _ Conversations = (*kapi.Account)(nil)

// DeclaredAgent returns the account and agent of set that declare a voice
// agent named name; account, when not "", restricts the search to the
// account of that name. Several accounts declaring the name is an error
// that asks for account.
func DeclaredAgent(set *spec.Set, account, name string) (*spec.KrosAIAccount, *spec.KrosAgent, error) {
	var (
		foundAcct  *spec.KrosAIAccount
		foundAgent *spec.KrosAgent
		where      []string
		accounts   int
	)
	for _, a := range set.Accounts {
		if account != "" && a.Name != account {
			continue
		}
		accounts++
		for _, ag := range a.Agents {
			if ag.Name == name {
				foundAcct, foundAgent = a, ag
				where = append(where, fmt.Sprintf("%s (%s:%d)", a.Name, ag.Pos.File, ag.Pos.Line))
			}
		}
	}
	switch {
	case account != "" && accounts == 0:
		return nil, nil, fmt.Errorf("no KrosAIAccount document names the account %q", account)
	case len(where) == 0 && account != "":
		return nil, nil, fmt.Errorf("KrosAI account %s declares no voice agent named %q", account, name)
	case len(where) == 0:
		return nil, nil, fmt.Errorf("no KrosAIAccount document declares a voice agent named %q", name)
	case len(where) > 1:
		return nil, nil, fmt.Errorf("%d KrosAI accounts declare a voice agent named %q: %s; choose one with --account",
			len(where), name, strings.Join(where, ", "))
	}
	return foundAcct, foundAgent, nil
}

// LiveAgent returns the live agent a manifest's declaration stands for: the
// pinned id when the declaration has one, else the one live agent with its
// name. None, or several with the name, is an error.
func LiveAgent(ctx context.Context, r interface {
	ListAgents(ctx context.Context) ([]kapi.Agent, error)
}, declared *spec.KrosAgent) (*kapi.Agent, error) {
	all, err := r.ListAgents(ctx)
	if err != nil {
		return nil, fmt.Errorf("list voice agents: %w", err)
	}
	var found []kapi.Agent
	for _, a := range all {
		if (declared.PinnedID != "" && a.ID == declared.PinnedID) || (declared.PinnedID == "" && a.Name == declared.Name) {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 0:
		if declared.PinnedID != "" {
			return nil, fmt.Errorf("voice agent %q: pinned id %s does not exist live", declared.Name, declared.PinnedID)
		}
		return nil, fmt.Errorf("voice agent %q does not exist live: apply the manifests first", declared.Name)
	case 1:
		return &found[0], nil
	}
	ids := make([]string, len(found))
	for i, a := range found {
		ids[i] = a.ID
	}
	return nil, fmt.Errorf("voice agent %q: %d live agents have this name (ids %s); pin one with id:", declared.Name, len(found), strings.Join(ids, ", "))
}

// OpenConversation is the smoke test of a deployed agent: it opens a
// conversation (POST /v1/conversations) with the live agent declared as
// declared, titled title ("" for the API's default), and checks that the
// answer is an active conversation with a room. The answer's room token is
// a redact.Secret: callers print the other fields only. A lost answer is
// not retried (a conversation may have been opened).
func OpenConversation(ctx context.Context, c Conversations, declared *spec.KrosAgent, title string) (*kapi.Conversation, error) {
	agent, err := LiveAgent(ctx, c, declared)
	if err != nil {
		return nil, err
	}
	conv, err := c.CreateConversation(ctx, kapi.ConversationInput{AgentID: agent.ID, Title: title})
	if err != nil {
		return nil, fmt.Errorf("open a conversation with voice agent %q (%s): %w", declared.Name, agent.ID, err)
	}
	switch {
	case conv.Status != kapi.StatusActive:
		return conv, fmt.Errorf("conversation %s with voice agent %q is %q, not %q", conv.ID, declared.Name, conv.Status, kapi.StatusActive)
	case conv.AgentID != agent.ID:
		return conv, fmt.Errorf("conversation %s answers agent %s, not %s", conv.ID, conv.AgentID, agent.ID)
	case conv.RoomName == "" || conv.RoomURL == "":
		return conv, fmt.Errorf("conversation %s with voice agent %q has no room", conv.ID, declared.Name)
	}
	return conv, nil
}
