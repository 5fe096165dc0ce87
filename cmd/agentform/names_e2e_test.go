package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// End-to-end tests of names instead of ids (issue 12) from the CLI, in agency
// mode against a served sandbox: one base with no ids serves three clinics
// whose workflows, calendars, custom fields, users and knowledge bases have
// other ids in each.

// clinics are the three locations the base serves: id and name.
var clinics = [][2]string{{"clinicAus", "Acme Dental Austin"}, {"clinicDal", "Acme Dental Dallas"}, {"clinicHou", "Acme Dental Houston"}}

// clinicLookups seeds one location's lookups under the same names as every
// other clinic's, with ids ending in suffix.
func clinicLookups(suffix string) string {
	return fmt.Sprintf(`        workflows: [{id: wfConfirm%[1]s, name: Confirm booking}, {id: wfForms%[1]s, name: New patient forms}]
        calendars: [{id: calClean%[1]s, name: Cleanings}]
        customFields: [{id: cfInsure%[1]s, name: Insurance provider, fieldKey: contact.insurance_provider}]
        users: [{id: usrDana%[1]s, name: Dana Smith, email: dana@acme.test}]
        knowledgeBases: [{id: kbFaq%[1]s, name: Clinic FAQ}]
`, suffix)
}

// clinicSeed is company compAcme with the three clinics, clinicTypo (the
// same lookups) and clinicDup (two calendars named Cleanings).
func clinicSeed() string {
	var b strings.Builder
	b.WriteString("companies:\n  - id: compAcme\n    locations:\n")
	for _, c := range clinics {
		fmt.Fprintf(&b, "      - id: %s\n        name: %s\n%s", c[0], c[1], clinicLookups(strings.TrimPrefix(c[0], "clinic")))
	}
	fmt.Fprintf(&b, "      - id: clinicTypo\n        name: Acme Dental Typo\n%s", clinicLookups("Typo"))
	dup := strings.Replace(clinicLookups("Dup"), "calendars: [{id: calCleanDup, name: Cleanings}]",
		"calendars: [{id: calCleanDup1, name: Cleanings}, {id: calCleanDup2, name: Cleanings}]", 1)
	fmt.Fprintf(&b, "      - id: clinicDup\n        name: Acme Dental Dup\n%s", dup)
	return b.String()
}

// clinicBase is an agent base that names every lookup kind and holds no id.
const clinicBase = `mode: auto-pilot
personality: Warm and brief.
goal: Book cleanings at ${business}.
instructions: Confirm the patient's full name first.
knowledgeBaseIds: [{name: Clinic FAQ}]
actions:
  - name: Book a cleaning
    type: appointmentBooking
    details:
      calendarId: {name: Cleanings}
      onlySendLink: false
      triggerWorkflow: true
      workflowIds: [{name: Confirm booking}]
      sleepAfterBooking: false
      transferBot: false
      rescheduleEnabled: true
      cancelEnabled: true
  - name: Save insurance provider
    type: updateContactField
    details:
      contactFieldId: {name: Insurance provider}
      description: The patient's insurance provider
      contactUpdateExamples: [Delta Dental]
  - name: Billing question
    type: humanHandOver
    details:
      enabled: true
      triggerCondition: The patient asks about a bill.
      handoverType: lackOfInformation
      assignToUserId: {email: dana@acme.test}
      reactivateEnabled: false
      finalMessage: Dana will call you back.
  - name: Send forms
    type: triggerWorkflow
    details:
      workflowIds: [{name: New patient forms}]
      triggerCondition: A new patient asks for the forms.
      triggerMessage: Sent.
  - name: Nudge
    type: advancedFollowup
    details:
      enabled: true
      scenarioId: contactStoppedReplying
      followupSequence:
        - {id: 1, followupTimeUnit: hours, followupTime: 4, aiEnabledMessage: true, triggerWorkflow: true, workflowId: {name: Confirm booking}}
`

// clinicManifest is a location on the base; extra is appended to its agent.
func clinicManifest(id, name, extra string) string {
	return fmt.Sprintf(`apiVersion: agentform/v1
kind: Location
location:
  id: %s
  name: %s
vars:
  business: %s
agents:
  - name: Front Desk
    base: clinic/front-desk
%s`, id, name, name, extra)
}

// houstonOverride changes one field of one base action, by name, in three
// lines.
const houstonOverride = `    actions:
      - name: Book a cleaning
        details: {rescheduleEnabled: false}
`

func TestNamesAcrossClinics(t *testing.T) {
	f := newFleetSandbox(t, clinicSeed())
	dir := filepath.Join(f.dir, "clinics")
	writeFile(t, filepath.Join(dir, "bases", "clinic", "front-desk.yaml"), clinicBase)
	for _, c := range clinics {
		extra := ""
		if c[0] == "clinicHou" {
			extra = houstonOverride
		}
		writeFile(t, filepath.Join(dir, c[0]+".yaml"), clinicManifest(c[0], c[1], extra))
	}
	if strings.Count(houstonOverride, "\n") != 3 {
		t.Fatalf("the override takes %d lines, want 3", strings.Count(houstonOverride, "\n"))
	}
	base, _ := os.ReadFile(filepath.Join(dir, "bases", "clinic", "front-desk.yaml"))
	for _, c := range clinics {
		if strings.Contains(string(base), strings.TrimPrefix(c[0], "clinic")) {
			t.Fatalf("the base holds an id of %s", c[0])
		}
	}
	readonly := f.agencyEnv(t, "compAcme", "--scope", "readonly")
	write := f.agencyEnv(t, "compAcme", "--scope", "write")
	lookupsPerLocation := func(t *testing.T, run string, want int, locs ...string) {
		t.Helper()
		c := f.counts()
		t.Logf("%s: lookup requests per location %v", run, c.lookupsByLocation)
		for _, l := range locs {
			if n := c.lookupsByLocation[l]; n != want {
				t.Errorf("%s: %d lookup requests for %s, want %d", run, n, l, want)
			}
		}
	}
	all := []string{"clinicAus", "clinicDal", "clinicHou"}

	if r := runCLI(t, nil, "validate", dir); r.code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := f.run(t, write, "apply", "--auto-approve", dir)
	if r.code != exitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// One list per kind to plan, one more per kind when apply's pre-flight
	// checks that what the names resolved to did not move.
	lookupsPerLocation(t, "apply", 10, all...)

	t.Run("each clinic's actions carry its own ids", func(t *testing.T) {
		for _, c := range clinics {
			sfx := strings.TrimPrefix(c[0], "clinic")
			agents := f.s.AgentsOf(c[0])
			if len(agents) != 1 {
				t.Fatalf("%s: %d agents, want 1", c[0], len(agents))
			}
			a := agents[0]
			if !reflect.DeepEqual(a.KnowledgeBaseIDs, []string{"kbFaq" + sfx}) {
				t.Errorf("%s: knowledgeBaseIds %v", c[0], a.KnowledgeBaseIDs)
			}
			want := map[string]map[string]any{
				"Book a cleaning":         {"calendarId": "calClean" + sfx, "workflowIds": []any{"wfConfirm" + sfx}, "rescheduleEnabled": c[0] != "clinicHou", "cancelEnabled": true},
				"Save insurance provider": {"contactFieldId": "cfInsure" + sfx},
				"Billing question":        {"assignToUserId": "usrDana" + sfx},
				"Send forms":              {"workflowIds": []any{"wfForms" + sfx}},
			}
			for _, act := range a.Actions {
				for k, v := range want[act.Name] {
					if !reflect.DeepEqual(act.Details[k], v) {
						t.Errorf("%s action %q: %s = %v, want %v", c[0], act.Name, k, act.Details[k], v)
					}
				}
				if act.Name == "Nudge" {
					step := act.Details["followupSequence"].([]any)[0].(map[string]any)
					if step["workflowId"] != "wfConfirm"+sfx {
						t.Errorf("%s: follow-up step workflowId %v", c[0], step["workflowId"])
					}
				}
			}
			if len(a.Actions) != 5 {
				t.Errorf("%s: %d actions, want the base's 5", c[0], len(a.Actions))
			}
		}
	})

	t.Run("plan after apply shows no changes", func(t *testing.T) {
		r := f.run(t, readonly, "plan", "--detailed-exitcode", dir)
		if r.code != exitOK {
			t.Fatalf("plan: exit %d, want 0\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		lookupsPerLocation(t, "plan", 5, all...)
	})

	t.Run("unknown and ambiguous names fail their location", func(t *testing.T) {
		broken := filepath.Join(f.dir, "broken")
		writeFile(t, filepath.Join(broken, "typo.yaml"), clinicManifest("clinicTypo", "Acme Dental Typo",
			"    actions:\n      - name: Book a cleaning\n        details: {calendarId: {name: Cleaning}}\n"))
		writeFile(t, filepath.Join(broken, "dup.yaml"), clinicManifest("clinicDup", "Acme Dental Dup", ""))
		writeFile(t, filepath.Join(broken, "bases", "clinic", "front-desk.yaml"), clinicBase)
		r := f.run(t, readonly, "plan", dir, broken)
		if r.code != exitError1 {
			t.Fatalf("plan: exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			`no calendar with name "Cleaning" in the location (did you mean "Cleanings"?); calendars: "Cleanings" (calCleanTypo)`,
			`2 calendars have name "Cleanings" (ids calCleanDup1, calCleanDup2)`,
			"3 locations are up to date",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("plan lacks %q:\n%s", want, r.stdout)
			}
		}
	})

	t.Run("a missing lookup scope is named", func(t *testing.T) {
		noCalendars := f.agencyEnv(t, "compAcme", "--scopes",
			"oauth.write,conversation-ai.readonly,workflows.readonly,locations/customFields.readonly,users.readonly")
		r := f.run(t, noCalendars, "plan", dir)
		if r.code != exitError1 || strings.Count(r.stdout, "needs the scope calendars.readonly") != 3 {
			t.Fatalf("plan: exit %d; want 1, each clinic naming calendars.readonly\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("export writes names and plans to no changes", func(t *testing.T) {
		out := filepath.Join(f.dir, "exported")
		r := f.run(t, readonly, "export", "--all", "--out", out)
		if r.code != exitOK || strings.Contains(r.stderr, "warning") {
			t.Fatalf("export --all: exit %d\n%s", r.code, r.stderr)
		}
		lookupsPerLocation(t, "export", 5, all...)
		lookupsPerLocation(t, "export", 0, "clinicTypo", "clinicDup") // no agents, no lists
		got, err := os.ReadFile(filepath.Join(out, "acme-dental-houston.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"  id: clinicHou\n  name: Acme Dental Houston\nprune: false\n",
			"knowledgeBaseIds: [{name: Clinic FAQ}]",
			"calendarId: {name: Cleanings}",
			"workflowIds: [{name: Confirm booking}]",
			"workflowIds: [{name: New patient forms}]",
			"contactFieldId: {name: Insurance provider}",
			"assignToUserId: {name: Dana Smith}",
			"workflowId: {name: Confirm booking}",
			"rescheduleEnabled: false",
			"  - name: Front Desk\n    id: " + f.s.AgentsOf("clinicHou")[0].ID + "\n",
		} {
			if !strings.Contains(string(got), want) {
				t.Errorf("export lacks %q:\n%s", want, got)
			}
		}
		for _, unwanted := range []string{"tokenEnv", "wfConfirmHou", "wfFormsHou", "calCleanHou", "cfInsureHou", "usrDanaHou", "kbFaqHou"} {
			if strings.Contains(string(got), unwanted) {
				t.Errorf("export holds %q:\n%s", unwanted, got)
			}
		}
		r = f.run(t, readonly, "plan", "--detailed-exitcode", out)
		if r.code != exitOK {
			t.Fatalf("plan of the export: exit %d, want 0\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("export --raw-ids, and a token without a lookup scope, keep ids", func(t *testing.T) {
		env := map[string]string{"HIGHLEVEL_TOKEN": strings.TrimSpace(runSandboxCmd(t, "sandbox", "token", "--state", f.state, "--location", "clinicAus", "--scope", "readonly"))}
		r := f.run(t, env, "export", "--location", "clinicAus", "--raw-ids")
		if r.code != exitOK || !strings.Contains(r.stdout, "calendarId: calCleanAus") || strings.Contains(r.stdout, "{name:") {
			t.Fatalf("export --raw-ids: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if c := f.counts(); c.lookups != 0 {
			t.Errorf("export --raw-ids read %d lookup lists", c.lookups)
		}

		env["HIGHLEVEL_TOKEN"] = strings.TrimSpace(runSandboxCmd(t, "sandbox", "token", "--state", f.state, "--location", "clinicAus",
			"--scopes", "conversation-ai.readonly,workflows.readonly,locations/customFields.readonly,users.readonly"))
		r = f.run(t, env, "export", "--location", "clinicAus")
		if r.code != exitOK || !strings.Contains(r.stdout, "calendarId: calCleanAus") || !strings.Contains(r.stdout, "workflowIds: [{name: Confirm booking}]") {
			t.Fatalf("export without calendars.readonly: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "warning: location clinicAus: reading calendars needs the scope calendars.readonly") {
			t.Errorf("no warning naming the scope:\n%s", r.stderr)
		}
		file := filepath.Join(f.dir, "aus.yaml")
		writeFile(t, file, r.stdout)
		if r := f.run(t, env, "plan", "--detailed-exitcode", file); r.code != exitOK {
			t.Fatalf("plan of the export with a calendar id: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	})
}
