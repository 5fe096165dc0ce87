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

func TestBarProgress(t *testing.T) {
	var b strings.Builder
	bar := &BarProgress{W: &b, Width: 10}
	bar.TargetDone(TargetReport{}, 1, 4)
	bar.TargetDone(TargetReport{}, 4, 4)
	bar.Finish()
	want := "\r[##........] 1/4 locations\r[##########] 4/4 locations\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
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
