package main

import (
	"encoding/json"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/krosai"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

const krosaiTestManifest = `apiVersion: agentform/v1
kind: KrosAIAccount
account: {name: Acme Voice, tokenEnv: KROSAI_KEY_ACME}
prune: true
knowledgeBases:
  - name: Product FAQ
    description: What customers ask most
    documents: [docs/faq.md, docs/pricing.md]
agents:
  - name: Support
    description: First-line voice support
    system_prompt: PROMPT
    language: en
    voice_id: alloy
    knowledge_base_ids: [{name: Product FAQ}]
  - name: Sales
    system_prompt: You sell plans.
    knowledge_base_ids: [{name: Product FAQ}]
`

// krosaiEnv is a sandbox reached through a proxy that checks every request
// and answer against the contract, a manifest folder and the account's key.
type krosaiEnv struct {
	s        *sim.Server
	endpoint string // the checking proxy
	rec      *contract.Recorder
	dir      string
	env      map[string]string
	key      string // the account's key, which no output may show
}

func newKrosAIEnv(t *testing.T) *krosaiEnv {
	t.Helper()
	s, srv := simtest.Start(t, sim.Options{KrosAIIndexDelay: -1})
	target, _ := url.Parse(srv.URL)
	rec := &contract.Recorder{Base: srv.Client().Transport}
	proxy := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport: rec,
	})
	t.Cleanup(func() {
		proxy.Close()
		if v := rec.Violations(); len(v) > 0 {
			t.Errorf("contract violations (%d):\n%s", len(v), strings.Join(v, "\n"))
		}
	})
	key, err := s.MintKrosAIKey("Acme Voice")
	if err != nil {
		t.Fatal(err)
	}
	e := &krosaiEnv{s: s, endpoint: proxy.URL, rec: rec, dir: t.TempDir(), env: map[string]string{"KROSAI_KEY_ACME": key}, key: key}
	e.write(t, "You answer product questions briefly.", true, "# FAQ\nQ: Hours? A: 9-5.\n")
	e.writeFile(t, "docs/pricing.md", "Basic 10/month.\n")
	return e
}

func (e *krosaiEnv) writeFile(t *testing.T, name, content string) {
	t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// write writes the manifest with Support's prompt, with or without Sales,
// and the FAQ document.
func (e *krosaiEnv) write(t *testing.T, prompt string, sales bool, faq string) {
	t.Helper()
	m := strings.Replace(krosaiTestManifest, "PROMPT", prompt, 1)
	if !sales {
		m = strings.Replace(m, "  - name: Sales\n    system_prompt: You sell plans.\n    knowledge_base_ids: [{name: Product FAQ}]\n", "", 1)
	}
	e.writeFile(t, "acme.yaml", m)
	e.writeFile(t, "docs/faq.md", faq)
}

// run runs agentform against the checking proxy.
func (e *krosaiEnv) run(t *testing.T, args ...string) cliResult {
	t.Helper()
	args = append([]string{args[0], "--krosai-endpoint", e.endpoint}, args[1:]...)
	r := runCLI(t, e.env, args...)
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.Contains(out, e.key) {
			t.Fatalf("%v: the API key appears in the output", args)
		}
		if strings.Contains(out, krosai.RoomTokenPrefix) {
			t.Fatalf("%v: a room token appears in the output", args)
		}
	}
	return r
}

func expectCode(t *testing.T, r cliResult, code int, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, w := range wants {
		if !strings.Contains(r.stdout+r.stderr, w) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", w, r.stdout, r.stderr)
		}
	}
}

// TestKrosAIEndToEnd is the scenario from the CLI: apply creates a
// knowledge base with two documents and two agents naming it; plan is then
// empty; a prompt change and a pruned agent plan and apply; a saved plan
// that uploads needs its manifests; export round-trips; conversation opens
// an active session and never prints its token. Every request and answer
// is checked against krosai.openapi.json.
func TestKrosAIEndToEnd(t *testing.T) {
	e := newKrosAIEnv(t)
	expectCode(t, e.run(t, "apply", "--auto-approve", e.dir), 0,
		`create knowledgeBase "Product FAQ"`, `create document "Product FAQ"/"faq.`, `create document "Product FAQ"/"pricing.`,
		`create voiceAgent "Support"`, `create voiceAgent "Sales"`, `acme.yaml:18): ["Product FAQ"]`)
	expectCode(t, e.run(t, "plan", "--detailed-exitcode", e.dir), 0, "No changes.")

	e.write(t, "You answer in one sentence.", false, "# FAQ\nQ: Hours? A: 9-5.\n")
	// Pruning one of the account's two agents is half of them: refused by
	// default (exit 3), allowed with --force-deletes.
	expectCode(t, e.run(t, "plan", "--detailed-exitcode", e.dir), exitSafety, "deleting 1 of its 2 live voiceAgents: more than a third")
	expectCode(t, e.run(t, "plan", "--detailed-exitcode", "--force-deletes", e.dir), exitChanges,
		`update voiceAgent "Support"`, `system_prompt (`, `"You answer product questions briefly." → "You answer in one sentence."`,
		`delete voiceAgent "Sales"`, "1 to update, 1 to delete")
	expectCode(t, e.run(t, "apply", "--auto-approve", "--force-deletes", e.dir), 0)
	expectCode(t, e.run(t, "plan", "--detailed-exitcode", e.dir), 0, "No changes.")

	// A changed document, through a saved plan: its upload needs the files.
	e.write(t, "You answer in one sentence.", false, "# FAQ\nQ: Hours? A: 8-6.\n")
	planFile := filepath.Join(t.TempDir(), "plan.json")
	expectCode(t, e.run(t, "plan", "--out", planFile, e.dir), 0, "but the API cannot delete documents: it stays")
	expectCode(t, e.run(t, "apply", "--auto-approve", "--plan", planFile), 1, "needs the manifests the plan was made from")
	expectCode(t, e.run(t, "apply", "--auto-approve", "--plan", planFile, e.dir), 0)
	expectCode(t, e.run(t, "plan", "--detailed-exitcode", e.dir), 0, "No changes.")

	// Export round-trips: its manifest plans to no changes.
	out := t.TempDir()
	expectCode(t, e.run(t, "export", "--krosai", "--token-env", "KROSAI_KEY_ACME", "--account", "Acme Voice", "--out", out), 0,
		"wrote "+filepath.Join(out, "acme-voice.yaml"), `knowledge base "Product FAQ": 3 documents not exported`)
	exported, err := os.ReadFile(filepath.Join(out, "acme-voice.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kind: KrosAIAccount", "tokenEnv: KROSAI_KEY_ACME", "knowledge_base_ids: [{name: Product FAQ}]",
		"3 live documents, not exported"} {
		if !strings.Contains(string(exported), want) {
			t.Errorf("exported manifest lacks %q:\n%s", want, exported)
		}
	}
	expectCode(t, e.run(t, "plan", "--detailed-exitcode", out), 0, "No changes.", "3 live document(s) left alone")

	// The smoke test.
	r := e.run(t, "conversation", e.dir, "--agent", "Support", "--title", "Deploy check", "--format", "json")
	expectCode(t, r, 0)
	var conv map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &conv); err != nil {
		t.Fatalf("conversation JSON: %v\n%s", err, r.stdout)
	}
	if conv["status"] != "active" || conv["title"] != "Deploy check" || conv["room_name"] == "" || conv["room_url"] == "" ||
		conv["agent"] != "Support" || conv["agent_id"] == "" || conv["id"] == "" {
		t.Errorf("conversation %v", conv)
	}
	if _, ok := conv["token"]; ok {
		t.Error("the conversation output has a token field")
	}
	expectCode(t, e.run(t, "conversation", e.dir, "--agent", "Support"), 0, "status:    active", "room_url:  wss://")
	expectCode(t, e.run(t, "conversation", e.dir, "--agent", "Sales"), 1, "no KrosAIAccount document declares a voice agent named \"Sales\"")

	if e.rec.Exchanges() < 20 {
		t.Errorf("the contract recorder saw %d exchanges", e.rec.Exchanges())
	}
}

// TestKrosAIMixedFolderSandbox: one plan and one apply cover a HighLevel
// location and a KrosAI account in one folder; --sandbox arranges both
// credentials and the KrosAI endpoint in-process.
func TestKrosAIMixedFolderSandbox(t *testing.T) {
	e := newKrosAIEnv(t)
	writeManifest(t, e.dir, "loc.yaml", "locMixed", "HL_TOKEN_MIXED", false, "Desk")
	sandbox := "--sandbox=" + filepath.Join(t.TempDir(), "sandbox.db")
	r := runCLI(t, nil, "plan", sandbox, e.dir)
	expectCode(t, r, 0, "Location locMixed", "KrosaiAccount Acme Voice", `create agent "Desk"`, `create voiceAgent "Support"`,
		"across 2 of 2 targets")
	expectCode(t, runCLI(t, nil, "apply", sandbox, "--auto-approve", e.dir), 0)
	expectCode(t, runCLI(t, nil, "plan", sandbox, "--detailed-exitcode", e.dir), 0, "No changes. 2 targets are up to date.")
	expectCode(t, runCLI(t, nil, "conversation", sandbox, e.dir, "--agent", "Support"), 0, "status:    active")
	if r := runCLI(t, nil, "plan", sandbox, "--krosai-endpoint", e.endpoint, e.dir); r.code != 1 || !strings.Contains(r.stderr, "--sandbox and --krosai-endpoint exclude each other") {
		t.Errorf("--sandbox with --krosai-endpoint: exit %d\n%s", r.code, r.stderr)
	}
}

// TestKrosAIKeyRules: a missing key fails its account naming the variable;
// one key in two accounts' variables refuses both; the key never prints.
func TestKrosAIKeyRules(t *testing.T) {
	e := newKrosAIEnv(t)
	key := e.env["KROSAI_KEY_ACME"]
	e.env = map[string]string{}
	expectCode(t, e.run(t, "plan", e.dir), 1, "KrosAI account Acme Voice: environment variable KROSAI_KEY_ACME is not set")

	e.writeFile(t, "other.yaml", "apiVersion: agentform/v1\nkind: KrosAIAccount\naccount: {name: Other Voice, tokenEnv: KROSAI_KEY_OTHER}\n")
	e.env = map[string]string{"KROSAI_KEY_ACME": key, "KROSAI_KEY_OTHER": key}
	r := e.run(t, "plan", e.dir)
	expectCode(t, r, 1)
	if n := strings.Count(r.stdout, "one API key serves KROSAI_KEY_ACME (account Acme Voice), KROSAI_KEY_OTHER (account Other Voice)"); n != 2 {
		t.Errorf("both accounts must be refused, %d were:\n%s", n, r.stdout)
	}
	e.env = map[string]string{"KROSAI_KEY_ACME": "Bearer " + key}
	expectCode(t, e.run(t, "plan", e.dir), 1, `KROSAI_KEY_ACME starts with "Bearer "`)
}

// TestKrosAIExampleSandbox: the KrosAI example applies to the in-process
// sandbox, then plans to no changes, and its agent answers a conversation.
func TestKrosAIExampleSandbox(t *testing.T) {
	sandbox := "--sandbox=" + filepath.Join(t.TempDir(), "sandbox.db")
	example := filepath.Join("..", "..", "examples", "krosai")
	expectCode(t, runCLI(t, nil, "apply", sandbox, "--auto-approve", example), 0, `create voiceAgent "Front Desk Voice"`)
	expectCode(t, runCLI(t, nil, "plan", sandbox, "--detailed-exitcode", example), 0, "No changes.")
	expectCode(t, runCLI(t, nil, "conversation", sandbox, example, "--agent", "Front Desk Voice"), 0, "status:    active")
}

func TestKrosAIFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"conversation without agent", []string{"conversation", "x"}, "--agent NAME"},
		{"conversation format", []string{"conversation", "x", "--agent", "A", "--format", "yaml"}, `--format "yaml"`},
		{"export account without krosai", []string{"export", "--account", "A"}, "give --krosai too"},
		{"export krosai with location", []string{"export", "--krosai", "--location", "x"}, "--location and --locations-file are for HighLevel"},
		{"export krosai token itself", []string{"export", "--krosai", "--token-env", "kros_abc"}, "must name an environment variable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, nil, tt.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 mentioning %q", r.code, r.stderr, tt.want)
			}
		})
	}
}
