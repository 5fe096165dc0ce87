package spec

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// head is a valid document start: lines 1-3.
const head = "apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc1}\n"

// agentA is a valid first agent: lines 4-8 after head. Fields appended with a
// four-space indent continue it from line 9.
const agentA = head + `agents:
  - name: A
    personality: p
    goal: g
    instructions: i
`

// agentB is a second valid agent (5 lines) to append after agentA's extras.
const agentB = `  - name: B
    personality: p
    goal: g
    instructions: i
`

// withActions appends an actions list to agentA: the first action's
// "- name" is on line 10.
func withActions(actions string) string { return agentA + "    actions:\n" + actions }

// files is a shorthand for a single manifest called loc.yaml.
func loc(content string) map[string]string { return map[string]string{"loc.yaml": content} }

// badManifest is a set of files that must fail to load with exactly the
// diagnostics in want.
type badManifest struct {
	name  string
	files map[string]string
	want  []string
}

// badManifests are the bad-input cases; FuzzLoad seeds its corpus from them.
var badManifests = []badManifest{
	{"yaml syntax error", loc(head + "agents:\n  - name: A\n   goal: x\n"),
		[]string{"loc.yaml:6:1: YAML syntax error: did not find expected '-' indicator"}},
	{"wrong apiVersion", loc("apiVersion: agentform/v2\nkind: Location\nlocation: {id: loc1}\n"),
		[]string{`loc.yaml:1:13: apiVersion: must be "agentform/v1" (got "agentform/v2")`}},
	{"missing kind", loc("apiVersion: agentform/v1\nlocation: {id: loc1}\n"),
		[]string{`loc.yaml:1:1: kind: required field is missing (want "Location")`}},
	{"wrong kind", loc("apiVersion: agentform/v1\nkind: Agent\nlocation: {id: loc1}\n"),
		[]string{`loc.yaml:2:7: kind: must be "Location", "KrosAIAccount" or "Vars" (got "Agent")`}},
	{"document is a list", loc("- apiVersion: agentform/v1\n"),
		[]string{"loc.yaml:1:1: a Location document must be a mapping (apiVersion, kind, location, agents)"}},
	{"unknown top-level field", loc(head + "agent: []\n"),
		[]string{`loc.yaml:4:1: agent: unknown field "agent" (did you mean "agents"?)`}},
	{"missing location id", loc("apiVersion: agentform/v1\nkind: Location\nlocation: {name: x}\n"),
		[]string{"loc.yaml:3:11: location.id: required field is missing"}},
	{"bad tokenEnv", loc("apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc1, tokenEnv: my-token}\n"),
		[]string{`loc.yaml:3:32: location.tokenEnv: must be an environment variable name: capitals, digits and _, not starting with a digit (got "my-token")`}},
	{"bad location id", loc("apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc 1}\n"),
		[]string{`loc.yaml:3:16: location.id: must be the location's alphanumeric id (got "loc 1")`}},
	{"mode enum", loc(agentA + "    mode: autopilot\n"),
		[]string{`loc.yaml:9:11: agents[0].mode: must be one of off, suggestive, auto-pilot (got "autopilot")`}},
	{"channel enum", loc(agentA + "    channels: [SMS, Instagram]\n"),
		[]string{`loc.yaml:9:21: agents[0].channels[1]: must be one of IG, FB, SMS, WebChat, WhatsApp, Live_Chat (got "Instagram")`}},
	{"waitTime over 5 minutes", loc(agentA + "    waitTime: 6\n    waitTimeUnit: minutes\n"),
		[]string{"loc.yaml:9:15: agents[0].waitTime: must be at most 5 when waitTimeUnit is minutes (got 6)"}},
	{"waitTime over 300 seconds by default", loc(agentA + "    waitTime: 301\n"),
		[]string{"loc.yaml:9:15: agents[0].waitTime: must be at most 300 when waitTimeUnit is seconds (the API default) (got 301)"}},
	{"autoPilotMaxMessages zero", loc(agentA + "    autoPilotMaxMessages: 0\n"),
		[]string{"loc.yaml:9:27: agents[0].autoPilotMaxMessages: must be at least 1 (got 0)"}},
	{"autoPilotMaxMessages over 100", loc(agentA + "    autoPilotMaxMessages: 101\n"),
		[]string{"loc.yaml:9:27: agents[0].autoPilotMaxMessages: must be at most 100 (got 101)"}},
	{"sleepEnabled without sleepTime", loc(agentA + "    sleepEnabled: true\n    sleepTimeUnit: hours\n"),
		[]string{"loc.yaml:5:5: agents[0].sleepTime: sleepTime is required when sleepEnabled is true"}},
	{"sleepTime over 48 hours", loc(agentA + "    sleepTime: 49\n    sleepTimeUnit: hours\n"),
		[]string{"loc.yaml:9:16: agents[0].sleepTime: must be at most 48 when sleepTimeUnit is hours (got 49)"}},
	{"agent name missing", loc(head + "agents:\n  - personality: p\n    goal: g\n    instructions: i\n"),
		[]string{"loc.yaml:5:5: agents[0].name: required field is missing"}},
	{"wrong type", loc(agentA + "    isPrimary: yes\n"),
		[]string{`loc.yaml:9:16: agents[0].isPrimary: must be true or false (got "yes")`}},
	{"number where a string is needed", loc(head + "agents:\n  - name: 123\n    personality: p\n    goal: g\n    instructions: i\n"),
		[]string{"loc.yaml:5:11: agents[0].name: must be a string (got 123)"}},
	{"typo in agent field", loc(agentA + "    busnessName: Acme\n"),
		[]string{`loc.yaml:9:5: agents[0].busnessName: unknown field "busnessName" (did you mean "businessName"?)`}},
	{"duplicate agent name", loc(agentA + "  - name: A\n    personality: p\n    goal: g\n    instructions: i\n"),
		[]string{`loc.yaml:9:11: agents[1].name: duplicate agent name "A" (first declared at line 5:11)`}},
	{"duplicate pinned id", loc(agentA + "    id: ag1\n" + agentB + "    id: ag1\n"),
		[]string{`loc.yaml:14:9: agents[1].id: agent id "ag1" is pinned twice (first at line 9:9)`}},
	{"duplicate action name", loc(withActions(stopBot("S") + stopBot("S"))),
		[]string{`loc.yaml:20:15: agents[0].actions[1].name: duplicate action name "S" in this agent (first declared at line 10:15)`}},
	{"duplicate location id across files", map[string]string{"a.yaml": head, "b.yaml": head},
		[]string{`b.yaml:3:16: location.id: duplicate location id "loc1" (also declared at a.yaml:3:16)`}},
	{"unknown base", loc(agentA + "    base: nope\n"),
		[]string{`loc.yaml:9:11: agents[0].base: unknown base "nope": no bases/nope.yaml or bases/nope.yml in . or any folder above`}},
	{"unknown base path", loc(agentA + "    base: ./x/y.yaml\n"),
		[]string{`loc.yaml:9:11: agents[0].base: unknown base "./x/y.yaml": x/y.yaml does not exist`}},
	{"base cycle", map[string]string{
		"loc.yaml":       agentA + "    base: one\n",
		"bases/one.yaml": "base: two\n",
		"bases/two.yaml": "base: one\n",
	}, []string{`bases/two.yaml:1:7: base: base cycle: bases/one.yaml -> bases/two.yaml -> bases/one.yaml`}},
	{"undefined variable", loc(agentA + "    businessName: Acme ${city}\n"),
		[]string{"loc.yaml:9:19: agents[0].businessName: undefined variable ${city} (declare it under vars:)"}},
	{"unterminated variable", loc(agentA + "    businessName: Acme ${city\n"),
		[]string{"loc.yaml:9:19: agents[0].businessName: unterminated ${ (write $${ for a literal ${)"}},
	{"invalid variable name", loc(agentA + "    businessName: Acme ${my city}\n"),
		[]string{"loc.yaml:9:19: agents[0].businessName: invalid variable reference ${my city} (names are letters, digits and _)"}},
	{"vars must not be null", loc(head + "vars: {n: null}\n"),
		[]string{"loc.yaml:4:11: vars.n: must be true or false, a number, a string, a list or a mapping (got null)"}},
	{"token key", loc(head + "token: abc\n"),
		[]string{"loc.yaml:4:1: token: a literal token is not allowed in a manifest: put it in an environment variable and name that variable in location.tokenEnv"}},
	{"apiKey key in any case", loc(agentA + "    APIKey: abc\n"),
		[]string{"loc.yaml:9:5: agents[0].APIKey: a literal token is not allowed in a manifest: put it in an environment variable and name that variable in location.tokenEnv"}},
	{"private integration token value", loc(agentA + "    businessName: pit-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n"),
		[]string{"loc.yaml:9:19: agents[0].businessName: " + tokenMessage}},
	{"JWT value", loc(head + "vars: {t: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln}\n"),
		[]string{"loc.yaml:4:11: vars.t: " + tokenMessage}},
	{"bearer value", loc(agentA + "    businessName: Bearer abcdefghijklmnopqrstuvwxyz\n"),
		[]string{"loc.yaml:9:19: agents[0].businessName: " + tokenMessage}},
	{"follow-up names a missing action", loc(agentA + "    followup: {actions: [Nudge]}\n"),
		[]string{`loc.yaml:9:26: agents[0].followup.actions[0]: no action named "Nudge" in this agent`}},
	{"follow-up names a stopBot action", loc(withActions(stopBot("S")) + "    followup: {actions: [S]}\n"),
		[]string{`loc.yaml:20:26: agents[0].followup.actions[0]: action "S" has type stopBot; follow-up settings apply only to advancedFollowup actions`}},
	{"transfer to an undeclared agent", loc(withActions(transferBot("T", "Nobody"))),
		[]string{`loc.yaml:14:26: agents[0].actions[0].details.transferToBot: no agent named "Nobody" in this location (agents are referenced by name)`}},
	{"transfer to itself", loc(withActions(transferBot("T", "A"))),
		[]string{`loc.yaml:14:26: agents[0].actions[0].details.transferToBot: an agent cannot transfer to itself`}},
	{"booking transfers to an undeclared agent", loc(withActions(booking("transferBot: true, transferAgent: Ghost"))),
		[]string{`loc.yaml:12:187: agents[0].actions[0].details.transferAgent: no agent named "Ghost" in this location (agents are referenced by name)`}},
	{"followupSettings in details", loc(withActions(followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 2}") + "          followupSettings: {dynamicChannelSwitching: true}\n")),
		[]string{"loc.yaml:16:11: agents[0].actions[0].details.followupSettings: is not allowed in details: declare follow-up settings in the agent's followup: block"}},
	{"actionId in booking", loc(withActions(booking("transferBot: false, actionId: a1"))),
		[]string{"loc.yaml:12:173: agents[0].actions[0].details.actionId: is owned by the server and cannot be set in a manifest"}},
	{"unknown action type", loc(withActions("      - name: X\n        type: sendEmail\n        details: {}\n")),
		[]string{`loc.yaml:11:15: agents[0].actions[0].type: must be one of triggerWorkflow, updateContactField, appointmentBooking, stopBot, humanHandOver, advancedFollowup, transferBot (got "sendEmail")`}},
	{"action without details", loc(withActions("      - name: X\n        type: stopBot\n")),
		[]string{"loc.yaml:10:9: agents[0].actions[0].details: required field is missing"}},
	{"stopBot with one example", loc(withActions(strings.Replace(stopBot("S"), "[bye, thanks]", "[bye]", 1))),
		[]string{"loc.yaml:17:28: agents[0].actions[0].details.stopBotExamples: must have at least 2 items (got 1)"}},
	{"custom transferBot with one example", loc(withActions(strings.Replace(transferBot("T", "B"), "[a, b]", "[a]", 1)) + agentB),
		[]string{"loc.yaml:17:32: agents[0].actions[0].details.transferBotExamples: must have at least 2 items (got 1)"}},
	{"onlySendLink with cancelEnabled", loc(withActions(strings.Replace(booking("transferBot: false"), "onlySendLink: false", "onlySendLink: true", 1))),
		[]string{"loc.yaml:12:146: agents[0].actions[0].details.cancelEnabled: cannot be true when onlySendLink is true (got true)"}},
	{"triggerWorkflow without workflowIds", loc(withActions(strings.Replace(booking("transferBot: false"), "triggerWorkflow: false", "triggerWorkflow: true", 1))),
		[]string{"loc.yaml:12:18: agents[0].actions[0].details.workflowIds: workflowIds is required when triggerWorkflow is true"}},
	{"sleepAfterBooking without sleepTime", loc(withActions(strings.Replace(booking("transferBot: false"), "sleepAfterBooking: false", "sleepAfterBooking: true", 1))),
		[]string{"loc.yaml:12:18: agents[0].actions[0].details.sleepTime: sleepTime is required when sleepAfterBooking is true",
			"loc.yaml:12:18: agents[0].actions[0].details.sleepTimeUnit: sleepTimeUnit is required when sleepAfterBooking is true"}},
	{"transferBot without transferAgent", loc(withActions(booking("transferBot: true"))),
		[]string{"loc.yaml:12:18: agents[0].actions[0].details.transferAgent: transferAgent is required when transferBot is true"}},
	{"humanHandOver custom without examples", loc(withActions("      - name: H\n        type: humanHandOver\n        details: {enabled: true, triggerCondition: c, reactivateEnabled: false, finalMessage: m, handoverType: custom}\n")),
		[]string{"loc.yaml:12:18: agents[0].actions[0].details.examples: examples is required when handoverType is custom or contactRequest"}},
	{"triggerWorkflow without triggerCondition", loc(withActions("      - name: W\n        type: triggerWorkflow\n        details: {workflowIds: [w1]}\n")),
		[]string{"loc.yaml:12:18: agents[0].actions[0].details.triggerCondition: required field is missing"}},
	{"followupTime over 24 hours", loc(withActions(followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 25}"))),
		[]string{"loc.yaml:15:77: agents[0].actions[0].details.followupSequence[0].followupTime: must be at most 24 when followupTimeUnit is hours (got 25)"}},
	{"dayOfTheWeek 7", loc(agentA + "    followup:\n      actions: [F]\n      workingHours: [{dayOfTheWeek: 7}]\n" + "    actions:\n" + followup("F", "{id: 1, followupTimeUnit: days, followupTime: 1}")),
		[]string{"loc.yaml:11:37: agents[0].followup.workingHours[0].dayOfTheWeek: must be at most 6 (got 7)"}},
	{"interval out of range", loc(agentA + "    followup:\n      actions: [F]\n      workingHours: [{dayOfTheWeek: 1, intervals: [{startHour: 24, startMinute: 0, endHour: 24, endMinute: 60}]}]\n" + "    actions:\n" + followup("F", "{id: 1, followupTimeUnit: days, followupTime: 1}")),
		[]string{"loc.yaml:11:64: agents[0].followup.workingHours[0].intervals[0].startHour: must be at most 23 (got 24)",
			"loc.yaml:11:108: agents[0].followup.workingHours[0].intervals[0].endMinute: must be at most 59 (got 60)"}},
	{"duplicate YAML key", loc(agentA + "    goal: again\n"),
		[]string{`loc.yaml:9:5: agents[0].goal: duplicate key "goal"`}},
	{"error inside a base points into the base", map[string]string{
		"loc.yaml":             agentA + "    base: team/desk\n",
		"bases/team/desk.yaml": "mode: autopilot\n",
	}, []string{`bases/team/desk.yaml:1:7: agents[0].mode: must be one of off, suggestive, auto-pilot (got "autopilot")`}},
	{"undefined variable in a base names the location", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n",
		"bases/desk.yaml": "businessName: ${brand}\n",
	}, []string{`bases/desk.yaml:1:15: agents[0].businessName: undefined variable ${brand} (declare it under vars:) (used by loc.yaml:9:11)`,
		`loc.yaml:9:11: agents[0].base: the base uses ${brand} (at bases/desk.yaml:1:15), which this document does not declare under vars:`}},
	{"token in a base", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n",
		"bases/desk.yaml": "secret: s3cr3t\n",
	}, []string{`bases/desk.yaml:1:1: secret: a literal token is not allowed in a manifest: put it in an environment variable and name that variable in location.tokenEnv`}},
	{"base file with two documents", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n",
		"bases/desk.yaml": "mode: off\n---\nmode: auto-pilot\n",
	}, []string{`bases/desk.yaml:3:1: a base file must hold exactly one document (one agent)`}},
	{"error in the second document of a file", loc(head + "---\napiVersion: agentform/v1\nkind: Location\nlocation: {id: loc2}\nprune: sometimes\n"),
		[]string{`loc.yaml:8:8: prune: must be true or false (got "sometimes")`}},
	{"token reported despite a wrong apiVersion", loc("apiVersion: agentform/v2\nkind: Location\nlocation: {id: loc1, name: pit-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}\n"),
		[]string{`loc.yaml:1:13: apiVersion: must be "agentform/v1" (got "agentform/v2")`,
			"loc.yaml:3:28: location.name: " + tokenMessage}},
	{"token reported in a document of another kind", loc("apiVersion: agentform/v1\nkind: Agent\nsecret: x\n"),
		[]string{`loc.yaml:2:7: kind: must be "Location", "KrosAIAccount" or "Vars" (got "Agent")`,
			"loc.yaml:3:1: secret: a literal token is not allowed in a manifest: put it in an environment variable and name that variable in location.tokenEnv"}},
	{"token reported in a document that is a list", loc("- eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\n"),
		[]string{"loc.yaml:1:1: a Location document must be a mapping (apiVersion, kind, location, agents)",
			"loc.yaml:1:3: [0]: " + tokenMessage}},
	{"wrong apiVersion does not stop the other checks", loc("apiVersion: v1\nkind: Location\nlocation: {id: loc1}\nagents:\n  - name: A\n    mode: autopilot\n"),
		[]string{`loc.yaml:1:13: apiVersion: must be "agentform/v1" (got "v1")`,
			`loc.yaml:6:11: agents[0].mode: must be one of off, suggestive, auto-pilot (got "autopilot")`}},
	{"missing kind stops the Location checks", loc("apiVersion: agentform/v1\nmode: off\nsecret: x\n"),
		[]string{`loc.yaml:1:1: kind: required field is missing (want "Location")`,
			"loc.yaml:3:1: secret: a literal token is not allowed in a manifest: put it in an environment variable and name that variable in location.tokenEnv"}},
	{"missing apiVersion reported once", loc("kind: Location\nlocation: {id: loc1}\n"),
		[]string{`loc.yaml:1:1: apiVersion: required field is missing (want "agentform/v1")`}},
	{"declared variable with a bad value is not undefined", loc(head + "vars: {zip: null}\nagents:\n  - name: A\n    businessName: Shop ${zip}\n"),
		[]string{"loc.yaml:4:13: vars.zip: must be true or false, a number, a string, a list or a mapping (got null)"}},
	{"list variable inside a text", loc(head + "vars: {zip: [1]}\nagents:\n  - name: A\n    businessName: Shop ${zip}\n"),
		[]string{"loc.yaml:7:19: agents[0].businessName: variable zip holds a list, which cannot be part of a text (use it as the whole value: ${zip})"}},
	{"autoPilotMaxMessages must be whole", loc(agentA + "    autoPilotMaxMessages: 2.5\n"),
		[]string{"loc.yaml:9:27: agents[0].autoPilotMaxMessages: must be a whole number (got 2.5)"}},
	{"working hours must be whole", loc(agentA + "    followup:\n      actions: [F]\n      workingHours: [{dayOfTheWeek: 1.5, intervals: [{startHour: 9.5, startMinute: 0, endHour: 17, endMinute: 0.5}]}]\n" + "    actions:\n" + followup("F", "{id: 1.5, followupTimeUnit: days, followupTime: 1}")),
		[]string{"loc.yaml:11:37: agents[0].followup.workingHours[0].dayOfTheWeek: must be a whole number (got 1.5)",
			"loc.yaml:11:66: agents[0].followup.workingHours[0].intervals[0].startHour: must be a whole number (got 9.5)",
			"loc.yaml:11:111: agents[0].followup.workingHours[0].intervals[0].endMinute: must be a whole number (got 0.5)",
			"loc.yaml:18:35: agents[0].actions[0].details.followupSequence[0].id: must be a whole number (got 1.5)"}},
	{"empty manifest file", loc(""),
		[]string{"loc.yaml:1:1: no Location document in this file"}},
	{"comment-only manifest file", loc("# nothing yet\n\n# still nothing\n---\n"),
		[]string{"loc.yaml:1:1: no Location document in this file"}},
	{"unknown alias", loc(head + "agents:\n  - name: A\n    goal: *undefinedanchor\n"),
		[]string{"loc.yaml:6:11: YAML syntax error: unknown anchor 'undefinedanchor' referenced"}},
	{"YAML 1.2 directive", loc("%YAML 1.2\n---\n" + head),
		[]string{"loc.yaml:1:1: YAML syntax error: found incompatible YAML document"}},
	{"tab in indentation", loc(head + "agents:\n  - name: A\n\t  goal: g\n"),
		[]string{"loc.yaml:6:1: YAML syntax error: tabs are not allowed for indentation in YAML; use spaces"}},
	{"tab as the whole indentation", loc(head + "location2:\n\tid: x\n"),
		[]string{"loc.yaml:5:1: YAML syntax error: tabs are not allowed for indentation in YAML; use spaces"}},
	{"unknown base hides missing fields", loc(head + "agents:\n  - base: nope\n    mode: off\n    followup: {dynamicChannelSwitching: true}\n"),
		[]string{`loc.yaml:5:11: agents[0].base: unknown base "nope": no bases/nope.yaml or bases/nope.yml in . or any folder above`}},
	{"base cycle hides missing fields", map[string]string{
		"loc.yaml":       head + "agents:\n  - base: one\n",
		"bases/one.yaml": "base: two\n",
		"bases/two.yaml": "base: one\n",
	}, []string{`bases/two.yaml:1:7: base: base cycle: bases/one.yaml -> bases/two.yaml -> bases/one.yaml`}},
	{"unknown base still reports missing fields inside lists", loc(head + "agents:\n  - base: nope\n    followup:\n      workingHours:\n        - intervals: []\n"),
		[]string{`loc.yaml:5:11: agents[0].base: unknown base "nope": no bases/nope.yaml or bases/nope.yml in . or any folder above`,
			"loc.yaml:8:11: agents[0].followup.workingHours[0].dayOfTheWeek: required field is missing"}},
	{"unknown base hides missing fields of actions, which merge by name", loc(head + "agents:\n  - base: nope\n    actions:\n      - name: X\n        details: {enabled: false}\n      - {name: Y, $patch: delete}\n"),
		[]string{`loc.yaml:5:11: agents[0].base: unknown base "nope": no bases/nope.yaml or bases/nope.yml in . or any folder above`}},
	{"enum list leaves out null", loc(agentA + "    sleepTime: 1\n    sleepTimeUnit: days\n"),
		[]string{`loc.yaml:10:20: agents[0].sleepTimeUnit: must be one of hours, minutes, seconds (got "days")`}},
	{"reactivateEnabled without sleepTime says why", loc(withActions(strings.Replace(stopBot("S"), "reactivateEnabled: false", "reactivateEnabled: true", 1))),
		[]string{"loc.yaml:13:11: agents[0].actions[0].details.sleepTime: sleepTime is required when reactivateEnabled is true",
			"loc.yaml:13:11: agents[0].actions[0].details.sleepTimeUnit: sleepTimeUnit is required when reactivateEnabled is true"}},
	{"transfer target misspelt", loc(withActions(transferBot("T", "Front Dsk")) + "  - name: Front Desk\n"),
		[]string{`loc.yaml:14:26: agents[0].actions[0].details.transferToBot: no agent named "Front Dsk" in this location (agents are referenced by name) (did you mean "Front Desk"?)`}},
	{"booking transfer target misspelt", loc(withActions(booking("transferBot: true, transferAgent: Sales")) + "  - name: Sale\n"),
		[]string{`loc.yaml:12:187: agents[0].actions[0].details.transferAgent: no agent named "Sales" in this location (agents are referenced by name) (did you mean "Sale"?)`}},
	{"follow-up action misspelt", loc(withActions(followup("Nudge", "{id: 1, followupTimeUnit: hours, followupTime: 2}")) + "    followup: {actions: [Nudeg]}\n"),
		[]string{`loc.yaml:16:26: agents[0].followup.actions[0]: no action named "Nudeg" in this agent (did you mean "Nudge"?)`}},
	{"no suggestion for a short name one edit away", loc(withActions(transferBot("T", "C")) + "  - name: B\n"),
		[]string{`loc.yaml:14:26: agents[0].actions[0].details.transferToBot: no agent named "C" in this location (agents are referenced by name)`}},
	{"relative base path without extension", loc(agentA + "    base: ./shared/nothing\n"),
		[]string{`loc.yaml:9:11: agents[0].base: unknown base "./shared/nothing": a relative base path must end in .yaml or .yml (neither shared/nothing.yaml nor shared/nothing.yml exists)`}},
	{"followupSequence id used twice", loc(withActions(followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 2}, {id: 2, followupTimeUnit: hours, followupTime: 3}, {id: 1.0, followupTimeUnit: days, followupTime: 1}"))),
		[]string{"loc.yaml:15:137: agents[0].actions[0].details.followupSequence[2].id: followupSequence id 1 is used twice; each step needs its own id"}},
	{"agent name with a leading space", loc(head + "agents:\n  - name: \" A\"\n"),
		[]string{"loc.yaml:5:11: agents[0].name: " + spacedName}},
	{"agent name with a trailing space", loc(head + "agents:\n  - name: \"A \"\n"),
		[]string{"loc.yaml:5:11: agents[0].name: " + spacedName}},
	{"agent name with doubled spaces", loc(head + "agents:\n  - name: Front  Desk\n"),
		[]string{"loc.yaml:5:11: agents[0].name: " + spacedName}},
	{"agent name with a tab", loc(head + "agents:\n  - name: \"Front\\tDesk\"\n"),
		[]string{"loc.yaml:5:11: agents[0].name: name holds a tab or a line break; HighLevel shows it like another name"}},
	{"token glued to other text", loc(head + "agents:\n  - name: A\n    waitTimeUnit: \"tok_pit-3f9a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8x\"\n"),
		[]string{"loc.yaml:6:19: agents[0].waitTimeUnit: must be one of minutes, seconds (got \"tok_[REDACTED]x\")",
			"loc.yaml:6:19: agents[0].waitTimeUnit: value looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in location.tokenEnv"}},
	{"agent name of spaces only", loc(head + "agents:\n  - name: \"  \"\n"),
		[]string{"loc.yaml:5:11: agents[0].name: " + spacedName}},
	{"agent name empty", loc(head + "agents:\n  - name: \"\"\n"),
		[]string{"loc.yaml:5:11: agents[0].name: must not be empty"}},
	{"action name with doubled spaces", loc(withActions(stopBot("Say  bye"))),
		[]string{"loc.yaml:10:15: agents[0].actions[0].name: " + spacedName}},
	{"action name with a trailing space", loc(withActions(stopBot("\"Bye \""))),
		[]string{"loc.yaml:10:15: agents[0].actions[0].name: " + spacedName}},
	{"action name empty", loc(withActions(stopBot("\"\""))),
		[]string{"loc.yaml:10:15: agents[0].actions[0].name: must not be empty"}},
	{"working day listed twice", loc(agentA + "    followup:\n      actions: [F]\n      workingHours: [{dayOfTheWeek: 1}, {dayOfTheWeek: 2}, {dayOfTheWeek: 1}]\n" + "    actions:\n" + followup("F", "{id: 1, followupTimeUnit: days, followupTime: 1}")),
		[]string{"loc.yaml:11:75: agents[0].followup.workingHours[2].dayOfTheWeek: workingHours day 1 is listed twice; give each day one entry with all its intervals"}},
	{"interval ends after 24:00", loc(agentA + "    followup:\n      actions: [F]\n      workingHours: [{dayOfTheWeek: 1, intervals: [{startHour: 9, startMinute: 0, endHour: 24, endMinute: 30}]}]\n" + "    actions:\n" + followup("F", "{id: 1, followupTimeUnit: days, followupTime: 1}")),
		[]string{"loc.yaml:11:107: agents[0].followup.workingHours[0].intervals[0].endMinute: an interval must end by 24:00 (got 24:30)"}},
	{"interval ends before it starts", loc(agentA + "    followup:\n      actions: [F]\n      workingHours: [{dayOfTheWeek: 1, intervals: [{startHour: 17, startMinute: 0, endHour: 9, endMinute: 0}, {startHour: 9, startMinute: 0, endHour: 9, endMinute: 0}]}]\n" + "    actions:\n" + followup("F", "{id: 1, followupTimeUnit: days, followupTime: 1}")),
		[]string{"loc.yaml:11:52: agents[0].followup.workingHours[0].intervals[0]: an interval must start before it ends (got 17:00 to 09:00)",
			"loc.yaml:11:111: agents[0].followup.workingHours[0].intervals[1]: an interval must start before it ends (got 09:00 to 09:00)"}},
	{"agent sleepTime zero", loc(agentA + "    sleepTime: 0\n    sleepTimeUnit: hours\n"),
		[]string{"loc.yaml:9:16: agents[0].sleepTime: must be more than 0 (got 0)"}},
	{"followupTime zero", loc(withActions(followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 0}"))),
		[]string{"loc.yaml:15:77: agents[0].actions[0].details.followupSequence[0].followupTime: must be more than 0 (got 0)"}},
	{"booking sleepTime zero", loc(withActions(booking("transferBot: false, sleepTime: 0"))),
		[]string{"loc.yaml:12:184: agents[0].actions[0].details.sleepTime: must be more than 0 (got 0)"}},
	{"blank calendarId", loc(withActions(strings.Replace(booking("transferBot: false"), "calendarId: c1", "calendarId: ' '", 1))),
		[]string{`loc.yaml:12:31: agents[0].actions[0].details.calendarId: must not be empty or only white space (got " ")`}},
	{"blank customMessage without AI", loc(withActions(followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 2, aiEnabledMessage: false, customMessage: ''}"))),
		[]string{`loc.yaml:15:120: agents[0].actions[0].details.followupSequence[0].customMessage: must not be empty or only white space (got "")`}},
	{"blank transfer condition", loc(withActions(strings.Replace(transferBot("T", "B"), "TriggerCondition: c", "TriggerCondition: ' '", 1)) + agentB),
		[]string{`loc.yaml:16:40: agents[0].actions[0].details.transferBotTriggerCondition: must not be empty or only white space (got " ")`}},
	{"blank transfer target", loc(withActions(transferBot("T", "' '")) + agentB),
		[]string{`loc.yaml:14:26: agents[0].actions[0].details.transferToBot: must not be empty or only white space (got " ")`}},
	{"errors of several files sorted", map[string]string{
		"b.yaml": agentA + "    mode: x\n",
		"a.yaml": "apiVersion: agentform/v1\nkind: Location\nlocation: {id: a1}\nprune: 1\n",
	}, []string{
		"a.yaml:4:8: prune: must be true or false (got 1)",
		`b.yaml:9:11: agents[0].mode: must be one of off, suggestive, auto-pilot (got "x")`,
	}},
	{"python object tag", loc(head + "prune: !!python/object:os.system false\n"),
		[]string{"loc.yaml:4:8: prune: unknown YAML tag !!python/object:os.system: only the standard tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are allowed"}},
	{"custom tag on a mapping", loc(agentA + "    followup: !settings {actions: [F]}\n"),
		[]string{"loc.yaml:9:15: agents[0].followup: unknown YAML tag !settings: only the standard tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are allowed",
			`loc.yaml:9:36: agents[0].followup.actions[0]: no action named "F" in this agent`}},
	{"binary tag", loc(agentA + "    businessName: !!binary QUJD\n"),
		[]string{"loc.yaml:9:19: agents[0].businessName: unknown YAML tag !!binary: only the standard tags !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are allowed"}},
	{"invalid UTF-8 where it is", loc(agentA + "    businessName: Caf\xe9 Olé\n"),
		[]string{"loc.yaml:9:22: YAML syntax error: byte 0xE9 is not valid UTF-8 (manifests must be UTF-8 text)"}},
	{"NUL byte where it is", loc(agentA + "    goal: \"Olé\x00\"\n"),
		[]string{"loc.yaml:9:15: YAML syntax error: control character U+0000 is not allowed (write it as an escape in a double-quoted string)"}},
	{"bad variable name where it is", loc(head + "vars:\n  ok: 1\n  my city: Austin\n"),
		[]string{`loc.yaml:6:3: vars.my city: invalid variable name "my city": names are letters, digits and _, not starting with a digit`}},
	{"variable cycle", loc(head + "vars:\n  a: x ${b}\n  b: y ${a}\nagents:\n  - name: A\n    businessName: ${a}\n"),
		[]string{"loc.yaml:5:6: vars.a: variable cycle: a -> b -> a"}},
	{"variable referring to itself", loc(head + "vars:\n  a: x ${a}\nagents:\n  - name: A\n    businessName: ${a}\n"),
		[]string{"loc.yaml:5:6: vars.a: variable cycle: a -> a"}},
	{"undefined variable inside a variable", loc(head + "vars:\n  a: x ${nope}\nagents:\n  - name: A\n    businessName: ${a}\n"),
		[]string{"loc.yaml:5:6: vars.a: undefined variable ${nope} (declare it under vars:)"}},
	// Name references.
	{"empty reference name", loc(withActions(strings.Replace(booking("transferBot: false"), "calendarId: c1", "calendarId: {name: ''}", 1))),
		[]string{`loc.yaml:12:38: agents[0].actions[0].details.calendarId.name: must not be empty or only white space (got "")`}},
	{"reference field misspelt", loc(withActions(strings.Replace(booking("transferBot: false"), "calendarId: c1", "calendarId: {nam: Cleanings}", 1))),
		[]string{`loc.yaml:12:31: agents[0].actions[0].details.calendarId.name: required field is missing`,
			`loc.yaml:12:32: agents[0].actions[0].details.calendarId.nam: unknown field "nam" (did you mean "name"?)`}},
	{"user by name and e-mail", loc(withActions("      - name: H\n        type: humanHandOver\n        details: {enabled: true, triggerCondition: c, reactivateEnabled: false, finalMessage: m, handoverType: lackOfInformation, assignToUserId: {name: Dana, email: dana@x.test}}\n")),
		[]string{"loc.yaml:12:147: agents[0].actions[0].details.assignToUserId: give either name or email, not both"}},
	{"user reference empty", loc(withActions("      - name: H\n        type: humanHandOver\n        details: {enabled: true, triggerCondition: c, reactivateEnabled: false, finalMessage: m, handoverType: lackOfInformation, assignToUserId: {}}\n")),
		[]string{"loc.yaml:12:147: agents[0].actions[0].details.assignToUserId: give either name or email, not both"}},
	{"user e-mail malformed", loc(withActions("      - name: H\n        type: humanHandOver\n        details: {enabled: true, triggerCondition: c, reactivateEnabled: false, finalMessage: m, handoverType: lackOfInformation, assignToUserId: {email: dana}}\n")),
		[]string{`loc.yaml:12:155: agents[0].actions[0].details.assignToUserId.email: must be an e-mail address (got "dana")`}},
	{"knowledge base by a number", loc(agentA + "    knowledgeBaseIds: [{name: FAQ}, 7]\n"),
		[]string{"loc.yaml:9:37: agents[0].knowledgeBaseIds[1]: must be a string or a mapping (got 7)"}},
	{"agent reference by a name mapping", loc(withActions(transferBot("T", "{name: B}")) + agentB),
		[]string{"loc.yaml:14:26: agents[0].actions[0].details.transferToBot: must be a string (got a mapping)"}},
	// Actions over a base.
	{"delete a base action that does not exist", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n    actions:\n      - {name: Stop hree, $patch: delete}\n",
		"bases/desk.yaml": "actions:\n" + stopBot("\"Stop here\""),
	}, []string{`loc.yaml:11:16: agents[0].actions[0].name: the base has no action named "Stop hree" to delete (did you mean "Stop here"?)`}},
	{"delete without a base", loc(withActions("      - {name: Stop, $patch: delete}\n")),
		[]string{`loc.yaml:10:30: agents[0].actions[0].$patch: this agent has no base: there is no action "Stop" to delete`}},
	{"replace without a base", loc(withActions("      - $patch: replace\n")),
		[]string{`loc.yaml:10:17: agents[0].actions[0].$patch: this agent has no base: there is no list to replace`}},
	{"unknown marker", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n    actions:\n      - {name: Stop, $patch: remove}\n",
		"bases/desk.yaml": "actions:\n" + stopBot("Stop"),
	}, []string{`loc.yaml:11:30: agents[0].actions[0].$patch: must be delete or replace (got "remove")`}},
	{"delete marker with details", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n    actions:\n      - {name: Stop, $patch: delete, details: {}}\n",
		"bases/desk.yaml": "actions:\n" + stopBot("Stop"),
	}, []string{`loc.yaml:11:9: agents[0].actions[0]: an item with $patch: delete must hold only name and $patch`}},
	{"replace marker with a name", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n    actions:\n      - {name: Stop, $patch: replace}\n",
		"bases/desk.yaml": "actions:\n" + stopBot("Stop"),
	}, []string{`loc.yaml:11:9: agents[0].actions[0]: an item with $patch: replace must hold nothing else`}},
	{"follow-up of a base names a deleted action", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n    actions:\n      - {name: F, $patch: delete}\n",
		"bases/desk.yaml": "followup: {actions: [F]}\nactions:\n" + followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 2}"),
	}, []string{`bases/desk.yaml:1:22: agents[0].followup.actions[0]: no action named "F" in this agent`}},
	{"restated action missing a required field", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n    actions:\n      - {name: New, details: {enabled: true}}\n",
		"bases/desk.yaml": "actions:\n" + stopBot("Stop"),
	}, []string{`loc.yaml:11:9: agents[0].actions[1].type: required field is missing`}},
	// Vars: lists, maps, base defaults and vars files.
	{"vars in an agent of a location", loc(agentA + "    vars: {x: 1}\n"),
		[]string{"loc.yaml:9:5: agents[0].vars: is not allowed in an agent of a location: declare vars at the top of the document (a base file may declare default vars)"}},
	{"missing vars file", loc(head + "varsFiles: [groups/texas.yaml]\n"),
		[]string{"loc.yaml:4:13: varsFiles[0]: vars file groups/texas.yaml: no such file or directory"}},
	{"vars file of the wrong kind", map[string]string{
		"loc.yaml":         head + "varsFiles: [groups/texas.yml]\n",
		"groups/texas.yml": "apiVersion: agentform/v1\nkind: Location\nvars: {a: 1}\n",
	}, []string{"groups/texas.yml:1:1: location: required field is missing",
		`groups/texas.yml:2:7: kind: a file listed under varsFiles: must be of kind "Vars" (got "Location")`}},
	{"vars file with a bad value", map[string]string{
		"loc.yaml":          head + "varsFiles: [shared/texas.yaml]\n",
		"shared/texas.yaml": "apiVersion: agentform/v1\nkind: Vars\nvars: {a: null}\n",
	}, []string{"shared/texas.yaml:3:11: vars.a: must be true or false, a number, a string, a list or a mapping (got null)"}},
	{"varsFiles entry not YAML", loc(head + "varsFiles: [texas.json]\n"),
		[]string{`loc.yaml:4:13: varsFiles[0]: must be a path to a .yaml or .yml file (got "texas.json")`}},
	{"base default with a bad value", map[string]string{
		"loc.yaml":        agentA + "    base: desk\n",
		"bases/desk.yaml": "vars: {tone: null}\ngoal: ${tone}\n",
	}, []string{"bases/desk.yaml:1:14: vars.tone: must be true or false, a number, a string, a list or a mapping (got null)"}},
	{"mapping variable inside a text", loc(head + "vars: {cal: {name: Cleanings}}\nagents:\n  - name: A\n    businessName: Book ${cal}\n"),
		[]string{"loc.yaml:7:19: agents[0].businessName: variable cal holds a mapping, which cannot be part of a text (use it as the whole value: ${cal})"}},
	{"list variable of the wrong shape", loc(head + "vars: {flows: [{name: A}, {id: 2}]}\nagents:\n  - name: A\n    knowledgeBaseIds: ${flows}\n"),
		[]string{`loc.yaml:4:27: agents[0].knowledgeBaseIds[1].name: required field is missing`,
			`loc.yaml:4:28: agents[0].knowledgeBaseIds[1].id: unknown field "id"`}},
	{"two locations share a tokenEnv", map[string]string{
		"a.yaml": "apiVersion: agentform/v1\nkind: Location\nlocation: {id: locA, tokenEnv: HL_TOKEN}\n",
		"b.yaml": "apiVersion: agentform/v1\nkind: Location\nlocation: {id: locB}\n---\napiVersion: agentform/v1\nkind: Location\nlocation: {id: locC, tokenEnv: HL_TOKEN}\n",
	}, []string{"b.yaml:7:32: location.tokenEnv: tokenEnv HL_TOKEN is also named by location locA at a.yaml:3:32: each location needs its own token (or name none, for agency mode)"}},
	// KrosAI accounts.
	{"account without a name", loc(krosHead("account: {tokenEnv: KROSAI_A}\n")),
		[]string{"loc.yaml:3:10: account.name: required field is missing"}},
	{"KrosAI agent field misspelt", loc(krosHead(krosAccount + "agents:\n  - name: Support\n    systemPrompt: hi\n")),
		[]string{`loc.yaml:7:5: agents[0].systemPrompt: unknown field "systemPrompt" (did you mean "system_prompt"?)`}},
	{"HighLevel field in a KrosAI base", map[string]string{
		"loc.yaml":                krosHead(krosAccount + "agents:\n  - name: Support\n    base: krosai/voice\n"),
		"bases/krosai/voice.yaml": "voice_id: alloy\nmode: auto-pilot\n",
	}, []string{`bases/krosai/voice.yaml:2:1: agents[0].mode: unknown field "mode"`}},
	{"KrosAI names twice", loc(krosHead(krosAccount + "knowledgeBases: [{name: FAQ}, {name: FAQ}]\nagents:\n  - {name: Support, id: a1}\n  - {name: Support, id: a1}\n")),
		[]string{`loc.yaml:5:38: knowledgeBases[1].name: duplicate knowledge base name "FAQ" (first declared at line 5:25)`,
			`loc.yaml:8:12: agents[1].name: duplicate agent name "Support" (first declared at line 7:12)`,
			`loc.yaml:8:25: agents[1].id: agent id "a1" is pinned twice (first at line 7:25)`}},
	{"KrosAI name with a trailing space", loc(krosHead(krosAccount + "agents:\n  - name: \"Support \"\n")),
		[]string{"loc.yaml:6:11: agents[0].name: name has leading/trailing or doubled spaces, a tab or a line break; such a name looks like another one"}},
	{"two documents of one name", map[string]string{
		"loc.yaml": krosHead(krosAccount + "knowledgeBases:\n  - name: FAQ\n    documents: [a/faq.md, b/faq.md]\n"),
		"a/faq.md": "a",
		"b/faq.md": "b",
	}, []string{"loc.yaml:7:27: knowledgeBases[0].documents[1]: two documents named faq.md in this knowledge base (first at line 7:17): KrosAI knows a document by its file name"}},
	{"document missing", loc(krosHead(krosAccount + "knowledgeBases:\n  - name: FAQ\n    documents: [faq.md]\n")),
		[]string{"loc.yaml:7:17: knowledgeBases[0].documents[0]: faq.md: no such file or directory"}},
	{"document of a type KrosAI refuses", loc(krosHead(krosAccount + "knowledgeBases:\n  - name: FAQ\n    documents: [faq.html]\n")),
		[]string{`loc.yaml:7:17: knowledgeBases[0].documents[0]: must be a .pdf, .txt, .docx or .md file (got "faq.html")`}},
	{"document over 10 MB", map[string]string{
		"loc.yaml": krosHead(krosAccount + "knowledgeBases:\n  - name: FAQ\n    documents: [big.pdf]\n"),
		"big.pdf":  strings.Repeat("x", MaxDocumentSize+1),
	}, []string{"loc.yaml:7:17: knowledgeBases[0].documents[0]: big.pdf: file is larger than 10 MB, the most agentform reads here"}},
	{"two accounts on the default key", map[string]string{
		"a.yaml": krosHead("account: {name: A}\n"),
		"b.yaml": krosHead("account: {name: B}\n"),
	}, []string{"b.yaml:3:10: account.tokenEnv: API key variable KROSAI_API_KEY is also used by the account at a.yaml:3:10: each account needs its own key"}},
	{"two accounts of one name", map[string]string{
		"a.yaml": krosHead("account: {name: A, tokenEnv: KEY_A}\n"),
		"b.yaml": krosHead("account: {name: A, tokenEnv: KEY_B}\n"),
	}, []string{`b.yaml:3:17: account.name: duplicate account name "A" (also declared at a.yaml:3:17)`}},
	{"vars in an agent of an account", loc(krosHead(krosAccount + "agents:\n  - name: Support\n    vars: {x: 1}\n")),
		[]string{"loc.yaml:7:5: agents[0].vars: is not allowed in an agent of an account: declare vars at the top of the document (a base file may declare default vars)"}},
	{"KrosAI key in a manifest", loc(krosHead(krosAccount + "agents:\n  - name: Support\n    description: kros_live_a1b2c3d4e5f6g7h8\n")),
		[]string{"loc.yaml:7:18: agents[0].description: value looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in account.tokenEnv"}},
	{"apiKey key in an account", loc(krosHead("account: {name: A, apiKey: x}\n")),
		[]string{"loc.yaml:3:20: account.apiKey: a literal token is not allowed in a manifest: put it in an environment variable and name that variable in account.tokenEnv"}},
	{"undefined variable in a KrosAI base", map[string]string{
		"loc.yaml":         krosHead(krosAccount + "agents:\n  - name: Support\n    base: voice\n"),
		"bases/voice.yaml": "system_prompt: ${persona}\n",
	}, []string{"bases/voice.yaml:1:16: agents[0].system_prompt: undefined variable ${persona} (declare it under vars:) (used by loc.yaml:7:11)",
		"loc.yaml:7:11: agents[0].base: the base uses ${persona} (at bases/voice.yaml:1:16), which this document does not declare under vars:"}},
}

func TestLoadBadManifests(t *testing.T) {
	for _, tt := range badManifests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, content := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(content)}
			}
			set, err := LoadFS(fsys, ".")
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("LoadFS = %v, %v; want Diagnostics", set, err)
			}
			if set != nil {
				t.Errorf("LoadFS returned a set with diagnostics")
			}
			got := strings.Split(ds.String(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("diagnostics:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

// spacedName is the message for a name padded or doubled with white space.
const spacedName = "name has leading/trailing or doubled spaces; HighLevel shows it like another name"

const tokenMessage = "value looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in location.tokenEnv"

// stopBot returns a valid stopBot action (10 lines) named name.
func stopBot(name string) string {
	return "      - name: " + name + `
        type: stopBot
        details:
          stopBotDetectionType: Custom
          stopBotTriggerCondition: done
          reactivateEnabled: false
          enabled: true
          stopBotExamples: [bye, thanks]
          finalMessage: Bye
          tags: [done]
`
}

// transferBot returns a valid custom transferBot action (8 lines) to target;
// transferToBot is on the action's fifth line.
func transferBot(name, target string) string {
	return "      - name: " + name + `
        type: transferBot
        details:
          transferBotType: Custom
          transferToBot: ` + target + `
          enabled: true
          transferBotTriggerCondition: c
          transferBotExamples: [a, b]
`
}

// booking returns an appointmentBooking action whose flow-style details
// (line 12 when first) end with extra.
func booking(extra string) string {
	return "      - name: Book\n        type: appointmentBooking\n        details: {calendarId: c1, onlySendLink: false, triggerWorkflow: false, sleepAfterBooking: false, rescheduleEnabled: false, cancelEnabled: true, " + extra + "}\n"
}

// followup returns an advancedFollowup action whose followupSequence holds
// the given single step (line 16 when first).
func followup(name, step string) string {
	return "      - name: " + name + `
        type: advancedFollowup
        details:
          enabled: true
          scenarioId: contactIsBusy
          followupSequence: [` + step + `]
`
}

// krosHead starts a KrosAIAccount document (lines 1-2) followed by rest.
func krosHead(rest string) string { return "apiVersion: agentform/v1\nkind: KrosAIAccount\n" + rest }

// krosAccount is a valid account block: line 3.
const krosAccount = "account: {name: Acme Voice, tokenEnv: KROSAI_ACME}\nprune: false\n"
