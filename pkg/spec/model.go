// Package spec loads, merges, expands and validates agentform manifests: YAML
// documents that describe the desired Conversation AI configuration of
// HighLevel locations. A loaded Set is the planner's input.
package spec

// APIVersion and KindLocation are the only apiVersion and kind accepted.
const (
	APIVersion   = "agentform/v1"
	KindLocation = "Location"
	// DefaultTokenEnv is the environment variable read when a location names none.
	DefaultTokenEnv = "HIGHLEVEL_TOKEN"
)

// Pos is a position in a manifest file (1-based line and column).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// Set is every location loaded from the paths given on the command line.
type Set struct {
	// Locations in a stable order (file, then position in the file).
	Locations []*Location
	// Files are every file read (manifests and bases), sorted, relative as given.
	Files []string
	// Digest is the hex SHA-256 over the sorted files' paths and contents; a saved
	// plan records it so apply can refuse a plan made from other manifests.
	Digest string
	// Warnings are problems that do not stop a load, such as a variable
	// nothing uses, sorted like Diagnostics. Errors are returned by Load
	// instead, and warnings are then left out.
	Warnings Diagnostics
}

// Location is one Location document.
type Location struct {
	Pos      Pos
	ID       string // HighLevel location (sub-account) id
	Name     string // for humans only
	TokenEnv string // environment variable holding the token (DefaultTokenEnv if unset)
	Prune    bool   // delete live agents no manifest declares
	Agents   []*Agent
}

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
}

// Action is one desired action of an agent.
type Action struct {
	Pos  Pos
	Name string // identity inside the agent
	Type string // one of api.ActionTypes
	// Details is the type's DTO as declared, in JSON types. References to other
	// agents (transferBot.transferToBot, appointmentBooking.transferAgent) hold
	// agent names of the same location; the planner resolves them to ids.
	Details map[string]any
}

// Followup is the follow-up settings of an agent: one PATCH in the API.
type Followup struct {
	Pos Pos
	// Actions names advancedFollowup actions of the same agent.
	Actions []string
	// Settings are the FollowupSettings fields as declared (dynamicChannelSwitching,
	// followUpHours, timezoneToUse, workingHours), in JSON types.
	Settings map[string]any
}
