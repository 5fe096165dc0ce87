package sim_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

// agentSeed is a location with two agents as the API returns them, the
// first with a follow-up action carrying its settings and a transfer to the
// second.
const agentSeed = `
companies:
  - id: compAcme
    locations:
      - id: locA
        name: Acme Dental Austin
        workflows: [{id: wf1, name: Confirm booking}]
        agents:
          - id: agentFrontDesk000001
            name: Front desk
            personality: friendly
            goal: book cleanings
            instructions: be brief
            mode: auto-pilot
            channels: [SMS, WebChat]
            isPrimary: false
            actions:
              - id: actFollowup000000001
                name: Nudge
                type: advancedFollowup
                details:
                  enabled: true
                  scenarioId: contactStoppedReplying
                  followupSequence:
                    - {id: 1, followupTimeUnit: hours, followupTime: 2, triggerWorkflow: true, workflowId: wf1}
                  followupSettings: {dynamicChannelSwitching: true, timezoneToUse: contact}
              - name: To billing
                type: transferBot
                details: {transferBotType: Default, transferToBot: agentBilling00000001, enabled: true}
          - id: agentBilling00000001
            name: Billing
            personality: calm
            goal: answer billing questions
            instructions: be exact
            isPrimary: true
        generations: [{messageId: m1}, {messageId: m2, prompt: p, responseMessage: hello}]
`

func TestSeedAgents(t *testing.T) {
	e := newEnv(t, sim.Options{})
	st := simtest.Seed(t, e.s, agentSeed)
	if st.Agents != 2 || st.Actions != 2 || st.Generations != 2 || st.Lookups != 1 {
		t.Errorf("stats %s", st)
	}
	agents := e.s.AgentsOf("locA")
	if len(agents) != 2 || agents[0].Name != "Front desk" || agents[1].Name != "Billing" {
		t.Fatalf("agents %+v", agents)
	}
	if agents[0].IsPrimary || !agents[1].IsPrimary {
		t.Errorf("primary: %v %v, want the seeded isPrimary agent only", agents[0].IsPrimary, agents[1].IsPrimary)
	}
	acts := agents[0].Actions
	if len(acts) != 2 || acts[0].ID != "actFollowup000000001" || acts[1].Type != "transferBot" {
		t.Fatalf("actions %+v", acts)
	}
	if fs, _ := acts[0].Details["followupSettings"].(map[string]any); fs["timezoneToUse"] != "contact" {
		t.Errorf("follow-up settings lost: %v", acts[0].Details)
	}
	if step := acts[0].Details["followupSequence"].([]any)[0].(map[string]any); step["aiEnabledMessage"] != true {
		t.Errorf("schema defaults not filled in: %v", step)
	}

	// Served through the API like any agent.
	tok, err := e.s.MintToken("locA", sim.LocationScopes(false)...)
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", "/conversation-ai/agents/agentFrontDesk000001/actions/list", tok, nil).must(t, 200)
	if n := len(r.body["data"].([]any)); n != 2 {
		t.Errorf("%d actions listed", n)
	}
	if g := e.do("GET", "/conversation-ai/generations?messageId=m2&source=conversation", tok, nil).must(t, 200); g.str("responseMessage") != "hello" {
		t.Errorf("seeded generation %s", g.raw)
	}
	e.do("GET", "/conversation-ai/generations?messageId=m1&source=conversation", tok, nil).must(t, 200)

	// Seeding again replaces the agents with ids; the one without an id is added again.
	simtest.Seed(t, e.s, agentSeed)
	again := e.s.AgentsOf("locA")
	if len(again) != 2 || len(again[0].Actions) != 2 {
		t.Errorf("re-seed: %d agents, %d actions on the first", len(again), len(again[0].Actions))
	}
}

// TestSeedIsAtomic: one bad agent anywhere and nothing of the seed is written.
func TestSeedIsAtomic(t *testing.T) {
	e := newEnv(t, sim.Options{})
	bad := agentSeed + `
      - id: locB
        name: Broken
        agents:
          - {name: x, personality: p, goal: g, instructions: i, actions: [{name: a, type: triggerWorkflow, details: {triggerCondition: c}}]}
`
	seed, err := sim.ParseSeed("fleet.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.LoadSeed(seed)
	if err == nil || !strings.Contains(err.Error(), "fleet.yaml:") || !strings.Contains(err.Error(), "companies[0].locations[1].agents[0].actions[0]") ||
		!strings.Contains(err.Error(), "details.workflowIds should not be empty") {
		t.Fatalf("error %v", err)
	}
	if n := len(e.s.AgentsOf("locA")); n != 0 {
		t.Errorf("a failed seed wrote %d agents", n)
	}
	if _, err := e.s.MintAgencyToken("compAcme", sim.ScopeOAuthWrite); err == nil {
		t.Error("a failed seed created its company")
	}
}

func TestSeedRefusals(t *testing.T) {
	tests := []struct {
		name, seed, want string
	}{
		{"unknown workflow in a seeded agent", strings.Replace(agentSeed, "workflowId: wf1", "workflowId: wf9", 1), "followupSequence.0.workflowId must be the id of a workflow of this location: wf9"},
		{"transfer to an unknown agent", strings.Replace(agentSeed, "transferToBot: agentBilling00000001", "transferToBot: nobody", 1), "transferToBot must be the id of another agent"},
		{"duplicate location", "companies:\n  - id: c\n    locations:\n      - {id: l, name: L}\n      - {id: l, name: M}\n", "seed.yaml:5: companies[0].locations[1].id: location l is listed twice"},
		{"duplicate lookup", "companies:\n  - id: c\n    locations:\n      - {id: l, name: L, users: [{id: u, name: A}, {id: u, name: B}]}\n", "id u is listed twice"},
		{"action field", strings.Replace(agentSeed, "name: To billing", "name: To billing\n                colour: red", 1), "property colour should not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := simtest.Start(t, sim.Options{})
			seed, err := sim.ParseSeed("seed.yaml", []byte(tt.seed))
			if err == nil {
				_, err = s.LoadSeed(seed)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSeedJSON(t *testing.T) {
	s, _ := simtest.Start(t, sim.Options{})
	seed, err := sim.ParseSeed("fleet.json", []byte(`{"companies": [{"id": "c", "locations": [
		{"id": "l", "name": "L", "agents": [{"name": "a", "personality": "p", "goal": "g", "instructions": "i", "autoPilotMaxMessages": 5}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadSeed(seed); err != nil {
		t.Fatal(err)
	}
	if a := s.AgentsOf("l"); len(a) != 1 || a[0].AutoPilotMaxMessages != 5 || !a[0].IsPrimary {
		t.Errorf("agents %+v", a)
	}
	_, err = sim.ParseSeed("bad.json", []byte("{\"companies\": [\n{\"id\": \"c\", \"colour\": 1}]}"))
	if err == nil || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "colour") {
		t.Errorf("error %v", err)
	}
	_, err = sim.ParseSeed("bad.json", []byte("{\"companies\": [\n{\"id\": }]}"))
	if err == nil || !strings.Contains(err.Error(), "bad.json:2") {
		t.Errorf("syntax error %v, want the line", err)
	}
}

// fleetJSON builds a JSON seed of n locations x 5 agents x 4 actions.
func fleetJSON(n int) []byte {
	var locs []map[string]any
	for i := range n {
		var agents []map[string]any
		for a := range 5 {
			agents = append(agents, map[string]any{
				"id": fmt.Sprintf("ag%05d%013d", i, a), "name": fmt.Sprintf("Agent %d", a), "personality": "friendly",
				"goal": "book visits", "instructions": "be brief", "mode": "auto-pilot", "channels": []string{"SMS"},
				"actions": []map[string]any{
					{"name": "wf", "type": "triggerWorkflow", "details": map[string]any{"workflowIds": []string{"wf1"}, "triggerCondition": "asks"}},
					{"name": "field", "type": "updateContactField", "details": map[string]any{"contactFieldId": "cf1", "description": "email"}},
					{"name": "stop", "type": "stopBot", "details": map[string]any{"stopBotDetectionType": "Goodbye", "stopBotTriggerCondition": "bye",
						"reactivateEnabled": false, "enabled": true, "stopBotExamples": []string{"bye", "stop"}, "finalMessage": "bye"}},
					{"name": "follow", "type": "advancedFollowup", "details": map[string]any{"enabled": true, "scenarioId": "contactIsBusy",
						"followupSequence": []map[string]any{{"id": 1, "followupTimeUnit": "hours", "followupTime": 2}},
						"followupSettings": map[string]any{"dynamicChannelSwitching": true}}},
				},
			})
		}
		locs = append(locs, map[string]any{"id": fmt.Sprintf("loc%05d", i), "name": fmt.Sprintf("Clinic %d", i),
			"workflows": []map[string]any{{"id": "wf1", "name": "Confirm"}}, "agents": agents})
	}
	b, _ := json.Marshal(map[string]any{"companies": []map[string]any{{"id": "compBig", "locations": locs}}})
	return b
}

// BenchmarkSeedFleet seeds a persisted sandbox with N locations x 5 agents
// x 4 actions from a JSON seed (parse and load, one transaction).
func BenchmarkSeedFleet(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		raw := fleetJSON(n)
		b.Run(fmt.Sprintf("locations=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				b.StopTimer()
				s, err := sim.New(sim.Options{StatePath: filepath.Join(b.TempDir(), "state.db")})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				seed, err := sim.ParseSeed("fleet.json", raw)
				if err != nil {
					b.Fatal(err)
				}
				st, err := s.LoadSeed(seed)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if st.Actions != n*20 {
					b.Fatalf("stats %s", st)
				}
				s.Close()
				b.StartTimer()
			}
		})
	}
}
