package krosai_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/provider/krosai"
)

// TestExportRoundTrip: an account made by hand, with text that looks like
// variables, multi-line prompts, unset and empty fields and documents, is
// exported to a manifest that loads, validates and plans to no changes.
func TestExportRoundTrip(t *testing.T) {
	sb := newSandbox(t, nil)
	ctx := context.Background()
	acct := sb.account("Acme Voice")
	desc := "Costs ${price} a month"
	kb, err := acct.CreateKnowledgeBase(ctx, kapi.KnowledgeBaseInput{Name: "Product FAQ", Description: &desc})
	if err != nil {
		t.Fatal(err)
	}
	bare, err := acct.CreateKnowledgeBase(ctx, kapi.KnowledgeBaseInput{Name: "Bare"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acct.UploadDocument(ctx, kb.ID, "faq.md", []byte("# FAQ")); err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	for _, in := range []kapi.AgentInput{
		{Name: str("Support"), SystemPrompt: str("Line one.\nLine two with ${name}.\n"), Description: str(""),
			VoiceID: str("alloy"), KnowledgeBaseIDs: []string{kb.ID, bare.ID}},
		{Name: str("Plain")},
	} {
		if _, err := acct.CreateAgent(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	res, err := krosai.Export(ctx, acct, krosai.ExportOptions{Account: "Acme Voice", TokenEnv: "KROSAI_KEY_ACME"})
	if err != nil {
		t.Fatal(err)
	}
	y := string(res.YAML)
	for _, want := range []string{"$${price}", "$${name}", "knowledge_base_ids: [{name: Product FAQ}, {name: Bare}]",
		"1 live document, not exported", "faq.md (5 bytes, ready)", "system_prompt: |"} {
		if !strings.Contains(y, want) {
			t.Errorf("export lacks %q:\n%s", want, y)
		}
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `knowledge base "Product FAQ": 1 document not exported`) {
		t.Errorf("warnings %q", res.Warnings)
	}
	f := newFiles(t)
	f.write("acme.yaml", y)
	set := f.load()
	if a := set.Accounts[0]; a.TokenEnv != "KROSAI_KEY_ACME" || len(a.Agents) != 2 || len(a.KnowledgeBases) != 2 {
		t.Fatalf("exported account %+v", a)
	}
	requireNoChanges(t, sb.plan(set))
}

func TestExportRefusesWhatAManifestCannotSay(t *testing.T) {
	tests := []struct {
		name string
		r    *exportReader
		want string
	}{
		{"two knowledge bases with one name", &exportReader{kbs: []kapi.KnowledgeBase{{ID: "kb-1", Name: "FAQ"}, {ID: "kb-2", Name: "FAQ"}}},
			`2 knowledge bases are named "FAQ" (ids kb-1, kb-2)`},
		{"two agents with one name", &exportReader{agents: []kapi.Agent{{ID: "a1", Name: "Support"}, {ID: "a2", Name: "Support"}}},
			`2 voice agents are named "Support" (ids a1, a2)`},
		{"doubled space", &exportReader{agents: []kapi.Agent{{ID: "a1", Name: "Front  Desk"}}}, "doubled spaces"},
		{"unknown knowledge base", &exportReader{agents: []kapi.Agent{{ID: "a1", Name: "Support", KnowledgeBaseIDs: []string{"kb-gone"}}}},
			"knowledge base kb-gone is not among the account's knowledge bases"},
		{"list fails", &exportReader{err: errors.New("boom")}, "list knowledge bases: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := krosai.Export(context.Background(), tt.r, krosai.ExportOptions{Account: "Acme"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
		})
	}
}

// exportReader answers Export's reads from fields.
type exportReader struct {
	kbs    []kapi.KnowledgeBase
	agents []kapi.Agent
	err    error
}

func (r *exportReader) ListAgents(context.Context) ([]kapi.Agent, error) { return r.agents, r.err }
func (r *exportReader) ListKnowledgeBases(context.Context) ([]kapi.KnowledgeBase, error) {
	return r.kbs, r.err
}
func (r *exportReader) ListDocuments(context.Context, string) ([]kapi.Document, error) {
	return nil, r.err
}
