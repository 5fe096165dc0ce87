package krosai_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider/krosai"
	"github.com/agentform/agentform/pkg/spec"
)

const accountManifest = `apiVersion: agentform/v1
kind: KrosAIAccount
account: {name: Acme Voice, tokenEnv: KROSAI_KEY_ACME}
prune: true
knowledgeBases:
  - name: Product FAQ
    description: What customers ask most
    documents: [docs/faq.md, docs/pricing.txt]
agents:
  - name: Support
    system_prompt: PROMPT
    language: en
    voice_id: alloy
    knowledge_base_ids: [{name: Product FAQ}]
  - name: Sales
    description: Sells plans
    system_prompt: You sell plans.
    knowledge_base_ids: [{name: Product FAQ}]
`

// writeAccount writes the account manifest with Support's prompt, and the
// two documents.
func writeAccount(f *files, prompt, faq string) {
	f.write("acme.yaml", strings.Replace(accountManifest, "PROMPT", prompt, 1))
	f.write("docs/faq.md", faq)
	f.write("docs/pricing.txt", "Basic 10/month. Pro 30/month.\n")
}

// TestAccountLifecycle is the end-to-end scenario against the
// sandbox, every request and answer checked against krosai.openapi.json:
// apply creates a knowledge base with two documents and two agents naming
// it; plan is then empty; a prompt change and a pruned agent plan and
// apply; a changed document is uploaded again while the plan says the old
// one stays; a changed description is reported, never pretended.
func TestAccountLifecycle(t *testing.T) {
	sb := newSandbox(t, nil)
	f := newFiles(t)
	writeAccount(f, "You answer product questions briefly.", "# FAQ\nQ: Hours? A: 9-5.\n")
	set := f.load()

	p := sb.plan(set)
	want := []string{
		`create knowledgeBase "Product FAQ"`,
		`create document "Product FAQ"/"` + uploadName(set, "faq.md") + `"`,
		`create document "Product FAQ"/"` + uploadName(set, "pricing.txt") + `"`,
		`create voiceAgent "Sales"`,
		`create voiceAgent "Support"`,
	}
	if got := changes(p); !slices.Equal(got, want) {
		t.Fatalf("first plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range p.Targets[0].Changes[1:] {
		if !slices.Contains(c.DependsOn, 0) {
			t.Errorf("%s does not wait for the knowledge base's create: dependsOn %v", c.Title(), c.DependsOn)
		}
	}
	if got := p.Targets[0].Changes[3].After["knowledge_base_ids"]; fmt.Sprint(got) != "[Product FAQ]" {
		t.Errorf("plan shows knowledge_base_ids %v, want the name", got)
	}
	sb.applied(set, p)

	acct := sb.account("Acme Voice")
	ctx := context.Background()
	kbs, err := acct.ListKnowledgeBases(ctx)
	if err != nil || len(kbs) != 1 {
		t.Fatalf("knowledge bases %v, %v", kbs, err)
	}
	docs, err := acct.ListDocuments(ctx, kbs[0].ID)
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents %v, %v", docs, err)
	}
	agents, err := acct.ListAgents(ctx)
	if err != nil || len(agents) != 2 {
		t.Fatalf("agents %v, %v", agents, err)
	}
	for _, a := range agents {
		if !slices.Equal(a.KnowledgeBaseIDs, []string{kbs[0].ID}) {
			t.Errorf("agent %s: knowledge_base_ids %v, want [%s]", a.Name, a.KnowledgeBaseIDs, kbs[0].ID)
		}
	}
	requireNoChanges(t, sb.plan(set))
	if got := changes(sb.plan(set)); len(got) != 0 {
		t.Errorf("after apply: %v, want nothing at all", got)
	}

	// A prompt change and a pruned agent.
	writeAccount(f, "You answer product questions in one sentence.", "# FAQ\nQ: Hours? A: 9-5.\n")
	f.write("acme.yaml", strings.Replace(readFile(t, f, "acme.yaml"), "  - name: Sales\n    description: Sells plans\n    system_prompt: You sell plans.\n    knowledge_base_ids: [{name: Product FAQ}]\n", "", 1))
	set = f.load()
	p = sb.plan(set)
	want = []string{`update voiceAgent "Support"`, `delete voiceAgent "Sales"`}
	if got := changes(p); !slices.Equal(got, want) {
		t.Fatalf("prompt change and prune:\n%s", strings.Join(got, "\n"))
	}
	if d := p.Targets[0].Changes[0].Diffs; len(d) != 1 || d[0].Path != "system_prompt" {
		t.Errorf("update diffs %+v, want system_prompt alone", d)
	}
	sb.applied(set, p)
	requireNoChanges(t, sb.plan(set))
	agents, _ = acct.ListAgents(ctx)
	if len(agents) != 1 || *agents[0].SystemPrompt != "You answer product questions in one sentence." ||
		*agents[0].VoiceID != "alloy" || !slices.Equal(agents[0].KnowledgeBaseIDs, []string{kbs[0].ID}) {
		t.Errorf("after the update: %+v", agents)
	}

	// A changed document: uploaded again; the old one stays, and plan says so.
	oldFAQ := uploadName(set, "faq.md")
	writeAccount(f, "You answer product questions in one sentence.", "# FAQ\nQ: Hours? A: 8-6.\n")
	f.write("acme.yaml", strings.Replace(readFile(t, f, "acme.yaml"), "  - name: Sales\n    description: Sells plans\n    system_prompt: You sell plans.\n    knowledge_base_ids: [{name: Product FAQ}]\n", "", 1))
	set = f.load()
	newFAQ := uploadName(set, "faq.md")
	if newFAQ == oldFAQ {
		t.Fatalf("a changed file keeps its upload name %s", newFAQ)
	}
	p = sb.plan(set)
	want = []string{`create document "Product FAQ"/"` + newFAQ + `"`, `report document "Product FAQ"/"` + oldFAQ + `"`}
	if got := changes(p); !slices.Equal(got, want) {
		t.Fatalf("changed document:\n%s", strings.Join(got, "\n"))
	}
	if r := p.Targets[0].Changes[1].Reason; !strings.Contains(r, "cannot delete documents: it stays") {
		t.Errorf("report on the old document: %q", r)
	}
	sb.applied(set, p)
	docs, _ = acct.ListDocuments(ctx, kbs[0].ID)
	if len(docs) != 3 || docs[0].Name != newFAQ {
		t.Errorf("documents after the upload: %+v", docs)
	}
	requireNoChanges(t, sb.plan(set))

	// A changed description cannot be applied: a report, not an update.
	f.write("acme.yaml", strings.Replace(readFile(t, f, "acme.yaml"), "What customers ask most", "What buyers ask", 1))
	set = f.load()
	p = sb.plan(set)
	requireNoChanges(t, p)
	var reasons []string
	for _, c := range p.Targets[0].Changes {
		reasons = append(reasons, c.Reason)
	}
	if !slices.ContainsFunc(reasons, func(r string) bool {
		return strings.Contains(r, "(description), but the API has no update for knowledge bases: it stays as it is")
	}) {
		t.Errorf("reports %q: want the description one", reasons)
	}
}

// uploadName is the upload name of the document of set whose file is named
// file.
func uploadName(set *spec.Set, file string) string {
	for _, a := range set.Accounts {
		for _, kb := range a.KnowledgeBases {
			for _, d := range kb.Documents {
				if d.Name == file {
					return krosai.UploadName(d.Name, d.SHA256)
				}
			}
		}
	}
	return "no such document " + file
}

// TestLostAnswersAreLookedUp: a knowledge base create, a document upload
// and an agent create whose answers are lost are looked up by name and
// adopted, never sent twice.
func TestLostAnswersAreLookedUp(t *testing.T) {
	posts := func(r *http.Request) bool { return r.Method == http.MethodPost }
	var lost *loseAnswers
	sb := newSandbox(t, func(base http.RoundTripper) http.RoundTripper {
		lost = &loseAnswers{base: base, match: posts, n: 3}
		return lost
	})
	f := newFiles(t)
	writeAccount(f, "Be brief.", "# FAQ\n")
	set := f.load()
	r := sb.applied(set, sb.plan(set))
	if len(lost.lost) != 3 {
		t.Fatalf("lost %v, want 3 answers", lost.lost)
	}
	adopted := 0
	for _, s := range r.Targets[0].Steps {
		if s.Adopted {
			adopted++
		}
	}
	if adopted != 3 {
		var b strings.Builder
		_ = apply.RenderText(&b, r)
		t.Errorf("%d steps adopted, want 3:\n%s", adopted, b.String())
	}
	acct := sb.account("Acme Voice")
	ctx := context.Background()
	kbs, _ := acct.ListKnowledgeBases(ctx)
	agents, _ := acct.ListAgents(ctx)
	if len(kbs) != 1 || len(agents) != 2 {
		t.Fatalf("%d knowledge bases, %d agents: a lost answer was created twice", len(kbs), len(agents))
	}
	if docs, _ := acct.ListDocuments(ctx, kbs[0].ID); len(docs) != 2 {
		t.Fatalf("%d documents, want 2", len(docs))
	}
	requireNoChanges(t, sb.plan(set))
}

// TestPinnedAgentRename: an agent pinned by id is renamed in place.
func TestPinnedAgentRename(t *testing.T) {
	sb := newSandbox(t, nil)
	ctx := context.Background()
	name := "Old Name"
	a, err := sb.account("Acme Voice").CreateAgent(ctx, kapi.AgentInput{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	f := newFiles(t)
	f.write("acme.yaml", "apiVersion: agentform/v1\nkind: KrosAIAccount\naccount: {name: Acme Voice}\nagents:\n  - {name: New Name, id: "+a.ID+", language: en}\n")
	set := f.load()
	p := sb.plan(set)
	if got := changes(p); !slices.Equal(got, []string{`update voiceAgent "New Name"`}) {
		t.Fatalf("plan %v", got)
	}
	if r := p.Targets[0].Changes[0].Reason; !strings.Contains(r, "renamed from \"Old Name\"") {
		t.Errorf("reason %q", r)
	}
	sb.applied(set, p)
	requireNoChanges(t, sb.plan(set))
	all, _ := sb.account("Acme Voice").ListAgents(ctx)
	if len(all) != 1 || all[0].ID != a.ID || all[0].Name != "New Name" {
		t.Errorf("agents %+v", all)
	}
}

// TestUnmanagedObjects: without prune, undeclared agents and knowledge bases
// are reported; with prune, undeclared agents are deleted and undeclared
// knowledge bases reported as staying; a knowledge base that lists no
// documents leaves its live documents alone.
func TestUnmanagedObjects(t *testing.T) {
	sb := newSandbox(t, nil)
	ctx := context.Background()
	acct := sb.account("Acme Voice")
	for _, n := range []string{"Old KB", "Product FAQ"} {
		kb, err := acct.CreateKnowledgeBase(ctx, kapi.KnowledgeBaseInput{Name: n})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := acct.UploadDocument(ctx, kb.ID, "by-hand.md", []byte("# by hand")); err != nil {
			t.Fatal(err)
		}
	}
	name := "Old Agent"
	if _, err := acct.CreateAgent(ctx, kapi.AgentInput{Name: &name}); err != nil {
		t.Fatal(err)
	}
	f := newFiles(t)
	for _, prune := range []bool{false, true} {
		f.write("acme.yaml", fmt.Sprintf("apiVersion: agentform/v1\nkind: KrosAIAccount\naccount: {name: Acme Voice}\nprune: %v\nknowledgeBases: [{name: Product FAQ}]\n", prune))
		p := sb.plan(f.load())
		got := changes(p)
		want := []string{`report knowledgeBase "Old KB"`, `report document "Product FAQ"`, `report voiceAgent "Old Agent"`}
		if prune {
			want = []string{`delete voiceAgent "Old Agent"`, `report knowledgeBase "Old KB"`, `report document "Product FAQ"`}
		}
		if !slices.Equal(got, want) {
			t.Errorf("prune %v:\n%s\nwant\n%s", prune, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, c := range p.Targets[0].Changes {
			if prune && c.Kind == krosai.KindKnowledgeBase && !strings.Contains(c.Reason, "the API cannot delete knowledge bases: it stays") {
				t.Errorf("pruned knowledge base: %q", c.Reason)
			}
			if c.Kind == krosai.KindDocument && !strings.Contains(c.Reason, "1 live document(s) left alone") {
				t.Errorf("documents: %q", c.Reason)
			}
		}
	}
}

// TestLiteralKnowledgeBaseIDRefused: a literal id in knowledge_base_ids is
// an error naming the file, the agent and the item.
func TestLiteralKnowledgeBaseIDRefused(t *testing.T) {
	f := newFiles(t)
	f.write("acme.yaml", "apiVersion: agentform/v1\nkind: KrosAIAccount\naccount: {name: Acme Voice}\nagents:\n  - name: Support\n    knowledge_base_ids: [kb-123]\n")
	_, err := krosai.Targets(f.load())
	if err == nil || !strings.Contains(err.Error(), "acme.yaml:5") || !strings.Contains(err.Error(), "knowledge_base_ids[0]") ||
		!strings.Contains(err.Error(), "{name: ...}") {
		t.Fatalf("error %v", err)
	}
}

func readFile(t *testing.T, f *files, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPlanJSON: a KrosAI target's plan names its id krosaiAccountId and its
// live objects by kind, and survives a save and load.
func TestPlanJSON(t *testing.T) {
	sb := newSandbox(t, nil)
	f := newFiles(t)
	writeAccount(f, "Be brief.", "# FAQ\n")
	set := f.load()
	sb.applied(set, sb.plan(set))
	writeAccount(f, "Be briefer.", "# FAQ\n")
	set = f.load()
	p := sb.plan(set)
	var b strings.Builder
	if err := plan.RenderJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"krosaiAccountId": "Acme Voice"`, `"liveKnowledgeBases"`, `"liveVoiceAgents"`, `"voiceAgent": "Support"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("plan JSON lacks %s:\n%s", want, b.String())
		}
	}
	loaded, err := plan.Load(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	sb.applied(set, loaded)
	requireNoChanges(t, sb.plan(set))
}
