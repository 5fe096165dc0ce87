package sim

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Token kinds.
const (
	kindLocation = "location" // a sub-account token: bound to one location
	kindAgency   = "agency"   // an agency (company) token
)

// tokenInfo is what a token grants.
type tokenInfo struct {
	Kind     string
	Location string // location tokens
	Company  string // agency tokens, and location tokens minted from one
	Scopes   []string
	Expires  time.Time // zero: never
}

func (i tokenInfo) has(scope string) bool { return slices.Contains(i.Scopes, scope) }

// normalScopes returns scopes sorted and without repeats.
func normalScopes(scopes []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(scopes)))
}

func joinScopes(scopes []string) string { return strings.Join(normalScopes(scopes), " ") }

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// token looks a bearer token up.
func (t *tx) token(tok string) (tokenInfo, bool) {
	var info tokenInfo
	var scopes string
	var exp int64
	if !t.row("SELECT kind, location_id, company_id, scopes, expires_at FROM tokens WHERE token = ?",
		[]any{tok}, &info.Kind, &info.Location, &info.Company, &scopes, &exp) {
		return tokenInfo{}, false
	}
	info.Scopes = strings.Fields(scopes)
	if exp != 0 {
		info.Expires = time.Unix(0, exp).UTC()
	}
	return info, true
}

// reusableToken returns the smallest non-expiring token granting exactly
// want, if any.
func (t *tx) reusableToken(want tokenInfo) (string, bool) {
	var tok string
	ok := t.row(`SELECT token FROM tokens WHERE kind = ? AND location_id = ? AND company_id = ? AND scopes = ?
		AND expires_at = 0 ORDER BY token LIMIT 1`,
		[]any{want.Kind, want.Location, want.Company, joinScopes(want.Scopes)}, &tok)
	return tok, ok
}

func (t *tx) insertToken(tok string, info tokenInfo) {
	t.exec("INSERT INTO tokens (token, kind, location_id, company_id, scopes, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
		tok, info.Kind, info.Location, info.Company, joinScopes(info.Scopes), nanos(info.Expires))
}

// encodeJSON encodes v for a data column.
func encodeJSON(t *tx, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.fail(fmt.Errorf("encode: %w", err))
	}
	return string(b)
}

func decodeAgent(data string, primary bool) (*AgentState, error) {
	a := &AgentState{}
	if err := json.Unmarshal([]byte(data), a); err != nil {
		return nil, fmt.Errorf("decode agent: %w", err)
	}
	a.IsPrimary = primary
	a.Actions = []ActionState{}
	return a, nil
}

func decodeAction(data string) (ActionState, error) {
	var act ActionState
	if err := json.Unmarshal([]byte(data), &act); err != nil {
		return act, fmt.Errorf("decode action: %w", err)
	}
	if act.Details == nil {
		act.Details = map[string]any{}
	}
	return act, nil
}

// agent loads an agent with its actions; nil when there is none.
func (t *tx) agent(id string) *AgentState {
	var data string
	var primary bool
	if !t.row("SELECT data, is_primary FROM agents WHERE id = ?", []any{id}, &data, &primary) {
		return nil
	}
	a, err := decodeAgent(data, primary)
	if err != nil {
		t.fail(err)
		return nil
	}
	t.query("SELECT data FROM actions WHERE agent_id = ? ORDER BY seq", []any{id}, func(r *sql.Rows) error {
		var d string
		if err := r.Scan(&d); err != nil {
			return err
		}
		act, err := decodeAction(d)
		a.Actions = append(a.Actions, act)
		return err
	})
	return a
}

// agentLocation returns the location of an agent id.
func (t *tx) agentLocation(id string) (string, bool) {
	var loc string
	ok := t.row("SELECT location_id FROM agents WHERE id = ?", []any{id}, &loc)
	return loc, ok
}

// agentsOf loads a location's agents with their actions, by createdAt, then id.
func (t *tx) agentsOf(location string) []*AgentState {
	var out []*AgentState
	byID := map[string]*AgentState{}
	t.query("SELECT data, is_primary FROM agents WHERE location_id = ? ORDER BY created_at, id", []any{location},
		func(r *sql.Rows) error {
			var data string
			var primary bool
			if err := r.Scan(&data, &primary); err != nil {
				return err
			}
			a, err := decodeAgent(data, primary)
			if err != nil {
				return err
			}
			out = append(out, a)
			byID[a.ID] = a
			return nil
		})
	if len(out) == 0 {
		return nil
	}
	t.query("SELECT data FROM actions WHERE location_id = ? ORDER BY seq", []any{location}, func(r *sql.Rows) error {
		var d string
		if err := r.Scan(&d); err != nil {
			return err
		}
		act, err := decodeAction(d)
		if a := byID[act.AgentID]; a != nil {
			a.Actions = append(a.Actions, act)
		}
		return err
	})
	slices.SortStableFunc(out, byCreation) // the column order already; keeps the rule in one place
	return out
}

// hasAgents reports whether a location has an agent.
func (t *tx) hasAgents(location string) bool {
	var one int
	return t.row("SELECT 1 FROM agents WHERE location_id = ? LIMIT 1", []any{location}, &one)
}

// agentRowData is AgentState without actions, for agents.data.
func agentRowData(t *tx, a *AgentState) string {
	c := *a
	c.Actions = nil
	return encodeJSON(t, &c)
}

func (t *tx) insertAgent(a *AgentState) {
	t.exec("INSERT INTO agents (id, location_id, created_at, is_primary, data) VALUES (?, ?, ?, ?, ?)",
		a.ID, a.LocationID, a.CreatedAt.UnixNano(), a.IsPrimary, agentRowData(t, a))
}

// updateAgentRow writes an agent's fields (not its actions).
func (t *tx) updateAgentRow(a *AgentState) {
	t.exec("UPDATE agents SET is_primary = ?, data = ? WHERE id = ?", a.IsPrimary, agentRowData(t, a), a.ID)
}

// makePrimary leaves id as its location's only primary agent.
func (t *tx) makePrimary(location, id string) {
	t.exec("UPDATE agents SET is_primary = 0 WHERE location_id = ? AND is_primary = 1 AND id <> ?", location, id)
	t.exec("UPDATE agents SET is_primary = 1 WHERE id = ? AND is_primary = 0", id)
}

func (t *tx) deleteAgent(id string) {
	t.exec("DELETE FROM actions WHERE agent_id = ?", id)
	t.exec("DELETE FROM agents WHERE id = ?", id)
}

// oldestAgent returns the id of a location's first agent by creation.
func (t *tx) oldestAgent(location string) (string, bool) {
	var id string
	ok := t.row("SELECT id FROM agents WHERE location_id = ? ORDER BY created_at, id LIMIT 1", []any{location}, &id)
	return id, ok
}

func (t *tx) insertAction(location string, act *ActionState) {
	t.exec("INSERT INTO actions (id, agent_id, location_id, data) VALUES (?, ?, ?, ?)",
		act.ID, act.AgentID, location, encodeJSON(t, act))
}

func (t *tx) updateAction(act *ActionState) {
	t.exec("UPDATE actions SET data = ? WHERE id = ?", encodeJSON(t, act), act.ID)
}

func (t *tx) deleteAction(id string) {
	t.exec("DELETE FROM actions WHERE id = ?", id)
}

// idTaken reports whether an agent or action already has id.
func (t *tx) idTaken(id string) bool {
	var one int
	return t.row("SELECT 1 FROM agents WHERE id = ? UNION ALL SELECT 1 FROM actions WHERE id = ? LIMIT 1",
		[]any{id, id}, &one)
}

// newID returns a fresh 20-character id unused by any agent or action.
func (t *tx) newID() string {
	for {
		id := randomID(20)
		if !t.idTaken(id) {
			return id
		}
	}
}

func (t *tx) generation(location, messageID string) (Generation, bool) {
	var data string
	if !t.row("SELECT data FROM generations WHERE location_id = ? AND message_id = ?", []any{location, messageID}, &data) {
		return Generation{}, false
	}
	var g Generation
	if err := json.Unmarshal([]byte(data), &g); err != nil {
		t.fail(fmt.Errorf("decode generation: %w", err))
		return Generation{}, false
	}
	return g, true
}

func (t *tx) putGeneration(location, messageID string, g Generation) {
	t.exec("INSERT OR REPLACE INTO generations (location_id, message_id, data) VALUES (?, ?, ?)",
		location, messageID, encodeJSON(t, g))
}
