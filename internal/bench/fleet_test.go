package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
	"github.com/agentform/agentform/pkg/spec"
)

// fleetSandbox is a sandbox seeded with a generated fleet, and the fleet's
// manifests as the engine takes them.
type fleetSandbox struct {
	s      *sim.Server
	client *api.Client
	m      *plan.Manifests
	set    *spec.Set
}

func newFleetSandbox(t *testing.T, f Fleet, agents bool) *fleetSandbox {
	t.Helper()
	dir := t.TempDir()
	if err := f.WriteManifests(dir); err != nil {
		t.Fatal(err)
	}
	set, err := spec.Load(filepath.Join(dir, "locations"))
	if err != nil {
		t.Fatalf("the generated manifests do not load: %v", err)
	}
	if len(set.Locations) != f.Locations {
		t.Fatalf("loaded %d locations, want %d", len(set.Locations), f.Locations)
	}
	targets, err := highlevel.Targets(set, false)
	if err != nil {
		t.Fatal(err)
	}
	seedPath := filepath.Join(dir, "seed.json")
	if err := f.WriteSeed(seedPath, agents); err != nil {
		t.Fatal(err)
	}
	s, ts := simtest.Start(t, sim.Options{RateLimit: -1})
	seed, err := sim.ReadSeedFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadSeed(seed); err != nil {
		t.Fatalf("the generated seed does not load: %v", err)
	}
	client, err := api.New(api.Options{BaseURL: ts.URL, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return &fleetSandbox{s: s, client: client, m: &plan.Manifests{Targets: targets, Digest: set.Digest}, set: set}
}

func (fs *fleetSandbox) session(t *testing.T, id string, write bool) *api.Location {
	return fs.client.Location(id, simtest.Token(t, fs.s, id, write))
}

func (fs *fleetSandbox) plan(t *testing.T) *plan.Plan {
	t.Helper()
	p, err := plan.Make(context.Background(), fs.m, func(_ context.Context, tg *provider.Target) (provider.Session, error) {
		return fs.session(t, tg.ID, false), nil
	}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range p.Targets {
		if tp.Error != "" {
			t.Fatalf("location %s: %s", tp.ID, tp.Error)
		}
	}
	return p
}

// TestFleetMatchesSeed checks the generated fleet: its manifests load (with
// bases or inline, one or several documents per file), a seed with agents
// plans clean, and the drifted seed shows exactly DriftChanges changes in
// the drifted locations.
func TestFleetMatchesSeed(t *testing.T) {
	for _, f := range []Fleet{{Locations: 3, PerFile: 1}, {Locations: 5, PerFile: 2, Inline: true, TokenEnvs: true}} {
		t.Run(fmt.Sprintf("perFile=%d/inline=%v", f.PerFile, f.Inline), func(t *testing.T) {
			fs := newFleetSandbox(t, f, true)
			for i, loc := range fs.set.Locations {
				if want := LocationID(i); loc.ID != want || len(loc.Agents) != AgentsPerLocation || len(loc.Agents[0].Actions) != ActionsPerAgent {
					t.Fatalf("location %d: id %s, %d agents: want %s, %d agents x %d actions", i, loc.ID, len(loc.Agents), want, AgentsPerLocation, ActionsPerAgent)
				}
				if f.TokenEnvs != (loc.TokenEnv == TokenEnv(i)) {
					t.Errorf("location %d: tokenEnv %q (TokenEnvs %v)", i, loc.TokenEnv, f.TokenEnvs)
				}
			}
			if c := fs.plan(t).Count(); c != (plan.Counts{}) {
				t.Errorf("seeded fleet: plan counts %+v, want none", c)
			}
		})
	}
	t.Run("drift", func(t *testing.T) {
		f := Fleet{Locations: 5, DriftEvery: 2}
		p := newFleetSandbox(t, f, true).plan(t)
		for i, tp := range p.Targets {
			var ops []string
			for _, c := range tp.Changes {
				ops = append(ops, fmt.Sprintf("%s %s %s", c.Op, c.Kind, c.Key))
			}
			want := 0
			if f.Drifted(i) {
				want = DriftChanges + 1 // and the report of the undeclared agent
			}
			if len(tp.Changes) != want {
				t.Errorf("location %d: changes %v, want %d", i, ops, want)
			}
		}
		if c := p.Count(); c.Targets != 3 || c.Create+c.Update != 3*DriftChanges || c.Report != 3 {
			t.Errorf("counts %+v", c)
		}
	})
}

// TestFleetApplies applies the fleet to locations seeded without agents:
// 25 objects each, then a plan shows no changes.
func TestFleetApplies(t *testing.T) {
	fs := newFleetSandbox(t, Fleet{Locations: 2}, false)
	p := fs.plan(t)
	if c := p.Count(); c.Create != 2*AgentsPerLocation*(1+ActionsPerAgent) || c.Update+c.Delete+c.Replace != 0 {
		t.Fatalf("plan of empty locations: %+v", c)
	}
	r := apply.Apply(context.Background(), p, func(_ context.Context, tp *plan.TargetPlan) (provider.Session, error) {
		return fs.session(t, tp.ID, true), nil
	}, apply.Options{})
	if r.Failed() {
		t.Fatalf("apply failed: %+v", r)
	}
	if c := fs.plan(t).Count(); c != (plan.Counts{}) {
		t.Errorf("plan after apply: %+v, want none", c)
	}
}

// TestBounds checks the figures' bounds on the workload of the issue: 100
// locations, 20 ms, 16 at once.
func TestBounds(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name         string
		r            Result
		f            Fleet
		bound, floor time.Duration
	}{
		{"no latency", Result{Command: "plan", Parallelism: 16, Requests: map[string]int{"GET": 1100}}, Fleet{Locations: 100}, 0, 0},
		// 7 waves x (search + 3 rounds of 4 reads of 10).
		{"plan, tokens", Result{Command: "plan", Latency: 20 * ms, Parallelism: 16, Requests: map[string]int{"GET": 1100}},
			Fleet{Locations: 100, TokenEnvs: true}, 1375 * ms, 7 * 4 * 20 * ms},
		// The first mint, then 7 waves x (mint + search + 3 rounds).
		{"plan, agency", Result{Command: "plan", Latency: 20 * ms, Parallelism: 16, Requests: map[string]int{"GET": 1100, "POST": 100}},
			Fleet{Locations: 100}, 1500 * ms, (1 + 7*5) * 20 * ms},
		// 7 waves x search, then 7 waves x (pre-flight + 2 x ceil(25/4)).
		{"apply, tokens", Result{Command: "apply", Latency: 20 * ms, Parallelism: 16, Requests: map[string]int{"GET": 3200, "POST": 2500}},
			Fleet{Locations: 100, TokenEnvs: true}, 7125 * ms, (7 + 7*15) * 20 * ms},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bound, floor := bounds(c.r, c.f)
			if bound != c.bound || floor != c.floor {
				t.Errorf("bounds = %v, %v; want %v, %v", bound, floor, c.bound, c.floor)
			}
		})
	}
}

func TestRouteOf(t *testing.T) {
	for path, want := range map[string]string{
		"/conversation-ai/agents/search":                                           "/conversation-ai/agents/search",
		"/conversation-ai/agents/ag000000000000000001/actions/list":                "/conversation-ai/agents/{id}/actions/list",
		"/conversation-ai/agents/abcdefghijklmnopqrst/followup-settings":           "/conversation-ai/agents/{id}/followup-settings",
		"/oauth/locationToken":                                                     "/oauth/locationToken",
		"/conversation-ai/agents/abcdefghijklmnopqrst/actions/ABCDEFGHIJKLMNOPQRS": "/conversation-ai/agents/{id}/actions/ABCDEFGHIJKLMNOPQRS",
	} {
		if got := routeOf(path); got != want {
			t.Errorf("routeOf(%s) = %s, want %s", path, got, want)
		}
	}
	path := filepath.Join(t.TempDir(), "routes")
	if err := writeRoutes(path, map[string]int{"GET /b": 2, "POST /a": 5, "GET /a": 2}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Fields(string(b)), strings.Fields("5 POST /a 2 GET /a 2 GET /b"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("routes file %q", b)
	}
}
