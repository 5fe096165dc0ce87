package krosai_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
)

// TestCreateAgentDefaults: only name is required; the documented defaults
// fill language and the providers, unset optional strings answer null and
// knowledge_base_ids [], and every documented key is there.
func TestCreateAgentDefaults(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.do("POST", "/v1/agents", e.key, map[string]any{"name": "Support"}).must(t, 200)
	got := r.obj(t)
	want := map[string]any{
		"name": "Support", "description": nil, "system_prompt": nil, "language": "en", "voice_id": nil,
		"tts_provider": "krosaimlingual", "stt_provider": "krosaimlingual", "llm_model": "krosaimlingual",
		"knowledge_base_ids": []any{},
	}
	for k, v := range want {
		g, present := got[k]
		if !present {
			t.Errorf("key %s missing", k)
			continue
		}
		if b1, _ := json.Marshal(g); string(b1) != mustJSON(t, v) {
			t.Errorf("%s = %s, want %s", k, b1, mustJSON(t, v))
		}
	}
	if len(got) != 13 {
		t.Errorf("agent has %d keys, want the 13 documented: %s", len(got), r.raw)
	}
	for _, k := range []string{"id", "created_at", "updated_at", "created_by"} {
		if s, _ := got[k].(string); s == "" {
			t.Errorf("%s is empty", k)
		}
	}
	if created, err := time.Parse(time.RFC3339Nano, got["created_at"].(string)); err != nil || created.Location() != time.UTC {
		t.Errorf("created_at %v: want RFC 3339 UTC (%v)", got["created_at"], err)
	}
	if !strings.HasPrefix(got["created_by"].(string), "user-") {
		t.Errorf("created_by %v, want the account's user id", got["created_by"])
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAgentLifecycle: create with every field, list, get, update as a
// merge, delete, and the 404s after.
func TestAgentLifecycle(t *testing.T) {
	e := newEnv(t, sim.Options{})
	kb1, kb2 := e.createKB(e.key, "FAQ"), e.createKB(e.key, "Pricing")
	full := map[string]any{
		"name": "Support", "description": "First line", "system_prompt": "Be brief.", "language": "pt-BR",
		"voice_id": "alloy", "tts_provider": "KrosMLingual1.0.1", "stt_provider": "KrosMLingualSTT1.0.0",
		"llm_model": "KrosMLingual 0.1", "knowledge_base_ids": []string{kb1},
	}
	id := e.createAgent(e.key, full)
	second := e.createAgent(e.key, map[string]any{"name": "Support"}) // names need not be unique

	got := e.do("GET", "/v1/agents/"+id, e.key, nil).must(t, 200).obj(t)
	for k, v := range full {
		if mustJSON(t, got[k]) != mustJSON(t, v) {
			t.Errorf("get: %s = %v, want %v (values are echoed as sent)", k, got[k], v)
		}
	}
	if l := e.do("GET", "/v1/agents", e.key, nil).must(t, 200).list(t); !slices.Equal(ids(l), []string{id, second}) {
		t.Errorf("list %v, want oldest first [%s %s]", ids(l), id, second)
	}

	t.Run("update is a merge", func(t *testing.T) {
		r := e.do("PUT", "/v1/agents/"+id, e.key, map[string]any{
			"system_prompt": "Be very brief.", "voice_id": "echo", "knowledge_base_ids": []string{kb2, kb1},
		}).must(t, 200).obj(t)
		if r["system_prompt"] != "Be very brief." || r["voice_id"] != "echo" {
			t.Errorf("changed fields: %v", r)
		}
		if r["name"] != "Support" || r["description"] != "First line" || r["language"] != "pt-BR" || r["llm_model"] != "KrosMLingual 0.1" {
			t.Errorf("omitted fields must be kept: %v", r)
		}
		if mustJSON(t, r["knowledge_base_ids"]) != mustJSON(t, []string{kb2, kb1}) {
			t.Errorf("knowledge_base_ids %v: replaced by the new list, in its order", r["knowledge_base_ids"])
		}
		if r["updated_at"] == r["created_at"] {
			t.Error("updated_at did not move")
		}
		if again := e.do("GET", "/v1/agents/"+id, e.key, nil).obj(t); mustJSON(t, again) != mustJSON(t, r) {
			t.Errorf("GET after PUT %v, want the PUT answer %v", again, r)
		}
	})
	t.Run("null clears optional strings", func(t *testing.T) {
		r := e.bad("PUT", "/v1/agents/"+id, e.key, `{"description": null, "voice_id": null, "knowledge_base_ids": []}`).must(t, 200).obj(t)
		if r["description"] != nil || r["voice_id"] != nil || mustJSON(t, r["knowledge_base_ids"]) != "[]" {
			t.Errorf("after clearing: %v", r)
		}
		if r["system_prompt"] != "Be very brief." {
			t.Errorf("system_prompt %v changed", r["system_prompt"])
		}
	})
	t.Run("empty body changes nothing", func(t *testing.T) {
		before := e.do("GET", "/v1/agents/"+id, e.key, nil).obj(t)
		r := e.do("PUT", "/v1/agents/"+id, e.key, map[string]any{}).must(t, 200).obj(t)
		delete(before, "updated_at")
		delete(r, "updated_at")
		if mustJSON(t, r) != mustJSON(t, before) {
			t.Errorf("PUT {} changed %v into %v", before, r)
		}
	})
	t.Run("delete", func(t *testing.T) {
		r := e.do("DELETE", "/v1/agents/"+id, e.key, nil).must(t, 200)
		if m := r.obj(t); len(m) != 1 || m["message"] != "Agent deleted successfully" {
			t.Errorf("delete answer %s", r.raw)
		}
		for _, method := range []string{"GET", "DELETE"} {
			if d := e.do(method, "/v1/agents/"+id, e.key, nil).must(t, 404).detail(t); d != "Agent not found" {
				t.Errorf("%s after delete: %q", method, d)
			}
		}
		e.do("PUT", "/v1/agents/"+id, e.key, map[string]any{"name": "x"}).must(t, 404)
		if l := e.do("GET", "/v1/agents", e.key, nil).list(t); !slices.Equal(ids(l), []string{second}) {
			t.Errorf("list after delete %v", ids(l))
		}
		if l := e.do("GET", "/v1/knowledge-bases", e.key, nil).list(t); len(l) != 2 {
			t.Errorf("deleting an agent must leave its knowledge bases: %v", l)
		}
	})
}

// TestAgentValidation: invalid bodies answer 400 {"detail"} naming the
// problem, and change nothing.
func TestAgentValidation(t *testing.T) {
	e := newEnv(t, sim.Options{})
	kb := e.createKB(e.key, "FAQ")
	otherKB := e.createKB(e.other, "Theirs")
	id := e.createAgent(e.key, map[string]any{"name": "Support", "voice_id": "alloy"})
	long := strings.Repeat("x", 101)
	tests := []struct {
		name, method, body, want string
	}{
		{"no body", "POST", "", "A JSON object body is required"},
		{"not JSON", "POST", "{", "Invalid JSON body"},
		{"not an object", "POST", `["name"]`, "must be a JSON object"},
		{"trailing data", "POST", `{"name":"a"} {}`, "data after the object"},
		{"name missing", "POST", `{"language":"en"}`, "name is required"},
		{"name null", "POST", `{"name":null}`, "name is required"},
		{"name blank", "POST", `{"name":"  "}`, "name must not be empty"},
		{"name too long", "POST", `{"name":"` + long + `"}`, "name must be at most 100 characters"},
		{"name a number", "POST", `{"name":7}`, "name must be a string"},
		{"unknown field", "POST", `{"name":"a","systemPrompt":"x"}`, "Unknown field: systemPrompt"},
		{"bad language", "POST", `{"name":"a","language":"english"}`, "language must be a language code"},
		{"blank provider", "POST", `{"name":"a","tts_provider":""}`, "tts_provider must not be empty"},
		{"blank voice", "POST", `{"name":"a","voice_id":""}`, "voice_id must not be empty"},
		{"prompt too long", "POST", `{"name":"a","system_prompt":"` + strings.Repeat("p", 32001) + `"}`, "system_prompt must be at most 32000 characters"},
		{"kb ids not a list", "POST", `{"name":"a","knowledge_base_ids":"` + kb + `"}`, "knowledge_base_ids must be a list of strings"},
		{"kb id twice", "POST", `{"name":"a","knowledge_base_ids":["` + kb + `","` + kb + `"]}`, "lists " + kb + " twice"},
		{"unknown kb", "POST", `{"name":"a","knowledge_base_ids":["kb-nope"]}`, "no knowledge base kb-nope in this account"},
		{"another account's kb", "POST", `{"name":"a","knowledge_base_ids":["` + otherKB + `"]}`, "no knowledge base " + otherKB + " in this account"},
		{"two problems", "POST", `{"language":5}`, "name is required; language must be a string"},
		{"update: name null", "PUT", `{"name":null}`, "name may not be null"},
		{"update: language null", "PUT", `{"language":null}`, "language may not be null"},
		{"update: kb ids null", "PUT", `{"knowledge_base_ids":null}`, "knowledge_base_ids may not be null"},
		{"update: unknown kb", "PUT", `{"knowledge_base_ids":["kb-nope"]}`, "no knowledge base kb-nope"},
		{"update: name blank", "PUT", `{"name":""}`, "name must not be empty"},
		{"update: no body", "PUT", ``, "A JSON object body is required"},
	}
	before := e.do("GET", "/v1/agents/"+id, e.key, nil).raw
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/v1/agents"
			if tt.method == "PUT" {
				path += "/" + id
			}
			d := e.bad(tt.method, path, e.key, tt.body).must(t, 400).detail(t)
			if !strings.Contains(d, tt.want) {
				t.Errorf("detail %q, want it to contain %q", d, tt.want)
			}
		})
	}
	if l := e.do("GET", "/v1/agents", e.key, nil).list(t); len(l) != 1 {
		t.Errorf("refused creates stored agents: %v", ids(l))
	}
	if after := e.do("GET", "/v1/agents/"+id, e.key, nil).raw; string(after) != string(before) {
		t.Errorf("refused updates changed the agent:\n%s\n%s", before, after)
	}
}

// TestVoiceSession: room details with a fake token; nothing is stored.
func TestVoiceSession(t *testing.T) {
	e := newEnv(t, sim.Options{})
	id := e.createAgent(e.key, map[string]any{"name": "Support"})
	a := e.do("POST", "/v1/agents/"+id+"/voice", e.key, nil).must(t, 200).obj(t)
	b := e.do("POST", "/v1/agents/"+id+"/voice", e.key, nil).must(t, 200).obj(t)
	if len(a) != 3 {
		t.Errorf("voice session %v: want room_name, room_url and token only", a)
	}
	room, _ := a["room_name"].(string)
	if !strings.HasPrefix(room, "voice-") || a["room_url"] != "wss://agent.krosai.invalid/room/"+room {
		t.Errorf("room %v", a)
	}
	if tok, _ := a["token"].(string); !strings.HasPrefix(tok, "not-a-credential.") || tok == b["token"] || room == b["room_name"] {
		t.Errorf("each session gets its own room and an obviously fake token: %v %v", a, b)
	}
	if l := e.do("GET", "/v1/conversations", e.key, nil).list(t); len(l) != 0 {
		t.Errorf("a voice session made conversations: %v", l)
	}
	e.do("POST", "/v1/agents/nope/voice", e.key, nil).must(t, 404)
}
