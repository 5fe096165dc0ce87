package generations

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/agentform/agentform/pkg/api"
)

// fakeGetter answers every id but those in fail, counting calls in flight.
type fakeGetter struct {
	fail           map[string]error
	inFlight, peak atomic.Int32
	release        chan struct{}
}

func (f *fakeGetter) GetGeneration(ctx context.Context, id, source string) (*api.Generation, error) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if f.release != nil {
		<-f.release
	}
	if err := f.fail[id]; err != nil {
		return nil, err
	}
	return &api.Generation{Prompt: "prompt of " + id, ResponseMessage: "answer " + source}, nil
}

func TestFetch(t *testing.T) {
	notFound := &api.Error{Method: "GET", Path: "/conversation-ai/generations", Status: 400, Message: "No message found"}
	g := &fakeGetter{fail: map[string]error{"m2": notFound, "m4": fmt.Errorf("boom")}}
	ids := []string{"m1", "m2", "m3", "m4", "m5"}
	records := Fetch(context.Background(), g, ids, api.SourceWorkflow, 3)
	if len(records) != len(ids) {
		t.Fatalf("%d records, want %d", len(records), len(ids))
	}
	for i, r := range records {
		t.Run(r.MessageID, func(t *testing.T) {
			if r.MessageID != ids[i] || r.Source != api.SourceWorkflow {
				t.Fatalf("record %d = %+v, want id %s in order", i, r, ids[i])
			}
			switch r.MessageID {
			case "m2":
				if r.Generation != nil || r.Status != 400 || !strings.Contains(r.Error, "No message found") {
					t.Errorf("m2 = %+v, want an error record with status 400", r)
				}
			case "m4":
				if r.Generation != nil || r.Status != 0 || r.Error != "boom" {
					t.Errorf("m4 = %+v, want an error record without status", r)
				}
			default:
				if r.Generation == nil || r.Generation.Prompt != "prompt of "+r.MessageID || r.Error != "" {
					t.Errorf("%s = %+v, want its generation", r.MessageID, r)
				}
			}
		})
	}
}

func TestFetchBoundsParallelism(t *testing.T) {
	g := &fakeGetter{release: make(chan struct{})}
	done := make(chan []Record)
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%d", i)
	}
	go func() { done <- Fetch(context.Background(), g, ids, api.SourceConversation, 2) }()
	for range ids {
		g.release <- struct{}{}
	}
	records := <-done
	if got := g.peak.Load(); got > 2 {
		t.Errorf("peak concurrency %d, want at most 2", got)
	}
	for _, r := range records {
		if r.Generation == nil {
			t.Errorf("%s has no generation", r.MessageID)
		}
	}
}

func TestFetchCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := &fakeGetter{}
	records := Fetch(ctx, g, []string{"a", "b"}, api.SourceConversation, 1)
	for _, r := range records {
		if r.Error != context.Canceled.Error() || r.Generation != nil {
			t.Errorf("%+v: want a context canceled record", r)
		}
	}
	if g.peak.Load() != 0 {
		t.Errorf("a cancelled fetch called the API")
	}
}

func TestWriteJSONLines(t *testing.T) {
	var buf bytes.Buffer
	recs := []Record{{MessageID: "a", Source: "conversation", Error: "x", Status: 401}, {MessageID: "b", Source: "workflow", Generation: &api.Generation{Prompt: "p"}}}
	if err := WriteJSONLines(json.NewEncoder(&buf), recs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), buf.String())
	}
	want := `{"messageId":"a","source":"conversation","error":"x","status":401}`
	if lines[0] != want {
		t.Errorf("line 1 = %s, want %s", lines[0], want)
	}
}
