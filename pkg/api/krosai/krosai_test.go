package krosai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
)

// TestLifecycle runs every endpoint once, in the order a deploy would, with
// every exchange checked against krosai.openapi.json.
func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.account

	kb, err := a.CreateKnowledgeBase(ctx, KnowledgeBaseInput{Name: "Product FAQ", Description: ptr("What customers ask")})
	if err != nil || kb.ID == "" || kb.DocumentCount != 0 || *kb.Description != "What customers ask" {
		t.Fatalf("create knowledge base: %+v, %v", kb, err)
	}
	for _, name := range []string{"docs/faq.md", "pricing.pdf"} {
		d, err := a.UploadDocument(ctx, kb.ID, name, []byte("# FAQ\n"))
		if err != nil || d.Status != DocumentProcessing || d.Size != 6 || d.Error != nil {
			t.Fatalf("upload %s: %+v, %v", name, d, err)
		}
	}
	if !slices.Equal(e.fake.uploads, []string{"text/markdown", "application/pdf"}) {
		t.Errorf("uploaded content types %v", e.fake.uploads)
	}
	docs, err := a.ListDocuments(ctx, kb.ID)
	if err != nil || len(docs) != 2 || docs[0].Name != "pricing.pdf" || docs[1].Name != "faq.md" {
		t.Fatalf("documents %+v, %v", docs, err)
	}
	kbs, err := a.ListKnowledgeBases(ctx)
	if err != nil || len(kbs) != 1 || kbs[0].DocumentCount != 2 {
		t.Fatalf("knowledge bases %+v, %v", kbs, err)
	}

	agent, err := a.CreateAgent(ctx, AgentInput{Name: ptr("Support"), SystemPrompt: ptr("Answer briefly."),
		VoiceID: ptr("alloy"), KnowledgeBaseIDs: []string{kb.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if agent.Language != DefaultLanguage || agent.TTSProvider != DefaultProvider || agent.Description != nil ||
		*agent.SystemPrompt != "Answer briefly." || !slices.Equal(agent.KnowledgeBaseIDs, []string{kb.ID}) ||
		!agent.CreatedAt.Equal(time.Date(2023, 7, 10, 15, 30, 0, 123e6, time.UTC)) {
		t.Errorf("agent %+v", agent)
	}
	if got, err := a.GetAgent(ctx, agent.ID); err != nil || got.Name != "Support" {
		t.Errorf("get: %+v, %v", got, err)
	}
	updated, err := a.UpdateAgent(ctx, agent.ID, AgentInput{VoiceID: ptr("echo"), KnowledgeBaseIDs: []string{}})
	if err != nil || *updated.VoiceID != "echo" || len(updated.KnowledgeBaseIDs) != 0 || updated.Name != "Support" {
		t.Errorf("update: %+v, %v", updated, err)
	}
	if agents, err := a.ListAgents(ctx); err != nil || len(agents) != 1 {
		t.Errorf("list: %+v, %v", agents, err)
	}

	vs, err := a.StartVoiceSession(ctx, agent.ID)
	if err != nil || vs.RoomName != "voice-1" || vs.Token.Reveal() != roomToken {
		t.Fatalf("voice session: %+v, %v", vs, err)
	}
	conv, err := a.CreateConversation(ctx, ConversationInput{AgentID: agent.ID, Title: "Smoke test"})
	if err != nil || conv.Status != StatusActive || conv.Title != "Smoke test" || conv.RoomName != conv.ID {
		t.Fatalf("conversation: %+v, %v", conv, err)
	}
	if got, err := a.GetConversation(ctx, conv.ID); err != nil || got.AgentID != agent.ID {
		t.Errorf("get conversation: %+v, %v", got, err)
	}
	if convs, err := a.ListConversations(ctx); err != nil || len(convs) != 1 {
		t.Errorf("conversations: %+v, %v", convs, err)
	}
	msgs, err := a.ListMessages(ctx, conv.ID)
	if err != nil || len(msgs) != 1 || msgs[0].Role != RoleSystem {
		t.Errorf("messages: %+v, %v", msgs, err)
	}

	if err := a.DeleteAgent(ctx, agent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GetAgent(ctx, agent.ID); !IsNotFound(err) {
		t.Errorf("after delete: %v", err)
	}
}

// TestSecretsNeverShow checks the key and the room token stay out of every
// printed value, error and log line, and that the redactor learned both.
func TestSecretsNeverShow(t *testing.T) {
	var logBuf bytes.Buffer
	e := newEnv(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ctx := context.Background()
	agent, err := e.account.CreateAgent(ctx, AgentInput{Name: ptr("A"), SystemPrompt: ptr("secret prompt")})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := e.account.CreateConversation(ctx, ConversationInput{AgentID: agent.ID})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := e.account.StartVoiceSession(ctx, agent.ID)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(conv)
	outs := []string{
		fmt.Sprintf("%v %+v %#v %s", conv, conv, conv, *conv), fmt.Sprintf("%v %+v %#v", vs, *vs, vs), string(js),
		fmt.Sprintf("%v %+v %#v %s %q", e.account, e.account, e.account, *e.account, e.account),
	}
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("dump", "conversation", conv, "session", vs, "account", e.account)
	// A server echoing the key and the token in its error.
	srvEcho := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		detail(w, 400, "bad key "+testKey[5:]+" for room "+roomToken)
	}))
	defer srvEcho.Close()
	c2, _ := New(Options{BaseURL: srvEcho.URL, Redactor: e.red, Logger: slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	_, err = c2.Account("Acme Voice", testKey).ListAgents(ctx)
	if !IsValidation(err) {
		t.Fatalf("error %v", err)
	}
	outs = append(outs, err.Error(), fmt.Sprintf("%#v", err), logBuf.String())
	for _, out := range outs {
		for _, secret := range []string{testKey[5:25], roomToken[10:40], "secret prompt"} {
			if strings.Contains(out, secret) {
				t.Errorf("%q shows in %s", secret, out)
			}
		}
	}
	if e.red.String(roomToken) != redactedMask || e.red.String(testKey) != redactedMask {
		t.Error("the redactor did not learn the key and the room token")
	}
	if !strings.Contains(err.Error(), "bad key "+redactedMask) {
		t.Errorf("error %q", err)
	}
}

const redactedMask = "[REDACTED]"

func TestErrorDetail(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   string
		is     func(error) bool
	}{
		{"detail string", 404, `{"detail": "Agent not found"}`, "GET /v1/agents/x (KrosAI account Acme Voice): 404 Not Found: Agent not found", IsNotFound},
		{"validation list", 422, `{"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "missing"}]}`,
			"GET /v1/agents/x (KrosAI account Acme Voice): 422 Unprocessable Entity: body.name: field required", IsValidation},
		{"message instead", 403, `{"message": "not your agent"}`, "403 Forbidden: not your agent", IsForbidden},
		{"not JSON", 401, "Unauthorized\nmore", "401 Unauthorized: Unauthorized", IsUnauthorized},
		{"empty body", 413, "", "413 Request Entity Too Large", IsTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, _ := New(Options{BaseURL: srv.URL})
			_, err := c.Account("Acme Voice", testKey).GetAgent(context.Background(), "x")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !tt.is(err) || StatusOf(err) != tt.status {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	ctx := context.Background()
	t.Run("GET retried on 5xx and 429, after Retry-After", func(t *testing.T) {
		e := newEnv(t)
		e.fake.fail["GET"] = []int{503, 429, 502}
		if _, err := e.account.ListAgents(ctx); err != nil {
			t.Fatal(err)
		}
		if n := e.fake.count("GET /v1/agents"); n != 4 {
			t.Errorf("%d requests, want 4", n)
		}
		want := []time.Duration{200 * time.Millisecond, 3 * time.Second, 800 * time.Millisecond}
		if got := e.clock.Sleeps(); !slices.Equal(got, want) {
			t.Errorf("sleeps %v, want %v", got, want)
		}
	})
	t.Run("create answered 5xx is ambiguous, sent once", func(t *testing.T) {
		e := newEnv(t)
		e.fake.fail["POST"] = []int{500}
		_, err := e.account.CreateAgent(ctx, AgentInput{Name: ptr("A")})
		if !IsAmbiguous(err) || !api.IsAmbiguous(err) || StatusOf(err) != 500 {
			t.Fatalf("error %v, want ambiguous", err)
		}
		if n := e.fake.count("POST /v1/agents"); n != 1 {
			t.Errorf("%d POSTs, want 1", n)
		}
		if strings.Count(err.Error(), "/v1/agents") != 1 {
			t.Errorf("the request is named more than once: %q", err)
		}
	})
	t.Run("create whose connection drops after sending is ambiguous", func(t *testing.T) {
		e := newEnv(t)
		e.fake.fail["POST"] = []int{0}
		_, err := e.account.CreateKnowledgeBase(ctx, KnowledgeBaseInput{Name: "K"})
		if !IsAmbiguous(err) || e.fake.count("POST /v1/knowledge-bases") != 1 {
			t.Fatalf("error %v after %d POSTs", err, e.fake.count("POST /v1/knowledge-bases"))
		}
	})
	t.Run("create refused with 429 is retried", func(t *testing.T) {
		e := newEnv(t)
		e.fake.fail["POST"] = []int{429}
		if _, err := e.account.CreateAgent(ctx, AgentInput{Name: ptr("A")}); err != nil {
			t.Fatal(err)
		}
		if n := e.fake.count("POST /v1/agents"); n != 2 {
			t.Errorf("%d POSTs, want 2", n)
		}
	})
	t.Run("upload answered 5xx is ambiguous", func(t *testing.T) {
		e := newEnv(t)
		kb, err := e.account.CreateKnowledgeBase(ctx, KnowledgeBaseInput{Name: "K"})
		if err != nil {
			t.Fatal(err)
		}
		e.fake.fail["POST"] = []int{502}
		if _, err := e.account.UploadDocument(ctx, kb.ID, "a.txt", []byte("x")); !IsAmbiguous(err) {
			t.Errorf("error %v", err)
		}
	})
	t.Run("delete whose answer was lost and is gone succeeded", func(t *testing.T) {
		e := newEnv(t)
		agent, err := e.account.CreateAgent(ctx, AgentInput{Name: ptr("A")})
		if err != nil {
			t.Fatal(err)
		}
		// The first DELETE deletes, then answers 500 (played by deleting
		// by hand before failing).
		e.fake.mu.Lock()
		delete(e.fake.agents, agent.ID)
		e.fake.fail["DELETE"] = []int{500}
		e.fake.mu.Unlock()
		if err := e.account.DeleteAgent(ctx, agent.ID); err != nil {
			t.Errorf("delete: %v", err)
		}
		if err := e.account.DeleteAgent(ctx, agent.ID); !IsNotFound(err) {
			t.Errorf("a first-attempt 404 is not found: %v", err)
		}
	})
}

// TestNotAList checks a list answer that is not an array is an error after
// retries, never an empty list.
func TestNotAList(t *testing.T) {
	for _, body := range []string{"null", `{"agents": []}`, `"x"`} {
		t.Run(body, func(t *testing.T) {
			hits := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits++
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			c, _ := New(Options{BaseURL: srv.URL, MaxRetries: 2, Clock: newEnv(t).clock})
			if _, err := c.Account("A", testKey).ListAgents(context.Background()); !errors.Is(err, ErrInconsistentAnswer) || hits != 3 {
				t.Errorf("error %v after %d requests", err, hits)
			}
		})
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`[]`)) }))
	defer srv.Close()
	c, _ := New(Options{BaseURL: srv.URL})
	if list, err := c.Account("A", testKey).ListAgents(context.Background()); err != nil || list == nil || len(list) != 0 {
		t.Errorf("empty list: %v, %v", list, err)
	}
}

func TestOptions(t *testing.T) {
	for _, bad := range []Options{
		{BaseURL: "http://api.krosai.com"},
		{BaseURL: "https://user:pw@api.krosai.com"},
		{MinBackoff: time.Second, MaxBackoff: time.Millisecond},
		{RateLimit: -1},
		{Auth: 7},
	} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
	c, err := New(Options{})
	if err != nil || c.base != DefaultBaseURL {
		t.Errorf("default base %q, %v", c.base, err)
	}
	if _, err := New(Options{BaseURL: "http://127.0.0.1:9"}); err != nil {
		t.Errorf("loopback http refused: %v", err)
	}
	// The X-API-Key style.
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		_, _ = w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c, _ = New(Options{BaseURL: srv.URL, Auth: AuthAPIKeyHeader})
	if _, err := c.Account("A", testKey).ListAgents(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := <-got
	if h.Get("X-Api-Key") != testKey || h.Get("Authorization") != "" || !strings.HasPrefix(h.Get("User-Agent"), "agentform/") {
		t.Errorf("headers %v", h)
	}
}

func TestUploadChecks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.account.UploadDocument(ctx, "kb-1", "big.pdf", make([]byte, MaxDocumentSize+1)); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("a too large file: %v", err)
	}
	if _, err := e.account.UploadDocument(ctx, "", "a.md", nil); err == nil {
		t.Error("empty knowledge base id accepted")
	}
	if _, err := e.account.UploadDocument(ctx, "kb-1", "", nil); err == nil {
		t.Error("empty file name accepted")
	}
	if e.fake.count("POST /v1/knowledge-bases/kb-1/documents") != 0 {
		t.Error("a refused upload was sent")
	}
	for name, want := range map[string]string{"a.PDF": "application/pdf", "b.txt": "text/plain", "c.md": "text/markdown",
		"d.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "e.bin": "application/octet-stream"} {
		if got := DocumentContentType(name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	for _, f := range []func() error{
		func() error { _, err := e.account.GetAgent(ctx, ""); return err },
		func() error { return e.account.DeleteAgent(ctx, "") },
		func() error { _, err := e.account.CreateAgent(ctx, AgentInput{}); return err },
		func() error { _, err := e.account.CreateConversation(ctx, ConversationInput{}); return err },
		func() error { _, err := e.account.CreateKnowledgeBase(ctx, KnowledgeBaseInput{}); return err },
	} {
		if f() == nil {
			t.Error("a call with a missing id or name was accepted")
		}
	}
}

func TestTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{`"2023-07-10T15:30:00Z"`, time.Date(2023, 7, 10, 15, 30, 0, 0, time.UTC)},
		{`"2023-07-10T15:30:00.5+02:00"`, time.Date(2023, 7, 10, 13, 30, 0, 5e8, time.UTC)},
		{`"2023-07-10T15:30:00.123456"`, time.Date(2023, 7, 10, 15, 30, 0, 123456e3, time.UTC)},
		{`"2023-07-10 15:30:00"`, time.Date(2023, 7, 10, 15, 30, 0, 0, time.UTC)},
		{`"yesterday"`, time.Time{}},
		{`null`, time.Time{}},
		{`12`, time.Time{}},
	}
	for _, tt := range tests {
		var ts Timestamp
		if err := json.Unmarshal([]byte(tt.in), &ts); err != nil || !ts.Equal(tt.want) {
			t.Errorf("%s: %v, %v; want %v", tt.in, ts.Time, err, tt.want)
		}
		if tt.in != "null" && tt.in != "12" {
			if out, _ := json.Marshal(ts); string(out) != tt.in {
				t.Errorf("%s marshals back as %s", tt.in, out)
			}
		}
	}
}
