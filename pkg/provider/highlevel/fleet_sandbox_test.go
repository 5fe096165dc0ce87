package highlevel_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/spec"
)

// fleetBase is bases/common/desk.yaml; %s is the goal (line 4).
const fleetBase = `mode: suggestive
personality: Friendly and brief.
businessName: ${business}
goal: %s
instructions: |
  Greet the patient by name.
  Confirm their date of birth.
  Offer the first free slot.
  Never give medical advice.
actions:
  - name: Nudge after silence
    type: advancedFollowup
    details:
      enabled: true
      scenarioId: contactStoppedReplying
      followupSequence:
        - {id: 1, followupTimeUnit: hours, followupTime: 4, aiEnabledMessage: true}
        - id: 2
          followupTimeUnit: days
          followupTime: 2
          aiEnabledMessage: false
          customMessage: Would you still like to book your visit at ${business}?
followup:
  actions: [Nudge after silence]
  dynamicChannelSwitching: true
  workingHours:
%s`

// fleetHours are the base's working hours, Friday ending at fridayEnd.
func fleetHours(fridayEnd int) string {
	var b strings.Builder
	for day := 1; day <= 5; day++ {
		end := 18
		if day == 5 {
			end = fridayEnd
		}
		fmt.Fprintf(&b, "    - {dayOfTheWeek: %d, intervals: [{startHour: 8, startMinute: 0, endHour: %d, endMinute: 0}]}\n", day, end)
	}
	return b.String()
}

// fleetLocation is one location built on the base; extra is added to its
// agent.
func fleetLocation(i int, extra string) string {
	return fmt.Sprintf(`apiVersion: agentform/v1
kind: Location
location:
  id: FleetLocation%07d
  name: Bright Smiles %03d
  tokenEnv: HL_TOKEN_%03d
vars:
  business: Bright Smiles %03d
agents:
  - name: Front Desk
    base: common/desk
%s`, i, i, i, i, extra)
}

// TestFleetBaseChangeAgainstTheSandbox applies 60 locations built on one
// base to the sandbox, then changes one field of the base (plus a few
// per-location differences, and one location without a token) and holds the
// plan's renderings to the fleet limits: a PR comment of at most 8 KB and a
// text plan of at most 120 lines, with the base's file and line on the
// grouped change and list items named by their keys.
func TestFleetBaseChangeAgainstTheSandbox(t *testing.T) {
	if testing.Short() {
		t.Skip("applies 60 locations")
	}
	const n = 60
	dir := t.TempDir()
	write := func(path, content string) {
		t.Helper()
		path = filepath.Join(dir, path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const oldGoal, newGoal = "Book cleanings and check-ups.", "Book cleanings, check-ups & whitening."
	write("bases/common/desk.yaml", fmt.Sprintf(fleetBase, oldGoal, fleetHours(12)))
	for i := 1; i <= n; i++ {
		write(fmt.Sprintf("locations/loc-%03d.yaml", i), fleetLocation(i, ""))
	}
	t.Chdir(dir) // sources read "bases/common/desk.yaml:4", as in a repository
	load := func() *spec.Set {
		t.Helper()
		set, err := spec.Load("locations")
		if err != nil {
			t.Fatal(err)
		}
		return set
	}
	set := load()
	sb := newSandbox(t, sim.Options{})
	sb.mint(set)
	requireApplied(t, apply.Apply(context.Background(), sb.plan(t, set), sb.writers, apply.Options{}))

	write("bases/common/desk.yaml", fmt.Sprintf(fleetBase, newGoal, fleetHours(12)))
	write("locations/loc-006.yaml", fleetLocation(6, "    goal: "+oldGoal+"\n"))
	write("locations/loc-007.yaml", fleetLocation(7, "    followup:\n      workingHours:\n"+strings.ReplaceAll(fleetHours(17), "    - ", "        - ")))
	write("locations/loc-021.yaml", fleetLocation(21, `    actions:
      - name: Nudge after silence
        details:
          followupSequence:
            - {id: 1, followupTimeUnit: hours, followupTime: 4, aiEnabledMessage: true}
            - {id: 2, followupTimeUnit: days, followupTime: 2, aiEnabledMessage: false, customMessage: "Shall we call you to book?"}
`))
	write("locations/loc-045.yaml", fleetLocation(45, "    instructions: |\n      Greet the patient by name.\n      Confirm their date of birth.\n"+
		"      Offer the first free slot, or the waiting list.\n      Never give medical advice.\n"))
	delete(sb.tokens, "FleetLocation0000013")
	p := sb.plan(t, load())

	var text, md, js bytes.Buffer
	if err := plan.RenderText(&text, p, plan.RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := plan.RenderMarkdown(&md, p, 0); err != nil {
		t.Fatal(err)
	}
	if err := plan.RenderJSON(&js, p); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(text.String(), "\n")
	t.Logf("%d locations against the sandbox: Markdown %d bytes, text %d lines, JSON %d bytes", n, md.Len(), lines, js.Len())
	if md.Len() > 8*1024 {
		t.Errorf("Markdown is %d bytes, want at most 8 KB:\n%s", md.Len(), md.String())
	}
	if lines > 120 {
		t.Errorf("text is %d lines, want at most 120:\n%s", lines, text.String())
	}
	for _, want := range []string{
		"57 of 60 locations: all but FleetLocation0000006, FleetLocation0000013, FleetLocation0000045",
		`~ goal (bases/common/desk.yaml:4): "Book cleanings and check-ups." → "Book cleanings, check-ups & whitening."`,
		"~ details.followupSequence[id=2].customMessage (locations/loc-021.yaml:",
		"~ followupSettings.workingHours[dayOfTheWeek=5].intervals (locations/loc-007.yaml:",
		"+ Offer the first free slot, or the waiting list.",
		"error: location FleetLocation0000013",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(md.String(), "~     goal (bases/common/desk.yaml:4)") {
		t.Errorf("Markdown lacks the base's provenance:\n%s", md.String())
	}
	back, err := plan.Load(&js)
	if err != nil {
		t.Fatal(err)
	}
	goals := 0
	for _, tp := range back.Targets {
		for _, c := range tp.Changes {
			for _, d := range c.Diffs {
				if d.Path == "goal" && d.Source == "bases/common/desk.yaml:4" {
					goals++
				}
			}
		}
	}
	if goals != n-2 { // all but the override and the failed location
		t.Errorf("JSON has %d goal changes from the base, want one per location: %d", goals, n-2)
	}
}
