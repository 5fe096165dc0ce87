package spec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads the manifests at paths (files, or directories searched for
// *.yaml and *.yml outside bases/ folders), merges bases, expands variables
// and validates everything. Invalid input yields a Diagnostics error listing
// every problem of every file.
func Load(paths ...string) (*Set, error) { return load(osSource{}, paths, false) }

// LoadFS is Load over a file system; paths are slash-separated and relative
// to its root.
func LoadFS(fsys fs.FS, paths ...string) (*Set, error) { return load(fsSource{fsys}, paths, false) }

// Scan is Load for fleets: it reads and validates every manifest exactly as
// Load does, but keeps only each location's header (id, name, token
// variable, prune), with Agents nil; Set.Expand builds one location in full
// again when it is needed. A plan of ten thousand locations then holds the
// agents of the locations being planned, not the fleet's. KrosAI accounts
// are kept in full.
func Scan(paths ...string) (*Set, error) { return load(osSource{}, paths, true) }

// ScanFS is Scan over a file system, as LoadFS is Load.
func ScanFS(fsys fs.FS, paths ...string) (*Set, error) { return load(fsSource{fsys}, paths, true) }

// ErrNoPaths is returned when Load is given nothing to read.
var ErrNoPaths = errors.New("no manifest paths given")

// loader holds the state of one Load.
type loader struct {
	src   source
	d     diags // errors
	warn  diags // warnings: unused variables
	trees []string
	// files are the SHA-256 of every file read (manifests, bases, vars
	// files): the digest needs no file kept in memory.
	files map[string][32]byte
	bases map[string]*baseEntry // parsed base files by path
	// varsFiles are the vars files read, by path.
	varsFiles map[string]*varsFile
	// docs are the KrosAI documents read, by path.
	docs map[string]docInfo
	// varDecls is every variable declared; varUsed those a string used.
	varDecls []*varDecl
	varUsed  map[*varDecl]bool
	// sources and paths intern the built model's Sources (see sourcesOf).
	sources map[string]*sourceSet
	paths   map[string]string
	// checked is set when the documents loaded were validated before, byte
	// for byte (Set.Expand): the checks that only report (secrets, schema,
	// semantic rules) are skipped.
	checked bool
}

// document is one Location or KrosAIAccount document on its way to the
// model.
type document struct {
	file string
	kind string
	nth  int   // the document's index among its file's documents
	doc  *node // bases merged, variables expanded
	// documents are a KrosAIAccount's knowledge-base documents, read.
	documents []kbDocs
}

// header returns the document reduced to its header field key: what the
// checks across documents read once the model is built.
func (d *document) header(key string) *document {
	n := &node{kind: mapKind, pos: d.doc.pos}
	if f := d.doc.field(key); f != nil {
		n.fields = []field{*f}
	}
	return &document{file: d.file, kind: d.kind, nth: d.nth, doc: n}
}

// load reads paths; headersOnly keeps locations without their agents (Scan).
func load(src source, paths []string, headersOnly bool) (*Set, error) {
	if len(paths) == 0 {
		return nil, ErrNoPaths
	}
	l := &loader{src: src, files: map[string][32]byte{}, bases: map[string]*baseEntry{},
		varsFiles: map[string]*varsFile{}, docs: map[string]docInfo{}, varUsed: map[*varDecl]bool{}}
	files, trees := discover(src, paths, &l.d)
	l.trees = trees
	// Each file's documents are built into the model as soon as they are
	// loaded, and only their headers kept for the checks across files: a
	// fleet of thousands of locations never holds every document's tree.
	var locations, accounts []*document
	var locs []*Location
	var accts []*KrosAIAccount
	for _, name := range files {
		for _, doc := range l.loadFile(name) {
			if doc.kind == KindKrosAIAccount {
				accts = append(accts, l.buildAccount(doc))
				accounts = append(accounts, doc.header("account"))
			} else {
				loc := l.buildLocation(doc.doc)
				loc.nth = doc.nth
				if headersOnly {
					loc.Agents, loc.headerOnly = nil, true
				}
				locs = append(locs, loc)
				locations = append(locations, doc.header("location"))
			}
		}
	}
	checkLocationIDs(locations, &l.d)
	checkTokenEnvs(locations, &l.d)
	checkAccounts(accounts, &l.d)
	if len(l.d.list) > 0 {
		return nil, l.d.list.sortAndDedupe()
	}
	l.reportUnusedVars()
	set := &Set{Warnings: l.warn.list.sortAndDedupe(), Locations: locs, Accounts: accts}
	set.Files, set.Digest = l.digest()
	if headersOnly {
		set.scanned = &scanned{l: l}
	}
	return set, nil
}

// read returns a file's content and records it for the digest. Only regular
// files of at most MaxManifestSize are read, and symbolic links only when
// they stay inside the trees being loaded.
func (l *loader) read(name string) ([]byte, error) {
	if _, seen := l.files[name]; l.checked && !seen {
		// Expand found a base or vars file the manifests did not use when
		// they were loaded (one created since, nearer the manifest).
		return nil, ErrChanged
	}
	if err := l.src.linkProblem(name, l.trees); err != nil {
		return nil, err
	}
	data, err := l.src.readFile(name, MaxManifestSize)
	if err != nil {
		return nil, err
	}
	l.files[name] = sha256.Sum256(data)
	return data, nil
}

// digest returns the sorted files read and the hex SHA-256 over each path,
// a NUL byte and the SHA-256 of its content (a document's recorded one),
// a NUL byte and its content.
func (l *loader) digest() ([]string, string) {
	names := make([]string, 0, len(l.files)+len(l.docs))
	for name := range l.files {
		names = append(names, name)
	}
	for name := range l.docs {
		if _, dup := l.files[name]; !dup {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		io.WriteString(h, name)
		h.Write([]byte{0})
		if sum, ok := l.files[name]; ok {
			h.Write(sum[:])
		} else {
			io.WriteString(h, l.docs[name].sha256)
		}
	}
	return names, hex.EncodeToString(h.Sum(nil))
}

// loadFile parses every document of one manifest file and validates each.
// A file without any document (empty, or only comments) is an error: it
// was named or found as a manifest but declares nothing. A vars file found
// among the manifests is checked once, like one listed under varsFiles:.
func (l *loader) loadFile(name string) []*document {
	if _, done := l.varsFiles[name]; done {
		return nil
	}
	data, err := l.read(name)
	if err != nil {
		l.d.add(Pos{File: name}, "", "%s", describeFSError(err))
		return nil
	}
	return l.loadManifest(name, data)
}

// loadManifest parses and validates the documents of the manifest file
// name holding data.
func (l *loader) loadManifest(name string, data []byte) []*document {
	before := len(l.d.list)
	raws := l.parse(name, data)
	if len(raws) == 0 && len(l.d.list) == before {
		l.d.add(Pos{File: name, Line: 1, Col: 1}, "", "no Location document in this file")
		return nil
	}
	if slices.ContainsFunc(raws, isVarsDocument) {
		l.varsFileFromDocs(name, raws)
		return nil
	}
	var docs []*document
	for i, raw := range raws {
		if doc := l.loadDocument(name, raw); doc != nil {
			doc.nth = i
			docs = append(docs, doc)
		}
	}
	return docs
}

// parse decodes every YAML document of a file into nodes, skipping empty
// ones. A syntax error ends the file: the parser cannot resynchronise.
func (l *loader) parse(name string, data []byte) []*node {
	if line, col, what := badCharacter(data); line > 0 {
		l.d.add(Pos{File: name, Line: line, Col: col}, "", "YAML syntax error: %s", what)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []*node
	for {
		var y yaml.Node
		err := dec.Decode(&y)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			l.syntaxError(name, data, err)
			return out
		}
		c := converter{file: name, d: &l.d}
		n := c.convert(&y, "")
		if c.tooLarge {
			l.d.add(Pos{File: name, Line: y.Line, Col: y.Column}, "", "document too large (more than %d values after alias expansion)", maxNodes)
			continue
		}
		if n.kind == scalarKind && n.value == nil {
			continue // empty document, such as a file of comments
		}
		out = append(out, n)
	}
}

// loadDocument checks one document's header, merges bases, expands
// variables, and validates the result against the schema and the semantic
// rules. It returns nil for a document that is not a Location at all. The
// secret scan runs first, whatever the rest of the document holds.
func (l *loader) loadDocument(file string, raw *node) *document {
	if k, _ := raw.get("kind").str(); k == KindKrosAIAccount {
		scanSecretsFor(raw, "", "account.tokenEnv", &l.d)
		return l.loadAccount(file, raw)
	}
	if !l.checked {
		scanSecrets(raw, "", &l.d)
	}
	if raw.kind != mapKind {
		l.d.add(raw.pos, "", "a Location document must be a mapping (apiVersion, kind, location, agents)")
		return nil
	}
	headerOK, foreign := checkHeader(raw, KindLocation, &l.d)
	if foreign {
		return nil // another kind of document: its fields mean something else
	}
	locScope := l.documentScope(raw, file)
	doc := emptyForNull(raw.without(), "vars", "agents")
	var unresolved map[string]bool
	for i := range doc.fields {
		f := &doc.fields[i]
		switch f.key {
		case "agents":
			f.value, unresolved = l.resolveAgents(f.value, file, locScope)
		case "location":
			f.value = l.newExpander(locScope, file).node(f.value, f.key)
		}
	}
	if !l.checked {
		mark := len(l.d.list)
		validateSchema(doc, &l.d, unresolved)
		if !headerOK {
			l.dropHeaderDiagnostics(mark)
		}
		checkSemantics(doc, &l.d)
	}
	return &document{file: file, kind: KindLocation, doc: doc}
}

// dropHeaderDiagnostics drops the schema's apiVersion and kind diagnostics
// reported since mark: checkHeader has said it better than the schema's
// const and required.
func (l *loader) dropHeaderDiagnostics(mark int) {
	kept := l.d.list[:mark]
	for _, dg := range l.d.list[mark:] {
		if dg.Path != "apiVersion" && dg.Path != "kind" {
			kept = append(kept, dg)
		}
	}
	l.d.list = kept
}

// checkHeader reports a wrong or missing apiVersion or kind. ok is false when
// either is wrong; foreign is true when kind is not want (missing, or
// another kind, such as a base file given as a manifest), so the document's
// other fields cannot be checked as want's.
func checkHeader(root *node, want string, d *diags) (ok, foreign bool) {
	ok = true
	if n := root.get("apiVersion"); n == nil {
		d.add(root.pos, "apiVersion", "required field is missing (want %q)", APIVersion)
		ok = false
	} else if s, isStr := n.str(); !isStr || s != APIVersion {
		d.add(n.pos, "apiVersion", "must be %q (got %s)", APIVersion, describeValue(n.toJSON()))
		ok = false
	}
	n := root.get("kind")
	if n == nil {
		d.add(root.pos, "kind", "required field is missing (want %q)", want)
		return false, true
	}
	if s, isStr := n.str(); !isStr || s != want {
		if !isStr || !slices.Contains(documentKinds, s) {
			d.add(n.pos, "kind", "must be %s (got %s)", quotedList(documentKinds), describeValue(n.toJSON()))
		}
		return false, true
	}
	return ok, false
}

// quotedList writes "a", "b" or "c".
func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// emptyForNull returns doc with the named keys written without a value (null)
// replaced by an empty mapping (vars) or list (agents): "vars:" alone means
// no variables.
func emptyForNull(doc *node, keys ...string) *node {
	for i, f := range doc.fields {
		if !containsString(keys, f.key) || f.value.kind != scalarKind || f.value.value != nil {
			continue
		}
		empty := &node{kind: mapKind, pos: f.value.pos}
		if f.key == "agents" || f.key == "knowledgeBases" {
			empty = &node{kind: seqKind, pos: f.value.pos, items: []*node{}}
		}
		doc.fields[i].value = empty
	}
	return doc
}

// describeValue formats a JSON value for a message: strings quoted, others as
// written in JSON.
func describeValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}
