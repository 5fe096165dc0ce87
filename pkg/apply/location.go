package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/agentform/agentform/pkg/plan"
)

// reasonInterrupted is the reason given to steps not run after ctx was cancelled.
const reasonInterrupted = "interrupted"

// locationRun applies the plan of one location.
type locationRun struct {
	lp      *plan.LocationPlan
	connect Connector
	opts    Options
	events  *events

	w   Writer
	res *resolver
}

// run connects, checks for staleness, then executes the steps.
func (l *locationRun) run(ctx context.Context) LocationReport {
	start := l.opts.Now()
	rep := LocationReport{
		LocationID: l.lp.LocationID,
		Name:       l.lp.Name,
		Outcome:    LocationApplied,
		Steps:      make([]StepResult, len(l.lp.Changes)),
	}
	for i, c := range l.lp.Changes {
		rep.Steps[i] = StepResult{Index: i, Op: c.Op, Kind: c.Kind, Agent: c.Agent, Action: c.Action}
	}
	l.execute(ctx, &rep)
	rep.Duration = l.opts.Now().Sub(start)
	return rep
}

func (l *locationRun) execute(ctx context.Context, rep *LocationReport) {
	refuse := func(outcome LocationOutcome, msg, reason string) {
		rep.Outcome, rep.Error = outcome, msg
		skipAll(rep.Steps, reason)
	}
	if l.lp.Error != "" {
		refuse(LocationSkipped, "not planned: "+l.lp.Error, "location was not planned")
		return
	}
	if !hasWork(l.lp) {
		markReports(rep.Steps)
		return
	}
	if ctx.Err() != nil {
		refuse(LocationInterrupted, "interrupted before the location started", reasonInterrupted)
		return
	}
	if err := validateDeps(l.lp.Changes); err != nil {
		refuse(LocationFailed, err.Error(), "location refused: invalid plan")
		return
	}
	w, err := l.connect(ctx, l.lp)
	if err != nil {
		refuse(LocationFailed, fmt.Sprintf("connect: %v", err), "location not connected")
		return
	}
	l.w = w
	l.res = newResolver()
	l.res.seedFromPlan(l.lp)

	moved, err := l.preflight(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		refuse(LocationInterrupted, "interrupted during pre-flight", reasonInterrupted)
		return
	case err != nil:
		refuse(LocationFailed, fmt.Sprintf("pre-flight: %v", err), "location refused: pre-flight read failed")
		return
	case len(moved) > 0:
		rep.Stale = moved
		refuse(LocationStale, "plan is stale: "+strings.Join(moved, "; "), "location refused: plan is stale")
		return
	}
	l.schedule(ctx, rep)
}

// hasWork reports whether lp has any change other than reports.
func hasWork(lp *plan.LocationPlan) bool {
	for _, c := range lp.Changes {
		if c.Op != plan.OpReport {
			return true
		}
	}
	return false
}

// markReports sets report-only steps to unchanged.
func markReports(steps []StepResult) {
	for i := range steps {
		if steps[i].Op == plan.OpReport {
			steps[i].Outcome = StepUnchanged
		}
	}
}

// skipAll marks every step skipped (report-only ones unchanged).
func skipAll(steps []StepResult, reason string) {
	for i := range steps {
		if steps[i].Op == plan.OpReport {
			steps[i].Outcome = StepUnchanged
			continue
		}
		steps[i].Outcome, steps[i].Error = StepSkipped, reason
	}
}

// validateDeps refuses dependencies that do not point at an earlier change.
func validateDeps(changes []plan.Change) error {
	for i, c := range changes {
		for _, d := range c.DependsOn {
			if d < 0 || d >= i {
				return fmt.Errorf("invalid plan: change %d depends on change %d, which does not come before it", i, d)
			}
		}
	}
	return nil
}
