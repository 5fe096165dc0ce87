package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// shape of a node: the three JSON shapes a YAML node turns into.
type shape int

const (
	scalarKind shape = iota
	mapKind
	seqKind
)

// node is a YAML value in JSON types that remembers where each part was
// written, so that problems found after merging bases and expanding variables
// still point into the right file.
type node struct {
	kind   shape
	pos    Pos
	value  any    // scalar: string, float64, bool or nil
	text   string // scalar: the text as written in the YAML source
	fields []field
	items  []*node
}

// field is one key of a mapping, in document order.
type field struct {
	key    string
	keyPos Pos
	value  *node
}

// get returns the value of key, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapKind {
		return nil
	}
	for _, f := range n.fields {
		if f.key == key {
			return f.value
		}
	}
	return nil
}

// field returns the field named key, or nil.
func (n *node) field(key string) *field {
	if n == nil || n.kind != mapKind {
		return nil
	}
	for i := range n.fields {
		if n.fields[i].key == key {
			return &n.fields[i]
		}
	}
	return nil
}

// str returns the node's string value.
func (n *node) str() (string, bool) {
	if n == nil || n.kind != scalarKind {
		return "", false
	}
	s, ok := n.value.(string)
	return s, ok
}

// without returns a shallow copy of a mapping without the given keys.
func (n *node) without(keys ...string) *node {
	c := *n
	c.fields = nil
	for _, f := range n.fields {
		if !containsString(keys, f.key) {
			c.fields = append(c.fields, f)
		}
	}
	return &c
}

// toJSON returns the node as plain JSON types.
func (n *node) toJSON() any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case mapKind:
		m := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			m[f.key] = f.value.toJSON()
		}
		return m
	case seqKind:
		s := make([]any, len(n.items))
		for i, it := range n.items {
			s[i] = it.toJSON()
		}
		return s
	default:
		return n.value
	}
}

// standardTags are the YAML tags a manifest may use: the core schema's, and
// !!timestamp and !!merge, which the parser gives plain dates and << keys.
// Any other tag (!!python/object:..., !custom) is an error rather than
// silently read as text.
var standardTags = map[string]bool{
	"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true,
	"!!map": true, "!!seq": true, "!!timestamp": true, "!!merge": true,
}

const standardTagList = "!!str, !!int, !!float, !!bool, !!null, !!map and !!seq"

// maxNodes bounds the nodes one document may expand into, so alias bombs
// ("billion laughs") are refused instead of eating memory.
const maxNodes = 200_000

// converter turns yaml.Nodes of one file into nodes.
type converter struct {
	file  string
	count int
	d     *diags
	// tooLarge is set once the document exceeds maxNodes; the caller then
	// reports it and drops the document.
	tooLarge bool
}

// convert returns the node for y, reporting duplicate keys, non-string keys
// and oversize documents. path is the field path used in messages.
func (c *converter) convert(y *yaml.Node, path string) *node {
	c.count++
	if c.count > maxNodes {
		c.tooLarge = true
		return &node{kind: scalarKind, pos: c.pos(y)}
	}
	if y.Kind == yaml.ScalarNode || y.Kind == yaml.MappingNode || y.Kind == yaml.SequenceNode {
		if tag := y.ShortTag(); !standardTags[tag] {
			c.d.add(c.pos(y), path, "unknown YAML tag %s: only the standard tags %s are allowed", tag, standardTagList)
			// Read on as if untagged, so the tag is the one problem reported.
			untagged := *y
			untagged.Tag, untagged.Style = "", y.Style&^yaml.TaggedStyle
			y = &untagged
		}
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{kind: scalarKind, pos: c.pos(y)}
		}
		return c.convert(y.Content[0], path)
	case yaml.AliasNode:
		if y.Alias == nil {
			return &node{kind: scalarKind, pos: c.pos(y)}
		}
		n := c.convert(y.Alias, path)
		return n
	case yaml.MappingNode:
		n := &node{kind: mapKind, pos: c.pos(y)}
		seen := map[string]bool{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				c.d.add(c.pos(k), path, "keys must be plain strings")
				continue
			}
			key := k.Value
			fpath := joinPath(path, key)
			if seen[key] {
				c.d.add(c.pos(k), fpath, "duplicate key %q", key)
				continue
			}
			seen[key] = true
			n.fields = append(n.fields, field{key: key, keyPos: c.pos(k), value: c.convert(v, fpath)})
		}
		return n
	case yaml.SequenceNode:
		n := &node{kind: seqKind, pos: c.pos(y), items: make([]*node, 0, len(y.Content))}
		for i, it := range y.Content {
			n.items = append(n.items, c.convert(it, fmt.Sprintf("%s[%d]", path, i)))
		}
		return n
	default:
		return &node{kind: scalarKind, pos: c.pos(y), value: scalarValue(y), text: y.Value}
	}
}

func (c *converter) pos(y *yaml.Node) Pos { return Pos{File: c.file, Line: y.Line, Col: y.Column} }

// scalarValue decodes a YAML scalar into a JSON type: numbers become float64,
// booleans bool, null nil, and everything else (timestamps included) string.
func scalarValue(y *yaml.Node) any {
	switch y.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if err := y.Decode(&b); err == nil {
			return b
		}
	case "!!int":
		var i int64
		if err := y.Decode(&i); err == nil {
			return float64(i)
		}
		var u uint64
		if err := y.Decode(&u); err == nil {
			return float64(u)
		}
	case "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(y.Value, "_", ""), 64)
		if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
		var v float64
		if err := y.Decode(&v); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
			return v
		}
	}
	return y.Value
}

// joinPath appends a key to a field path.
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
