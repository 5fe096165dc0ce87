package plan_test

// These tests plan through a provider that is not HighLevel
// (internal/providertest): the engine knows objects only through their kind
// descriptors.

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/providertest"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// connectStore opens s for every target.
func connectStore(s *providertest.Store) plan.Connector {
	return func(context.Context, *provider.Target) (provider.Session, error) { return s, nil }
}

// planFixture plans t against s.
func planFixture(t *testing.T, target *provider.Target, s *providertest.Store) *plan.Plan {
	t.Helper()
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}, Digest: "d"},
		connectStore(s), plan.Options{Now: func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Targets[0].Error; e != "" {
		t.Fatal(e)
	}
	return p
}

// title is "op kind name[/name]" of a change.
func title(c plan.Change) string {
	return fmt.Sprintf("%s %s %s", c.Op, c.Kind, strings.Join(c.Key.Names(), "/"))
}

func TestEngineFakeProvider(t *testing.T) {
	target, s := providertest.Fixture()
	web, db, old := s.Server("web"), s.Server("db"), s.Server("old")
	p := planFixture(t, target, s)
	tp := p.Targets[0]

	type want struct {
		title    string
		id       string // the live id changed, "" for a create
		parentID string
		deps     []int
		diffs    []string // paths
		after    value.Map
	}
	wants := []want{
		{title: "create server cache", after: value.Map{"name": "cache", "size": 1.0}},
		{title: "update server db", id: db.ID, deps: nil, diffs: []string{"size"},
			after: value.Map{"name": "db", "size": 3.0}},
		// tags are a set: b, a is a, b.
		{title: "update server web", id: web.ID, diffs: []string{"size"},
			after: value.Map{"name": "web", "size": 2.0, "tags": []any{"a", "b"}}},
		// A child of a server the plan creates waits for it, and has no
		// parent id yet.
		{title: "create route cache/ping", deps: []int{0},
			after: value.Map{"name": "ping", "protocol": "http", "port": 8080.0, "backend": "cache"}},
		// A reference waits for the create of the object it names.
		{title: "create route web/api", parentID: web.ID, deps: []int{0},
			after: value.Map{"name": "api", "protocol": "http", "port": 8081.0, "backend": "cache"}},
		// A ForceNew field replaces; the reference waits for the update of
		// the server it names.
		{title: "replace route web/http", id: web.Routes[0].ID, parentID: web.ID, deps: []int{1}, diffs: []string{"protocol"},
			after: value.Map{"name": "http", "protocol": "https", "port": 80.0, "backend": "db"}},
		{title: "delete route web/legacy", id: web.Routes[1].ID, parentID: web.ID},
		// A top-level delete comes last and waits for every earlier change.
		{title: "delete server old", id: old.ID, deps: []int{0, 1, 2, 3, 4, 5, 6}},
	}
	var got []string
	for _, c := range tp.Changes {
		got = append(got, title(c))
	}
	var wantTitles []string
	for _, w := range wants {
		wantTitles = append(wantTitles, w.title)
	}
	if !slices.Equal(got, wantTitles) {
		t.Fatalf("changes\n got %q\nwant %q", got, wantTitles)
	}
	for i, w := range wants {
		t.Run(w.title, func(t *testing.T) {
			c := tp.Changes[i]
			if c.ID != w.id || c.ParentID != w.parentID {
				t.Errorf("id %q parent %q, want %q %q", c.ID, c.ParentID, w.id, w.parentID)
			}
			if !slices.Equal(c.DependsOn, w.deps) {
				t.Errorf("depends on %v, want %v", c.DependsOn, w.deps)
			}
			var paths []string
			for _, d := range c.Diffs {
				paths = append(paths, d.Path)
			}
			if !slices.Equal(paths, w.diffs) {
				t.Errorf("diffs %q, want %q", paths, w.diffs)
			}
			if !reflect.DeepEqual(c.After, w.after) {
				t.Errorf("after %v, want %v", c.After, w.after)
			}
		})
	}
	t.Run("replace says why", func(t *testing.T) {
		if r := tp.Changes[5].Reason; !strings.Contains(r, "protocol changes from http to https") {
			t.Errorf("reason %q", r)
		}
	})
	t.Run("live references show names", func(t *testing.T) {
		if b := tp.Changes[5].Before["backend"]; b != "db" {
			t.Errorf("before backend %v, want the name db", b)
		}
	})
	t.Run("prune delete counts its children", func(t *testing.T) {
		c := tp.Changes[7]
		if c.Cascade != 1 || !strings.Contains(c.Reason, "its 1 route(s) are deleted with it") {
			t.Errorf("cascade %d, reason %q", c.Cascade, c.Reason)
		}
		// db, web and web's 2 routes; old and its route.
		if tp.LiveObjects != 6 {
			t.Errorf("LiveObjects %d, want 6", tp.LiveObjects)
		}
		if err := p.CheckSafety(plan.SafetyOptions{}); err != nil {
			t.Errorf("prune delete refused: %v", err)
		}
	})
	t.Run("live ids of declared servers", func(t *testing.T) {
		want := map[string]map[string]string{providertest.KindServer: {"db": db.ID, "web": web.ID}}
		if !reflect.DeepEqual(tp.Live, want) {
			t.Errorf("live %v, want %v", tp.Live, want)
		}
	})
	t.Run("reads only", func(t *testing.T) {
		if w := s.Calls(); len(w) != 0 {
			t.Errorf("planning wrote %q", w)
		}
	})
}

// TestEngineFakeProviderJSON: a plan of another provider reads in its own
// words (fields named after its kinds and target kind) and survives its
// file's round trip.
func TestEngineFakeProviderJSON(t *testing.T) {
	target, s := providertest.Fixture()
	web := s.Server("web")
	p := planFixture(t, target, s)
	var buf bytes.Buffer
	if err := plan.Save(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`"fakeTargetId": "t1"`,
		`"kind": "route",
          "server": "web",
          "route": "http",
          "id": "` + web.Routes[0].ID + `",
          "serverId": "` + web.ID + `",`,
		`"liveServers": {`,
		`"dependsOn": [`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan file lacks %s:\n%s", want, out)
		}
	}
	// (The plan's own "locations" and "totalLocations" keep format 1's names.)
	for _, bad := range []string{"agent", "locationId", "liveAgents"} {
		if strings.Contains(out, bad) {
			t.Errorf("plan file names %q:\n%s", bad, out)
		}
	}
	back, err := plan.Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip changed the plan:\ngot  %+v\nwant %+v", back, p)
	}
}

// TestEngineFakeProviderErrors: bad declarations fail their target, naming
// the object and the field, in the provider's words.
func TestEngineFakeProviderErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *provider.Target)
		want   string
	}{
		{"reference to an unknown object", func(t *provider.Target) {
			t.Objects[2].Children[0].Fields["backend"] = "nope"
		}, `server "web": route "api": backend: no server "nope" in the fakeTarget`},
		{"reference to an object prune deletes", func(t *provider.Target) {
			t.Objects[2].Children[0].Fields["backend"] = "old"
		}, `backend: server "old" is deleted by prune in this plan`},
		{"a create lacks a required field", func(t *provider.Target) {
			delete(t.Objects[0].Fields, "size")
		}, `server "cache": does not exist live, and creating it needs size`},
		{"declared twice", func(t *provider.Target) {
			t.Objects = append(t.Objects, providertest.DeclareServer("db", value.Map{"size": 3.0}))
		}, `server "db" is declared twice`},
		{"pinned id not live", func(t *provider.Target) {
			t.Objects[1].PinnedID = "gone"
		}, `server "db": pinned id gone does not exist live`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target, s := providertest.Fixture()
			tt.change(target)
			p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}}, connectStore(s), plan.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tp := p.Targets[0]
			if !strings.Contains(tp.Error, tt.want) || len(tp.Changes) != 0 {
				t.Fatalf("error %q, want it to contain %q (%d changes)", tp.Error, tt.want, len(tp.Changes))
			}
		})
	}
}

func TestEngineUnknownTargetKind(t *testing.T) {
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{{Kind: "nowhere", ID: "x"}}},
		func(context.Context, *provider.Target) (provider.Session, error) {
			t.Error("connected to a target no provider serves")
			return nil, nil
		}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Targets[0].Error; e != "no provider for nowhere targets" {
		t.Fatalf("error %q", e)
	}
}
