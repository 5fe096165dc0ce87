package krosai_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

// Accounts every env has a key for.
const (
	acme  = "Acme Voice"
	other = "Other Co"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

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

// env is a sandbox with contract-checking clients and keys of two accounts.
type env struct {
	t      *testing.T
	s      *sim.Server
	ts     *httptest.Server
	clock  *fakeClock
	client *http.Client // checks requests and answers against krosai.openapi.json
	rec    *contract.Recorder
	loose  *http.Client // checks answers only, for requests that break the contract on purpose
	key    string       // key of acme
	other  string       // key of other
}

func newEnv(t *testing.T, opts sim.Options) *env {
	t.Helper()
	clock := newClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	s, ts := simtest.Start(t, opts)
	client, rec := simtest.ContractClient(t, ts)
	loose, looseRec := simtest.ResponseContractClient(t, ts)
	e := &env{t: t, s: s, ts: ts, clock: clock, client: client, rec: rec, loose: loose}
	t.Cleanup(func() {
		if rec.Exchanges()+looseRec.Exchanges() == 0 && !t.Failed() {
			t.Error("the contract recorders saw no exchange: send requests through env.do or env.bad")
		}
	})
	e.key, e.other = e.mint(acme), e.mint(other)
	return e
}

func (e *env) mint(account string) string {
	e.t.Helper()
	k, err := e.s.MintKrosAIKey(account)
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

// resp is an answer.
type resp struct {
	status int
	header http.Header
	raw    []byte
}

// must fails unless r has status want.
func (r resp) must(t *testing.T, want int) resp {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.raw)
	}
	return r
}

// obj decodes an object answer.
func (r resp) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.raw, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, r.raw)
	}
	return m
}

// list decodes a bare array answer.
func (r resp) list(t *testing.T) []map[string]any {
	t.Helper()
	var l []map[string]any
	if err := json.Unmarshal(r.raw, &l); err != nil {
		t.Fatalf("answer is not a JSON array of objects: %v: %s", err, r.raw)
	}
	return l
}

// detail is the detail of an error answer; the body must be exactly
// {"detail": "<string>"}.
func (r resp) detail(t *testing.T) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.raw, &m); err != nil || len(m) != 1 {
		t.Fatalf("error body %s: want {\"detail\": ...} only", r.raw)
	}
	d, ok := m["detail"].(string)
	if !ok {
		t.Fatalf("error body %s: detail is not a string", r.raw)
	}
	return d
}

// str returns a string field of an object answer.
func (r resp) str(t *testing.T, k string) string {
	t.Helper()
	s, _ := r.obj(t)[k].(string)
	return s
}

type reqOpt func(*http.Request)

// xAPIKey sends the key in X-API-Key instead of Authorization.
func xAPIKey(r *http.Request) {
	if k, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		r.Header.Del("Authorization")
		r.Header.Set("X-API-Key", k)
	}
}

// do sends a contract-abiding request with key (none when "") and body
// (JSON-encoded unless it is a string or nil).
func (e *env) do(method, path, key string, body any, opts ...reqOpt) resp {
	e.t.Helper()
	return send(e.t, e.client, e.ts.URL, method, path, key, body, opts...)
}

// bad is do for requests that break the contract on purpose.
func (e *env) bad(method, path, key string, body any, opts ...reqOpt) resp {
	e.t.Helper()
	return send(e.t, e.loose, e.ts.URL, method, path, key, body, opts...)
}

func send(t *testing.T, client *http.Client, base, method, path, key string, body any, opts ...reqOpt) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
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
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
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
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return resp{status: res.StatusCode, header: res.Header, raw: raw}
}

// part is one multipart part.
type part struct {
	field, filename, contentType string
	content                      []byte
}

// multipartBody builds a multipart/form-data body.
func multipartBody(t testing.TB, parts ...part) (body []byte, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := fmt.Sprintf(`form-data; name=%q`, p.field)
		if p.filename != "" {
			disp += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// withContentType sets the request's Content-Type.
func withContentType(ct string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Content-Type", ct) }
}

// upload sends one file as the client does, in the part "file".
func (e *env) upload(kb, key, filename string, content []byte) resp {
	e.t.Helper()
	body, ct := multipartBody(e.t, part{"file", filename, "application/octet-stream", content})
	return e.do("POST", "/v1/knowledge-bases/"+kb+"/documents", key, body, withContentType(ct))
}

// createAgent creates an agent of key's account and returns its id.
func (e *env) createAgent(key string, body map[string]any) string {
	e.t.Helper()
	return e.do("POST", "/v1/agents", key, body).must(e.t, 200).str(e.t, "id")
}

// createKB creates a knowledge base of key's account and returns its id.
func (e *env) createKB(key, name string) string {
	e.t.Helper()
	return e.do("POST", "/v1/knowledge-bases", key, map[string]any{"name": name}).must(e.t, 200).str(e.t, "id")
}

// createConversation opens a conversation and returns the answer.
func (e *env) createConversation(key, agentID string) map[string]any {
	e.t.Helper()
	return e.do("POST", "/v1/conversations", key, map[string]any{"agent_id": agentID}).must(e.t, 200).obj(e.t)
}

// ids returns the id of every item of a list answer.
func ids(items []map[string]any) []string {
	out := []string{}
	for _, it := range items {
		s, _ := it["id"].(string)
		out = append(out, s)
	}
	return out
}
