package sim

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Lookup kinds: the location-owned objects Conversation AI actions name by id.
const (
	lookupWorkflow      = "workflow"
	lookupCalendar      = "calendar"
	lookupCustomField   = "customField"
	lookupUser          = "user"
	lookupKnowledgeBase = "knowledgeBase"
)

// Workflow is a seeded workflow (GET /workflows/).
type Workflow struct {
	ID     string `json:"id" yaml:"id"`
	Name   string `json:"name" yaml:"name"`
	Status string `json:"status,omitempty" yaml:"status"` // default "published"
}

// Calendar is a seeded calendar (GET /calendars/).
type Calendar struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
}

// CustomField is a seeded custom field (GET /locations/{id}/customFields).
type CustomField struct {
	ID       string `json:"id" yaml:"id"`
	Name     string `json:"name" yaml:"name"`
	FieldKey string `json:"fieldKey,omitempty" yaml:"fieldKey"` // default "contact.<name in snake case>"
	DataType string `json:"dataType,omitempty" yaml:"dataType"` // default "TEXT"
	Model    string `json:"model,omitempty" yaml:"model"`       // contact (default) or opportunity
}

// User is a seeded user (GET /users/).
type User struct {
	ID        string `json:"id" yaml:"id"`
	Name      string `json:"name" yaml:"name"`
	FirstName string `json:"firstName,omitempty" yaml:"firstName"`
	LastName  string `json:"lastName,omitempty" yaml:"lastName"`
	Email     string `json:"email,omitempty" yaml:"email"`
}

// KnowledgeBase is a seeded knowledge base (GET /knowledge-bases/).
type KnowledgeBase struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
}

// lookupRow is one lookup object as stored: its id and name, and the JSON
// object the list endpoint answers for it.
type lookupRow struct {
	kind, id, name string
	data           map[string]any
}

// lookupIDs are the ids of one location's lookups, by kind; a kind that was
// never seeded is absent (any id is then accepted).
type lookupIDs map[string]map[string]bool

// lookupRefs loads the ids of a location's seeded lookups.
func (t *tx) lookupRefs(location string) lookupIDs {
	r := lookupIDs{}
	t.query("SELECT kind FROM lookup_kinds WHERE location_id = ?", []any{location}, func(rows *sql.Rows) error {
		var kind string
		if err := rows.Scan(&kind); err != nil {
			return err
		}
		r[kind] = map[string]bool{}
		return nil
	})
	if len(r) == 0 {
		return r
	}
	t.query("SELECT kind, id FROM lookups WHERE location_id = ?", []any{location}, func(rows *sql.Rows) error {
		var kind, id string
		if err := rows.Scan(&kind, &id); err != nil {
			return err
		}
		if r[kind] != nil {
			r[kind][id] = true
		}
		return nil
	})
	return r
}

// unknown reports whether id is not one of kind's ids, when kind is seeded.
func (r lookupIDs) unknown(kind, id string) bool {
	ids, seeded := r[kind]
	return seeded && !ids[id]
}

// lookups returns a location's objects of kind in seed order, and whether
// the kind was seeded for it.
func (t *tx) lookups(location, kind string) ([]map[string]any, bool) {
	var one int
	seeded := t.row("SELECT 1 FROM lookup_kinds WHERE location_id = ? AND kind = ?", []any{location, kind}, &one)
	var out []map[string]any
	t.query("SELECT data FROM lookups WHERE location_id = ? AND kind = ? ORDER BY seq", []any{location, kind},
		func(rows *sql.Rows) error {
			var data string
			if err := rows.Scan(&data); err != nil {
				return err
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				return fmt.Errorf("decode %s: %w", kind, err)
			}
			out = append(out, m)
			return nil
		})
	return out, seeded
}

// replaceLookups makes rows the location's whole list of kind.
func (t *tx) replaceLookups(location, kind string, rows []lookupRow) {
	t.exec("DELETE FROM lookups WHERE location_id = ? AND kind = ?", location, kind)
	t.exec("INSERT OR IGNORE INTO lookup_kinds (location_id, kind) VALUES (?, ?)", location, kind)
	for _, r := range rows {
		t.exec("INSERT INTO lookups (location_id, kind, id, name, data) VALUES (?, ?, ?, ?, ?)",
			location, kind, r.id, r.name, encodeJSON(t, r.data))
	}
}

// checkAgentRefs refuses knowledgeBaseIds the location does not have.
func (c *call) checkAgentRefs(chk *checker, a *AgentState) {
	checkAgentRefs(chk, c.t.lookupRefs(c.location), a)
}

func checkAgentRefs(chk *checker, r lookupIDs, a *AgentState) {
	for _, id := range a.KnowledgeBaseIDs {
		if r.unknown(lookupKnowledgeBase, id) {
			chk.addf("knowledgeBaseIds must name knowledge bases of this location: %s", id)
		}
	}
}

// checkActionRefs refuses ids of workflows, calendars, custom fields and
// users the location does not have.
func (c *call) checkActionRefs(chk *checker, typ string, details map[string]any) {
	if details == nil {
		return
	}
	checkActionRefs(chk, c.t.lookupRefs(c.location), typ, details)
}

func checkActionRefs(chk *checker, r lookupIDs, typ string, d map[string]any) {
	if len(r) == 0 {
		return
	}
	one := func(field, kind, what string) {
		if id, ok := d[field].(string); ok && id != "" && r.unknown(kind, id) {
			chk.addf("details.%s must be the id of a %s of this location: %s", field, what, id)
		}
	}
	workflows := func() {
		ids, _ := d["workflowIds"].([]any)
		for _, x := range ids {
			if id, ok := x.(string); ok && r.unknown(lookupWorkflow, id) {
				chk.addf("details.workflowIds must name workflows of this location: %s", id)
			}
		}
	}
	switch typ {
	case "triggerWorkflow":
		workflows()
	case "appointmentBooking":
		one("calendarId", lookupCalendar, "calendar")
		workflows()
	case "updateContactField":
		one("contactFieldId", lookupCustomField, "custom field")
	case "humanHandOver":
		one("assignToUserId", lookupUser, "user")
	case "advancedFollowup":
		steps, _ := d["followupSequence"].([]any)
		for i, x := range steps {
			st, _ := x.(map[string]any)
			if id, ok := st["workflowId"].(string); ok && id != "" && r.unknown(lookupWorkflow, id) {
				chk.addf("details.followupSequence.%d.workflowId must be the id of a workflow of this location: %s", i, id)
			}
		}
	}
}

// kindsOf lists the lookup kinds in a fixed order.
var lookupKinds = []string{lookupWorkflow, lookupCalendar, lookupCustomField, lookupUser, lookupKnowledgeBase}

func isLookupKind(k string) bool { return slices.Contains(lookupKinds, k) }

// locationParam reads the required locationId query parameter, which must be
// the token's location. status is the answer for a missing one (422 where
// the document lists it, else 400).
func (c *call) locationParam(status int) (string, *answer) {
	id := c.r.URL.Query().Get("locationId")
	if id == "" {
		var ans answer
		if status == http.StatusUnprocessableEntity {
			ans = unprocessable([]string{"locationId should not be empty"})
		} else {
			ans = badRequest("locationId should not be empty")
		}
		return "", &ans
	}
	if id != c.location {
		ans := forbiddenLocation()
		return "", &ans
	}
	return id, nil
}

// listOf answers a lookup list: the seeded objects, or none.
func (c *call) listOf(key, kind string, status int) answer {
	loc, bad := c.locationParam(status)
	if bad != nil {
		return *bad
	}
	items, _ := c.t.lookups(loc, kind)
	if items == nil {
		items = []map[string]any{}
	}
	return reply(http.StatusOK, map[string]any{key: items})
}

func (c *call) listWorkflows() answer {
	return c.listOf("workflows", lookupWorkflow, http.StatusUnprocessableEntity)
}

func (c *call) listCalendars() answer {
	return c.listOf("calendars", lookupCalendar, http.StatusBadRequest)
}

func (c *call) listUsers() answer { return c.listOf("users", lookupUser, http.StatusBadRequest) }

// customFields answers GET /locations/{locationId}/customFields, filtered
// by model (contact, opportunity; all or none for every field).
func (c *call) customFields(location string) answer {
	if location != c.location {
		return forbiddenLocation()
	}
	model := c.r.URL.Query().Get("model")
	if model != "" && model != "contact" && model != "opportunity" && model != "all" {
		return unprocessable([]string{"model must be one of the following values: contact, opportunity, all"})
	}
	items, _ := c.t.lookups(location, lookupCustomField)
	out := []map[string]any{}
	for _, f := range items {
		if model == "" || model == "all" || f["model"] == model {
			out = append(out, f)
		}
	}
	return reply(http.StatusOK, map[string]any{"customFields": out})
}

// Knowledge-base page sizes (the document gives the default only).
const (
	DefaultKnowledgeBaseLimit = 20
	MaxKnowledgeBaseLimit     = 100
)

// listKnowledgeBases answers GET /knowledge-bases/: seed order, pages of
// limit after lastKnowledgeBaseId.
func (c *call) listKnowledgeBases() answer {
	loc, bad := c.locationParam(http.StatusBadRequest)
	if bad != nil {
		return *bad
	}
	q := c.r.URL.Query()
	limit, msg := intParam(q, "limit", DefaultKnowledgeBaseLimit, 1, MaxKnowledgeBaseLimit)
	if msg != "" {
		return badRequest("%s", msg)
	}
	items, _ := c.t.lookups(loc, lookupKnowledgeBase)
	start := 0
	if after := q.Get("lastKnowledgeBaseId"); after != "" {
		i := slices.IndexFunc(items, func(m map[string]any) bool { return m["id"] == after })
		if i < 0 {
			return badRequest("No Knowledge Base found for the id: %s", after)
		}
		start = i + 1
	}
	needle := strings.ToLower(q.Get("query"))
	page := []map[string]any{}
	hasMore := false
	for _, kb := range items[start:] {
		name, _ := kb["name"].(string)
		if !strings.Contains(strings.ToLower(name), needle) {
			continue
		}
		if len(page) == limit {
			hasMore = true
			break
		}
		page = append(page, kb)
	}
	data := map[string]any{"knowledgeBases": page, "activeCount": float64(len(items)), "hasMore": hasMore}
	if len(page) > 0 {
		data["lastKnowledgeBaseId"] = page[len(page)-1]["id"]
	}
	return reply(http.StatusOK, map[string]any{"success": true, "data": data})
}
