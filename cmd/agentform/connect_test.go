package main

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"
)

func TestTokenFor(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	jwtOf := func(loc string) string {
		return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{"authClass":"Location","authClassId":"`+loc+`"}`)) + ".c2ln"
	}
	const secret = "pit-4f3c2a1b-9d8e-4c7f-a6b5-1e2d3c4b5a69"
	env := map[string]string{
		"PLAIN":     secret,
		"NEWLINE":   "pit-11111111-2222-3333-4444-555555555555\n",
		"BEARER":    "Bearer " + secret,
		"INNER":     "pit-1111 2222",
		"JWT_OK":    jwtOf("locA"),
		"JWT_OTHER": jwtOf("locB"),
		"SHARED":    secret,
		"EMPTY":     "",
	}
	type call struct{ loc, env, wantErr, wantToken string }
	tests := []struct {
		name  string
		calls []call
	}{
		{"plain", []call{{"locA", "PLAIN", "", secret}}},
		{"trailing newline trimmed", []call{{"locA", "NEWLINE", "", "pit-11111111-2222-3333-4444-555555555555"}}},
		{"missing", []call{{"locA", "NOPE", "NOPE is not set", ""}}},
		{"empty", []call{{"locA", "EMPTY", "EMPTY is not set", ""}}},
		{"bearer prefix", []call{{"locA", "BEARER", `BEARER starts with "Bearer "`, ""}}},
		{"inner white space", []call{{"locA", "INNER", "white space", ""}}},
		{"jwt of the location", []call{{"locA", "JWT_OK", "", jwtOf("locA")}}},
		{"jwt of another location", []call{{"locA", "JWT_OTHER", "belongs to location locB, not locA", ""}}},
		{"same token, same location twice", []call{{"locA", "PLAIN", "", secret}, {"locA", "SHARED", "", secret}}},
		{"same token, two locations", []call{{"locA", "PLAIN", "", secret}, {"locB", "SHARED", "SHARED holds the same token as PLAIN of location locA", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &globals{lookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
			for _, c := range tt.calls {
				tok, err := g.tokenFor(c.loc, c.env)
				if c.wantErr == "" {
					if err != nil || tok != c.wantToken {
						t.Fatalf("tokenFor(%s, %s) = %q, %v; want the token", c.loc, c.env, tok, err)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("tokenFor(%s, %s) error = %v; want %q", c.loc, c.env, err, c.wantErr)
				}
				for _, v := range env {
					if v != "" && strings.Contains(err.Error(), strings.TrimSpace(v)) {
						t.Fatalf("error %q shows a token", err)
					}
				}
			}
		})
	}
}

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
