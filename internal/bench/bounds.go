package bench

import (
	"fmt"
	"os"
	"time"

	"github.com/agentform/agentform/pkg/plan"
)

// readParallelism is how many reads plan makes at once inside a location
// (pkg/plan's child reads), stepParallelism how many steps apply runs at
// once inside a location (apply.Options.StepParallelism's default).
const (
	readParallelism = 4
	stepParallelism = 4
)

// bounds returns, for a command with latency, the bound (requests x
// latency / parallelism) and the floor: the least time the engine's
// per-location structure allows when every request takes the latency and
// nothing else costs time (see the package documentation). Both are 0
// without latency.
func bounds(r Result, f Fleet) (bound, floor time.Duration) {
	if r.Latency <= 0 {
		return 0, 0
	}
	bound = time.Duration(r.Total()) * r.Latency / time.Duration(r.Parallelism)
	waves := ceilDiv(f.Locations, r.Parallelism)
	// In agency mode the first location's token is minted once before any
	// location is read (to fail fast on a bad agency credential), and every
	// location's plan starts with the mint of its token.
	rounds, mint := 0, 0
	if !f.TokenEnvs {
		rounds, mint = 1, 1
	}
	switch r.Command {
	case "plan":
		rounds += waves * (mint + planRounds())
	case "apply":
		rounds += waves*(mint+1) + waves*applyRounds()
	}
	return bound, time.Duration(rounds) * r.Latency
}

// planRounds is the length, in requests, of one location's plan when its
// agents exist and its token is known: search its agents, then read each
// agent and list its actions, readParallelism at a time.
func planRounds() int {
	return 1 + ceilDiv(2*AgentsPerLocation, readParallelism)
}

// applyRounds is the length, in requests, of one location's apply of 25
// creates after its plan (the plan of an empty location is one search,
// after the mint of its token in agency mode): the pre-flight search, then the steps, stepParallelism at a
// time and at least the chain agent create → action create. Every create
// step is two requests in sequence: the create, then the list of its
// namesakes that makes two racing applies converge on one object
// (pkg/apply's converge).
func applyRounds() int {
	const perStep = 2
	steps := AgentsPerLocation * (1 + ActionsPerAgent)
	return 1 + perStep*max(2, ceilDiv(steps, stepParallelism))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// checkDrift checks a saved drift plan: exactly the drifted locations have
// changes, DriftChanges each.
func checkDrift(path string, f Fleet) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	p, err := plan.Load(file)
	if err != nil {
		return fmt.Errorf("drift plan: %w", err)
	}
	want, got := 0, p.Count()
	for i := range f.Locations {
		if f.Drifted(i) {
			want++
		}
	}
	if got.Targets != want || got.Create+got.Update != want*DriftChanges || got.Delete+got.Replace != 0 || got.Failed != 0 {
		return fmt.Errorf("drift plan: %+v, want %d locations with %d changes each", got, want, DriftChanges)
	}
	return nil
}
