package highlevel

import (
	"context"
	"fmt"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// The read-only kinds: a location's objects that actions and agents name by
// id, and that manifests may name by {name: ...} instead.
const (
	KindWorkflow      = "workflow"
	KindCalendar      = "calendar"
	KindCustomField   = "customField"
	KindUser          = "user"
	KindKnowledgeBase = "knowledgeBase"
)

// Lookups is what the lookup kinds call; *api.Location implements it.
type Lookups interface {
	ListWorkflows(ctx context.Context) ([]api.Workflow, error)
	ListCalendars(ctx context.Context) ([]api.Calendar, error)
	ListCustomFields(ctx context.Context) ([]api.CustomField, error)
	ListUsers(ctx context.Context) ([]api.User, error)
	ListKnowledgeBases(ctx context.Context) ([]api.KnowledgeBase, error)
}

var _ Lookups = (*api.Location)(nil)

// lookupKind describes one read-only kind listed by list; scope is the scope
// its endpoint needs, named when the token lacks it.
func lookupKind(name, plural, scope string, identities []string, list func(context.Context, Lookups) ([]*provider.Live, error)) *provider.Kind {
	return &provider.Kind{
		Name: name, Plural: plural, ReadOnly: true, Identities: identities,
		List: provider.ListWith(func(ctx context.Context, l Lookups, _ string) ([]*provider.Live, error) {
			lives, err := list(ctx, l)
			if err != nil && api.IsMissingScope(err) && scope != "" {
				return nil, fmt.Errorf("reading %s needs the scope %s, which the token lacks: %w", plural, scope, err)
			}
			if err != nil {
				return nil, fmt.Errorf("list %s: %w", plural, err)
			}
			return lives, nil
		}),
	}
}

// lookupLive is a read-only object as the planner sees it.
func lookupLive(id, name string, raw any, fields value.Map) *provider.Live {
	if fields == nil {
		fields = value.Map{}
	}
	fields["name"] = name
	return &provider.Live{ID: id, Name: name, Fields: fields, Raw: raw, Fingerprint: value.Fingerprint(raw)}
}

var (
	workflowKind = lookupKind(KindWorkflow, "workflows", api.ScopeWorkflowsReadonly, nil,
		func(ctx context.Context, l Lookups) ([]*provider.Live, error) {
			all, err := l.ListWorkflows(ctx)
			out := make([]*provider.Live, len(all))
			for i, w := range all {
				out[i] = lookupLive(w.ID, w.Name, w, nil)
			}
			return out, err
		})
	calendarKind = lookupKind(KindCalendar, "calendars", api.ScopeCalendarsReadonly, nil,
		func(ctx context.Context, l Lookups) ([]*provider.Live, error) {
			all, err := l.ListCalendars(ctx)
			out := make([]*provider.Live, len(all))
			for i, c := range all {
				out[i] = lookupLive(c.ID, c.Name, c, nil)
			}
			return out, err
		})
	customFieldKind = lookupKind(KindCustomField, "custom fields", api.ScopeCustomFieldsRead, []string{"name", "fieldKey"},
		func(ctx context.Context, l Lookups) ([]*provider.Live, error) {
			all, err := l.ListCustomFields(ctx)
			out := make([]*provider.Live, len(all))
			for i, f := range all {
				out[i] = lookupLive(f.ID, f.Name, f, value.Map{"fieldKey": f.FieldKey})
			}
			return out, err
		})
	userKind = lookupKind(KindUser, "users", api.ScopeUsersReadonly, []string{"name", "email"},
		func(ctx context.Context, l Lookups) ([]*provider.Live, error) {
			all, err := l.ListUsers(ctx)
			out := make([]*provider.Live, 0, len(all))
			for _, u := range all {
				if !u.Deleted {
					out = append(out, lookupLive(u.ID, u.Name, u, value.Map{"email": u.Email}))
				}
			}
			return out, err
		})
	knowledgeBaseKind = lookupKind(KindKnowledgeBase, "knowledge bases", api.ScopeKnowledgeBasesRead, nil,
		func(ctx context.Context, l Lookups) ([]*provider.Live, error) {
			all, err := l.ListKnowledgeBases(ctx)
			out := make([]*provider.Live, len(all))
			for i, kb := range all {
				out[i] = lookupLive(kb.ID, kb.Name, kb, nil)
			}
			return out, err
		})
)

// actionLookupRefs are, by action type, the details fields that hold the id
// of a location's workflow, calendar, custom field or user.
var actionLookupRefs = map[string][]provider.Ref{
	api.ActionTriggerWorkflow:    {{Path: []string{"details", "workflowIds"}, Kind: KindWorkflow}},
	api.ActionAppointmentBooking: {{Path: []string{"details", "calendarId"}, Kind: KindCalendar}, {Path: []string{"details", "workflowIds"}, Kind: KindWorkflow}},
	api.ActionUpdateContactField: {{Path: []string{"details", "contactFieldId"}, Kind: KindCustomField}},
	api.ActionHumanHandOver:      {{Path: []string{"details", "assignToUserId"}, Kind: KindUser}},
	api.ActionAdvancedFollowup:   {{Path: []string{"details", "followupSequence", value.Each, "workflowId"}, Kind: KindWorkflow}},
}
