package sim_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

func TestMintTokenReusesSameLocationAndScopes(t *testing.T) {
	const other = "LocBBBBBBBBBBBBBBBBB"
	tests := []struct {
		name       string
		first      []string
		location   string
		second     []string
		wantReused bool
	}{
		{"same scopes", []string{sim.ScopeReadonly}, loc, []string{sim.ScopeReadonly}, true},
		{"same scopes in another order", []string{sim.ScopeReadonly, sim.ScopeWrite}, loc, []string{sim.ScopeWrite, sim.ScopeReadonly}, true},
		{"same scopes repeated", []string{sim.ScopeWrite}, loc, []string{sim.ScopeWrite, sim.ScopeWrite}, true},
		{"more scopes", []string{sim.ScopeReadonly}, loc, []string{sim.ScopeReadonly, sim.ScopeWrite}, false},
		{"fewer scopes", []string{sim.ScopeReadonly, sim.ScopeWrite}, loc, []string{sim.ScopeReadonly}, false},
		{"other scope", []string{sim.ScopeReadonly}, loc, []string{sim.ScopeWrite}, false},
		{"other location", []string{sim.ScopeReadonly}, other, []string{sim.ScopeReadonly}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := sim.New(sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			first, err := s.MintToken(loc, tt.first...)
			if err != nil {
				t.Fatal(err)
			}
			second, err := s.MintToken(tt.location, tt.second...)
			if err != nil {
				t.Fatal(err)
			}
			if reused := first == second; reused != tt.wantReused {
				t.Errorf("second token reused the first: %v, want %v", reused, tt.wantReused)
			}
		})
	}
}

// TestMintTokenReuseKeepsStateFileSmall runs the CLI's pattern: a new Server
// on the same state file per run, each minting the same tokens.
func TestMintTokenReuseKeepsStateFileSmall(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	var ro, rw []string
	for range 5 {
		s, err := sim.New(sim.Options{StatePath: path})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.MintToken(loc, sim.ScopeReadonly)
		if err != nil {
			t.Fatal(err)
		}
		w, err := s.MintToken(loc, sim.ScopeReadonly, sim.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		ro, rw = append(ro, r), append(rw, w)
	}
	for i := range ro {
		if ro[i] != ro[0] || rw[i] != rw[0] {
			t.Fatalf("run %d minted new tokens; want the first run's reused", i)
		}
	}
	if n := tokensInFile(t, path); n != 2 {
		t.Errorf("state file holds %d tokens after 5 runs, want 2", n)
	}

	// A reused token still works against a sandbox serving the file.
	e := newEnv(t, sim.Options{StatePath: path})
	if e.ro != ro[0] || e.rw != rw[0] {
		t.Errorf("serving sandbox minted new tokens; want the file's reused")
	}
	e.do("POST", "/conversation-ai/agents", rw[0], agentBody("a", nil)).must(t, 201)
}

// TestMintTokenReusesTokenOfAnotherProcess checks that a serving sandbox
// reuses a token "agentform sandbox token" added to the file after it read it.
func TestMintTokenReusesTokenOfAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	serving, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := serving.Save(); err != nil {
		t.Fatal(err)
	}
	minter, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	minted, err := minter.MintToken(loc, sim.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	got, err := serving.MintToken(loc, sim.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	if got != minted {
		t.Errorf("serving sandbox minted a new token; want the one in the file")
	}
	if n := tokensInFile(t, path); n != 1 {
		t.Errorf("state file holds %d tokens, want 1", n)
	}
}

// tokensInFile counts the tokens a state database holds.
func tokensInFile(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM tokens").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
