package sim_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
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
