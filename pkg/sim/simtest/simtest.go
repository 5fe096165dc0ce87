// Package simtest starts sandbox servers for tests.
package simtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/pkg/sim"
)

// Start runs a sandbox with opts on a loopback httptest server. Both are
// closed (and the state saved) when the test ends.
func Start(t testing.TB, opts sim.Options) (*sim.Server, *httptest.Server) {
	t.Helper()
	s, err := sim.New(opts)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		if err := s.Close(); err != nil {
			t.Errorf("simtest: %v", err)
		}
	})
	return s, ts
}

// Token mints a token for loc: read-only, or read and write when write is set.
func Token(t testing.TB, s *sim.Server, loc string, write bool) string {
	t.Helper()
	scopes := []string{sim.ScopeReadonly}
	if write {
		scopes = append(scopes, sim.ScopeWrite)
	}
	tok, err := s.MintToken(loc, scopes...)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	return tok
}

// ContractClient returns an HTTP client for ts whose every request and
// response is checked against the OpenAPI documents; the test fails at
// cleanup on any violation. Faults that break the contract on purpose
// ("truncated") must be tested with another client.
func ContractClient(t testing.TB, ts *httptest.Server) (*http.Client, *contract.Recorder) {
	t.Helper()
	return checkedClient(t, &contract.Recorder{Base: ts.Client().Transport})
}

// ResponseContractClient is ContractClient checking answers only, for tests
// that send requests breaking the contract on purpose (validation tests).
func ResponseContractClient(t testing.TB, ts *httptest.Server) (*http.Client, *contract.Recorder) {
	t.Helper()
	return checkedClient(t, &contract.Recorder{Base: ts.Client().Transport, ResponsesOnly: true})
}

func checkedClient(t testing.TB, rec *contract.Recorder) (*http.Client, *contract.Recorder) {
	t.Cleanup(func() {
		if v := rec.Violations(); len(v) > 0 {
			t.Errorf("contract violations (%d):\n%s", len(v), strings.Join(v, "\n"))
		}
	})
	return &http.Client{Transport: rec}, rec
}

// AgencyToken mints an agency token of company (which Seed must have
// created) with sim.AgencyScopes(write).
func AgencyToken(t testing.TB, s *sim.Server, company string, write bool) string {
	t.Helper()
	tok, err := s.MintAgencyToken(company, sim.AgencyScopes(write)...)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	return tok
}

// Seed loads a seed file's content (YAML or JSON, see sim.Seed) into s.
func Seed(t testing.TB, s *sim.Server, content string) sim.SeedStats {
	t.Helper()
	seed, err := sim.ParseSeed("seed.yaml", []byte(content))
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	st, err := s.LoadSeed(seed)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	return st
}
