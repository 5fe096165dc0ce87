package providertest

import (
	"context"
	"fmt"
	"sync"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// ArchiveTargetKind is the kind of the second test provider's targets:
// archives, whose API can create vaults and their items but neither change
// nor delete them (as KrosAI's knowledge bases and documents), and whose
// readers (full CRUD) name vaults.
const ArchiveTargetKind = "fakeArchive"

// The archive provider's kinds.
const (
	KindVault  = "vault"  // create only
	KindItem   = "item"   // child of vault; create only
	KindReader = "reader" // full CRUD; field vaults names vaults
)

// Archive is one archive's live state and the session its kinds use. It is
// safe for concurrent use.
type Archive struct {
	mu      sync.Mutex
	seq     int
	objects []*archived
	calls   []string
	// lose holds the names whose next create takes effect with stored
	// differing from the body, then answers ErrLost.
	lose map[string]value.Map
}

// LoseNext makes the next create of an object called name store the body
// overlaid with stored, then lose its answer (ErrLost).
func (a *Archive) LoseNext(name string, stored value.Map) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lose == nil {
		a.lose = map[string]value.Map{}
	}
	a.lose[name] = stored
}

// archived is a live vault, item or reader.
type archived struct {
	kind, id, parent string
	fields           value.Map
}

// Add stores a live object of kind under the live object parentID ("" for
// a vault or a reader) and returns its id; fields hold its name.
func (a *Archive) Add(kind, parentID string, fields value.Map) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.add(kind, parentID, fields)
}

func (a *Archive) add(kind, parentID string, fields value.Map) string {
	a.seq++
	id := fmt.Sprintf("%s%03d", kind, a.seq)
	a.objects = append(a.objects, &archived{kind: kind, id: id, parent: parentID, fields: value.Clone(fields)})
	return id
}

// Fields returns a copy of the live fields of the object with id, or nil.
func (a *Archive) Fields(id string) value.Map {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, o := range a.objects {
		if o.id == id {
			return value.Clone(o.fields)
		}
	}
	return nil
}

// Calls returns the writes made so far, in order ("create vault v1").
func (a *Archive) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

func archive(s provider.Session) (*Archive, error) {
	a, ok := s.(*Archive)
	if !ok {
		return nil, fmt.Errorf("providertest: session %T is not an *Archive", s)
	}
	return a, nil
}

// archiveKind describes one of the archive's kinds; full adds Update and
// Delete.
func archiveKind(name, plural, parent string, full bool) *provider.Kind {
	k := &provider.Kind{
		Name: name, Plural: plural, Parent: parent,
		List: func(_ context.Context, s provider.Session, parentID string) ([]*provider.Live, error) {
			a, err := archive(s)
			if err != nil {
				return nil, err
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			var out []*provider.Live
			for _, o := range a.objects {
				if o.kind == name && o.parent == parentID {
					n, _ := o.fields["name"].(string)
					out = append(out, &provider.Live{ID: o.id, Name: n, Fields: value.Clone(o.fields),
						Fingerprint: value.Fingerprint(o.fields)})
				}
			}
			return out, nil
		},
		Encode: func(payload value.Map, name string) (any, error) {
			m := value.Clone(payload)
			if m == nil {
				m = value.Map{}
			}
			if _, ok := m["name"]; !ok {
				m["name"] = name
			}
			return m, nil
		},
		Create: func(_ context.Context, s provider.Session, parentID string, body any) (string, error) {
			a, err := archive(s)
			if err != nil {
				return "", err
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			m := body.(value.Map)
			a.calls = append(a.calls, fmt.Sprintf("create %s %v", name, m["name"]))
			if over, ok := a.lose[fmt.Sprint(m["name"])]; ok {
				delete(a.lose, fmt.Sprint(m["name"]))
				a.add(name, parentID, value.DeepMerge(m, over))
				return "", ErrLost
			}
			return a.add(name, parentID, m), nil
		},
	}
	if name == KindReader {
		k.Refs = func(value.Map) []provider.Ref {
			return []provider.Ref{{Path: []string{"vaults"}, Kind: KindVault}}
		}
		k.Normalize = value.Normalizer{Sets: []string{"vaults"}}
	}
	if !full {
		return k
	}
	k.Update = func(_ context.Context, s provider.Session, _, id string, body any) error {
		a, err := archive(s)
		if err != nil {
			return err
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		for _, o := range a.objects {
			if o.id == id {
				o.fields = value.Clone(body.(value.Map))
				a.calls = append(a.calls, "update "+name+" "+id)
				return nil
			}
		}
		return ErrNotFound
	}
	k.Delete = func(_ context.Context, s provider.Session, _, id string) error {
		a, err := archive(s)
		if err != nil {
			return err
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		for i, o := range a.objects {
			if o.id == id {
				a.objects = append(a.objects[:i], a.objects[i+1:]...)
				a.calls = append(a.calls, "delete "+name+" "+id)
				return nil
			}
		}
		return ErrNotFound
	}
	return k
}

// ArchiveProvider is the second test provider (see ArchiveTargetKind).
type ArchiveProvider struct{}

var archiveKinds = []*provider.Kind{
	archiveKind(KindVault, "vaults", "", false),
	archiveKind(KindItem, "items", KindVault, false),
	archiveKind(KindReader, "readers", "", true),
}

// Name implements provider.Provider.
func (ArchiveProvider) Name() string { return "providertest-archive" }

// TargetKind implements provider.Provider.
func (ArchiveProvider) TargetKind() string { return ArchiveTargetKind }

// Kinds implements provider.Provider.
func (ArchiveProvider) Kinds() []*provider.Kind { return archiveKinds }

// Classify implements provider.Provider.
func (ArchiveProvider) Classify(err error) provider.Failure { return Provider{}.Classify(err) }

// AccessHint implements provider.Provider.
func (ArchiveProvider) AccessHint(int, string, string, bool) string { return "" }

func init() { provider.Register(ArchiveProvider{}) }

// Declare declares an object of kind with fields (its name added) and
// children; owns lists the child kinds it owns.
func Declare(kind, name string, fields value.Map, owns []string, children ...*provider.Desired) *provider.Desired {
	f := value.Clone(fields)
	if f == nil {
		f = value.Map{}
	}
	f["name"] = name
	d := &provider.Desired{Kind: kind, Name: name, Fields: f, Children: children, Owns: map[string]bool{}}
	for _, k := range owns {
		d.Owns[k] = true
	}
	return d
}

// ArchiveFixture is an archive target (prune on) and its live state that
// plan every kind of change a create-only kind allows, and every report it
// turns into:
//
//   - live: vault docs (tier cold) with items a and b; vault old; reader r1
//     naming docs;
//   - declared: vault docs with tier hot (no update: a report) owning its
//     items a and c (b undeclared: no delete, a report; c: a create); vault
//     new with item x; reader r1 naming docs and new (an update); reader r2
//     naming new (a create). Vault old is pruned: no delete, a report.
func ArchiveFixture() (*provider.Target, *Archive) {
	a := &Archive{}
	docs := a.Add(KindVault, "", value.Map{"name": "docs", "tier": "cold"})
	a.Add(KindItem, docs, value.Map{"name": "a"})
	a.Add(KindItem, docs, value.Map{"name": "b"})
	a.Add(KindVault, "", value.Map{"name": "old"})
	a.Add(KindReader, "", value.Map{"name": "r1", "vaults": []any{docs}})
	item := func(name string) *provider.Desired {
		return Declare(KindItem, name, nil, nil)
	}
	owns := []string{KindItem}
	t := &provider.Target{Kind: ArchiveTargetKind, ID: "arch", Prune: true, Objects: []*provider.Desired{
		Declare(KindVault, "docs", value.Map{"tier": "hot"}, owns, item("a"), item("c")),
		Declare(KindVault, "new", nil, owns, item("x")),
		Declare(KindReader, "r1", value.Map{"vaults": []any{"docs", "new"}}, nil),
		Declare(KindReader, "r2", value.Map{"vaults": []any{"new"}}, nil),
	}}
	return t, a
}
