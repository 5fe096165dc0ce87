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
// destructive changes first, then one collapsible section per location with
// changes or an error. The output stays under maxBytes (DefaultMarkdownBytes
// when 0): sections that do not fit are left out with a note.
func RenderMarkdown(w io.Writer, p *Plan, maxBytes int) error {
	if maxBytes <= 0 {
		maxBytes = DefaultMarkdownBytes
	}
	var head bytes.Buffer
	c := p.Count()
	head.WriteString("### agentform plan\n\n")
	head.WriteString("| Create | Update | Replace | Delete | Locations changed | Failed | Planned |\n")
	head.WriteString("|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&head, "| %d | %d | %d | %d | %d | %d | %d |\n\n", c.Create, c.Update, c.Replace, c.Delete, c.Locations, c.Failed, len(p.Locations))

	var destructive []string
	for _, lp := range p.Locations {
		for _, ch := range lp.Changes {
			if ch.Op == OpDelete || ch.Op == OpReplace {
				destructive = append(destructive, fmt.Sprintf("- `%s` %s", lp.LocationID, mdEscape(ch.Title())))
			}
		}
	}
	summary := "**" + SummaryLine(p) + "**\n"
	budget := maxBytes - markdownReserve - len(summary)
	if len(destructive) > 0 {
		head.WriteString(":warning: **Destructive changes**\n\n")
		for i, d := range destructive {
			if head.Len()+len(d)+1 > budget/2 {
				fmt.Fprintf(&head, "- … %d more destructive changes not shown; see the job summary\n", len(destructive)-i)
				break
			}
			head.WriteString(d + "\n")
		}
		head.WriteString("\n")
	}

	var sections []string
	for _, lp := range p.Locations {
		if lp.Error == "" && len(lp.Changes) == 0 {
			continue
		}
		sections = append(sections, mdSection(lp))
	}
	var out bytes.Buffer
	out.Write(head.Bytes())
	for i, s := range sections {
		if out.Len()+len(s) > budget {
			fmt.Fprintf(&out, "… %d more locations not shown; see the job summary\n\n", len(sections)-i)
			break
		}
		out.WriteString(s)
	}
	out.WriteString(summary)
	_, err := w.Write(out.Bytes())
	return err
}

// mdSection is one location as a <details> block with its text rendering.
func mdSection(lp LocationPlan) string {
	var b bytes.Buffer
	title := "<code>" + lp.LocationID + "</code>"
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
	t := textWriter{w: bw}
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

// locationCounts sums up one location: "2 to create, 1 to delete".
func locationCounts(lp LocationPlan) string {
	n := map[Op]int{}
	for _, c := range lp.Changes {
		n[c.Op]++
	}
	var parts []string
	for _, op := range []Op{OpCreate, OpUpdate, OpReplace, OpDelete} {
		if n[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n[op], op))
		}
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
