// Package plan reads live state, normalizes it, diffs it against the desired
// state from pkg/spec, orders the changes and renders them. A Plan is plain,
// versioned data: it does no I/O and pkg/apply executes it.
//
// # Reading a location
//
// One search (every page: 1 request per 100 agents), then, for each declared
// agent that exists live, GetAgent (search items lack personality and
// instructions) and ListActions (it carries every action's details, so no
// per-action GET); for each agent prune deletes, GetAgent (for the
// fingerprint). Nothing else, and only GETs: a read-only token suffices. This
// is the minimum the API allows: 1 + 2 requests per managed agent for a
// location under 100 agents. Locations are read concurrently
// (Options.Parallelism) and so are the per-agent reads of a location (4).
//
// # Identity and ownership
//
// An agent is its name inside its location; a pinned id (`id:`) selects that
// live agent whatever its name (a rename is an update of name; a pinned id not
// found live fails the location). Two live agents with a declared name, or two
// live actions with a declared action name, fail the location with an error
// naming both ids; the other locations are still planned. Live agents no
// manifest declares are reported as unmanaged (OpReport), or deleted when the
// location sets prune. A declared agent with an `actions:` list owns its
// actions: the live ones it does not declare are deleted; without the list
// they are left alone (one OpReport says how many).
//
// # Diffing
//
// Only declared fields are compared, normalized the same way on both sides:
// JSON types (numbers are float64); channels, knowledgeBaseIds, workflowIds
// and tags are sets (sorted); workingHours ordered by day; a missing live
// field equals a declared zero value (false, 0, "", [], {}); objects compare
// declared keys only, at any depth; lists of objects of the same length
// compare item by item on declared keys (the service fills defaults into
// follow-up steps), otherwise whole. The differences come from
// github.com/r3labs/diff/v3 and are reported per declared field (a list
// whole). details.followupSettings of advancedFollowup actions belong to the
// agent's followup block, never to the action diff.
//
// # Payloads
//
// After is the full body to send: an agent update is the live settings
// overlaid with the declared ones, an action update the live details deep-
// merged with the declared ones (objects merge, lists and scalars replace),
// creates carry the declared fields only. Agent references
// (transferBot.transferToBot, appointmentBooking.transferAgent) are names in
// Before and After; Change.ActionInput resolves them at apply time. A live id
// no agent of the location has is kept as it is (Change.KeepIDs). A changed
// action type is an OpReplace. A follow-up change is planned when a named
// action is created or replaced, lacks settings or has other ones.
//
// # Drift
//
// With Options.Baseline (the manifests of the base branch, `plan
// --baseline`), every change says whether it is intended (the manifests
// being planned change it) or drift (it undoes an edit made outside
// agentform, assuming the base branch was applied). The baseline is
// normalized by the functions that build the desired side and compared with
// the same projection and diff. Its agent is the one pinning the same id,
// else the one with the same name; its action is the one with the same name
// under that agent. Per case:
//
//   - A field diff is drift (FieldDiff.Drift) when the baseline declares the
//     field with the value the manifest wants: live moved away from what
//     was merged. It is intended when the baseline does not declare the
//     field or the object, or declares another value (the live one: the
//     change is the pull request's; a third value: the pull request
//     rewrites the field anyway, so the change is its own).
//   - An update or replace is drift when any of its diffs is; each diff
//     says which (a replace's only diff is its type).
//   - A create is drift when the baseline declares the agent, or the action
//     under the same agent (whatever its type): it was deleted by hand.
//   - An action delete is drift when the baseline agent also has an
//     `actions:` list without that action: it was added by hand. When the
//     baseline declared the action, had no `actions:` list, or did not
//     declare the agent, the delete is the pull request's.
//   - An agent delete (prune) is drift when the baseline location also sets
//     prune and declares no agent of that name or pinned id: it was added by
//     hand. Otherwise the pull request removes the agent or turns prune on.
//   - A follow-up change is drift when its settings diff is drift (and the
//     baseline's follow-up block lists that action), when an action it
//     lists lacks settings live while the baseline lists the action with
//     the same settings (they were removed by hand), or when an action it
//     lists is created or replaced by a drift change.
//   - Reports are never drift; without a baseline nothing is.
//
// A change that is both (some diffs drift, some intended) is marked Drift
// and its diffs tell them apart. Counts.Drift counts drift changes and
// DriftLine words them; the renderers label them.
//
// # Order
//
// Inside a location: agent creates and updates (agents referenced by other
// agents' actions first, then by name); action creates, updates and replaces
// (by agent, then action name); follow-up changes; action deletes; agent
// deletes; reports. DependsOn links an action change to its agent's create,
// a referencing change to the referenced agent's create or rename, and a
// follow-up to the creates and replaces of its actions. Locations are sorted
// by id. Shards (Options.ShardIndex/ShardCount) are FNV-1a 32 of the location
// id modulo the count; the CLI's --shard I/N is 1-based.
//
// # JSON form (FormatVersion 1)
//
// The plan file and `plan --format json` are the Plan value as encoded by
// encoding/json with the tags below; this is a stable contract: fields are
// only added, and a change of meaning increments FormatVersion. Top level:
// formatVersion, toolVersion, createdAt (RFC 3339, UTC), manifestDigest,
// totalLocations, locations[], shard, baseline (true when made with a
// baseline), baselineDigest. A location: locationId, name, tokenEnv (the
// variable's name, never a token), file, prune, liveObjects, changes[],
// error. A change: op (create|update|delete|replace|report), kind
// (agent|action|followup), agent, action, id, agentId, before, after,
// diffs[{path, before, after, drift}], reason, drift, fingerprint,
// dependsOn[], keepIds[]. The drift flags are omitted when false.
package plan

import "time"

// FormatVersion is the version of the JSON form of a Plan. It changes whenever
// the meaning of a field changes; readers refuse versions they do not know.
const FormatVersion = 1

// Plan is the change set for a set of locations.
type Plan struct {
	FormatVersion  int       `json:"formatVersion"`
	ToolVersion    string    `json:"toolVersion"`
	CreatedAt      time.Time `json:"createdAt"`
	ManifestDigest string    `json:"manifestDigest"`
	// TotalLocations is how many locations the manifests declare (before
	// --location and --shard selected some of them).
	TotalLocations int            `json:"totalLocations"`
	Locations      []LocationPlan `json:"locations"`
	// Shard is "I/N" when the plan covers shard I of N (--shard), else empty.
	// Merge insists on every shard of N exactly once.
	Shard string `json:"shard,omitempty"`
	// Baseline is true when the plan was made with baseline manifests
	// (Options.Baseline, `plan --baseline`): only then do the Drift marks say
	// anything. BaselineDigest is their digest.
	Baseline       bool   `json:"baseline,omitempty"`
	BaselineDigest string `json:"baselineDigest,omitempty"`
}

// LocationPlan is the plan of one location.
type LocationPlan struct {
	LocationID string `json:"locationId"`
	Name       string `json:"name,omitempty"`
	// TokenEnv is the name (never the value) of the variable holding the token.
	TokenEnv string `json:"tokenEnv"`
	File     string `json:"file,omitempty"`
	Prune    bool   `json:"prune"`
	// Changes in execution order.
	Changes []Change `json:"changes"`
	// Error is set when the location could not be planned; Changes is then empty.
	Error string `json:"error,omitempty"`
	// LiveAgents maps the name of every declared agent that exists live to its
	// id, so apply resolves references to it even when another live agent
	// (unmanaged) shares its name.
	LiveAgents map[string]string `json:"liveAgents,omitempty"`
	// LiveObjects is how many managed live objects the plan read: agents the
	// manifests declare or prune deletes, plus the actions of declared agents.
	// The --max-delete-percent guard divides by it.
	LiveObjects int `json:"liveObjects"`
}

// Op is what a change does.
type Op string

// The operations of a change. OpReport changes nothing: it says something worth
// knowing (an unmanaged agent, actions left alone).
const (
	OpCreate  Op = "create"
	OpUpdate  Op = "update"
	OpDelete  Op = "delete"
	OpReplace Op = "replace" // delete the live object, then create the desired one
	OpReport  Op = "report"
)

// Kind is the kind of object a change is about.
type Kind string

// Object kinds.
const (
	KindAgent    Kind = "agent"
	KindAction   Kind = "action"
	KindFollowup Kind = "followup" // the follow-up settings of one agent
)

// Change is one step of a plan.
type Change struct {
	Op   Op   `json:"op"`
	Kind Kind `json:"kind"`
	// Agent is the agent's name (its key in the location). For a pinned rename
	// it is the desired name.
	Agent string `json:"agent"`
	// Action is the action's name (its key in the agent), for KindAction.
	Action string `json:"action,omitempty"`
	// ID is the live id of the object changed (update, delete, replace).
	ID string `json:"id,omitempty"`
	// AgentID is the live id of the parent agent, or "" when the agent is
	// created by an earlier change of the same plan.
	AgentID string `json:"agentId,omitempty"`
	// Before is the live object, normalized, with references shown as names.
	Before map[string]any `json:"before,omitempty"`
	// After is the full desired payload (the body to send), with references as
	// names; Payload resolves them to ids at apply time.
	After map[string]any `json:"after,omitempty"`
	// Diffs are the field-level differences between Before and After that the
	// manifest declares.
	Diffs []FieldDiff `json:"diffs,omitempty"`
	// Reason says why the change is planned, in words.
	Reason string `json:"reason"`
	// Drift is true when the change undoes an edit made outside agentform:
	// a field diff is drift, or the object was deleted or added by hand (see
	// "Drift" in the package documentation). Always false without a baseline.
	Drift bool `json:"drift,omitempty"`
	// Fingerprint identifies the live object the change was computed from
	// (see Fingerprint); apply refuses the location when it moved.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Cascade counts the objects the service deletes along with this one: the
	// actions of a deleted agent. The delete guards count them.
	Cascade int `json:"cascade,omitempty"`
	// DependsOn are indexes (into the location's Changes) of changes that must
	// succeed before this one starts.
	DependsOn []int `json:"dependsOn,omitempty"`
	// KeepIDs are reference values in After that are live ids no agent of the
	// location carries (shown and sent as they are, not resolved by name).
	KeepIDs []string `json:"keepIds,omitempty"`
}

// FieldDiff is one changed field.
type FieldDiff struct {
	Path   string `json:"path"` // dotted path, e.g. "details.sleepTime" or "channels"
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	// Drift is true when the baseline declares the value After already: the
	// live value moved away from what was merged (changed by hand).
	Drift bool `json:"drift,omitempty"`
}
