package spec

import (
	"fmt"
	"path/filepath"
	"strings"
)

// baseEntry is a parsed base file; agent is nil when the file was unusable
// (its problems are already reported).
type baseEntry struct {
	agent *node
}

// resolveAgents merges each agent of a location over its base chain and
// expands its variables in the location's scope. It also returns the paths
// of the agents whose chain could not be resolved (unknown base, cycle,
// unusable base file): their fields are incomplete, so missing ones are not
// reported on top of the base problem.
func (l *loader) resolveAgents(agents *node, file string, s scope) (*node, map[string]bool) {
	if agents == nil || agents.kind != seqKind {
		return agents, nil
	}
	unresolved := map[string]bool{}
	out := *agents
	out.items = make([]*node, len(agents.items))
	for i, a := range agents.items {
		path := fmt.Sprintf("agents[%d]", i)
		merged, ok := l.resolveAgent(a, file, path, nil)
		if !ok {
			unresolved[path] = true
		}
		x := l.newExpander(s, file)
		if bf := a.field("base"); bf != nil {
			x.usedBy, x.usedByPath = bf.value.pos, joinPath(path, "base")
		}
		out.items[i] = x.node(merged, path)
	}
	return &out, unresolved
}

// resolveAgent returns agent merged over its base (recursively), without the
// base key, and whether the whole chain resolved. file is where agent was
// written; chain holds the base files already being resolved, to detect
// cycles.
func (l *loader) resolveAgent(agent *node, file, path string, chain []string) (*node, bool) {
	if agent == nil || agent.kind != mapKind {
		return agent, true
	}
	bf := agent.field("base")
	if bf == nil {
		return agent, true
	}
	own := agent.without("base")
	name, ok := bf.value.str()
	if !ok || name == "" {
		l.d.add(bf.value.pos, joinPath(path, "base"), "must be a base name or a relative .yaml path")
		return own, false
	}
	basePath, tried := l.findBase(file, name)
	if basePath == "" {
		l.d.add(bf.value.pos, joinPath(path, "base"), "unknown base %q: %s", name, tried)
		return own, false
	}
	for i, p := range chain {
		if p == basePath {
			cycle := append(append([]string{}, chain[i:]...), basePath)
			l.d.add(bf.value.pos, joinPath(path, "base"), "base cycle: %s", strings.Join(cycle, " -> "))
			return own, false
		}
	}
	base := l.loadBase(basePath)
	if base == nil {
		return own, false
	}
	resolved, ok := l.resolveAgent(base, basePath, "", append(chain, basePath))
	return merge(resolved, own), ok
}

// findBase locates a base by name: a relative path when it ends in .yaml or
// .yml, or starts with ./ or ../ (.yaml then .yml are added when it has no
// such extension); otherwise bases/<name>.yaml (or .yml) in the nearest
// bases/ folder at or above the manifest's folder that holds it. It returns
// "" and a description of what was tried when nothing matches.
func (l *loader) findBase(fromFile, name string) (found, tried string) {
	dir := l.src.dir(fromFile)
	if isManifestName(name) || isRelativePath(name) || l.src.isAbs(name) {
		p := name
		if !l.src.isAbs(name) {
			p = l.src.join(dir, name)
		}
		if isManifestName(name) {
			if l.isFile(p) {
				return p, ""
			}
			return "", p + " does not exist"
		}
		for _, ext := range []string{".yaml", ".yml"} {
			if l.isFile(p + ext) {
				return p + ext, ""
			}
		}
		return "", fmt.Sprintf("a relative base path must end in .yaml or .yml (neither %[1]s.yaml nor %[1]s.yml exists)", p)
	}
	for _, anc := range l.src.ancestors(dir) {
		for _, ext := range []string{".yaml", ".yml"} {
			p := l.src.join(anc, basesDir, name+ext)
			if l.isFile(p) {
				return p, ""
			}
		}
	}
	return "", fmt.Sprintf("no %[1]s/%[2]s.yaml or %[1]s/%[2]s.yml in %[3]s or any folder above", basesDir, name, dir)
}

// isRelativePath reports whether a base name is written as a path relative
// to the manifest (./x or ../x) rather than a name under bases/.
func isRelativePath(name string) bool {
	slashed := filepath.ToSlash(name)
	return strings.HasPrefix(slashed, "./") || strings.HasPrefix(slashed, "../")
}

func (l *loader) isFile(p string) bool {
	info, err := l.src.stat(p)
	return err == nil && !info.IsDir()
}

// loadBase parses a base file once: exactly one YAML document holding one
// agent mapping.
func (l *loader) loadBase(p string) *node {
	if e, ok := l.bases[p]; ok {
		return e.agent
	}
	e := &baseEntry{}
	l.bases[p] = e
	data, err := l.read(p)
	if err != nil {
		l.d.add(Pos{File: p}, "", "%s", describeFSError(err))
		return nil
	}
	docs := l.parse(p, data)
	switch {
	case len(docs) == 0:
		l.d.add(Pos{File: p, Line: 1, Col: 1}, "", "base file is empty: it must hold one agent")
		return nil
	case len(docs) > 1:
		l.d.add(docs[1].pos, "", "a base file must hold exactly one document (one agent)")
		return nil
	case docs[0].kind != mapKind:
		l.d.add(docs[0].pos, "", "a base file must hold one agent mapping")
		return nil
	}
	scanSecrets(docs[0], "", &l.d)
	e.agent = docs[0]
	return e.agent
}

// merge deep-merges over onto base: mappings merge key by key, while lists
// and scalars of over replace those of base. Nodes are shared, never changed.
func merge(base, over *node) *node {
	if base == nil || base.kind != mapKind || over.kind != mapKind {
		return over
	}
	out := &node{kind: mapKind, pos: over.pos}
	out.fields = append(out.fields, base.fields...)
	for _, f := range over.fields {
		i := indexField(out.fields, f.key)
		if i < 0 {
			out.fields = append(out.fields, f)
			continue
		}
		out.fields[i] = field{key: f.key, keyPos: f.keyPos, value: merge(out.fields[i].value, f.value)}
	}
	return out
}

func indexField(fields []field, key string) int {
	for i, f := range fields {
		if f.key == key {
			return i
		}
	}
	return -1
}
