package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generatedManifest is a location with n agents that vary their settings and
// carry every action type, a transfer to the next agent and follow-up settings.
func generatedManifest(loc string, n int) string {
	modes := []string{"off", "suggestive", "auto-pilot"}
	channels := []string{"[SMS]", "[WebChat, SMS]", "[Live_Chat, IG, FB]", "[WhatsApp]"}
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: agentform/v1\nkind: Location\nlocation:\n  id: %s\n  tokenEnv: HL_TOKEN_%s\nvars:\n  shop: Shop %s\nagents:\n", loc, strings.ToUpper(loc), loc)
	for i := range n {
		next := (i + 1) % n
		fmt.Fprintf(&b, `  - name: Agent %[1]d
    businessName: ${shop}
    mode: %[2]s
    channels: %[3]s
    waitTime: %[4]d
    waitTimeUnit: seconds
    autoPilotMaxMessages: %[5]d
    respondToImages: %[6]t
    knowledgeBaseIds: [kb-%[1]d, kb-common]
    personality: Agent %[1]d is brief.
    goal: Help the customers of ${shop}.
    instructions: |
      Line one for agent %[1]d.
      Line two: say "$${not a var}" as written.
    actions:
      - name: Start workflow
        type: triggerWorkflow
        details: {workflowIds: [wf-%[1]d], triggerCondition: The customer asks for a brochure., triggerMessage: Sending it now.}
      - name: Save email
        type: updateContactField
        details: {contactFieldId: email, description: The customer's email, contactUpdateExamples: ["a@b.c"]}
      - name: Book
        type: appointmentBooking
        details: {calendarId: cal-%[1]d, onlySendLink: false, triggerWorkflow: false, sleepAfterBooking: true, sleepTime: 2, sleepTimeUnit: hours, transferBot: true, transferAgent: Agent %[7]d, rescheduleEnabled: true, cancelEnabled: false}
      - name: Stop
        type: stopBot
        details: {stopBotDetectionType: Goodbye, stopBotTriggerCondition: The customer says goodbye., reactivateEnabled: false, enabled: true, stopBotExamples: [bye, thanks], finalMessage: Bye!}
      - name: Human
        type: humanHandOver
        details: {enabled: true, triggerCondition: The customer asks for a person., reactivateEnabled: true, sleepTime: 1, sleepTimeUnit: days, finalMessage: A colleague will write., handoverType: contactRequest, examples: [a human please], tags: [handover]}
      - name: Nudge
        type: advancedFollowup
        details:
          enabled: true
          scenarioId: contactStoppedReplying
          followupSequence:
            - {id: 1, followupTimeUnit: hours, followupTime: %[8]d}
            - {id: 2, followupTimeUnit: days, followupTime: 2, aiEnabledMessage: false, customMessage: "Still there?"}
      - name: Transfer
        type: transferBot
        details: {transferBotType: Custom, transferToBot: Agent %[7]d, enabled: true, transferBotTriggerCondition: The customer asks for agent %[7]d., transferBotExamples: [the other one, agent %[7]d please]}
    followup:
      actions: [Nudge]
      dynamicChannelSwitching: %[6]t
      followUpHours: true
      timezoneToUse: contact
      workingHours: [{dayOfTheWeek: %[9]d, intervals: [{startHour: 9, startMinute: 0, endHour: 17, endMinute: 30}]}]
`, i, modes[i%len(modes)], channels[i%len(channels)], 2+i%5, 10+i, i%2 == 0, next, 1+i%23, i%7)
	}
	return b.String()
}

// generatedSeed is a sandbox seed of the objects generatedManifest's n
// locations with up to agents agents refer to by id.
func generatedSeed(n, agents int) string {
	var b strings.Builder
	b.WriteString("companies:\n  - id: compGen\n    locations:\n")
	for i := range n {
		fmt.Fprintf(&b, "      - id: gen%017d\n        name: Generated %d\n", i, i)
		b.WriteString("        customFields: [{id: email, name: Email, fieldKey: contact.email}]\n")
		b.WriteString("        knowledgeBases: [{id: kb-common, name: Common}")
		for a := range agents {
			fmt.Fprintf(&b, ", {id: kb-%d, name: Knowledge %d}", a, a)
		}
		b.WriteString("]\n        workflows: [")
		for a := range agents {
			fmt.Fprintf(&b, "{id: wf-%d, name: Flow %d}, ", a, a)
		}
		b.WriteString("]\n        calendars: [")
		for a := range agents {
			fmt.Fprintf(&b, "{id: cal-%d, name: Calendar %d}, ", a, a)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// TestExportRoundTripGenerated: generated locations are applied, exported and
// planned again from the export: no changes.
func TestExportRoundTripGenerated(t *testing.T) {
	dir := t.TempDir()
	sandbox := "--sandbox=" + filepath.Join(dir, "sandbox.json")
	manifests := filepath.Join(dir, "manifests")
	if err := os.MkdirAll(manifests, 0o755); err != nil {
		t.Fatal(err)
	}
	var fleet []string
	for i := range 6 {
		loc := fmt.Sprintf("gen%017d", i)
		if err := os.WriteFile(filepath.Join(manifests, loc+".yaml"), []byte(generatedManifest(loc, 2+i%3)), 0o644); err != nil {
			t.Fatal(err)
		}
		fleet = append(fleet, loc+" HL_TOKEN_"+strings.ToUpper(loc))
	}
	// The locations' workflows, calendars, custom field and knowledge bases
	// (--sandbox loads the seed above the manifests), so that export
	// writes their names.
	if err := os.WriteFile(filepath.Join(dir, "sandbox-seed.yaml"), []byte(generatedSeed(6, 5)), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	if r := runCLI(t, env, "validate", manifests); r.code != 0 {
		t.Fatalf("generated manifests are invalid:\n%s", r.stdout)
	}
	if r := runCLI(t, env, "apply", sandbox, "--auto-approve", manifests); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	list := filepath.Join(dir, "fleet.txt")
	if err := os.WriteFile(list, []byte(strings.Join(fleet, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "exported")
	if r := runCLI(t, env, "export", sandbox, "--locations-file", list, "--out", out); r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, env, "validate", out); r.code != 0 {
		t.Fatalf("exported manifests are invalid:\n%s", r.stdout)
	}
	first, err := os.ReadFile(filepath.Join(out, "gen00000000000000000.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"workflowIds: [{name: Flow 0}]", "{name: Common}", "calendarId: {name: Calendar 1}", "contactFieldId: {name: Email}", "\n    id: "} {
		if !strings.Contains(string(first), want) {
			t.Errorf("export lacks %q (names instead of ids, pinned agents):\n%s", want, first)
		}
	}
	if r := runCLI(t, env, "plan", sandbox, "--detailed-exitcode", out); r.code != 0 {
		t.Fatalf("plan of the export: exit %d, want 0 (no changes)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// And the original manifests still plan clean against the same state.
	if r := runCLI(t, env, "plan", sandbox, "--detailed-exitcode", manifests); r.code != 0 {
		t.Fatalf("plan of the originals: exit %d\n%s", r.code, r.stdout)
	}
}
