package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Diagnostic is one problem found in the manifests, at the YAML node where
// the offending value was written.
type Diagnostic struct {
	Pos Pos
	// Path names the field from the document's root, such as
	// "agents[0].actions[2].details.calendarId"; empty for file-level problems.
	Path    string
	Message string
}

// String formats d as "FILE:LINE:COL: PATH: MESSAGE", the form CI systems turn
// into annotations. Unknown parts are left out.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.Pos.File)
	if d.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", d.Pos.Line, d.Pos.Col)
	}
	b.WriteString(": ")
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is every problem found by one Load, sorted by file, line and
// column. It is the error Load returns for invalid manifests.
type Diagnostics []Diagnostic

// Error implements error: one diagnostic per line.
func (ds Diagnostics) Error() string { return ds.String() }

// String returns one line per diagnostic, without a trailing newline.
func (ds Diagnostics) String() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// sortAndDedupe orders diagnostics by file, line, column, path and message and
// drops exact repeats (a base used twice may fail the same way twice).
func (ds Diagnostics) sortAndDedupe() Diagnostics {
	slices.SortFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(ds)
}

// diags collects diagnostics while loading.
type diags struct{ list Diagnostics }

// add records a diagnostic. Anything shaped like a credential in the path or
// the message is replaced by redacted, so no producer can echo a token a
// manifest holds into text or JSON output.
func (d *diags) add(pos Pos, path, format string, args ...any) {
	d.list = append(d.list, Diagnostic{Pos: pos, Path: redact(path), Message: redact(fmt.Sprintf(format, args...))})
}
