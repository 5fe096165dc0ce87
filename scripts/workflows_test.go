package scripts

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// repoRoot is the repository, seen from this package's folder.
const repoRoot = ".."

// workflow is the part of a GitHub workflow file these tests read.
type workflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Strategy struct {
			Matrix map[string]any `yaml:"matrix"`
		} `yaml:"strategy"`
		Steps []step `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
}

func readWorkflow(t *testing.T, path string) workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, path))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return w
}

// findStep returns the step of job named name.
func (w workflow) findStep(t *testing.T, job, name string) step {
	t.Helper()
	for _, s := range w.Jobs[job].Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no step %q in job %s", name, job)
	return step{}
}

// TestExampleWorkflowsMatch: the example config repository's workflows
// (which use agentform/agentform@v1) run the same scripts and commands as
// this repository's (which build agentform and use ./): only the steps that
// get agentform may differ. So what CI exercises here is what customers copy.
func TestExampleWorkflowsMatch(t *testing.T) {
	// Steps only this repository has (it builds agentform from source), or
	// only the example has.
	ownOnly := map[string]bool{"Build agentform once for every job of this run": true, "Build agentform": true}
	exampleOnly := map[string]bool{"Prepare": true}
	for _, name := range []string{"plan.yml", "apply.yml", "drift.yml"} {
		t.Run(name, func(t *testing.T) {
			own := readWorkflow(t, ".github/workflows/"+name)
			ex := readWorkflow(t, "examples/config-repo/.github/workflows/"+name)
			if len(own.Jobs) != len(ex.Jobs) {
				t.Errorf("jobs: %d here, %d in the example", len(own.Jobs), len(ex.Jobs))
			}
			for job, oj := range own.Jobs {
				ej, ok := ex.Jobs[job]
				if !ok {
					t.Errorf("job %s is missing from the example", job)
					continue
				}
				exSteps := map[string]step{}
				for _, s := range ej.Steps {
					if s.Name != "" {
						exSteps[s.Name] = s
					}
				}
				seen := map[string]bool{}
				for _, o := range oj.Steps {
					if o.Name == "" {
						continue // checkout, setup-go, artifacts: plumbing
					}
					seen[o.Name] = true
					e, ok := exSteps[o.Name]
					if !ok {
						if !ownOnly[o.Name] {
							t.Errorf("%s: step %q is missing from the example", job, o.Name)
						}
						continue
					}
					compareStep(t, job, o, e)
				}
				for n := range exSteps {
					if !seen[n] && !exampleOnly[n] {
						t.Errorf("%s: step %q is only in the example", job, n)
					}
				}
			}
		})
	}
}

func compareStep(t *testing.T, job string, own, ex step) {
	t.Helper()
	if own.Run != ex.Run {
		t.Errorf("%s: step %q runs another script in the example", job, own.Name)
	}
	for _, k := range []string{"script", "command", "allowed-exit-codes", "stderr-file"} {
		if own.With[k] != ex.With[k] {
			t.Errorf("%s: step %q: with.%s differs:\n here:    %q\n example: %q", job, own.Name, k, own.With[k], ex.With[k])
		}
	}
	if own.Uses == "./" {
		// This repository's action with a built binary; the example's is
		// the released action with a version.
		if ex.Uses != "agentform/agentform@v1" || own.With["binary"] == "" || ex.With["version"] != "${{ env.AGENTFORM_VERSION }}" {
			t.Errorf("%s: step %q: uses %q with binary %q here, %q with version %q in the example", job, own.Name, own.Uses, own.With["binary"], ex.Uses, ex.With["version"])
		}
	} else if own.Uses != ex.Uses {
		t.Errorf("%s: step %q: uses %q here, %q in the example", job, own.Name, own.Uses, ex.Uses)
	}
}

// TestShardCountWrittenOnce: plan.yml names its shard count in one place (env
// SHARDS); the matrix comes from it and no --shard has a literal count.
func TestShardCountWrittenOnce(t *testing.T) {
	literalShard := regexp.MustCompile(`--shard[^\n]*/[0-9]`)
	shardsKey := regexp.MustCompile(`(?m)^\s*SHARDS:`)
	for _, path := range []string{".github/workflows/plan.yml", "examples/config-repo/.github/workflows/plan.yml"} {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot, path))
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			if n := len(shardsKey.FindAllString(text, -1)); n != 1 {
				t.Errorf("SHARDS: is written %d times, want once", n)
			}
			if m := literalShard.FindString(text); m != "" {
				t.Errorf("a literal shard count: %q", m)
			}
			w := readWorkflow(t, path)
			if !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(w.Env["SHARDS"]) {
				t.Errorf("env SHARDS = %q, want a number", w.Env["SHARDS"])
			}
			if got := w.Jobs["plan"].Strategy.Matrix["shard"]; got != "${{ fromJSON(needs.setup.outputs.shards) }}" {
				t.Errorf("plan matrix shard = %v, want it derived from SHARDS by the setup job", got)
			}
			if s := w.findStep(t, "setup", "Shard list"); !strings.Contains(s.Run, `"$SHARDS"`) {
				t.Errorf("the shard list does not come from $SHARDS: %q", s.Run)
			}
		})
	}
}

// TestHandoffRunsTheWorkflowCommands: the command strings of
// gitops-handoff.sh are, verbatim, the ones the workflows run.
func TestHandoffRunsTheWorkflowCommands(t *testing.T) {
	script, err := os.ReadFile("gitops-handoff.sh")
	if err != nil {
		t.Fatal(err)
	}
	plan := readWorkflow(t, ".github/workflows/plan.yml")
	apply := readWorkflow(t, ".github/workflows/apply.yml")
	drift := readWorkflow(t, ".github/workflows/drift.yml")
	merge := apply.findStep(t, "apply", "Check that every shard saved a plan, and merge them").Run
	lines := strings.Split(strings.TrimSpace(merge), "\n")
	want := map[string]string{
		"VALIDATE_CMD": plan.findStep(t, "setup", "Validate the manifests (errors become annotations on the files)").With["command"],
		"PLAN_CMD":     plan.findStep(t, "plan", "Plan shard ${{ matrix.shard }} of ${{ env.SHARDS }}").With["command"],
		"MERGE_LINE":   strings.TrimSpace(lines[len(lines)-1]),
		"APPLY_CMD":    apply.findStep(t, "apply", "Apply the reviewed plan").With["command"],
		"DRIFT_CMD":    drift.findStep(t, "drift", "Plan main against live state").With["command"],
	}
	for name, cmd := range want {
		if cmd == "" {
			t.Errorf("%s: the workflow has no command", name)
			continue
		}
		if line := name + "='" + cmd + "'"; !strings.Contains(string(script), "\n"+line+"\n") {
			t.Errorf("gitops-handoff.sh does not run the workflow's command; want the line\n%s", line)
		}
	}
}

// TestGitopsHandoff runs gitops-handoff.sh: agentform built from this
// checkout, a sandbox on a free port, the workflows' commands.
func TestGitopsHandoff(t *testing.T) {
	if testing.Short() {
		t.Skip("builds agentform and runs a sandbox")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "gitops-handoff.sh")
	cmd.Env = append(os.Environ(), "HANDOFF_KEEP=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gitops-handoff.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "\nPASS: the plan→apply hand-off") {
		t.Fatalf("gitops-handoff.sh did not reach its end:\n%s", out)
	}
	t.Logf("%s", out)
}
