package sim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

func TestStatePersistsAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	e := newEnv(t, sim.Options{StatePath: path})
	id := e.createAgent("persisted", map[string]any{"channels": []any{"SMS"}, "sleepTime": 5, "sleepTimeUnit": "minutes"})
	target := e.createAgent("target", nil)
	e.createAction(id, "transferBot", validDetails("transferBot", target))
	e.createAction(id, "advancedFollowup", validDetails("advancedFollowup", ""))
	before := e.s.AgentsOf(loc)

	// Saved after every write, before Close.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("state file not written after writes: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json.tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// A second sandbox on the same file serves the same state and tokens.
	restarted, ts := simtest.Start(t, sim.Options{StatePath: path})
	if after := restarted.AgentsOf(loc); !reflect.DeepEqual(normalize(before), normalize(after)) {
		t.Errorf("restart changed the state:\nbefore %+v\nafter  %+v", before, after)
	}
	client, _ := simtest.ContractClient(t, ts)
	r := doWith(t, client, ts.URL, "GET", "/conversation-ai/agents/"+id, e.ro, nil).must(t, 200)
	if r.str("name") != "persisted" {
		t.Errorf("restarted sandbox answered %s", r.raw)
	}
}

// normalize drops monotonic clock readings so DeepEqual compares instants.
func normalize(agents []sim.AgentState) []sim.AgentState {
	for i := range agents {
		agents[i].CreatedAt = agents[i].CreatedAt.Round(0).UTC()
		agents[i].UpdatedAt = agents[i].UpdatedAt.Round(0).UTC()
		for j := range agents[i].Actions {
			agents[i].Actions[j].CreatedAt = agents[i].Actions[j].CreatedAt.Round(0).UTC()
			agents[i].Actions[j].UpdatedAt = agents[i].Actions[j].UpdatedAt.Round(0).UTC()
		}
		// JSON numbers come back as float64 either way; nothing else to do.
	}
	return agents
}

func TestTokenMintedByAnotherProcessIsAccepted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	e := newEnv(t, sim.Options{StatePath: path})
	id := e.createAgent("served", nil)

	// "agentform sandbox token" in another process: its own Server on the file.
	minter, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := minter.MintToken(loc, sim.ScopeReadonly)
	if err != nil {
		t.Fatal(err)
	}
	if err := minter.Close(); err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/conversation-ai/agents/"+id, tok, nil).must(t, 200)

	// The serving sandbox's next save keeps the minted token, and the
	// minter's save did not lose the served agent.
	e.createAgent("after", nil)
	again, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(again.AgentsOf(loc)); n != 2 {
		t.Errorf("state file has %d agents, want 2", n)
	}
	_, ts := simtest.Start(t, sim.Options{StatePath: path})
	client, _ := simtest.ContractClient(t, ts)
	doWith(t, client, ts.URL, "GET", "/conversation-ai/agents/"+id, tok, nil).must(t, 200)
}

func TestCorruptStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.New(sim.Options{StatePath: path}); err == nil {
		t.Fatal("New accepted a corrupt state file")
	}
}

func TestAgentsOfReturnsCopies(t *testing.T) {
	e := newEnv(t, sim.Options{})
	id := e.createAgent("a", map[string]any{"channels": []any{"SMS"}})
	e.createAction(id, "advancedFollowup", validDetails("advancedFollowup", ""))
	a := e.s.AgentsOf(loc)
	a[0].Channels[0] = "changed"
	a[0].Actions[0].Details["enabled"] = "changed"
	b := e.s.AgentsOf(loc)
	if b[0].Channels[0] != "SMS" || b[0].Actions[0].Details["enabled"] != true {
		t.Errorf("AgentsOf leaked its storage: %+v", b[0])
	}
}

// TestConcurrentUse runs many clients at once; -race checks the locking.
func TestConcurrentUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	e := newEnv(t, sim.Options{StatePath: path, RateLimit: -1})
	var wg sync.WaitGroup
	errs := make(chan error, 80)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				if err := send(e, "POST", "/conversation-ai/agents", e.rw, agentBody(fmt.Sprintf("g%d-%d", g, i), nil), 201); err != nil {
					errs <- err
					return
				}
				if err := send(e, "GET", "/conversation-ai/agents/search?limit=100", e.ro, nil, 200); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(e.s.AgentsOf(loc)); n != 40 {
		t.Errorf("%d agents, want 40", n)
	}
	primaries := 0
	for _, a := range e.s.AgentsOf(loc) {
		if a.IsPrimary {
			primaries++
		}
	}
	if primaries != 1 {
		t.Errorf("%d primary agents, want 1", primaries)
	}
}

// send is a goroutine-safe request: it reports problems instead of failing.
func send(e *env, method, path, token string, body any, want int) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Version", "2021-04-15")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	return nil
}
