package plan

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenPlan is a plan with every change kind, a failing location and an
// up-to-date one.
func goldenPlan(t *testing.T) *Plan {
	t.Helper()
	rich, r := richFixture()
	set := &spec.Set{Digest: "sha256-of-manifests", Locations: []*spec.Location{
		rich,
		{ID: "loc-b", Name: "Broken", TokenEnv: "BROKEN_TOKEN"},
		{ID: "loc-c", Name: "Calm", Agents: []*spec.Agent{{Name: "Only", Settings: creatable(nil)}}},
	}}
	connect := func(ctx context.Context, loc *spec.Location) (Reader, error) {
		switch loc.ID {
		case "loc-a":
			return r, nil
		case "loc-b":
			return nil, errors.New("environment variable BROKEN_TOKEN is not set")
		}
		return &fakeReader{agents: nil}, nil
	}
	p, err := Make(context.Background(), set, connect, Options{Now: fixedNow, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

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

func TestRenderGolden(t *testing.T) { checkRenderGolden(t, "plan", goldenPlan(t)) }

// checkRenderGolden renders p in every format and compares each with
// testdata/<prefix>.{txt,color.txt,json,md}.golden.
func checkRenderGolden(t *testing.T, prefix string, p *Plan) {
	t.Helper()
	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{prefix + ".txt.golden", func(b *bytes.Buffer) error { return RenderText(b, p, RenderOptions{}) }},
		{prefix + ".color.txt.golden", func(b *bytes.Buffer) error { return RenderText(b, p, RenderOptions{Color: true}) }},
		{prefix + ".json.golden", func(b *bytes.Buffer) error { return RenderJSON(b, p) }},
		{prefix + ".md.golden", func(b *bytes.Buffer) error { return RenderMarkdown(b, p, 0) }},
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

func TestSummaryLine(t *testing.T) {
	ch := func(op Op) Change { return Change{Op: op, Kind: KindAgent} }
	tests := []struct {
		name string
		plan Plan
		want string
	}{
		{"no changes", Plan{Locations: []LocationPlan{{}, {}, {Changes: []Change{ch(OpReport)}}}}, "No changes. 3 locations are up to date."},
		{"one up to date", Plan{Locations: []LocationPlan{{}}}, "No changes. 1 location is up to date."},
		{"failed not up to date", Plan{Locations: []LocationPlan{{}, {Error: "x"}}}, "No changes. 1 location is up to date."},
		{"a shard says so", Plan{Shard: "2/3", Locations: []LocationPlan{{}}}, "No changes. 1 location is up to date. (shard 2/3 of the run only)"},
		{"all failed", Plan{Locations: []LocationPlan{{Error: "x"}, {Error: "y"}}}, "No location could be planned."},
		{"counts", Plan{Locations: []LocationPlan{{Changes: []Change{ch(OpCreate), ch(OpCreate), ch(OpUpdate)}}, {Changes: []Change{ch(OpDelete)}}, {}, {}}},
			"Plan: 2 to create, 1 to update, 1 to delete across 2 of 4 locations."},
		{"replace only when present", Plan{Locations: []LocationPlan{{Changes: []Change{ch(OpReplace)}}}},
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

func TestRenderTextEndsWithSummary(t *testing.T) {
	var b bytes.Buffer
	if err := RenderText(&b, goldenPlan(t), RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if last := lines[len(lines)-1]; last != "Plan: 4 to create, 3 to update, 2 to delete, 1 to replace across 2 of 3 locations." {
		t.Fatalf("last line %q", last)
	}
}

func TestRenderMarkdownTruncates(t *testing.T) {
	p := &Plan{}
	for i := range 400 {
		lp := LocationPlan{LocationID: fmt.Sprintf("loc-%03d", i)}
		for j := range 5 {
			lp.Changes = append(lp.Changes, Change{Op: OpUpdate, Kind: KindAgent, Agent: fmt.Sprintf("agent %d", j),
				Diffs: []FieldDiff{{Path: "personality", Before: strings.Repeat("old ", 10), After: strings.Repeat("new ", 10)}}})
		}
		p.Locations = append(p.Locations, lp)
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
