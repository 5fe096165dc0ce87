package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/agentform/agentform/schemas"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// schemaBase is the URL the embedded schemas are registered under; the
// location schema's relative $ref to agent.schema.json resolves against it.
const schemaBase = "https://schemas.agentform.invalid/"

// compiledSchemas are the embedded schemas, compiled once, with their raw
// JSON kept to read errorMessage and properties at an error's schema location.
type compiledSchemas struct {
	location *jsonschema.Schema
	agent    *jsonschema.Schema
	vars     *jsonschema.Schema
	account  *jsonschema.Schema // a KrosAIAccount document
	krosai   *jsonschema.Schema // a KrosAI agent (base file)
	// varsHolder checks a mapping holding only vars (a base's defaults).
	varsHolder *jsonschema.Schema
	raw        map[string]any // file name → decoded schema document
}

var (
	schemasOnce sync.Once
	compiled    *compiledSchemas
	compileErr  error
)

// Schemas compiles the embedded JSON Schemas. It fails only if the embedded
// files are broken, which the package's tests rule out.
func Schemas() (location, agent *jsonschema.Schema, err error) {
	c, err := loadSchemas()
	if err != nil {
		return nil, nil, err
	}
	return c.location, c.agent, nil
}

func loadSchemas() (*compiledSchemas, error) {
	schemasOnce.Do(func() { compiled, compileErr = compileSchemas() })
	return compiled, compileErr
}

func compileSchemas() (*compiledSchemas, error) {
	c := jsonschema.NewCompiler()
	out := &compiledSchemas{raw: map[string]any{}}
	for _, name := range schemas.All {
		data, err := schemas.FS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read embedded schema %s: %w", name, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decode embedded schema %s: %w", name, err)
		}
		if err := c.AddResource(schemaBase+name, doc); err != nil {
			return nil, fmt.Errorf("add embedded schema %s: %w", name, err)
		}
		out.raw[name] = doc
	}
	holder := map[string]any{"type": "object", "properties": map[string]any{"vars": map[string]any{"$ref": schemas.Vars + "#/$defs/vars"}}}
	if err := c.AddResource(schemaBase+"varsholder.json", holder); err != nil {
		return nil, fmt.Errorf("add vars holder schema: %w", err)
	}
	var err error
	if out.varsHolder, err = c.Compile(schemaBase + "varsholder.json"); err != nil {
		return nil, fmt.Errorf("compile vars holder schema: %w", err)
	}
	if out.location, err = c.Compile(schemaBase + schemas.Location); err != nil {
		return nil, fmt.Errorf("compile %s: %w", schemas.Location, err)
	}
	if out.agent, err = c.Compile(schemaBase + schemas.Agent); err != nil {
		return nil, fmt.Errorf("compile %s: %w", schemas.Agent, err)
	}
	if out.vars, err = c.Compile(schemaBase + schemas.Vars); err != nil {
		return nil, fmt.Errorf("compile %s: %w", schemas.Vars, err)
	}
	if out.account, err = c.Compile(schemaBase + schemas.KrosAIAccount); err != nil {
		return nil, fmt.Errorf("compile %s: %w", schemas.KrosAIAccount, err)
	}
	if out.krosai, err = c.Compile(schemaBase + schemas.KrosAIAgent); err != nil {
		return nil, fmt.Errorf("compile %s: %w", schemas.KrosAIAgent, err)
	}
	return out, nil
}

// validateSchema validates a Location document and reports each failing
// leaf at the node the instance location points to. unresolved holds the
// paths of agents whose base could not be resolved: fields missing from them
// (or from their nested mappings, which a base would have merged into) are
// not reported, since the base problem already is.
func validateSchema(doc *node, d *diags, unresolved map[string]bool) {
	validateAgainst(doc, d, unresolved, locationSchema)
}

// compiled returns the compiled schema of an embedded schema file.
func (c *compiledSchemas) compiled(file string) (*jsonschema.Schema, bool) {
	switch file {
	case schemas.Location:
		return c.location, true
	case schemas.Agent:
		return c.agent, true
	case schemas.Vars:
		return c.vars, true
	case schemas.KrosAIAccount:
		return c.account, true
	case schemas.KrosAIAgent:
		return c.krosai, true
	}
	return nil, false
}

// Schema pickers for validateAgainst.
func locationSchema(c *compiledSchemas) *jsonschema.Schema   { return c.location }
func varsSchema(c *compiledSchemas) *jsonschema.Schema       { return c.vars }
func accountSchema(c *compiledSchemas) *jsonschema.Schema    { return c.account }
func varsHolderSchema(c *compiledSchemas) *jsonschema.Schema { return c.varsHolder }

// validateAgainst validates doc against the schema pick chooses.
func validateAgainst(doc *node, d *diags, unresolved map[string]bool, pick func(*compiledSchemas) *jsonschema.Schema) {
	c, err := loadSchemas()
	if err != nil {
		d.add(doc.pos, "", "internal error: %v", err)
		return
	}
	err = pick(c).Validate(doc.toJSON())
	var ve *jsonschema.ValidationError
	if err == nil {
		return
	}
	if !errors.As(err, &ve) {
		d.add(doc.pos, "", "schema validation: %v", err)
		return
	}
	for _, leaf := range leaves(ve) {
		if strings.Contains(leaf.SchemaURL, "/propertyNames") {
			continue // variable names are checked where they are written (declareVars)
		}
		c.report(leaf, doc, d, unresolved)
	}
}

// leaves returns the innermost errors: the ones that say what is wrong.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// report turns one schema error into diagnostics.
func (c *compiledSchemas) report(e *jsonschema.ValidationError, doc *node, d *diags, unresolved map[string]bool) {
	n, path, keyPos := locate(doc, e.InstanceLocation)
	sub := c.subschema(e.SchemaURL)
	custom, _ := sub["errorMessage"].(string)
	withGot := func(generic string, got any) string {
		if custom != "" {
			return fmt.Sprintf("%s (got %s)", custom, describeValue(got))
		}
		return generic
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		if mergedFromUnresolved(path, unresolved) {
			return
		}
		when := c.condition(e.SchemaURL)
		for _, m := range k.Missing {
			if when != "" {
				d.add(n.pos, joinPath(path, m), "%s is required when %s", m, when)
				continue
			}
			d.add(n.pos, joinPath(path, m), "required field is missing")
		}
	case *kind.AdditionalProperties:
		allowed := propertyNames(sub)
		for _, p := range k.Properties {
			if secretKeys[strings.ToLower(p)] {
				continue // reported as a literal token already
			}
			f := n.field(p)
			pos := n.pos
			if f != nil {
				pos = f.keyPos
			}
			msg := fmt.Sprintf("unknown field %q", p)
			if s := closest(p, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.add(pos, joinPath(path, p), "%s", msg)
		}
	case *kind.Type:
		d.add(n.pos, path, "must be %s (got %s)", typeNames(k.Want), describeValue(n.toJSON()))
	case *kind.Enum:
		want := make([]string, 0, len(k.Want))
		for _, w := range k.Want {
			if w != nil { // null is how a value is cleared, not a choice to offer
				want = append(want, plainValue(w))
			}
		}
		d.add(n.pos, path, "%s", withGot(fmt.Sprintf("must be one of %s (got %s)", strings.Join(want, ", "), describeValue(k.Got)), k.Got))
	case *kind.Const:
		d.add(n.pos, path, "%s", withGot(fmt.Sprintf("must be %s (got %s)", describeValue(k.Want), describeValue(k.Got)), k.Got))
	case *kind.Minimum:
		d.add(n.pos, path, "%s", withGot(fmt.Sprintf("must be at least %s (got %s)", ratString(k.Want), ratString(k.Got)), ratFloat(k.Got)))
	case *kind.ExclusiveMinimum:
		d.add(n.pos, path, "%s", withGot(fmt.Sprintf("must be more than %s (got %s)", ratString(k.Want), ratString(k.Got)), ratFloat(k.Got)))
	case *kind.Maximum:
		d.add(n.pos, path, "%s", withGot(fmt.Sprintf("must be at most %s (got %s)", ratString(k.Want), ratString(k.Got)), ratFloat(k.Got)))
	case *kind.MinProperties:
		d.add(n.pos, path, "%s", orCustom(custom, fmt.Sprintf("must have at least %d %s", k.Want, plural(k.Want, "field"))))
	case *kind.MaxProperties:
		d.add(n.pos, path, "%s", orCustom(custom, fmt.Sprintf("must have at most %d %s", k.Want, plural(k.Want, "field"))))
	case *kind.MinItems:
		d.add(n.pos, path, "%s", orCustom(custom, fmt.Sprintf("must have at least %d %s (got %d)", k.Want, plural(k.Want, "item"), k.Got)))
	case *kind.MaxItems:
		d.add(n.pos, path, "%s", orCustom(custom, fmt.Sprintf("must have at most %d %s (got %d)", k.Want, plural(k.Want, "item"), k.Got)))
	case *kind.MinLength:
		msg := fmt.Sprintf("must be at least %d characters long", k.Want)
		if k.Want == 1 {
			msg = "must not be empty"
		}
		d.add(n.pos, path, "%s", orCustom(custom, msg))
	case *kind.Pattern:
		d.add(n.pos, path, "%s", withGot(fmt.Sprintf("must match %s (got %s)", k.Want, describeValue(k.Got)), k.Got))
	case *kind.UniqueItems:
		d.add(n.pos, path, "must not repeat items ([%d] and [%d] are equal)", k.Duplicates[0], k.Duplicates[1])
	case *kind.Not:
		d.add(keyPos, path, "%s", orCustom(custom, "is not allowed here"))
	case *kind.FalseSchema:
		d.add(keyPos, path, "is not allowed here")
	default:
		d.add(n.pos, path, "is invalid (%s)", strings.Join(e.ErrorKind.KeywordPath(), "/"))
	}
}

// mergedFromUnresolved reports whether path is an agent in unresolved, or a
// mapping reached from one through mappings and action items only: the
// places a base's fields would have been merged into. Other lists replace,
// so fields missing inside their items are the manifest's own.
func mergedFromUnresolved(path string, unresolved map[string]bool) bool {
	for agent := range unresolved {
		if path == agent {
			return true
		}
		rest, ok := strings.CutPrefix(path, agent+".")
		if !ok {
			continue
		}
		if m := actionItem.FindString(rest); m != "" {
			rest = strings.TrimPrefix(rest[len(m):], ".")
		}
		if !strings.Contains(rest, "[") {
			return true
		}
	}
	return false
}

// actionItem matches the leading actions[N] of a field path.
var actionItem = regexp.MustCompile(`^actions\[\d+\]`)

// condition describes the "if" that made a "then" schema apply, such as
// "triggerWorkflow is true" or "handoverType is custom or contactRequest";
// "" when url is not a then branch or its if is not a simple property test.
func (c *compiledSchemas) condition(url string) string {
	parent, ok := strings.CutSuffix(url, "/then")
	if !ok {
		return ""
	}
	cond, _ := c.subschema(parent)["if"].(map[string]any)
	props, _ := cond["properties"].(map[string]any)
	if len(props) != 1 {
		return ""
	}
	for name, v := range props {
		test, _ := v.(map[string]any)
		if cv, ok := test["const"]; ok {
			return name + " is " + plainValue(cv)
		}
		if ev, ok := test["enum"].([]any); ok && len(ev) > 0 {
			vals := make([]string, len(ev))
			for i, x := range ev {
				vals[i] = plainValue(x)
			}
			return name + " is " + strings.Join(vals, " or ")
		}
	}
	return ""
}

// locate follows an instance location from doc and returns the node, its
// field path, and the position of its key (its own position for list items
// and the root).
func locate(doc *node, loc []string) (*node, string, Pos) {
	n, path, keyPos := doc, "", doc.pos
	for _, seg := range loc {
		switch n.kind {
		case mapKind:
			f := n.field(seg)
			if f == nil {
				return n, path, keyPos
			}
			n, path, keyPos = f.value, joinPath(path, seg), f.keyPos
		case seqKind:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.items) {
				return n, path, keyPos
			}
			n, path = n.items[i], fmt.Sprintf("%s[%d]", path, i)
			keyPos = n.pos
		default:
			return n, path, keyPos
		}
	}
	return n, path, keyPos
}

// subschema returns the raw JSON object at a schema URL, or nil.
func (c *compiledSchemas) subschema(url string) map[string]any {
	file, ptr, _ := strings.Cut(strings.TrimPrefix(url, schemaBase), "#")
	var v any = c.raw[file]
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	m, _ := v.(map[string]any)
	return m
}

// propertyNames returns the keys of a subschema's "properties", sorted.
func propertyNames(sub map[string]any) []string {
	props, _ := sub["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// closest returns the allowed name nearest to s when it is close enough to
// be a typo (case-insensitive edit distance at most 2, or a case change).
func closest(s string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		dist := editDistance(strings.ToLower(s), strings.ToLower(a))
		if dist < bestDist {
			best, bestDist = a, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

var typeWords = map[string]string{
	"object": "a mapping", "array": "a list", "string": "a string", "number": "a number",
	"integer": "a whole number", "boolean": "true or false", "null": "null",
}

func typeName(t string) string {
	if w, ok := typeWords[t]; ok {
		return w
	}
	return t
}

func typeNames(ts []string) string {
	words := make([]string, len(ts))
	for i, t := range ts {
		words[i] = typeName(t)
	}
	if len(words) < 3 {
		return strings.Join(words, " or ")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// plainValue formats an enum member unquoted (null for nil).
func plainValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return describeValue(v)
}

func ratString(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func ratFloat(r *big.Rat) any {
	if r == nil {
		return nil
	}
	f, _ := r.Float64()
	return f
}

func orCustom(custom, generic string) string {
	if custom != "" {
		return custom
	}
	return generic
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
