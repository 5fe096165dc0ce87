package sim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// TestConcurrentAnswersDoNotShareState: answers are encoded after the
// state's lock is let go, so a request must not change in place state that
// an earlier answer still holds (here, the details a list of actions
// returns, which a follow-up PATCH sets). Under -race this fails when it
// does.
func TestConcurrentAnswersDoNotShareState(t *testing.T) {
	e := newEnv(t, sim.Options{RateLimit: -1})
	agent := e.createAgent("Desk", nil)
	action := e.createAction(agent, "advancedFollowup", validDetails("advancedFollowup", ""))
	send := func(method, path string, body any) error {
		var rd io.Reader
		if body != nil {
			raw, err := json.Marshal(body)
			if err != nil {
				return err
			}
			rd = bytes.NewReader(raw)
		}
		req, err := http.NewRequest(method, e.ts.URL+path, rd)
		if err != nil {
			return err
		}
		req.Header.Set("Version", "2021-04-15")
		req.Header.Set("Authorization", "Bearer "+e.rw)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := e.ts.Client().Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
		}
		return nil
	}
	const rounds = 20
	errs := make(chan error, 2*rounds)
	var wg sync.WaitGroup
	for i := range rounds {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- send("GET", "/conversation-ai/agents/"+agent+"/actions/list", nil)
		}()
		go func() {
			defer wg.Done()
			errs <- send("PATCH", "/conversation-ai/agents/"+agent+"/followup-settings", map[string]any{
				"actionIds":        []any{action},
				"followupSettings": map[string]any{"dynamicChannelSwitching": i%2 == 0, "timezoneToUse": "contact"},
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
