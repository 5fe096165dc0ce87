package apply_test

// These tests apply plans of a provider that is not HighLevel
// (internal/providertest): the executor knows objects only through their
// kind descriptors and orders steps by the plan's DependsOn alone.

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/providertest"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
)

// planStore plans target against s, through a plan file (Save, then Load):
// the file is the whole contract between plan and apply.
func planStore(t *testing.T, target *provider.Target, s *providertest.Store) *plan.Plan {
	t.Helper()
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}, Digest: "d"},
		func(context.Context, *provider.Target) (provider.Session, error) { return s, nil }, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Targets[0].Error; e != "" {
		t.Fatal(e)
	}
	var buf bytes.Buffer
	if err := plan.Save(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := plan.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// connectStore opens s for every target.
func connectStore(s *providertest.Store) apply.Connector {
	return func(context.Context, *plan.TargetPlan) (provider.Session, error) { return s, nil }
}

func TestEngineApplyFakeProvider(t *testing.T) {
	target, s := providertest.Fixture()
	db, old := s.Server("db"), s.Server("old")
	oldHTTP := s.Server("web").Routes[0].ID
	p := planStore(t, target, s)

	r := apply.Apply(context.Background(), p, connectStore(s), apply.Options{})
	l := r.Targets[0]
	if l.Outcome != apply.TargetApplied || l.Kind != providertest.TargetKind || l.ID != "t1" {
		t.Fatalf("target %s %s: %s %s", l.Kind, l.ID, l.Outcome, l.Error)
	}
	wantSteps := []struct {
		title   string
		outcome apply.StepOutcome
	}{
		{`create server "cache"`, apply.StepCreated},
		{`update server "db"`, apply.StepUpdated},
		{`update server "web"`, apply.StepUpdated},
		{`create route "cache"/"ping"`, apply.StepCreated},
		{`create route "web"/"api"`, apply.StepCreated},
		{`replace route "web"/"http"`, apply.StepReplaced},
		{`delete route "web"/"legacy"`, apply.StepDeleted},
		{`delete server "old"`, apply.StepDeleted},
	}
	if len(l.Steps) != len(wantSteps) {
		t.Fatalf("%d steps, want %d", len(l.Steps), len(wantSteps))
	}
	for i, w := range wantSteps {
		s := l.Steps[i]
		if got := string(s.Op) + " " + s.Object(); got != w.title || s.Outcome != w.outcome {
			t.Errorf("step %d: %s %s, want %s %s (%s)", i, got, s.Outcome, w.title, w.outcome, s.Error)
		}
	}
	if c := r.Counts; c.Created != 3 || c.Updated != 2 || c.Replaced != 1 || c.Deleted != 2 || c.Targets != 1 {
		t.Errorf("counts %+v", c)
	}

	cache, web := s.Server("cache"), s.Server("web")
	t.Run("state", func(t *testing.T) {
		if cache == nil || cache.ID != l.Steps[0].NewID || len(cache.Routes) != 1 {
			t.Fatalf("cache %+v, NewID %s", cache, l.Steps[0].NewID)
		}
		if s.Server("old") != nil {
			t.Error("pruned server still there")
		}
		if got := s.Server("db").Size; got != 3 {
			t.Errorf("db size %v", got)
		}
		routes := map[string]*providertest.Route{}
		for _, rt := range web.Routes {
			routes[rt.Name] = rt
		}
		if web.Size != 2 || len(routes) != 2 || routes["legacy"] != nil {
			t.Fatalf("web %+v, routes %v", web, routes)
		}
		if h := routes["http"]; h == nil || h.ID == oldHTTP || h.ID != l.Steps[5].NewID || h.Protocol != "https" {
			t.Errorf("http not replaced: %+v (old id %s)", h, oldHTTP)
		}
	})
	t.Run("references resolve to ids", func(t *testing.T) {
		// To a server this run created, and to a live one.
		if got := cache.Routes[0].Backend; got != cache.ID {
			t.Errorf("ping's backend %q, want the new cache %s", got, cache.ID)
		}
		for _, rt := range web.Routes {
			want := map[string]string{"api": cache.ID, "http": db.ID}[rt.Name]
			if rt.Backend != want {
				t.Errorf("%s's backend %q, want %s", rt.Name, rt.Backend, want)
			}
		}
	})
	t.Run("DependsOn orders the writes", func(t *testing.T) {
		calls := s.Calls()
		at := func(call string) int {
			i := slices.Index(calls, call)
			if i < 0 {
				t.Fatalf("no call %q in %q", call, calls)
			}
			return i
		}
		created := at("create server cache")
		for _, c := range []string{"create route cache/ping", "create route web/api"} {
			if at(c) < created {
				t.Errorf("%q before its server or backend exists: %q", c, calls)
			}
		}
		if at("delete server "+old.ID) != len(calls)-1 {
			t.Errorf("the prune delete is not last: %q", calls)
		}
	})
	t.Run("plan again: no changes", func(t *testing.T) {
		again, _ := providertest.Fixture()
		p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{again}},
			func(context.Context, *provider.Target) (provider.Session, error) { return s, nil }, plan.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tp := p.Targets[0]; tp.Error != "" || len(tp.Changes) != 0 {
			var titles []string
			for _, c := range tp.Changes {
				titles = append(titles, c.Title())
			}
			t.Fatalf("error %q, changes %q", tp.Error, titles)
		}
	})
}

// TestEngineApplyStale: live state that moved since the plan refuses the
// target, naming the object, and nothing is written.
func TestEngineApplyStale(t *testing.T) {
	tests := []struct {
		name string
		move func(s *providertest.Store)
		want string
	}{
		{"changed", func(s *providertest.Store) { s.SetSize("db", 5) },
			`server "db" (id srv002) changed since the plan was made`},
		{"created by name", func(s *providertest.Store) { s.AddServer("cache", 1) },
			`server "cache" (id srv007) was created since the plan was made`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, s := providertest.Fixture()
			p := planStore(t, target, s)
			tt.move(s)
			r := apply.Apply(context.Background(), p, connectStore(s), apply.Options{})
			l := r.Targets[0]
			if l.Outcome != apply.TargetStale || !slices.Contains(l.Stale, tt.want) {
				t.Fatalf("%s %q %q, want stale naming %q", l.Outcome, l.Error, l.Stale, tt.want)
			}
			if w := s.Calls(); len(w) != 0 {
				t.Errorf("writes in a stale target: %q", w)
			}
		})
	}
}

// TestApplyRefusesInvalidPlan: apply runs a plan as it is, so it refuses
// one whose DependsOn does not point at earlier changes (or whose kinds the
// provider does not know) before it writes anything.
func TestApplyRefusesInvalidPlan(t *testing.T) {
	create := func(name string, deps ...int) plan.Change {
		return plan.Change{Op: plan.OpCreate, Kind: providertest.KindServer,
			Key: plan.Key{{Kind: providertest.KindServer, Name: name}}, After: map[string]any{"size": 1.0}, DependsOn: deps}
	}
	tests := []struct {
		name    string
		changes []plan.Change
		want    string
	}{
		{"self dependency", []plan.Change{create("a", 0)}, "invalid plan: change 0 depends on change 0, which does not come before it"},
		{"later dependency", []plan.Change{create("a", 1), create("b")}, "invalid plan: change 0 depends on change 1"},
		{"unknown kind", []plan.Change{{Op: plan.OpCreate, Kind: "agent", Key: plan.Key{{Kind: "agent", Name: "a"}}}},
			`invalid plan: change 0 has kind "agent", which providertest does not know`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &providertest.Store{}
			p := &plan.Plan{FormatVersion: plan.FormatVersion, Targets: []plan.TargetPlan{
				{Kind: providertest.TargetKind, ID: "t1", Changes: tt.changes}}}
			r := apply.Apply(context.Background(), p, connectStore(s), apply.Options{})
			l := r.Targets[0]
			if l.Outcome != apply.TargetFailed || !strings.Contains(l.Error, tt.want) {
				t.Fatalf("%s %q, want failed with %q", l.Outcome, l.Error, tt.want)
			}
			if w := s.Calls(); len(w) != 0 {
				t.Errorf("writes: %q", w)
			}
		})
	}
}
