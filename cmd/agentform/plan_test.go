package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/sim"
)

// planSandbox starts an in-process sandbox and returns it with its URL.
func planSandbox(t *testing.T) (*sim.Server, string) {
	t.Helper()
	s, err := sim.New(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts.URL
}

func mint(t *testing.T, s *sim.Server, loc string, scopes ...string) string {
	t.Helper()
	tok, err := s.MintToken(loc, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// writeManifest writes one Location manifest into dir.
func writeManifest(t *testing.T, dir, file, id, tokenEnv string, prune bool, agents ...string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("apiVersion: agentform/v1\nkind: Location\nlocation:\n  id: " + id + "\n  tokenEnv: " + tokenEnv + "\n")
	if prune {
		b.WriteString("prune: true\n")
	}
	b.WriteString("agents:\n")
	for _, a := range agents {
		b.WriteString("  - name: " + a + "\n    mode: suggestive\n    personality: Kind.\n    goal: Help.\n    instructions: Answer.\n")
	}
	if err := os.WriteFile(filepath.Join(dir, file), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

type cliResult struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, env map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, lookup)
	return cliResult{code, out.String(), errb.String()}
}

func TestPlanCommand(t *testing.T) {
	s, url := planSandbox(t)
	dir := t.TempDir()
	writeManifest(t, dir, "a.yaml", "locA", "TOKEN_A", true, "Desk", "Sales")
	writeManifest(t, dir, "b.yaml", "locB", "TOKEN_B", false, "Desk")
	writeManifest(t, dir, "c.yaml", "locC", "TOKEN_C", false, "Desk")
	// locA has two live agents no manifest declares: prune deletes them.
	w, err := api.New(api.Options{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	wl := w.Location("locA", mint(t, s, "locA", sim.ScopeReadonly, sim.ScopeWrite))
	for _, n := range []string{"Old 1", "Old 2"} {
		p, g, i := "x", "y", "z"
		if _, err := wl.CreateAgent(context.Background(), api.AgentSettings{Name: n, Personality: &p, Goal: &g, Instructions: &i}); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{
		"TOKEN_A": mint(t, s, "locA", sim.ScopeReadonly),
		"TOKEN_B": mint(t, s, "locB", sim.ScopeReadonly),
		"TOKEN_C": mint(t, s, "locC", sim.ScopeReadonly),
	}
	// locA's prune deletes both its live agents, the primary one included:
	// refused by default (see "mass delete refused by default").
	base := []string{"plan", dir, "--endpoint", url, "--force-deletes"}
	noLeak := func(t *testing.T, texts ...string) {
		t.Helper()
		for _, txt := range texts {
			for k, tok := range env {
				if strings.Contains(txt, tok) {
					t.Fatalf("the token of %s leaked into the output", k)
				}
			}
		}
	}

	t.Run("text plan, saved, no token anywhere", func(t *testing.T) {
		s.ResetAudit()
		out := filepath.Join(t.TempDir(), "plan.json")
		r := runCLI(t, env, append(base, "--out", out)...)
		if r.code != exitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if last := lines[len(lines)-1]; last != "Plan: 4 to create, 0 to update, 2 to delete across 3 of 3 locations." {
			t.Fatalf("last line %q\n%s", last, r.stdout)
		}
		saved, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		noLeak(t, r.stdout, r.stderr, string(saved))
		if err := plan.CheckSchema(saved); err != nil {
			t.Fatalf("the saved plan does not meet schemas/plan.schema.json: %v", err)
		}
		if !strings.Contains(string(saved), `"tokenEnv": "TOKEN_A"`) {
			t.Fatal("plan file must name the token variable")
		}
		for _, e := range s.Audit() {
			if e.Method != "GET" {
				t.Fatalf("plan sent %s %s", e.Method, e.Path)
			}
		}
	})
	t.Run("detailed exit code", func(t *testing.T) {
		r := runCLI(t, env, append(base, "--detailed-exitcode", "--format", "json")...)
		if r.code != exitChanges {
			t.Fatalf("exit %d, want %d: %s", r.code, exitChanges, r.stderr)
		}
		if err := plan.CheckSchema([]byte(r.stdout)); err != nil {
			t.Fatalf("plan --format json does not meet schemas/plan.schema.json: %v", err)
		}
	})
	t.Run("failing location still plans the others", func(t *testing.T) {
		partial := map[string]string{"TOKEN_A": env["TOKEN_A"], "TOKEN_B": env["TOKEN_B"]}
		r := runCLI(t, partial, base...)
		if r.code != exitError1 || !strings.Contains(r.stdout, "TOKEN_C is not set") || !strings.Contains(r.stdout, `create agent "Desk"`) {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		noLeak(t, r.stdout, r.stderr)
	})
	t.Run("mass delete refused by default", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "plan.json")
		r := runCLI(t, env, "plan", dir, "--endpoint", url, "--out", out)
		want := `location locA: deleting 2 of its 2 live agents: more than a third, and its last one, and an essential agent: "Old 1" (the location's primary agent) is refused by default`
		if r.code != exitSafety || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "--force-deletes") {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a refused plan was saved")
		}
	})
	t.Run("max deletes 0 means none", func(t *testing.T) {
		r := runCLI(t, env, append(base, "--max-deletes", "0")...)
		if r.code != exitSafety || !strings.Contains(r.stderr, "too many deletes, 2 is over 0 across the plan (2 to delete, 0 to replace)") ||
			!strings.Contains(r.stdout, "2 to delete") {
			t.Fatalf("exit %d: %s\n%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("safety guard exits 3", func(t *testing.T) {
		r := runCLI(t, env, append(base, "--max-deletes", "1")...)
		if r.code != exitSafety || !strings.Contains(r.stderr, "too many deletes, 2 is over 1") {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
	})
	t.Run("location filter and markdown", func(t *testing.T) {
		r := runCLI(t, env, append(base, "--location", "locB", "--format", "markdown")...)
		if r.code != exitOK || !strings.Contains(r.stdout, "<details>") || strings.Contains(r.stdout, "locA") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("bad flags", func(t *testing.T) {
		for _, args := range [][]string{{"--shard", "0/4"}, {"--shard", "5/4"}, {"--format", "yaml"}} {
			if r := runCLI(t, env, append(base, args...)...); r.code != exitError1 {
				t.Errorf("%v: exit %d", args, r.code)
			}
		}
	})
	t.Run("show merges shard plans", func(t *testing.T) {
		tmp := t.TempDir()
		var files []string
		for i := 1; i <= 3; i++ {
			f := filepath.Join(tmp, "shard"+string(rune('0'+i))+".json")
			if r := runCLI(t, env, append(base, "--shard", string(rune('0'+i))+"/3", "--out", f)...); r.code != exitOK {
				t.Fatalf("shard %d: exit %d: %s", i, r.code, r.stderr)
			}
			files = append(files, f)
		}
		r := runCLI(t, env, append([]string{"show"}, files...)...)
		if r.code != exitOK || !strings.HasSuffix(r.stdout, "Plan: 4 to create, 0 to update, 2 to delete across 3 of 3 locations.\n") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		r = runCLI(t, env, "show", files[0], files[0])
		if r.code != exitError1 || !strings.Contains(r.stderr, "shard 1/3 is given twice") {
			t.Fatalf("overlap: exit %d: %s", r.code, r.stderr)
		}
		r = runCLI(t, env, "show", files[0], files[1])
		if r.code != exitError1 || !strings.Contains(r.stderr, "shard 3/3 missing") {
			t.Fatalf("missing shard: exit %d: %s", r.code, r.stderr)
		}
	})
}

func TestShowRefusesUnknownVersion(t *testing.T) {
	f := filepath.Join(t.TempDir(), "p.json")
	if err := os.WriteFile(f, []byte(`{"formatVersion": 99}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "show", f)
	if r.code != exitError1 || !strings.Contains(r.stderr, "format version 99") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

// writeDeskManifest writes a Location manifest with an agent "Desk" in mode
// mode, plus the extra agents (mode suggestive), into a new folder under
// root and returns the folder.
func writeDeskManifest(t *testing.T, root, name, mode string, extra ...string) string {
	t.Helper()
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeManifest(t, dir, "loc.yaml", "locDrift", "TOKEN_DRIFT", false, append([]string{"Desk"}, extra...)...)
	path := filepath.Join(dir, "loc.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The first agent is Desk: give it the mode asked for.
	body := strings.Replace(string(b), "mode: suggestive", "mode: "+mode, 1)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPlanBaselineLabelsDrift(t *testing.T) {
	root := t.TempDir()
	state := filepath.Join(root, "sandbox.json")
	sandbox := "--sandbox=" + state
	base := writeDeskManifest(t, root, "base", "suggestive")    // what main declares, and applied
	byHand := writeDeskManifest(t, root, "hand", "off")         // someone changes the mode outside the PR
	pr := writeDeskManifest(t, root, "pr", "suggestive", "New") // the PR adds an agent, keeps the mode
	for _, dir := range []string{base, byHand} {
		if r := runCLI(t, nil, "apply", sandbox, "--auto-approve", dir); r.code != exitOK {
			t.Fatalf("apply %s: exit %d: %s%s", dir, r.code, r.stdout, r.stderr)
		}
	}

	t.Run("text labels drift apart from intended change", func(t *testing.T) {
		r := runCLI(t, nil, "plan", sandbox, pr, "--baseline", base)
		if r.code != exitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		for _, want := range []string{
			`~ update agent "Desk"`, `(drift: changed outside agentform)`,
			`~ mode (drift): "off" → "suggestive"`,
			"\n  + create agent \"New\"\n", // intended: no drift note
			"Drift: 1 change undoes an edit made outside agentform.\nPlan: 1 to create, 1 to update, 0 to delete across 1 of 1 locations.\n",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("output lacks %q:\n%s", want, r.stdout)
			}
		}
	})
	t.Run("json carries the marks", func(t *testing.T) {
		r := runCLI(t, nil, "plan", sandbox, pr, "--baseline", base, "--format", "json")
		if r.code != exitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var p plan.Plan
		if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, c := range p.Targets[0].Changes {
			got[string(c.Op)+" "+c.TopName()] = c.Drift
			if c.Op == plan.OpUpdate && (len(c.Diffs) != 1 || !c.Diffs[0].Drift) {
				t.Errorf("update diffs %+v: want mode marked drift", c.Diffs)
			}
		}
		if want := map[string]bool{"update Desk": true, "create New": false}; !reflect.DeepEqual(got, want) || !p.Baseline {
			t.Fatalf("drift by change %v (baseline %v), want %v", got, p.Baseline, want)
		}
	})
	t.Run("markdown has a drift column", func(t *testing.T) {
		r := runCLI(t, nil, "plan", sandbox, pr, "--baseline", base, "--format", "markdown")
		if r.code != exitOK || !strings.Contains(r.stdout, "| Create | Update | Replace | Delete | Drift |") ||
			!strings.Contains(r.stdout, "| 1 | 1 | 0 | 0 | 1 |") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("without a baseline nothing is drift", func(t *testing.T) {
		r := runCLI(t, nil, "plan", sandbox, pr)
		if r.code != exitOK || strings.Contains(r.stdout, "(drift") || strings.Contains(r.stdout, "Drift:") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("a baseline that does not load only warns", func(t *testing.T) {
		// A broken base branch must not block the pull request fixing it.
		r := runCLI(t, nil, "plan", sandbox, pr, "--baseline", filepath.Join(root, "missing"))
		if r.code != exitOK || !strings.Contains(r.stderr, "cannot be loaded (1 problem in the manifests); planning without drift labels") ||
			strings.Contains(r.stdout, "drift") {
			t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
		}
	})
}
