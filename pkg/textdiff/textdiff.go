// Package textdiff computes line diffs in memory linear in the input.
//
// Lines finds a shortest edit script (deletes and inserts, the complement of
// a longest common subsequence) with Myers' O(ND) algorithm in its
// linear-space form: each step finds the middle snake of the edit graph by
// searching from both ends at once, then solves the two halves. It runs in
// O((N+M)·D) time, D being the number of lines deleted and inserted, and
// O(N+M) memory, where the textbook LCS table needs O(N·M) (784 MB for two
// 10,000-line prompts). Two refinements keep large rewrites cheap without
// changing the result: common leading and trailing lines are matched first,
// and lines that occur in only one of the texts, which no common
// subsequence can hold, are set aside before the search.
//
// Within a changed region, deleted lines come before inserted ones.
package textdiff

import "strings"

// Kind is what an Op does with its line.
type Kind int8

// Kinds of Op.
const (
	Keep   Kind = iota // the line is in both texts
	Delete             // the line is only in the first text
	Insert             // the line is only in the second text
)

// String returns " ", "-" or "+", as a unified diff marks lines.
func (k Kind) String() string {
	switch k {
	case Delete:
		return "-"
	case Insert:
		return "+"
	default:
		return " "
	}
}

// Op is one line of an edit script.
type Op struct {
	Kind Kind
	Text string
}

// Split cuts s into lines at "\n", as strings.Split does (a trailing newline
// gives a last empty line, so texts differing only in it differ in the
// script).
func Split(s string) []string { return strings.Split(s, "\n") }

// Lines returns an edit script turning a into b: every line of a is kept or
// deleted and every line of b kept or inserted, in order, and the number of
// deletes and inserts is the smallest possible.
func Lines(a, b []string) []Op {
	d := newDiffer(a, b)
	d.compare(0, len(d.a), 0, len(d.b))
	return d.script(a, b)
}

// differ holds one diff: the lines as integers, the lines set aside, the
// change marks and the two V arrays of the search.
type differ struct {
	a, b    []int32 // candidate lines, by line id
	aIdx    []int32 // index in the original a of each candidate line
	bIdx    []int32
	delA    []bool  // per original line of a: deleted
	insB    []bool  // per original line of b: inserted
	vf, vb  []int32 // furthest x per diagonal, forward and backward
	vOffset int     // index of diagonal 0 in vf and vb
}

// newDiffer numbers the lines (equal lines get equal numbers), marks the
// lines found in one text only as changed and keeps the others as
// candidates.
func newDiffer(a, b []string) *differ {
	ids := make(map[string]int32, len(a))
	count := make([][2]int32, 0, len(a)) // per id: occurrences in a, in b
	idOf := func(line string) int32 {
		id, ok := ids[line]
		if !ok {
			id = int32(len(count))
			ids[line] = id
			count = append(count, [2]int32{})
		}
		return id
	}
	aIDs := make([]int32, len(a))
	for i, line := range a {
		aIDs[i] = idOf(line)
		count[aIDs[i]][0]++
	}
	bIDs := make([]int32, len(b))
	for j, line := range b {
		bIDs[j] = idOf(line)
		count[bIDs[j]][1]++
	}
	d := &differ{delA: make([]bool, len(a)), insB: make([]bool, len(b))}
	d.a, d.aIdx = candidates(aIDs, d.delA, func(id int32) bool { return count[id][1] > 0 })
	d.b, d.bIdx = candidates(bIDs, d.insB, func(id int32) bool { return count[id][0] > 0 })
	// Diagonals searched lie within ±(1.5·(N+M)+2) of 0 (delta ± D ± 1).
	total := len(d.a) + len(d.b)
	d.vOffset = 2*total + 2
	d.vf, d.vb = make([]int32, 2*d.vOffset+1), make([]int32, 2*d.vOffset+1)
	return d
}

// candidates returns the lines of ids that shared accepts, with their
// indexes, and marks the others in changed.
func candidates(ids []int32, changed []bool, shared func(int32) bool) ([]int32, []int32) {
	var keep, idx []int32
	for i, id := range ids {
		if !shared(id) {
			changed[i] = true
			continue
		}
		keep = append(keep, id)
		idx = append(idx, int32(i))
	}
	return keep, idx
}

// compare marks the changes between a[aLo:aHi] and b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		aLo, bLo = aLo+1, bLo+1
	}
	for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
		aHi, bHi = aHi-1, bHi-1
	}
	switch {
	case aLo == aHi:
		for j := bLo; j < bHi; j++ {
			d.insB[d.bIdx[j]] = true
		}
	case bLo == bHi:
		for i := aLo; i < aHi; i++ {
			d.delA[d.aIdx[i]] = true
		}
	default:
		x, y := d.middle(aLo, aHi, bLo, bHi)
		d.compare(aLo, x, bLo, y)
		d.compare(x, aHi, y, bHi)
	}
}

// middle returns a point (x, y) on a shortest edit path from (aLo, bLo) to
// (aHi, bHi), strictly between them, found where a forward search from the
// start and a backward search from the end first overlap. The ranges are
// non-empty, their first lines differ and so do their last lines.
func (d *differ) middle(aLo, aHi, bLo, bHi int) (int, int) {
	a, b := d.a, d.b
	n, m := aHi-aLo, bHi-bLo
	delta := n - m
	odd := delta&1 != 0
	// vf[o+k]: furthest x (relative to aLo) on diagonal k = x-y forward.
	// vb[o+k]: smallest x on diagonal k reached backward from (n, m).
	vf, vb, o := d.vf, d.vb, d.vOffset
	vf[o+1] = 0
	vb[o+delta-1] = int32(n)
	for D := 0; D <= (n+m+1)/2; D++ {
		for k := -D; k <= D; k += 2 {
			var x int
			if k == -D || (k != D && vf[o+k-1] < vf[o+k+1]) {
				x = int(vf[o+k+1]) // down: an insert
			} else {
				x = int(vf[o+k-1]) + 1 // right: a delete
			}
			y := x - k
			for x < n && y < m && a[aLo+x] == b[bLo+y] {
				x, y = x+1, y+1
			}
			vf[o+k] = int32(x)
			if odd && k >= delta-(D-1) && k <= delta+(D-1) && x >= int(vb[o+k]) {
				return aLo + x, bLo + y
			}
		}
		for k := delta - D; k <= delta+D; k += 2 {
			var x int
			if k == delta+D || (k != delta-D && vb[o+k+1] > vb[o+k-1]) {
				x = int(vb[o+k-1]) // up: an insert, seen backward
			} else {
				x = int(vb[o+k+1]) - 1 // left: a delete, seen backward
			}
			y := x - k
			for x > 0 && y > 0 && a[aLo+x-1] == b[bLo+y-1] {
				x, y = x-1, y-1
			}
			vb[o+k] = int32(x)
			if !odd && k >= -D && k <= D && x <= int(vf[o+k]) {
				return aLo + x, bLo + y
			}
		}
	}
	panic("textdiff: no middle snake") // unreachable: the searches meet by D = ⌈(n+m)/2⌉
}

// script turns the change marks into the edit script.
func (d *differ) script(a, b []string) []Op {
	ops := make([]Op, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && d.delA[i]:
			ops = append(ops, Op{Delete, a[i]})
			i++
		case j < len(b) && d.insB[j]:
			ops = append(ops, Op{Insert, b[j]})
			j++
		default:
			ops = append(ops, Op{Keep, a[i]})
			i, j = i+1, j+1
		}
	}
	return ops
}
