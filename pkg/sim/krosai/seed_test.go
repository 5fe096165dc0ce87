package krosai_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

const krosaiSeed = `
companies: []
krosaiAccounts:
  - name: Acme Voice
    knowledgeBases:
      - id: kb-faq
        name: Product FAQ
        description: What customers ask most
        documents:
          - {name: faq.md, content: "# FAQ"}
          - {file: docs/pricing.pdf}
          - {id: doc-broken, name: broken.docx, content: not a zip}
      - name: Empty
    agents:
      - id: ag-support
        name: Support
        system_prompt: You answer product questions briefly.
        voice_id: alloy
        knowledge_base_ids: [kb-faq]
      - name: Sales
        language: de
    conversations:
      - agent_id: ag-support
        title: Seeded
        messages:
          - {role: user, content: Hello}
  - name: Other Co
`

// writeSeed writes a seed file and the documents it names.
func writeSeed(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docs", "pricing.pdf"), []byte("%PDF-1.4 prices"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "seed.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func loadSeedFile(t *testing.T, s *sim.Server, path string) (sim.SeedStats, error) {
	t.Helper()
	seed, err := sim.ReadSeedFile(path)
	if err != nil {
		return sim.SeedStats{}, err
	}
	return s.LoadSeed(seed)
}

// TestSeedKrosAI: a seed file's KrosAI accounts are served as the API
// would answer them, documents already indexed.
func TestSeedKrosAI(t *testing.T) {
	e := newEnv(t, sim.Options{})
	st, err := loadSeedFile(t, e.s, writeSeed(t, krosaiSeed))
	if err != nil {
		t.Fatal(err)
	}
	k := st.KrosAI
	if k.Accounts != 2 || k.KnowledgeBases != 2 || k.Documents != 3 || k.Agents != 2 || k.Conversations != 1 || k.Messages != 1 {
		t.Errorf("stats %+v", k)
	}
	if s := st.String(); !strings.Contains(s, "2 KrosAI accounts: 2 knowledge bases, 3 documents, 2 agents, 1 conversations, 1 messages") {
		t.Errorf("stats %q", s)
	}
	kbs := e.do("GET", "/v1/knowledge-bases", e.key, nil).must(t, 200).list(t)
	if len(kbs) != 2 || kbs[0]["id"] != "kb-faq" || kbs[0]["document_count"] != 3.0 || kbs[0]["description"] != "What customers ask most" ||
		kbs[1]["name"] != "Empty" || kbs[1]["description"] != nil {
		t.Errorf("knowledge bases %v", kbs)
	}
	docs := e.do("GET", "/v1/knowledge-bases/kb-faq/documents", e.key, nil).must(t, 200).list(t)
	got := map[string]string{}
	for _, d := range docs {
		got[d["name"].(string)] = d["status"].(string) + " " + d["content_type"].(string)
	}
	want := map[string]string{"faq.md": "ready text/markdown", "pricing.pdf": "ready application/pdf",
		"broken.docx": "error application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%s: %q, want %q", n, got[n], w)
		}
	}
	if docs[0]["id"] != "doc-broken" || docs[1]["size"] != 15.0 {
		t.Errorf("documents %v: want newest (last seeded) first, pricing.pdf with the file's 15 bytes", docs)
	}
	agents := e.do("GET", "/v1/agents", e.key, nil).must(t, 200).list(t)
	if len(agents) != 2 || agents[0]["id"] != "ag-support" || agents[0]["voice_id"] != "alloy" ||
		mustJSON(t, agents[0]["knowledge_base_ids"]) != `["kb-faq"]` || agents[1]["language"] != "de" ||
		agents[1]["tts_provider"] != "krosaimlingual" || agents[1]["system_prompt"] != nil {
		t.Errorf("agents %v", agents)
	}
	convs := e.do("GET", "/v1/conversations", e.key, nil).must(t, 200).list(t)
	if len(convs) != 1 || convs[0]["title"] != "Seeded" || convs[0]["status"] != "active" || convs[0]["agent_id"] != "ag-support" {
		t.Errorf("conversations %v", convs)
	}
	if l := e.do("GET", "/v1/agents", e.other, nil).list(t); len(l) != 0 {
		t.Errorf("Other Co sees %v", l)
	}

	t.Run("ids replace", func(t *testing.T) {
		simtest.Seed(t, e.s, `
krosaiAccounts:
  - name: Acme Voice
    knowledgeBases: [{id: kb-faq, name: Renamed FAQ}]
    agents: [{id: ag-support, name: Support 2}]
`)
		kbs := e.do("GET", "/v1/knowledge-bases", e.key, nil).list(t)
		if len(kbs) != 2 || kbs[0]["name"] != "Renamed FAQ" || kbs[0]["description"] != nil || kbs[0]["document_count"] != 3.0 {
			t.Errorf("knowledge bases after a replace %v", kbs)
		}
		a := e.do("GET", "/v1/agents/ag-support", e.key, nil).must(t, 200).obj(t)
		if a["name"] != "Support 2" || a["voice_id"] != nil || mustJSON(t, a["knowledge_base_ids"]) != "[]" {
			t.Errorf("agent after a replace %v: want the seed's fields only", a)
		}
		if l := e.do("GET", "/v1/agents", e.key, nil).list(t); len(l) != 2 {
			t.Errorf("replacing added agents: %v", ids(l))
		}
	})
}

// TestSeedKrosAIJSON: a JSON seed file takes the same format.
func TestSeedKrosAIJSON(t *testing.T) {
	e := newEnv(t, sim.Options{})
	simtest.Seed(t, e.s, `{"krosaiAccounts": [{"name": "Acme Voice", "agents": [{"name": "Support", "knowledge_base_ids": []}]}]}`)
	if l := e.do("GET", "/v1/agents", e.key, nil).must(t, 200).list(t); len(l) != 1 || l[0]["name"] != "Support" {
		t.Errorf("agents %v", l)
	}
}

// TestSeedKrosAIErrors: a bad seed names the file, line and field, and
// writes nothing.
func TestSeedKrosAIErrors(t *testing.T) {
	e := newEnv(t, sim.Options{})
	agent := e.createAgent(e.other, map[string]any{"name": "Theirs"})
	tests := []struct {
		name, seed, want string
	}{
		{"unknown field", "krosaiAccounts:\n  - name: Acme Voice\n    agents: [{name: a, systemPrompt: x}]\n", "field systemPrompt not found"},
		{"blank account", "krosaiAccounts:\n  - name: Acme Voice\n  - name: ' '\n", "seed.yaml:3: krosaiAccounts[1].name: KrosAI account name is empty"},
		{"account twice", "krosaiAccounts:\n  - name: Acme Voice\n  - name: Acme Voice\n", "seed.yaml:3: krosaiAccounts[1].name: account \"Acme Voice\" is listed twice"},
		{"agent without name", "krosaiAccounts:\n  - name: Acme Voice\n    knowledgeBases: [{name: kept}]\n    agents:\n      - language: en\n", "seed.yaml:5: krosaiAccounts[0].agents[0]: name is required"},
		{"unknown knowledge base", "krosaiAccounts:\n  - name: Acme Voice\n    agents:\n      - {name: a, knowledge_base_ids: [kb-nope]}\n", "seed.yaml:4: krosaiAccounts[0].agents[0]: knowledge_base_ids: no knowledge base kb-nope in this account"},
		{"bad language", "krosaiAccounts:\n  - name: Acme Voice\n    agents:\n      - {name: a, language: English}\n", "language must be a language code"},
		{"document without content", "krosaiAccounts:\n  - name: Acme Voice\n    knowledgeBases:\n      - name: k\n        documents: [{name: a.md}]\n", "krosaiAccounts[0].knowledgeBases[0].documents[0]: give the document's content or file"},
		{"document with both", "krosaiAccounts:\n  - name: Acme Voice\n    knowledgeBases:\n      - name: k\n        documents: [{name: a.md, content: x, file: docs/pricing.pdf}]\n", "give content or file, not both"},
		{"document of another type", "krosaiAccounts:\n  - name: Acme Voice\n    knowledgeBases:\n      - name: k\n        documents: [{name: a.png, content: x}]\n", `file name "a.png": want a .pdf, .txt, .docx or .md file`},
		{"missing file", "krosaiAccounts:\n  - name: Acme Voice\n    knowledgeBases:\n      - name: k\n        documents: [{file: docs/nope.md}]\n", "krosaiAccounts[0].knowledgeBases[0].documents[0].file"},
		{"conversation with an unknown agent", "krosaiAccounts:\n  - name: Acme Voice\n    conversations: [{agent_id: nope}]\n", "seed.yaml:3: krosaiAccounts[0].conversations[0].agent_id: no agent \"nope\" in this account"},
		{"conversation with another account's agent", "krosaiAccounts:\n  - name: Acme Voice\n    conversations: [{agent_id: " + agent + "}]\n", "no agent \"" + agent + "\" in this account"},
		{"bad role", "krosaiAccounts:\n  - name: Acme Voice\n    agents: [{id: ag1, name: a}]\n    conversations:\n      - agent_id: ag1\n        messages: [{role: bot, content: x}]\n", `role "bot": want system, user or assistant`},
		{"bad status", "krosaiAccounts:\n  - name: Acme Voice\n    agents: [{id: ag1, name: a}]\n    conversations: [{agent_id: ag1, status: closed}]\n", `status "closed": want active or completed`},
		{"another account's id", "krosaiAccounts:\n  - name: Acme Voice\n    agents: [{id: " + agent + ", name: mine}]\n", "id " + agent + " belongs to another KrosAI account"},
		{"id twice", "krosaiAccounts:\n  - name: Acme Voice\n    agents: [{id: a1, name: a}, {id: a1, name: b}]\n", "id a1 is listed twice"},
		{"bad id", "krosaiAccounts:\n  - name: Acme Voice\n    knowledgeBases: [{id: 'kb 1', name: k}]\n", `id "kb 1" is not valid`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadSeedFile(t, e.s, writeSeed(t, tt.seed))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			for _, p := range []string{"/v1/agents", "/v1/knowledge-bases", "/v1/conversations"} {
				if l := e.do("GET", p, e.key, nil).list(t); len(l) != 0 {
					t.Errorf("a refused seed wrote %s: %v", p, ids(l))
				}
			}
		})
	}
}
