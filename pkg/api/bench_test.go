package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

// BenchmarkClient measures the client against the in-process sandbox over
// loopback HTTP, with both rate limiters out of the way: requests per second
// and allocations per request (client and server together, as they share the
// process).
func BenchmarkClient(b *testing.B) {
	s, ts := simtest.Start(b, sim.Options{RateLimit: -1})
	c, err := New(Options{BaseURL: ts.URL, RateLimit: 1e9, RateBurst: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	l := c.Location("bench", simtest.Token(b, s, "bench", true))
	ctx := context.Background()
	agent, err := l.CreateAgent(ctx, newAgent("bench"))
	if err != nil {
		b.Fatal(err)
	}
	reportRate := func(b *testing.B) {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	}

	b.Run("GetAgent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.GetAgent(ctx, agent.ID); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
	b.Run("GetAgentParallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := l.GetAgent(ctx, agent.ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
		reportRate(b)
	})
	b.Run("CreateAgent", func(b *testing.B) {
		b.ReportAllocs()
		in := newAgent("created")
		for b.Loop() {
			if _, err := l.CreateAgent(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

// cannedTransport answers every request with the same body, in memory.
type cannedTransport struct{ body []byte }

func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(c.body)), Request: r}, nil
}

// BenchmarkClientOverhead measures the client alone (no network, no server):
// what one call costs in time and allocations on top of the transport.
func BenchmarkClientOverhead(b *testing.B) {
	body, err := json.Marshal(fixtureAgent)
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(Options{BaseURL: "https://api.example.com", HTTPClient: &http.Client{Transport: cannedTransport{body}},
		RateLimit: 1e9, RateBurst: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	l := c.Location("bench", testToken)
	ctx := context.Background()
	b.Run("GetAgent", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.GetAgent(ctx, "ag1"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CreateAgent", func(b *testing.B) {
		b.ReportAllocs()
		in := newAgent("created")
		for b.Loop() {
			if _, err := l.CreateAgent(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
