package apply

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

// Writer is what apply needs from the API for one location; *api.Location
// implements it.
type Writer interface {
	plan.Reader
	SearchAgents(ctx context.Context, p api.SearchParams) (*api.SearchPage, error)
	CreateAgent(ctx context.Context, in api.AgentSettings) (*api.Agent, error)
	UpdateAgent(ctx context.Context, agentID string, in api.AgentSettings) (*api.Agent, error)
	DeleteAgent(ctx context.Context, agentID string) error
	CreateAction(ctx context.Context, agentID string, in api.ActionInput) (*api.Action, error)
	UpdateAction(ctx context.Context, agentID, actionID string, in api.ActionInput) (*api.Action, error)
	DeleteAction(ctx context.Context, agentID, actionID string) error
	UpdateFollowupSettings(ctx context.Context, agentID string, in api.FollowupSettingsUpdate) error
}

var _ Writer = (*api.Location)(nil)

// Connector opens a Writer for a location (resolving its token). An error
// fails that location only.
type Connector func(ctx context.Context, lp *plan.LocationPlan) (Writer, error)

// Progress receives events while Apply runs. Apply serialises the calls, so
// implementations need no locking of their own; they must not block long.
type Progress interface {
	// StepDone is called when a step of a location finished (not for skipped
	// steps).
	StepDone(locationID string, s StepResult)
	// LocationDone is called when a location finished; done counts finished
	// locations (this one included) out of total.
	LocationDone(l LocationReport, done, total int)
}

// Options tune Apply.
type Options struct {
	// Parallelism is how many locations are applied at once (default 16).
	Parallelism int
	// StepParallelism is how many independent steps of one location run at
	// once (default 4).
	StepParallelism int
	// StepTimeout bounds a step once started; it keeps running after ctx is
	// cancelled, up to this long (default 2 minutes).
	StepTimeout time.Duration
	// Progress, when not nil, is told about finished steps and locations.
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

// Apply executes p and returns the report of every location and step. It
// never returns early on a failure: each location's outcome is in the report.
// When ctx is cancelled, no new step starts and the report marks the rest.
func Apply(ctx context.Context, p *plan.Plan, connect Connector, opts Options) *Report {
	opts = opts.withDefaults()
	start := opts.Now()
	r := &Report{
		FormatVersion: ReportFormatVersion,
		StartedAt:     start,
		Locations:     make([]LocationReport, len(p.Locations)),
	}
	ev := &events{progress: opts.Progress, total: len(p.Locations)}

	var g errgroup.Group
	g.SetLimit(opts.Parallelism)
	for i := range p.Locations {
		lp := &p.Locations[i]
		g.Go(func() error {
			lr := &locationRun{lp: lp, connect: connect, opts: opts, events: ev}
			r.Locations[i] = lr.run(ctx)
			ev.locationDone(r.Locations[i])
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

func (e *events) stepDone(loc string, s StepResult) {
	if e.progress == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.progress.StepDone(loc, s)
}

func (e *events) locationDone(l LocationReport) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.done++
	if e.progress != nil {
		e.progress.LocationDone(l, e.done, e.total)
	}
}
