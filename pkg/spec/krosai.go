package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
)

// This file loads KrosAIAccount documents: the voice agents and knowledge
// bases of a KrosAI account. They live in the same files and folders as
// Location documents, use the same bases/ lookup, vars and varsFiles, and
// are checked against krosai-account.schema.json. A base does not say which
// vendor it is for: the document using it decides, and the merged agent is
// checked against that vendor's schema.

// kbDocs are the documents of one knowledge base, by position in its list.
type kbDocs []*Document

// loadAccount checks one KrosAIAccount document: header, bases, variables,
// schema, semantic rules, and the documents it uploads (read once, here).
func (l *loader) loadAccount(file string, raw *node) *document {
	headerOK, foreign := checkHeader(raw, KindKrosAIAccount, &l.d)
	if foreign {
		return nil
	}
	sc := l.documentScope(raw, file)
	doc := emptyForNull(raw.without(), "vars", "agents", "knowledgeBases")
	var unresolved map[string]bool
	for i := range doc.fields {
		f := &doc.fields[i]
		switch f.key {
		case "agents":
			f.value, unresolved = l.resolveAgents(f.value, file, sc)
		case "account", "knowledgeBases":
			f.value = l.newExpander(sc, file).node(f.value, f.key)
		}
	}
	mark := len(l.d.list)
	validateAgainst(doc, &l.d, unresolved, accountSchema)
	if !headerOK {
		l.dropHeaderDiagnostics(mark)
	}
	l.checkAccount(doc)
	return &document{file: file, kind: KindKrosAIAccount, doc: doc, documents: l.loadDocuments(doc, file)}
}

// checkAccount reports what the schema cannot express: duplicate or
// look-alike names and pinned ids, two documents of one knowledge base with
// the same file name, and (as a warning) a knowledge-base name reference
// close to, but not one of, the names this document declares.
func (l *loader) checkAccount(doc *node) {
	kbNames := map[string]Pos{}
	if kbs := doc.get("knowledgeBases"); kbs != nil && kbs.kind == seqKind {
		for i, kb := range kbs.items {
			kbPath := fmt.Sprintf("knowledgeBases[%d]", i)
			l.uniqueName(kb.get("name"), kbPath+".name", "knowledge base", kbNames)
			seen := map[string]Pos{}
			if docs := kb.get("documents"); docs != nil && docs.kind == seqKind {
				for j, it := range docs.items {
					p, ok := it.str()
					if !ok {
						continue
					}
					base := path.Base(filepath.ToSlash(p))
					if first, dup := seen[base]; dup {
						l.d.add(it.pos, fmt.Sprintf("%s.documents[%d]", kbPath, j), "two documents named %s in this knowledge base (first at %s): KrosAI knows a document by its file name", base, shortPos(first, it.pos))
						continue
					}
					seen[base] = it.pos
				}
			}
		}
	}
	agents := doc.get("agents")
	if agents == nil || agents.kind != seqKind {
		return
	}
	names := map[string]Pos{}
	ids := map[string]Pos{}
	declared := make([]string, 0, len(kbNames))
	for name := range kbNames {
		declared = append(declared, name)
	}
	slices.Sort(declared)
	for i, a := range agents.items {
		apath := fmt.Sprintf("agents[%d]", i)
		l.uniqueName(a.get("name"), apath+".name", "agent", names)
		if n := a.get("id"); n != nil {
			if s, ok := n.str(); ok {
				if first, dup := ids[s]; dup {
					l.d.add(n.pos, apath+".id", "agent id %q is pinned twice (first at %s)", s, shortPos(first, n.pos))
				} else {
					ids[s] = n.pos
				}
			}
		}
		for _, r := range collectRefs(a, krosRefFields) {
			if _, ok := kbNames[r.Name]; ok || r.Name == "" {
				continue
			}
			if hint := didYouMean(r.Name, declared); hint != "" {
				l.warn.add(r.Pos, joinPath(apath, r.Path), "no knowledge base named %q in this document%s; plan looks it up among the account's live knowledge bases", r.Name, hint)
			}
		}
	}
}

// uniqueName reports a blank-padded name or one already in seen.
func (l *loader) uniqueName(n *node, path, what string, seen map[string]Pos) {
	s, ok := n.str()
	if !ok {
		return
	}
	if problem := krosNameProblem(s); problem != "" {
		l.d.add(n.pos, path, "%s", problem)
	}
	if first, dup := seen[s]; dup {
		l.d.add(n.pos, path, "duplicate %s name %q (first declared at %s)", what, s, shortPos(first, n.pos))
		return
	}
	seen[s] = n.pos
}

// krosNameProblem is NameProblem for KrosAI names, which are identities too.
func krosNameProblem(s string) string {
	if s == "" || NameProblem(s) == "" {
		return ""
	}
	return "name has leading/trailing or doubled spaces, a tab or a line break; such a name looks like another one"
}

// krosRefFields are the KrosAI agent settings that accept name references.
var krosRefFields = []refField{{"knowledge_base_ids[]", RefKnowledgeBase}}

// loadDocuments reads every document the knowledge bases list: a path
// relative to the manifest, to a regular file inside the trees (links
// included) of at most MaxDocumentSize, read once to record its size and
// SHA-256. It returns them by knowledge base.
func (l *loader) loadDocuments(doc *node, file string) []kbDocs {
	kbs := doc.get("knowledgeBases")
	if kbs == nil || kbs.kind != seqKind {
		return nil
	}
	out := make([]kbDocs, len(kbs.items))
	for i, kb := range kbs.items {
		list := kb.get("documents")
		if list == nil || list.kind != seqKind {
			continue
		}
		for j, it := range list.items {
			rel, ok := it.str()
			if !ok || rel == "" || !documentType.MatchString(rel) {
				continue // the schema reports it
			}
			d := l.loadDocument1(it, rel, file, fmt.Sprintf("knowledgeBases[%d].documents[%d]", i, j))
			if d != nil {
				out[i] = append(out[i], d)
			}
		}
	}
	return out
}

// loadDocument1 reads one document written at n as rel.
func (l *loader) loadDocument1(n *node, rel, file, fpath string) *Document {
	if l.src.isAbs(rel) || path.IsAbs(filepath.ToSlash(rel)) {
		l.d.add(n.pos, fpath, "must be a path relative to this manifest")
		return nil
	}
	p := l.src.join(l.src.dir(file), rel)
	if !slices.ContainsFunc(l.trees, func(t string) bool { return l.src.within(t, p) }) {
		l.d.add(n.pos, fpath, "%s is outside the folders being loaded; documents must be inside them", p)
		return nil
	}
	info, ok := l.docs[p]
	if !ok {
		if err := l.src.linkProblem(p, l.trees); err != nil {
			l.d.add(n.pos, fpath, "%s: %s", p, describeFSError(err))
			return nil
		}
		data, err := l.src.readFile(p, MaxDocumentSize)
		if err != nil {
			l.d.add(n.pos, fpath, "%s: %s", p, describeFSError(err))
			return nil
		}
		sum := sha256.Sum256(data)
		info = docInfo{size: int64(len(data)), sha256: hex.EncodeToString(sum[:])}
		l.docs[p] = info
	}
	return &Document{Pos: n.pos, Path: p, Name: path.Base(filepath.ToSlash(p)), Size: info.size, SHA256: info.sha256, src: l.src, trees: l.trees}
}

// documentType matches the file types KrosAI accepts: PDF, TXT, DOCX, MD.
var documentType = regexp.MustCompile(`(?i)\.(pdf|txt|docx|md)$`)

// docInfo is what a load records of a document it read.
type docInfo struct {
	size   int64
	sha256 string
}

// checkAccounts reports two accounts with the same name, or reading the same
// API key variable: both would manage one KrosAI account twice.
func checkAccounts(docs []*document, d *diags) {
	names := map[string]Pos{}
	envs := map[string]Pos{}
	for _, doc := range docs {
		acct := doc.doc.get("account")
		if n := acct.get("name"); n != nil {
			if s, ok := n.str(); ok {
				if first, dup := names[s]; dup {
					d.add(n.pos, "account.name", "duplicate account name %q (also declared at %s)", s, shortPos(first, n.pos))
				} else {
					names[s] = n.pos
				}
			}
		}
		env, pos := DefaultKrosAITokenEnv, acct.pos
		if n := acct.get("tokenEnv"); n != nil {
			if s, ok := n.str(); ok {
				env, pos = s, n.pos
			}
		}
		if first, dup := envs[env]; dup {
			d.add(pos, "account.tokenEnv", "API key variable %s is also used by the account at %s: each account needs its own key", env, shortPos(first, pos))
			continue
		}
		envs[env] = pos
	}
}

// buildAccount turns a validated KrosAIAccount document into the model.
func (l *loader) buildAccount(doc *document) *KrosAIAccount {
	n := doc.doc
	a := &KrosAIAccount{Pos: n.pos, TokenEnv: DefaultKrosAITokenEnv}
	acct := n.get("account")
	a.Name, _ = acct.get("name").str()
	if env, ok := acct.get("tokenEnv").str(); ok && env != "" {
		a.TokenEnv, a.TokenEnvDeclared = env, true
	}
	if p := n.get("prune"); p != nil {
		a.Prune, _ = p.value.(bool)
	}
	if kbs := n.get("knowledgeBases"); kbs != nil {
		for i, kb := range kbs.items {
			k := &KnowledgeBase{Pos: kb.pos, Documents: []*Document{}, DocumentsDeclared: kb.get("documents") != nil}
			k.Name, _ = kb.get("name").str()
			k.Description, _ = kb.get("description").str()
			if i < len(doc.documents) {
				k.Documents = append(k.Documents, doc.documents[i]...)
			}
			a.KnowledgeBases = append(a.KnowledgeBases, k)
		}
	}
	if agents := n.get("agents"); agents != nil {
		for _, ag := range agents.items {
			a.Agents = append(a.Agents, l.buildKrosAgent(ag, n.pos.File))
		}
	}
	return a
}

// krosAgentKeys are the KrosAI agent keys that are not API settings.
var krosAgentKeys = []string{"name", "id", "base"}

func (l *loader) buildKrosAgent(n *node, file string) *KrosAgent {
	ag := &KrosAgent{Pos: n.pos, Settings: map[string]any{}}
	ag.Name, _ = n.get("name").str()
	ag.PinnedID, _ = n.get("id").str()
	for _, f := range n.fields {
		if !containsString(krosAgentKeys, f.key) {
			ag.Settings[f.key] = f.value.toJSON()
		}
	}
	ag.Refs = collectRefs(n, krosRefFields)
	ag.Sources = l.sourcesOf(n, file, krosAgentKeys...)
	return ag
}
