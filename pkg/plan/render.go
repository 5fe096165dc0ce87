package plan

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// RenderOptions tune RenderText.
type RenderOptions struct {
	// Color adds ANSI colours; the caller decides (TTY, NO_COLOR, --no-color).
	Color bool
}

// ANSI colours of the text output.
const (
	ansiReset  = "\x1b[0m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiDim    = "\x1b[2m"
	ansiBold   = "\x1b[1m"
)

// longText is how long a single-line string, or a list written on one line,
// may be before it is shown line by line (a line diff, one item a line).
const longText = 80

// RenderText writes p for a terminal: the changes counted by kind and
// operation (destructive ones first), then the changes in sections (see
// "Grouping" in group.go: a change made identically in many targets is
// written once, with the targets), one line per change and per changed
// field with where its value was written, long texts and lists line by
// line, and the summary line last.
func RenderText(w io.Writer, p *Plan, o RenderOptions) error {
	bw := bufio.NewWriter(w)
	t := textWriter{w: bw, color: o.Color}
	secs := sections(p)
	if rows := kindRows(p); len(rows) > 0 {
		t.line(t.paint(ansiBold, "Changes:"))
		t.kindTable(p, rows)
		t.line("")
	}
	shared := sharedCounts(p, secs)
	for _, s := range secs {
		t.section(p, shared, s)
		t.line("")
	}
	if n := p.Count().Failed; n > 0 {
		t.line(t.paint(ansiRed, fmt.Sprintf("%d of %d %s could not be planned.", n, len(p.Targets), p.targetNoun(2))))
	}
	if d := DriftLine(p); d != "" {
		t.line(t.paint(ansiCyan, d))
	}
	t.line(SummaryLine(p))
	return bw.Flush()
}

// SummaryLine is the last line of the text output, such as
// "Plan: 3 to create, 5 to update, 1 to delete across 4 of 120 locations."
func SummaryLine(p *Plan) string {
	line := summaryLine(p)
	if p.Shard != "" {
		line += " (shard " + p.Shard + " of the run only)"
	}
	return line
}

// DriftLine says how many changes undo edits made outside agentform, such as
// "Drift: 2 changes undo edits made outside agentform.", or is "" when none
// does (always without a baseline). RenderText writes it just before the
// summary line, which stays last.
func DriftLine(p *Plan) string {
	switch n := p.Count().Drift; n {
	case 0:
		return ""
	case 1:
		return "Drift: 1 change undoes an edit made outside agentform."
	default:
		return fmt.Sprintf("Drift: %d changes undo edits made outside agentform.", n)
	}
}

// DriftNote is the note a drift change carries in text and Markdown: what
// happened outside agentform. It is "" when c is not drift.
func (c Change) DriftNote() string {
	switch {
	case !c.Drift:
		return ""
	case c.Named() && c.Op == OpCreate:
		return "(drift: deleted outside agentform)"
	case c.Op == OpDelete:
		return "(drift: added outside agentform)"
	}
	return "(drift: changed outside agentform)"
}

func summaryLine(p *Plan) string {
	c := p.Count()
	if c.Targets == 0 {
		n := len(p.Targets) - c.Failed
		if c.Failed > 0 && n == 0 {
			return "No " + p.targetNoun(1) + " could be planned."
		}
		if n == 1 {
			return "No changes. 1 " + p.targetNoun(1) + " is up to date."
		}
		return fmt.Sprintf("No changes. %d %s are up to date.", n, p.targetNoun(n))
	}
	s := fmt.Sprintf("Plan: %d to create, %d to update, %d to delete", c.Create, c.Update, c.Delete)
	if c.Replace > 0 {
		s += fmt.Sprintf(", %d to replace", c.Replace)
	}
	return s + fmt.Sprintf(" across %d of %d %s.", c.Targets, len(p.Targets), p.targetNoun(2))
}

// stringWriter is where a textWriter writes: a bufio.Writer, a
// strings.Builder.
type stringWriter interface {
	WriteString(string) (int, error)
}

// textWriter writes the text form, with or without colours, and the diff
// blocks of the Markdown form.
type textWriter struct {
	w     stringWriter
	color bool
	// md writes for a ```diff block: every line starts with its change
	// symbol (GitHub colours diff lines by their first character), the
	// indent follows it.
	md bool
	// noIDs leaves the live ids out of change lines: a change written once
	// for many targets has one id in each.
	noIDs bool
	// names labels the ids of the objects the target's references resolved
	// to (TargetPlan.Reads): `calendar "Cleanings"`.
	names map[string]string
}

// withReads returns t labelling the ids of tp's reads.
func (t textWriter) withReads(tp TargetPlan) textWriter {
	t.names = nil
	for _, rd := range tp.Reads {
		if t.names == nil {
			t.names = map[string]string{}
		}
		t.names[rd.ID] = rd.Kind + " " + rd.Key.String()
	}
	return t
}

func (t textWriter) line(s string) { t.w.WriteString(s + "\n") }

// row writes one line of a change: its symbol (which gives its colour), at
// indent, and its body. A line without a symbol (the unchanged lines of a
// line diff) is written where a symbol's body would start, uncoloured.
func (t textWriter) row(indent, sym, color, body string) {
	switch {
	case sym == "":
		line := indent + "  " + body
		if t.md {
			line = " " + indent + " " + body
		}
		t.line(strings.TrimRight(line, " "))
	case t.md:
		t.line(sym + indent + " " + body)
	default:
		t.line(indent + t.paint(color, sym+" "+body))
	}
}

func (t textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

// resume switches back to colour code after a nested paint ("" without
// colours).
func (t textWriter) resume(code string) string {
	if !t.color {
		return ""
	}
	return code
}

// targetTitle names a target: "Location loc-a".
func targetTitle(tp TargetPlan) string {
	kind := tp.Kind
	if kind == "" {
		kind = "target"
	}
	return strings.ToUpper(kind[:1]) + kind[1:] + " " + tp.ID
}

// targetHead is a target's heading: `Location loc-a "Clinic" (clinic.yaml)`.
func targetHead(tp TargetPlan) string {
	head := targetTitle(tp)
	if tp.Name != "" {
		head += fmt.Sprintf(" %q", tp.Name)
	}
	if tp.File != "" {
		head += " (" + tp.File + ")"
	}
	return head
}

// symbols and colours of each operation.
var opStyle = map[Op]struct{ sym, color string }{
	OpCreate:  {"+", ansiGreen},
	OpUpdate:  {"~", ansiYellow},
	OpDelete:  {"-", ansiRed},
	OpReplace: {"-/+", ansiRed},
	OpReport:  {"#", ansiDim},
}

// Title names a change for humans: `create action "Front Desk"/"Book"`,
// `update follow-up settings of "Front Desk"`, `actions of "Support"`.
func (c Change) Title() string {
	obj := c.Object()
	if c.Op == OpReport {
		return obj
	}
	return string(c.Op) + " " + obj
}

// Object names the changed object: `action "Front Desk"/"Book"`; a
// singleton by its kind's title and its parent (`follow-up settings of
// "Front Desk"`); a report about a parent's children by their plural
// (`actions of "Support"`).
func (c Change) Object() string {
	if c.Named() {
		return c.Kind + " " + c.Key.String()
	}
	title := c.Kind
	if k := provider.Describe(c.Kind); k != nil {
		switch {
		case k.Singleton && k.Title != "":
			title = k.Title
		case !k.Singleton && k.Plural != "":
			title = k.Plural
		}
	}
	return title + " of " + c.Key.String()
}

// change writes one change and its fields at indent.
func (t textWriter) change(c Change, indent string) {
	st := opStyle[c.Op]
	body := c.Title()
	if t.md {
		if c.ID != "" && c.Op != OpCreate && !t.noIDs {
			body += " (" + c.ID + ")"
		}
		if note := c.DriftNote(); note != "" {
			body += " " + note
		}
		t.row(indent, st.sym, st.color, body)
	} else {
		head := indent + t.paint(st.color, st.sym+" "+body)
		if c.ID != "" && c.Op != OpCreate && !t.noIDs {
			head += t.paint(ansiDim, " ("+c.ID+")")
		}
		if note := c.DriftNote(); note != "" {
			head += " " + t.paint(ansiCyan, note)
		}
		t.line(head)
	}
	sub := indent + "    "
	if c.Reason != "" {
		t.row(sub, "#", ansiDim, c.Reason)
	}
	switch c.Op {
	case OpCreate:
		if !c.Named() || len(c.Diffs) == 0 {
			for _, f := range flatten("", c.After) {
				f.Source = c.Sources[f.Path]
				t.field(sub, f, "+", ansiGreen)
			}
			return
		}
	case OpReplace:
		for _, f := range flatten("", c.After) {
			if d, ok := c.diff(f.Path); ok { // the field that forces the replace
				t.field(sub, d, "~", ansiYellow)
				continue
			}
			f.Source = c.Sources[f.Path]
			t.field(sub, f, "+", ansiGreen)
		}
		return
	case OpDelete, OpReport:
		return
	}
	for _, d := range c.fieldDiffs() {
		t.field(sub, d, "~", ansiYellow)
	}
}

// fieldDiffs are the change's diffs with the lists its kind keys
// (value.Normalizer.Keys) split into their items, so a one-word change in
// one step of a list reads as that step's field.
func (c Change) fieldDiffs() []FieldDiff {
	k := provider.Describe(c.Kind)
	if k == nil || len(k.Normalize.Keys) == 0 {
		return c.Diffs
	}
	var out []FieldDiff
	for _, d := range c.Diffs {
		out = append(out, k.Normalize.Elements(d)...)
	}
	return out
}

// diff returns the change's diff of the field at path.
func (c Change) diff(path string) (FieldDiff, bool) {
	for _, d := range c.Diffs {
		if d.Path == path {
			return d, true
		}
	}
	return FieldDiff{}, false
}

// targetNoun is the word for n of the plan's targets: their kind when they
// share one ("locations"; "location" too for targets without a kind), else
// "targets".
func (p *Plan) targetNoun(n int) string {
	return targetsNoun(p.Targets, nil, n)
}

// targetsNoun is targetNoun for the targets of p at idx (all when idx is
// nil).
func targetsNoun(targets []TargetPlan, idx []int, n int) string {
	kind := ""
	see := func(tp TargetPlan) {
		switch {
		case tp.Kind == "" || tp.Kind == kind:
		case kind == "":
			kind = tp.Kind
		default:
			kind = "target"
		}
	}
	if idx == nil {
		for _, tp := range targets {
			see(tp)
		}
	}
	for _, i := range idx {
		see(targets[i])
	}
	if kind == "" {
		kind = "location"
	}
	if n == 1 {
		return kind
	}
	return kind + "s"
}

// field writes one field change: `~ path (file:line): "old" → "new"`; long
// texts as a line diff, long lists and lists of objects one item a line, an
// item added to or removed from a keyed list as `+ path[key=v]: {...}`. A
// drift field reads `~ path (drift): "old" → "new" (file:line)`.
func (t textWriter) field(indent string, d FieldDiff, sym, color string) {
	item := sym == "~" && value.IsElementPath(d.Path) && (d.Before == nil) != (d.After == nil)
	if item { // an item added to, or removed from, a keyed list
		sym, color = "+", ansiGreen
		if d.After == nil {
			sym, color = "-", ansiRed
		}
	}
	// The source follows the path; a drift field keeps `path (drift):`
	// and its source ends the line.
	label, tail := d.Path, ""
	if d.Source != "" {
		src := " (" + d.Source + ")"
		if !t.md {
			src = " " + t.paint(ansiDim, "("+d.Source+")") + t.resume(color)
		}
		if d.Drift {
			tail = src
		} else {
			label += src
		}
	}
	if d.Drift {
		if t.md {
			label += " (drift)"
		} else {
			label += " " + t.paint(ansiCyan, "(drift)") + t.resume(color)
		}
	}
	switch {
	case item && d.After == nil:
		t.row(indent, sym, color, label+": "+t.show(d.Before)+tail)
		return
	case item:
		t.row(indent, sym, color, label+": "+t.show(d.After)+tail)
		return
	}
	if ops, ok := t.lines(d); ok {
		t.row(indent, sym, color, label+":"+tail)
		for _, o := range ops {
			switch o.op {
			case '-':
				t.row(indent+"    ", "-", ansiRed, o.text)
			case '+':
				t.row(indent+"    ", "+", ansiGreen, o.text)
			case ' ':
				t.row(indent+"    ", "", "", o.text)
			default: // a gap
				if t.md {
					t.line(" " + indent + "    " + o.text)
				} else {
					t.line(indent + "    " + t.paint(ansiDim, o.text))
				}
			}
		}
		return
	}
	if sym == "+" {
		t.row(indent, sym, color, label+": "+t.show(d.After)+tail)
		return
	}
	t.row(indent, sym, color, fmt.Sprintf("%s: %s → %s%s", label, t.show(d.Before), t.show(d.After), tail))
}

// lines returns the line-by-line form of a field change, when it needs one:
// a line diff of long texts, or a diff of lists one item a line (lists of
// objects always, other lists when they do not fit on a line).
func (t textWriter) lines(d FieldDiff) ([]lineOp, bool) {
	bs, bok := d.Before.(string)
	as, aok := d.After.(string)
	if (aok || d.After == nil) && (bok || d.Before == nil) && (isLong(bs) || isLong(as)) {
		if d.Before == nil {
			return allLines('+', strings.Split(as, "\n")), true
		}
		return unified(lineDiff(bs, as)), true
	}
	bl, bok := d.Before.([]any)
	al, aok := d.After.([]any)
	if !(bok || d.Before == nil) || !(aok || d.After == nil) || (!bok && !aok) {
		return nil, false
	}
	if !hasObjects(bl) && !hasObjects(al) && len(t.show(d.Before))+len(t.show(d.After)) <= longText {
		return nil, false
	}
	items := func(l []any) []string {
		out := make([]string, len(l))
		for i, e := range l {
			out[i] = t.show(e)
		}
		return out
	}
	if !bok {
		return allLines('+', items(al)), true
	}
	if !aok {
		return allLines('-', items(bl)), true
	}
	return unified(lineOps(items(bl), items(al))), true
}

// allLines marks every line with op.
func allLines(op byte, lines []string) []lineOp {
	out := make([]lineOp, len(lines))
	for i, l := range lines {
		out[i] = lineOp{op, l}
	}
	return out
}

// hasObjects reports whether a list holds an object or a list.
func hasObjects(l []any) bool {
	for _, e := range l {
		switch e.(type) {
		case map[string]any, []any:
			return true
		}
	}
	return false
}

func isLong(s string) bool { return strings.Contains(s, "\n") || len(s) > longText }

// show shows a value as show does, the ids of resolved references labelled
// with what they name: "cal1" (calendar "Cleanings").
func (t textWriter) show(v any) string {
	label := func(s string) (string, bool) {
		name, ok := t.names[s]
		if !ok {
			return "", false
		}
		return show(s) + " (" + name + ")", true
	}
	switch x := v.(type) {
	case string:
		if l, ok := label(x); ok {
			return l
		}
	case []any:
		labelled := false
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(e)
			if s, ok := e.(string); ok {
				if l, ok := label(s); ok {
					parts[i], labelled = l, true
				}
			}
		}
		if labelled {
			return "[" + strings.Join(parts, ", ") + "]"
		}
	}
	return show(v)
}

// show shows a value as JSON, with &, < and > as they are (they are text
// here, not HTML); a missing value as "(none)".
func show(v any) string {
	if v == nil {
		return "(none)"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// flatten lists the leaves of a JSON object as dotted paths, sorted; lists
// are leaves.
func flatten(prefix string, m map[string]any) []FieldDiff {
	var out []FieldDiff
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if sub, ok := m[k].(map[string]any); ok && len(sub) > 0 {
			out = append(out, flatten(p, sub)...)
			continue
		}
		out = append(out, FieldDiff{Path: p, After: m[k]})
	}
	return out
}

// RenderJSON writes p in its JSON form, the same document Save writes (see
// the Plan type for the schema). It keeps every change of every target:
// grouping is only how text and Markdown show them.
func RenderJSON(w io.Writer, p *Plan) error { return Save(w, p) }
