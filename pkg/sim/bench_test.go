package sim_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// BenchmarkServer measures the sandbox handler in process (no network) and
// over loopback HTTP, for GET agent and POST agent. Rate limiting is off.
func BenchmarkServer(b *testing.B) {
	s, err := sim.New(sim.Options{RateLimit: -1})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := s.MintToken(loc, sim.ScopeReadonly, sim.ScopeWrite)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"name":"bench","personality":"p","goal":"g","instructions":"i","mode":"auto-pilot","channels":["SMS"]}`)
	newReq := func(method, url string, payload []byte) *http.Request {
		req := httptest.NewRequest(method, url, bytes.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		return req
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, newReq("POST", "/conversation-ai/agents", body))
	if w.Code != 201 {
		b.Fatalf("setup: %d %s", w.Code, w.Body)
	}
	id := agentID(b, w.Body.Bytes())

	report := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	}
	b.Run("handler/GET agent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, newReq("GET", "/conversation-ai/agents/"+id, nil))
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
		report(b)
	})
	b.Run("handler/POST agent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, newReq("POST", "/conversation-ai/agents", body))
			if w.Code != 201 {
				b.Fatal(w.Code)
			}
		}
		report(b)
	})

	ts := httptest.NewServer(s)
	defer ts.Close()
	client := ts.Client()
	send := func(b *testing.B, method, path string, payload []byte, want int) {
		req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			b.Fatal(res.StatusCode)
		}
	}
	b.Run("http/GET agent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			send(b, "GET", "/conversation-ai/agents/"+id, nil, 200)
		}
		report(b)
	})
	b.Run("http/POST agent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			send(b, "POST", "/conversation-ai/agents", body, 201)
		}
		report(b)
	})
}

func agentID(b *testing.B, raw []byte) string {
	b.Helper()
	const key = `"id":"`
	i := bytes.Index(raw, []byte(key))
	if i < 0 {
		b.Fatalf("no id in %s", raw)
	}
	rest := raw[i+len(key):]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

// BenchmarkApplyWorkload replays, over loopback HTTP with 16 clients, the
// requests an apply of N locations x 25 objects makes against a persisted
// sandbox (per location: a search, 5 agents each with 4 actions, then a
// read of each agent and its actions), on a fresh state database per run.
// Rate limiting is off. The ns/op is one whole apply; it should grow
// linearly with N.
func BenchmarkApplyWorkload(b *testing.B) {
	for _, n := range []int{100, 400} {
		b.Run(fmt.Sprintf("locations=%d", n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "state.db")
				s, err := sim.New(sim.Options{StatePath: path, RateLimit: -1})
				if err != nil {
					b.Fatal(err)
				}
				tokens := make([]string, n)
				for i := range tokens {
					if tokens[i], err = s.MintToken(fmt.Sprintf("Loc%017d", i), sim.ScopeReadonly, sim.ScopeWrite); err != nil {
						b.Fatal(err)
					}
				}
				ts := httptest.NewServer(s)
				client := ts.Client()
				client.Transport.(*http.Transport).MaxIdleConnsPerHost = 16
				b.StartTimer()
				applyWorkload(b, client, ts.URL, tokens)
				b.StopTimer()
				ts.Close()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*(1+5+20+10))*float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// applyWorkload runs the requests of one apply, 16 locations at a time.
func applyWorkload(b *testing.B, client *http.Client, base string, tokens []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	var failed atomic.Value
	send := func(tok, method, path, body string) []byte {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Version", "2021-04-15")
		res, err := client.Do(req)
		if err != nil {
			failed.Store(err.Error())
			return nil
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			failed.Store(fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, out))
		}
		return out
	}
	action := `{"type":"triggerWorkflow","name":"wf","details":{"workflowIds":["wf1"],"triggerCondition":"asks"}}`
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tok := range work {
				send(tok, "GET", "/conversation-ai/agents/search?limit=100", "")
				for a := range 5 {
					raw := send(tok, "POST", "/conversation-ai/agents",
						fmt.Sprintf(`{"name":"agent %d","personality":"p","goal":"g","instructions":"i","mode":"auto-pilot","channels":["SMS"]}`, a))
					id := agentIDOf(raw)
					for range 4 {
						send(tok, "POST", "/conversation-ai/agents/"+id+"/actions", action)
					}
					send(tok, "GET", "/conversation-ai/agents/"+id, "")
					send(tok, "GET", "/conversation-ai/agents/"+id+"/actions/list", "")
				}
			}
		}()
	}
	for _, tok := range tokens {
		work <- tok
	}
	close(work)
	wg.Wait()
	if msg := failed.Load(); msg != nil {
		b.Fatal(msg)
	}
}

func agentIDOf(raw []byte) string {
	const key = `"id":"`
	i := bytes.Index(raw, []byte(key))
	if i < 0 {
		return "missing"
	}
	rest := raw[i+len(key):]
	return string(rest[:bytes.IndexByte(rest, '"')])
}
