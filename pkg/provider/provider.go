package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/agentform/agentform/pkg/spec"
	"github.com/agentform/agentform/pkg/value"
)

// Provider is one vendor: the kinds of objects it manages in its targets
// (HighLevel locations, KrosAI accounts) and how its errors read.
type Provider interface {
	// Name is the provider's name, such as "highlevel".
	Name() string
	// TargetKind names the provider's targets, such as "location". Plans
	// write a target's id as "<TargetKind>Id", so it is unique among
	// providers.
	TargetKind() string
	// Kinds are the provider's kinds, parents before their children; the
	// order is also the order in which plans create and update them.
	Kinds() []*Kind
	// Classify says how the engine must treat an error of a call.
	Classify(err error) Failure
	// AccessHint says what to check after a failure with HTTP status
	// (401, 403) on target with its credential variable, or "".
	AccessHint(status int, targetID, tokenEnv string, write bool) string
}

// Failure is what the engine needs to know of an error.
type Failure struct {
	// NotFound: the object does not exist (a delete that finds nothing has
	// nothing left to do).
	NotFound bool
	// Ambiguous: a create may have reached the service and its answer was
	// lost; it must be looked up by name before it is sent again.
	Ambiguous bool
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
}

// Session is a provider's connection to one target (its API client and
// credentials). The engine passes it, unopened, to the kinds' calls, which
// know its concrete type.
type Session any

// Target is one target as the manifests declare it.
type Target struct {
	// Kind is the provider's TargetKind.
	Kind string
	// ID identifies the target at its provider (a HighLevel location id).
	ID   string
	Name string // for humans only
	// TokenEnv is the variable holding the credential (its name, never its
	// value); "" when the credential is arranged otherwise.
	TokenEnv string
	Pos      spec.Pos
	// Prune deletes live top-level objects no manifest declares.
	Prune bool
	// Objects are the declared top-level objects, with their children.
	Objects []*Desired
	// Expand, when not nil, builds Objects on demand for a target whose
	// declarations were left out to save memory (Objects is then nil): the
	// planner expands each target as it plans it and lets the result go
	// once the target's changes are computed.
	Expand func() ([]*Desired, error)
}

// Declared returns t with its Objects: t itself, or a copy with the
// objects Expand builds.
func (t *Target) Declared() (*Target, error) {
	if t == nil || t.Expand == nil {
		return t, nil
	}
	objects, err := t.Expand()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t.Kind, t.ID, err)
	}
	c := *t
	c.Objects, c.Expand = objects, nil
	return &c, nil
}

// Desired is one declared object.
type Desired struct {
	Kind string
	// Name is the object's identity among its parent's children of its kind
	// ("" for a singleton).
	Name string
	// PinnedID, when set, selects the live object with this id whatever its
	// name: a changed name is then a rename.
	PinnedID string
	// Fields are the declared fields in JSON types, the name included: only
	// these are compared. References hold the names of the objects they
	// point at.
	Fields value.Map
	// Children are the declared objects under this one.
	Children []*Desired
	// Owns lists the child kinds whose live objects this object owns: the
	// live ones it does not declare are deleted. Other kinds' undeclared
	// children are left alone (and reported).
	Owns map[string]bool
	Pos  spec.Pos
	// Sources says where each declared field was written, by its path in
	// Fields ("details.calendarId"); plans show it next to every change.
	Sources spec.Sources
}

// ChildrenOf returns d's declared children of kind.
func (d *Desired) ChildrenOf(kind string) []*Desired {
	var out []*Desired
	for _, c := range d.Children {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

// Live is one live object as a kind's read calls return it.
type Live struct {
	ID   string
	Name string
	// Fields are the object's fields in JSON types, its name included, in
	// the form Desired.Fields declares them (references as live ids).
	Fields value.Map
	// Partial marks a list item that lacks fields: Get reads the rest.
	Partial bool
	// Fingerprint identifies this state of the object (see Kind.Fingerprint
	// and apply's stale check).
	Fingerprint string
	// Cascade counts the objects the service deletes along with this one.
	Cascade int
	// Raw is the API's own value, for the kind's hooks.
	Raw any
}

// Ref is one reference an object's fields hold: the field at Path holds the
// name (or a list of names) of objects of Kind, or for a ReadOnly Kind an id
// or a selector (or a list of them). A reference is resolved among the
// referencing object's relatives: the objects of Kind under the same
// ancestor of Kind's parent kind (every object of a top-level kind of the
// target). A Path segment value.Each stands for every item of a list.
type Ref struct {
	Path []string
	Kind string
}

// Kind describes one kind of object of a provider, once: identity, parent,
// how its fields compare, the references it holds, and its calls. The
// engine (pkg/plan, pkg/apply) knows objects only through it.
type Kind struct {
	// Name identifies the kind ("agent"). Plans name an object by a field
	// of this name holding the object's own name, after its ancestors'.
	Name string
	// Plural is the plural of Name in messages ("agents").
	Plural string
	// Title names a singleton in messages ("follow-up settings").
	Title string
	// Parent is the kind this one lives under; "" for a top-level kind.
	Parent string
	// Singleton kinds have at most one object per parent and no name.
	Singleton bool
	// ReadOnly kinds are looked up, never declared or changed: objects the
	// target owns that references name (HighLevel's workflows, calendars).
	// They are top-level; List reads them, only for targets whose manifests
	// reference the kind. A reference to one is a literal id (a string) or a
	// selector object naming one of Identities ({name: Cleanings}); plans
	// hold the id.
	ReadOnly bool
	// Identities are the fields a selector may name a read-only object by
	// (default: name).
	Identities []string
	// FieldsNoun is what the kind's declared fields are called in reasons
	// ("settings", "details"); default "fields".
	FieldsNoun string
	// Normalize puts desired and live fields in one form before they are
	// compared: set-like lists, ordered lists.
	Normalize value.Normalizer
	// ForceNew are fields that cannot change in place: a change of one
	// replaces the object (delete, then create).
	ForceNew []string
	// RequiredForCreate are fields a create must carry.
	RequiredForCreate []string
	// Essential, when set, says why a live object must not be deleted
	// lightly ("the location's primary agent"), or "": plans mark such
	// deletes and the mass-delete guard refuses them by default.
	Essential func(live value.Map) string
	// Refs returns the references an object's fields hold (nil: none).
	Refs func(fields value.Map) []Ref

	// List returns every live object of this kind under the parent with
	// live id parentID ("" for a top-level kind), oldest first: of two
	// objects with one name, the older stays (see plan's twins and apply's
	// convergence after a create).
	List func(ctx context.Context, s Session, parentID string) ([]*Live, error)
	// Get reads one live object in full; nil when List items are complete.
	Get func(ctx context.Context, s Session, id string) (*Live, error)
	// Find returns the live objects under parentID named exactly name,
	// oldest first (used after a create); nil: List, filtered by name.
	Find func(ctx context.Context, s Session, parentID, name string) ([]*Live, error)

	// Derived, when set, makes this a kind with no reads of its own: its
	// state lives on its parent's children of another kind, and Plan
	// compares it.
	Derived *Derived
	// Plan compares a derived kind's declared object with live state.
	Plan func(in *PlanInput) (*Proposal, error)

	// Encode checks a payload (the planned After, references resolved to
	// ids) and turns it into the body of Create and Update. name is the
	// object's name in the plan.
	Encode func(payload value.Map, name string) (any, error)
	Create func(ctx context.Context, s Session, parentID string, body any) (id string, err error)
	Update func(ctx context.Context, s Session, parentID, id string, body any) error
	// Delete removes an object; nil for a kind that cannot be deleted.
	Delete func(ctx context.Context, s Session, parentID, id string) error
}

// Derived says where a derived kind's state lives.
type Derived struct {
	// From is the kind of the parent's children that carry the state.
	From string
	// Fingerprint identifies the state from those children.
	Fingerprint func(from []*Live) string
}

// PlanInput is what a derived kind's Plan compares.
type PlanInput struct {
	Desired *Desired
	Parent  *Desired
	// Baseline and BaselineParent are the baseline's declarations (see
	// plan.Options.Baseline), nil without one.
	Baseline, BaselineParent *Desired
	// From are the parent's live children of Derived.From; nil when the
	// parent does not exist live.
	From []*Live
	// Rebuilt reports whether this plan creates or replaces the parent's
	// child of kind Derived.From named name, and whether that is drift.
	Rebuilt func(name string) (drift, ok bool)
}

// Proposal is the change a derived kind's Plan asks for.
type Proposal struct {
	// Create is true when no live state exists yet (the change is a
	// create), false for an update.
	Create        bool
	Before, After value.Map
	Diffs         []value.FieldDiff
	Reason        string
	Drift         bool
	Fingerprint   string
}

// KindNamed returns p's kind called name, or nil.
func KindNamed(p Provider, name string) *Kind {
	for _, k := range p.Kinds() {
		if k.Name == name {
			return k
		}
	}
	return nil
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Provider{} // by target kind
)

// Register makes p known to the engine and the renderers under its target
// kind; providers call it from an init function. Registering two providers
// for one target kind panics.
func Register(p Provider) {
	registryMu.Lock()
	defer registryMu.Unlock()
	tk := p.TargetKind()
	if prev, ok := registry[tk]; ok && prev != p {
		panic(fmt.Sprintf("provider: target kind %q registered twice (%s and %s)", tk, prev.Name(), p.Name()))
	}
	registry[tk] = p
}

// ForTarget returns the provider of target kind tk.
func ForTarget(tk string) (Provider, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	p, ok := registry[tk]
	return p, ok
}

// KindOf returns the kind called name of target kind tk's provider, or nil.
func KindOf(tk, name string) *Kind {
	p, ok := ForTarget(tk)
	if !ok {
		return nil
	}
	return KindNamed(p, name)
}

// Describe returns the first registered kind called name, searching the
// providers by target kind: for messages about plans, whose changes name
// their kind only.
func Describe(name string) *Kind {
	registryMu.RLock()
	defer registryMu.RUnlock()
	tks := make([]string, 0, len(registry))
	for tk := range registry {
		tks = append(tks, tk)
	}
	slices.Sort(tks)
	for _, tk := range tks {
		if k := KindNamed(registry[tk], name); k != nil {
			return k
		}
	}
	return nil
}

// RefNames returns the names a reference field holds: a string, or a list of
// strings; empty ones are left out.
func RefNames(v any) []string {
	switch t := v.(type) {
	case string:
		if t != "" {
			return []string{t}
		}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// MapRefs applies f to every name a reference field holds (see RefNames) and
// returns the new value; the first error stops it.
func MapRefs(v any, f func(string) (string, error)) (any, error) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return t, nil
		}
		return f(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
			if s, ok := e.(string); ok && s != "" {
				m, err := f(s)
				if err != nil {
					return nil, err
				}
				out[i] = m
			}
		}
		return out, nil
	}
	return v, nil
}
