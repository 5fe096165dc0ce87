package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWorkflowScripts runs the github-script scripts that decide what apply
// applies and what the plan comment holds, against a mocked GitHub API
// (testdata/workflows-harness.js): the reviewed plan is found for the merged
// pull request's head commit (newest artifact per shard, cancelled runs
// skipped) and refused when there is no merged pull request, no finished
// run, a missing shard, an expired artifact, or a pull request that changed
// the plan workflow; a plan far over GitHub's limit is cut to a comment under
// 65,536 characters at a location boundary. Needs node, zip and unzip, as
// GitHub's runners have.
func TestWorkflowScripts(t *testing.T) {
	for _, tool := range []string{"node", "zip", "unzip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	harness, err := filepath.Abs("testdata/workflows-harness.js")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		mode, workflow, job, step string
	}{
		{"find", ".github/workflows/apply.yml", "apply", "Find and download the plan reviewed for this commit"},
		{"find", "examples/config-repo/.github/workflows/apply.yml", "apply", "Find and download the plan reviewed for this commit"},
		{"comment", ".github/workflows/plan.yml", "comment", "Create or update the plan comment"},
		{"comment", "examples/config-repo/.github/workflows/plan.yml", "comment", "Create or update the plan comment"},
	}
	for _, tt := range tests {
		t.Run(tt.mode+" "+tt.workflow, func(t *testing.T) {
			w := readWorkflow(t, tt.workflow)
			script := filepath.Join(t.TempDir(), "script.js")
			if err := os.WriteFile(script, []byte(w.findStep(t, tt.job, tt.step).With["script"]), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("node", harness, tt.mode, script)
			cmd.Dir = t.TempDir()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			t.Logf("%s", out)
		})
	}
}
