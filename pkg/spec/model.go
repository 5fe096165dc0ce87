// Package spec loads, merges, expands and validates agentform manifests: YAML
// documents that describe the desired Conversation AI configuration of
// HighLevel locations (kind Location) and the voice agents and knowledge
// bases of KrosAI accounts (kind KrosAIAccount). A loaded Set is the
// planner's input: Load builds every location in full; Scan keeps their
// headers and Set.Expand builds one at a time, so a fleet of thousands is
// planned in little memory.
//
// Agents start from bases (deep-merged; actions merge by name, with $patch
// markers), strings use variables (a document's vars, its vars files, its
// bases' defaults), and ids of location-owned objects may be written as name
// references that the planner resolves (Ref). Everything is checked offline
// against the embedded JSON Schemas and the rules the schemas cannot
// express; problems are Diagnostics at file:line:col.
//
// Files are read defensively: only regular files, at most MaxManifestSize
// (MaxDocumentSize for KrosAI documents), and symbolic links only when they
// resolve inside the folders being loaded (a file argument's folder for a
// file), so a FIFO, a device or a link out of the tree is refused by name.
package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// APIVersion is the only apiVersion accepted; KindLocation and KindVars are
// document kinds.
const (
	APIVersion   = "agentform/v1"
	KindLocation = "Location"
	// KindVars is a vars file: variables shared by the documents listing it
	// under varsFiles:.
	KindVars = "Vars"
	// KindKrosAIAccount is a KrosAI account: voice agents and knowledge bases.
	KindKrosAIAccount = "KrosAIAccount"
	// DefaultKrosAITokenEnv is the environment variable holding a KrosAI
	// account's API key when its manifest names none.
	DefaultKrosAITokenEnv = "KROSAI_API_KEY"
	// DefaultTokenEnv is the environment variable read when a location names none.
	DefaultTokenEnv = "HIGHLEVEL_TOKEN"
)

// documentKinds are the kinds a manifest file may hold.
var documentKinds = []string{KindLocation, KindKrosAIAccount, KindVars}

// Pos is a position in a manifest file (1-based line and column).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// Set is every location and account loaded from the paths given on the
// command line.
type Set struct {
	// Locations in a stable order (file, then position in the file).
	Locations []*Location
	// Accounts are the KrosAI accounts, in the same order.
	Accounts []*KrosAIAccount
	// Files are every file read (manifests, bases, vars files and KrosAI
	// documents), sorted, relative as given.
	Files []string
	// Digest is the hex SHA-256 over the sorted files, each as its path, a NUL
	// byte and its content (for a KrosAI document, the hex SHA-256 of its
	// content instead); a saved plan records it so apply can refuse a plan
	// made from other manifests.
	Digest string
	// Warnings are problems that do not stop a load, such as a variable
	// nothing uses, sorted like Diagnostics. Errors are returned by Load
	// instead, and warnings are then left out.
	Warnings Diagnostics
	// scanned re-reads locations for Expand; nil when Load built them all.
	scanned *scanned
}

// Location is one Location document.
type Location struct {
	Pos      Pos
	ID       string // HighLevel location (sub-account) id
	Name     string // for humans only
	TokenEnv string // environment variable holding the token (DefaultTokenEnv if unset)
	// TokenEnvDeclared is true when the manifest names tokenEnv. A location
	// naming none may get its token minted from an agency token.
	TokenEnvDeclared bool
	Prune            bool // delete live agents no manifest declares
	// Agents are the declared agents; nil in a Set from Scan until Expand.
	Agents []*Agent
	// nth is the document's index among the file's Location documents:
	// what Set.Expand reads again.
	nth int
	// headerOnly is true for a location Scan kept without its agents.
	headerOnly bool
}

// HeaderOnly reports whether loc is a header kept by Scan: its agents are
// left out, and Set.Expand builds them.
func (loc *Location) HeaderOnly() bool { return loc.headerOnly }

// Agent is one desired agent, with its base merged in and variables expanded.
type Agent struct {
	Pos  Pos
	Name string // identity inside the location
	// PinnedID is the manifest's optional `id:`: the live agent this entry owns,
	// whatever its live name (a rename is then an update).
	PinnedID string
	// Settings are the declared API fields of the agent (CreateEmployeeDto names:
	// businessName, mode, channels, personality, ...), excluding name, id, base,
	// actions and followup. Values use JSON types: string, float64, bool, []any,
	// map[string]any. Only declared keys are present.
	Settings map[string]any
	// ActionsDeclared is false when the manifest has no `actions:` key; the
	// agent's live actions are then left alone.
	ActionsDeclared bool
	Actions         []*Action
	// Followup is nil when the manifest declares no follow-up settings.
	Followup *Followup
	// Refs are the name references in Settings (knowledgeBaseIds), in
	// document order; literal ids are not listed.
	Refs []Ref
	// Sources says where each declared value was written (see Sources).
	Sources Sources
}

// Sources says where every declared value of an object (and every item of
// a list, "workingHours[1].intervals") was written: the manifest, the base
// it came from, or the vars file a whole-value variable came from. Paths are
// relative to the object (for an action: "details.calendarId"). It is
// compact: the entries a location inherits from bases are shared by every
// object that inherits the same ones, so a fleet of thousands of locations
// on one base holds them once.
type Sources struct {
	own, inherited *sourceSet
}

// sourceSet is entries sorted by path.
type sourceSet struct {
	paths []string
	pos   []Pos
}

// NewSources makes Sources from a map (tests, providers).
func NewSources(m map[string]Pos) Sources {
	return Sources{own: newSourceSet(m)}
}

func newSourceSet(m map[string]Pos) *sourceSet {
	if len(m) == 0 {
		return nil
	}
	s := &sourceSet{paths: make([]string, 0, len(m)), pos: make([]Pos, 0, len(m))}
	for p := range m {
		s.paths = append(s.paths, p)
	}
	slices.Sort(s.paths)
	for _, p := range s.paths {
		s.pos = append(s.pos, m[p])
	}
	return s
}

func (s *sourceSet) get(path string) (Pos, bool) {
	if s == nil {
		return Pos{}, false
	}
	i, ok := slices.BinarySearch(s.paths, path)
	if !ok {
		return Pos{}, false
	}
	return s.pos[i], true
}

// Len is how many values Sources knows.
func (s Sources) Len() int {
	n := 0
	for _, set := range []*sourceSet{s.own, s.inherited} {
		if set != nil {
			n += len(set.paths)
		}
	}
	return n
}

// Each calls f for every path and where its value was written, by path.
func (s Sources) Each(f func(path string, p Pos)) {
	m := s.Map()
	paths := make([]string, 0, len(m))
	for p := range m {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		f(p, m[p])
	}
}

// Map returns the sources as a map (a copy).
func (s Sources) Map() map[string]Pos {
	out := make(map[string]Pos, s.Len())
	for _, set := range []*sourceSet{s.inherited, s.own} {
		if set == nil {
			continue
		}
		for i, p := range set.paths {
			out[p] = set.pos[i]
		}
	}
	return out
}

// Prefixed returns the sources with prefix put before every path.
func (s Sources) Prefixed(prefix string) Sources {
	m := map[string]Pos{}
	s.Each(func(p string, pos Pos) { m[prefix+p] = pos })
	return NewSources(m)
}

// MarshalJSON writes the sources as a JSON object, path → position.
func (s Sources) MarshalJSON() ([]byte, error) { return json.Marshal(s.Map()) }

// Of returns where the value at path, or the nearest enclosing value, was
// written.
func (s Sources) Of(path string) (Pos, bool) {
	for {
		if p, ok := s.own.get(path); ok {
			return p, true
		}
		if p, ok := s.inherited.get(path); ok {
			return p, true
		}
		i := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
		if i <= 0 {
			return Pos{}, false
		}
		path = path[:i]
	}
}

// Action is one desired action of an agent.
type Action struct {
	Pos  Pos
	Name string // identity inside the agent
	Type string // one of api.ActionTypes
	// Details is the type's DTO as declared, in JSON types. References to other
	// agents (transferBot.transferToBot, appointmentBooking.transferAgent) hold
	// agent names of the same location; the planner resolves them to ids.
	// Ids of location-owned objects (workflows, calendars, custom fields,
	// users) may be name references instead, kept as written
	// (map[string]any{"name": "Cleanings"}); Refs lists them.
	Details map[string]any
	// Refs are the name references in Details, in document order.
	Refs []Ref
	// Sources says where each declared value was written, by path from
	// the action ("details.calendarId").
	Sources Sources
}

// RefKind is the kind of location-owned object a name reference points to.
type RefKind string

// The kinds of objects a manifest may reference by name.
const (
	RefWorkflow      RefKind = "workflow"      // GET /workflows/?locationId=
	RefCalendar      RefKind = "calendar"      // GET /calendars/?locationId=
	RefCustomField   RefKind = "customField"   // GET /locations/{locationId}/customFields
	RefUser          RefKind = "user"          // GET /users/?locationId=
	RefKnowledgeBase RefKind = "knowledgeBase" // GET /knowledge-bases/?locationId= (KrosAI: its own knowledge bases)
)

// Ref is a reference by name (or, for users, by e-mail address) written where
// the API takes the id of an object the location owns, such as
// calendarId: {name: Cleanings}. The value stays in Settings or Details as
// written; the planner resolves it to an id per location.
type Ref struct {
	// Pos is where the reference mapping is written.
	Pos  Pos
	Kind RefKind
	// Path is the field within Details (or the agent's Settings), such as
	// "calendarId", "workflowIds[1]" or "followupSequence[0].workflowId".
	Path string
	// Name is the object's name; Email a user's e-mail address. Exactly one
	// is set.
	Name  string
	Email string
}

// Followup is the follow-up settings of an agent: one PATCH in the API.
type Followup struct {
	Pos Pos
	// Actions names advancedFollowup actions of the same agent.
	Actions []string
	// Settings are the FollowupSettings fields as declared (dynamicChannelSwitching,
	// followUpHours, timezoneToUse, workingHours), in JSON types.
	Settings map[string]any
	// Sources says where each declared value was written, by path from the
	// followup block ("workingHours[0].intervals").
	Sources Sources
}

// KrosAIAccount is one KrosAIAccount document: the voice agents and knowledge
// bases of the KrosAI account an API key belongs to.
type KrosAIAccount struct {
	Pos  Pos
	Name string // account.name: for humans, unique among the accounts
	// TokenEnv is the environment variable holding the API key
	// (DefaultKrosAITokenEnv when the manifest names none).
	TokenEnv         string
	TokenEnvDeclared bool
	Prune            bool // delete live agents no manifest declares
	// KnowledgeBases are known by name; the API can create them but neither
	// change nor delete them.
	KnowledgeBases []*KnowledgeBase
	Agents         []*KrosAgent
}

// KnowledgeBase is one desired KrosAI knowledge base.
type KnowledgeBase struct {
	Pos         Pos
	Name        string // identity inside the account
	Description string // set at creation; "" when not declared
	Documents   []*Document
	// DocumentsDeclared is true when the manifest has a documents: key
	// (even an empty list): the knowledge base then owns its documents.
	DocumentsDeclared bool
}

// Document is a file to upload to a knowledge base, read once at load time.
// KrosAI records a document's file name; a document is known by Name plus
// SHA256, so a changed file is a new document.
type Document struct {
	Pos    Pos    // where the path is written
	Path   string // the file, relative as the manifest was given (as in Set.Files)
	Name   string // the file's base name, which the upload sends
	Size   int64
	SHA256 string // hex SHA-256 of the content
	src    source
	trees  []string
}

// Read returns the document's content, read again with the same checks as
// at load time (a regular file inside the trees, at most MaxDocumentSize),
// and refuses content that changed since: apply uploads what was planned.
func (d *Document) Read() ([]byte, error) {
	if d.src == nil {
		return nil, fmt.Errorf("document %s: not loaded from files", d.Path)
	}
	if err := d.src.linkProblem(d.Path, d.trees); err != nil {
		return nil, fmt.Errorf("document %s: %s", d.Path, describeFSError(err))
	}
	data, err := d.src.readFile(d.Path, MaxDocumentSize)
	if err != nil {
		return nil, fmt.Errorf("document %s: %s", d.Path, describeFSError(err))
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.SHA256 {
		return nil, fmt.Errorf("document %s changed since the manifests were loaded", d.Path)
	}
	return data, nil
}

// KrosAgent is one desired KrosAI voice agent, with its base merged in and
// variables expanded.
type KrosAgent struct {
	Pos      Pos
	Name     string // identity inside the account
	PinnedID string // the manifest's optional id: (a rename is then an update)
	// Settings are the declared API fields other than name (description,
	// system_prompt, language, voice_id, tts_provider, stt_provider,
	// llm_model, knowledge_base_ids), in JSON types. knowledge_base_ids
	// items are ids or name references ({"name": ...}); only declared keys
	// are present.
	Settings map[string]any
	// Refs are the name references in knowledge_base_ids (Kind
	// RefKnowledgeBase, Path "knowledge_base_ids[N]").
	Refs []Ref
	// Sources says where each declared value was written (see Sources).
	Sources Sources
}
