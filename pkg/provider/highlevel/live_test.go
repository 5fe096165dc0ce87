package highlevel

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/value"
)

// TestLiveFingerprints checks that the read path's one-pass fingerprints
// and fields equal what value.Fingerprint and value.MapOf make of the same
// answers: plans saved before keep matching live objects at apply.
func TestLiveFingerprints(t *testing.T) {
	actions := map[string]string{
		"object":     `{"workflowIds":["wf2","wf1"],"triggerCondition":"a <b> & \"c\"","n":1e21,"m":0.1,"i":-3,"deep":{"z":[1,{"y":null}],"a":true}}`,
		"unicode":    `{"finalMessage":"Merci \u00e9t\u00e9 \u2028 \ud83d\ude00 \\ / \t","x":"\u003c\u003e"}`,
		"key order":  `{"b":1,"a":2,"b":3}`,
		"null":       `null`,
		"empty":      ``,
		"empty obj":  `{}`,
		"whitespace": " { \"a\" : [ ] } ",
	}
	for name, details := range actions {
		t.Run("action/"+name, func(t *testing.T) {
			for _, agentID := range []string{"", "ag1"} {
				a := api.Action{ID: "act1", Name: "Book <now>", Type: "stopBot", AgentID: agentID, Details: json.RawMessage(details)}
				want := value.Fingerprint(a)
				if details == "" {
					want = value.Fingerprint(api.Action{ID: a.ID, Name: a.Name, Type: a.Type, AgentID: agentID, Details: json.RawMessage("null")})
				}
				if got := FingerprintAction(a); got != want || want == "" {
					t.Errorf("FingerprintAction = %q, want value.Fingerprint's %q", got, want)
				}
				l, err := liveAction(a)
				if err != nil {
					t.Fatal(err)
				}
				if l.Fingerprint != want {
					t.Errorf("liveAction fingerprint = %q, want %q", l.Fingerprint, want)
				}
				raw := a.Details
				if len(raw) == 0 {
					raw = json.RawMessage("null")
				}
				wantDetails, err := value.MapOf(raw)
				if err != nil {
					t.Fatal(err)
				}
				if got := l.Fields["details"]; !reflect.DeepEqual(got, wantDetails) {
					t.Errorf("details = %#v, want %#v", got, wantDetails)
				}
			}
		})
	}
	for name, details := range map[string]string{"list": `[1]`, "string": `"x"`, "broken": `{"a":`} {
		t.Run("action/"+name, func(t *testing.T) {
			if _, err := liveAction(api.Action{ID: "a", Name: "n", Type: "stopBot", Details: json.RawMessage(details)}); err == nil {
				t.Error("want an error for details that are not an object")
			}
		})
	}

	str := func(s string) *string { return &s }
	num := func(f float64) *float64 { return &f }
	yes := true
	agents := map[string]api.Agent{
		"full": {ID: "ag1", AgentSettings: api.AgentSettings{Name: "Front <Desk> & co", BusinessName: str("Acme \u00e9"),
			Mode: str("auto-pilot"), Channels: []string{"SMS", "Live_Chat"}, IsPrimary: &yes, WaitTime: num(2.5),
			Instructions: str("line 1\nline 2 \u2028"), AutoPilotMaxMessages: num(1e21), KnowledgeBaseIDs: []string{}},
			Actions: []api.ActionRef{{ID: "x", Type: "stopBot"}}},
		"bare":    {ID: "ag2"},
		"no name": {ID: "ag3", AgentSettings: api.AgentSettings{Mode: str("off")}},
	}
	for name, a := range agents {
		t.Run("agent/"+name, func(t *testing.T) {
			l, err := liveAgent(&a)
			if err != nil {
				t.Fatal(err)
			}
			if want := FingerprintAgent(&a); l.Fingerprint != want || want == "" {
				t.Errorf("liveAgent fingerprint = %q, want FingerprintAgent's %q", l.Fingerprint, want)
			}
			want, err := value.MapOf(a.AgentSettings)
			if err != nil {
				t.Fatal(err)
			}
			want["name"] = a.Name
			if !reflect.DeepEqual(l.Fields, want) {
				t.Errorf("fields = %#v, want %#v", l.Fields, want)
			}
		})
	}
}
