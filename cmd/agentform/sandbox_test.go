package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

func sandboxNoEnv(string) (string, bool) { return "", false }

// TestSandboxServeAndToken serves on a free port, mints a token with the
// token command while it serves, makes requests, stops it and checks the
// state was saved.
func TestSandboxServeAndToken(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--state", state, "--faults", ""}, strings.NewReader(""), outW, &stderr, sandboxNoEnv)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address: %v (stderr %s)", err, stderr.String())
	}
	go io.Copy(io.Discard, outR)
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "sandbox listening on ")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}

	var tokOut, tokErr bytes.Buffer
	if code := run(context.Background(), []string{"sandbox", "token", "--state", state, "--location", "locCLI", "--scope", "write"},
		strings.NewReader(""), &tokOut, &tokErr, sandboxNoEnv); code != 0 {
		t.Fatalf("token: exit %d: %s", code, tokErr.String())
	}
	tok := strings.TrimSpace(tokOut.String())
	if strings.Count(tokOut.String(), "\n") != 1 || tok == "" || strings.ContainsAny(tok, " \t") {
		t.Fatalf("token output %q: want only the token", tokOut.String())
	}

	do := func(method, path, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := do("GET", "/conversation-ai/agents/search", ""); code != 200 {
		t.Fatalf("search with the minted token: %d", code)
	}
	if code := do("POST", "/conversation-ai/agents", `{"name":"cli","personality":"p","goal":"g","instructions":"i"}`); code != 201 {
		t.Fatalf("create: %d", code)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d: %s", code, stderr.String())
	}
	s, err := sim.New(sim.Options{StatePath: state})
	if err != nil {
		t.Fatal(err)
	}
	if agents := s.AgentsOf("locCLI"); len(agents) != 1 || agents[0].Name != "cli" {
		t.Errorf("saved state has %+v", agents)
	}
}

func TestSandboxFlagErrors(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad faults", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--faults", "5xx=3"}, "--faults"},
		{"bad rate limit", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--rate-limit", "fast"}, "--rate-limit"},
		{"bad api versions", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--api-versions", " , "}, "--api-versions"},
		{"bad address", []string{"sandbox", "serve", "--addr", "not-an-address"}, "sandbox"},
		{"bad scope", []string{"sandbox", "token", "--state", state, "--location", "x", "--scope", "admin"}, "--scope"},
		{"token needs state", []string{"sandbox", "token", "--location", "x"}, "state"},
		{"token needs location", []string{"sandbox", "token", "--state", state}, "location"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb, sandboxNoEnv)
			if code != exitError1 || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 mentioning %q", code, errb.String(), tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q, want nothing", out.String())
			}
		})
	}
}
