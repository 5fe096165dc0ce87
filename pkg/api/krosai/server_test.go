package krosai

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/pkg/api/apitest"
)

const (
	testKey   = "kros_live_4f1c9a7e2b8d6f3a1c5e9b7d"
	roomToken = "eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiY29udi0xIn0.c2lnbmF0dXJlLXNlY3JldA"
)

// fakeKrosAI plays the KrosAI API in memory, as the contract notes suggest
// a sandbox should: 200 everywhere, documented defaults, every key emitted,
// errors as {"detail": ...}.
type fakeKrosAI struct {
	t  *testing.T
	mu sync.Mutex
	n  int

	agents  map[string]map[string]any
	kbs     map[string]map[string]any
	docs    map[string][]map[string]any
	convs   map[string]map[string]any
	uploads []string // content types of uploaded parts

	// fail answers the next requests of a method with these statuses (0
	// hangs up after reading the request).
	fail     map[string][]int
	requests map[string]int // "METHOD path" → count
}

func newFake(t *testing.T) *fakeKrosAI {
	return &fakeKrosAI{t: t, agents: map[string]map[string]any{}, kbs: map[string]map[string]any{},
		docs: map[string][]map[string]any{}, convs: map[string]map[string]any{}, fail: map[string][]int{}, requests: map[string]int{}}
}

func (f *fakeKrosAI) id(prefix string) string {
	f.n++
	return fmt.Sprintf("%s-%04d", prefix, f.n)
}

func detail(w http.ResponseWriter, status int, msg string) {
	body := map[string]any{"detail": msg}
	if status == 429 || status > 500 {
		// 429 and 5xx other than 500 are undocumented for KrosAI; the
		// contract checks them against HighLevel's common error shape, which
		// this body also meets.
		body["statusCode"], body["message"] = status, msg
	}
	reply(w, status, body)
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeKrosAI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[r.Method+" "+r.URL.Path]++
	if r.Header.Get("Authorization") != "Bearer "+testKey && r.Header.Get("X-Api-Key") != testKey {
		detail(w, 401, "Invalid API key")
		return
	}
	if q := f.fail[r.Method]; len(q) > 0 {
		f.fail[r.Method] = q[1:]
		if q[0] == 0 {
			_, _ = io.Copy(io.Discard, r.Body)
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		if q[0] == 429 {
			w.Header().Set("Retry-After", "3")
		}
		detail(w, q[0], "failure")
		return
	}
	const ts = "2023-07-10T15:30:00.123Z"
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == "POST" && r.URL.Path == agentsPath:
		var in map[string]any
		if json.NewDecoder(r.Body).Decode(&in) != nil || in["name"] == nil {
			detail(w, 400, "name is required")
			return
		}
		a := map[string]any{"id": f.id("agent"), "name": in["name"], "description": nil, "system_prompt": nil, "language": "en",
			"voice_id": nil, "tts_provider": "krosaimlingual", "stt_provider": "krosaimlingual", "llm_model": "krosaimlingual",
			"knowledge_base_ids": []any{}, "created_at": ts, "updated_at": ts, "created_by": "user-1"}
		for k, v := range in {
			a[k] = v
		}
		f.agents[a["id"].(string)] = a
		reply(w, 200, a)
	case r.Method == "GET" && r.URL.Path == agentsPath:
		list := []any{}
		for _, a := range f.agents {
			list = append(list, a)
		}
		reply(w, 200, list)
	case len(parts) == 3 && parts[1] == "agents":
		a, ok := f.agents[parts[2]]
		if !ok {
			detail(w, 404, "Agent not found")
			return
		}
		switch r.Method {
		case "GET":
			reply(w, 200, a)
		case "PUT":
			var in map[string]any
			_ = json.NewDecoder(r.Body).Decode(&in)
			for k, v := range in {
				a[k] = v
			}
			reply(w, 200, a)
		case "DELETE":
			delete(f.agents, parts[2])
			reply(w, 200, map[string]any{"message": "Agent deleted successfully"})
		}
	case len(parts) == 4 && parts[1] == "agents" && parts[3] == "voice":
		if _, ok := f.agents[parts[2]]; !ok {
			detail(w, 404, "Agent not found")
			return
		}
		reply(w, 200, map[string]any{"room_name": "voice-1", "room_url": "wss://agent.krosai.com", "token": roomToken})
	case r.Method == "POST" && r.URL.Path == conversationsPath:
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		if _, ok := f.agents[fmt.Sprint(in["agent_id"])]; !ok {
			detail(w, 404, "Agent not found")
			return
		}
		title := "New Conversation"
		if t, ok := in["title"].(string); ok {
			title = t
		}
		id := f.id("conv")
		c := map[string]any{"id": id, "agent_id": in["agent_id"], "title": title, "created_at": ts, "updated_at": ts,
			"created_by": "user-1", "status": "active", "room_name": id, "room_url": "wss://livekit.krosai.com", "token": roomToken}
		f.convs[id] = c
		reply(w, 200, c)
	case r.Method == "GET" && r.URL.Path == conversationsPath:
		list := []any{}
		for _, c := range f.convs {
			list = append(list, c)
		}
		reply(w, 200, list)
	case len(parts) == 3 && parts[1] == "conversations":
		c, ok := f.convs[parts[2]]
		if !ok {
			detail(w, 404, "Conversation not found")
			return
		}
		reply(w, 200, c)
	case len(parts) == 4 && parts[1] == "conversations" && parts[3] == "messages":
		if _, ok := f.convs[parts[2]]; !ok {
			detail(w, 404, "Conversation not found")
			return
		}
		reply(w, 200, []any{map[string]any{"id": "m1", "conversation_id": parts[2], "role": "system", "content": "You are kind.", "created_at": ts}})
	case r.Method == "POST" && r.URL.Path == knowledgeBasesPath:
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		kb := map[string]any{"id": f.id("kb"), "name": in["name"], "description": in["description"], "created_at": ts,
			"updated_at": ts, "created_by": "user-1", "document_count": 0}
		f.kbs[kb["id"].(string)] = kb
		reply(w, 200, kb)
	case r.Method == "GET" && r.URL.Path == knowledgeBasesPath:
		list := []any{}
		for _, kb := range f.kbs {
			list = append(list, kb)
		}
		reply(w, 200, list)
	case len(parts) == 4 && parts[1] == "knowledge-bases" && parts[3] == "documents":
		kb, ok := f.kbs[parts[2]]
		if !ok {
			detail(w, 404, "Knowledge base not found")
			return
		}
		if r.Method == "GET" {
			list := []any{}
			for i := len(f.docs[parts[2]]) - 1; i >= 0; i-- {
				list = append(list, f.docs[parts[2]][i])
			}
			reply(w, 200, list)
			return
		}
		file, hdr, err := r.FormFile("file")
		if err != nil {
			detail(w, 400, "file is required")
			return
		}
		data, _ := io.ReadAll(file)
		f.uploads = append(f.uploads, hdr.Header.Get("Content-Type"))
		d := map[string]any{"id": f.id("doc"), "knowledge_base_id": parts[2], "name": hdr.Filename,
			"content_type": hdr.Header.Get("Content-Type"), "size": len(data), "created_at": ts, "status": "processing", "error": nil}
		f.docs[parts[2]] = append(f.docs[parts[2]], d)
		kb["document_count"] = len(f.docs[parts[2]])
		reply(w, 200, d)
	default:
		detail(w, 404, "Not Found")
	}
}

func (f *fakeKrosAI) count(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[key]
}

// env is an account on a fake KrosAI through a contract recorder.
type env struct {
	fake    *fakeKrosAI
	srv     *httptest.Server
	client  *Client
	account *Account
	clock   *apitest.Clock
	red     *redact.Redactor
}

func newEnv(t *testing.T, edit ...func(*Options)) *env {
	t.Helper()
	f := newFake(t)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	rec := &contract.Recorder{Base: srv.Client().Transport}
	t.Cleanup(func() {
		if v := rec.Violations(); len(v) > 0 {
			t.Errorf("contract violations:\n%s", strings.Join(v, "\n"))
		}
	})
	clk := apitest.NewClock(apitest.DefaultStart)
	red := redact.New()
	o := Options{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: rec}, Clock: clk, Redactor: red}
	for _, e := range edit {
		e(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	c.policy.Rand = func(n int64) int64 { return n - 1 }
	return &env{fake: f, srv: srv, client: c, account: c.Account("Acme Voice", testKey), clock: clk, red: red}
}

func ptr[T any](v T) *T { return &v }
