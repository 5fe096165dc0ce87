package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError reports a YAML parse error at the line and column it is on,
// or at 1:1 when the parser gives no clue, so that every syntax error can be
// annotated.
func (l *loader) syntaxError(name string, data []byte, err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		line = syntaxErrorLine(data, line, msg)
		if tabLine, col := tabIndent(data, line, strings.Contains(m[2], "tab")); tabLine > 0 {
			l.d.add(Pos{File: name, Line: tabLine, Col: col}, "", "YAML syntax error: tabs are not allowed for indentation in YAML; use spaces")
			return
		}
		l.d.add(Pos{File: name, Line: max(line, 1), Col: 1}, "", "YAML syntax error: %s", m[2])
		return
	}
	text := strings.TrimPrefix(msg, "yaml: ")
	line, col := locateSyntaxError(data, text)
	if line == 0 {
		line, col = 1, 1
	}
	l.d.add(Pos{File: name, Line: line, Col: col}, "", "YAML syntax error: %s", text)
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '([^']*)' referenced$`)

// locateSyntaxError finds the position of errors the parser reports without
// a line: an alias to an unknown anchor and a %YAML directive the parser does
// not support. It returns 0, 0 when it cannot tell.
func locateSyntaxError(data []byte, text string) (line, col int) {
	var target string
	switch m := unknownAnchor.FindStringSubmatch(text); {
	case m != nil:
		target = "*" + m[1]
	case strings.Contains(text, "incompatible YAML document"):
		target = "%YAML"
	default:
		return 0, 0
	}
	for i, l := range strings.SplitAfter(string(data), "\n") {
		if c := strings.Index(l, target); c >= 0 {
			return i + 1, c + 1
		}
	}
	return 0, 0
}

// tabIndent returns the position of a tab in the indentation of line (1-based),
// or, when anyLater is set, of the first line from there on indented with a
// tab; 0, 0 if there is none.
func tabIndent(data []byte, line int, anyLater bool) (int, int) {
	lines := strings.SplitAfter(string(data), "\n")
	for i := max(line, 1) - 1; i < len(lines); i++ {
		rest := strings.TrimLeft(lines[i], " \t")
		if strings.TrimSpace(rest) == "" {
			continue // a blank line's whitespace indents nothing
		}
		if indent := lines[i][:len(lines[i])-len(rest)]; strings.Contains(indent, "\t") {
			return i + 1, strings.IndexByte(indent, '\t') + 1
		}
		if !anyLater {
			break
		}
	}
	return 0, 0
}

// syntaxErrorLine finds the line a YAML error is really on. The parser
// reports where the enclosing construct began (a list, a mapping), not the
// offending line. Prefixes of whole lines that stop before the offending line
// parse (or fail differently); those that include it fail with the same
// error, so a binary search finds the first such prefix: it ends at the
// offending line.
func syntaxErrorLine(data []byte, reported int, msg string) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	lo, hi := max(reported, 1), len(lines)
	if lo > hi {
		return reported
	}
	failsSame := func(n int) bool {
		err := decodeAll(bytes.Join(lines[:n], nil))
		return err != nil && err.Error() == msg
	}
	if !failsSame(hi) {
		return reported
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if failsSame(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// decodeAll parses every document of data and returns the first error.
func decodeAll(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var y yaml.Node
		if err := dec.Decode(&y); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// badCharacter finds the first byte sequence YAML refuses in data: invalid
// UTF-8, or a character outside YAML's printable set (C0 controls other than
// tab, line feed and carriage return; DEL; C1 controls other than NEL;
// U+FFFE and U+FFFF). It returns its 1-based line and column (in
// characters) and a description, or 0, 0, "" when there is none. Files
// starting with a UTF-16 byte-order mark are left to the parser.
func badCharacter(data []byte) (line, col int, what string) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return 0, 0, ""
	}
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, col, fmt.Sprintf("byte 0x%02X is not valid UTF-8 (manifests must be UTF-8 text)", data[i])
		case !yamlPrintable(r):
			return line, col, fmt.Sprintf("control character U+%04X is not allowed (write it as an escape in a double-quoted string)", r)
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return 0, 0, ""
}

// yamlPrintable reports whether YAML allows r in a stream.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E:
		return true
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}
