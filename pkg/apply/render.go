package apply

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/agentform/agentform/pkg/plan"
)

// Summary returns the one-line summary of r, for example
// `Apply: 3 created, 5 updated, 1 deleted, 0 failed in 4 locations`
// (`, N replaced` and `, N skipped` are added when not zero).
func Summary(r *Report) string {
	c := r.Counts
	var b strings.Builder
	fmt.Fprintf(&b, "Apply: %d created, %d updated, %d deleted", c.Created, c.Updated, c.Deleted)
	if c.Replaced > 0 {
		fmt.Fprintf(&b, ", %d replaced", c.Replaced)
	}
	fmt.Fprintf(&b, ", %d failed", c.Failed)
	if c.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", c.Skipped)
	}
	word := "location"
	switch kinds := r.kinds(); {
	case len(kinds) == 1:
		word = kinds[0]
	case len(kinds) > 1:
		word = "target"
	}
	fmt.Fprintf(&b, " in %d %s", c.Targets, plural(c.Targets, word, word+"s"))
	return b.String()
}

// RenderText writes the summary line, then each target where something
// went wrong (failed, stale, skipped, or interrupted after it had started)
// with its error, failed step and skipped steps. The targets that had
// nothing to apply, and those an interrupt stopped before anything was
// written there, are one count each: on a fleet they are most targets.
func RenderText(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString(Summary(r))
	b.WriteByte('\n')
	if r.Interrupted {
		b.WriteString("Interrupted: steps in flight finished; no new step was started.\n")
	}
	word := func(n int) string {
		w := "location"
		if kinds := r.kinds(); len(kinds) == 1 {
			w = kinds[0]
		} else if len(kinds) > 1 {
			w = "target"
		}
		return plural(n, w, w+"s")
	}
	unchanged, notStarted := 0, 0
	for _, l := range r.Targets {
		switch {
		case l.Outcome == TargetApplied:
			if written(l) == 0 {
				unchanged++
			}
			continue
		case l.Outcome == TargetInterrupted && untouched(l):
			notStarted++
			continue
		}
		fmt.Fprintf(&b, "\n%s %s: %s", targetWord(l.Kind), l.ID, l.Outcome)
		if l.Error != "" {
			fmt.Fprintf(&b, ": %s", l.Error)
		}
		b.WriteByte('\n')
		for _, s := range l.Steps {
			switch s.Outcome {
			case StepFailed:
				fmt.Fprintf(&b, "  ! failed   %s", stepName(s))
				if s.Status != 0 {
					fmt.Fprintf(&b, " (HTTP %d)", s.Status)
				}
				fmt.Fprintf(&b, ": %s\n", s.Error)
			case StepSkipped:
				fmt.Fprintf(&b, "  - skipped  %s: %s\n", stepName(s), s.Error)
			}
		}
	}
	if notStarted > 0 || unchanged > 0 {
		b.WriteByte('\n')
	}
	if notStarted > 0 {
		fmt.Fprintf(&b, "%d %s not started: interrupted before anything was written there (apply again to apply them).\n", notStarted, word(notStarted))
	}
	if unchanged > 0 {
		fmt.Fprintf(&b, "%d %s had nothing to apply.\n", unchanged, word(unchanged))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// written counts the steps of l that wrote something.
func written(l TargetReport) int {
	n := 0
	for _, s := range l.Steps {
		switch s.Outcome {
		case StepCreated, StepUpdated, StepDeleted, StepReplaced:
			n++
		}
	}
	return n
}

// untouched reports whether no step of l ran (each was skipped or had
// nothing to do).
func untouched(l TargetReport) bool {
	for _, s := range l.Steps {
		if s.Outcome != StepSkipped && s.Outcome != StepUnchanged {
			return false
		}
	}
	return true
}

// roundDuration keeps durations readable: milliseconds under a second,
// tenths of a second above.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// LineProgress writes one line per finished target where something
// happened, for CI logs: `location X: applied 5 changes in 1.2s`, or the
// outcome and error of a target that did not apply. A target that had
// nothing to apply writes nothing.
type LineProgress struct{ W io.Writer }

// StepDone does nothing: CI logs get a line per location.
func (p LineProgress) StepDone(string, StepResult) {}

// TargetDone writes the target's line.
func (p LineProgress) TargetDone(l TargetReport, done, total int) {
	n := written(l)
	d := roundDuration(l.Duration)
	switch {
	case l.Outcome == TargetApplied && n == 0:
	case l.Outcome == TargetApplied:
		fmt.Fprintf(p.W, "%s %s: applied %d %s in %s\n", targetWord(l.Kind), l.ID, n, plural(n, "change", "changes"), d)
	default:
		fmt.Fprintf(p.W, "%s %s: %s after %d %s in %s: %s\n", targetWord(l.Kind), l.ID, l.Outcome, n, plural(n, "change", "changes"), d, l.Error)
	}
}

// MeterProgress counts finished targets on a meter: on a terminal one line
// redrawn in place, `[45/300] locations, 12s elapsed, ETA 1m08s`; in CI
// logs a line every few seconds at most (see plan.Meter). Call the meter's
// Finish once Apply returned.
type MeterProgress struct{ Meter *plan.Meter }

// StepDone does nothing: the meter counts targets.
func (p MeterProgress) StepDone(string, StepResult) {}

// TargetDone updates the meter.
func (p MeterProgress) TargetDone(_ TargetReport, done, total int) { p.Meter.Update(done, total) }

// Progresses passes every event to each of its Progress in turn.
type Progresses []Progress

// StepDone implements Progress.
func (ps Progresses) StepDone(target string, s StepResult) {
	for _, p := range ps {
		p.StepDone(target, s)
	}
}

// TargetDone implements Progress.
func (ps Progresses) TargetDone(t TargetReport, done, total int) {
	for _, p := range ps {
		p.TargetDone(t, done, total)
	}
}

// targetWord names a target kind in text: "location" (also for a target
// without a kind).
func targetWord(kind string) string {
	if kind == "" {
		return "location"
	}
	return kind
}

// kinds lists the distinct target kinds of the report, in order.
func (r *Report) kinds() []string {
	var out []string
	for _, t := range r.Targets {
		if t.Kind != "" && !slices.Contains(out, t.Kind) {
			out = append(out, t.Kind)
		}
	}
	return out
}
