package plan

// # Grouping
//
// A change made identically in many targets (a base's field reaching 300
// locations) is written once, with the targets it is made in. Two changes
// are identical when they render the same but for their live ids: the same
// operation, kind and key (the object's and its ancestors' names), reason
// and drift note, and the same field diffs (path, before, after, drift mark,
// source file and line, the names of the ids they reference); for a create
// or a replace the same fields and sources. Ids, parent ids, fingerprints,
// dependencies and whole before/after objects are not compared: they differ
// from target to target without changing what a reviewer approves.
//
// The changes shared by exactly the same targets form one section, written
// under the list of its targets (folded beyond a few); a target's own
// changes form a section of one target, under its heading as before; a
// target that could not be planned is a section with its error. Sections of
// many targets come first, the most targets first; then the single targets
// in plan order. Grouping is only how text and Markdown show a plan: the
// plan and its JSON keep every change of every target.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentform/agentform/pkg/provider"
)

// foldTargets is how many targets a section heading names before it folds
// the rest into a count.
const foldTargets = 5

// group is one change as it is made, identically, in one or more targets.
type group struct {
	change  Change // as in its first target
	targets []int  // indexes into Plan.Targets, in plan order
}

// section is the changes made in exactly the same targets.
type section struct {
	targets []int    // indexes into Plan.Targets, in plan order
	groups  []*group // in the first target's order
	// err is the error of a target that could not be planned (a section
	// of one target and no changes).
	err string
}

// multi reports whether the section is shared by several targets.
func (s section) multi() bool { return len(s.targets) > 1 }

// changes are the section's changes, as in its first target.
func (s section) changes() []Change {
	out := make([]Change, len(s.groups))
	for i, g := range s.groups {
		out[i] = g.change
	}
	return out
}

// groups returns the plan's changes grouped across targets, in order of
// first appearance.
func groups(p *Plan) []*group {
	byIdentity := map[string]*group{}
	var out []*group
	for ti, tp := range p.Targets {
		if tp.Error != "" {
			continue
		}
		t := textWriter{noIDs: true}.withReads(tp)
		seen := map[string]int{}
		for _, c := range tp.Changes {
			id := t.identity(c)
			seen[id]++
			if n := seen[id]; n > 1 { // the same change twice in a target stays two
				id += fmt.Sprintf("\x00%d", n)
			}
			g := byIdentity[id]
			if g == nil {
				g = &group{change: c}
				byIdentity[id] = g
				out = append(out, g)
			}
			g.targets = append(g.targets, ti)
		}
	}
	return out
}

// identity is what makes two changes identical: their rendering without
// ids (see Grouping).
func (t textWriter) identity(c Change) string {
	var b strings.Builder
	t.w = &b
	t.change(c, "")
	return b.String()
}

// sections returns the plan's sections, in the order they are written.
func sections(p *Plan) []section {
	bySet := map[string]*section{}
	var multi []*section
	single := map[int]*section{}
	for _, g := range groups(p) {
		key := fmt.Sprint(g.targets)
		s := bySet[key]
		if s == nil {
			s = &section{targets: g.targets}
			bySet[key] = s
			if len(g.targets) > 1 {
				multi = append(multi, s)
			} else {
				single[g.targets[0]] = s
			}
		}
		s.groups = append(s.groups, g)
	}
	slices.SortStableFunc(multi, func(a, b *section) int {
		if len(a.targets) != len(b.targets) {
			return len(b.targets) - len(a.targets)
		}
		return a.targets[0] - b.targets[0]
	})
	out := make([]section, 0, len(multi)+len(single))
	for _, s := range multi {
		out = append(out, *s)
	}
	for i, tp := range p.Targets {
		switch {
		case tp.Error != "":
			out = append(out, section{targets: []int{i}, err: tp.Error})
		case single[i] != nil:
			out = append(out, *single[i])
		}
	}
	return out
}

// sharedCounts counts, for every target, its changes written in sections of
// several targets.
func sharedCounts(p *Plan, secs []section) []int {
	out := make([]int, len(p.Targets))
	for _, s := range secs {
		if s.multi() {
			for _, i := range s.targets {
				out[i] += len(s.groups)
			}
		}
	}
	return out
}

// targetList names the targets of a section of several: all of them
// ("all 60 locations"), all but a few ("57 of 60 locations: all but
// loc-007, loc-013, loc-044"), or the first few and a count ("57
// locations: loc-001, loc-002, loc-003, loc-004, loc-005 and 52 more";
// folded is then true). quote wraps each id (code in Markdown).
func targetList(p *Plan, idx []int, quote func(string) string) (text string, folded bool) {
	n, all := len(idx), len(p.Targets)
	noun := targetsNoun(p.Targets, idx, n)
	if n == all {
		return fmt.Sprintf("all %d %s", n, noun), false
	}
	if missing := all - n; missing <= foldTargets && n > foldTargets {
		in := make(map[int]bool, n)
		for _, i := range idx {
			in[i] = true
		}
		var ids []string
		for i, tp := range p.Targets {
			if !in[i] {
				ids = append(ids, quote(tp.ID))
			}
		}
		return fmt.Sprintf("%d of %d %s: all but %s", n, all, targetsNoun(p.Targets, nil, all), strings.Join(ids, ", ")), false
	}
	var ids []string
	for _, i := range idx[:min(n, foldTargets)] {
		ids = append(ids, quote(p.Targets[i].ID))
	}
	text = fmt.Sprintf("%d %s: %s", n, noun, strings.Join(ids, ", "))
	if n > foldTargets {
		text += fmt.Sprintf(" and %d more", n-foldTargets)
	}
	return text, n > foldTargets
}

// section writes one section: a target's heading and its own changes (or
// its error), or the list of a shared section's targets and its changes.
func (t textWriter) section(p *Plan, shared []int, s section) {
	if s.multi() {
		head, _ := targetList(p, s.targets, func(id string) string { return id })
		t.line(t.paint(ansiBold, upperFirst(head)))
		t.noIDs = true
		t = t.withReads(p.Targets[s.targets[0]])
		for _, c := range s.changes() {
			t.change(c, "  ")
		}
		return
	}
	tp := p.Targets[s.targets[0]]
	t.line(t.paint(ansiBold, targetHead(tp)))
	if s.err != "" {
		for _, l := range strings.Split(s.err, "\n") {
			t.line("  " + t.paint(ansiRed, "error: "+l))
		}
		return
	}
	t = t.withReads(tp)
	for _, c := range s.changes() {
		t.change(c, "  ")
	}
	if n := shared[s.targets[0]]; n > 0 {
		t.line("  " + t.paint(ansiDim, fmt.Sprintf("# and %d %s shown above with other %s", n, plural(n, "change", "changes"), p.targetNoun(2))))
	}
}

// kindRow counts the changes of one operation on one kind.
type kindRow struct {
	op      Op
	kind    string
	changes int
	drift   int
	targets int
}

// opOrder is the order of operations in the counts: destructive first.
var opOrder = []Op{OpDelete, OpReplace, OpCreate, OpUpdate}

// kindRows counts the plan's changes by operation and kind (reports aside):
// deletes first, then replaces, creates and updates; kinds in order of
// first appearance.
func kindRows(p *Plan) []kindRow {
	var kinds []string
	type cell struct {
		changes, drift int
		targets        map[int]bool
	}
	cells := map[Op]map[string]*cell{}
	for ti, tp := range p.Targets {
		for _, c := range tp.Changes {
			if c.Op == OpReport {
				continue
			}
			if !slices.Contains(kinds, c.Kind) {
				kinds = append(kinds, c.Kind)
			}
			if cells[c.Op] == nil {
				cells[c.Op] = map[string]*cell{}
			}
			x := cells[c.Op][c.Kind]
			if x == nil {
				x = &cell{targets: map[int]bool{}}
				cells[c.Op][c.Kind] = x
			}
			x.changes++
			x.targets[ti] = true
			if c.Drift {
				x.drift++
			}
		}
	}
	var rows []kindRow
	for _, op := range opOrder {
		for _, k := range kinds {
			if x := cells[op][k]; x != nil {
				rows = append(rows, kindRow{op: op, kind: k, changes: x.changes, drift: x.drift, targets: len(x.targets)})
			}
		}
	}
	return rows
}

// kindNoun is the word for n objects of kind: "agent", "actions",
// "follow-up settings".
func kindNoun(kind string, n int) string {
	k := provider.Describe(kind)
	switch {
	case k != nil && k.Singleton && k.Title != "":
		return k.Title
	case n == 1:
		return kind
	case k != nil && k.Plural != "":
		return k.Plural
	}
	return kind + "s"
}

// kindTable writes the counts by operation and kind, one aligned line each:
// `  ~ update   60 agents   in 60 locations`.
func (t textWriter) kindTable(p *Plan, rows []kindRow) {
	width, nounWidth := 0, 0
	for _, r := range rows {
		width = max(width, len(fmt.Sprint(r.changes)))
		nounWidth = max(nounWidth, len(kindNoun(r.kind, r.changes)))
	}
	for _, r := range rows {
		st := opStyle[r.op]
		text := fmt.Sprintf("%-3s %-7s %*d %-*s in %d %s", st.sym, r.op, width, r.changes, nounWidth, kindNoun(r.kind, r.changes),
			r.targets, p.targetNoun(r.targets))
		line := "  " + t.paint(st.color, text)
		if r.drift > 0 {
			line += " " + t.paint(ansiCyan, fmt.Sprintf("(%d drift)", r.drift))
		}
		t.line(line)
	}
}

// plural returns one or many after n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
