package sim_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
)

// Tests of issue 18: what HighLevel's official SDK showed the sandbox got wrong.

// TestVersionHeaderValues: the values HighLevel's documents and SDKs send are
// accepted by default; a missing or unknown one is refused; Options.APIVersions
// sets the accepted set.
func TestVersionHeaderValues(t *testing.T) {
	e := newEnv(t, sim.Options{})
	for _, v := range []string{"2021-04-15", "2021-07-28", "2023-02-21", "v3"} {
		t.Run(v, func(t *testing.T) {
			// Only the answer is checked: the document's enum lists 2021-04-15.
			e.bad("GET", "/conversation-ai/agents/search", e.ro, nil, withVersion(v)).must(t, 200)
		})
	}
	for name, opt := range map[string]reqOpt{"missing": noVersion(), "unknown": withVersion("2024-01-01")} {
		t.Run(name, func(t *testing.T) {
			r := e.bad("GET", "/conversation-ai/agents/search", e.ro, nil, opt).must(t, 400)
			want := "Version header must be one of: 2021-04-15, 2021-07-28, 2023-02-21, v3"
			if r.messages() != want {
				t.Errorf("message %q, want %q", r.messages(), want)
			}
		})
	}
	t.Run("configured set", func(t *testing.T) {
		only := newEnv(t, sim.Options{APIVersions: []string{"v3"}})
		only.bad("GET", "/conversation-ai/agents/search", only.ro, nil, withVersion("v3")).must(t, 200)
		only.bad("GET", "/conversation-ai/agents/search", only.ro, nil, withVersion("2021-04-15")).must(t, 400)
	})
}

func TestParseAPIVersions(t *testing.T) {
	got, err := sim.ParseAPIVersions(" 2021-04-15, v3 ,")
	if err != nil || !reflect.DeepEqual(got, []string{"2021-04-15", "v3"}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"", " , ", "v 3"} {
		if _, err := sim.ParseAPIVersions(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSearchGoalShape: a search item's goal is the document's example shape.
func TestSearchGoalShape(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.createAgent("a", map[string]any{"goal": "book cleanings"})
	r := e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
	goal := r.body["agents"].([]any)[0].(map[string]any)["goal"]
	want := map[string]any{"prompt": "book cleanings", "type": "custom", "actionId": nil}
	if !reflect.DeepEqual(goal, want) {
		t.Errorf("goal %#v, want %#v", goal, want)
	}
}

// TestGenerationOfUnknownMessage: an unknown message id is an error; a
// seeded one answers its record.
func TestGenerationOfUnknownMessage(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.do("GET", "/conversation-ai/generations?messageId=nope&source=conversation", e.ro, nil).must(t, 400)
	if r.messages() != "No AI generation found for the messageId: nope" {
		t.Errorf("message %q", r.messages())
	}
	want := sim.Generation{Prompt: "p", ResponseMessage: "hello", Input: "hi", Mode: "auto-pilot",
		History: []sim.GenerationMessage{{Role: "user", Content: "hi"}}}
	if _, err := e.s.AddGeneration(loc, "m1", &want); err != nil {
		t.Fatal(err)
	}
	got := e.do("GET", "/conversation-ai/generations?messageId=m1&source=workflow", e.ro, nil).must(t, 200)
	if got.str("responseMessage") != "hello" || got.str("mode") != "auto-pilot" || len(got.body["faqs"].([]any)) != 0 {
		t.Errorf("seeded record answered as %s", got.raw)
	}
	// Another location's message is unknown here.
	other := e.rwToken("LocOTHERxxxxxxxxxxxx")
	e.do("GET", "/conversation-ai/generations?messageId=m1&source=workflow", other, nil).must(t, 400)
	if _, err := e.s.AddGeneration("", "m", nil); err == nil {
		t.Error("AddGeneration accepted an empty location")
	}
}

// TestGenerationSubItemShapes: faqs, website and actionLogs in the
// document's example shapes.
func TestGenerationSubItemShapes(t *testing.T) {
	e := newEnv(t, sim.Options{})
	id := e.createAgent("a", nil)
	e.createAction(id, "updateContactField", validDetails("updateContactField", ""))
	if _, err := e.s.AddGeneration(loc, "m1", nil); err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", "/conversation-ai/generations?messageId=m1&source=conversation", e.ro, nil).must(t, 200)
	keys := func(field string) [][]string {
		var out [][]string
		for _, x := range r.body[field].([]any) {
			var ks []string
			for k := range x.(map[string]any) {
				ks = append(ks, k)
			}
			out = append(out, sortedStrings(ks))
		}
		return out
	}
	if got := keys("faqs"); !reflect.DeepEqual(got, [][]string{{"content", "id", "title"}}) {
		t.Errorf("faqs keys %v", got)
	}
	if got := keys("website"); !reflect.DeepEqual(got, [][]string{{"content", "id", "url"}}) {
		t.Errorf("website keys %v", got)
	}
	logs := r.body["actionLogs"].([]any)
	if len(logs) != 1 {
		t.Fatalf("actionLogs %v", logs)
	}
	upd := logs[0].(map[string]any)["contactUpdateAction"].([]any)[0].(map[string]any)
	if upd["fieldId"] != validDetails("updateContactField", "")["contactFieldId"] || upd["value"] == nil {
		t.Errorf("contactUpdateAction %v", upd)
	}
	for _, h := range r.body["history"].([]any) {
		if len(h.(map[string]any)) != 2 {
			t.Errorf("history item %v: want role and content", h)
		}
	}
}

// TestIndefiniteSleep: sleepEnabled true with sleepTime null is accepted and
// read back as an indefinite sleep.
func TestIndefiniteSleep(t *testing.T) {
	e := newEnv(t, sim.Options{})
	// The schema types sleepTime as a number, so only the answer is checked.
	r := e.bad("POST", "/conversation-ai/agents", e.rw, `{"name":"sleeper","personality":"p","goal":"g",
		"instructions":"i","sleepEnabled":true,"sleepTime":null,"sleepTimeUnit":null}`).must(t, 201)
	if r.body["sleepEnabled"] != true || r.body["sleepTime"] != nil {
		t.Errorf("answer %s", r.raw)
	}
	id := e.createAgent("later", nil)
	upd := e.do("PUT", "/conversation-ai/agents/"+id, e.rw, map[string]any{"autoPilotMaxMessages": 5, "sleepEnabled": true}).must(t, 200)
	if upd.body["sleepEnabled"] != true || upd.body["sleepTime"] != nil {
		t.Errorf("update answer %s", upd.raw)
	}
	// Silent in the document, kept: sleepTime without its unit.
	e.bad("POST", "/conversation-ai/agents", e.rw, agentBody("x", map[string]any{"sleepEnabled": true, "sleepTime": 2})).must(t, 422)
}

// TestVersionRejectionCountsInTheSameWindow: after an idle window, a request
// refused for its Version header and the next accepted one report one count.
func TestVersionRejectionCountsInTheSameWindow(t *testing.T) {
	clock := newClock()
	e := newEnv(t, sim.Options{Now: clock.Now})
	for range 40 {
		e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
	}
	clock.Advance(10 * time.Second)
	bad := e.bad("GET", "/conversation-ai/agents/search", e.ro, nil, withVersion("2020-01-01")).must(t, 400)
	good := e.do("GET", "/conversation-ai/agents/search", e.ro, nil).must(t, 200)
	if b, g := bad.header.Get("X-RateLimit-Remaining"), good.header.Get("X-RateLimit-Remaining"); b != "99" || g != "98" {
		t.Errorf("remaining %q then %q, want 99 then 98 (one window, one count)", b, g)
	}
	if b, g := bad.header.Get("X-RateLimit-Daily-Remaining"), good.header.Get("X-RateLimit-Daily-Remaining"); strings.Compare(b, g) == 0 {
		t.Errorf("daily remaining %q then %q: the refused request was not counted", b, g)
	}
}

func sortedStrings(s []string) []string { return slices.Sorted(slices.Values(s)) }
