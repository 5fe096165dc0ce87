// Package plan reads live state, normalizes it, diffs it against the desired
// state from pkg/spec, orders the changes and renders them. A Plan is plain,
// versioned data: it does no I/O and pkg/apply executes it.
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
	// Drift is true when the live object differs from what agentform last
	// wrote for a field the manifest did not change (changed by hand).
	Drift bool `json:"drift,omitempty"`
	// Fingerprint identifies the live object the change was computed from
	// (see Fingerprint); apply refuses the location when it moved.
	Fingerprint string `json:"fingerprint,omitempty"`
	// DependsOn are indexes (into the location's Changes) of changes that must
	// succeed before this one starts.
	DependsOn []int `json:"dependsOn,omitempty"`
}

// FieldDiff is one changed field.
type FieldDiff struct {
	Path   string `json:"path"` // dotted path, e.g. "details.sleepTime" or "channels"
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
}
