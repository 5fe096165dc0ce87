package sim_test

import (
	"bufio"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// TestOldJSONStateFileRefused: a JSON state file of older versions is
// refused with a message saying what to do, and left untouched.
func TestOldJSONStateFileRefused(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"old JSON state", `{"formatVersion": 1, "tokens": {}, "locations": {}}`, "JSON state file of an older agentform sandbox"},
		{"not a database", "hello", "is not a sandbox database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := sim.New(sim.Options{StatePath: path})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and saying %q", err, path, tt.want)
			}
			if b, _ := os.ReadFile(path); string(b) != tt.content {
				t.Errorf("the refused file was changed: %q", b)
			}
		})
	}
}

// TestKillLosesNoAcknowledgedWrite runs a sandbox in a child process, makes
// writes through it, kills it with SIGKILL (no Close, no checkpoint) and
// finds every acknowledged write in the database.
func TestKillLosesNoAcknowledgedWrite(t *testing.T) {
	if path := os.Getenv("SIM_KILL_CHILD_STATE"); path != "" {
		killChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "state.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillLosesNoAcknowledgedWrite$")
	cmd.Env = append(os.Environ(), "SIM_KILL_CHILD_STATE="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "acked "); ok {
			acked = append(acked, id)
		}
		if line == "ready" {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
	if len(acked) != 20 {
		t.Fatalf("child acknowledged %d writes, want 20", len(acked))
	}
	s, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	have := map[string]bool{}
	for _, a := range s.AgentsOf(loc) {
		have[a.ID] = true
	}
	for _, id := range acked {
		if !have[id] {
			t.Errorf("acknowledged agent %s lost after kill -9", id)
		}
	}
}

// killChild is the child of TestKillLosesNoAcknowledgedWrite: it creates 20
// agents over HTTP, printing each acknowledged id, then waits to be killed.
func killChild(path string) {
	s, err := sim.New(sim.Options{StatePath: path, RateLimit: -1})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	tok, err := s.MintToken(loc, sim.ScopeReadonly, sim.ScopeWrite)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	for i := range 20 {
		req := httptest.NewRequest("POST", "/conversation-ai/agents", strings.NewReader(
			fmt.Sprintf(`{"name":"a%d","personality":"p","goal":"g","instructions":"i"}`, i)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		body := w.Body.String()
		const key = `"id":"`
		j := strings.Index(body, key)
		if w.Code != 201 || j < 0 {
			fmt.Println("error", w.Code, body)
			os.Exit(1)
		}
		fmt.Println("acked", body[j+len(key):j+len(key)+20])
	}
	fmt.Println("ready")
	select {} // killed here
}

// TestTwoProcessesShareOneDatabase: a serving sandbox and another Server on
// the same file (what "agentform sandbox token" and "sandbox seed" are) write
// at the same time; nothing is lost and no write fails for a lock.
func TestTwoProcessesShareOneDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	e := newEnv(t, sim.Options{StatePath: path, RateLimit: -1})
	other, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	tokens := make(chan string, 30)
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 30 {
			if err := send(e, "POST", "/conversation-ai/agents", e.rw, agentBody(fmt.Sprintf("a%d", i), nil), 201); err != nil {
				errs <- err
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := range 30 {
			tok, err := other.MintToken(fmt.Sprintf("Loc%02dxxxxxxxxxxxxxxx", i), sim.ScopeReadonly)
			if err != nil {
				errs <- err
				continue
			}
			tokens <- tok
		}
	}()
	wg.Wait()
	close(errs)
	close(tokens)
	for err := range errs {
		t.Error(err)
	}
	if n := len(other.AgentsOf(loc)); n != 30 {
		t.Errorf("the other process sees %d agents, want 30", n)
	}
	for tok := range tokens {
		e.do("GET", "/conversation-ai/agents/search", tok, nil).must(t, 200)
	}
}
