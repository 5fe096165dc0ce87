package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runValidate runs the CLI with no environment at all: validate must need
// neither a token nor the network.
func runValidate(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	noEnv := func(string) (string, bool) { return "", false }
	code = run(context.Background(), append([]string{"validate"}, args...), strings.NewReader(""), &out, &errOut, noEnv)
	return code, out.String(), errOut.String()
}

const validateBad = `apiVersion: agentform/v1
kind: Location
location: {id: loc1}
agents:
  - name: A
    personality: p
    goal: g
    instructions: i
    mode: autopilot
    waitTime: 9
    waitTimeUnit: minutes
`

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(validateBad), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"invalid text", []string{"bad.yaml"}, 1,
			"bad.yaml:9:11: agents[0].mode: must be one of off, suggestive, auto-pilot (got \"autopilot\")\n" +
				"bad.yaml:10:15: agents[0].waitTime: must be at most 5 when waitTimeUnit is minutes (got 9)\n",
			"2 errors\n"},
		{"missing file", []string{"nope.yaml"}, 1, "nope.yaml: no such file or directory\n", "1 error\n"},
		{"unknown format", []string{"--format", "xml", "bad.yaml"}, 1, "", "Error: --format \"xml\": want text or json\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runValidate(t, tt.args...)
			if code != tt.wantCode || stdout != tt.wantStdout || stderr != tt.wantStderr {
				t.Errorf("validate %v:\n code %d, want %d\n stdout %q\n  want  %q\n stderr %q\n  want  %q",
					tt.args, code, tt.wantCode, stdout, tt.wantStdout, stderr, tt.wantStderr)
			}
		})
	}
}

func TestValidateExamples(t *testing.T) {
	code, stdout, stderr := runValidate(t, filepath.Join("..", "..", "examples", "locations"))
	if code != exitOK {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.HasSuffix(stdout, " actions: valid\n") || !strings.HasPrefix(stdout, "5 locations, ") {
		t.Errorf("stdout = %q, want \"5 locations, N agents, M actions: valid\"", stdout)
	}
}

func TestValidateJSON(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(validateBad), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		wantCode  int
		wantValid bool
		wantErrs  []validateError
	}{
		{"invalid", bad, 1, false, []validateError{
			{File: bad, Line: 9, Col: 11, Path: "agents[0].mode", Message: `must be one of off, suggestive, auto-pilot (got "autopilot")`},
			{File: bad, Line: 10, Col: 15, Path: "agents[0].waitTime", Message: "must be at most 5 when waitTimeUnit is minutes (got 9)"},
		}},
		{"valid", filepath.Join("..", "..", "examples", "locations"), 0, true, []validateError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runValidate(t, "--format", "json", tt.path)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.wantCode, stderr)
			}
			var got validateReport
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if got.Valid != tt.wantValid || len(got.Errors) != len(tt.wantErrs) {
				t.Fatalf("report = %+v", got)
			}
			for i := range tt.wantErrs {
				if got.Errors[i] != tt.wantErrs[i] {
					t.Errorf("errors[%d] = %+v, want %+v", i, got.Errors[i], tt.wantErrs[i])
				}
			}
			if tt.wantValid && (got.Locations != 5 || got.Agents == 0 || got.Actions == 0) {
				t.Errorf("counts = %d locations, %d agents, %d actions", got.Locations, got.Agents, got.Actions)
			}
		})
	}
}
