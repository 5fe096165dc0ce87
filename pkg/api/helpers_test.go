package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api/apitest"
)

// testToken is the token of every test; tests search outputs for it.
const testToken = "pit-7f3c9e1a-SECRET-b2d4"

// fakeClock is the clock of every test: its Sleep returns at once, moves Now
// forward and is recorded.
type fakeClock = apitest.Clock

func newFakeClock() *fakeClock { return apitest.NewClock(time.Time{}) }

// maxJitter makes backoff pick the top of its range, so sleeps are predictable.
func maxJitter(n int64) int64 { return n - 1 }

// testEnv is a client wired to a test server, with a fake clock.
type testEnv struct {
	srv    *httptest.Server
	client *Client
	clock  *fakeClock
	loc    *Location
}

// newTestEnv starts h on an httptest server and returns a client for it. The
// optional edit changes the options before New.
func newTestEnv(t *testing.T, h http.Handler, edit ...func(*Options)) *testEnv {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	clk := newFakeClock()
	opts := Options{BaseURL: srv.URL, HTTPClient: srv.Client(), Clock: clk}
	for _, e := range edit {
		e(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.policy.Rand = maxJitter
	return &testEnv{srv: srv, client: c, clock: clk, loc: c.Location("loc-1", testToken)}
}

// counter counts requests reaching a handler.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// writeJSON answers status with body v.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// errBody is a HighLevel-shaped error body.
func errBody(status int, msg any) map[string]any {
	return map[string]any{"statusCode": status, "message": msg, "error": http.StatusText(status)}
}

// hangUp closes the client connection without answering, after reading the
// request body (so the request certainly reached the server).
func hangUp(t *testing.T, w http.ResponseWriter, r *http.Request) {
	t.Helper()
	_, _ = io.Copy(io.Discard, r.Body)
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

// agentJSON is a minimal agent object as the API answers it.
func agentJSON(id, name string) map[string]any {
	return map[string]any{"id": id, "name": name, "mode": "off", "actions": []any{}, "traceId": "ignored"}
}

// jsonUnmarshal decodes raw action details in tests.
func jsonUnmarshal(raw json.RawMessage, v any) error { return json.Unmarshal(raw, v) }
