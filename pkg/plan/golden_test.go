package plan_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/value"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkGolden compares got with testdata/name (rewritten with -update).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the output (run go test -update after checking):\n%s", path, got)
	}
}

// renderAll renders p in every format and compares each with
// testdata/<prefix>.{txt,color.txt,md,json}.golden.
func renderAll(t *testing.T, prefix string, p *plan.Plan) {
	t.Helper()
	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{prefix + ".txt.golden", func(b *bytes.Buffer) error { return plan.RenderText(b, p, plan.RenderOptions{}) }},
		{prefix + ".color.txt.golden", func(b *bytes.Buffer) error { return plan.RenderText(b, p, plan.RenderOptions{Color: true}) }},
		{prefix + ".md.golden", func(b *bytes.Buffer) error { return plan.RenderMarkdown(b, p, 0) }},
		{prefix + ".json.golden", func(b *bytes.Buffer) error { return plan.RenderJSON(b, p) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name, b.Bytes())
		})
	}
}

func agentKey(names ...string) plan.Key {
	k := plan.Key{{Kind: "agent", Name: names[0]}}
	if len(names) > 1 {
		k = append(k, plan.KeyPart{Kind: "action", Name: names[1]})
	}
	return k
}

// groupedPlan is a small plan with every rendering feature: a base's change
// made identically in three locations (grouped), changes of one location
// (provenance of creates and updates, element diffs of keyed lists, a
// list of objects without a key, a line diff, text with & < >), a destructive
// change, a drift change and a location that could not be planned.
func groupedPlan() *plan.Plan {
	goal := plan.FieldDiff{Path: "goal", Before: "Book visits.", After: "Book visits & answer billing questions.",
		Source: "bases/common/desk.yaml:6"}
	step := plan.FieldDiff{Path: "details.followupSequence[id=2].customMessage", Before: "Still there?",
		After: "Hi! Would you still like to book a visit at <b>Acme</b>?", Source: "bases/common/desk.yaml:21"}
	shared := func(loc string) []plan.Change {
		return []plan.Change{
			{Op: plan.OpUpdate, Kind: "agent", Key: agentKey("Front Desk"), ID: "ag-" + loc, Reason: "declared settings differ from live",
				Diffs: []plan.FieldDiff{goal}, Fingerprint: "fp-" + loc},
			{Op: plan.OpUpdate, Kind: "action", Key: agentKey("Front Desk", "Nudge"), ID: "act-" + loc, ParentID: "ag-" + loc,
				Reason: "declared details differ from live", Diffs: []plan.FieldDiff{step}, Fingerprint: "fpa-" + loc},
		}
	}
	loc := func(id, name string, changes ...plan.Change) plan.TargetPlan {
		return plan.TargetPlan{Kind: "location", ID: id, Name: name, TokenEnv: "TOKEN_" + strings.ToUpper(id), File: "locations/" + id + ".yaml",
			Changes: changes}
	}
	own := []plan.Change{
		{Op: plan.OpUpdate, Kind: "agent", Key: agentKey("Front Desk"), ID: "ag-loc-4", Reason: "declared settings differ from live",
			Diffs: []plan.FieldDiff{goal, {Path: "instructions", Source: "locations/loc-4.yaml:12",
				Before: "Greet the caller.\nAsk for their phone.\nOffer a booking.\nSay goodbye.\nThank them.\nHang up.",
				After:  "Greet the caller.\nAsk for their name.\nOffer a booking.\nSay goodbye.\nThank them.\nHang up."}},
			Fingerprint: "fp-loc-4"},
		{Op: plan.OpCreate, Kind: "action", Key: agentKey("Front Desk", "Q&A"), ParentID: "ag-loc-4", Reason: "declared, not found live",
			After:   value.Map{"name": "Q&A", "type": "stopBot", "details": value.Map{"finalMessage": "Bye <3 & thanks"}},
			Sources: map[string]string{"name": "locations/loc-4.yaml:15", "type": "locations/loc-4.yaml:16", "details.finalMessage": "locations/loc-4.yaml:18"}},
		{Op: plan.OpUpdate, Kind: "followup", Key: agentKey("Front Desk"), Reason: `action "Nudge" has other settings`, Drift: true,
			Diffs: []plan.FieldDiff{
				{Path: "followupSettings.workingHours[dayOfTheWeek=5].intervals", Source: "locations/loc-4.yaml:30",
					Before: []any{value.Map{"startHour": 8.0, "startMinute": 0.0, "endHour": 12.0, "endMinute": 30.0}},
					After:  []any{value.Map{"startHour": 8.0, "startMinute": 0.0, "endHour": 17.0, "endMinute": 0.0}}},
				{Path: "followupSettings.workingHours[dayOfTheWeek=6]", Source: "locations/loc-4.yaml:31", Drift: true,
					Before: value.Map{"dayOfTheWeek": 6.0, "intervals": []any{}}},
				{Path: "followupSettings.workingHours[dayOfTheWeek=0]", Source: "locations/loc-4.yaml:32",
					After: value.Map{"dayOfTheWeek": 0.0}},
			}},
		{Op: plan.OpDelete, Kind: "action", Key: agentKey("Front Desk", "Legacy"), ID: "act-legacy", ParentID: "ag-loc-4",
			Reason: "live action the agent's actions: list does not declare"},
	}
	return &plan.Plan{FormatVersion: plan.FormatVersion, ToolVersion: "test", CreatedAt: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC),
		ManifestDigest: "digest", TotalTargets: 6, Baseline: true, BaselineDigest: "base",
		Targets: []plan.TargetPlan{
			loc("loc-1", "Austin", shared("loc-1")...),
			loc("loc-2", "Dallas", shared("loc-2")...),
			loc("loc-3", "Houston", shared("loc-3")...),
			loc("loc-4", "El Paso", append(own, shared("loc-4")[1])...),
			{Kind: "location", ID: "loc-5", Name: "Waco", File: "locations/loc-5.yaml", Error: "environment variable TOKEN_LOC_5 is not set"},
			loc("loc-6", "Plano"),
		}}
}

func TestRenderGroupedGolden(t *testing.T) { renderAll(t, "grouped", groupedPlan()) }

func TestRenderGroupedKeepsEveryChangeInJSON(t *testing.T) {
	var b bytes.Buffer
	if err := plan.RenderJSON(&b, groupedPlan()); err != nil {
		t.Fatal(err)
	}
	back, err := plan.Load(&b)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tp := range back.Targets {
		n += len(tp.Changes)
	}
	if n != 11 {
		t.Fatalf("%d changes in the JSON, want every one of the 11", n)
	}
}

func TestRenderTextEscapesNothing(t *testing.T) {
	var b bytes.Buffer
	if err := plan.RenderText(&b, groupedPlan(), plan.RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`"Book visits & answer billing questions."`, `"Bye <3 & thanks"`, `<b>Acme</b>`} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %s", want)
		}
	}
	if strings.Contains(out, `\u0026`) || strings.Contains(out, `\u003c`) {
		t.Errorf("text escapes & or <:\n%s", out)
	}
}

// TestRenderTextColourFollowsSymbol: every line that starts with a change
// symbol, at any indent, is painted in that symbol's colour.
func TestRenderTextColourFollowsSymbol(t *testing.T) {
	var b bytes.Buffer
	if err := plan.RenderText(&b, groupedPlan(), plan.RenderOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	colour := map[string]string{"+ ": "\x1b[32m", "- ": "\x1b[31m", "-/+ ": "\x1b[31m", "~ ": "\x1b[33m"}
	checked := 0
	for _, line := range strings.Split(b.String(), "\n") {
		body := strings.TrimLeft(line, " ")
		visible := ansi.ReplaceAllString(body, "")
		for sym, code := range colour {
			if strings.HasPrefix(visible, sym) && !(sym == "- " && strings.HasPrefix(visible, "-/+ ")) {
				checked++
				if !strings.HasPrefix(body, code+sym) {
					t.Errorf("line %q: want it painted %q", line, code)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d lines with a symbol checked", checked)
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")
