package spec

import (
	"fmt"
	"slices"
	"strings"
)

// Variables: a document declares them under vars:; ${name} in any string
// value below is replaced by the variable's value, and $${ writes a literal
// ${. A variable's value may itself use other variables: it is expanded
// where it is used, recursively, and a cycle is an error at the variable's
// value.

// varDecl is one declared variable: a key under a vars: mapping.
type varDecl struct {
	name   string
	key    Pos   // where the name is written
	value  *node // as written, not expanded
	origin varOrigin
	file   *varsFile // the vars file declaring it (originVarsFile)
}

// varOrigin tells where a variable is declared, for the unused report.
type varOrigin int

const (
	originDocument varOrigin = iota // the document's own vars:
	originBase                      // a base file's default vars:
	originVarsFile                  // a vars file listed under varsFiles:
)

// declareVars returns the declarations of a vars: mapping, reporting names
// that are not letters, digits and _ at the name itself. Every declaration
// is registered for the unused-variable report.
func (l *loader) declareVars(vars *node, path string, origin varOrigin) []*varDecl {
	if vars == nil || vars.kind != mapKind {
		return nil
	}
	out := make([]*varDecl, 0, len(vars.fields))
	for _, f := range vars.fields {
		if !validVarName(f.key) {
			l.d.add(f.keyPos, joinPath(path, f.key), "invalid variable name %q: names are letters, digits and _, not starting with a digit", f.key)
			continue
		}
		decl := &varDecl{name: f.key, key: f.keyPos, value: f.value, origin: origin}
		out = append(out, decl)
		l.varDecls = append(l.varDecls, decl)
	}
	return out
}

// scope is the variables visible to one part of a document: for each name,
// its declarations from the nearest (the one used) to the farthest.
type scope map[string][]*varDecl

// with returns a new scope holding s's declarations over decls: names in s
// win, names only in decls are added.
func (s scope) with(decls []*varDecl) scope {
	out := make(scope, len(s)+len(decls))
	for name, ds := range s {
		out[name] = ds
	}
	for _, d := range decls {
		out[d.name] = append(slices.Clip(out[d.name]), d)
	}
	return out
}

// expander expands the variables of one part of a document (its location
// block, one agent) in one scope.
type expander struct {
	l     *loader
	scope scope
	// file is the document's file; usedBy is where the document uses a base
	// (zero when the part has none) and usedByPath its field path. Problems
	// found in a base or a vars file name both ends.
	file       string
	usedBy     Pos
	usedByPath string
	done       map[string]*node // expanded values
	active     []string         // variables being expanded, to find cycles
	missing    map[string]bool  // undefined names reported at usedBy
}

func (l *loader) newExpander(s scope, file string) *expander {
	return &expander{l: l, scope: s, file: file, done: map[string]*node{}, missing: map[string]bool{}}
}

// node returns a copy of n with every string expanded.
func (x *expander) node(n *node, path string) *node {
	if n == nil {
		return nil
	}
	switch n.kind {
	case mapKind:
		out := *n
		out.fields = make([]field, len(n.fields))
		for i, f := range n.fields {
			f.value = x.node(f.value, joinPath(path, f.key))
			out.fields[i] = f
		}
		return &out
	case seqKind:
		out := *n
		out.items = make([]*node, len(n.items))
		for i, it := range n.items {
			out.items[i] = x.node(it, fmt.Sprintf("%s[%d]", path, i))
		}
		return &out
	}
	s, ok := n.str()
	if !ok || !strings.Contains(s, "${") {
		return n
	}
	if name, whole := wholeReference(s); whole {
		// A list or mapping is used whole; a scalar is text, as elsewhere.
		v := x.value(n, name, path)
		if v != nil && v.kind != scalarKind {
			return v
		}
		out := *n
		out.value = ""
		if v != nil {
			out.value = scalarText(v)
		}
		return &out
	}
	out := *n
	out.value = x.text(n, s, path)
	return &out
}

// text expands the references in s, written at n.
func (x *expander) text(n *node, s, path string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				x.problem(n, path, "unterminated ${ (write $${ for a literal ${)")
				b.WriteString(s[i:])
				i = len(s)
				continue
			}
			name := s[i+2 : i+2+end]
			i += 2 + end + 1
			if !validVarName(name) {
				x.problem(n, path, fmt.Sprintf("invalid variable reference ${%s} (names are letters, digits and _)", name))
				continue
			}
			v := x.value(n, name, path)
			if v == nil {
				continue
			}
			if v.kind != scalarKind {
				x.problem(n, path, fmt.Sprintf("variable %s holds %s, which cannot be part of a text (use it as the whole value: ${%s})", name, describeValue(v.toJSON()), name))
				continue
			}
			b.WriteString(scalarText(v))
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// wholeReference reports whether s is exactly one reference ${name} to a
// well-formed name.
func wholeReference(s string) (string, bool) {
	name, ok := strings.CutPrefix(s, "${")
	if !ok {
		return "", false
	}
	name, ok = strings.CutSuffix(name, "}")
	return name, ok && validVarName(name)
}

// scalarText is a scalar variable's text: strings as they are, numbers and
// booleans as written in YAML (78701, true, 1.50).
func scalarText(v *node) string {
	switch val := v.value.(type) {
	case string:
		return val
	case nil:
		return ""
	}
	return v.text
}

// value returns the expanded value of variable name, used at n; nil when it
// is undefined or part of a cycle (both reported).
func (x *expander) value(n *node, name, path string) *node {
	if v, ok := x.done[name]; ok {
		return v
	}
	decls := x.scope[name]
	if len(decls) == 0 {
		x.undefined(n, name, path)
		return nil
	}
	for _, d := range decls {
		x.l.varUsed[d] = true
	}
	if i := slices.Index(x.active, name); i >= 0 {
		cycle := append(append([]string{}, x.active[i:]...), name)
		d := decls[0]
		x.l.d.add(d.value.pos, "vars."+name, "variable cycle: %s", strings.Join(cycle, " -> "))
		return nil
	}
	x.active = append(x.active, name)
	v := x.node(decls[0].value, "vars."+name)
	x.active = x.active[:len(x.active)-1]
	x.done[name] = v
	return v
}

// undefined reports a reference to a variable the scope lacks. Written in
// a base (or a vars file), it is reported there, naming the document, and
// once at the document's use of the base, naming the reference.
func (x *expander) undefined(n *node, name, path string) {
	x.problem(n, path, fmt.Sprintf("undefined variable ${%s} (declare it under vars:)", name))
	if n.pos.File == x.file || x.usedBy.File == "" || x.missing[name] {
		return
	}
	x.missing[name] = true
	x.l.d.add(x.usedBy, x.usedByPath, "the base uses ${%s} (at %s), which this document does not declare under vars:", name, shortPos(n.pos, x.usedBy))
}

// problem reports a problem of the string at n, naming the document that
// uses it when it is written in another file.
func (x *expander) problem(n *node, path, msg string) {
	if n.pos.File != x.file {
		at := x.usedBy
		if at.File == "" {
			at = Pos{File: x.file}
		}
		msg += " (used by " + formatPos(at) + ")"
	}
	x.l.d.add(n.pos, path, "%s", msg)
}

// formatPos writes a position as FILE:LINE:COL, or FILE without a line.
func formatPos(p Pos) string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// reportUnusedVars warns about every declared variable no string used: a
// document's own, a base's default (unused by every agent built on the
// base), and a vars file's (unused by every document that lists the file).
func (l *loader) reportUnusedVars() {
	for _, d := range l.varDecls {
		if l.varUsed[d] {
			continue
		}
		switch d.origin {
		case originBase:
			l.warn.add(d.key, "vars."+d.name, "default variable %s is never used by this base or the agents built on it", d.name)
		case originVarsFile:
			if len(d.file.readers) == 0 {
				l.warn.add(d.key, "vars."+d.name, "variable %s is never used: no document lists this file under varsFiles:", d.name)
				continue
			}
			l.warn.add(d.key, "vars."+d.name, "variable %s is not used by any document that lists this file (%s)", d.name, formatPositions(d.file.readers))
		default:
			l.warn.add(d.key, "vars."+d.name, "variable %s is declared but never used", d.name)
		}
	}
}

// formatPositions lists up to three positions, and how many more there are.
func formatPositions(ps []Pos) string {
	var parts []string
	for i, p := range ps {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-3))
			break
		}
		parts = append(parts, formatPos(p))
	}
	return strings.Join(parts, ", ")
}

// validVarName reports whether name matches [A-Za-z_][A-Za-z0-9_]*.
func validVarName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
