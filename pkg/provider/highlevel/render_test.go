package highlevel

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenPlan is a plan with every change kind, a failing location and an
// up-to-date one.
func goldenPlan(t *testing.T) *plan.Plan {
	t.Helper()
	rich, r := richFixture()
	set := manifests(t, &spec.Set{Digest: "sha256-of-manifests", Locations: []*spec.Location{
		rich,
		{ID: "loc-b", Name: "Broken", TokenEnv: "BROKEN_TOKEN"},
		{ID: "loc-c", Name: "Calm", Agents: []*spec.Agent{{Name: "Only", Settings: creatable(nil)}}},
	}})
	connect := func(ctx context.Context, loc *provider.Target) (Reader, error) {
		switch loc.ID {
		case "loc-a":
			return r, nil
		case "loc-b":
			return nil, errors.New("environment variable BROKEN_TOKEN is not set")
		}
		return &fakeReader{agents: nil}, nil
	}
	p, err := plan.Make(context.Background(), set, readers(connect), plan.Options{Now: fixedNow, ToolVersion: "test"})
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
func checkRenderGolden(t *testing.T, prefix string, p *plan.Plan) {
	t.Helper()
	tests := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{prefix + ".txt.golden", func(b *bytes.Buffer) error { return plan.RenderText(b, p, plan.RenderOptions{}) }},
		{prefix + ".color.txt.golden", func(b *bytes.Buffer) error { return plan.RenderText(b, p, plan.RenderOptions{Color: true}) }},
		{prefix + ".json.golden", func(b *bytes.Buffer) error { return plan.RenderJSON(b, p) }},
		{prefix + ".md.golden", func(b *bytes.Buffer) error { return plan.RenderMarkdown(b, p, 0) }},
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

func TestRenderTextEndsWithSummary(t *testing.T) {
	var b bytes.Buffer
	if err := plan.RenderText(&b, goldenPlan(t), plan.RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if last := lines[len(lines)-1]; last != "Plan: 4 to create, 3 to update, 2 to delete, 1 to replace across 2 of 3 locations." {
		t.Fatalf("last line %q", last)
	}
}
