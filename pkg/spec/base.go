package spec

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// baseEntry is a parsed base file; agent is nil when the file was unusable
// (its problems are already reported). The base's default vars are kept
// apart from its agent fields.
type baseEntry struct {
	agent *node
	vars  []*varDecl
}

// resolveAgents merges each agent of a location over its base chain and
// expands its variables: the location's scope over the default vars of its
// bases (nearest first). It also returns the paths of the agents whose chain
// could not be resolved (unknown base, cycle, unusable base file): their
// fields are incomplete, so missing ones are not reported on top of the base
// problem.
func (l *loader) resolveAgents(agents *node, file string, s scope) (*node, map[string]bool) {
	if agents == nil || agents.kind != seqKind {
		return agents, nil
	}
	unresolved := map[string]bool{}
	out := *agents
	out.items = make([]*node, len(agents.items))
	for i, a := range agents.items {
		path := fmt.Sprintf("agents[%d]", i)
		merged, defaults, ok := l.resolveAgent(a, file, path, nil)
		if !ok {
			unresolved[path] = true
		}
		agentScope := s
		for _, decls := range defaults {
			agentScope = agentScope.with(decls)
		}
		x := l.newExpander(agentScope, file)
		if bf := a.field("base"); bf != nil {
			x.usedBy, x.usedByPath = bf.value.pos, joinPath(path, "base")
		}
		out.items[i] = x.node(merged, path)
	}
	return &out, unresolved
}

// resolveAgent returns agent merged over its base (recursively), without the
// base key, the default vars of its bases (nearest first), and whether the
// whole chain resolved. file is where agent was written; chain holds the
// base files already being resolved, to detect cycles. Action markers
// ($patch) are consumed here, so the result holds plain actions.
func (l *loader) resolveAgent(agent *node, file, path string, chain []string) (*node, [][]*varDecl, bool) {
	if agent == nil || agent.kind != mapKind {
		return agent, nil, true
	}
	bf := agent.field("base")
	if bf == nil {
		return l.mergeAgent(nil, agent, path, true), nil, true
	}
	own := agent.without("base")
	unresolved := func() (*node, [][]*varDecl, bool) { return l.mergeAgent(nil, own, path, false), nil, false }
	name, ok := bf.value.str()
	if !ok || name == "" {
		l.d.add(bf.value.pos, joinPath(path, "base"), "must be a base name or a relative .yaml path")
		return unresolved()
	}
	basePath, tried := l.findBase(file, name)
	if basePath == "" {
		l.d.add(bf.value.pos, joinPath(path, "base"), "unknown base %q: %s", name, tried)
		return unresolved()
	}
	for i, p := range chain {
		if p == basePath {
			cycle := append(append([]string{}, chain[i:]...), basePath)
			l.d.add(bf.value.pos, joinPath(path, "base"), "base cycle: %s", strings.Join(cycle, " -> "))
			return unresolved()
		}
	}
	base := l.loadBase(basePath)
	if base.agent == nil {
		return unresolved()
	}
	resolved, defaults, ok := l.resolveAgent(base.agent, basePath, "", append(chain, basePath))
	defaults = append([][]*varDecl{base.vars}, defaults...)
	return l.mergeAgent(resolved, own, path, true), defaults, ok
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
// agent mapping, whose vars: are the base's default variables.
func (l *loader) loadBase(p string) *baseEntry {
	if e, ok := l.bases[p]; ok {
		return e
	}
	e := &baseEntry{}
	l.bases[p] = e
	data, err := l.read(p)
	if err != nil {
		l.d.add(Pos{File: p}, "", "%s", describeFSError(err))
		return e
	}
	docs := l.parse(p, data)
	switch {
	case len(docs) == 0:
		l.d.add(Pos{File: p, Line: 1, Col: 1}, "", "base file is empty: it must hold one agent")
		return e
	case len(docs) > 1:
		l.d.add(docs[1].pos, "", "a base file must hold exactly one document (one agent)")
		return e
	case docs[0].kind != mapKind:
		l.d.add(docs[0].pos, "", "a base file must hold one agent mapping")
		return e
	}
	scanSecrets(docs[0], "", &l.d)
	if vars := docs[0].get("vars"); vars != nil {
		validateVars(vars, &l.d)
		e.vars = l.declareVars(vars, "vars", originBase)
	}
	e.agent = docs[0].without("vars")
	return e
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

// mergeAgent deep-merges agent over base (nil when the agent has none) like
// merge, except for actions, which merge by name (mergeActions). report is
// false when the base could not be read: markers are then dropped quietly.
func (l *loader) mergeAgent(base, agent *node, path string, report bool) *node {
	out := merge(base, agent)
	af := agent.field("actions")
	if af == nil || af.value.kind != seqKind {
		return out
	}
	var baseActions *node
	if bf := base.field("actions"); bf != nil && bf.value.kind == seqKind {
		baseActions = bf.value
	}
	i := indexField(out.fields, "actions")
	out.fields[i].value = l.mergeActions(baseActions, af.value, base != nil, joinPath(path, "actions"), report)
	return out
}

// Markers of an action item over a base, as in Kustomize's strategic merge.
const (
	patchKey     = "$patch"
	patchDelete  = "delete"
	patchReplace = "replace"
)

// mergeActions merges an agent's action list over its base's, by name: an
// item whose name the base has deep-merges into that action (or replaces it
// when it gives another type), a new name appends, {name: X, $patch: delete}
// removes the base's X, and an item {$patch: replace} makes the list replace
// the base's. An empty list means no actions. hasBase is false for an agent
// without a base: markers are then errors.
func (l *loader) mergeActions(base, over *node, hasBase bool, path string, report bool) *node {
	out := &node{kind: seqKind, pos: over.pos, items: []*node{}}
	if len(over.items) == 0 {
		return out
	}
	if base != nil && !slices.ContainsFunc(over.items, isReplaceMarker) {
		out.items = append(out.items, base.items...)
	}
	seen := map[string]bool{}
	for i, it := range over.items {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		name, named := it.get("name").str()
		marker := it.field(patchKey)
		if marker == nil {
			if j := actionIndex(out.items, name); named && !seen[name] && j >= 0 {
				out.items[j] = mergeAction(out.items[j], it)
			} else {
				out.items = append(out.items, it)
			}
			if named {
				seen[name] = true
			}
			continue
		}
		if !report {
			continue
		}
		switch m, _ := marker.value.str(); {
		case m == patchReplace:
			if len(it.fields) > 1 {
				l.d.add(it.pos, ipath, "an item with %s: %s must hold nothing else", patchKey, patchReplace)
			} else if !hasBase {
				l.d.add(marker.value.pos, joinPath(ipath, patchKey), "this agent has no base: there is no list to replace")
			}
		case m == patchDelete:
			switch {
			case !named:
				l.d.add(it.pos, joinPath(ipath, "name"), "name the base action to delete")
			case len(it.fields) > 2:
				l.d.add(it.pos, ipath, "an item with %s: %s must hold only name and %s", patchKey, patchDelete, patchKey)
			case !hasBase:
				l.d.add(marker.value.pos, joinPath(ipath, patchKey), "this agent has no base: there is no action %q to delete", name)
			default:
				j := actionIndex(out.items, name)
				if j < 0 {
					l.d.add(it.get("name").pos, joinPath(ipath, "name"), "the base has no action named %q to delete%s", name, didYouMean(name, actionNames(base)))
					continue
				}
				out.items = slices.Delete(out.items, j, j+1)
			}
		default:
			l.d.add(marker.value.pos, joinPath(ipath, patchKey), "must be %s or %s (got %s)", patchDelete, patchReplace, describeValue(marker.value.toJSON()))
		}
	}
	return out
}

// isReplaceMarker reports whether an action item is {$patch: replace}.
func isReplaceMarker(n *node) bool {
	m, _ := n.get(patchKey).str()
	return m == patchReplace
}

// actionIndex returns the index of the action named name in items, or -1.
func actionIndex(items []*node, name string) int {
	return slices.IndexFunc(items, func(n *node) bool {
		s, ok := n.get("name").str()
		return ok && s == name
	})
}

// actionNames returns the names of a list of actions.
func actionNames(actions *node) []string {
	var names []string
	if actions == nil {
		return nil
	}
	for _, a := range actions.items {
		if s, ok := a.get("name").str(); ok {
			names = append(names, s)
		}
	}
	return names
}

// mergeAction deep-merges an agent's action over its base's action of the
// same name. An item that gives another type replaces the base's action:
// the details of two types do not mix.
func mergeAction(base, over *node) *node {
	bt, _ := base.get("type").str()
	if ot, ok := over.get("type").str(); ok && ot != bt {
		return over
	}
	return merge(base, over)
}

func indexField(fields []field, key string) int {
	for i, f := range fields {
		if f.key == key {
			return i
		}
	}
	return -1
}
