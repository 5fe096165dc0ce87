package apply

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
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

// RenderText writes the summary line, then for each location that did not
// reach "applied" its outcome, error, failed step and skipped steps.
func RenderText(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString(Summary(r))
	b.WriteByte('\n')
	if r.Interrupted {
		b.WriteString("Interrupted: steps in flight finished; no new step was started.\n")
	}
	for _, l := range r.Targets {
		if l.Outcome == TargetApplied {
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
	_, err := io.WriteString(w, b.String())
	return err
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

// LineProgress writes one line per finished location, for CI logs:
// `location X: applied 5 changes in 1.2s`.
type LineProgress struct{ W io.Writer }

// StepDone does nothing: CI logs get a line per location.
func (p LineProgress) StepDone(string, StepResult) {}

// TargetDone writes the target's line.
func (p LineProgress) TargetDone(l TargetReport, done, total int) {
	n := 0
	for _, s := range l.Steps {
		switch s.Outcome {
		case StepCreated, StepUpdated, StepDeleted, StepReplaced:
			n++
		}
	}
	d := roundDuration(l.Duration)
	switch l.Outcome {
	case TargetApplied:
		fmt.Fprintf(p.W, "%s %s: applied %d %s in %s\n", targetWord(l.Kind), l.ID, n, plural(n, "change", "changes"), d)
	default:
		fmt.Fprintf(p.W, "%s %s: %s after %d %s in %s: %s\n", targetWord(l.Kind), l.ID, l.Outcome, n, plural(n, "change", "changes"), d, l.Error)
	}
}

// BarProgress redraws a single progress line on a terminal:
// `\r[#####.....] 12/40 locations`. Call Finish once Apply returned.
type BarProgress struct {
	W     io.Writer
	Width int // bar width in characters (default 30)
	drawn bool
}

// StepDone does nothing: the bar counts locations.
func (p *BarProgress) StepDone(string, StepResult) {}

// TargetDone redraws the bar.
func (p *BarProgress) TargetDone(t TargetReport, done, total int) {
	width := p.Width
	if width <= 0 {
		width = 30
	}
	filled := 0
	if total > 0 {
		filled = done * width / total
	}
	fmt.Fprintf(p.W, "\r[%s%s] %d/%d %ss", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, targetWord(t.Kind))
	p.drawn = true
}

// Finish ends the bar's line.
func (p *BarProgress) Finish() {
	if p.drawn {
		fmt.Fprintln(p.W)
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
