package highlevel

import (
	"context"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// TargetKind is the kind of HighLevel's targets: locations (sub-accounts).
const TargetKind = "location"

// The kinds of HighLevel objects, by name.
const (
	KindAgent    = "agent"
	KindAction   = "action"
	KindFollowup = "followup" // the follow-up settings of one agent
)

// API is what the provider's kinds call for one location: the reads of
// plan and export and the writes of apply. *api.Location implements it.
type API interface {
	AllAgents(ctx context.Context) ([]api.AgentSummary, error)
	SearchAgents(ctx context.Context, p api.SearchParams) (*api.SearchPage, error)
	GetAgent(ctx context.Context, agentID string) (*api.Agent, error)
	CreateAgent(ctx context.Context, in api.AgentSettings) (*api.Agent, error)
	UpdateAgent(ctx context.Context, agentID string, in api.AgentSettings) (*api.Agent, error)
	DeleteAgent(ctx context.Context, agentID string) error
	ListActions(ctx context.Context, agentID string) ([]api.Action, error)
	CreateAction(ctx context.Context, agentID string, in api.ActionInput) (*api.Action, error)
	UpdateAction(ctx context.Context, agentID, actionID string, in api.ActionInput) (*api.Action, error)
	DeleteAction(ctx context.Context, agentID, actionID string) error
	UpdateFollowupSettings(ctx context.Context, agentID string, in api.FollowupSettingsUpdate) error
}

var _ API = (*api.Location)(nil)

// Reader is the part of API that plan and export use: reads only.
type Reader interface {
	AllAgents(ctx context.Context) ([]api.AgentSummary, error)
	GetAgent(ctx context.Context, agentID string) (*api.Agent, error)
	ListActions(ctx context.Context, agentID string) ([]api.Action, error)
}

// normalizer is how HighLevel values compare: channels, knowledge base ids,
// workflow ids and tags are sets; working hours are ordered by day; diffs
// name follow-up steps by id and working hours by day.
var normalizer = value.Normalizer{
	Sets:   []string{"channels", "knowledgeBaseIds", "workflowIds", "tags"},
	SortBy: map[string]string{"workingHours": "dayOfTheWeek"},
	Keys:   map[string]string{"followupSequence": "id", "workingHours": "dayOfTheWeek"},
}

// Provider is HighLevel's Conversation AI: agents, their actions and their
// follow-up settings, in locations.
type Provider struct{}

// Name implements provider.Provider.
func (Provider) Name() string { return "highlevel" }

// TargetKind implements provider.Provider.
func (Provider) TargetKind() string { return TargetKind }

// Kinds implements provider.Provider.
func (Provider) Kinds() []*provider.Kind { return kinds }

var kinds = []*provider.Kind{
	workflowKind, calendarKind, customFieldKind, userKind, knowledgeBaseKind,
	agentKind, actionKind, followupKind,
}

// Classify implements provider.Provider with pkg/api's error types.
func (Provider) Classify(err error) provider.Failure {
	return provider.Failure{NotFound: api.IsNotFound(err), Ambiguous: api.IsAmbiguous(err), Status: api.StatusOf(err)}
}

// AccessHint implements provider.Provider: which variable, location and
// scope to check after a 401 or 403.
func (Provider) AccessHint(status int, locationID, tokenEnv string, write bool) string {
	scope := api.ScopeReadonly
	if write {
		scope = api.ScopeWrite
	}
	if tokenEnv == "" {
		tokenEnv = AgencyTokenEnv + " (its minted token)"
	}
	return api.AccessHint(status, locationID, tokenEnv, scope)
}

func init() { provider.Register(Provider{}) }
