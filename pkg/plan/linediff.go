package plan

import "github.com/agentform/agentform/pkg/textdiff"

// lineOp is one line of a line diff: ' ' kept, '-' removed, '+' added; 0
// marks a gap of kept lines left out.
type lineOp struct {
	op   byte
	text string
}

// lineDiff returns the line diff of texts a and b (pkg/textdiff: a shortest
// edit script, in memory linear in the texts).
func lineDiff(a, b string) []lineOp { return lineOps(textdiff.Split(a), textdiff.Split(b)) }

// lineOps returns the diff of two lists of lines.
func lineOps(a, b []string) []lineOp {
	script := textdiff.Lines(a, b)
	out := make([]lineOp, len(script))
	for i, o := range script {
		out[i] = lineOp{o.Kind.String()[0], o.Text}
	}
	return out
}

// unifiedContext is how many unchanged lines are shown around a change.
const unifiedContext = 2

// unified keeps the changed lines of ops and up to unifiedContext kept lines
// around each; a gap is shown as a "…" line (op 0).
func unified(ops []lineOp) []lineOp {
	keep := make([]bool, len(ops))
	for i, o := range ops {
		if o.op == ' ' {
			continue
		}
		for k := max(0, i-unifiedContext); k <= min(len(ops)-1, i+unifiedContext); k++ {
			keep[k] = true
		}
	}
	var out []lineOp
	gap := false
	for i, o := range ops {
		if !keep[i] {
			gap = true
			continue
		}
		if gap {
			out = append(out, lineOp{0, "…"})
		}
		gap = false
		out = append(out, o)
	}
	if gap && len(out) > 0 {
		out = append(out, lineOp{0, "…"})
	}
	return out
}
