package simtest_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

func TestStartAndToken(t *testing.T) {
	state := filepath.Join(t.TempDir(), "s.db")
	var tok string
	t.Run("serve", func(t *testing.T) {
		s, ts := simtest.Start(t, sim.Options{StatePath: state})
		tok = simtest.Token(t, s, "loc1", false)
		client, rec := simtest.ContractClient(t, ts)
		req, _ := http.NewRequest("GET", ts.URL+"/conversation-ai/agents/search", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || rec.Exchanges() != 1 {
			t.Fatalf("status %d, exchanges %d", res.StatusCode, rec.Exchanges())
		}
		req, _ = http.NewRequest("DELETE", ts.URL+"/conversation-ai/agents/x", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		if res, err = client.Do(req); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 401 {
			t.Errorf("a read-only token deleted: status %d", res.StatusCode)
		}
	})
	// Start's cleanup saved the state: the token survives.
	s, err := sim.New(sim.Options{StatePath: state})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MintToken("loc1", sim.ScopeReadonly); err != nil {
		t.Fatal(err)
	}
	_, ts := simtest.Start(t, sim.Options{StatePath: state})
	req, _ := http.NewRequest("GET", ts.URL+"/conversation-ai/agents/search", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Version", "2021-04-15")
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("token lost across restart: status %d", res.StatusCode)
	}
}

func TestSeedAndAgencyToken(t *testing.T) {
	s, ts := simtest.Start(t, sim.Options{})
	st := simtest.Seed(t, s, "companies:\n  - id: compA\n    locations:\n      - {id: locA, name: A}\n")
	if st.Companies != 1 || st.Locations != 1 {
		t.Errorf("stats %s", st)
	}
	tok := simtest.AgencyToken(t, s, "compA", false)
	client, rec := simtest.ContractClient(t, ts)
	req, _ := http.NewRequest("GET", ts.URL+"/locations/search?companyId=compA", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Version", "2021-07-28")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || rec.Exchanges() != 1 {
		t.Errorf("status %d, exchanges %d", res.StatusCode, rec.Exchanges())
	}
}
