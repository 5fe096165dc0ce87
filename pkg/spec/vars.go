package spec

import (
	"fmt"
	"strings"
)

// expandVars returns a copy of n with ${name} replaced in every string value
// by the location's var. $${ writes a literal ${. An undefined or
// unterminated reference is reported at the string's position. file is the
// location document, named when the string was written in a base.
func expandVars(n *node, vars map[string]string, path, file string, d *diags) *node {
	if n == nil {
		return nil
	}
	switch n.kind {
	case mapKind:
		out := *n
		out.fields = make([]field, len(n.fields))
		for i, f := range n.fields {
			f.value = expandVars(f.value, vars, joinPath(path, f.key), file, d)
			out.fields[i] = f
		}
		return &out
	case seqKind:
		out := *n
		out.items = make([]*node, len(n.items))
		for i, it := range n.items {
			out.items[i] = expandVars(it, vars, fmt.Sprintf("%s[%d]", path, i), file, d)
		}
		return &out
	}
	s, ok := n.str()
	if !ok || !strings.Contains(s, "${") {
		return n
	}
	expanded, problems := expandString(s, vars)
	for _, p := range problems {
		if n.pos.File != file {
			p += " (used by " + file + ")"
		}
		d.add(n.pos, path, "%s", p)
	}
	out := *n
	out.value = expanded
	return &out
}

// expandString expands ${name} references in s and returns the problems met.
func expandString(s string, vars map[string]string) (string, []string) {
	var b strings.Builder
	var problems []string
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				problems = append(problems, "unterminated ${ (write $${ for a literal ${)")
				b.WriteString(s[i:])
				i = len(s)
				continue
			}
			name := s[i+2 : i+2+end]
			v, ok := vars[name]
			switch {
			case !validVarName(name):
				problems = append(problems, fmt.Sprintf("invalid variable reference ${%s} (names are letters, digits and _)", name))
			case !ok:
				problems = append(problems, fmt.Sprintf("undefined variable ${%s} (declare it under vars:)", name))
			}
			b.WriteString(v)
			i += 2 + end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), problems
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
