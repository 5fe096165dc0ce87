package highlevel

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// searchPageSize is the page size of the name lookups after a lost answer.
const searchPageSize = 100

// agentKind is a Conversation AI agent: top-level in its location, known by
// its name (or a pinned id). A search lists the location's agents without
// personality and instructions, so a full read is one GET per agent.
var agentKind = &provider.Kind{
	Name:       KindAgent,
	Plural:     "agents",
	FieldsNoun: "settings",
	Normalize:  normalizer,
	// CreateEmployeeDto requires them besides the name. A manifest may leave
	// them out for an agent that exists (only declared fields are
	// compared), but not for one the plan must create.
	RequiredForCreate: []string{"personality", "goal", "instructions"},
	Essential: func(live value.Map) string {
		if live["isPrimary"] == true {
			return "the location's primary agent"
		}
		return ""
	},
	Refs: func(value.Map) []provider.Ref {
		return []provider.Ref{{Path: []string{"knowledgeBaseIds"}, Kind: KindKnowledgeBase}}
	},
	List: provider.ListWith(func(ctx context.Context, r Reader, _ string) ([]*provider.Live, error) {
		all, err := r.AllAgents(ctx)
		if err != nil {
			return nil, err
		}
		return agentSummaries(all), nil
	}),
	Get: provider.GetWith(func(ctx context.Context, r Reader, id string) (*provider.Live, error) {
		a, err := r.GetAgent(ctx, id)
		if err != nil {
			return nil, err
		}
		return liveAgent(a)
	}),
	Find: provider.FindWith(func(ctx context.Context, w API, _, name string) ([]*provider.Live, error) {
		return findAgents(ctx, w, name)
	}),
	Encode: func(payload value.Map, name string) (any, error) {
		var settings api.AgentSettings
		if err := value.Decode(payload, &settings); err != nil {
			return nil, fmt.Errorf("decode settings: %w", err)
		}
		if settings.Name == "" {
			settings.Name = name
		}
		return settings, nil
	},
	Create: provider.CreateWith(func(ctx context.Context, w API, _ string, in api.AgentSettings) (string, error) {
		a, err := w.CreateAgent(ctx, in)
		if err != nil {
			return "", err
		}
		return a.ID, nil
	}),
	Update: provider.UpdateWith(func(ctx context.Context, w API, _, id string, in api.AgentSettings) error {
		_, err := w.UpdateAgent(ctx, id, in)
		return err
	}),
	Delete: provider.DeleteWith(func(ctx context.Context, w API, _, id string) error {
		return w.DeleteAgent(ctx, id)
	}),
}

// agentSummaries turns search items into partial live agents, oldest first
// (by createdAt; the search's own order among equals), as the engine
// expects lists: of two agents of one name, the older is the one that stays.
func agentSummaries(all []api.AgentSummary) []*provider.Live {
	sorted := slices.Clone(all)
	slices.SortStableFunc(sorted, func(a, b api.AgentSummary) int { return cmp.Compare(a.CreatedAt, b.CreatedAt) })
	out := make([]*provider.Live, len(sorted))
	for i, s := range sorted {
		out[i] = &provider.Live{ID: s.ID, Name: s.Name, Partial: true, Raw: s}
	}
	return out
}

// liveAgent is a live agent as the engine compares it: its settings (with
// its name) in JSON types.
func liveAgent(a *api.Agent) (*provider.Live, error) {
	m, err := value.MapOf(a.AgentSettings)
	if err != nil {
		return nil, fmt.Errorf("live settings: %w", err)
	}
	fp := agentFingerprint(a.ID, m)
	m["name"] = a.Name
	return &provider.Live{ID: a.ID, Name: a.Name, Fields: m, Fingerprint: fp,
		Cascade: len(a.Actions), Raw: a}, nil
}

// agentFingerprint is FingerprintAgent from the agent's id and its settings
// already in JSON types (value.MapOf of them): the decoded form
// value.Fingerprint hashes is those settings with the id.
func agentFingerprint(id string, settings value.Map) string {
	m := make(value.Map, len(settings)+1)
	for k, v := range settings {
		m[k] = v
	}
	m["id"] = id
	return fingerprintJSON(m)
}

// findAgents returns the live agents named exactly name, oldest first: a
// search for the lower-case name, every page.
func findAgents(ctx context.Context, w API, name string) ([]*provider.Live, error) {
	var found []api.AgentSummary
	params := api.SearchParams{Query: strings.ToLower(name), Limit: searchPageSize}
	seen := 0
	for {
		page, err := w.SearchAgents(ctx, params)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Agents {
			if a.Name == name {
				found = append(found, a)
			}
		}
		seen += len(page.Agents)
		if len(page.Agents) == 0 || seen >= page.TotalCount {
			return agentSummaries(found), nil
		}
		params.StartAfter = page.Agents[len(page.Agents)-1].ID
	}
}

// FingerprintAgent fingerprints a live agent's id and settings (not its
// action list, which action changes track on their own).
func FingerprintAgent(a *api.Agent) string {
	return value.Fingerprint(struct {
		ID string `json:"id"`
		api.AgentSettings
	}{a.ID, a.AgentSettings})
}
