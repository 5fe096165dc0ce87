package apply

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/plan"
)

func TestSummary(t *testing.T) {
	tests := []struct {
		name   string
		counts Counts
		want   string
	}{
		{"plain", Counts{Created: 3, Updated: 5, Deleted: 1, Targets: 4},
			"Apply: 3 created, 5 updated, 1 deleted, 0 failed in 4 locations"},
		{"replaced and skipped", Counts{Created: 1, Replaced: 2, Failed: 1, Skipped: 3, Targets: 1},
			"Apply: 1 created, 0 updated, 0 deleted, 2 replaced, 1 failed, 3 skipped in 1 location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(&Report{Counts: tt.counts}); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLineProgress(t *testing.T) {
	tests := []struct {
		name string
		loc  TargetReport
		want string
	}{
		{"applied", TargetReport{Kind: "location", ID: "L1", Outcome: TargetApplied, Duration: 1234 * time.Millisecond,
			Steps: []StepResult{{Outcome: StepCreated}, {Outcome: StepUpdated}, {Outcome: StepUnchanged}}},
			"location L1: applied 2 changes in 1.2s\n"},
		{"stale", TargetReport{Kind: "location", ID: "L2", Outcome: TargetStale, Error: "plan is stale: x", Duration: 42*time.Millisecond + 300*time.Microsecond,
			Steps: []StepResult{{Outcome: StepSkipped}}},
			"location L2: stale after 0 changes in 42ms: plan is stale: x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			LineProgress{W: &b}.TargetDone(tt.loc, 1, 1)
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestLineProgressQuietForUnchangedTargets(t *testing.T) {
	var b strings.Builder
	p := LineProgress{W: &b}
	p.TargetDone(TargetReport{Kind: "location", ID: "L0", Outcome: TargetApplied}, 1, 3)
	p.TargetDone(TargetReport{Kind: "location", ID: "L1", Outcome: TargetApplied, Steps: []StepResult{{Outcome: StepUnchanged}}}, 2, 3)
	if b.Len() != 0 {
		t.Fatalf("unchanged targets wrote %q", b.String())
	}
}

func TestMeterProgress(t *testing.T) {
	var b strings.Builder
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	m := &plan.Meter{W: &b, Terminal: true, Noun: "locations", Now: func() time.Time { return now }}
	p := Progresses{MeterProgress{Meter: m}, LineProgress{W: &b}}
	m.Start()
	now = now.Add(2 * time.Second)
	p.TargetDone(TargetReport{Kind: "location", ID: "L1", Outcome: TargetApplied, Steps: []StepResult{{Outcome: StepUpdated}}}, 1, 4)
	now = now.Add(6 * time.Second)
	p.TargetDone(TargetReport{Kind: "location", ID: "L2", Outcome: TargetApplied}, 4, 4)
	m.Finish()
	want := "[1/4] locations, 2s elapsed, ETA 6s\x1b[K\r" + "location L1: applied 1 change in 0s\n" +
		"[4/4] locations, 8s elapsed\x1b[K\r" + "\x1b[2K\r"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestRenderTextCountsQuietTargets(t *testing.T) {
	key := plan.Key{{Kind: "agent", Name: "A"}}
	skipped := func(reason string) StepResult {
		return StepResult{Op: plan.OpUpdate, Kind: "agent", Key: key, Outcome: StepSkipped, Error: reason}
	}
	r := &Report{Interrupted: true, Targets: []TargetReport{
		{Kind: "location", ID: "L1", Outcome: TargetApplied, Steps: []StepResult{{Op: plan.OpUpdate, Kind: "agent", Key: key, Outcome: StepUpdated}}},
		{Kind: "location", ID: "L2", Outcome: TargetApplied},
		{Kind: "location", ID: "L3", Outcome: TargetApplied, Steps: []StepResult{{Op: plan.OpReport, Outcome: StepUnchanged}}},
		{Kind: "location", ID: "L4", Outcome: TargetInterrupted, Error: "interrupted before the location started", Steps: []StepResult{skipped("interrupted")}},
		{Kind: "location", ID: "L5", Outcome: TargetInterrupted, Error: "interrupted before the location started", Steps: []StepResult{skipped("interrupted")}},
		{Kind: "location", ID: "L6", Outcome: TargetInterrupted, Error: "interrupted", Steps: []StepResult{
			{Op: plan.OpUpdate, Kind: "agent", Key: key, Outcome: StepUpdated}, skipped("interrupted")}},
		{Kind: "location", ID: "L7", Outcome: TargetFailed, Error: "step 0 failed", Steps: []StepResult{
			{Op: plan.OpUpdate, Kind: "agent", Key: key, Outcome: StepFailed, Status: 422, Error: "bad"}}},
	}}
	r.count()
	var b strings.Builder
	if err := RenderText(&b, r); err != nil {
		t.Fatal(err)
	}
	want := Summary(r) + "\n" +
		"Interrupted: steps in flight finished; no new step was started.\n" +
		"\nlocation L6: interrupted: interrupted\n" +
		"  - skipped  update agent \"A\": interrupted\n" +
		"\nlocation L7: failed: step 0 failed\n" +
		"  ! failed   update agent \"A\" (HTTP 422): bad\n" +
		"\n2 locations not started: interrupted before anything was written there (apply again to apply them).\n" +
		"2 locations had nothing to apply.\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	key := func(name string) plan.Key { return plan.Key{{Kind: "agent", Name: name}} }
	r := &Report{FormatVersion: ReportFormatVersion, Targets: []TargetReport{{
		Kind: "location", ID: "L1", Outcome: TargetFailed, Error: "step 0 failed",
		Steps: []StepResult{
			{Index: 0, Op: plan.OpCreate, Kind: "agent", Key: key("A"), Outcome: StepCreated, NewID: "id1", Adopted: true},
			{Index: 1, Op: plan.OpUpdate, Kind: "agent", Key: key("B"), Outcome: StepFailed, Status: 422, Error: "bad"},
		},
	}}}
	r.count()
	var b strings.Builder
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal([]byte(b.String()), &back); err != nil {
		t.Fatal(err)
	}
	s := back.Targets[0].Steps
	if s[0].NewID != "id1" || !s[0].Adopted || s[1].Status != 422 || s[1].Error != "bad" || back.Counts.Failed != 1 {
		t.Errorf("round trip lost data: %+v", back)
	}
	for _, key := range []string{`"newId": "id1"`, `"status": 422`, `"outcome": "failed"`, `"formatVersion": 2`} {
		if !strings.Contains(b.String(), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}
