// Package providertest is a small in-memory provider for the engine's tests
// (pkg/plan, pkg/apply): it shows that planning and applying need no
// HighLevel code. Its targets are of kind "fakeTarget" and hold servers
// (a top-level kind) and their routes (a child kind). A route's backend
// references a server by name, and its protocol cannot change in place.
//
// A second provider (ArchiveProvider, targets of kind "fakeArchive") has
// kinds the API can create but neither change nor delete: vaults and their
// items, and readers (full CRUD) that name vaults.
//
// Importing the package registers both providers.
package providertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// TargetKind is the kind of the provider's targets.
const TargetKind = "fakeTarget"

// The provider's kinds.
const (
	KindServer = "server"
	KindRoute  = "route"
)

// ErrNotFound is returned for an object that does not exist.
var ErrNotFound = errors.New("not found")

// Server is a live server. Its JSON form is the fields the engine compares.
type Server struct {
	ID     string   `json:"-"`
	Name   string   `json:"name"`
	Size   float64  `json:"size"`
	Tags   []string `json:"tags,omitempty"`
	Routes []*Route `json:"-"`
}

// Route is a live route of a server; Backend holds a server id.
type Route struct {
	ID       string  `json:"-"`
	Name     string  `json:"name"`
	Protocol string  `json:"protocol"`
	Port     float64 `json:"port,omitempty"`
	Backend  string  `json:"backend,omitempty"`
}

// Store is one target's live state and the session the kinds' calls use.
// It is safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	seq     int
	servers []*Server
	calls   []string
}

// AddServer stores a live server and returns it.
func (s *Store) AddServer(name string, size float64, tags ...string) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv := &Server{ID: s.newID("srv"), Name: name, Size: size, Tags: tags}
	s.servers = append(s.servers, srv)
	return srv
}

// AddRoute stores a live route of srv and returns it.
func (s *Store) AddRoute(srv *Server, name, protocol string, port float64, backendID string) *Route {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &Route{ID: s.newID("rt"), Name: name, Protocol: protocol, Port: port, Backend: backendID}
	srv.Routes = append(srv.Routes, r)
	return r
}

// Server returns a copy of the live server named name (its routes copied
// too), or nil.
func (s *Store) Server(name string) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, srv := range s.servers {
		if srv.Name == name {
			cp := *srv
			cp.Routes = nil
			for _, r := range srv.Routes {
				rc := *r
				cp.Routes = append(cp.Routes, &rc)
			}
			return &cp
		}
	}
	return nil
}

// Calls returns the writes made so far, in order: "create server web",
// "update route rt003", ...
func (s *Store) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// SetSize changes a live server by hand (outside the engine).
func (s *Store) SetSize(name string, size float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, srv := range s.servers {
		if srv.Name == name {
			srv.Size = size
		}
	}
}

func (s *Store) newID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%03d", prefix, s.seq)
}

func (s *Store) find(id string) (*Server, int) {
	for i, srv := range s.servers {
		if srv.ID == id {
			return srv, i
		}
	}
	return nil, -1
}

func (s *Store) record(format string, args ...any) {
	s.calls = append(s.calls, fmt.Sprintf(format, args...))
}

func store(sess provider.Session) (*Store, error) {
	s, ok := sess.(*Store)
	if !ok {
		return nil, fmt.Errorf("providertest: session %T is not a *Store", sess)
	}
	return s, nil
}

func live(id, name string, v any, cascade int) (*provider.Live, error) {
	m, err := value.MapOf(v)
	if err != nil {
		return nil, err
	}
	return &provider.Live{ID: id, Name: name, Fields: m, Fingerprint: value.Fingerprint(m), Cascade: cascade}, nil
}

var serverKind = &provider.Kind{
	Name:              KindServer,
	Plural:            "servers",
	Normalize:         value.Normalizer{Sets: []string{"tags"}},
	RequiredForCreate: []string{"size"},
	List: func(_ context.Context, sess provider.Session, _ string) ([]*provider.Live, error) {
		s, err := store(sess)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var out []*provider.Live
		for _, srv := range s.servers {
			l, err := live(srv.ID, srv.Name, srv, len(srv.Routes))
			if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
		return out, nil
	},
	Encode: func(payload value.Map, name string) (any, error) {
		var srv Server
		if err := value.Decode(payload, &srv); err != nil {
			return nil, err
		}
		if srv.Name == "" {
			srv.Name = name
		}
		return srv, nil
	},
	Create: func(_ context.Context, sess provider.Session, _ string, body any) (string, error) {
		s, err := store(sess)
		if err != nil {
			return "", err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		srv := body.(Server)
		srv.ID, srv.Routes = s.newID("srv"), nil
		s.servers = append(s.servers, &srv)
		s.record("create server %s", srv.Name)
		return srv.ID, nil
	},
	Update: func(_ context.Context, sess provider.Session, _, id string, body any) error {
		s, err := store(sess)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		srv, _ := s.find(id)
		if srv == nil {
			return ErrNotFound
		}
		in := body.(Server)
		srv.Name, srv.Size, srv.Tags = in.Name, in.Size, in.Tags
		s.record("update server %s", id)
		return nil
	},
	Delete: func(_ context.Context, sess provider.Session, _, id string) error {
		s, err := store(sess)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		_, i := s.find(id)
		if i < 0 {
			return ErrNotFound
		}
		s.servers = slices.Delete(s.servers, i, i+1)
		s.record("delete server %s", id)
		return nil
	},
}

var routeKind = &provider.Kind{
	Name:     KindRoute,
	Plural:   "routes",
	Parent:   KindServer,
	ForceNew: []string{"protocol"},
	Refs: func(value.Map) []provider.Ref {
		return []provider.Ref{{Path: []string{"backend"}, Kind: KindServer}}
	},
	List: func(_ context.Context, sess provider.Session, serverID string) ([]*provider.Live, error) {
		s, err := store(sess)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		srv, _ := s.find(serverID)
		if srv == nil {
			return nil, ErrNotFound
		}
		var out []*provider.Live
		for _, r := range srv.Routes {
			l, err := live(r.ID, r.Name, r, 0)
			if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
		return out, nil
	},
	Encode: func(payload value.Map, name string) (any, error) {
		var r Route
		if err := value.Decode(payload, &r); err != nil {
			return nil, err
		}
		if r.Name == "" {
			r.Name = name
		}
		return r, nil
	},
	Create: func(_ context.Context, sess provider.Session, serverID string, body any) (string, error) {
		s, err := store(sess)
		if err != nil {
			return "", err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		srv, _ := s.find(serverID)
		if srv == nil {
			return "", ErrNotFound
		}
		r := body.(Route)
		r.ID = s.newID("rt")
		srv.Routes = append(srv.Routes, &r)
		s.record("create route %s/%s", srv.Name, r.Name)
		return r.ID, nil
	},
	Update: func(_ context.Context, sess provider.Session, serverID, id string, body any) error {
		s, err := store(sess)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		srv, _ := s.find(serverID)
		if srv == nil {
			return ErrNotFound
		}
		for _, r := range srv.Routes {
			if r.ID == id {
				in := body.(Route)
				if in.Protocol != r.Protocol {
					return fmt.Errorf("route %s: protocol cannot change", id)
				}
				r.Name, r.Port, r.Backend = in.Name, in.Port, in.Backend
				s.record("update route %s", id)
				return nil
			}
		}
		return ErrNotFound
	},
	Delete: func(_ context.Context, sess provider.Session, serverID, id string) error {
		s, err := store(sess)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		srv, _ := s.find(serverID)
		if srv == nil {
			return ErrNotFound
		}
		for i, r := range srv.Routes {
			if r.ID == id {
				srv.Routes = slices.Delete(srv.Routes, i, i+1)
				s.record("delete route %s", id)
				return nil
			}
		}
		return ErrNotFound
	},
}

// Provider is the test provider.
type Provider struct{}

// Name implements provider.Provider.
func (Provider) Name() string { return "providertest" }

// TargetKind implements provider.Provider.
func (Provider) TargetKind() string { return TargetKind }

// Kinds implements provider.Provider.
func (Provider) Kinds() []*provider.Kind { return []*provider.Kind{serverKind, routeKind} }

// Classify implements provider.Provider.
func (Provider) Classify(err error) provider.Failure {
	return provider.Failure{NotFound: errors.Is(err, ErrNotFound), Ambiguous: errors.Is(err, ErrLost)}
}

// ErrLost is the error of a create whose answer was lost: it may have
// taken effect (see Archive.LoseNext).
var ErrLost = errors.New("providertest: the answer was lost")

// AccessHint implements provider.Provider: the test provider has no
// credentials.
func (Provider) AccessHint(int, string, string, bool) string { return "" }

func init() { provider.Register(Provider{}) }

// DeclareServer declares a server with fields (its name added) and routes;
// the server owns its routes (undeclared live ones are deleted).
func DeclareServer(name string, fields value.Map, routes ...*provider.Desired) *provider.Desired {
	f := value.Clone(fields)
	if f == nil {
		f = value.Map{}
	}
	f["name"] = name
	return &provider.Desired{Kind: KindServer, Name: name, Fields: f, Children: routes,
		Owns: map[string]bool{KindRoute: true}}
}

// DeclareRoute declares a route; backend names a server ("" for none).
func DeclareRoute(name, protocol string, port float64, backend string) *provider.Desired {
	f := value.Map{"name": name, "protocol": protocol, "port": port}
	if backend != "" {
		f["backend"] = backend
	}
	return &provider.Desired{Kind: KindRoute, Name: name, Fields: f}
}

// Fixture is a target (id "t1", prune on) and its live state that plan to
// one change of every operation:
//
//   - live: server web (size 1, tags b, a) with routes http (backend db)
//     and legacy; server db (size 2); server old with one route;
//   - declared: server cache (new) with route ping (backend cache); db
//     with size 3; web with size 2, tags a, b (a set: unchanged), route api
//     (new, backend cache) and route http with protocol https (a replace).
//
// Planned: create server cache, update servers db and web, create routes
// cache/ping and web/api, replace route web/http, delete route web/legacy
// (web owns its routes) and delete server old (prune).
func Fixture() (*provider.Target, *Store) {
	s := &Store{}
	web := s.AddServer("web", 1, "b", "a")
	db := s.AddServer("db", 2)
	s.AddRoute(web, "http", "http", 80, db.ID)
	s.AddRoute(web, "legacy", "tcp", 9000, "")
	old := s.AddServer("old", 1)
	s.AddRoute(old, "r", "http", 80, "")
	t := &provider.Target{Kind: TargetKind, ID: "t1", Name: "Fixture", Prune: true, Objects: []*provider.Desired{
		DeclareServer("cache", value.Map{"size": 1.0}, DeclareRoute("ping", "http", 8080, "cache")),
		DeclareServer("db", value.Map{"size": 3.0}),
		DeclareServer("web", value.Map{"size": 2.0, "tags": []any{"a", "b"}},
			DeclareRoute("api", "http", 8081, "cache"), DeclareRoute("http", "https", 80, "db")),
	}}
	return t, s
}
