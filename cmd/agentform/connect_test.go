package main

import (
	"os"
	"strings"
	"testing"
)

// TestPlanRefusesSharedToken: two locations whose variables hold one token
// would plan one location's manifest against the other's agents.
func TestPlanRefusesSharedToken(t *testing.T) {
	s, url := planSandbox(t)
	dir := t.TempDir()
	writeManifest(t, dir, "a.yaml", "locA", "TOKEN_A", false, "Desk")
	writeManifest(t, dir, "b.yaml", "locB", "TOKEN_B", false, "Desk")
	tok := mint(t, s, "locA", "conversation-ai.readonly")
	env := map[string]string{"TOKEN_A": tok, "TOKEN_B": tok}
	for _, args := range [][]string{
		{"plan", "--endpoint", url, dir},
		{"apply", "--auto-approve", "--endpoint", url, dir},
	} {
		t.Run(args[0], func(t *testing.T) {
			r := runCLI(t, env, args...)
			out := r.stdout + r.stderr
			// Both locations are refused: refusing only the second would let
			// the first read (and apply write) the other location's agents.
			if r.code != 1 || strings.Count(out, "one token serves TOKEN_A (location locA), TOKEN_B (location locB)") < 2 {
				t.Fatalf("exit %d; want 1 and both locations refused\n%s", r.code, out)
			}
			if strings.Contains(out, tok) {
				t.Fatal("output shows the token")
			}
		})
	}
	if n := len(s.AgentsOf("locA")); n != 0 {
		t.Fatalf("apply wrote %d agents with a shared token", n)
	}
	r := runCLI(t, map[string]string{"HIGHLEVEL_TOKEN": tok}, "export", "--endpoint", url, "--location", "locA", "--location", "locB", "--out", t.TempDir())
	if r.code != 1 || !strings.Contains(r.stderr, "export one location per run") {
		t.Fatalf("export of two locations with one token: exit %d\n%s", r.code, r.stderr)
	}
}

func TestIsTerminal(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	// /dev/null is a character device but not a terminal: apply must not
	// prompt on it.
	for name, v := range map[string]any{"/dev/null": devNull, "buffer": &strings.Builder{}, "nil": nil} {
		if isTerminal(v) {
			t.Errorf("%s taken for a terminal", name)
		}
	}
}
