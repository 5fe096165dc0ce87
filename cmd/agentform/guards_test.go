package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/sim"
)

// TestWrongTokenWithPrune is issue 13's scenario: Glow's token sits in
// Acme's variable, and Acme's manifest prunes. Plan would show Glow's live
// agents as Acme's unmanaged ones and apply would delete them; the default
// mass-delete guard stops it with exit 3 and nothing written. With id pins
// (what export writes), the location fails before anything is read or
// written, saying the credential opens another location.
func TestWrongTokenWithPrune(t *testing.T) {
	s, url := planSandbox(t)
	c, err := api.New(api.Options{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	create := func(loc string, names ...string) []string {
		l := c.Location(loc, mint(t, s, loc, sim.LocationScopes(true)...))
		var ids []string
		for _, n := range names {
			p, g, i := "x", "y", "z"
			a, err := l.CreateAgent(ctx, api.AgentSettings{Name: n, Personality: &p, Goal: &g, Instructions: &i})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		return ids
	}
	acme := create("locAcme", "Front Desk", "Billing")
	create("locGlow", "Concierge", "Aftercare")
	glowToken := mint(t, s, "locGlow", sim.LocationScopes(true)...)
	env := map[string]string{"HL_TOKEN_ACME": glowToken} // the mistake

	writes := func() int {
		n := 0
		for _, e := range s.Audit() {
			if e.Method != "GET" {
				n++
			}
		}
		return n
	}
	manifest := func(t *testing.T, pins []string) string {
		dir := t.TempDir()
		var b strings.Builder
		b.WriteString("apiVersion: agentform/v1\nkind: Location\nlocation: {id: locAcme, tokenEnv: HL_TOKEN_ACME}\nprune: true\nagents:\n")
		for i, n := range []string{"Front Desk", "Billing"} {
			b.WriteString("  - name: " + n + "\n    mode: suggestive\n    personality: x\n    goal: y\n    instructions: z\n")
			if pins != nil {
				b.WriteString("    id: " + pins[i] + "\n")
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "acme.yaml"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}

	t.Run("without pins the mass-delete guard stops apply", func(t *testing.T) {
		dir := manifest(t, nil)
		s.ResetAudit()
		r := runCLI(t, env, "apply", dir, "--endpoint", url, "--auto-approve")
		want := "location locAcme: deleting 2 of its 2 live agents: more than a third, and its last one"
		if r.code != exitSafety || !strings.Contains(r.stderr, want) {
			t.Fatalf("exit %d, want %d with %q:\n%s\n%s", r.code, exitSafety, want, r.stdout, r.stderr)
		}
		if n := writes(); n != 0 {
			t.Fatalf("%d write requests reached the sandbox", n)
		}
	})
	t.Run("with pins the location fails before anything is written", func(t *testing.T) {
		dir := manifest(t, acme)
		s.ResetAudit()
		r := runCLI(t, env, "apply", dir, "--endpoint", url, "--auto-approve")
		want := "belongs to another location: the credential (HL_TOKEN_ACME) opens a different location than locAcme"
		if r.code != exitError1 || !strings.Contains(r.stdout, want) {
			t.Fatalf("exit %d, want %d with %q:\n%s\n%s", r.code, exitError1, want, r.stdout, r.stderr)
		}
		if n := writes(); n != 0 {
			t.Fatalf("%d write requests reached the sandbox", n)
		}
	})
}
