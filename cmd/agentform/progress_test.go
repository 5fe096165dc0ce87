package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/pkg/sim"
)

// runOnTerminal runs the CLI as run does, with stdout and stderr taken for
// terminals.
func runOnTerminal(t *testing.T, env map[string]string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	secrets := redact.New()
	o, e := redact.NewWriter(&out, secrets), redact.NewWriter(&errb, secrets)
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	g := &globals{stdin: strings.NewReader(""), stdout: o, stderr: e, lookupEnv: lookup, secrets: secrets,
		tty: terminals{stdout: true, stderr: true}}
	root := newRootCmd(g)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if cerr := g.closeSandbox(); cerr != nil && err == nil {
		err = cerr
	}
	o.Flush()
	e.Flush()
	code := exitOK
	if err != nil {
		code = exitError1
		if ec, ok := err.(*exitError); ok {
			code = ec.code
		}
	}
	return cliResult{code, out.String(), errb.String()}
}

func TestPlanProgressAndColourOnATerminal(t *testing.T) {
	s, url := planSandbox(t)
	dir := t.TempDir()
	writeManifest(t, dir, "a.yaml", "locA", "TOKEN_A", false, "Desk")
	writeManifest(t, dir, "b.yaml", "locB", "TOKEN_B", false, "Desk")
	env := map[string]string{"TOKEN_A": mint(t, s, "locA", sim.ScopeReadonly), "TOKEN_B": mint(t, s, "locB", sim.ScopeReadonly)}
	args := []string{"plan", dir, "--endpoint", url}

	r := runOnTerminal(t, env, args...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// The meter is drawn (at least its last count), then erased; the
	// redacting writer passes each redraw on as it comes.
	if !strings.Contains(r.stderr, "[2/2] locations, ") || !strings.HasSuffix(r.stderr, "\x1b[2K\r") {
		t.Errorf("stderr %q: want the progress line, erased at the end", r.stderr)
	}
	if !strings.Contains(r.stdout, "\x1b[32m+ create agent \"Desk\"") || !strings.Contains(r.stdout, "    \x1b[32m+ goal ") {
		t.Errorf("stdout is not coloured by change symbol:\n%q", r.stdout)
	}

	for name, run := range map[string]func() cliResult{
		"NO_COLOR": func() cliResult {
			return runOnTerminal(t, map[string]string{"TOKEN_A": env["TOKEN_A"], "TOKEN_B": env["TOKEN_B"], "NO_COLOR": "1"}, args...)
		},
		"--no-color": func() cliResult { return runOnTerminal(t, env, append(args, "--no-color")...) },
	} {
		t.Run(name, func(t *testing.T) {
			r := run()
			if r.code != exitOK || strings.Contains(r.stdout, "\x1b[") {
				t.Fatalf("exit %d, colours in stdout:\n%q", r.code, r.stdout)
			}
		})
	}
}

func TestApplyListsOnlyLocationsWhereSomethingHappened(t *testing.T) {
	s, url := planSandbox(t)
	dir := t.TempDir()
	writeManifest(t, dir, "a.yaml", "locA", "TOKEN_A", false, "Desk")
	writeManifest(t, dir, "b.yaml", "locB", "TOKEN_B", false, "Desk")
	env := map[string]string{
		"TOKEN_A": mint(t, s, "locA", sim.ScopeReadonly, sim.ScopeWrite),
		"TOKEN_B": mint(t, s, "locB", sim.ScopeReadonly, sim.ScopeWrite),
	}
	// locB first: its agent exists when both are applied.
	if r := runCLI(t, env, "apply", dir, "--endpoint", url, "--auto-approve", "--location", "locB"); r.code != exitOK {
		t.Fatalf("apply locB: exit %d: %s", r.code, r.stderr)
	}
	r := runCLI(t, env, "apply", dir, "--endpoint", url, "--auto-approve")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "location locA: applied 1 change in ") || strings.Contains(r.stderr, "locB") {
		t.Errorf("CI log: want a line for locA only:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, "1 location had nothing to apply.\n") || strings.Contains(r.stdout, "location locB") {
		t.Errorf("report: want locB counted, not listed:\n%s", r.stdout)
	}
}
