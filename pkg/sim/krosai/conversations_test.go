package krosai_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

// TestConversationLifecycle: a conversation starts active with its room and
// a fresh fake token on every read, lists newest first, has a transcript
// led by the agent's prompt, and is completed (token "") when its agent is
// deleted, staying readable.
func TestConversationLifecycle(t *testing.T) {
	e := newEnv(t, sim.Options{})
	agent := e.createAgent(e.key, map[string]any{"name": "Support", "system_prompt": "Answer briefly."})
	c := e.createConversation(e.key, agent)
	id, _ := c["id"].(string)
	if !strings.HasPrefix(id, "conv-") || c["agent_id"] != agent || c["title"] != "New Conversation" || c["status"] != "active" {
		t.Errorf("new conversation %v", c)
	}
	if c["room_name"] != id || c["room_url"] != "wss://livekit.krosai.invalid/room/"+id {
		t.Errorf("room %v %v: want the conversation id as room name, on a host that never resolves", c["room_name"], c["room_url"])
	}
	tok, _ := c["token"].(string)
	if !strings.HasPrefix(tok, "not-a-credential.sandbox-room-token.") {
		t.Errorf("token %q: want an obviously fake value", tok)
	}
	if len(c) != 10 {
		t.Errorf("conversation has %d keys, want the 10 documented", len(c))
	}

	got := e.do("GET", "/v1/conversations/"+id, e.key, nil).must(t, 200).obj(t)
	if got["token"] == tok || !strings.HasPrefix(got["token"].(string), "not-a-credential.") {
		t.Errorf("reading an active conversation must issue a new token: %v then %v", tok, got["token"])
	}
	titled := e.do("POST", "/v1/conversations", e.key, map[string]any{"agent_id": agent, "title": "Smoke test"}).must(t, 200).obj(t)
	if titled["title"] != "Smoke test" {
		t.Errorf("title %v", titled["title"])
	}
	list := e.do("GET", "/v1/conversations", e.key, nil).must(t, 200).list(t)
	if !slices.Equal(ids(list), []string{titled["id"].(string), id}) {
		t.Errorf("list %v, want newest first", ids(list))
	}
	for _, it := range list {
		if tok, _ := it["token"].(string); !strings.HasPrefix(tok, "not-a-credential.") {
			t.Errorf("listed active conversation without a token: %v", it)
		}
	}

	msgs := e.do("GET", "/v1/conversations/"+id+"/messages", e.key, nil).must(t, 200).list(t)
	if len(msgs) != 1 || msgs[0]["role"] != "system" || msgs[0]["content"] != "Answer briefly." || msgs[0]["conversation_id"] != id {
		t.Errorf("transcript %v: want one leading system message with the agent's prompt", msgs)
	}

	e.do("DELETE", "/v1/agents/"+agent, e.key, nil).must(t, 200)
	done := e.do("GET", "/v1/conversations/"+id, e.key, nil).must(t, 200).obj(t)
	if done["status"] != "completed" || done["token"] != "" || done["agent_id"] != agent || done["room_name"] != id {
		t.Errorf("after deleting the agent: %v; want completed, its agent_id kept, room details kept, token empty", done)
	}
	e.do("GET", "/v1/conversations/"+id+"/messages", e.key, nil).must(t, 200)
	if d := e.do("POST", "/v1/conversations", e.key, map[string]any{"agent_id": agent}).must(t, 404).detail(t); d != "Agent not found" {
		t.Errorf("conversation with a deleted agent: %q", d)
	}
}

// TestMessagesOrder: transcripts answer oldest first, every role kept.
func TestMessagesOrder(t *testing.T) {
	e := newEnv(t, sim.Options{})
	simtest.Seed(t, e.s, `
krosaiAccounts:
  - name: Acme Voice
    agents: [{id: ag1, name: Support}]
    conversations:
      - id: conv-1
        agent_id: ag1
        status: completed
        messages:
          - {role: system, content: Be brief.}
          - {role: user, content: Hello}
          - {role: assistant, content: "Hi! How can I help?"}
          - {role: user, content: "Prices?"}
`)
	msgs := e.do("GET", "/v1/conversations/conv-1/messages", e.key, nil).must(t, 200).list(t)
	var got []string
	for _, m := range msgs {
		got = append(got, m["role"].(string)+":"+m["content"].(string))
	}
	want := []string{"system:Be brief.", "user:Hello", "assistant:Hi! How can I help?", "user:Prices?"}
	if !slices.Equal(got, want) {
		t.Errorf("transcript %v, want %v", got, want)
	}
	if c := e.do("GET", "/v1/conversations/conv-1", e.key, nil).obj(t); c["status"] != "completed" || c["token"] != "" {
		t.Errorf("seeded completed conversation %v", c)
	}
}

// TestConversationValidation: bad bodies answer 400, unknown agents 404.
func TestConversationValidation(t *testing.T) {
	e := newEnv(t, sim.Options{})
	agent := e.createAgent(e.key, map[string]any{"name": "Support"})
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"no agent_id", `{"title":"x"}`, 400, "agent_id is required"},
		{"blank agent_id", `{"agent_id":""}`, 400, "agent_id must not be empty"},
		{"agent_id a number", `{"agent_id":1}`, 400, "agent_id must be a string"},
		{"blank title", `{"agent_id":"` + agent + `","title":" "}`, 400, "title must not be empty"},
		{"long title", `{"agent_id":"` + agent + `","title":"` + strings.Repeat("t", 201) + `"}`, 400, "title must be at most 200 characters"},
		{"unknown field", `{"agent_id":"` + agent + `","room":"x"}`, 400, "Unknown field: room"},
		{"unknown agent", `{"agent_id":"nope"}`, 404, "Agent not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := e.bad("POST", "/v1/conversations", e.key, tt.body).must(t, tt.status).detail(t)
			if !strings.Contains(d, tt.want) {
				t.Errorf("detail %q, want %q", d, tt.want)
			}
		})
	}
	if l := e.do("GET", "/v1/conversations", e.key, nil).list(t); len(l) != 0 {
		t.Errorf("refused creates stored conversations: %v", l)
	}
	e.do("GET", "/v1/conversations/conv-nope", e.key, nil).must(t, 404)
	if d := e.do("GET", "/v1/conversations/conv-nope/messages", e.key, nil).must(t, 404).detail(t); d != "Conversation not found" {
		t.Errorf("messages of an unknown conversation: %q", d)
	}
}
