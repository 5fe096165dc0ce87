package spec

import (
	"fmt"
	"slices"
)

// varsFile is a parsed vars file: one document of kind Vars whose variables
// the documents listing it under varsFiles: share (a group of locations).
type varsFile struct {
	decls []*varDecl
	// readers are the varsFiles: entries that list this file.
	readers []Pos
}

// isVarsDocument reports whether a parsed document says kind: Vars.
func isVarsDocument(n *node) bool {
	k, _ := n.get("kind").str()
	return k == KindVars
}

// documentScope returns the variables of a document: its own vars: over
// those of the files it lists under varsFiles: (later files over earlier
// ones). Each listed file is read once per load, relative to the document.
func (l *loader) documentScope(raw *node, file string) scope {
	s := scope{}.with(l.declareVars(raw.get("vars"), "vars", originDocument))
	list := raw.get("varsFiles")
	if list == nil || list.kind != seqKind {
		return s
	}
	for i := len(list.items) - 1; i >= 0; i-- {
		it := list.items[i]
		rel, ok := it.str()
		if !ok || !isManifestName(rel) {
			continue // the schema reports it
		}
		p := rel
		if !l.src.isAbs(rel) {
			p = l.src.join(l.src.dir(file), rel)
		}
		vf := l.loadVarsFile(p, it.pos, fmt.Sprintf("varsFiles[%d]", i))
		if vf == nil {
			continue
		}
		vf.readers = append(vf.readers, it.pos)
		s = s.with(vf.decls)
	}
	return s
}

// loadVarsFile returns the vars file at p, reading it the first time; nil
// when it cannot be read (reported at, the entry listing it).
func (l *loader) loadVarsFile(p string, at Pos, path string) *varsFile {
	if vf, ok := l.varsFiles[p]; ok {
		return vf
	}
	data, err := l.read(p)
	if err != nil {
		l.d.add(at, path, "vars file %s: %s", p, describeFSError(err))
		return nil
	}
	docs := l.parse(p, data)
	if len(docs) == 0 {
		l.d.add(at, path, "vars file %s holds no document (want kind: %s)", p, KindVars)
		return nil
	}
	return l.varsFileFromDocs(p, docs)
}

// varsFileFromDocs checks the documents of a vars file (exactly one, of
// kind Vars) and records its variables.
func (l *loader) varsFileFromDocs(p string, docs []*node) *varsFile {
	vf := &varsFile{}
	l.varsFiles[p] = vf
	if len(docs) > 1 {
		l.d.add(docs[1].pos, "", "a vars file must hold exactly one document (kind: %s)", KindVars)
		return vf
	}
	doc := docs[0]
	scanSecrets(doc, "", &l.d)
	if doc.kind != mapKind {
		l.d.add(doc.pos, "", "a vars file must be a mapping (apiVersion, kind: %s, vars)", KindVars)
		return vf
	}
	if k := doc.get("kind"); k != nil && !isVarsDocument(doc) {
		if s, ok := k.str(); ok && slices.Contains(documentKinds, s) {
			l.d.add(k.pos, "kind", "a file listed under varsFiles: must be of kind %q (got %q)", KindVars, s)
			return vf
		}
	}
	if _, foreign := checkHeader(doc, KindVars, &l.d); foreign {
		return vf
	}
	validateAgainst(emptyForNull(doc.without(), "vars"), &l.d, nil, varsSchema)
	vf.decls = l.declareVars(doc.get("vars"), "vars", originVarsFile)
	for _, d := range vf.decls {
		d.file = vf
	}
	return vf
}

// validateVars checks a base's vars: mapping against the schema.
func validateVars(vars *node, d *diags) {
	holder := &node{kind: mapKind, pos: vars.pos, fields: []field{{key: "vars", keyPos: vars.pos, value: vars}}}
	validateAgainst(holder, d, nil, varsHolderSchema)
}
