package highlevel_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/sim"
)

// BenchmarkApply applies 500 locations × 5 agents × 4 actions (plus a
// follow-up per agent) from empty against the sandbox with 20 ms latency.
// The plan is made before the timer starts; only Apply is timed.
//
// The bound: inside a location the longest dependency chain is pre-flight
// search → agent create → action create → follow-up, 4 requests; and with at
// most StepParallelism (s) steps at once the 30 steps (5 agent creates, 20
// action creates, 5 follow-ups) after the pre-flight search need at least
// ceil(30/s) rounds. So a location needs at least
// max(4, 1+ceil(30/s)) × latency.
// It sends 31 requests, under the rate limit's burst of 100 per 10 s, so the
// limit adds nothing. With P locations at once, the run needs at least
// ceil(500/P) × that. The benchmark reports bound_s and wall/bound.
//
// Run: go test -run '^$' -bench BenchmarkApply -benchtime 1x ./pkg/provider/highlevel
func BenchmarkApply(b *testing.B) {
	const locations, agents, latency = 500, 5, 20 * time.Millisecond
	for _, bc := range []struct{ parallelism, steps int }{{16, 4}, {64, 4}, {500, 4}, {500, 8}} {
		b.Run(fmt.Sprintf("parallelism=%d/steps=%d", bc.parallelism, bc.steps), func(b *testing.B) {
			var wall time.Duration
			var requests int
			for range b.N {
				b.StopTimer()
				sb := newSandbox(b, sim.Options{})
				set := genSet("bench", locations, agents)
				sb.mint(set)
				p := sb.plan(b, set)
				sb.s.SetLatency(latency)
				sb.s.ResetAudit()
				b.StartTimer()

				start := time.Now()
				r := apply.Apply(context.Background(), p, sb.writers, apply.Options{Parallelism: bc.parallelism, StepParallelism: bc.steps})
				wall += time.Since(start)

				b.StopTimer()
				requireApplied(b, r)
				requests += len(sb.s.Audit())
				b.StartTimer()
			}
			rounds := 1 + ceilDiv(agents+agents*4+agents, bc.steps)
			perLocation := time.Duration(max(4, rounds)) * latency
			bound := time.Duration(ceilDiv(locations, bc.parallelism)) * perLocation
			mean := wall / time.Duration(b.N)
			b.ReportMetric(mean.Seconds(), "wall_s")
			b.ReportMetric(float64(requests)/float64(b.N), "requests")
			b.ReportMetric(float64(requests)/float64(b.N*locations), "requests/location")
			b.ReportMetric(bound.Seconds(), "bound_s")
			b.ReportMetric(math.Round(100*mean.Seconds()/bound.Seconds())/100, "wall/bound")
		})
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
