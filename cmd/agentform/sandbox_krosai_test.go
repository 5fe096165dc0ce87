package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runToken runs "sandbox token" and returns its one line of output.
func runToken(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"sandbox", "token"}, args...), strings.NewReader(""), &out, &errb, sandboxNoEnv); code != 0 {
		t.Fatalf("token %v: exit %d: %s", args, code, errb.String())
	}
	if strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("token output %q: want only the key", out.String())
	}
	return strings.TrimSpace(out.String())
}

// TestSandboxKrosAIKey: "sandbox token --krosai" prints a key of an account
// (the same one again), which the serving sandbox accepts at once on the
// KrosAI paths; --krosai-index-delay 0 makes uploads ready at the first
// read; the room token of a conversation appears in no output or log.
func TestSandboxKrosAIKey(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--state", state, "--krosai-index-delay", "0",
			"--log-level", "debug"}, strings.NewReader(""), outW, &stderr, sandboxNoEnv)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address: %v (stderr %s)", err, stderr.String())
	}
	var stdout syncBuffer
	go io.Copy(&stdout, outR)
	base := strings.TrimPrefix(strings.TrimSpace(line), "sandbox listening on ")

	key := runToken(t, "--state", state, "--krosai", "--account", "Acme Voice")
	if !strings.HasPrefix(key, "kros_sandbox_") {
		t.Errorf("key %q", key)
	}
	if again := runToken(t, "--state", state, "--krosai", "--account", "Acme Voice"); again != key {
		t.Errorf("second mint %q, want the same key", again)
	}
	if def := runToken(t, "--state", state, "--krosai"); def == key || !strings.HasPrefix(def, "kros_sandbox_") {
		t.Errorf("default account's key %q", def)
	}

	do := func(method, path, contentType string, body []byte) map[string]any {
		t.Helper()
		req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", contentType)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
		var out any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
		if l, ok := out.([]any); ok && len(l) > 0 {
			return l[0].(map[string]any)
		}
		m, _ := out.(map[string]any)
		return m
	}
	kb := do("POST", "/v1/knowledge-bases", "application/json", []byte(`{"name":"FAQ"}`))["id"].(string)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "faq.md")
	fw.Write([]byte("# FAQ"))
	mw.Close()
	do("POST", "/v1/knowledge-bases/"+kb+"/documents", mw.FormDataContentType(), mp.Bytes())
	if d := do("GET", "/v1/knowledge-bases/"+kb+"/documents", "", nil); d["status"] != "ready" {
		t.Errorf("document %v: --krosai-index-delay 0 makes it ready at the first read", d)
	}
	agent := do("POST", "/v1/agents", "application/json", []byte(`{"name":"Support"}`))["id"].(string)
	conv := do("POST", "/v1/conversations", "application/json", []byte(`{"agent_id":"`+agent+`"}`))
	tok, _ := conv["token"].(string)
	if tok == "" {
		t.Fatalf("conversation %v has no token", conv)
	}

	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d: %s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), tok) || strings.Contains(stdout.String(), tok) {
		t.Error("the room token reached the sandbox's output")
	}
	if strings.Contains(stderr.String(), key) {
		t.Error("the API key reached the sandbox's log")
	}
}

func TestSandboxKrosAIFlagErrors(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"krosai with location", []string{"sandbox", "token", "--state", state, "--krosai", "--location", "x"}, "--location"},
		{"krosai with scope", []string{"sandbox", "token", "--state", state, "--krosai", "--scope", "write"}, "--scope"},
		{"account without krosai", []string{"sandbox", "token", "--state", state, "--account", "Acme"}, "--krosai"},
		{"blank account", []string{"sandbox", "token", "--state", state, "--krosai", "--account", " "}, "KrosAI account name is empty"},
		{"negative index delay", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--krosai-index-delay", "-1s"}, "--krosai-index-delay"},
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

// TestSandboxSeedKrosAI: "sandbox seed" loads KrosAI accounts, documents
// from files beside the seed file included, and says what it loaded.
func TestSandboxSeedKrosAI(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.db")
	if err := os.MkdirAll(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "docs", "faq.md"), []byte("# FAQ"), 0o644); err != nil {
		t.Fatal(err)
	}
	seedFile := filepath.Join(dir, "voice.yaml")
	if err := os.WriteFile(seedFile, []byte(`krosaiAccounts:
  - name: Acme Voice
    knowledgeBases:
      - {id: kb-faq, name: Product FAQ, documents: [{file: docs/faq.md}]}
    agents: [{name: Support, knowledge_base_ids: [kb-faq]}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runSandboxCmd(t, "sandbox", "seed", "--state", state, seedFile)
	if !strings.Contains(out, "1 KrosAI accounts: 1 knowledge bases, 1 documents, 1 agents") {
		t.Errorf("seed output %q", out)
	}
	var errb bytes.Buffer
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("krosaiAccounts:\n  - name: Acme Voice\n    agents:\n      - {name: x, knowledge_base_ids: [kb-nope]}\n"), 0o644)
	if code := run(context.Background(), []string{"sandbox", "seed", "--state", state, bad}, strings.NewReader(""), io.Discard, &errb, sandboxNoEnv); code != exitError1 ||
		!strings.Contains(errb.String(), "bad.yaml:4: krosaiAccounts[0].agents[0]") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
