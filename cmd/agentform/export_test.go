package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/spec"
)

// TestExportRoundTrip applies the examples to a sandbox, exports every
// location and plans the exported manifests: the plan must show no changes
// and the export must pass validate.
func TestExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.json")
	sandbox := "--sandbox=" + state
	env := map[string]string{}

	if r := runCLI(t, env, "apply", sandbox, "--auto-approve", "../../examples/locations"); r.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	set, err := spec.Load("../../examples/locations")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, loc := range set.Locations {
		lines = append(lines, loc.ID+" "+loc.TokenEnv)
	}
	list := filepath.Join(dir, "fleet.txt")
	if err := os.WriteFile(list, []byte("# fleet\n"+strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "exported")
	if r := runCLI(t, env, "export", sandbox, "--locations-file", list, "--out", out); r.code != 0 {
		t.Fatalf("export: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.yaml"))
	if len(files) != len(set.Locations) {
		t.Fatalf("exported %d files, want %d", len(files), len(set.Locations))
	}
	first, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(first), "# yaml-language-server: $schema=") {
		t.Errorf("export lacks the schema comment:\n%.200s", first)
	}
	if r := runCLI(t, env, "validate", out); r.code != 0 {
		t.Fatalf("validate exported: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r := runCLI(t, env, "plan", sandbox, "--detailed-exitcode", out)
	if r.code != 0 {
		t.Fatalf("plan of exported manifests: exit %d, want 0 (no changes)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestExportErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no location", []string{"export", "--sandbox=" + filepath.Join(t.TempDir(), "s.json")}, nil, "name at least one location"},
		{"many need out", []string{"export", "--sandbox=" + filepath.Join(t.TempDir(), "s.json"), "--location", "a", "--location", "b"}, nil, "needs --out"},
		{"bad token env", []string{"export", "--location", "a", "--token-env", "not-a-name"}, nil, "must name an environment variable"},
		{"token passed as token env", []string{"export", "--location", "a", "--token-env", "pit-4f3c2a1b-9d8e-4c7f-a6b5-1e2d3c4b5a69"}, nil, "not hold the token itself"},
		{"token missing", []string{"export", "--location", "a", "--endpoint", "http://127.0.0.1:1"}, map[string]string{}, "HIGHLEVEL_TOKEN is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, tt.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

func TestGenerations(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "s.db")
	sandbox := "--sandbox=" + state
	env := map[string]string{}
	s, err := sim.New(sim.Options{StatePath: state}) // the sandbox answers known messages only
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"msg-1", "m1", "m2", "m3"} {
		if _, err := s.AddGeneration("locGen", id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, env, "generations", sandbox, "--location", "locGen", "--message-id", "msg-1")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var one api.Generation
	if err := json.Unmarshal([]byte(r.stdout), &one); err != nil || one.Prompt == "" {
		t.Fatalf("generation JSON: %v\n%s", err, r.stdout)
	}
	again := runCLI(t, env, "generations", sandbox, "--location", "locGen", "--message-id", "msg-1")
	if again.stdout != r.stdout {
		t.Errorf("generation of the same message differs between calls")
	}

	ids := filepath.Join(dir, "ids.txt")
	if err := os.WriteFile(ids, []byte("m1\nm2\n\nm3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env, "generations", sandbox, "--location", "locGen", "--message-ids-file", ids, "--source", "workflow")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	var got []string
	for sc.Scan() {
		var rec struct {
			MessageID  string          `json:"messageId"`
			Source     string          `json:"source"`
			Generation *api.Generation `json:"generation"`
			Error      string          `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if rec.Generation == nil || rec.Error != "" || rec.Source != "workflow" {
			t.Errorf("record %+v: want a generation", rec)
		}
		got = append(got, rec.MessageID)
	}
	if strings.Join(got, ",") != "m1,m2,m3" {
		t.Errorf("records for %v, want m1,m2,m3 in order", got)
	}

	bad := []struct {
		name string
		args []string
		want string
	}{
		{"no location", []string{"generations", sandbox, "--message-id", "x"}, "--location is required"},
		{"both ids", []string{"generations", sandbox, "--location", "l", "--message-id", "x", "--message-ids-file", ids}, "exactly one of"},
		{"bad source", []string{"generations", sandbox, "--location", "l", "--message-id", "x", "--source", "email"}, "want conversation or workflow"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, env, tt.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

func TestReadLocationsFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.txt", "# fleet\n\n  locA  \nlocB HL_TOKEN_B\n")
	got, err := readLocationsFile(good, "DEFAULT_TOKEN")
	want := []exportTarget{{"locA", "DEFAULT_TOKEN"}, {"locB", "HL_TOKEN_B"}}
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %v, %v; want %v", got, err, want)
	}
	for name, body := range map[string]string{"three fields": "# c\nlocA\nlocB ENV extra\n", "bad env": "# c\nlocA\nlocB not-a-name\n"} {
		t.Run(name, func(t *testing.T) {
			p := write(strings.ReplaceAll(name, " ", "_")+".txt", body)
			_, err := readLocationsFile(p, "DEFAULT_TOKEN")
			if err == nil || !strings.Contains(err.Error(), p+":3: want \"LOCATION_ID [TOKEN_ENV]\"") {
				t.Fatalf("err = %v, want one naming line 3", err)
			}
		})
	}
	if _, err := readLocationsFile(filepath.Join(dir, "missing"), "X"); err == nil || !strings.HasPrefix(err.Error(), "--locations-file: ") {
		t.Fatalf("err = %v, want one naming the flag", err)
	}
}
