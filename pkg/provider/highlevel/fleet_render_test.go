package highlevel

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/value"
)

// The limits a base change reaching a fleet must render within (issue
// "Review at fleet scale").
const (
	fleetCommentBytes = 8 * 1024                  // PR comment at 60 locations
	fleetTextLines    = 120                       // text plan at 60 locations
	githubComment     = plan.DefaultMarkdownBytes // one comment, at 300 locations
)

// Fleet scenario: one field of a shared base agent changes (its goal, in
// bases/common/desk.yaml), reaching every location built on that base that
// does not override it, plus a few per-location differences and one
// location that cannot be planned:
//   - every fourth location (loc-004, loc-008, ...) is built on another
//     base: no change there;
//   - loc-006 overrides the goal in its own file: no change there;
//   - loc-007 closes later on Fridays (workingHours, a keyed list);
//   - loc-013 has no token: it fails;
//   - loc-021 reworded follow-up step 2 (followupSequence, a keyed list);
//   - loc-045 rewrote a line of its instructions (a line diff, beside the
//     base's goal);
//   - loc-053 has an action its manifest no longer declares (a delete).
//
// The plan is built as the engine builds it: keyed lists diffed whole (the
// renderers name their items), every diff with the file and line its
// desired value came from.
const (
	fleetGoalBefore = "Book cleanings and check-ups, and answer questions about the practice."
	fleetGoalAfter  = "Book cleanings, check-ups and whitening, and answer questions about the practice & its prices."
	fleetGoalSource = "bases/common/desk.yaml:7"
)

// fleetPlan returns the plan of the fleet scenario over n locations (n ≥ 53).
func fleetPlan(n int) *plan.Plan {
	p := &plan.Plan{FormatVersion: plan.FormatVersion, ToolVersion: "test", CreatedAt: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC),
		ManifestDigest: "sha256-of-manifests", TotalTargets: n}
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("loc-%03d", i)
		tp := plan.TargetPlan{Kind: TargetKind, ID: id, Name: fmt.Sprintf("Bright Smiles %03d", i),
			TokenEnv: "HL_TOKEN_" + strings.ToUpper(strings.ReplaceAll(id, "-", "_")), File: "locations/" + id + ".yaml"}
		agentID := fmt.Sprintf("ag-%03d", i)
		key := plan.Key{{Kind: KindAgent, Name: "Front Desk"}}
		live := value.Map{"name": "Front Desk", "mode": "auto-pilot", "goal": fleetGoalBefore,
			"instructions": "Greet the patient by name.\nConfirm their date of birth.\nOffer the first free slot.\nNever give medical advice."}
		agent := plan.Change{Op: plan.OpUpdate, Kind: KindAgent, Key: key, ID: agentID, Before: live,
			After:       value.DeepMerge(live, value.Map{"goal": fleetGoalAfter}),
			Diffs:       []plan.FieldDiff{{Path: "goal", Before: fleetGoalBefore, After: fleetGoalAfter, Source: fleetGoalSource}},
			Reason:      "declared settings differ from live",
			Fingerprint: fmt.Sprintf("fp-agent-%03d", i)}
		switch {
		case i%4 == 0, i == 6:
			p.Targets = append(p.Targets, tp) // another base, or the goal overridden: up to date
			continue
		case i == 13:
			tp.Error = fmt.Sprintf("location %s: environment variable %s is not set", id, tp.TokenEnv)
			p.Targets = append(p.Targets, tp)
			continue
		case i == 45:
			instr := "Greet the patient by name.\nConfirm their date of birth.\nOffer the first free slot, or the waiting list.\nNever give medical advice."
			agent.Diffs = append(agent.Diffs, plan.FieldDiff{Path: "instructions", Before: live["instructions"], After: instr,
				Source: "locations/loc-045.yaml:14"})
			agent.After["instructions"] = instr
		}
		tp.Changes = append(tp.Changes, agent)
		switch i {
		case 7:
			day := func(d, end float64) value.Map {
				return value.Map{"dayOfTheWeek": d, "intervals": []any{value.Map{"startHour": 8.0, "startMinute": 0.0, "endHour": end, "endMinute": 0.0}}}
			}
			before := []any{day(1, 18), day(2, 18), day(3, 18), day(4, 18), day(5, 12)}
			after := []any{day(1, 18), day(2, 18), day(3, 18), day(4, 18), day(5, 17)}
			tp.Changes = append(tp.Changes, plan.Change{Op: plan.OpUpdate, Kind: KindFollowup, Key: key, ParentID: agentID,
				Before: value.Map{"actions": []any{"Nudge after silence"}, "followupSettings": value.Map{"workingHours": before}},
				After:  value.Map{"actions": []any{"Nudge after silence"}, "followupSettings": value.Map{"workingHours": after}},
				Diffs: []plan.FieldDiff{{Path: "followupSettings.workingHours", Before: before, After: after,
					Source: "locations/loc-007.yaml:31"}},
				Reason: `action "Nudge after silence" has other settings`, Fingerprint: "fp-followup-007"})
		case 21:
			step := func(id float64, msg string) value.Map {
				return value.Map{"id": id, "followupTimeUnit": "days", "followupTime": id, "aiEnabledMessage": false, "customMessage": msg}
			}
			before := []any{step(1, "Hi! Just checking in."), step(2, "Would you still like to book your visit at Bright Smiles 021?")}
			after := []any{step(1, "Hi! Just checking in."), step(2, "Would you still like to book your visit? Reply YES & we'll call you.")}
			details := func(seq []any) value.Map {
				return value.Map{"enabled": true, "scenarioId": "contactStoppedReplying", "followupSequence": seq}
			}
			tp.Changes = append(tp.Changes, plan.Change{Op: plan.OpUpdate, Kind: KindAction,
				Key: append(key, plan.KeyPart{Kind: KindAction, Name: "Nudge after silence"}), ID: "act-nudge-021", ParentID: agentID,
				Before: value.Map{"name": "Nudge after silence", "type": "advancedFollowup", "details": details(before)},
				After:  value.Map{"name": "Nudge after silence", "type": "advancedFollowup", "details": details(after)},
				Diffs: []plan.FieldDiff{{Path: "details.followupSequence", Before: before, After: after,
					Source: "locations/loc-021.yaml:27"}},
				Reason: "declared details differ from live", Fingerprint: "fp-nudge-021"})
		case 53:
			tp.Changes = append(tp.Changes, plan.Change{Op: plan.OpDelete, Kind: KindAction,
				Key: append(key, plan.KeyPart{Kind: KindAction, Name: "Old promo"}), ID: "act-promo-053", ParentID: agentID,
				Reason: "live action the agent's actions: list does not declare", Fingerprint: "fp-promo-053"})
		}
		p.Targets = append(p.Targets, tp)
	}
	return p
}

func renderFleet(t *testing.T, p *plan.Plan) (text, md []byte) {
	t.Helper()
	var tb, mb bytes.Buffer
	if err := plan.RenderText(&tb, p, plan.RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := plan.RenderMarkdown(&mb, p, 0); err != nil {
		t.Fatal(err)
	}
	return tb.Bytes(), mb.Bytes()
}

// TestRenderFleetGolden renders the fleet scenario at 60 and 300 locations
// and holds the outputs to the limits: at 60, a PR comment of at
// most 8 KB and a text plan of at most 120 lines; at 300, one comment.
func TestRenderFleetGolden(t *testing.T) {
	for _, tt := range []struct {
		n                 int
		maxMD, maxLines   int
		goldenText, color bool
	}{
		{n: 60, maxMD: fleetCommentBytes, maxLines: fleetTextLines, goldenText: true, color: true},
		{n: 300, maxMD: githubComment, maxLines: fleetTextLines, goldenText: true},
	} {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			p := fleetPlan(tt.n)
			text, md := renderFleet(t, p)
			lines := bytes.Count(text, []byte("\n"))
			t.Logf("%d locations: Markdown %d bytes, text %d lines (%d bytes)", tt.n, len(md), lines, len(text))
			if len(md) > tt.maxMD {
				t.Errorf("Markdown is %d bytes, want at most %d", len(md), tt.maxMD)
			}
			if lines > tt.maxLines {
				t.Errorf("text is %d lines, want at most %d", lines, tt.maxLines)
			}
			if bytes.Contains(md, []byte("not shown")) {
				t.Errorf("Markdown left sections out")
			}
			checkGolden(t, fmt.Sprintf("fleet%d.md.golden", tt.n), md)
			if tt.goldenText {
				checkGolden(t, fmt.Sprintf("fleet%d.txt.golden", tt.n), text)
			}
			if tt.color {
				var b bytes.Buffer
				if err := plan.RenderText(&b, p, plan.RenderOptions{Color: true}); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, fmt.Sprintf("fleet%d.color.txt.golden", tt.n), b.Bytes())
			}
		})
	}
}

// TestRenderFleetJSONKeepsEveryChange: grouping is only a rendering; the
// plan's JSON has every location's change, each with its source.
func TestRenderFleetJSONKeepsEveryChange(t *testing.T) {
	p := fleetPlan(60)
	var b bytes.Buffer
	if err := plan.RenderJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	back, err := plan.Load(&b)
	if err != nil {
		t.Fatal(err)
	}
	goals := 0
	for _, tp := range back.Targets {
		for _, c := range tp.Changes {
			for _, d := range c.Diffs {
				if d.Path == "goal" && d.Source == fleetGoalSource {
					goals++
				}
			}
		}
	}
	if goals != 43 { // 60, less 15 on another base, the override and the failed location
		t.Fatalf("%d goal diffs from the base in the JSON, want 43", goals)
	}
}

// BenchmarkRenderFleet renders the fleet scenario as text and Markdown.
func BenchmarkRenderFleet(b *testing.B) {
	for _, n := range []int{300, 3000} {
		p := fleetPlan(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if err := plan.RenderText(io.Discard, p, plan.RenderOptions{}); err != nil {
					b.Fatal(err)
				}
				if err := plan.RenderMarkdown(io.Discard, p, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
