package krosai_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

// TestAuthentication: a key in Authorization: Bearer or X-API-Key; 401
// {"detail"} otherwise; HighLevel tokens and KrosAI keys do not cross.
func TestAuthentication(t *testing.T) {
	e := newEnv(t, sim.Options{})
	hl := simtest.Token(t, e.s, "LocAAAAAAAAAAAAAAAAA", true)
	set := func(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }
	tests := []struct {
		name   string
		key    string
		opts   []reqOpt
		status int
		detail string
	}{
		{"bearer", e.key, nil, 200, ""},
		{"X-API-Key", e.key, []reqOpt{xAPIKey}, 200, ""},
		{"lower-case scheme", "", []reqOpt{set("Authorization", "bearer "+e.key)}, 200, ""},
		{"no key", "", nil, 401, "Not authenticated"},
		{"unknown key", "kros_sandbox_nope", nil, 401, "Invalid API key"},
		{"unknown X-API-Key", "kros_sandbox_nope", []reqOpt{xAPIKey}, 401, "Invalid API key"},
		{"HighLevel token", hl, nil, 401, "Invalid API key"},
		{"Basic scheme", "", []reqOpt{set("Authorization", "Basic "+e.key)}, 401, "Invalid API key"},
		{"Authorization wins over X-API-Key", "kros_sandbox_nope", []reqOpt{set("X-API-Key", e.key)}, 401, "Invalid API key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.bad("GET", "/v1/agents", tt.key, nil, tt.opts...).must(t, tt.status)
			if tt.status == 200 {
				return
			}
			if d := r.detail(t); d != tt.detail {
				t.Errorf("detail %q, want %q", d, tt.detail)
			}
			if r.header.Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("a KrosAI key on HighLevel's paths", func(t *testing.T) {
		r := e.bad("GET", "/conversation-ai/agents/search", e.key, nil, set("Version", "2021-04-15")).must(t, 401)
		if m := r.obj(t); m["statusCode"] != 401.0 {
			t.Errorf("answer %s: want HighLevel's shape", r.raw)
		}
	})
}

// TestAccountIsolation: a key sees only its account's objects; another
// account's ids answer 403, unknown ids 404, lists hold only its own.
func TestAccountIsolation(t *testing.T) {
	e := newEnv(t, sim.Options{})
	kb := e.createKB(e.key, "FAQ")
	agent := e.createAgent(e.key, map[string]any{"name": "Support", "knowledge_base_ids": []string{kb}})
	conv := e.createConversation(e.key, agent)["id"].(string)
	e.upload(kb, e.key, "faq.md", []byte("# FAQ")).must(t, 200)
	mine := e.createAgent(e.other, map[string]any{"name": "Theirs"})

	body, ct := multipartBody(t, part{"file", "x.md", "text/markdown", []byte("x")})
	tests := []struct {
		name, method, path string
		body               any
		opts               []reqOpt
		detail             string
	}{
		{"get agent", "GET", "/v1/agents/" + agent, nil, nil, "Not allowed to access this agent"},
		{"update agent", "PUT", "/v1/agents/" + agent, map[string]any{"name": "Mine now"}, nil, "Not allowed to access this agent"},
		{"delete agent", "DELETE", "/v1/agents/" + agent, nil, nil, "Not allowed to access this agent"},
		{"voice session", "POST", "/v1/agents/" + agent + "/voice", nil, nil, "Not allowed to access this agent"},
		{"conversation with their agent", "POST", "/v1/conversations", map[string]any{"agent_id": agent}, nil, "Not allowed to use this agent"},
		{"get conversation", "GET", "/v1/conversations/" + conv, nil, nil, "Not allowed to access this conversation"},
		{"messages", "GET", "/v1/conversations/" + conv + "/messages", nil, nil, "Not allowed to access this conversation"},
		{"list documents", "GET", "/v1/knowledge-bases/" + kb + "/documents", nil, nil, "Not allowed to access this knowledge base"},
		{"upload", "POST", "/v1/knowledge-bases/" + kb + "/documents", body, []reqOpt{withContentType(ct)}, "Not allowed to access this knowledge base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := e.do(tt.method, tt.path, e.other, tt.body, tt.opts...).must(t, 403).detail(t); d != tt.detail {
				t.Errorf("detail %q, want %q", d, tt.detail)
			}
		})
	}
	t.Run("attach their knowledge base", func(t *testing.T) {
		d := e.do("PUT", "/v1/agents/"+mine, e.other, map[string]any{"knowledge_base_ids": []string{kb}}).must(t, 400).detail(t)
		if !strings.Contains(d, "no knowledge base "+kb+" in this account") {
			t.Errorf("detail %q", d)
		}
	})
	t.Run("lists", func(t *testing.T) {
		for _, p := range []string{"/v1/agents", "/v1/conversations", "/v1/knowledge-bases"} {
			l := e.do("GET", p, e.other, nil).must(t, 200).list(t)
			if p == "/v1/agents" {
				if !slices.Equal(ids(l), []string{mine}) {
					t.Errorf("%s: %v, want only their own agent", p, ids(l))
				}
			} else if len(l) != 0 {
				t.Errorf("%s: %v, want none", p, ids(l))
			}
		}
	})
	t.Run("nothing changed", func(t *testing.T) {
		a := e.do("GET", "/v1/agents/"+agent, e.key, nil).must(t, 200).obj(t)
		if a["name"] != "Support" {
			t.Errorf("agent %v", a)
		}
		if l := e.do("GET", "/v1/knowledge-bases/"+kb+"/documents", e.key, nil).list(t); len(l) != 1 {
			t.Errorf("documents %v", l)
		}
	})
	t.Run("created_by differs by account", func(t *testing.T) {
		a := e.do("GET", "/v1/agents/"+agent, e.key, nil).obj(t)
		b := e.do("GET", "/v1/agents/"+mine, e.other, nil).obj(t)
		if a["created_by"] == b["created_by"] {
			t.Errorf("both accounts answer created_by %v", a["created_by"])
		}
	})
}

// TestRoutes: unknown paths answer 404 and known paths with another
// method 405 with Allow, in KrosAI's shape, before authentication.
func TestRoutes(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.do("GET", "/v1/agents", e.key, nil).must(t, 200)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/v1", 404, ""},
		{"GET", "/v1/", 404, ""},
		{"GET", "/v1/knowledge-bases/kb-1", 404, ""},
		{"DELETE", "/v1/knowledge-bases/kb-1", 404, ""},
		{"GET", "/v1/knowledge-bases/kb-1/documents/doc-1", 404, ""},
		{"GET", "/v1/agents//voice", 404, ""},
		{"PATCH", "/v1/agents/a1", 405, "GET, PUT, DELETE"},
		{"GET", "/v1/agents/a1/voice", 405, "POST"},
		{"PUT", "/v1/conversations/c1", 405, "GET"},
		{"DELETE", "/v1/conversations", 405, "GET, POST"},
		{"PUT", "/v1/knowledge-bases/kb-1/documents", 405, "GET, POST"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := e.bad(tt.method, tt.path, "", nil).must(t, tt.status)
			want := map[int]string{404: "Not Found", 405: "Method Not Allowed"}[tt.status]
			if d := r.detail(t); d != want {
				t.Errorf("detail %q, want %q", d, want)
			}
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestMintKrosAIKey: keys are reused per account, distinct between
// accounts, unlike HighLevel tokens, and refused for bad account names.
func TestMintKrosAIKey(t *testing.T) {
	s, _ := simtest.Start(t, sim.Options{})
	a, err := s.MintKrosAIKey(acme)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.MintKrosAIKey(acme)
	if err != nil || again != a {
		t.Errorf("second mint %q, %v; want the same key %q", again, err, a)
	}
	b, err := s.MintKrosAIKey(other)
	if err != nil || b == a {
		t.Errorf("other account's key %q, %v", b, err)
	}
	hl, err := s.MintToken("LocAAAAAAAAAAAAAAAAA", sim.ScopeReadonly)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{a, b} {
		if !strings.HasPrefix(k, "kros_sandbox_") || len(k) != len("kros_sandbox_")+32 || strings.HasPrefix(k, "pit-") || k[:4] == hl[:4] {
			t.Errorf("key %q: want kros_sandbox_ and 32 characters, unlike HighLevel's %q", k, hl[:12])
		}
	}
	for _, name := range []string{"", "   ", "tab\there", strings.Repeat("n", 101)} {
		if k, err := s.MintKrosAIKey(name); err == nil {
			t.Errorf("account %q: minted %q, want an error", name, k)
		} else if !strings.Contains(err.Error(), "KrosAI account name") {
			t.Errorf("account %q: error %v", name, err)
		}
	}
}
