package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// startSandboxServe runs "sandbox serve" with args on a free port and
// returns its base URL; the server stops when the test ends.
func startSandboxServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), outW, &stderr, sandboxNoEnv)
		outW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exit %d: %s", code, stderr.String())
		}
	})
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address: %v (stderr %s)", err, stderr.String())
	}
	go io.Copy(io.Discard, outR)
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "sandbox listening on ")
	if !ok {
		t.Fatalf("first line %q", line)
	}
	return base
}

// runSandboxCmd runs one CLI command and returns its stdout; it fails the
// test on a non-zero exit.
func runSandboxCmd(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, strings.NewReader(""), &out, &errb, sandboxNoEnv); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestSandboxSeedAndAgencyToken seeds a fleet beside a serving sandbox,
// mints an agency token with the CLI and exchanges it for a location token.
func TestSandboxSeedAndAgencyToken(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.db")
	base := startSandboxServe(t, "--state", state, "--token-ttl", "1m")
	seedFile := filepath.Join(dir, "fleet.yaml")
	if err := os.WriteFile(seedFile, []byte(`companies:
  - id: compAcme
    locations:
      - {id: locA, name: Acme Dental Austin, workflows: [{id: wf1, name: Confirm booking}]}
      - {id: locB, name: Acme Dental Dallas}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := runSandboxCmd(t, "sandbox", "seed", "--state", state, seedFile); !strings.HasPrefix(out, "seeded 1 companies, 2 locations, 1 lookup objects") {
		t.Errorf("seed output %q", out)
	}
	agency := strings.TrimSpace(runSandboxCmd(t, "sandbox", "token", "--state", state, "--company", "compAcme", "--scope", "readonly"))

	do := func(method, path, token, body, version string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Version", version)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		json.NewDecoder(res.Body).Decode(&m)
		return res.StatusCode, m
	}
	code, body := do("POST", "/oauth/locationToken", agency, "companyId=compAcme&locationId=locA", "2021-07-28")
	if code != 200 || body["expires_in"] != 60.0 {
		t.Fatalf("locationToken: %d %v (want 200, expires_in 60 from --token-ttl)", code, body)
	}
	loc, _ := body["access_token"].(string)
	if code, _ := do("GET", "/workflows/?locationId=locA", loc, "", "2021-07-28"); code != 200 {
		t.Errorf("workflows with the minted token: %d", code)
	}
	if code, _ := do("GET", "/conversation-ai/agents/search", loc, "", "2023-02-21"); code != 200 {
		t.Errorf("search with the minted token and the SDK's Version: %d", code)
	}
	if code, _ := do("POST", "/conversation-ai/agents", loc, `{"name":"x"}`, "2021-04-15"); code != 401 {
		t.Errorf("a read-only agency credential's token wrote: %d", code)
	}

	// --scopes narrows a location token: no workflows.readonly.
	narrow := strings.TrimSpace(runSandboxCmd(t, "sandbox", "token", "--state", state, "--location", "locA", "--scopes", "conversation-ai.readonly"))
	if code, _ := do("GET", "/workflows/?locationId=locA", narrow, "", "2021-07-28"); code != 401 {
		t.Errorf("narrowed token read workflows: %d", code)
	}
	wide := strings.TrimSpace(runSandboxCmd(t, "sandbox", "token", "--state", state, "--location", "locA", "--scope", "readonly"))
	if code, _ := do("GET", "/workflows/?locationId=locA", wide, "", "2021-07-28"); code != 200 {
		t.Errorf("--scope readonly token could not read workflows: %d", code)
	}
}

func TestSandboxSeedErrors(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.db")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown field", []string{"sandbox", "seed", "--state", state, write("a.yaml", "companies:\n  - id: c\n    locatons: []\n")}, []string{"a.yaml", "line 3", "locatons"}},
		{"bad agent", []string{"sandbox", "seed", "--state", state, write("b.yaml", "companies:\n  - id: c\n    locations:\n      - id: l\n        name: L\n        agents:\n          - {name: x, mode: sometimes}\n")},
			[]string{"b.yaml:7", "companies[0].locations[0].agents[0]", "mode must be one of"}},
		{"no name", []string{"sandbox", "seed", "--state", state, write("c.yaml", "companies:\n  - id: c\n    locations:\n      - id: l\n")}, []string{"c.yaml:4", "name"}},
		{"missing file", []string{"sandbox", "seed", "--state", state, filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml"}},
		{"token needs company or location", []string{"sandbox", "token", "--state", state, "--company", "c", "--location", "l"}, []string{"either --location"}},
		{"agency token of unseeded company", []string{"sandbox", "token", "--state", state, "--company", "nope"}, []string{"seed it first"}},
		{"unknown scope", []string{"sandbox", "token", "--state", state, "--location", "l", "--scopes", "admin.write"}, []string{"unknown scope"}},
		{"bad token ttl", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--token-ttl", "0s"}, []string{"--token-ttl"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb, sandboxNoEnv)
			if code != exitError1 {
				t.Fatalf("exit %d, want 1: %s", code, errb.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr %q lacks %q", errb.String(), w)
				}
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q, want nothing", out.String())
			}
		})
	}
}
