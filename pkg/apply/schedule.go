package apply

import (
	"context"
	"fmt"

	"github.com/agentform/agentform/pkg/plan"
)

// schedule runs the target's steps: a step starts once every change it
// depends on (Change.DependsOn, the plan's complete order) succeeded, at most
// StepParallelism at once, in plan order among the ready ones. The first
// failure (or ctx being cancelled) stops new starts; steps in flight finish;
// the rest are skipped with the reason.
func (l *targetRun) schedule(ctx context.Context, rep *TargetReport) {
	changes := l.tp.Changes
	const (
		pending = iota
		running
		done
	)
	state := make([]int, len(changes))
	finished := make(chan StepResult)
	inFlight := 0
	stopReason := ""

	for i, c := range changes {
		if c.Op == plan.OpReport {
			state[i] = done
			rep.Steps[i].Outcome = StepUnchanged
		}
	}
	ready := func(i int) bool {
		for _, d := range changes[i].DependsOn {
			if state[d] != done {
				return false
			}
		}
		return true
	}
	for {
		if stopReason == "" && ctx.Err() != nil {
			stopReason = reasonInterrupted
			rep.Outcome, rep.Error = TargetInterrupted, "interrupted"
		}
		for i := 0; stopReason == "" && i < len(changes) && inFlight < l.opts.StepParallelism; i++ {
			if state[i] != pending || !ready(i) {
				continue
			}
			state[i] = running
			inFlight++
			go func(i int) { finished <- l.step(ctx, i) }(i)
		}
		if inFlight == 0 {
			break
		}
		res := <-finished
		inFlight--
		rep.Steps[res.Index] = res
		l.events.stepDone(l.tp.ID, res)
		if res.Outcome == StepFailed {
			if rep.Outcome != TargetFailed {
				rep.Outcome = TargetFailed
				rep.Error = fmt.Sprintf("step %d (%s) failed: %s", res.Index, changes[res.Index].Title(), res.Error)
				if hint := l.prov.AccessHint(res.Status, l.tp.ID, l.tp.TokenEnv, true); hint != "" {
					rep.Error += " (" + hint + ")"
				}
				stopReason = fmt.Sprintf("not run: step %d (%s) failed", res.Index, changes[res.Index].Title())
			}
			continue
		}
		state[res.Index] = done
	}
	if stopReason == "" {
		stopReason = "not run: a dependency never completed"
		for i := range state {
			if state[i] == pending {
				rep.Outcome, rep.Error = TargetFailed, "invalid plan: steps left whose dependencies never completed"
				break
			}
		}
	}
	for i := range state {
		if state[i] == pending {
			rep.Steps[i].Outcome, rep.Steps[i].Error = StepSkipped, stopReason
		}
	}
}
