package api

// Read-only lookups of location-owned objects that agent actions name by id
// (workflows, calendars, custom fields, users, knowledge bases), so that
// manifests can name them instead. Each call reads the whole list; each
// sends the Version header and needs the scope its document names.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Lookup paths.
const (
	workflowsPath      = "/workflows/"
	calendarsPath      = "/calendars/"
	usersPath          = "/users/"
	knowledgeBasesPath = "/knowledge-bases/"
)

// knowledgeBasesPageSize is the page size of ListKnowledgeBases.
const knowledgeBasesPageSize = 100

// Workflow is a workflow of a location (WorkflowSchema).
type Workflow struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status,omitempty"` // "draft", "published", ...
}

// Calendar is a calendar of a location (CalendarDTO).
type Calendar struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	IsActive *bool  `json:"isActive,omitempty"`
}

// CustomField is a custom field of a location (CustomFieldSchema).
type CustomField struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	FieldKey string `json:"fieldKey,omitempty"` // such as contact.insurance_provider
	Model    string `json:"model,omitempty"`    // contact or opportunity
	DataType string `json:"dataType,omitempty"`
}

// User is a user of a location (UserSchema).
type User struct {
	ID        string `json:"id"`
	Name      string `json:"name"` // the answer's name, else "firstName lastName"
	FirstName string `json:"firstName,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Email     string `json:"email,omitempty"`
	Deleted   bool   `json:"deleted,omitempty"`
}

// KnowledgeBase is a knowledge base of a location (KnowledgeBaseListItemDTO).
type KnowledgeBase struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ListWorkflows calls GET /workflows/?locationId= (Version 2021-07-28,
// scope workflows.readonly).
func (l *Location) ListWorkflows(ctx context.Context) ([]Workflow, error) {
	return listLookup(ctx, l, call{method: http.MethodGet, path: workflowsPath, query: url.Values{"locationId": {l.id}},
		version: VersionWorkflows, scope: ScopeWorkflowsReadonly}, "workflows", func(w Workflow) string { return w.ID })
}

// ListCalendars calls GET /calendars/?locationId= (Version 2021-04-15,
// scope calendars.readonly).
func (l *Location) ListCalendars(ctx context.Context) ([]Calendar, error) {
	return listLookup(ctx, l, call{method: http.MethodGet, path: calendarsPath, query: url.Values{"locationId": {l.id}},
		version: VersionCalendars, scope: ScopeCalendarsReadonly}, "calendars", func(c Calendar) string { return c.ID })
}

// ListCustomFields calls GET /locations/{locationId}/customFields (Version
// 2021-07-28, scope locations/customFields.readonly) without a model
// filter, so the server's default model applies; CustomField.Model tells
// contact fields apart.
func (l *Location) ListCustomFields(ctx context.Context) ([]CustomField, error) {
	if l.id == "" {
		return nil, errEmptyID
	}
	path := "/locations/" + url.PathEscape(l.id) + "/customFields"
	return listLookup(ctx, l, call{method: http.MethodGet, path: path, version: VersionLocations, scope: ScopeCustomFieldsRead},
		"customFields", func(f CustomField) string { return f.ID })
}

// ListUsers calls GET /users/?locationId= (Version 2021-07-28, scope
// users.readonly). A user without a name is named "firstName lastName".
func (l *Location) ListUsers(ctx context.Context) ([]User, error) {
	users, err := listLookup(ctx, l, call{method: http.MethodGet, path: usersPath, query: url.Values{"locationId": {l.id}},
		version: VersionUsers, scope: ScopeUsersReadonly}, "users", func(u User) string { return u.ID })
	for i, u := range users {
		if u.Name == "" {
			users[i].Name = strings.TrimSpace(u.FirstName + " " + u.LastName)
		}
	}
	return users, err
}

// listLookup runs c and reads the list under key of its answer. A missing
// list, an item without id and an id listed twice are inconsistent answers
// (retried, then errors), never an empty or partial list.
func listLookup[T any](ctx context.Context, l *Location, c call, key string, id func(T) string) ([]T, error) {
	var wire map[string]json.RawMessage
	var items []T
	c.out = &wire
	c.check = func() error {
		raw, ok := wire[key]
		if !ok || string(raw) == "null" {
			return fmt.Errorf("%w: answer has no %s list", ErrInconsistentAnswer, key)
		}
		items = nil
		if err := json.Unmarshal(raw, &items); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		seen := map[string]bool{}
		for _, it := range items {
			if err := checkListed(seen, id(it), strings.TrimSuffix(key, "s")); err != nil {
				return err
			}
		}
		return nil
	}
	if err := l.do(ctx, c); err != nil {
		return nil, err
	}
	return items, nil
}

// knowledgeBasesAnswer is GetAllKnowledgeBasesPaginatedResponseDTO.
type knowledgeBasesAnswer struct {
	Success *bool `json:"success"`
	Data    *struct {
		KnowledgeBases      *[]KnowledgeBase `json:"knowledgeBases"`
		HasMore             bool             `json:"hasMore"`
		LastKnowledgeBaseID string           `json:"lastKnowledgeBaseId"`
	} `json:"data"`
}

// ListKnowledgeBases calls GET /knowledge-bases/?locationId= (Version
// 2021-04-15; the document names no scope) page by page, following
// lastKnowledgeBaseId while hasMore says so, and returns every knowledge
// base. A page that says there is more but moves nowhere, and an id listed
// twice, are inconsistent answers.
func (l *Location) ListKnowledgeBases(ctx context.Context) ([]KnowledgeBase, error) {
	var all []KnowledgeBase
	seen := map[string]bool{}
	last := ""
	for {
		q := url.Values{"locationId": {l.id}, "limit": {strconv.Itoa(knowledgeBasesPageSize)}}
		if last != "" {
			q.Set("lastKnowledgeBaseId", last)
		}
		var wire knowledgeBasesAnswer
		c := call{method: http.MethodGet, path: knowledgeBasesPath, query: q, out: &wire,
			version: VersionKnowledgeBases, scope: ScopeKnowledgeBasesRead}
		c.check = func() error {
			switch {
			case wire.Success != nil && !*wire.Success:
				return fmt.Errorf("server answered success=false")
			case wire.Data == nil || wire.Data.KnowledgeBases == nil:
				return fmt.Errorf("%w: answer has no knowledgeBases list", ErrInconsistentAnswer)
			}
			return nil
		}
		if err := l.do(ctx, c); err != nil {
			return nil, err
		}
		page := *wire.Data.KnowledgeBases
		for _, kb := range page {
			if err := checkListed(seen, kb.ID, "knowledge base"); err != nil {
				return nil, fmt.Errorf("GET %s (location %s): %w", knowledgeBasesPath, l.id, err)
			}
		}
		all = append(all, page...)
		if !wire.Data.HasMore {
			return all, nil
		}
		next := wire.Data.LastKnowledgeBaseID
		if next == "" && len(page) > 0 {
			next = page[len(page)-1].ID
		}
		if len(page) == 0 || next == "" || next == last {
			return nil, fmt.Errorf("GET %s (location %s): %w: hasMore without a next page", knowledgeBasesPath, l.id, ErrInconsistentAnswer)
		}
		last = next
	}
}
