package main

import (
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
)

// Progress of plan and apply goes to stderr, so stdout keeps only the plan
// and the report: on a terminal one line redrawn in place
// (`[45/300] locations, 12s elapsed, ETA 1m08s`) and erased at the end; in
// CI logs (stderr not a terminal) a line every few seconds at most, none
// for a short run. Apply also logs, in CI, one line per location where
// something happened; locations with nothing to apply are only counted.

// meter returns a progress meter over locations on stderr.
func (g *globals) meter() *plan.Meter {
	return &plan.Meter{W: g.stderr, Terminal: g.tty.stderr, Noun: "locations"}
}

// planProgress wraps connect so that the meter counts the locations plan
// has started reading (it opens each once, before reading it) out of total;
// call finish once plan.Make returned.
func (g *globals) planProgress(connect plan.Connector, total int) (wrapped plan.Connector, finish func()) {
	m := g.meter()
	m.Start()
	return plan.WithProgress(connect, total, m.Update), m.Finish
}

// applyProgress is apply's progress: the meter, and in CI a line per
// location where something happened; call finish once apply.Apply
// returned.
func (g *globals) applyProgress() (p apply.Progress, finish func()) {
	m := g.meter()
	m.Start()
	if g.tty.stderr {
		return apply.MeterProgress{Meter: m}, m.Finish
	}
	return apply.Progresses{apply.LineProgress{W: g.stderr}, apply.MeterProgress{Meter: m}}, m.Finish
}
