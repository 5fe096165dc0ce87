package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/spec"
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
		{"unknown format", []string{"--format", "xml", "bad.yaml"}, 1, "", "Error: --format \"xml\": want text, json or github\n"},
		{"invalid github", []string{"--format", "github", "bad.yaml"}, 1,
			"::error file=bad.yaml,line=9,col=11::agents[0].mode: must be one of off, suggestive, auto-pilot (got \"autopilot\")\n" +
				"::error file=bad.yaml,line=10,col=15::agents[0].waitTime: must be at most 5 when waitTimeUnit is minutes (got 9)\n",
			"2 errors\n"},
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

func TestValidateWarnings(t *testing.T) {
	dir := t.TempDir()
	const doc = "apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc1}\nvars: {spare: x}\n"
	if err := os.WriteFile(filepath.Join(dir, "loc.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, _ := runValidate(t, "loc.yaml")
	want := "loc.yaml:4:8: warning: vars.spare: variable spare is declared but never used\n1 location, 0 agents, 0 actions: valid\n"
	if code != exitOK || stdout != want {
		t.Errorf("exit %d, stdout %q; want 0 and %q", code, stdout, want)
	}
	code, stdout, _ = runValidate(t, "--format", "json", "loc.yaml")
	var got validateReport
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v: %s", code, err, stdout)
	}
	wantW := validateError{File: "loc.yaml", Line: 4, Col: 8, Path: "vars.spare", Message: "variable spare is declared but never used"}
	if !got.Valid || len(got.Warnings) != 1 || got.Warnings[0] != wantW {
		t.Errorf("report = %+v, want valid with warning %+v", got, wantW)
	}
}

func TestWorkflowCommandEscaping(t *testing.T) {
	tests := []struct {
		name  string
		level string
		d     spec.Diagnostic
		want  string
	}{
		{"plain", "error", spec.Diagnostic{Pos: spec.Pos{File: "a.yaml", Line: 3, Col: 7}, Path: "agents[0].mode", Message: "bad"},
			"::error file=a.yaml,line=3,col=7::agents[0].mode: bad"},
		{"no line", "error", spec.Diagnostic{Pos: spec.Pos{File: "a.yaml"}, Message: "no such file or directory"},
			"::error file=a.yaml::no such file or directory"},
		{"file name with colon, comma, percent and newline", "warning",
			spec.Diagnostic{Pos: spec.Pos{File: "c:/x,y%z\n.yaml", Line: 1, Col: 2}, Message: "m"},
			"::warning file=c%3A/x%2Cy%25z%0A.yaml,line=1,col=2::m"},
		{"message that tries to end the command", "error",
			spec.Diagnostic{Pos: spec.Pos{File: "a.yaml", Line: 1, Col: 1}, Message: "50% off\r\n::error file=evil::injected, a: b"},
			"::error file=a.yaml,line=1,col=1::50%25 off%0D%0A::error file=evil::injected, a: b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := workflowCommand(tt.level, tt.d); got != tt.want {
				t.Errorf("workflowCommand = %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestValidateGitHubWarnings(t *testing.T) {
	dir := t.TempDir()
	const doc = "apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc1}\nvars: {spare: x}\n"
	if err := os.WriteFile(filepath.Join(dir, "loc.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, stdout, _ := runValidate(t, "--format", "github", "loc.yaml")
	want := "::warning file=loc.yaml,line=4,col=8::vars.spare: variable spare is declared but never used\n1 location, 0 agents, 0 actions: valid\n"
	if code != exitOK || stdout != want {
		t.Errorf("exit %d, stdout %q; want 0 and %q", code, stdout, want)
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

func TestValidateKrosAI(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"account", []string{filepath.Join("..", "..", "examples", "krosai")}, "1 KrosAI account, 2 voice agents, 1 knowledge base: valid\n"},
		{"mixed", []string{filepath.Join("..", "..", "examples", "locations"), filepath.Join("..", "..", "examples", "krosai")}, ", 1 KrosAI account, 2 voice agents, 1 knowledge base: valid\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runValidate(t, tt.paths...)
			if code != exitOK || !strings.HasSuffix(stdout, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and ...%q", code, stdout, stderr, tt.want)
			}
		})
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

// TestValidateHostileFiles: a FIFO, a link to /dev/zero, a link leaving the
// tree and an over-size file each end validate within 5 seconds with exit 1
// and a message naming the file, never echoing what lies outside the tree.
func TestValidateHostileFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("FIFOs and /dev/zero are Unix features")
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, tree string)
		want  string
	}{
		{"FIFO", func(t *testing.T, tree string) {
			if out, err := exec.Command("mkfifo", filepath.Join(tree, "pipe.yaml")).CombinedOutput(); err != nil {
				t.Skipf("mkfifo: %v %s", err, out)
			}
		}, "tree/pipe.yaml: is a named pipe (FIFO), not a regular file"},
		{"link to /dev/zero", func(t *testing.T, tree string) {
			if err := os.Symlink("/dev/zero", filepath.Join(tree, "evil.yaml")); err != nil {
				t.Fatal(err)
			}
		}, "tree/evil.yaml: is a symbolic link leading outside the folders being loaded"},
		{"link leaving the tree", func(t *testing.T, tree string) {
			outside := filepath.Join(filepath.Dir(tree), "secret.yaml")
			if err := os.WriteFile(outside, []byte("token: SECRETCONTENT\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, filepath.Join(tree, "evil.yaml")); err != nil {
				t.Fatal(err)
			}
		}, "tree/evil.yaml: is a symbolic link leading outside the folders being loaded"},
		{"over-size file", func(t *testing.T, tree string) {
			big := bytes.Repeat([]byte("# padding\n"), 500_000)
			if err := os.WriteFile(filepath.Join(tree, "big.yaml"), big, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "tree/big.yaml: file is larger than 4 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tree := filepath.Join(root, "tree")
			if err := os.Mkdir(tree, 0o755); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, tree)
			t.Chdir(root)
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			go func() {
				code, stdout, stderr := runValidate(t, "tree")
				done <- result{code, stdout, stderr}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("validate still running after 5s")
			}
			if r.code != exitError1 || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("exit %d, stdout %q; want exit 1 and %q", r.code, r.stdout, tt.want)
			}
			if strings.Contains(r.stdout+r.stderr, "SECRETCONTENT") {
				t.Errorf("output echoes a file outside the tree: %s", r.stdout)
			}
		})
	}
}
