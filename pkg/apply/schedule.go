package apply

import (
	"context"
	"fmt"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

// schedule runs the location's steps: a step starts once all it depends on
// succeeded, at most StepParallelism at once, in plan order among the ready
// ones. The first failure (or ctx being cancelled) stops new starts; steps in
// flight finish; the rest are skipped with the reason.
func (l *locationRun) schedule(ctx context.Context, rep *LocationReport) {
	changes := l.lp.Changes
	deps := dependencies(changes)
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
		for _, d := range deps[i] {
			if state[d] != done {
				return false
			}
		}
		return true
	}
	for {
		if stopReason == "" && ctx.Err() != nil {
			stopReason = reasonInterrupted
			rep.Outcome, rep.Error = LocationInterrupted, "interrupted"
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
		l.events.stepDone(l.lp.LocationID, res)
		if res.Outcome == StepFailed {
			if rep.Outcome != LocationFailed {
				rep.Outcome = LocationFailed
				rep.Error = fmt.Sprintf("step %d (%s) failed: %s", res.Index, describe(changes[res.Index]), res.Error)
				if hint := api.AccessHint(res.Status, l.lp.LocationID, l.lp.TokenEnv, api.ScopeWrite); hint != "" {
					rep.Error += " (" + hint + ")"
				}
				stopReason = fmt.Sprintf("not run: step %d (%s) failed", res.Index, describe(changes[res.Index]))
			}
			continue
		}
		state[res.Index] = done
	}
	if stopReason == "" {
		stopReason = "not run: a dependency never completed"
		for i := range state {
			if state[i] == pending {
				rep.Outcome, rep.Error = LocationFailed, "invalid plan: steps left whose dependencies never completed"
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

// dependencies returns, for each change, the earlier changes it waits for:
// its DependsOn, plus the implicit order (see the package doc). Agent
// deletes do not wait for each other.
func dependencies(changes []plan.Change) [][]int {
	deps := make([][]int, len(changes))
	for i, c := range changes {
		set := map[int]bool{}
		for _, d := range c.DependsOn {
			set[d] = true
		}
		for j := 0; j < i; j++ {
			p := changes[j]
			switch {
			case c.Kind == plan.KindAgent && c.Op == plan.OpDelete:
				set[j] = !(p.Kind == plan.KindAgent && p.Op == plan.OpDelete)
			case c.Kind == plan.KindFollowup && p.Kind == plan.KindAction && p.Agent == c.Agent:
				set[j] = true
			}
		}
		for j := 0; j < i; j++ {
			if set[j] {
				deps[i] = append(deps[i], j)
			}
		}
	}
	return deps
}

// describe names a change in words: `create action "Front Desk"/"Book"`.
func describe(c plan.Change) string {
	switch c.Kind {
	case plan.KindAction:
		return fmt.Sprintf("%s action %q/%q", c.Op, c.Agent, c.Action)
	case plan.KindFollowup:
		return fmt.Sprintf("%s follow-up of agent %q", c.Op, c.Agent)
	default:
		return fmt.Sprintf("%s agent %q", c.Op, c.Agent)
	}
}
