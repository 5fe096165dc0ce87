package plan

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
)

// DefaultMarkdownBytes is GitHub's limit on a comment (65,536 characters).
const DefaultMarkdownBytes = 65536

// markdownReserve is room kept for the truncation note and the summary line.
const markdownReserve = 512

// RenderMarkdown writes p for a pull-request comment: a table of the changes
// by kind (kinds with destructive changes first) with their totals, the
// targets that could not be planned, the destructive changes, then the
// drift (changes that undo edits made outside agentform; with a baseline
// only), then the sections of group.go: a change made identically in many
// targets once, under the list of its targets (sections of many targets
// are open, the full list folded), each target's own changes in a
// collapsible block. In the diff blocks every line starts with its change
// symbol, so GitHub colours it. With a baseline the table has a Drift
// column and drift changes are labelled everywhere. The output stays under
// maxBytes (DefaultMarkdownBytes when 0): sections that do not fit are left
// out with a note.
func RenderMarkdown(w io.Writer, p *Plan, maxBytes int) error {
	if maxBytes <= 0 {
		maxBytes = DefaultMarkdownBytes
	}
	var head bytes.Buffer
	head.WriteString("### agentform plan\n\n")
	mdTable(&head, p)
	if failed := failedIDs(p); len(failed) > 0 {
		fmt.Fprintf(&head, ":x: **%d of %d %s could not be planned:** %s\n\n", len(failed), len(p.Targets), p.targetNoun(2), foldIDs(failed, 10))
	}

	var destructive, drift []string
	for _, g := range groups(p) {
		ch := g.change
		item := "- " + mdEscape(ch.Title())
		where := " in " + fmt.Sprint(len(g.targets)) + " " + targetsNoun(p.Targets, g.targets, len(g.targets))
		if len(g.targets) == 1 {
			item, where = fmt.Sprintf("- `%s` %s", p.Targets[g.targets[0]].ID, mdEscape(ch.Title())), ""
		}
		if ch.Op == OpDelete || ch.Op == OpReplace {
			destructive = append(destructive, item+mdDriftLabel(ch)+where)
		}
		if ch.Drift && ch.Op != OpReport {
			drift = append(drift, item+" "+mdEscape(ch.DriftNote())+driftFields(ch)+where)
		}
	}
	summary := "**" + SummaryLine(p) + "**\n"
	budget := maxBytes - markdownReserve - len(summary)
	mdList(&head, ":warning: **Destructive changes**", destructive, "destructive changes", budget/2)
	mdList(&head, ":leftwards_arrow_with_hook: **"+DriftLine(p)+"** Live state was changed by hand; this plan puts back what the base branch declares.",
		drift, "drift changes", budget/2)

	secs := sections(p)
	shared := sharedCounts(p, secs)
	var out bytes.Buffer
	out.Write(head.Bytes())
	for i, s := range secs {
		text := mdSection(p, shared, s, true)
		if out.Len()+len(text) > budget && s.multi() {
			text = mdSection(p, shared, s, false) // without the full list of targets
		}
		if out.Len()+len(text) > budget {
			var rest []int
			seen := map[int]bool{}
			for _, r := range secs[i:] {
				for _, ti := range r.targets {
					if !seen[ti] {
						seen[ti] = true
						rest = append(rest, ti)
					}
				}
			}
			slices.Sort(rest)
			fmt.Fprintf(&out, "… %d more %s not shown; see the job summary\n\n", len(rest), targetsNoun(p.Targets, rest, len(rest)))
			break
		}
		out.WriteString(text)
	}
	out.WriteString(summary)
	_, err := w.Write(out.Bytes())
	return err
}

// mdTable writes the counts by kind and operation, and their totals. Kinds
// with deletes or replaces come first.
func mdTable(b *bytes.Buffer, p *Plan) {
	c := p.Count()
	noun := p.targetNoun(2)
	noun = strings.ToUpper(noun[:1]) + noun[1:]
	type counts struct {
		n       map[Op]int
		drift   int
		targets int
	}
	rows := kindRows(p)
	var kinds []string
	byKind := map[string]*counts{}
	targets := map[string]map[int]bool{}
	for ti, tp := range p.Targets {
		for _, ch := range tp.Changes {
			if ch.Op == OpReport {
				continue
			}
			if targets[ch.Kind] == nil {
				targets[ch.Kind] = map[int]bool{}
			}
			targets[ch.Kind][ti] = true
		}
	}
	for _, r := range rows {
		k := byKind[r.kind]
		if k == nil {
			k = &counts{n: map[Op]int{}, targets: len(targets[r.kind])}
			byKind[r.kind] = k
			kinds = append(kinds, r.kind) // rows list deletes, then replaces first
		}
		k.n[r.op] += r.changes
		k.drift += r.drift
	}
	cols := "| Kind | Create | Update | Replace | Delete |"
	align := "|---|---:|---:|---:|---:|"
	if p.Baseline {
		cols += " Drift |"
		align += "---:|"
	}
	fmt.Fprintf(b, "%s %s |\n%s---:|\n", cols, noun, align)
	for _, kind := range kinds {
		k := byKind[kind]
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d |", mdEscape(kindNoun(kind, 2)), k.n[OpCreate], k.n[OpUpdate], k.n[OpReplace], k.n[OpDelete])
		if p.Baseline {
			fmt.Fprintf(b, " %d |", k.drift)
		}
		fmt.Fprintf(b, " %d |\n", k.targets)
	}
	fmt.Fprintf(b, "| **Total** | %d | %d | %d | %d |", c.Create, c.Update, c.Replace, c.Delete)
	if p.Baseline {
		fmt.Fprintf(b, " %d |", c.Drift)
	}
	fmt.Fprintf(b, " %d of %d |\n\n", c.Targets, len(p.Targets))
}

// failedIDs are the ids of the targets that could not be planned.
func failedIDs(p *Plan) []string {
	var out []string
	for _, tp := range p.Targets {
		if tp.Error != "" {
			out = append(out, tp.ID)
		}
	}
	return out
}

// foldIDs writes ids as code, the first n of them and a count of the rest.
func foldIDs(ids []string, n int) string {
	var parts []string
	for _, id := range ids[:min(len(ids), n)] {
		parts = append(parts, "`"+id+"`")
	}
	s := strings.Join(parts, ", ")
	if len(ids) > n {
		s += fmt.Sprintf(" and %d more", len(ids)-n)
	}
	return s
}

// mdList writes a titled bullet list into head while head stays under limit;
// the rest is counted in a note. An empty list writes nothing.
func mdList(head *bytes.Buffer, title string, items []string, what string, limit int) {
	if len(items) == 0 {
		return
	}
	head.WriteString(title + "\n\n")
	for i, it := range items {
		if head.Len()+len(it)+1 > limit {
			fmt.Fprintf(head, "- … %d more %s not shown; see the job summary\n", len(items)-i, what)
			break
		}
		head.WriteString(it + "\n")
	}
	head.WriteString("\n")
}

// mdDriftLabel is " **(drift)**" for a drift change, else "".
func mdDriftLabel(c Change) string {
	if !c.Drift {
		return ""
	}
	return " **(drift)**"
}

// driftFields lists a change's drift fields: ": `mode`, `instructions`".
func driftFields(c Change) string {
	var paths []string
	for _, d := range c.Diffs {
		if d.Drift {
			paths = append(paths, "`"+strings.ReplaceAll(d.Path, "`", "'")+"`")
		}
	}
	if len(paths) == 0 {
		return ""
	}
	return ": " + strings.Join(paths, ", ")
}

// mdSection is one section as a <details> block with its diff: a target's
// (collapsed), or a shared one (open) under the list of its targets, the
// full list folded when full is set and the heading folds some.
func mdSection(p *Plan, shared []int, s section, full bool) string {
	var b bytes.Buffer
	code := func(id string) string { return "<code>" + id + "</code>" }
	tick := func(id string) string { return "`" + id + "`" }
	changes := s.changes()
	if s.multi() {
		fmt.Fprintf(&b, "<details open><summary><b>%d %s</b> — %s in each</summary>\n\n",
			len(s.targets), targetsNoun(p.Targets, s.targets, len(s.targets)), htmlEscape(changeCounts(changes)))
		if list, folded := targetList(p, s.targets, code); full && folded {
			_, ids, _ := strings.Cut(list, ": ")
			fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", upperFirst(ids))
			for i, ti := range s.targets {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(tick(p.Targets[ti].ID))
			}
			b.WriteString("\n\n</details>\n\n")
		} else {
			b.WriteString(upperFirst(list) + "\n\n")
		}
	} else {
		tp := p.Targets[s.targets[0]]
		title := code(tp.ID)
		if tp.Name != "" {
			title += " " + htmlEscape(tp.Name)
		}
		if s.err != "" {
			title += " — :x: failed"
		} else {
			counts := changeCounts(changes)
			if n := shared[s.targets[0]]; n > 0 {
				counts += fmt.Sprintf(", %d shown above", n)
			}
			title += " — " + htmlEscape(counts)
		}
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", title)
	}
	b.WriteString("````diff\n")
	bw := bufio.NewWriter(&b)
	t := textWriter{w: bw, md: true, noIDs: s.multi()}.withReads(p.Targets[s.targets[0]])
	if s.err != "" {
		for _, l := range strings.Split(s.err, "\n") {
			t.line("! error: " + l)
		}
	}
	for _, c := range changes {
		t.change(c, "")
	}
	bw.Flush()
	b.WriteString("````\n\n</details>\n\n")
	return b.String()
}

// changeCounts sums up changes: "2 to create, 1 to delete, 1 drift".
func changeCounts(changes []Change) string {
	n := map[Op]int{}
	drift := 0
	for _, c := range changes {
		n[c.Op]++
		if c.Drift && c.Op != OpReport {
			drift++
		}
	}
	var parts []string
	for _, op := range []Op{OpCreate, OpUpdate, OpReplace, OpDelete} {
		if n[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n[op], op))
		}
	}
	if drift > 0 {
		parts = append(parts, fmt.Sprintf("%d drift", drift))
	}
	if n[OpReport] > 0 {
		parts = append(parts, fmt.Sprintf("%d note(s)", n[OpReport]))
	}
	return strings.Join(parts, ", ")
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// upperFirst capitalizes s's first letter.
func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "`", "\\`", "|", "\\|")

func mdEscape(s string) string { return mdEscaper.Replace(s) }
