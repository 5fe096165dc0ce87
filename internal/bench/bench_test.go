package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/spec"
)

// The benchmarks' sizes: go test -run '^$' -bench . ./internal/bench -args
// -locations 10000.
var (
	benchLocations = flag.Int("locations", 1000, "locations of the benchmarks' fleets")
	benchLatency   = flag.Duration("latency", 0, "latency the sandbox adds to every request")
	benchBinary    = flag.String("bin", "", "BenchmarkCLI: the agentform binary (default: built from ./cmd/agentform)")
	heapProfile    = flag.String("heapprofile", "", "write a heap profile to this file while the loaded manifests (and the plan) are alive")
)

// writeHeapProfile writes the heap profile -heapprofile asks for.
func writeHeapProfile(b *testing.B) {
	if *heapProfile == "" {
		return
	}
	runtime.GC()
	f, err := os.Create(*heapProfile)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLoad loads the manifests of a fleet of -locations locations
// (one file per location, agents from shared bases), as plan does first.
// It reports the peak heap and the heap the loaded set keeps.
func BenchmarkLoad(b *testing.B) {
	for _, inline := range []bool{false, true} {
		b.Run(fmt.Sprintf("locations=%d/inline=%v", *benchLocations, inline), func(b *testing.B) {
			dir := b.TempDir()
			if err := (Fleet{Locations: *benchLocations, Inline: inline}).WriteManifests(dir); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				base := heapNow()
				stop := sampleHeap()
				set, err := spec.Load(filepath.Join(dir, "locations"))
				peak := stop()
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(mb(int64(peak-base)), "peak-heap-MB")
				b.ReportMetric(mb(int64(heapNow()-base)), "kept-heap-MB")
				writeHeapProfile(b)
				runtime.KeepAlive(set)
			}
		})
	}
}

// BenchmarkPlan plans a seeded fleet of -locations locations in process,
// as the CLI does (load, plan with one agency token, render the text plan),
// with the client's rate limit lifted (the CLI paces an agency's token
// mints to HighLevel's 100 per 10 s; this measures the engine). It reports
// the requests, the peak heap of the whole run and the heap the plan keeps.
// Profile it with -cpuprofile or -memprofile.
func BenchmarkPlan(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	f := Fleet{Locations: *benchLocations}
	if err := f.WriteManifests(dir); err != nil {
		b.Fatal(err)
	}
	seedPath := filepath.Join(dir, "seed.json")
	if err := f.WriteSeed(seedPath, true); err != nil {
		b.Fatal(err)
	}
	s, err := sim.New(sim.Options{StatePath: filepath.Join(dir, "sandbox.db"), RateLimit: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seed, err := sim.ReadSeedFile(seedPath)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.LoadSeed(seed); err != nil {
		b.Fatal(err)
	}
	agencyToken, err := s.MintAgencyToken(CompanyID, sim.AgencyScopes(false)...)
	if err != nil {
		b.Fatal(err)
	}
	s.SetLatency(*benchLatency)
	ts := httptest.NewServer(s)
	defer ts.Close()
	for b.Loop() {
		s.ResetAudit()
		base := heapNow()
		stop := sampleHeap()
		start := time.Now()
		client, err := api.New(api.Options{BaseURL: ts.URL, RateLimit: 1e9, RateBurst: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		tokens := api.NewAgencyTokens(client.Agency(CompanyID, agencyToken))
		connect := func(_ context.Context, t *provider.Target) (provider.Session, error) {
			return tokens.Location(t.ID), nil
		}
		set, err := spec.Scan(filepath.Join(dir, "locations")) // as the CLI does
		if err != nil {
			b.Fatal(err)
		}
		targets, err := highlevel.Targets(set, true)
		if err != nil {
			b.Fatal(err)
		}
		loaded := time.Since(start)
		manifests := heapNow()
		m := &plan.Manifests{Targets: targets, Digest: set.Digest}
		set, targets = nil, nil
		p, err := plan.Make(ctx, m, connect, plan.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := plan.RenderText(io.Discard, p, plan.RenderOptions{}); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		peak := stop()
		m = nil
		planned := heapNow()
		b.ReportMetric(loaded.Seconds(), "load-s")
		b.ReportMetric(mb(int64(manifests-base)), "manifests-heap-MB")
		b.ReportMetric(mb(int64(planned-base)), "plan-heap-MB")
		if c := p.Count(); c.Failed > 0 || c.Targets > 0 {
			b.Fatalf("want a clean plan, got %+v", c)
		}
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(len(s.Audit())), "requests")
		b.ReportMetric(mb(int64(peak-base)), "peak-heap-MB")
		writeHeapProfile(b)
		runtime.KeepAlive(p)
	}
}

// BenchmarkCLI runs the harness (Run) on a fleet of -locations locations
// at -latency: the agentform binary as a subprocess against the sandbox,
// apply then plan, with per-location tokens. It reports the apply's and
// the plan's seconds, requests and peak RSS.
func BenchmarkCLI(b *testing.B) {
	bin := *benchBinary
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "agentform")
		build := exec.Command("go", "build", "-o", bin, "github.com/agentform/agentform/cmd/agentform")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			b.Fatalf("build agentform: %v", err)
		}
	}
	for b.Loop() {
		rs, err := Run(context.Background(), Config{Binary: bin, Dir: b.TempDir(), Latency: *benchLatency,
			Fleet: Fleet{Locations: *benchLocations, TokenEnvs: true}, Scenarios: []string{ScenarioApply}})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rs {
			b.ReportMetric(r.Wall.Seconds(), r.Command+"-s")
			b.ReportMetric(float64(r.Total()), r.Command+"-requests")
			b.ReportMetric(mb(r.PeakRSS), r.Command+"-peak-RSS-MB")
		}
	}
}

// heapNow is the live heap after a collection.
func heapNow() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// sampleHeap samples HeapAlloc every 5 ms until stop is called; stop
// returns the highest value seen.
func sampleHeap() (stop func() uint64) {
	var peak uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak }
}

// BenchmarkRenderPromptDiff renders (text and Markdown) a plan whose one
// change rewrites an agent's 10,000-line instructions with 100 scattered
// edits: the line diff's memory must stay linear in the texts (pkg/textdiff).
// B/op is all the memory one render allocates, an upper bound of its peak.
func BenchmarkRenderPromptDiff(b *testing.B) {
	const lines, edits = 10000, 100
	before := make([]string, lines)
	after := make([]string, lines)
	for i := range before {
		before[i] = fmt.Sprintf("Rule %d: answer questions about topic %d briefly and politely.", i, i)
		after[i] = before[i]
		if i%(lines/edits) == 0 {
			after[i] = fmt.Sprintf("Rule %d: answer questions about topic %d in one sentence.", i, i)
		}
	}
	bs, as := strings.Join(before, "\n"), strings.Join(after, "\n")
	p := &plan.Plan{FormatVersion: plan.FormatVersion, TotalTargets: 1, Targets: []plan.TargetPlan{{
		Kind: highlevel.TargetKind, ID: LocationID(0), Name: locationName(0), File: "locations/loc-00000.yaml",
		Changes: []plan.Change{{Op: plan.OpUpdate, Kind: highlevel.KindAgent, Key: plan.Key{{Kind: highlevel.KindAgent, Name: "Front Desk"}},
			ID: agentID(0, 0), Before: map[string]any{"name": "Front Desk", "instructions": bs},
			After:  map[string]any{"name": "Front Desk", "instructions": as},
			Diffs:  []plan.FieldDiff{{Path: "instructions", Before: bs, After: as}},
			Reason: "declared settings differ from live"}},
	}}}
	for _, format := range []string{"text", "markdown"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			var out int
			for b.Loop() {
				var w countingWriter
				var err error
				if format == "text" {
					err = plan.RenderText(&w, p, plan.RenderOptions{})
				} else {
					err = plan.RenderMarkdown(&w, p, 1<<30)
				}
				if err != nil {
					b.Fatal(err)
				}
				out = int(w)
			}
			if out == 0 {
				b.Fatal("nothing rendered")
			}
			b.ReportMetric(float64(out), "output-bytes")
		})
	}
}

// countingWriter counts what is written to it.
type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

// BenchmarkPlanLocations plans -locations locations of the fleet, clean,
// against canned API answers in memory (no HTTP, no sandbox): the engine's
// and the read path's own cost per location (ns/op and B/op are per
// location).
func BenchmarkPlanLocations(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	f := Fleet{Locations: min(*benchLocations, 1000)}
	if err := f.WriteManifests(dir); err != nil {
		b.Fatal(err)
	}
	set, err := spec.Load(filepath.Join(dir, "locations"))
	if err != nil {
		b.Fatal(err)
	}
	targets, err := highlevel.Targets(set, true)
	if err != nil {
		b.Fatal(err)
	}
	canned := make(map[string]*cannedLocation, f.Locations)
	tpls := templates()
	for i := range f.Locations {
		canned[LocationID(i)] = newCannedLocation(b, f.liveAgents(i, tpls))
	}
	m := &plan.Manifests{Targets: targets, Digest: set.Digest}
	connect := func(_ context.Context, t *provider.Target) (provider.Session, error) { return canned[t.ID], nil }
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		p, err := plan.Make(ctx, m, connect, plan.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if c := p.Count(); c.Failed > 0 || c.Targets > 0 {
			b.Fatalf("want a clean plan, got %+v", c)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*f.Locations), "ns/location")
}

// cannedLocation answers a location's reads from memory, as the API would
// (highlevel.Reader).
type cannedLocation struct {
	summaries []api.AgentSummary
	agents    map[string][]byte // GET agent answers
	actions   map[string][]byte // actions/list answers
}

func newCannedLocation(b *testing.B, agents []any) *cannedLocation {
	c := &cannedLocation{agents: map[string][]byte{}, actions: map[string][]byte{}}
	for _, raw := range agents {
		a := raw.(map[string]any)
		id := a["id"].(string)
		acts, _ := a["actions"].([]any)
		var refs []map[string]any
		for _, x := range acts {
			refs = append(refs, map[string]any{"id": x.(map[string]any)["id"], "type": x.(map[string]any)["type"]})
		}
		agent := maps.Clone(a)
		agent["actions"] = refs
		var err error
		if c.agents[id], err = json.Marshal(agent); err != nil {
			b.Fatal(err)
		}
		if c.actions[id], err = json.Marshal(acts); err != nil {
			b.Fatal(err)
		}
		c.summaries = append(c.summaries, api.AgentSummary{ID: id, Name: a["name"].(string), CreatedAt: id})
	}
	return c
}

func (c *cannedLocation) AllAgents(context.Context) ([]api.AgentSummary, error) {
	return slices.Clone(c.summaries), nil
}

func (c *cannedLocation) GetAgent(_ context.Context, id string) (*api.Agent, error) {
	var a api.Agent
	return &a, json.Unmarshal(c.agents[id], &a)
}

func (c *cannedLocation) ListActions(_ context.Context, id string) ([]api.Action, error) {
	var out []api.Action
	return out, json.Unmarshal(c.actions[id], &out)
}
