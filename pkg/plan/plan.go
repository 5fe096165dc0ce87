package plan

import (
	"strconv"
	"strings"
	"time"

	"github.com/agentform/agentform/pkg/value"
)

// FormatVersion is the version of the JSON form of a Plan. It changes whenever
// the meaning of a field changes; readers refuse versions they do not know.
// Version 2: DependsOn is the complete execution order (apply adds no edges
// of its own); objects are named by fields called after their kinds.
const FormatVersion = 2

// Plan is the change set for a set of targets.
type Plan struct {
	FormatVersion  int       `json:"formatVersion"`
	ToolVersion    string    `json:"toolVersion"`
	CreatedAt      time.Time `json:"createdAt"`
	ManifestDigest string    `json:"manifestDigest"`
	// TotalTargets is how many targets the manifests declare (before
	// --location and --shard selected some of them). Its JSON name is kept
	// from the format's first, single-provider version.
	TotalTargets int `json:"totalLocations"`
	// Targets are the planned targets (locations, other providers'
	// accounts), sorted by kind and id; JSON "locations".
	Targets []TargetPlan `json:"locations"`
	// Shard is "I/N" when the plan covers shard I of N (--shard), else empty.
	// Merge insists on every shard of N exactly once.
	Shard string `json:"shard,omitempty"`
	// Baseline is true when the plan was made with baseline manifests
	// (Options.Baseline, `plan --baseline`): only then do the Drift marks say
	// anything. BaselineDigest is their digest.
	Baseline       bool   `json:"baseline,omitempty"`
	BaselineDigest string `json:"baselineDigest,omitempty"`
	// Digest is the SHA-256 of the plan's JSON form without it (see Seal):
	// a saved plan is bound to its content.
	Digest string `json:"digest"`
}

// TargetPlan is the plan of one target. Its JSON form names the id by the
// target kind ("locationId").
type TargetPlan struct {
	// Kind is the target kind, which names its provider ("location").
	Kind string
	ID   string
	Name string
	// TokenEnv is the name (never the value) of the variable holding the
	// credential; "" when the credential is arranged otherwise.
	TokenEnv string
	File     string
	Prune    bool
	// Changes in execution order.
	Changes []Change
	// Error is set when the target could not be planned; Changes is then
	// empty.
	Error string
	// Live maps, by top-level kind, the name of every declared object that
	// exists live to its id, so apply resolves references to it even when
	// an undeclared live object shares its name. JSON: "live<Kind>s"
	// ("liveAgents").
	Live map[string]map[string]string
	// LiveCounts is how many live objects of each top-level kind the target
	// has (declared or not): the mass-delete guard compares deletes with it.
	// JSON "liveCounts".
	LiveCounts map[string]int
	// Reads are the read-only objects (a location's workflows, calendars,
	// ...) the plan's references resolved to, with their fingerprints: the
	// renderers show their names, apply checks they did not move.
	Reads []Read
	// LiveObjects is how many managed live objects the plan read: declared
	// objects found live, objects prune deletes, and the children of
	// declared objects. The --max-delete-percent guard divides by it.
	LiveObjects int
}

// Read is one live object a plan depends on without changing it: an object
// a reference names (a lookup's workflow, another agent a transfer names).
// Apply re-reads it and refuses the target when it moved.
type Read struct {
	Kind string
	Key  Key
	ID   string
	// ParentID is the live id of the object's parent, for a child kind.
	// JSON: "<parentKind>Id".
	ParentID    string
	Fingerprint string
}

// Op is what a change does.
type Op string

// The operations of a change. OpReport changes nothing: it says something worth
// knowing (an unmanaged object, children left alone).
const (
	OpCreate  Op = "create"
	OpUpdate  Op = "update"
	OpDelete  Op = "delete"
	OpReplace Op = "replace" // delete the live object, then create the desired one
	OpReport  Op = "report"
)

// KeyPart is one step of a Key: an object's kind and name.
type KeyPart struct {
	Kind string
	Name string
}

// Key names an object inside its target: its ancestors' names and its own,
// each with its kind, from the top. A singleton (one object per parent, no
// name) has its parent's key; so does a report about a parent's children.
type Key []KeyPart

// String shows the key's names: `"Front Desk"/"Book"`.
func (k Key) String() string {
	var b strings.Builder
	for i, p := range k {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(strconv.Quote(p.Name))
	}
	return b.String()
}

// Names returns the key's names, from the top.
func (k Key) Names() []string {
	out := make([]string, len(k))
	for i, p := range k {
		out[i] = p.Name
	}
	return out
}

// Equal reports whether k and o name the same object.
func (k Key) Equal(o Key) bool {
	if len(k) != len(o) {
		return false
	}
	for i := range k {
		if k[i] != o[i] {
			return false
		}
	}
	return true
}

// Change is one step of a plan.
type Change struct {
	Op Op
	// Kind is the kind of object the change is about ("agent").
	Kind string
	// Key names the object (see Key). For a pinned rename it holds the
	// desired name.
	Key Key
	// ID is the live id of the object changed (update, delete, replace).
	ID string
	// ParentID is the live id of the parent object, or "" when the parent
	// is created by an earlier change of the same plan. JSON:
	// "<parentKind>Id" ("agentId").
	ParentID string
	// Before is the live object, normalized, with references shown as names.
	Before map[string]any
	// After is the full desired payload (the body to send), with references as
	// names; apply resolves them to ids.
	After map[string]any
	// Diffs are the field-level differences between Before and After that the
	// manifest declares.
	Diffs []FieldDiff
	// Reason says why the change is planned, in words.
	Reason string
	// Drift is true when the change undoes an edit made outside agentform:
	// a field diff is drift, or the object was deleted or added by hand (see
	// "Drift" in the package documentation). Always false without a baseline.
	Drift bool
	// Fingerprint identifies the live object the change was computed from;
	// apply refuses the target when it moved.
	Fingerprint string
	// Cascade counts the objects the service deletes along with this one
	// (the children of a deleted object). The delete guards count them.
	Cascade int
	// Essential, on a delete, says why the object is one the mass-delete
	// guard protects ("the location's primary agent"), else "".
	Essential string
	// DuplicateOf, on a delete, is the id of the object this one duplicates
	// (same name, same declared fields, created by two applies at once):
	// the oldest stays. Such deletes need no prune and pass the mass-delete
	// guard: what the manifest declares survives.
	DuplicateOf string
	// DependsOn are indexes (into the target's Changes) of changes that
	// must succeed before this one starts: the complete execution order.
	DependsOn []int
	// KeepIDs are reference values in After that are live ids no object of
	// the target carries (shown and sent as they are, not resolved by name).
	KeepIDs []string
	// Sources says, for a create or replace, where each field of After was
	// written ("file:line"), by its dotted path. Updates say it per diff
	// (FieldDiff.Source).
	Sources map[string]string
}

// FieldDiff is one changed field.
type FieldDiff = value.FieldDiff

// Named reports whether the change is about a named object (its key ends
// with its own kind) rather than a singleton or a parent's children.
func (c Change) Named() bool {
	return len(c.Key) > 0 && c.Key[len(c.Key)-1].Kind == c.Kind
}

// Name is the changed object's own name, "" for a singleton.
func (c Change) Name() string {
	if !c.Named() {
		return ""
	}
	return c.Key[len(c.Key)-1].Name
}

// ParentKey is the key of the changed object's parent (nil for a top-level
// object).
func (c Change) ParentKey() Key {
	if c.Named() {
		return c.Key[:len(c.Key)-1]
	}
	return c.Key
}

// ParentKind is the kind of the changed object's parent, "" for a
// top-level object.
func (c Change) ParentKind() string {
	pk := c.ParentKey()
	if len(pk) == 0 {
		return ""
	}
	return pk[len(pk)-1].Kind
}

// TopName is the name of the top-level object the change belongs to.
func (c Change) TopName() string {
	if len(c.Key) == 0 {
		return ""
	}
	return c.Key[0].Name
}
