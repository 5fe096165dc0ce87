package plan

import "strings"

// lineOp is one line of a line diff: ' ' kept, '-' removed, '+' added.
type lineOp struct {
	op   byte
	text string
}

// lineDiff returns the line diff of a and b from their longest common
// subsequence of lines.
func lineDiff(a, b string) []lineOp {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the LCS length of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []lineOp
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			out = append(out, lineOp{' ', x[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, lineOp{'-', x[i]})
			i++
		default:
			out = append(out, lineOp{'+', y[j]})
			j++
		}
	}
	for ; i < len(x); i++ {
		out = append(out, lineOp{'-', x[i]})
	}
	for ; j < len(y); j++ {
		out = append(out, lineOp{'+', y[j]})
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
