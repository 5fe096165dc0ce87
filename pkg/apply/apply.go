package apply

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
)

// Connector opens a session for a target with write access (resolving its
// credential). An error fails that target only.
type Connector func(ctx context.Context, tp *plan.TargetPlan) (provider.Session, error)

// Progress receives events while Apply runs. Apply serialises the calls, so
// implementations need no locking of their own; they must not block long.
type Progress interface {
	// StepDone is called when a step of a target finished (not for skipped
	// steps).
	StepDone(targetID string, s StepResult)
	// TargetDone is called when a target finished; done counts finished
	// targets (this one included) out of total.
	TargetDone(t TargetReport, done, total int)
}

// Options tune Apply.
type Options struct {
	// Parallelism is how many targets are applied at once (default 16).
	Parallelism int
	// StepParallelism is how many independent steps of one target run at
	// once (default 4).
	StepParallelism int
	// StepTimeout bounds a step once started; it keeps running after ctx is
	// cancelled, up to this long (default 2 minutes).
	StepTimeout time.Duration
	// Progress, when not nil, is told about finished steps and targets.
	Progress Progress
	// Now is the clock for durations (default time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Parallelism <= 0 {
		o.Parallelism = 16
	}
	if o.StepParallelism <= 0 {
		o.StepParallelism = 4
	}
	if o.StepTimeout <= 0 {
		o.StepTimeout = 2 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Apply executes p and returns the report of every target and step. It
// never returns early on a failure: each target's outcome is in the report.
// When ctx is cancelled, no new step starts and the report marks the rest.
func Apply(ctx context.Context, p *plan.Plan, connect Connector, opts Options) *Report {
	opts = opts.withDefaults()
	start := opts.Now()
	r := &Report{
		FormatVersion: ReportFormatVersion,
		StartedAt:     start,
		Targets:       make([]TargetReport, len(p.Targets)),
	}
	ev := &events{progress: opts.Progress, total: len(p.Targets)}

	var g errgroup.Group
	g.SetLimit(opts.Parallelism)
	for i := range p.Targets {
		tp := &p.Targets[i]
		g.Go(func() error {
			run := &targetRun{tp: tp, connect: connect, opts: opts, events: ev}
			r.Targets[i] = run.run(ctx)
			ev.targetDone(r.Targets[i])
			return nil
		})
	}
	_ = g.Wait() // the goroutines never return errors
	r.Duration = opts.Now().Sub(start)
	r.Interrupted = ctx.Err() != nil
	r.count()
	return r
}

// events serialises Progress calls.
type events struct {
	mu       sync.Mutex
	progress Progress
	done     int
	total    int
}

func (e *events) stepDone(target string, s StepResult) {
	if e.progress == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.progress.StepDone(target, s)
}

func (e *events) targetDone(t TargetReport) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.done++
	if e.progress != nil {
		e.progress.TargetDone(t, e.done, e.total)
	}
}
