package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/agentform/agentform/pkg/api"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func TestExamplesValidate(t *testing.T) {
	set, err := Load(filepath.Join("..", "..", "examples", "locations"))
	if err != nil {
		t.Fatalf("examples do not validate:\n%v", err)
	}
	if len(set.Locations) < 4 {
		t.Errorf("examples hold %d locations, want at least 4", len(set.Locations))
	}
	types := map[string]bool{}
	tokenEnvs := map[string]bool{}
	transfers := 0
	for _, loc := range set.Locations {
		if len(loc.ID) != 20 {
			t.Errorf("location %q: id %q is not 20 characters", loc.Name, loc.ID)
		}
		if tokenEnvs[loc.TokenEnv] {
			t.Errorf("tokenEnv %s used twice", loc.TokenEnv)
		}
		tokenEnvs[loc.TokenEnv] = true
		for _, a := range loc.Agents {
			for _, act := range a.Actions {
				types[act.Type] = true
				if act.Type == api.ActionTransferBot {
					transfers++
				}
			}
		}
	}
	for _, typ := range api.ActionTypes {
		if !types[typ] {
			t.Errorf("no example uses action type %s", typ)
		}
	}
	if transfers == 0 {
		t.Error("no example transfers between agents")
	}
	// Shared bases carry no ids: every object the API knows by id is named.
	for _, loc := range set.Locations {
		for _, ag := range loc.Agents {
			checkNamed(t, loc.Name+"/"+ag.Name, ag.Settings, agentRefFields)
			for _, act := range ag.Actions {
				checkNamed(t, loc.Name+"/"+ag.Name+"/"+act.Name, act.Details, refFields[act.Type])
			}
		}
	}
	for _, f := range set.Files {
		if !strings.Contains(filepath.ToSlash(f), "/bases/") {
			continue
		}
		// Bases are read through references, never as manifests.
		if slices.ContainsFunc(set.Locations, func(l *Location) bool { return l.Pos.File == f }) {
			t.Errorf("base %s was loaded as a manifest", f)
		}
	}
}

// TestKrosAIExample: the example account has a knowledge base with two
// documents and two agents referencing it by name, built on one base.
func TestKrosAIExample(t *testing.T) {
	set, err := Load(filepath.Join("..", "..", "examples", "krosai"))
	if err != nil {
		t.Fatalf("example does not validate:\n%v", err)
	}
	if len(set.Accounts) != 1 || len(set.Locations) != 0 || len(set.Warnings) != 0 {
		t.Fatalf("%d accounts, %d locations, warnings %v; want one account", len(set.Accounts), len(set.Locations), set.Warnings)
	}
	acct := set.Accounts[0]
	if len(acct.KnowledgeBases) != 1 || len(acct.KnowledgeBases[0].Documents) != 2 {
		t.Fatalf("knowledge bases = %+v, want one with two documents", acct.KnowledgeBases)
	}
	kb := acct.KnowledgeBases[0].Name
	if len(acct.Agents) != 2 {
		t.Fatalf("%d agents, want 2", len(acct.Agents))
	}
	for _, a := range acct.Agents {
		if len(a.Refs) != 1 || a.Refs[0].Name != kb {
			t.Errorf("agent %s refs = %+v, want %q by name", a.Name, a.Refs, kb)
		}
		if a.Settings["tts_provider"] != "krosaimlingual" {
			t.Errorf("agent %s did not get the base's settings: %v", a.Name, a.Settings)
		}
	}
}

// publishedSchemas is where a config repository's manifests find the
// schemas of a release (examples/config-repo).
const publishedSchemas = "https://raw.githubusercontent.com/agentform/agentform/"

// skipNonManifests skips folders of the examples that hold no manifests
// (a config repository's GitHub workflows).
func skipNonManifests(e os.DirEntry) error {
	if e.IsDir() && e.Name() == ".github" {
		return filepath.SkipDir
	}
	return nil
}

// isManifestExample reports whether an example file is a manifest (the
// sandbox's seed file is not).
func isManifestExample(p string) bool {
	return isManifestName(p) && filepath.Base(p) != "sandbox-seed.yaml"
}

func TestExamplesDeclareTheirSchema(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip := skipNonManifests(e); skip != nil || e.IsDir() || !isManifestExample(p) {
			return skip
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		first, _, _ := strings.Cut(string(data), "\n")
		const prefix = "# yaml-language-server: $schema="
		if !strings.HasPrefix(first, prefix) {
			t.Errorf("%s: first line %q lacks the schema comment", p, first)
			return nil
		}
		ref := strings.TrimPrefix(first, prefix)
		target := filepath.Join(filepath.Dir(p), filepath.FromSlash(ref))
		if rest, ok := strings.CutPrefix(ref, publishedSchemas); ok { // a customer repository's published schema
			_, file, _ := strings.Cut(rest, "/schemas/")
			target = filepath.Join("..", "..", "schemas", file)
		}
		if _, err := os.Stat(target); err != nil {
			t.Errorf("%s: schema path does not resolve: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSchemasCompile(t *testing.T) {
	loc, agent, err := Schemas()
	if err != nil {
		t.Fatalf("Schemas: %v", err)
	}
	if loc == nil || agent == nil {
		t.Fatal("Schemas returned nil schemas")
	}
	// A base file is checked by the agent schema on its own.
	if err := agent.Validate(map[string]any{"mode": "auto-pilot"}); err != nil {
		t.Errorf("valid base rejected: %v", err)
	}
	if err := agent.Validate(map[string]any{"mood": "happy"}); err == nil {
		t.Error("agent schema accepted an unknown field")
	}
}

func TestLoadRelativePathsDigestAndBasesAbove(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "bases/desk.yaml", "personality: p\ngoal: g\ninstructions: i\n")
	write(t, dir, "fleet/texas/austin.yaml", head+"agents:\n  - name: A\n    base: desk\n")
	write(t, dir, "fleet/texas/bases/ignored.yaml", "not: a manifest\n")
	write(t, dir, "fleet/README.md", "not yaml")
	t.Chdir(dir)

	set, err := Load("fleet")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	wantFiles := []string{filepath.Join("bases", "desk.yaml"), filepath.Join("fleet", "texas", "austin.yaml")}
	if !slices.Equal(set.Files, wantFiles) {
		t.Errorf("Files = %q, want %q", set.Files, wantFiles)
	}
	h := sha256.New() // over each path, a NUL and the SHA-256 of its content
	for _, f := range wantFiles {
		data, _ := os.ReadFile(f)
		h.Write([]byte(f + "\x00"))
		sum := sha256.Sum256(data)
		h.Write(sum[:])
	}
	if want := hex.EncodeToString(h.Sum(nil)); set.Digest != want {
		t.Errorf("Digest = %s, want %s", set.Digest, want)
	}
	if got := set.Locations[0].Agents[0].Settings["personality"]; got != "p" {
		t.Errorf("base from a bases/ folder above the manifest not merged: personality = %v", got)
	}

	// Changing a base changes the digest.
	write(t, dir, "bases/desk.yaml", "personality: q\ngoal: g\ninstructions: i\n")
	again, err := Load("fleet")
	if err != nil {
		t.Fatal(err)
	}
	if again.Digest == set.Digest {
		t.Error("digest did not change when a base changed")
	}
}

// TestLoadVarsFileOutsideTheTree: a group's vars file may live beside the
// folder being loaded; it counts in Files and the digest.
func TestLoadVarsFileOutsideTheTree(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "groups/texas.yaml", "apiVersion: agentform/v1\nkind: Vars\nvars: {flows: [{name: Confirm}]}\n")
	write(t, dir, "locations/austin.yaml", head+"varsFiles: [../groups/texas.yaml]\nagents:\n  - name: A\n    knowledgeBaseIds: ${flows}\n")
	t.Chdir(dir)
	set, err := Load("locations")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	group := filepath.Join("groups", "texas.yaml")
	if !slices.Contains(set.Files, group) {
		t.Errorf("Files = %q, want %s among them", set.Files, group)
	}
	refs := set.Locations[0].Agents[0].Refs
	if len(refs) != 1 || refs[0].Name != "Confirm" || refs[0].Kind != RefKnowledgeBase || refs[0].Pos.File != group {
		t.Errorf("Refs = %+v, want Confirm written in %s", refs, group)
	}
	write(t, dir, "groups/texas.yaml", "apiVersion: agentform/v1\nkind: Vars\nvars: {flows: [{name: Confirmed}]}\n")
	again, err := Load("locations")
	if err != nil {
		t.Fatal(err)
	}
	if again.Digest == set.Digest {
		t.Error("digest did not change when the vars file changed")
	}
}

func TestLoadModelTypes(t *testing.T) {
	const doc = head + `agents:
  - name: A
    personality: p
    goal: g
    instructions: i
    waitTime: 3
    channels: [SMS]
    actions: []
  - name: B
    personality: p
    goal: g
    instructions: i
`
	set, err := LoadFS(fstest.MapFS{"l.yml": {Data: []byte(doc)}}, "l.yml")
	if err != nil {
		t.Fatal(err)
	}
	loc := set.Locations[0]
	if loc.TokenEnv != DefaultTokenEnv {
		t.Errorf("TokenEnv = %q, want default %q", loc.TokenEnv, DefaultTokenEnv)
	}
	if loc.TokenEnvDeclared {
		t.Error("TokenEnvDeclared is true for a location naming no tokenEnv")
	}
	a, b := loc.Agents[0], loc.Agents[1]
	if v, ok := a.Settings["waitTime"].(float64); !ok || v != 3 {
		t.Errorf("waitTime = %#v, want float64(3)", a.Settings["waitTime"])
	}
	if v, ok := a.Settings["channels"].([]any); !ok || len(v) != 1 || v[0] != "SMS" {
		t.Errorf("channels = %#v, want []any{\"SMS\"}", a.Settings["channels"])
	}
	for _, key := range agentKeys {
		if _, ok := a.Settings[key]; ok {
			t.Errorf("Settings holds %q", key)
		}
	}
	if !a.ActionsDeclared || len(a.Actions) != 0 {
		t.Errorf("agent A: ActionsDeclared=%v actions=%d, want true and 0", a.ActionsDeclared, len(a.Actions))
	}
	if b.ActionsDeclared {
		t.Error("agent B has no actions key but ActionsDeclared is true")
	}
}

func TestLoadFileProblems(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		paths []string
		want  string
	}{
		{"missing path", fstest.MapFS{}, []string{"nope.yaml"}, "nope.yaml: no such file or directory"},
		{"folder without manifests", fstest.MapFS{"d/bases/b.yaml": {Data: []byte("mode: off\n")}, "d/x.txt": {}}, []string{"d"},
			"d: no *.yaml or *.yml manifests in this folder (bases/ folders are not searched)"},
		{"empty file given by name", fstest.MapFS{"e.yaml": {}}, []string{"e.yaml"},
			"e.yaml:1:1: no Location document in this file"},
		{"comment-only file found in a folder", fstest.MapFS{"d/a.yaml": {Data: []byte(head)}, "d/b.yml": {Data: []byte("# todo\n")}}, []string{"d"},
			"d/b.yml:1:1: no Location document in this file"},
		{"alias bomb", fstest.MapFS{"l.yaml": {Data: []byte(aliasBomb())}}, []string{"l.yaml"},
			"l.yaml:1:1: document too large (more than 200000 values after alias expansion)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(tt.fsys, tt.paths...)
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("err = %v, want Diagnostics", err)
			}
			if got := ds.String(); !strings.Contains(got, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant among them: %s", got, tt.want)
			}
		})
	}
}

func TestLoadNoPaths(t *testing.T) {
	if _, err := Load(); !errors.Is(err, ErrNoPaths) {
		t.Errorf("Load() = %v, want ErrNoPaths", err)
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Pos{"a.yaml", 3, 7}, "agents[0].mode", "bad"}, "a.yaml:3:7: agents[0].mode: bad"},
		{Diagnostic{Pos{"a.yaml", 3, 7}, "", "bad"}, "a.yaml:3:7: bad"},
		{Diagnostic{Pos{File: "a.yaml"}, "", "bad"}, "a.yaml: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.d.String(); got != tt.want {
				t.Errorf("String() = %q", got)
			}
		})
	}
}

// aliasBomb nests aliases so that expansion explodes.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString(head + "vars:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	return b.String()
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExamplesPassTheEditorSchemas validates every example file as written,
// the way an editor does with the schema named on its first line: actions
// over a base may be partial, names may stand for ids. Whole-value variable
// references (workflowIds: ${flows}) are strings until expanded, so errors
// at such a string are expected and skipped.
func TestExamplesPassTheEditorSchemas(t *testing.T) {
	c, err := loadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..", "examples")
	err = filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip := skipNonManifests(e); skip != nil || e.IsDir() || !isManifestExample(p) {
			return skip
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		first, _, _ := strings.Cut(string(data), "\n")
		schemaFile := path.Base(strings.TrimPrefix(first, "# yaml-language-server: $schema="))
		l := &loader{varUsed: map[*varDecl]bool{}}
		for _, doc := range l.parse(p, data) {
			var d diags
			validateAgainst(doc, &d, nil, func(c *compiledSchemas) *jsonschema.Schema {
				s, _ := c.compiled(schemaFile)
				return s
			})
			for _, dg := range d.list {
				if n, _, _ := locate(doc, strings.Split(strings.ReplaceAll(strings.ReplaceAll(dg.Path, "[", "."), "]", ""), ".")); n != nil {
					if s, ok := n.str(); ok {
						if _, whole := wholeReference(s); whole {
							continue
						}
					}
				}
				t.Errorf("%s: %v", p, dg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = c
}

// checkNamed reports a literal id at any of the reference fields of v.
func checkNamed(t *testing.T, where string, v map[string]any, fields []refField) {
	t.Helper()
	var walk func(v any, segs []string, path string)
	walk = func(v any, segs []string, path string) {
		if len(segs) == 0 {
			if _, literal := v.(string); literal {
				t.Errorf("%s: %s is a literal id; examples name it ({name: ...})", where, path)
			}
			return
		}
		m, _ := v.(map[string]any)
		key, list := strings.CutSuffix(segs[0], "[]")
		next, ok := m[key]
		if !ok {
			return
		}
		if !list {
			walk(next, segs[1:], joinPath(path, key))
			return
		}
		items, _ := next.([]any)
		for i, it := range items {
			walk(it, segs[1:], fmt.Sprintf("%s[%d]", joinPath(path, key), i))
		}
	}
	for _, f := range fields {
		walk(v, strings.Split(f.path, "."), "")
	}
}
