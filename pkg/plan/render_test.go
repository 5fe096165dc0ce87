package plan

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// agentChange is a change of the top-level object "agent" named name (or
// of no object when name is ""); these tests need only its op and counts.
func agentChange(op Op, name string) Change {
	c := Change{Op: op, Kind: kindAgent}
	if name != "" {
		c.Key = Key{{Kind: kindAgent, Name: name}}
	}
	return c
}

func TestSummaryLine(t *testing.T) {
	ch := func(op Op) Change { return agentChange(op, "") }
	tests := []struct {
		name string
		plan Plan
		want string
	}{
		{"no changes", Plan{Targets: []TargetPlan{{}, {}, {Changes: []Change{ch(OpReport)}}}}, "No changes. 3 locations are up to date."},
		{"one up to date", Plan{Targets: []TargetPlan{{}}}, "No changes. 1 location is up to date."},
		{"failed not up to date", Plan{Targets: []TargetPlan{{}, {Error: "x"}}}, "No changes. 1 location is up to date."},
		{"a shard says so", Plan{Shard: "2/3", Targets: []TargetPlan{{}}}, "No changes. 1 location is up to date. (shard 2/3 of the run only)"},
		{"all failed", Plan{Targets: []TargetPlan{{Error: "x"}, {Error: "y"}}}, "No location could be planned."},
		{"counts", Plan{Targets: []TargetPlan{{Changes: []Change{ch(OpCreate), ch(OpCreate), ch(OpUpdate)}}, {Changes: []Change{ch(OpDelete)}}, {}, {}}},
			"Plan: 2 to create, 1 to update, 1 to delete across 2 of 4 locations."},
		{"replace only when present", Plan{Targets: []TargetPlan{{Changes: []Change{ch(OpReplace)}}}},
			"Plan: 0 to create, 0 to update, 0 to delete, 1 to replace across 1 of 1 locations."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SummaryLine(&tt.plan); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderMarkdownTruncates(t *testing.T) {
	p := &Plan{}
	for i := range 400 {
		lp := loc(TargetPlan{ID: fmt.Sprintf("loc-%03d", i)})
		for j := range 5 {
			c := agentChange(OpUpdate, fmt.Sprintf("agent %d", j))
			// Each location's change is its own (identical ones are grouped).
			c.Diffs = []FieldDiff{{Path: "personality", Before: strings.Repeat("old ", 10), After: strings.Repeat("new ", 10) + lp.ID}}
			lp.Changes = append(lp.Changes, c)
		}
		p.Targets = append(p.Targets, lp)
	}
	var b bytes.Buffer
	if err := RenderMarkdown(&b, p, 0); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if len(out) >= DefaultMarkdownBytes {
		t.Fatalf("markdown is %d bytes, want < %d", len(out), DefaultMarkdownBytes)
	}
	shown := strings.Count(out, "<details>")
	note := fmt.Sprintf("… %d more locations not shown; see the job summary", 400-shown)
	if shown == 0 || shown == 400 || !strings.Contains(out, note) {
		t.Fatalf("%d sections shown; want a note %q", shown, note)
	}
	if !strings.HasSuffix(out, "**Plan: 0 to create, 2000 to update, 0 to delete across 400 of 400 locations.**\n") {
		t.Fatal("summary line missing at the end")
	}
}

func TestDriftLine(t *testing.T) {
	ch := func(drift bool) Change {
		c := agentChange(OpUpdate, "")
		c.Drift = drift
		return c
	}
	tests := []struct {
		name string
		cs   []Change
		want string
	}{
		{"none", []Change{ch(false)}, ""},
		{"one", []Change{ch(true), ch(false)}, "Drift: 1 change undoes an edit made outside agentform."},
		{"two", []Change{ch(true), ch(true)}, "Drift: 2 changes undo edits made outside agentform."},
		{"reports do not count", []Change{{Op: OpReport, Drift: true}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DriftLine(&Plan{Targets: []TargetPlan{{Changes: tt.cs}}}); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
