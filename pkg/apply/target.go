package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
)

// reasonInterrupted is the reason given to steps not run after ctx was cancelled.
const reasonInterrupted = "interrupted"

// targetRun applies the plan of one target.
type targetRun struct {
	tp      *plan.TargetPlan
	connect Connector
	opts    Options
	events  *events

	prov provider.Provider
	sess provider.Session
	res  *resolver
}

// run connects, checks for staleness, then executes the steps.
func (l *targetRun) run(ctx context.Context) TargetReport {
	start := l.opts.Now()
	rep := TargetReport{
		Kind:    l.tp.Kind,
		ID:      l.tp.ID,
		Name:    l.tp.Name,
		Outcome: TargetApplied,
		Steps:   make([]StepResult, len(l.tp.Changes)),
	}
	for i, c := range l.tp.Changes {
		rep.Steps[i] = StepResult{Index: i, Op: c.Op, Kind: c.Kind, Key: c.Key}
	}
	l.execute(ctx, &rep)
	rep.Duration = l.opts.Now().Sub(start)
	return rep
}

func (l *targetRun) execute(ctx context.Context, rep *TargetReport) {
	word := targetWord(l.tp.Kind)
	refuse := func(outcome TargetOutcome, msg, reason string) {
		rep.Outcome, rep.Error = outcome, msg
		skipAll(rep.Steps, strings.ReplaceAll(reason, "location", word))
	}
	if l.tp.Error != "" {
		refuse(TargetSkipped, "not planned: "+l.tp.Error, "location was not planned")
		return
	}
	if !hasWork(l.tp) {
		markReports(rep.Steps)
		return
	}
	if ctx.Err() != nil {
		refuse(TargetInterrupted, "interrupted before the "+word+" started", reasonInterrupted)
		return
	}
	if err := l.check(); err != nil {
		refuse(TargetFailed, err.Error(), "location refused: invalid plan")
		return
	}
	sess, err := l.connect(ctx, l.tp)
	if err != nil {
		refuse(TargetFailed, fmt.Sprintf("connect: %v", err), "location not connected")
		return
	}
	l.sess = sess
	l.res = newResolver()
	l.res.seedFromPlan(l.tp)

	moved, err := l.preflight(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		refuse(TargetInterrupted, "interrupted during pre-flight", reasonInterrupted)
		return
	case err != nil:
		refuse(TargetFailed, fmt.Sprintf("pre-flight: %v", err), "location refused: pre-flight read failed")
		return
	case len(moved) > 0:
		rep.Stale = moved
		refuse(TargetStale, "plan is stale: "+strings.Join(moved, "; "), "location refused: plan is stale")
		return
	}
	l.schedule(ctx, rep)
}

// check refuses a plan this run cannot execute: an unknown provider or
// kind, or a dependency that does not point at an earlier change.
func (l *targetRun) check() error {
	prov, ok := provider.ForTarget(l.tp.Kind)
	if !ok {
		return fmt.Errorf("invalid plan: no provider for %s targets", l.tp.Kind)
	}
	l.prov = prov
	for i, c := range l.tp.Changes {
		if provider.KindNamed(prov, c.Kind) == nil {
			return fmt.Errorf("invalid plan: change %d has kind %q, which %s does not know", i, c.Kind, prov.Name())
		}
		for _, d := range c.DependsOn {
			if d < 0 || d >= i {
				return fmt.Errorf("invalid plan: change %d depends on change %d, which does not come before it", i, d)
			}
		}
	}
	return nil
}

// kind returns the descriptor of c's kind (check made sure it exists).
func (l *targetRun) kind(c plan.Change) *provider.Kind { return provider.KindNamed(l.prov, c.Kind) }

// hasWork reports whether tp has any change other than reports.
func hasWork(tp *plan.TargetPlan) bool {
	for _, c := range tp.Changes {
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
