package spec

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// TestDiagnosticsNeverEchoTokens puts token-shaped values in fields whose
// problems quote them (patterns, enums, unknown keys, variables, names,
// bases, references) and checks that no diagnostic, in text or as JSON,
// repeats them, while each is still reported as a literal token.
func TestDiagnosticsNeverEchoTokens(t *testing.T) {
	const (
		pit    = "pit-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
		jwt    = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
		bearer = "Bearer abcdefghijklmnopqrstuvwxyz0123"
	)
	manifest := `apiVersion: agentform/v1
kind: Location
location:
  id: ` + pit + `
  tokenEnv: ` + jwt + `
  name: "` + bearer + `"
` + pit + `: 1
agents:
  - name: ` + jwt + `
    mode: ` + pit + `
    businessName: ${` + pit + `}
    base: ` + jwt + `
    followup: {actions: [` + pit + `]}
    actions:
      - name: T
        type: transferBot
        details: {transferBotType: Default, transferToBot: ` + jwt + `x, enabled: true}
  - name: ` + jwt + `
    waitTime: "` + pit + `"
`
	_, err := LoadFS(fstest.MapFS{"loc.yaml": {Data: []byte(manifest)}}, "loc.yaml")
	var ds Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("LoadFS = %v, want Diagnostics", err)
	}
	asJSON, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	text := ds.String()
	for _, secret := range []string{pit, jwt, "abcdefghijklmnopqrstuvwxyz0123", "pit-0a1b", "eyJzdWIiOiIxIn0"} {
		if strings.Contains(text, secret) || strings.Contains(string(asJSON), secret) {
			t.Errorf("diagnostics repeat %q:\n%s", secret, text)
		}
	}
	if !strings.Contains(text, redacted) {
		t.Errorf("no diagnostic shows %s; the test no longer exercises redaction:\n%s", redacted, text)
	}
	// Every token-shaped value and key is still reported as a token.
	tokenLines := strings.Count(text, "looks like a literal access token")
	if tokenLines < 12 {
		t.Errorf("%d token diagnostics, want at least 12:\n%s", tokenLines, text)
	}
	for _, want := range []string{"duplicate agent name", "unknown base", "no action named", "no agent named", "location.id:", "location.tokenEnv:", "unknown field", "invalid variable reference", "agents[0].mode:"} {
		if !strings.Contains(text, want) {
			t.Errorf("no diagnostic mentions %q:\n%s", want, text)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"got \"pit-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\"", `got "[REDACTED]"`},
		{"agents[0].PIT-0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D.x", "agents[0].[REDACTED].x"},
		{"a eyJa1.eyJb2.sig b", "a [REDACTED] b"},
		{"bearer abcdefghijklmnopq", redacted},
		{"plain text, pit-stop, eyJ", "plain text, pit-stop, eyJ"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := redact(tt.in); got != tt.want {
				t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
