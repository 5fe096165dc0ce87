package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
	"github.com/agentform/agentform/pkg/spec"
)

const applyTestLocation = "LocApplyCli000000001"

const applyTestManifest = `apiVersion: agentform/v1
kind: Location
location:
  id: ` + applyTestLocation + `
  name: CLI test
  tokenEnv: HL_TOKEN_CLI
agents:
  - name: Front Desk
    personality: Friendly and brief.
    goal: Book visits.
    instructions: Ask for a date.
    mode: MODE
    actions:
      - name: Done
        type: stopBot
        details:
          stopBotDetectionType: Goodbye
          stopBotTriggerCondition: The contact says goodbye.
          reactivateEnabled: false
          enabled: true
          stopBotExamples: [bye, thanks]
          finalMessage: See you soon.
`

// applyEnv is a sandbox, a manifest folder and the environment for run.
type applyEnv struct {
	s     *sim.Server
	url   string
	token string
	dir   string
}

func newApplyEnv(t *testing.T) *applyEnv {
	t.Helper()
	s, srv := simtest.Start(t, sim.Options{})
	e := &applyEnv{s: s, url: srv.URL, token: simtest.Token(t, s, applyTestLocation, true), dir: t.TempDir()}
	e.writeManifest(t, "auto-pilot")
	return e
}

func (e *applyEnv) writeManifest(t *testing.T, mode string) {
	t.Helper()
	body := strings.Replace(applyTestManifest, "MODE", mode, 1)
	if err := os.WriteFile(filepath.Join(e.dir, "loc.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (e *applyEnv) lookupEnv(k string) (string, bool) {
	if k == "HL_TOKEN_CLI" {
		return e.token, true
	}
	return "", false
}

// run runs agentform with args and stdin, returning the exit code and output.
func (e *applyEnv) run(ctx context.Context, stdin string, args ...string) (int, string, string) {
	var stdout, stderr strings.Builder
	code := run(ctx, args, strings.NewReader(stdin), &stdout, &stderr, e.lookupEnv)
	return code, stdout.String(), stderr.String()
}

func (e *applyEnv) noToken(t *testing.T, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		if strings.Contains(o, e.token) {
			t.Fatalf("the token appears in the output")
		}
	}
}

// savePlan plans the manifest folder through the API and saves the plan.
func (e *applyEnv) savePlan(t *testing.T) string {
	t.Helper()
	set, err := spec.Load(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Options{BaseURL: e.url})
	if err != nil {
		t.Fatal(err)
	}
	m, err := (&globals{lookupEnv: func(string) (string, bool) { return "", false }}).manifests(set)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Make(context.Background(), m, func(ctx context.Context, loc *provider.Target) (provider.Session, error) {
		return c.Location(loc.ID, e.token), nil
	}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return writePlanFile(t, p)
}

func writePlanFile(t *testing.T, p *plan.Plan) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := plan.Save(f, p); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestApplyCommandPlansAndApplies(t *testing.T) {
	e := newApplyEnv(t)
	ctx := context.Background()

	code, stdout, stderr := e.run(ctx, "yes\n", "apply", e.dir, "--endpoint", e.url)
	if code != exitError1 || !strings.Contains(stderr, "pass --auto-approve") {
		t.Fatalf("without a terminal: exit %d\n%s%s", code, stdout, stderr)
	}
	if n := len(e.s.AgentsOf(applyTestLocation)); n != 0 {
		t.Fatalf("%d agents created without approval", n)
	}

	report := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr = e.run(ctx, "", "apply", e.dir, "--endpoint", e.url, "--auto-approve", "--report", report)
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "Apply: 2 created, 0 updated, 0 deleted, 0 failed in 1 location\n") {
		t.Errorf("summary missing:\n%s", stdout)
	}
	if !strings.Contains(stderr, "location "+applyTestLocation+": applied 2 changes in ") {
		t.Errorf("progress line missing:\n%s", stderr)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep apply.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	agents := e.s.AgentsOf(applyTestLocation)
	if len(agents) != 1 || len(rep.Targets) != 1 || rep.Targets[0].Steps[0].NewID != agents[0].ID {
		t.Fatalf("report %+v, agents %+v", rep.Targets, agents)
	}
	e.noToken(t, stdout, stderr, string(raw))

	code, stdout, stderr = e.run(ctx, "", "apply", e.dir, "--endpoint", e.url, "--auto-approve")
	if code != exitOK || !strings.Contains(stdout, "No changes to apply.") {
		t.Fatalf("second apply: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestApplyCommandSavedPlan(t *testing.T) {
	ctx := context.Background()
	t.Run("manifests changed since the plan", func(t *testing.T) {
		e := newApplyEnv(t)
		path := e.savePlan(t)
		e.writeManifest(t, "suggestive")
		code, stdout, stderr := e.run(ctx, "", "apply", "--plan", path, e.dir, "--endpoint", e.url, "--auto-approve")
		if code != exitError1 || !strings.Contains(stderr, "was made from other manifests") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if len(e.s.AgentsOf(applyTestLocation)) != 0 {
			t.Errorf("applied a plan of other manifests")
		}
	})
	t.Run("stale location exits 4", func(t *testing.T) {
		e := newApplyEnv(t)
		if code, out, errOut := e.run(ctx, "", "apply", e.dir, "--endpoint", e.url, "--auto-approve"); code != exitOK {
			t.Fatalf("first apply: exit %d\n%s%s", code, out, errOut)
		}
		e.writeManifest(t, "suggestive")
		path := e.savePlan(t)
		// The agent changes by hand after the plan was made.
		c, _ := api.New(api.Options{BaseURL: e.url})
		loc := c.Location(applyTestLocation, e.token)
		live, err := loc.GetAgent(ctx, e.s.AgentsOf(applyTestLocation)[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		live.AgentSettings.Goal = ptrTo("Changed by hand.")
		if _, err := loc.UpdateAgent(ctx, live.ID, live.AgentSettings); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := e.run(ctx, "", "apply", "--plan", path, e.dir, "--endpoint", e.url, "--auto-approve")
		if code != exitStale || !strings.Contains(stdout, `plan is stale: agent "Front Desk"`) {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		e.noToken(t, stdout, stderr)
	})
	t.Run("interrupted exits 1", func(t *testing.T) {
		e := newApplyEnv(t)
		path := e.savePlan(t)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		code, stdout, stderr := e.run(cancelled, "", "apply", "--plan", path, e.dir, "--endpoint", e.url, "--auto-approve")
		if code != exitError1 || !strings.Contains(stderr, "interrupted") || !strings.Contains(stdout, "Apply: 0 created") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		if len(e.s.AgentsOf(applyTestLocation)) != 0 {
			t.Errorf("wrote after the interrupt")
		}
	})
}

func TestApplyCommandSafetyGuard(t *testing.T) {
	// The manifests do not prune; the plan file says the location does and
	// deletes an agent: safety settings come from the manifests.
	dir := t.TempDir()
	manifest := strings.Replace(strings.Replace(applyTestManifest, "MODE", "off", 1), applyTestLocation, "loc1", 1)
	if err := os.WriteFile(filepath.Join(dir, "loc.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := spec.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{FormatVersion: plan.FormatVersion, ManifestDigest: set.Digest, Targets: []plan.TargetPlan{{
		Kind: highlevel.TargetKind, ID: "loc1", TokenEnv: "HL_TOKEN_CLI", Prune: true,
		Changes: []plan.Change{{Op: plan.OpDelete, Kind: highlevel.KindAgent, Key: plan.Key{{Kind: highlevel.KindAgent, Name: "Old"}},
			ID: "a1", Reason: "undeclared"}},
	}}}
	path := writePlanFile(t, p)
	e := &applyEnv{token: "pit-never-used"}
	code, stdout, stderr := e.run(context.Background(), "", "apply", "--plan", path, dir, "--endpoint", "http://127.0.0.1:1", "--auto-approve")
	if code != exitSafety || !strings.Contains(stderr, "prune") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestApplyCommandArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing to apply", []string{"apply"}, "give manifest paths, or a saved plan with --plan FILE"},
		{"bad shard", []string{"apply", "x", "--shard", "5/4"}, `--shard "5/4": want I/N`},
		{"bad parallelism", []string{"apply", "x", "--parallelism", "0"}, "--parallelism 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &applyEnv{token: "unused"}
			dir := t.TempDir()
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if a == "x" {
					args[i] = dir
					if err := os.WriteFile(filepath.Join(dir, "loc.yaml"), []byte(strings.Replace(applyTestManifest, "MODE", "off", 1)), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			code, _, stderr := e.run(context.Background(), "", append(args, "--endpoint", "http://127.0.0.1:1")...)
			if code != exitError1 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d: %s", code, stderr)
			}
		})
	}
}

func TestParseApplyShard(t *testing.T) {
	tests := []struct {
		in           string
		index, count int
		ok           bool
	}{
		{"", 0, 0, true}, {"1/4", 0, 4, true}, {"4/4", 3, 4, true},
		{"0/4", 0, 0, false}, {"5/4", 0, 0, false}, {"a/b", 0, 0, false}, {"2", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			i, n, err := parseShard(tt.in)
			if (err == nil) != tt.ok || (tt.ok && (i != tt.index || n != tt.count)) {
				t.Fatalf("parseShard(%q) = %d, %d, %v", tt.in, i, n, err)
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }
