package plan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/agentform/agentform/pkg/provider"
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

// longText is how long a single-line string may be before it is shown as a
// line diff.
const longText = 80

// RenderText writes p for a terminal: one section per location, one line per
// change, one line per changed field (long texts as line diffs) and the
// summary line last.
func RenderText(w io.Writer, p *Plan, o RenderOptions) error {
	bw := bufio.NewWriter(w)
	t := textWriter{w: bw, color: o.Color}
	for _, tp := range p.Targets {
		if tp.Error == "" && len(tp.Changes) == 0 {
			continue
		}
		t.target(tp, "  ")
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

// textWriter writes the text form, with or without colours.
type textWriter struct {
	w     *bufio.Writer
	color bool
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

// target writes one target; indent prefixes its changes.
func (t textWriter) target(tp TargetPlan, indent string) {
	head := targetTitle(tp)
	if tp.Name != "" {
		head += fmt.Sprintf(" %q", tp.Name)
	}
	if tp.File != "" {
		head += " (" + tp.File + ")"
	}
	t.line(t.paint(ansiBold, head))
	if tp.Error != "" {
		for _, l := range strings.Split(tp.Error, "\n") {
			t.line(indent + t.paint(ansiRed, "error: "+l))
		}
		return
	}
	t = t.withReads(tp)
	for _, c := range tp.Changes {
		t.change(c, indent)
	}
}

// targetTitle names a target: "Location loc-a".
func targetTitle(tp TargetPlan) string {
	kind := tp.Kind
	if kind == "" {
		kind = "target"
	}
	return strings.ToUpper(kind[:1]) + kind[1:] + " " + tp.ID
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

func (t textWriter) change(c Change, indent string) {
	st := opStyle[c.Op]
	head := indent + t.paint(st.color, st.sym+" "+c.Title())
	if c.ID != "" && c.Op != OpCreate {
		head += t.paint(ansiDim, " ("+c.ID+")")
	}
	if note := c.DriftNote(); note != "" {
		head += " " + t.paint(ansiCyan, note)
	}
	t.line(head)
	sub := indent + "    "
	if c.Reason != "" {
		t.line(sub + t.paint(ansiDim, "# "+c.Reason))
	}
	switch c.Op {
	case OpCreate:
		if !c.Named() || len(c.Diffs) == 0 {
			for _, f := range flatten("", c.After) {
				t.field(sub, FieldDiff{Path: f.Path, After: f.After}, "+", ansiGreen)
			}
			return
		}
	case OpReplace:
		for _, f := range flatten("", c.After) {
			if d, ok := c.diff(f.Path); ok { // the field that forces the replace
				t.field(sub, d, "~", ansiYellow)
				continue
			}
			t.field(sub, FieldDiff{Path: f.Path, After: f.After}, "+", ansiGreen)
		}
		return
	case OpDelete, OpReport:
		return
	}
	for _, d := range c.Diffs {
		t.field(sub, d, "~", ansiYellow)
	}
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
	kind := ""
	for _, tp := range p.Targets {
		switch {
		case tp.Kind == "" || tp.Kind == kind:
		case kind == "":
			kind = tp.Kind
		default:
			kind = "target"
		}
	}
	if kind == "" {
		kind = "location"
	}
	if n == 1 {
		return kind
	}
	return kind + "s"
}

// field writes one field change: `~ path: "old" → "new"`, or a line diff for
// long texts. A drift field reads `~ path (drift): ...`.
func (t textWriter) field(indent string, d FieldDiff, sym, color string) {
	path := d.Path
	if d.Drift {
		path += " " + t.paint(ansiCyan, "(drift)") + t.resume(color)
	}
	bs, bok := d.Before.(string)
	as, aok := d.After.(string)
	if (aok || d.After == nil) && (bok || d.Before == nil) && (isLong(bs) || isLong(as)) {
		t.line(indent + t.paint(color, sym+" "+path+":"))
		var ops []lineOp
		if d.Before == nil {
			for _, l := range strings.Split(as, "\n") {
				ops = append(ops, lineOp{'+', l})
			}
		} else {
			ops = unified(lineDiff(bs, as))
		}
		for _, o := range ops {
			switch o.op {
			case '-':
				t.line(indent + "    " + t.paint(ansiRed, "- "+o.text))
			case '+':
				t.line(indent + "    " + t.paint(ansiGreen, "+ "+o.text))
			case ' ':
				t.line(indent + "      " + o.text)
			default:
				t.line(indent + "    " + t.paint(ansiDim, o.text))
			}
		}
		return
	}
	if sym == "+" {
		t.line(indent + t.paint(color, fmt.Sprintf("+ %s: %s", path, t.show(d.After))))
		return
	}
	t.line(indent + t.paint(color, fmt.Sprintf("%s %s: %s → %s", sym, path, t.show(d.Before), t.show(d.After))))
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

// show shows a value as JSON; a missing value as "(none)".
func show(v any) string {
	if v == nil {
		return "(none)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
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
// the Plan type for the schema).
func RenderJSON(w io.Writer, p *Plan) error { return Save(w, p) }
