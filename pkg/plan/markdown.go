package plan

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// DefaultMarkdownBytes is GitHub's limit on a comment (65,536 characters).
const DefaultMarkdownBytes = 65536

// markdownReserve is room kept for the truncation note and the summary line.
const markdownReserve = 512

// RenderMarkdown writes p for a pull-request comment: a summary table, the
// destructive changes first, then the drift (changes that undo edits made
// outside agentform; with a baseline only), then one collapsible section per
// location with changes or an error. With a baseline the table has a Drift
// column and drift changes are labelled everywhere. The output stays under maxBytes (DefaultMarkdownBytes
// when 0): sections that do not fit are left out with a note.
func RenderMarkdown(w io.Writer, p *Plan, maxBytes int) error {
	if maxBytes <= 0 {
		maxBytes = DefaultMarkdownBytes
	}
	var head bytes.Buffer
	c := p.Count()
	head.WriteString("### agentform plan\n\n")
	noun := p.targetNoun(2)
	noun = strings.ToUpper(noun[:1]) + noun[1:]
	if p.Baseline {
		fmt.Fprintf(&head, "| Create | Update | Replace | Delete | Drift | %s changed | Failed | Planned |\n", noun)
		head.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&head, "| %d | %d | %d | %d | %d | %d | %d | %d |\n\n", c.Create, c.Update, c.Replace, c.Delete, c.Drift, c.Targets, c.Failed, len(p.Targets))
	} else {
		fmt.Fprintf(&head, "| Create | Update | Replace | Delete | %s changed | Failed | Planned |\n", noun)
		head.WriteString("|---:|---:|---:|---:|---:|---:|---:|\n")
		fmt.Fprintf(&head, "| %d | %d | %d | %d | %d | %d | %d |\n\n", c.Create, c.Update, c.Replace, c.Delete, c.Targets, c.Failed, len(p.Targets))
	}

	var destructive, drift []string
	for _, tp := range p.Targets {
		for _, ch := range tp.Changes {
			item := fmt.Sprintf("- `%s` %s", tp.ID, mdEscape(ch.Title()))
			if ch.Op == OpDelete || ch.Op == OpReplace {
				destructive = append(destructive, item+mdDriftLabel(ch))
			}
			if ch.Drift && ch.Op != OpReport {
				drift = append(drift, item+" "+mdEscape(ch.DriftNote())+driftFields(ch))
			}
		}
	}
	summary := "**" + SummaryLine(p) + "**\n"
	budget := maxBytes - markdownReserve - len(summary)
	mdList(&head, ":warning: **Destructive changes**", destructive, "destructive changes", budget/2)
	mdList(&head, ":leftwards_arrow_with_hook: **"+DriftLine(p)+"** Live state was changed by hand; this plan puts back what the base branch declares.",
		drift, "drift changes", budget/2)

	var sections []string
	for _, tp := range p.Targets {
		if tp.Error == "" && len(tp.Changes) == 0 {
			continue
		}
		sections = append(sections, mdSection(tp))
	}
	var out bytes.Buffer
	out.Write(head.Bytes())
	for i, s := range sections {
		if out.Len()+len(s) > budget {
			fmt.Fprintf(&out, "… %d more %s not shown; see the job summary\n\n", len(sections)-i, p.targetNoun(len(sections)-i))
			break
		}
		out.WriteString(s)
	}
	out.WriteString(summary)
	_, err := w.Write(out.Bytes())
	return err
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

// mdSection is one target as a <details> block with its text rendering.
func mdSection(lp TargetPlan) string {
	var b bytes.Buffer
	title := "<code>" + lp.ID + "</code>"
	if lp.Name != "" {
		title += " " + htmlEscape(lp.Name)
	}
	if lp.Error != "" {
		title += " — :x: failed"
	} else {
		title += " — " + htmlEscape(locationCounts(lp))
	}
	fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n````diff\n", title)
	bw := bufio.NewWriter(&b)
	t := textWriter{w: bw}.withReads(lp)
	if lp.Error != "" {
		for _, l := range strings.Split(lp.Error, "\n") {
			t.line("! error: " + l)
		}
	}
	for _, c := range lp.Changes {
		t.change(c, "")
	}
	bw.Flush()
	b.WriteString("````\n\n</details>\n\n")
	return b.String()
}

// locationCounts sums up one target: "2 to create, 1 to delete".
func locationCounts(lp TargetPlan) string {
	n := map[Op]int{}
	drift := 0
	for _, c := range lp.Changes {
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

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "`", "\\`", "|", "\\|")

func mdEscape(s string) string { return mdEscaper.Replace(s) }
