package krosai

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/agentform/agentform/internal/redact"
	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
	"github.com/agentform/agentform/pkg/value"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestUploadName(t *testing.T) {
	digest := sha("# FAQ")
	long := strings.Repeat("é", 300) + ".md"
	tests := []struct {
		file, want string
	}{
		{"faq.md", "faq." + digest[:8] + ".md"},
		{"Price List.PDF", "Price List." + digest[:8] + ".PDF"},
		{"notes.v2.txt", "notes.v2." + digest[:8] + ".txt"},
		{"faq." + digest[:8] + ".md", "faq." + digest[:8] + "." + digest[:8] + ".md"},
	}
	for _, tt := range tests {
		if got := UploadName(tt.file, digest); got != tt.want {
			t.Errorf("UploadName(%q) = %q, want %q", tt.file, got, tt.want)
		}
		if tag, ok := digestTag(UploadName(tt.file, digest)); !ok || tag != digest[:8] {
			t.Errorf("digestTag(UploadName(%q)) = %q, %v", tt.file, tag, ok)
		}
	}
	got := UploadName(long, digest)
	if n := utf8.RuneCountInString(got); n != maxUploadName || !strings.HasSuffix(got, "."+digest[:8]+".md") || !utf8.ValidString(got) {
		t.Errorf("long name: %d characters, %q", n, got)
	}
	if UploadName("faq.md", sha("# FAQ 2")) == UploadName("faq.md", digest) {
		t.Error("a changed content keeps its upload name")
	}
	for _, name := range []string{"faq.md", "faq.3F2A9C1B.md", "faq.3f2a9c1.md", "3f2a9c1b.md"} {
		if _, ok := digestTag(name); ok {
			t.Errorf("digestTag(%q) takes it for an upload name", name)
		}
	}
}

func TestCheckUpload(t *testing.T) {
	content := []byte("# FAQ")
	name := UploadName("faq.md", sha(string(content)))
	tests := []struct {
		name    string
		upload  string
		size    int64
		content []byte
		ok      bool
	}{
		{"planned", name, 5, content, true},
		{"other content", name, 5, []byte("# FAX"), false},
		{"other size", name, 6, content, false},
		{"not an upload name", "faq.md", 5, content, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkUpload(tt.upload, tt.size, tt.content)
			if (err == nil) != tt.ok {
				t.Errorf("checkUpload: %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// TestDocumentCreateChecksContent: an upload sends the session's content
// only when it is what the plan named; nothing is sent otherwise.
func TestDocumentCreateChecksContent(t *testing.T) {
	content := "# FAQ"
	name := UploadName("faq.md", sha(content))
	body, err := documentKind.Encode(value.Map{"name": name, "size": 5.0}, name)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		uploads map[string]Upload
		want    string
	}{
		{"uploaded", map[string]Upload{name: fixedUpload(content)}, ""},
		{"missing", map[string]Upload{}, "not among the manifests' documents"},
		{"changed", map[string]Upload{name: fixedUpload("# FAQ!")}, "not the one planned"},
		{"unreadable", map[string]Upload{name: failingUpload{}}, "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAPI{}
			id, err := documentKind.Create(context.Background(), &Session{API: f, Uploads: tt.uploads}, "kb-1", body)
			if tt.want == "" {
				if err != nil || id != "doc-1" || len(f.uploads) != 1 || f.uploads[0] != "kb-1/"+name+"/"+content {
					t.Fatalf("id %q, err %v, uploads %v", id, err, f.uploads)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || len(f.uploads) != 0 {
				t.Fatalf("err %v (want %q), uploads %v", err, tt.want, f.uploads)
			}
		})
	}
	if _, err := documentKind.Create(context.Background(), &fakeAPI{}, "kb-1", body); err == nil {
		t.Error("a session without documents uploaded something")
	}
	if _, err := documentKind.Encode(value.Map{"name": "faq.md", "size": 5.0}, "faq.md"); err == nil {
		t.Error("Encode took a plain file name for an upload name")
	}
}

// TestBodiesCompareByName: the JSON form of knowledge base and document
// bodies is the name alone, so adopting one found after a lost answer
// never asks for an update these kinds do not have.
func TestBodiesCompareByName(t *testing.T) {
	kb, err := knowledgeBaseKind.Encode(value.Map{"name": "FAQ", "description": "d"}, "FAQ")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := documentKind.Encode(value.Map{"name": "faq.3f2a9c1b.md", "size": 5.0}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []any{kb, doc} {
		m, err := value.MapOf(b)
		if err != nil || len(m) != 1 || m["name"] == nil {
			t.Errorf("%T: JSON form %v, %v", b, m, err)
		}
	}
	if kb.(kbBody).in.Description == nil || *kb.(kbBody).in.Description != "d" {
		t.Error("the description is not sent")
	}
}

func TestAgentEncode(t *testing.T) {
	in, err := agentKind.Encode(value.Map{"name": "Support", "system_prompt": "Be brief.", "knowledge_base_ids": []any{"kb-1"}}, "Support")
	if err != nil {
		t.Fatal(err)
	}
	a := in.(kapi.AgentInput)
	if *a.Name != "Support" || *a.SystemPrompt != "Be brief." || a.Description != nil || fmt.Sprint(a.KnowledgeBaseIDs) != "[kb-1]" {
		t.Errorf("encoded %+v", a)
	}
	in, _ = agentKind.Encode(value.Map{"knowledge_base_ids": nil}, "Support")
	if a := in.(kapi.AgentInput); a.KnowledgeBaseIDs == nil || *a.Name != "Support" {
		t.Errorf("declared but null knowledge_base_ids: %+v", a)
	}
	for _, bad := range []value.Map{{"sytem_prompt": "x"}, {"language": 3.0}, {"knowledge_base_ids": []any{1.0}}} {
		if _, err := agentKind.Encode(bad, "Support"); err == nil {
			t.Errorf("Encode(%v) accepted", bad)
		}
	}
}

func TestLiveAgentFields(t *testing.T) {
	p := "Be brief."
	l := liveAgent(&kapi.Agent{ID: "ag-1", Name: "Support", SystemPrompt: &p, Language: "en", TTSProvider: "t", STTProvider: "s", LLMModel: "m"})
	want := value.Map{"name": "Support", "system_prompt": "Be brief.", "language": "en", "tts_provider": "t", "stt_provider": "s",
		"llm_model": "m", "knowledge_base_ids": []any{}}
	if fmt.Sprint(l.Fields) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v (null ones left out)", l.Fields, want)
	}
	q := "Be briefer."
	if l2 := liveAgent(&kapi.Agent{ID: "ag-1", Name: "Support", SystemPrompt: &q, Language: "en"}); l2.Fingerprint == l.Fingerprint {
		t.Error("a changed prompt keeps the fingerprint")
	}
}

func TestLiveDocumentsStandInForCopies(t *testing.T) {
	docs := []kapi.Document{ // newest first
		{ID: "d3", Name: "faq.3f2a9c1b.md", Status: kapi.DocumentError},
		{ID: "d2", Name: "faq.3f2a9c1b.md", Status: kapi.DocumentReady},
		{ID: "d1", Name: "faq.3f2a9c1b.md", Status: kapi.DocumentReady},
		{ID: "d0", Name: "notes.md", Status: kapi.DocumentProcessing},
	}
	var got []string
	for _, l := range liveDocuments(docs) {
		got = append(got, l.ID+"="+l.Name)
	}
	want := []string{"d3=faq.3f2a9c1b.md (another copy, id d3)", "d2=faq.3f2a9c1b.md",
		"d1=faq.3f2a9c1b.md (another copy, id d1)", "d0=notes.md"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestKnowledgeBaseNames(t *testing.T) {
	got, err := knowledgeBaseNames([]any{value.Map{"name": "FAQ"}, value.Map{"name": "Prices"}})
	if err != nil || fmt.Sprint(got) != "[FAQ Prices]" {
		t.Errorf("%v, %v", got, err)
	}
	for _, bad := range []any{[]any{"kb-1"}, []any{value.Map{"email": "x"}}, "FAQ", []any{1.0}} {
		if _, err := knowledgeBaseNames(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestTargetOwnsListedDocuments(t *testing.T) {
	doc := &spec.Document{Name: "faq.md", SHA256: sha("x"), Size: 1, Pos: spec.Pos{File: "a.yaml", Line: 7}}
	tg, err := Target(&spec.KrosAIAccount{Name: "Acme", KnowledgeBases: []*spec.KnowledgeBase{
		{Name: "Listed", Documents: []*spec.Document{doc}, DocumentsDeclared: true}, {Name: "Bare", Description: "d", Documents: []*spec.Document{}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if tg.ID != "Acme" || tg.TokenEnv != spec.DefaultKrosAITokenEnv || tg.Kind != TargetKind {
		t.Errorf("target %+v", tg)
	}
	listed, bare := tg.Objects[0], tg.Objects[1]
	if !listed.Owns[KindDocument] || bare.Owns[KindDocument] {
		t.Errorf("owns: listed %v, bare %v", listed.Owns, bare.Owns)
	}
	if c := listed.Children[0]; c.Name != UploadName("faq.md", doc.SHA256) || c.Fields["size"] != 1.0 || func() bool { p, _ := c.Sources.Of("name"); return p.Line != 7 }() {
		t.Errorf("document %+v", c)
	}
	if _, ok := listed.Fields["description"]; ok || bare.Fields["description"] != "d" {
		t.Errorf("descriptions: %v, %v", listed.Fields, bare.Fields)
	}
}

func TestCredentials(t *testing.T) {
	env := map[string]string{"A": "kros_aaaaaaaaaaaaaaaa", "B": "kros_bbbbbbbbbbbbbbbb", "SAME1": "kros_ssssssssssssssss",
		"SAME2": " kros_ssssssssssssssss\n", "BEARER": "Bearer kros_xxxxxxxxxxxxxxxx", "SPACE": "kros x", "EMPTY": " "}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	red := redact.New()
	c := &Credentials{LookupEnv: lookup, Secrets: red}
	c.Reserve([]Binding{{"Acme", "A"}, {"Beta", "B"}, {"One", "SAME1"}, {"Two", "SAME2"}})
	tests := []struct {
		account, env, want string
	}{
		{"Acme", "A", ""},
		{"Beta", "B", ""},
		{"One", "SAME1", "one API key serves SAME1 (account One), SAME2 (account Two)"},
		{"Two", "SAME2", "one API key serves"},
		{"Gamma", "MISSING", "environment variable MISSING is not set"},
		{"Gamma", "EMPTY", "environment variable EMPTY is not set"},
		{"Gamma", "BEARER", `BEARER starts with "Bearer "`},
		{"Gamma", "SPACE", "white space inside the key"},
		{"Gamma", "A", "holds the same API key as A of account Acme"},
	}
	for _, tt := range tests {
		key, err := c.Key(tt.account, tt.env)
		if tt.want == "" {
			if err != nil || key != env[tt.env] {
				t.Errorf("Key(%s, %s) = %q, %v", tt.account, tt.env, key, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Key(%s, %s): %v, want %q", tt.account, tt.env, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "kros_") {
			t.Errorf("Key(%s, %s): the error shows the key: %v", tt.account, tt.env, err)
		}
	}
	if got := red.String("kros_aaaaaaaaaaaaaaaa and kros_ssssssssssssssss"); strings.Contains(got, "kros_") || !strings.Contains(got, redact.Mask) {
		t.Errorf("the redactor did not learn the keys: %q", got)
	}
}

func TestProviderClassifyAndHints(t *testing.T) {
	p := Provider{}
	notFound := &kapi.Error{Method: "GET", Path: "/v1/agents/x", Status: http.StatusNotFound}
	if f := p.Classify(fmt.Errorf("wrapped: %w", notFound)); !f.NotFound || f.Status != 404 || f.Ambiguous {
		t.Errorf("404: %+v", f)
	}
	amb := &kapi.AmbiguousError{Method: "POST", Path: "/v1/agents", Err: errors.New("reset")}
	if f := p.Classify(amb); !f.Ambiguous || f.NotFound {
		t.Errorf("ambiguous: %+v", f)
	}
	if h := p.AccessHint(401, "Acme", "KEY_ACME", false); !strings.Contains(h, "KEY_ACME") || !strings.Contains(h, "Acme") {
		t.Errorf("401 hint %q", h)
	}
	if h := p.AccessHint(403, "Acme", "KEY_ACME", true); !strings.Contains(h, "pinned id") {
		t.Errorf("403 hint %q", h)
	}
	if h := p.AccessHint(500, "Acme", "KEY_ACME", true); h != "" {
		t.Errorf("500 hint %q", h)
	}
	if k := provider.KindOf(TargetKind, KindAgent); k == nil || k.Delete == nil || k.Update == nil {
		t.Error("voice agents are not registered with full CRUD")
	}
	for _, name := range []string{KindKnowledgeBase, KindDocument} {
		if k := provider.KindOf(TargetKind, name); k == nil || k.Update != nil || k.Delete != nil || k.Create == nil {
			t.Errorf("%s: want create only", name)
		}
	}
}

func TestDeclaredAgent(t *testing.T) {
	set := &spec.Set{Accounts: []*spec.KrosAIAccount{
		{Name: "Acme", Agents: []*spec.KrosAgent{{Name: "Support"}, {Name: "Sales"}}},
		{Name: "Beta", Agents: []*spec.KrosAgent{{Name: "Support"}}},
	}}
	tests := []struct {
		account, agent, wantAcct, wantErr string
	}{
		{"", "Sales", "Acme", ""},
		{"Beta", "Support", "Beta", ""},
		{"", "Support", "", "2 KrosAI accounts declare a voice agent named \"Support\""},
		{"", "Nobody", "", "no KrosAIAccount document declares"},
		{"Beta", "Sales", "", "KrosAI account Beta declares no voice agent named \"Sales\""},
		{"Gamma", "Sales", "", "names the account \"Gamma\""},
	}
	for _, tt := range tests {
		a, ag, err := DeclaredAgent(set, tt.account, tt.agent)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s/%s: %v, want %q", tt.account, tt.agent, err, tt.wantErr)
			}
			continue
		}
		if err != nil || a.Name != tt.wantAcct || ag.Name != tt.agent {
			t.Errorf("%s/%s: %v", tt.account, tt.agent, err)
		}
	}
}

func TestOpenConversation(t *testing.T) {
	agents := []kapi.Agent{{ID: "ag-1", Name: "Support"}, {ID: "ag-2", Name: "Twin"}, {ID: "ag-3", Name: "Twin"}}
	conv := func(status, room string) *kapi.Conversation {
		return &kapi.Conversation{ID: "conv-1", AgentID: "ag-1", Status: status, RoomName: room, RoomURL: "wss://x/" + room,
			Token: "secret-room-token"}
	}
	tests := []struct {
		name     string
		declared *spec.KrosAgent
		answer   *kapi.Conversation
		want     string
	}{
		{"active", &spec.KrosAgent{Name: "Support"}, conv("active", "room"), ""},
		{"pinned", &spec.KrosAgent{Name: "Renamed", PinnedID: "ag-1"}, conv("active", "room"), ""},
		{"completed", &spec.KrosAgent{Name: "Support"}, conv("completed", "room"), `is "completed", not "active"`},
		{"no room", &spec.KrosAgent{Name: "Support"}, conv("active", ""), "has no room"},
		{"not live", &spec.KrosAgent{Name: "Nobody"}, nil, "does not exist live: apply the manifests first"},
		{"pin not live", &spec.KrosAgent{Name: "X", PinnedID: "ag-9"}, nil, "pinned id ag-9 does not exist live"},
		{"twins", &spec.KrosAgent{Name: "Twin"}, nil, "2 live agents have this name (ids ag-2, ag-3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeAPI{agents: agents, conv: tt.answer}
			c, err := OpenConversation(context.Background(), f, tt.declared, "Smoke")
			if tt.want == "" {
				if err != nil || c.ID != "conv-1" || f.opened != "ag-1/Smoke" {
					t.Fatalf("%v, %v, opened %q", c, err, f.opened)
				}
				if s := fmt.Sprintf("%v %+v", c, c); strings.Contains(s, "secret-room-token") {
					t.Errorf("the room token prints: %s", s)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			if tt.answer == nil && f.opened != "" {
				t.Errorf("opened a conversation with %q", f.opened)
			}
		})
	}
}

// fixedUpload is an Upload with fixed content.
type fixedUpload string

func (u fixedUpload) Read() ([]byte, error) { return []byte(u), nil }

// failingUpload is an Upload that cannot be read.
type failingUpload struct{}

func (failingUpload) Read() ([]byte, error) { return nil, errors.New("cannot read the file") }

// fakeAPI records uploads and opened conversations; its other calls answer
// the fields set.
type fakeAPI struct {
	agents  []kapi.Agent
	conv    *kapi.Conversation
	uploads []string
	opened  string
}

func (f *fakeAPI) ListAgents(context.Context) ([]kapi.Agent, error) { return f.agents, nil }
func (f *fakeAPI) ListKnowledgeBases(context.Context) ([]kapi.KnowledgeBase, error) {
	return nil, nil
}
func (f *fakeAPI) ListDocuments(context.Context, string) ([]kapi.Document, error) { return nil, nil }
func (f *fakeAPI) CreateAgent(context.Context, kapi.AgentInput) (*kapi.Agent, error) {
	return nil, errors.New("not faked")
}
func (f *fakeAPI) UpdateAgent(context.Context, string, kapi.AgentInput) (*kapi.Agent, error) {
	return nil, errors.New("not faked")
}
func (f *fakeAPI) DeleteAgent(context.Context, string) error { return errors.New("not faked") }
func (f *fakeAPI) CreateKnowledgeBase(context.Context, kapi.KnowledgeBaseInput) (*kapi.KnowledgeBase, error) {
	return nil, errors.New("not faked")
}
func (f *fakeAPI) UploadDocument(_ context.Context, kb, name string, content []byte) (*kapi.Document, error) {
	f.uploads = append(f.uploads, kb+"/"+name+"/"+string(content))
	return &kapi.Document{ID: fmt.Sprintf("doc-%d", len(f.uploads)), Name: name}, nil
}
func (f *fakeAPI) CreateConversation(_ context.Context, in kapi.ConversationInput) (*kapi.Conversation, error) {
	f.opened = in.AgentID + "/" + in.Title
	return f.conv, nil
}
