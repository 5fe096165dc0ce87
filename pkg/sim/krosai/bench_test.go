package krosai_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// BenchmarkKrosAIHandler measures KrosAI operations on the sandbox handler
// in process (no network, in-memory database, rate limiting off).
func BenchmarkKrosAIHandler(b *testing.B) {
	s, err := sim.New(sim.Options{RateLimit: -1, KrosAIIndexDelay: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	key, err := s.MintKrosAIKey(acme)
	if err != nil {
		b.Fatal(err)
	}
	serve := func(b *testing.B, method, path, contentType string, body []byte) []byte {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	kbID := func(raw []byte) string {
		i := bytes.Index(raw, []byte(`"id":"`)) + 6
		return string(raw[i : i+bytes.IndexByte(raw[i:], '"')])
	}
	kb := kbID(serve(b, "POST", "/v1/knowledge-bases", "application/json", []byte(`{"name":"FAQ"}`)))
	agent := []byte(`{"name":"Support","system_prompt":"Be brief.","knowledge_base_ids":["` + kb + `"]}`)
	id := kbID(serve(b, "POST", "/v1/agents", "application/json", agent))
	mp, ct := multipartBody(b, part{"file", "faq.md", "text/markdown", bytes.Repeat([]byte("FAQ line\n"), 1000)})

	for _, bm := range []struct {
		name, method, path, ct string
		body                   []byte
	}{
		{"GET agent", "GET", "/v1/agents/" + id, "", nil},
		{"POST agent", "POST", "/v1/agents", "application/json", agent},
		{"POST document 9 KB", "POST", "/v1/knowledge-bases/" + kb + "/documents", ct, mp},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serve(b, bm.method, bm.path, bm.ct, bm.body)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
