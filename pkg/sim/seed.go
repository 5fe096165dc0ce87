package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/agentform/agentform/pkg/sim/krosai"
	"go.yaml.in/yaml/v3"
)

// Seed is the content of a seed file: companies (agencies), their locations
// (sub-accounts), each location's lookups, agents and known messages; and
// KrosAI accounts with their knowledge bases, documents, agents and
// conversations.
type Seed struct {
	Companies []SeedCompany `json:"companies" yaml:"companies"`
	// KrosAIAccounts are KrosAI accounts (see krosai.SeedAccount), created
	// when missing.
	KrosAIAccounts []krosai.SeedAccount `json:"krosaiAccounts,omitempty" yaml:"krosaiAccounts"`

	file string     // for messages
	tree *yaml.Node // the YAML document, for line numbers; nil for JSON
}

// SeedCompany is one company and its locations.
type SeedCompany struct {
	ID        string         `json:"id" yaml:"id"`
	Name      string         `json:"name,omitempty" yaml:"name"`
	Locations []SeedLocation `json:"locations" yaml:"locations"`
}

// SeedLocation is one location. A nil lookup list leaves that kind as it is
// (unseeded: any id is accepted); a list, even an empty one, replaces the
// kind's objects and makes ids outside it unknown.
type SeedLocation struct {
	ID        string `json:"id" yaml:"id"`
	Name      string `json:"name" yaml:"name"`
	Address   string `json:"address,omitempty" yaml:"address"`
	Email     string `json:"email,omitempty" yaml:"email"`
	Installed *bool  `json:"installed,omitempty" yaml:"installed"` // the app is installed (default true)

	Workflows      []Workflow      `json:"workflows,omitempty" yaml:"workflows"`
	Calendars      []Calendar      `json:"calendars,omitempty" yaml:"calendars"`
	CustomFields   []CustomField   `json:"customFields,omitempty" yaml:"customFields"`
	Users          []User          `json:"users,omitempty" yaml:"users"`
	KnowledgeBases []KnowledgeBase `json:"knowledgeBases,omitempty" yaml:"knowledgeBases"`

	// Agents are agents as GET /conversation-ai/agents/{id} answers them,
	// except that "actions" holds whole actions as GET .../actions/list
	// answers them ({id, name, type, details}, follow-up settings inside
	// details). Ids are optional; an agent or action with an id replaces the
	// stored one.
	Agents []map[string]any `json:"agents,omitempty" yaml:"agents"`
	// Generations are known messages: a record, or only a messageId for a
	// record derived from the location's agents.
	Generations []SeedGeneration `json:"generations,omitempty" yaml:"generations"`
}

// SeedGeneration is a known message of a location.
type SeedGeneration struct {
	MessageID  string `json:"messageId" yaml:"messageId"`
	Generation `yaml:",inline"`
}

// SeedStats counts what LoadSeed wrote.
type SeedStats struct {
	Companies, Locations, Lookups, Agents, Actions, Generations int
	// KrosAI counts the KrosAI accounts and what they hold.
	KrosAI krosai.SeedStats
}

func (st SeedStats) String() string {
	out := fmt.Sprintf("%d companies, %d locations, %d lookup objects, %d agents, %d actions, %d messages",
		st.Companies, st.Locations, st.Lookups, st.Agents, st.Actions, st.Generations)
	if k := st.KrosAI; k.Accounts > 0 {
		out += fmt.Sprintf("; %d KrosAI accounts: %d knowledge bases, %d documents, %d agents, %d conversations, %d messages",
			k.Accounts, k.KnowledgeBases, k.Documents, k.Agents, k.Conversations, k.Messages)
	}
	return out
}

// ReadSeedFile reads a seed file: YAML, or JSON (a file starting with "{"
// is read as JSON, which is faster for big fleets). Unknown fields are
// errors naming the file and line.
func ReadSeedFile(path string) (*Seed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seed file: %w", err)
	}
	return ParseSeed(path, b)
}

// ParseSeed reads a seed file's content; name is used in messages.
func ParseSeed(name string, b []byte) (*Seed, error) {
	seed := &Seed{file: name}
	if trimmed := bytes.TrimLeftFunc(b, unicode.IsSpace); len(trimmed) > 0 && trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(seed); err != nil {
			return nil, fmt.Errorf("%s:%s", name, jsonErrorWhere(b, err))
		}
		return seed, nil
	}
	var tree yaml.Node
	if err := yaml.Unmarshal(b, &tree); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(seed); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	seed.tree = &tree
	for i := range seed.Companies {
		for j := range seed.Companies[i].Locations {
			for k, a := range seed.Companies[i].Locations[j].Agents {
				seed.Companies[i].Locations[j].Agents[k] = yamlToJSON(a).(map[string]any)
			}
		}
	}
	return seed, nil
}

// jsonErrorWhere renders a JSON decoding error with its line when known.
func jsonErrorWhere(b []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(b)) {
		return " " + err.Error()
	}
	return fmt.Sprintf("%d: %v", 1+bytes.Count(b[:off], []byte("\n")), err)
}

// yamlToJSON turns YAML-decoded values into what encoding/json would give:
// numbers as float64.
func yamlToJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = yamlToJSON(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = yamlToJSON(x)
		}
		return t
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	default:
		return v
	}
}

// where names a seed item: file, line when known, and path.
func (seed *Seed) where(path ...any) string {
	p := seedPath(path...)
	if line := seed.line(path...); line > 0 {
		return fmt.Sprintf("%s:%d: %s", seed.file, line, p)
	}
	return fmt.Sprintf("%s: %s", seed.file, p)
}

// seedPath renders ("companies", 0, "locations", 2) as companies[0].locations[2].
func seedPath(path ...any) string {
	var sb strings.Builder
	for _, p := range path {
		switch v := p.(type) {
		case int:
			fmt.Fprintf(&sb, "[%d]", v)
		default:
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			fmt.Fprint(&sb, v)
		}
	}
	return sb.String()
}

// line finds the YAML line of a path, 0 when unknown.
func (seed *Seed) line(path ...any) int {
	n := seed.tree
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path {
		switch v := p.(type) {
		case int:
			if n.Kind != yaml.SequenceNode || v >= len(n.Content) {
				return n.Line
			}
			n = n.Content[v]
		case string:
			if n.Kind != yaml.MappingNode {
				return n.Line
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == v {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return n.Line
			}
			n = next
		}
	}
	return n.Line
}

// LoadSeed writes a seed into the sandbox in one transaction: all of it or,
// on the first error (which names the file, line and field), nothing.
// Companies and locations are created or updated; see SeedLocation for
// lookups, agents and messages.
func (s *Server) LoadSeed(seed *Seed) (SeedStats, error) {
	var st SeedStats
	if err := seed.check(); err != nil {
		return st, err
	}
	now := s.opts.Now()
	err := s.update(func(t *tx) error {
		for ci, c := range seed.Companies {
			t.exec("INSERT INTO companies (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name", c.ID, c.Name)
			st.Companies++
			for li := range c.Locations {
				if err := seed.loadLocation(t, &st, c.ID, &c.Locations[li], now, "companies", ci, "locations", li); err != nil {
					return err
				}
				if t.err != nil {
					return t.err
				}
			}
		}
		var err error
		st.KrosAI, err = krosai.LoadSeed(krosaiDB{t}, seed.KrosAIAccounts, krosai.SeedEnv{Now: now, Dir: filepath.Dir(seed.file),
			Where: func(p ...any) string { return seed.where(append([]any{"krosaiAccounts"}, p...)...) }})
		if err != nil {
			return err
		}
		return t.err
	})
	if err != nil {
		return SeedStats{}, fmt.Errorf("sandbox: seed: %w", err)
	}
	return st, nil
}

// check validates the ids and names of companies, locations and lookups.
func (seed *Seed) check() error {
	companies := map[string]bool{}
	locations := map[string]bool{}
	for ci, c := range seed.Companies {
		if err := checkID("company", c.ID); err != nil {
			return fmt.Errorf("%s: %w", seed.where("companies", ci, "id"), err)
		}
		if companies[c.ID] {
			return fmt.Errorf("%s: company %s is listed twice", seed.where("companies", ci, "id"), c.ID)
		}
		companies[c.ID] = true
		for li, l := range c.Locations {
			at := func(p ...any) string { return seed.where(append([]any{"companies", ci, "locations", li}, p...)...) }
			if err := checkID("location", l.ID); err != nil {
				return fmt.Errorf("%s: %w", at("id"), err)
			}
			if locations[l.ID] {
				return fmt.Errorf("%s: location %s is listed twice", at("id"), l.ID)
			}
			locations[l.ID] = true
			if strings.TrimSpace(l.Name) == "" {
				return fmt.Errorf("%s: a location needs a name", at("name"))
			}
			for field, items := range l.lookupRows() {
				seen := map[string]bool{}
				for i, r := range items {
					if err := checkID(field, r.id); err != nil {
						return fmt.Errorf("%s: %w", at(field, i, "id"), err)
					}
					if strings.TrimSpace(r.name) == "" {
						return fmt.Errorf("%s: give a name", at(field, i, "name"))
					}
					if seen[r.id] {
						return fmt.Errorf("%s: id %s is listed twice", at(field, i, "id"), r.id)
					}
					seen[r.id] = true
				}
			}
			for gi, g := range l.Generations {
				if strings.TrimSpace(g.MessageID) == "" {
					return fmt.Errorf("%s: give a messageId", at("generations", gi))
				}
			}
		}
	}
	return nil
}

// lookupRows returns the location's seeded lookup lists by seed field name
// (only the lists the seed gives).
func (l *SeedLocation) lookupRows() map[string][]lookupRow {
	out := map[string][]lookupRow{}
	if l.Workflows != nil {
		rows := []lookupRow{}
		for _, w := range l.Workflows {
			status := w.Status
			if status == "" {
				status = "published"
			}
			rows = append(rows, lookupRow{kind: lookupWorkflow, id: w.ID, name: w.Name, data: map[string]any{
				"id": w.ID, "name": w.Name, "status": status, "version": 1.0,
				"createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-15T10:30:00.000Z", "locationId": l.ID}})
		}
		out["workflows"] = rows
	}
	if l.Calendars != nil {
		rows := []lookupRow{}
		for _, c := range l.Calendars {
			rows = append(rows, lookupRow{kind: lookupCalendar, id: c.ID, name: c.Name, data: map[string]any{
				"id": c.ID, "name": c.Name, "locationId": l.ID, "isActive": true, "calendarType": "event",
				"description": "", "slug": slugOf(c.Name), "widgetSlug": slugOf(c.Name)}})
		}
		out["calendars"] = rows
	}
	if l.CustomFields != nil {
		rows := []lookupRow{}
		for i, f := range l.CustomFields {
			key, typ, model := f.FieldKey, f.DataType, f.Model
			if key == "" {
				key = "contact." + strings.ReplaceAll(slugOf(f.Name), "-", "_")
			}
			if typ == "" {
				typ = "TEXT"
			}
			if model == "" {
				model = "contact"
			}
			rows = append(rows, lookupRow{kind: lookupCustomField, id: f.ID, name: f.Name, data: map[string]any{
				"id": f.ID, "name": f.Name, "fieldKey": key, "placeholder": "", "dataType": typ,
				"position": float64(i * 50), "locationId": l.ID, "model": model}})
		}
		out["customFields"] = rows
	}
	if l.Users != nil {
		rows := []lookupRow{}
		for _, u := range l.Users {
			first, last := u.FirstName, u.LastName
			if first == "" && last == "" {
				first, last, _ = strings.Cut(u.Name, " ")
			}
			rows = append(rows, lookupRow{kind: lookupUser, id: u.ID, name: u.Name, data: map[string]any{
				"id": u.ID, "name": u.Name, "firstName": first, "lastName": last, "email": u.Email,
				"phone": "", "extension": "", "deleted": false,
				"roles": map[string]any{"type": "account", "role": "user", "locationIds": []any{l.ID}, "restrictSubAccount": false}}})
		}
		out["users"] = rows
	}
	if l.KnowledgeBases != nil {
		rows := []lookupRow{}
		for _, k := range l.KnowledgeBases {
			rows = append(rows, lookupRow{kind: lookupKnowledgeBase, id: k.ID, name: k.Name, data: map[string]any{
				"id": k.ID, "name": k.Name, "createdAt": "2024-01-15T10:30:00.000Z"}})
		}
		out["knowledgeBases"] = rows
	}
	return out
}

// slugOf lower-cases a name and joins its words with dashes.
func slugOf(name string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), "-")
}

// loadLocation writes one location and what it holds.
func (seed *Seed) loadLocation(t *tx, st *SeedStats, company string, l *SeedLocation, now time.Time, path ...any) error {
	at := func(p ...any) string { return seed.where(append(append([]any{}, path...), p...)...) }
	installed := l.Installed == nil || *l.Installed
	t.exec(`INSERT INTO locations (id, company_id, name, address, email, installed) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET company_id = excluded.company_id, name = excluded.name,
		address = excluded.address, email = excluded.email, installed = excluded.installed`,
		l.ID, company, l.Name, l.Address, l.Email, installed)
	st.Locations++
	for field, rows := range l.lookupRows() {
		kind := map[string]string{"workflows": lookupWorkflow, "calendars": lookupCalendar, "customFields": lookupCustomField,
			"users": lookupUser, "knowledgeBases": lookupKnowledgeBase}[field]
		t.replaceLookups(l.ID, kind, rows)
		st.Lookups += len(rows)
	}
	if len(l.Agents) > 0 {
		if err := seed.loadAgents(t, st, l, now, at); err != nil {
			return err
		}
	}
	for _, g := range l.Generations {
		rec := g.Generation
		if rec.ResponseMessage == "" && rec.Prompt == "" {
			rec = sampleGeneration(l.ID, g.MessageID, t.agentsOf(l.ID))
		}
		t.putGeneration(l.ID, g.MessageID, rec.normalized())
		st.Generations++
	}
	return nil
}

// agentReadOnly are fields of an agent answer a seed may carry but that are
// not settable.
var agentReadOnly = []string{"id", "actions", "locationId", "createdAt", "updatedAt", "traceId"}

// loadAgents validates a location's seeded agents as the API would (the same
// checks as POST agent and POST action) and writes them.
func (seed *Seed) loadAgents(t *tx, st *SeedStats, l *SeedLocation, now time.Time, at func(...any) string) error {
	type pending struct {
		agent   *AgentState
		actions []map[string]any
		index   int
		stored  bool // the id is already in the database: replace it
	}
	refs := t.lookupRefs(l.ID)
	var list []pending
	ids := map[string]bool{}
	for i, raw := range l.Agents {
		a := newAgentDefaults()
		body := map[string]any{}
		for k, v := range raw {
			body[k] = v
		}
		id, _ := body["id"].(string)
		if _, given := body["id"]; given {
			if err := checkID("agent", id); err != nil {
				return fmt.Errorf("%s: %w", at("agents", i, "id"), err)
			}
		}
		var actions []map[string]any
		if rawActions, given := body["actions"]; given {
			arr, ok := rawActions.([]any)
			if !ok {
				return fmt.Errorf("%s: must be a list of actions", at("agents", i, "actions"))
			}
			for j, x := range arr {
				m, ok := x.(map[string]any)
				if !ok {
					return fmt.Errorf("%s: must be an action object", at("agents", i, "actions", j))
				}
				actions = append(actions, m)
			}
		}
		for _, k := range agentReadOnly {
			delete(body, k)
		}
		var chk checker
		applyAgentFields(&chk, body, a, true)
		checkAgentRefs(&chk, refs, a)
		if chk.failed() {
			return fmt.Errorf("%s: %s", at("agents", i), strings.Join(chk.msgs, "; "))
		}
		if id == "" {
			id = randomID(20) // 62^20 ids: no collision check needed
		}
		if ids[id] {
			return fmt.Errorf("%s: agent id %s is listed twice", at("agents", i, "id"), id)
		}
		other, stored := t.agentLocation(id)
		if stored && other != l.ID {
			return fmt.Errorf("%s: agent %s belongs to location %s", at("agents", i, "id"), id, other)
		}
		ids[id] = true
		created := now.Add(time.Duration(i) * time.Microsecond)
		a.ID, a.LocationID, a.CreatedAt, a.UpdatedAt = id, l.ID, created, created
		list = append(list, pending{agent: a, actions: actions, index: i, stored: stored})
	}
	exists := func(self string) func(string) bool {
		return func(id string) bool {
			if id == self {
				return false
			}
			if ids[id] {
				return true
			}
			loc, ok := t.agentLocation(id)
			return ok && loc == l.ID
		}
	}
	primary := ""
	for _, p := range list {
		if p.stored {
			t.deleteAgent(p.agent.ID)
		}
		t.insertAgent(p.agent)
		if p.agent.IsPrimary {
			primary = p.agent.ID
		}
		st.Agents++
		for j, raw := range p.actions {
			var chk checker
			o := obj{c: &chk, m: raw}
			o.only("id", "agentId", "type", "name", "details")
			typ, typOK := o.enum("type", true, actionTypes...)
			name, _ := o.nonEmpty("name", true)
			d, dOK := o.object("details", true)
			var details map[string]any
			if typOK && dOK {
				details = checkDetails(&chk, typ, d, exists(p.agent.ID))
				checkActionRefs(&chk, refs, typ, details)
			}
			actID, _ := o.str("id", false)
			if chk.failed() {
				return fmt.Errorf("%s: %s", at("agents", p.index, "actions", j), strings.Join(chk.msgs, "; "))
			}
			if actID == "" {
				actID = randomID(20)
			} else {
				t.deleteAction(actID)
			}
			act := ActionState{ID: actID, AgentID: p.agent.ID, Name: name, Type: typ, Details: details,
				CreatedAt: p.agent.CreatedAt, UpdatedAt: p.agent.CreatedAt}
			t.insertAction(l.ID, &act)
			st.Actions++
		}
	}
	if primary != "" {
		t.makePrimary(l.ID, primary)
	} else if first, ok := t.oldestAgent(l.ID); ok {
		var n int
		t.row("SELECT count(*) FROM agents WHERE location_id = ? AND is_primary = 1", []any{l.ID}, &n)
		if n == 0 {
			t.makePrimary(l.ID, first)
		}
	}
	return t.err
}
