package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider/highlevel"
)

// editPlan loads a saved plan, lets edit change it, seals it again (as a
// determined editor would recompute the digest) and saves it.
func editPlan(t *testing.T, path string, edit func(p *plan.Plan)) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Load(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	edit(p)
	if err := p.Seal(); err != nil {
		t.Fatal(err)
	}
	return writePlanFile(t, p)
}

// TestApplySavedPlanIsBoundToTheManifests is issue 15's "apply --plan trusts
// the file": values edited in a saved plan, an injected delete with prune
// set in the file, and a plan without its manifests are refused, with
// nothing written.
func TestApplySavedPlanIsBoundToTheManifests(t *testing.T) {
	ctx := context.Background()
	e := newApplyEnv(t)
	if code, out, errOut := e.run(ctx, "", "apply", e.dir, "--endpoint", e.url, "--auto-approve"); code != exitOK {
		t.Fatalf("first apply: exit %d\n%s%s", code, out, errOut)
	}
	e.writeManifest(t, "suggestive")
	saved := e.savePlan(t)
	agentID := e.s.AgentsOf(applyTestLocation)[0].ID
	unchanged := func(t *testing.T) {
		t.Helper()
		agents := e.s.AgentsOf(applyTestLocation)
		if len(agents) != 1 || agents[0].Mode != "auto-pilot" {
			t.Fatalf("the sandbox changed: %+v", agents)
		}
	}

	tests := []struct {
		name string
		edit func(p *plan.Plan)
		code int
		want string
	}{
		{"an edited payload", func(p *plan.Plan) {
			p.Targets[0].Changes[0].After["mode"] = "off"
		}, exitError1, "its payload is not what the manifests declare"},
		{"an injected delete, prune set in the file", func(p *plan.Plan) {
			tp := &p.Targets[0]
			tp.Prune = true
			tp.Changes = append(tp.Changes, plan.Change{Op: plan.OpDelete, Kind: highlevel.KindAgent,
				Key: plan.Key{{Kind: highlevel.KindAgent, Name: "Front Desk"}}, ID: agentID, Reason: "injected"})
		}, exitError1, "it deletes an object the manifests declare"},
		{"a delete of an undeclared agent, prune set in the file", func(p *plan.Plan) {
			tp := &p.Targets[0]
			tp.Prune = true
			tp.Changes = append(tp.Changes, plan.Change{Op: plan.OpDelete, Kind: highlevel.KindAgent,
				Key: plan.Key{{Kind: highlevel.KindAgent, Name: "Someone else"}}, ID: "x1", Reason: "injected"})
		}, exitSafety, "agent delete(s) but the location does not set prune: true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := editPlan(t, saved, tt.edit)
			e.s.ResetAudit()
			code, stdout, stderr := e.run(ctx, "", "apply", "--plan", path, e.dir, "--endpoint", e.url, "--auto-approve")
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s%s", code, tt.code, tt.want, stdout, stderr)
			}
			for _, a := range e.s.Audit() {
				if a.Method != "GET" {
					t.Fatalf("wrote %s %s", a.Method, a.Path)
				}
			}
			unchanged(t)
		})
	}
	t.Run("a file edited without a new digest", func(t *testing.T) {
		raw, err := os.ReadFile(saved)
		if err != nil {
			t.Fatal(err)
		}
		path := writeRaw(t, strings.Replace(string(raw), `"mode": "suggestive"`, `"mode": "off"`, 1))
		code, _, stderr := e.run(ctx, "", "apply", "--plan", path, e.dir, "--endpoint", e.url, "--auto-approve")
		if code != exitError1 || !strings.Contains(stderr, "changed after the plan was made") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		unchanged(t)
	})
	t.Run("a plan without its manifests", func(t *testing.T) {
		code, _, stderr := e.run(ctx, "", "apply", "--plan", saved, "--endpoint", e.url, "--auto-approve")
		if code != exitError1 || !strings.Contains(stderr, "needs the manifests the plan was made from") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		unchanged(t)
	})
	t.Run("the saved plan applies with the manifests' credential", func(t *testing.T) {
		// The variable named in the file is not the one used.
		path := editPlan(t, saved, func(p *plan.Plan) { p.Targets[0].TokenEnv = "SOMEONE_ELSES_TOKEN" })
		code, stdout, stderr := e.run(ctx, "", "apply", "--plan", path, e.dir, "--endpoint", e.url, "--auto-approve")
		if code != exitOK || e.s.AgentsOf(applyTestLocation)[0].Mode != "suggestive" {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
	})
}

func writeRaw(t *testing.T, content string) string {
	t.Helper()
	path := t.TempDir() + "/plan.json"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
