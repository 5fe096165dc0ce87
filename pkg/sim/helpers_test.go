package sim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

const loc = "LocAAAAAAAAAAAAAAAAA"

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond) // distinct, increasing timestamps
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a sandbox with a contract-checking client and tokens for loc.
type env struct {
	t      *testing.T
	s      *sim.Server
	ts     *httptest.Server
	client *http.Client // checks requests and answers
	rec    *contract.Recorder
	loose  *http.Client // checks answers only
	rw     string       // read and write token for loc
	ro     string       // read-only token for loc
}

func newEnv(t *testing.T, opts sim.Options) *env {
	t.Helper()
	if opts.Now == nil {
		opts.Now = newClock().Now
	}
	s, ts := simtest.Start(t, opts)
	client, rec := simtest.ContractClient(t, ts)
	loose, _ := simtest.ResponseContractClient(t, ts)
	return &env{t: t, s: s, ts: ts, client: client, rec: rec, loose: loose,
		rw: simtest.Token(t, s, loc, true), ro: simtest.Token(t, s, loc, false)}
}

// resp is a decoded answer.
type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// str returns a top-level string field.
func (r resp) str(k string) string { s, _ := r.body[k].(string); return s }

// messages returns the error message(s) as one string.
func (r resp) messages() string {
	switch m := r.body["message"].(type) {
	case string:
		return m
	case []any:
		var parts []string
		for _, x := range m {
			s, _ := x.(string)
			parts = append(parts, s)
		}
		return strings.Join(parts, " | ")
	}
	return ""
}

type reqOpt func(*http.Request)

func withVersion(v string) reqOpt { return func(r *http.Request) { r.Header.Set("Version", v) } }
func noVersion() reqOpt           { return func(r *http.Request) { r.Header.Del("Version") } }

// do sends a request with token (none when "") and body (JSON-encoded unless
// it is a string).
func (e *env) do(method, path, token string, body any, opts ...reqOpt) resp {
	e.t.Helper()
	return doWith(e.t, e.client, e.ts.URL, method, path, token, body, opts...)
}

// bad is do for requests that break the contract on purpose: only the
// answer is checked against the documents.
func (e *env) bad(method, path, token string, body any, opts ...reqOpt) resp {
	e.t.Helper()
	return doWith(e.t, e.loose, e.ts.URL, method, path, token, body, opts...)
}

func doWith(t *testing.T, client *http.Client, base, method, path, token string, body any, opts ...reqOpt) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Version", "2021-04-15")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, o := range opts {
		o(req)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := resp{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			t.Fatalf("%s %s: answer is not a JSON object: %v: %s", method, path, err, raw)
		}
	}
	return out
}

// must fails unless r has status want.
func (r resp) must(t *testing.T, want int) resp {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.raw)
	}
	return r
}

// agentBody is a valid CreateEmployeeDto with overrides applied (nil deletes).
func agentBody(name string, over map[string]any) map[string]any {
	b := map[string]any{
		"name": name, "personality": "friendly", "goal": "book calls", "instructions": "be brief",
	}
	for k, v := range over {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// createAgent creates an agent and returns its id.
func (e *env) createAgent(name string, over map[string]any) string {
	e.t.Helper()
	r := e.do("POST", "/conversation-ai/agents", e.rw, agentBody(name, over)).must(e.t, 201)
	return r.str("id")
}

// createAction attaches an action and returns its id.
func (e *env) createAction(agentID, typ string, details map[string]any) string {
	e.t.Helper()
	r := e.do("POST", "/conversation-ai/agents/"+agentID+"/actions", e.rw,
		map[string]any{"type": typ, "name": typ + " action", "details": details}).must(e.t, 201)
	data, _ := r.body["data"].(map[string]any)
	id, _ := data["id"].(string)
	return id
}
