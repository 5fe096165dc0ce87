package krosai_test

import (
	"database/sql"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
	_ "modernc.org/sqlite"
)

// TestPersistenceAcrossReopen: keys, agents, knowledge bases, documents
// (their status included), conversations and messages survive a reopen of
// the state database.
func TestPersistenceAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sandbox.db")
	clock := newClock()
	opts := sim.Options{StatePath: path, Now: clock.Now, KrosAIIndexDelay: time.Minute}

	s1, err := sim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts1 := httptest.NewServer(s1)
	client, _ := simtest.ContractClient(t, ts1)
	key, err := s1.MintKrosAIKey(acme)
	if err != nil {
		t.Fatal(err)
	}
	do := func(base, method, p string, body any) resp {
		t.Helper()
		return send(t, client, base, method, p, key, body)
	}
	kb := do(ts1.URL, "POST", "/v1/knowledge-bases", map[string]any{"name": "FAQ"}).must(t, 200).str(t, "id")
	mp, ct := multipartBody(t, part{"file", "faq.md", "text/markdown", []byte("# FAQ")})
	send(t, client, ts1.URL, "POST", "/v1/knowledge-bases/"+kb+"/documents", key, mp, withContentType(ct)).must(t, 200)
	agent := do(ts1.URL, "POST", "/v1/agents", map[string]any{"name": "Support", "system_prompt": "Hi", "knowledge_base_ids": []string{kb}}).must(t, 200).str(t, "id")
	conv := do(ts1.URL, "POST", "/v1/conversations", map[string]any{"agent_id": agent}).must(t, 200).str(t, "id")
	before := map[string]string{}
	paths := []string{"/v1/agents/" + agent, "/v1/knowledge-bases", "/v1/knowledge-bases/" + kb + "/documents", "/v1/conversations/" + conv + "/messages"}
	for _, p := range paths {
		before[p] = string(do(ts1.URL, "GET", p, nil).must(t, 200).raw)
	}
	ts1.Close()
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2, ts2 := simtest.Start(t, opts)
	if again, err := s2.MintKrosAIKey(acme); err != nil || again != key {
		t.Errorf("key after reopen %q, %v; want %q reused", again, err, key)
	}
	for _, p := range paths {
		if got := string(do(ts2.URL, "GET", p, nil).must(t, 200).raw); got != before[p] {
			t.Errorf("%s after reopen:\n%s\nwant\n%s", p, got, before[p])
		}
	}
	if c := do(ts2.URL, "GET", "/v1/conversations/"+conv, nil).must(t, 200).obj(t); c["status"] != "active" {
		t.Errorf("conversation after reopen %v", c)
	}
	clock.Advance(time.Minute)
	if d := do(ts2.URL, "GET", "/v1/knowledge-bases/"+kb+"/documents", nil).list(t); d[0]["status"] != "ready" {
		t.Errorf("document a minute later %v: the upload time and delay are stored", d[0])
	}
}

// TestOlderDatabaseGainsKrosAITables: a database written before KrosAI
// existed (no krosai_ tables) opens and serves KrosAI.
func TestOlderDatabaseGainsKrosAITables(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := sim.New(sim.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	hl, err := s.MintToken("LocAAAAAAAAAAAAAAAAA", sim.ScopeReadonly)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'krosai_%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) != 7 {
		t.Fatalf("KrosAI tables %v, want 7", tables)
	}
	for _, n := range tables {
		if _, err := db.Exec("DROP TABLE " + n); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	e := newEnv(t, sim.Options{StatePath: path})
	e.createAgent(e.key, map[string]any{"name": "Support"})
	if again, err := e.s.MintToken("LocAAAAAAAAAAAAAAAAA", sim.ScopeReadonly); err != nil || again != hl {
		t.Errorf("HighLevel token after the upgrade %q, %v", again, err)
	}
	if !strings.HasPrefix(e.key, "kros_sandbox_") {
		t.Errorf("key %q", e.key)
	}
}
