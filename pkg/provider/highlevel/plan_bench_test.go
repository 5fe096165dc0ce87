package highlevel

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/spec"
)

// benchLocation declares 5 agents with 4 actions each.
func benchLocation(id string) *spec.Location {
	loc := &spec.Location{ID: id, TokenEnv: "T"}
	for a := range 5 {
		ag := &spec.Agent{Name: fmt.Sprintf("Agent %d", a), ActionsDeclared: true, Settings: withText(map[string]any{"mode": "off"})}
		ag.Actions = []*spec.Action{
			{Name: "Stop", Type: api.ActionStopBot, Details: map[string]any{"stopBotDetectionType": "Goodbye", "stopBotTriggerCondition": "bye",
				"reactivateEnabled": false, "enabled": true, "stopBotExamples": []any{"bye", "ciao"}, "finalMessage": "Bye"}},
			{Name: "Email", Type: api.ActionUpdateContactField, Details: map[string]any{"contactFieldId": "email", "description": "email"}},
			{Name: "Call", Type: api.ActionTriggerWorkflow, Details: map[string]any{"workflowIds": []any{"wf"}, "triggerCondition": "call"}},
			{Name: "Human", Type: api.ActionHumanHandOver, Details: map[string]any{"enabled": true, "triggerCondition": "human",
				"handoverType": "contactRequest", "examples": []any{"a person"}, "reactivateEnabled": false, "finalMessage": "Wait"}},
		}
		loc.Agents = append(loc.Agents, ag)
	}
	return loc
}

// BenchmarkPlan plans 1,000 locations × 5 agents × 4 actions against the
// in-process sandbox answering every request after 20 ms. Run it with
// -benchtime=1x. It reports requests per location (the minimum the API
// allows is 1 search page per 100 agents + GetAgent and ListActions per
// managed agent: 11 here) and the peak heap.
func BenchmarkPlan(b *testing.B) {
	const locations = 1000
	ctx := context.Background()
	sb := startSandbox(b, sim.Options{})
	tokens := map[string]string{}
	var locs []*spec.Location
	for i := range locations {
		id := fmt.Sprintf("bench-%04d", i)
		locs = append(locs, benchLocation(id))
		tokens[id] = sb.token(b, id, false)
	}
	var g errgroup.Group
	g.SetLimit(32)
	for _, loc := range locs {
		g.Go(func() error {
			seed(b, ctx, sb.client.Location(loc.ID, sb.token(b, loc.ID, true)), loc)
			return nil
		})
	}
	_ = g.Wait()
	sb.s.SetLatency(20 * time.Millisecond)
	set := manifests(b, &spec.Set{Locations: locs, Digest: "bench"})

	b.ResetTimer()
	for range b.N {
		sb.s.ResetAudit()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := sampleHeap()
		start := time.Now()
		p, err := plan.Make(ctx, set, sb.connector(tokens), plan.Options{})
		wall := time.Since(start)
		peakHeap := stop()
		if err != nil {
			b.Fatal(err)
		}
		if c := p.Count(); c.Failed > 0 || c.Targets > 0 {
			b.Fatalf("want a clean plan, got %+v", c)
		}
		requests := len(sb.s.Audit())
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(float64(requests)/locations, "requests/location")
		b.ReportMetric(float64(peakHeap-before.HeapAlloc)/(1<<20), "peak-heap-MB")
	}
}

// sampleHeap samples HeapAlloc every 10 ms until stop is called; stop
// returns the highest value seen.
func sampleHeap() (stop func() uint64) {
	var max uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > max {
				max = m.HeapAlloc
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return max }
}
