package sim_test

import (
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// merge returns base with over applied (nil deletes a key).
func merge(base, over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func TestAgentValidation(t *testing.T) {
	e := newEnv(t, sim.Options{})
	existing := e.createAgent("existing", nil)
	tests := []struct {
		name   string
		update bool // PUT the existing agent instead of POST
		body   any
		status int
		msg    string
	}{
		{"malformed JSON", false, `{"name":`, 400, "Unexpected request body"},
		{"array body", false, `[]`, 400, "must be a JSON object"},
		{"name required", false, agentBody("", map[string]any{"name": nil}), 422, "name should not be empty"},
		{"name empty", false, agentBody("", nil), 422, "name should not be empty"},
		{"personality required", false, agentBody("a", map[string]any{"personality": nil}), 422, "personality should not be empty"},
		{"goal required", false, agentBody("a", map[string]any{"goal": nil}), 422, "goal should not be empty"},
		{"instructions required", false, agentBody("a", map[string]any{"instructions": nil}), 422, "instructions should not be empty"},
		{"name type", false, agentBody("a", map[string]any{"name": 5}), 422, "name must be a string"},
		{"unknown property", false, agentBody("a", map[string]any{"colour": "red"}), 422, "property colour should not exist"},
		{"mode enum", false, agentBody("a", map[string]any{"mode": "AUTO_PILOT"}), 422, "mode must be one of the following values: off, suggestive, auto-pilot"},
		{"channel enum", false, agentBody("a", map[string]any{"channels": []any{"Email"}}), 422, "each value in channels must be one of"},
		{"channels unique", false, agentBody("a", map[string]any{"channels": []any{"SMS", "SMS"}}), 422, "must be unique"},
		{"channels type", false, agentBody("a", map[string]any{"channels": "SMS"}), 422, "channels must be an array"},
		{"waitTime seconds max", false, agentBody("a", map[string]any{"waitTime": 301}), 422, "waitTime must not be greater than 300 when waitTimeUnit is seconds"},
		{"waitTime minutes max", false, agentBody("a", map[string]any{"waitTime": 6, "waitTimeUnit": "minutes"}), 422, "waitTime must not be greater than 5 when waitTimeUnit is minutes"},
		{"waitTime negative", false, agentBody("a", map[string]any{"waitTime": -1}), 422, "waitTime must not be less than 0"},
		{"waitTimeUnit enum", false, agentBody("a", map[string]any{"waitTimeUnit": "hours"}), 422, "waitTimeUnit must be one of"},
		{"sleep hours max", false, agentBody("a", map[string]any{"sleepTime": 49, "sleepTimeUnit": "hours"}), 422, "sleepTime must not be greater than 48 when sleepTimeUnit is hours"},
		{"sleep minutes max", false, agentBody("a", map[string]any{"sleepTime": 2881, "sleepTimeUnit": "minutes"}), 422, "must not be greater than 2880"},
		{"sleep seconds max", false, agentBody("a", map[string]any{"sleepTime": 172801, "sleepTimeUnit": "seconds"}), 422, "must not be greater than 172800"},
		{"sleepEnabled without sleepTime sleeps indefinitely", false, agentBody("a", map[string]any{"sleepEnabled": true, "sleepTimeUnit": "hours"}), 201, ""},
		{"sleepEnabled needs unit", false, agentBody("a", map[string]any{"sleepEnabled": true, "sleepTime": 2}), 422, "sleepTimeUnit should not be empty when sleepEnabled is true"},
		{"sleepTime needs unit", false, agentBody("a", map[string]any{"sleepTime": 2}), 422, "sleepTimeUnit should not be empty when sleepTime is set"},
		{"sleepTime positive", false, agentBody("a", map[string]any{"sleepTime": 0, "sleepTimeUnit": "hours"}), 422, "sleepTime must be a positive number"},
		{"sleepTimeUnit enum", false, agentBody("a", map[string]any{"sleepTimeUnit": "days"}), 422, "sleepTimeUnit must be one of"},
		{"autoPilotMaxMessages min", false, agentBody("a", map[string]any{"autoPilotMaxMessages": 0}), 422, "autoPilotMaxMessages must not be less than 1"},
		{"autoPilotMaxMessages max", false, agentBody("a", map[string]any{"autoPilotMaxMessages": 101}), 422, "autoPilotMaxMessages must not be greater than 100"},
		{"autoPilotMaxMessages integer", false, agentBody("a", map[string]any{"autoPilotMaxMessages": 2.5}), 422, "autoPilotMaxMessages must be an integer number"},
		{"isPrimary type", false, agentBody("a", map[string]any{"isPrimary": "yes"}), 422, "isPrimary must be a boolean value"},
		{"knowledgeBaseIds items", false, agentBody("a", map[string]any{"knowledgeBaseIds": []any{1}}), 422, "each value in knowledgeBaseIds must be a string"},
		{"respondToImages type", false, agentBody("a", map[string]any{"respondToImages": 1}), 422, "respondToImages must be a boolean value"},
		{"null elsewhere", false, agentBody("a", map[string]any{"businessName": "x", "goal": "g", "mode": "off", "channels": []any{}, "respondToAudio": false, "sleepOnWorkflowMessage": false}), 201, ""},
		{"update needs autoPilotMaxMessages", true, map[string]any{"name": "x"}, 422, "autoPilotMaxMessages should not be empty"},
		{"update primary needs mode", true, map[string]any{"autoPilotMaxMessages": 5, "isPrimary": true}, 422, "mode should not be empty when isPrimary is true"},
		{"update checks merged waitTime", true, map[string]any{"autoPilotMaxMessages": 5, "waitTimeUnit": "minutes", "waitTime": 10}, 422, "waitTime must not be greater than 5"},
		{"update empty name", true, map[string]any{"autoPilotMaxMessages": 5, "name": ""}, 422, "name should not be empty"},
		{"several messages at once", false, agentBody("a", map[string]any{"mode": "x", "autoPilotMaxMessages": 0}), 422, "mode must be one of the following values: off, suggestive, auto-pilot | autoPilotMaxMessages must not be less than 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.s.AgentsOf(loc))
			var r resp
			if tt.update {
				r = e.bad("PUT", "/conversation-ai/agents/"+existing, e.rw, tt.body)
			} else {
				r = e.bad("POST", "/conversation-ai/agents", e.rw, tt.body)
			}
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.raw)
			}
			if tt.status >= 400 {
				if !strings.Contains(r.messages(), tt.msg) {
					t.Errorf("message %q lacks %q", r.messages(), tt.msg)
				}
				if r.body["statusCode"] != float64(tt.status) {
					t.Errorf("statusCode %v, want %d", r.body["statusCode"], tt.status)
				}
				if after := len(e.s.AgentsOf(loc)); after != before {
					t.Errorf("a refused request changed the agent count from %d to %d", before, after)
				}
			}
			if tt.status == 422 {
				if _, isList := r.body["message"].([]any); !isList || r.str("error") != "Unprocessable Entity" {
					t.Errorf("422 body shape: %s", r.raw)
				}
			}
		})
	}
	if a := e.s.AgentsOf(loc)[0]; a.Name != "existing" || a.AutoPilotMaxMessages != 75 {
		t.Errorf("refused updates changed the agent: %+v", a)
	}
}

func TestActionValidation(t *testing.T) {
	e := newEnv(t, sim.Options{})
	agent := e.createAgent("main", nil)
	other := e.createAgent("other", nil)
	followup := e.createAction(agent, "advancedFollowup", validDetails("advancedFollowup", ""))
	trigger := e.createAction(agent, "triggerWorkflow", validDetails("triggerWorkflow", ""))
	otherFollowup := e.createAction(other, "advancedFollowup", validDetails("advancedFollowup", ""))
	d := func(typ string, over map[string]any) map[string]any {
		return map[string]any{"type": typ, "name": "n", "details": merge(validDetails(typ, other), over)}
	}
	step := func(over map[string]any) map[string]any {
		return d("advancedFollowup", map[string]any{"followupSequence": []any{merge(map[string]any{"id": 1, "followupTimeUnit": "minutes", "followupTime": 30}, over)}})
	}
	tests := []struct {
		name string
		body any
		msg  string // "" = accepted
	}{
		{"type required", map[string]any{"name": "n", "details": map[string]any{}}, "type should not be empty"},
		{"type enum", map[string]any{"type": "TRIGGER_WORKFLOW", "name": "n", "details": map[string]any{}}, "type must be one of the following values"},
		{"name required", map[string]any{"type": "stopBot", "details": validDetails("stopBot", "")}, "name should not be empty"},
		{"details required", map[string]any{"type": "stopBot", "name": "n"}, "details should not be empty"},
		{"details object", map[string]any{"type": "stopBot", "name": "n", "details": []any{}}, "details must be an object"},
		{"unknown detail property", d("triggerWorkflow", map[string]any{"calendarId": "c"}), "property details.calendarId should not exist"},
		// triggerWorkflow
		{"workflowIds required", d("triggerWorkflow", map[string]any{"workflowIds": nil}), "details.workflowIds should not be empty"},
		{"workflowIds non-empty", d("triggerWorkflow", map[string]any{"workflowIds": []any{}}), "details.workflowIds must contain at least 1 elements"},
		{"triggerCondition required", d("triggerWorkflow", map[string]any{"triggerCondition": nil}), "details.triggerCondition should not be empty"},
		// updateContactField
		{"contactFieldId required", d("updateContactField", map[string]any{"contactFieldId": nil}), "details.contactFieldId should not be empty"},
		{"description required", d("updateContactField", map[string]any{"description": nil}), "details.description should not be empty"},
		// appointmentBooking
		{"calendarId required", d("appointmentBooking", map[string]any{"calendarId": nil}), "details.calendarId should not be empty"},
		{"booking flags required", d("appointmentBooking", map[string]any{"cancelEnabled": nil}), "details.cancelEnabled should not be empty"},
		{"onlySendLink forbids triggerWorkflow", d("appointmentBooking", map[string]any{"onlySendLink": true, "sleepAfterBooking": false, "transferBot": false, "rescheduleEnabled": false}), "details.triggerWorkflow must be false when details.onlySendLink is true"},
		{"onlySendLink forbids sleepAfterBooking", d("appointmentBooking", map[string]any{"onlySendLink": true, "triggerWorkflow": false, "transferBot": false, "rescheduleEnabled": false}), "details.sleepAfterBooking must be false"},
		{"onlySendLink forbids transferBot", d("appointmentBooking", map[string]any{"onlySendLink": true, "triggerWorkflow": false, "sleepAfterBooking": false, "rescheduleEnabled": false}), "details.transferBot must be false"},
		{"onlySendLink forbids rescheduleEnabled", d("appointmentBooking", map[string]any{"onlySendLink": true, "triggerWorkflow": false, "sleepAfterBooking": false, "transferBot": false}), "details.rescheduleEnabled must be false"},
		{"onlySendLink forbids cancelEnabled", d("appointmentBooking", map[string]any{"onlySendLink": true, "triggerWorkflow": false, "sleepAfterBooking": false, "transferBot": false, "rescheduleEnabled": false, "cancelEnabled": true}), "details.cancelEnabled must be false"},
		{"onlySendLink alone", d("appointmentBooking", map[string]any{"onlySendLink": true, "triggerWorkflow": false, "sleepAfterBooking": false, "transferBot": false, "rescheduleEnabled": false, "workflowIds": nil, "sleepTime": nil, "sleepTimeUnit": nil, "transferAgent": nil}), ""},
		{"booking workflowIds with triggerWorkflow", d("appointmentBooking", map[string]any{"workflowIds": nil}), "details.workflowIds should not be empty"},
		{"booking sleepTime with sleepAfterBooking", d("appointmentBooking", map[string]any{"sleepTime": nil}), "details.sleepTime should not be empty when details.sleepAfterBooking is true"},
		{"booking sleepTimeUnit with sleepAfterBooking", d("appointmentBooking", map[string]any{"sleepTimeUnit": nil}), "details.sleepTimeUnit should not be empty when details.sleepAfterBooking is true"},
		{"booking sleepTimeUnit enum", d("appointmentBooking", map[string]any{"sleepTimeUnit": "seconds"}), "details.sleepTimeUnit must be one of the following values: days, hours, minutes"},
		{"booking transferAgent with transferBot", d("appointmentBooking", map[string]any{"transferAgent": nil}), "details.transferAgent should not be empty"},
		{"booking transferAgent must exist", d("appointmentBooking", map[string]any{"transferAgent": "nope"}), "details.transferAgent must be the id of another agent of this location: nope"},
		{"booking transferAgent not itself", d("appointmentBooking", map[string]any{"transferAgent": agent}), "details.transferAgent must be the id of another agent"},
		// stopBot
		{"stopBot examples min 2", d("stopBot", map[string]any{"stopBotExamples": []any{"stop"}}), "details.stopBotExamples must contain at least 2 elements"},
		{"stopBot Goodbye examples min 2", d("stopBot", map[string]any{"stopBotDetectionType": "Goodbye", "stopBotExamples": []any{}}), "details.stopBotExamples must contain at least 2 elements"},
		{"stopBot detection enum", d("stopBot", map[string]any{"stopBotDetectionType": "custom"}), "details.stopBotDetectionType must be one of the following values: Goodbye, Custom"},
		{"stopBot reactivate needs sleepTime", d("stopBot", map[string]any{"sleepTime": nil}), "details.sleepTime should not be empty when details.reactivateEnabled is true"},
		{"stopBot finalMessage required", d("stopBot", map[string]any{"finalMessage": nil}), "details.finalMessage should not be empty"},
		{"stopBot enabled required", d("stopBot", map[string]any{"enabled": nil}), "details.enabled should not be empty"},
		// humanHandOver
		{"handover type enum", d("humanHandOver", map[string]any{"handoverType": "other"}), "details.handoverType must be one of"},
		{"handover contactRequest needs examples", d("humanHandOver", map[string]any{"examples": nil}), "details.examples should not be empty"},
		{"handover custom needs examples", d("humanHandOver", map[string]any{"handoverType": "custom", "examples": []any{}}), "details.examples must contain at least 1 elements"},
		{"handover lackOfInformation without examples", d("humanHandOver", map[string]any{"handoverType": "lackOfInformation", "examples": nil}), ""},
		{"handover reactivate needs unit", d("humanHandOver", map[string]any{"reactivateEnabled": true, "sleepTime": 3}), "details.sleepTimeUnit should not be empty when details.reactivateEnabled is true"},
		// advancedFollowup
		{"followup scenario enum", d("advancedFollowup", map[string]any{"scenarioId": "x"}), "details.scenarioId must be one of"},
		{"followup sequence required", d("advancedFollowup", map[string]any{"followupSequence": nil}), "details.followupSequence should not be empty"},
		{"followup minutes max", step(map[string]any{"followupTime": 61}), "details.followupSequence.0.followupTime must not be greater than 60 when details.followupSequence.0.followupTimeUnit is minutes"},
		{"followup hours max", step(map[string]any{"followupTimeUnit": "hours", "followupTime": 25}), "must not be greater than 24"},
		{"followup days max", step(map[string]any{"followupTimeUnit": "days", "followupTime": 181}), "must not be greater than 180"},
		{"followup days at max", step(map[string]any{"followupTimeUnit": "days", "followupTime": 180}), ""},
		{"followup unit enum", step(map[string]any{"followupTimeUnit": "seconds"}), "followupTimeUnit must be one of the following values: days, hours, minutes"},
		{"followup custom message needed", step(map[string]any{"aiEnabledMessage": false}), "details.followupSequence.0.customMessage should not be empty"},
		{"followup workflowId needed", step(map[string]any{"triggerWorkflow": true}), "details.followupSequence.0.workflowId should not be empty"},
		{"followup step ids unique", d("advancedFollowup", map[string]any{"followupSequence": []any{
			map[string]any{"id": 1, "followupTimeUnit": "minutes", "followupTime": 5},
			map[string]any{"id": 1, "followupTimeUnit": "minutes", "followupTime": 6}}}), "details.followupSequence.1.id must be unique"},
		{"followup settings dynamicChannelSwitching required", d("advancedFollowup", map[string]any{"followupSettings": map[string]any{}}), "details.followupSettings.dynamicChannelSwitching should not be empty"},
		// transferBot
		{"transfer type enum", d("transferBot", map[string]any{"transferBotType": "custom"}), "details.transferBotType must be one of the following values: Default, Custom"},
		{"transfer target required", d("transferBot", map[string]any{"transferToBot": nil}), "details.transferToBot should not be empty"},
		{"transfer target must exist", d("transferBot", map[string]any{"transferToBot": "ghost"}), "details.transferToBot must be the id of another agent of this location: ghost"},
		{"transfer custom examples min 2", d("transferBot", map[string]any{"transferBotExamples": []any{"one"}}), "details.transferBotExamples must contain at least 2 elements"},
		{"transfer custom condition", d("transferBot", map[string]any{"transferBotTriggerCondition": nil}), "details.transferBotTriggerCondition should not be empty"},
		{"transfer default without examples", d("transferBot", map[string]any{"transferBotType": "Default", "transferBotExamples": nil, "transferBotTriggerCondition": nil}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.bad("POST", "/conversation-ai/agents/"+agent+"/actions", e.rw, tt.body)
			if tt.msg == "" {
				r.must(t, 201)
				return
			}
			r.must(t, 422)
			if !strings.Contains(r.messages(), tt.msg) {
				t.Errorf("message %q lacks %q", r.messages(), tt.msg)
			}
		})
	}

	settings := map[string]any{"dynamicChannelSwitching": true}
	patch := []struct {
		name string
		body any
		msg  string
	}{
		{"actionIds required", map[string]any{"followupSettings": settings}, "actionIds should not be empty"},
		{"actionIds non-empty", map[string]any{"actionIds": []any{}, "followupSettings": settings}, "actionIds must contain at least 1 elements"},
		{"settings required", map[string]any{"actionIds": []any{followup}}, "followupSettings should not be empty"},
		{"not a followup action", map[string]any{"actionIds": []any{trigger}, "followupSettings": settings}, "actionIds must name advancedFollowup actions of this agent: " + trigger},
		{"another agent's action", map[string]any{"actionIds": []any{otherFollowup}, "followupSettings": settings}, "actionIds must name advancedFollowup actions of this agent: " + otherFollowup},
		{"unknown action", map[string]any{"actionIds": []any{"nope"}, "followupSettings": settings}, "actionIds must name advancedFollowup actions of this agent: nope"},
		{"timezone enum", map[string]any{"actionIds": []any{followup}, "followupSettings": merge(settings, map[string]any{"timezoneToUse": "utc"})}, "followupSettings.timezoneToUse must be one of the following values: contact, business"},
		{"day of week range", map[string]any{"actionIds": []any{followup}, "followupSettings": merge(settings, map[string]any{"workingHours": []any{map[string]any{"dayOfTheWeek": 7}}})}, "followupSettings.workingHours.0.dayOfTheWeek must not be greater than 6"},
		{"day of week unique", map[string]any{"actionIds": []any{followup}, "followupSettings": merge(settings, map[string]any{"workingHours": []any{map[string]any{"dayOfTheWeek": 1}, map[string]any{"dayOfTheWeek": 1}}})}, "must be unique within workingHours"},
		{"interval order", map[string]any{"actionIds": []any{followup}, "followupSettings": merge(settings, map[string]any{"workingHours": []any{map[string]any{"dayOfTheWeek": 1, "intervals": []any{
			map[string]any{"startHour": 17, "startMinute": 0, "endHour": 9, "endMinute": 0}}}}})}, "followupSettings.workingHours.0.intervals.0 must start before it ends"},
		{"interval minute range", map[string]any{"actionIds": []any{followup}, "followupSettings": merge(settings, map[string]any{"workingHours": []any{map[string]any{"dayOfTheWeek": 1, "intervals": []any{
			map[string]any{"startHour": 9, "startMinute": 60, "endHour": 10, "endMinute": 0}}}}})}, "startMinute must not be greater than 59"},
	}
	for _, tt := range patch {
		t.Run("followup settings/"+tt.name, func(t *testing.T) {
			r := e.bad("PATCH", "/conversation-ai/agents/"+agent+"/followup-settings", e.rw, tt.body).must(t, 422)
			if !strings.Contains(r.messages(), tt.msg) {
				t.Errorf("message %q lacks %q", r.messages(), tt.msg)
			}
		})
	}
}

func TestFollowupSettingsSeveralActions(t *testing.T) {
	e := newEnv(t, sim.Options{})
	agent := e.createAgent("a", nil)
	a1 := e.createAction(agent, "advancedFollowup", validDetails("advancedFollowup", ""))
	a2 := e.createAction(agent, "advancedFollowup", merge(validDetails("advancedFollowup", ""), map[string]any{"scenarioId": "contactIsBusy"}))
	a3 := e.createAction(agent, "advancedFollowup", validDetails("advancedFollowup", ""))
	r := e.do("PATCH", "/conversation-ai/agents/"+agent+"/followup-settings", e.rw, map[string]any{
		"actionIds": []any{a2, a1}, "followupSettings": map[string]any{"dynamicChannelSwitching": false, "timezoneToUse": "contact"},
	}).must(t, 200)
	if r.body["data"].(map[string]any)["id"] != a2 {
		t.Errorf("answer data should be the first listed action %s: %s", a2, r.raw)
	}
	for _, act := range e.s.AgentsOf(loc)[0].Actions {
		_, has := act.Details["followupSettings"]
		if want := act.ID != a3; has != want {
			t.Errorf("action %s has followupSettings=%v, want %v", act.ID, has, want)
		}
	}
	// Deleting an action takes its settings with it and leaves the others.
	e.do("DELETE", "/conversation-ai/agents/"+agent+"/actions/"+a1, e.rw, nil).must(t, 200)
	acts := e.s.AgentsOf(loc)[0].Actions
	if len(acts) != 2 || acts[0].ID != a2 || acts[0].Details["followupSettings"] == nil {
		t.Errorf("after deleting %s: %+v", a1, acts)
	}
}
