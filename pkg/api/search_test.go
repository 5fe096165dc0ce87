package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// summary is a search item as the API lists it.
func summary(id string) map[string]any {
	return map[string]any{"id": id, "name": "agent " + id, "mode": "off", "channels": []string{},
		"waitTime": 1, "waitTimeUnit": "minutes", "sleepEnabled": false, "actions": []any{},
		"isPrimary": false, "autoPilotMaxMessages": 5, "createdAt": "x", "updatedAt": "y"}
}

// pageOf answers a search page listing ids.
func pageOf(total int, ids ...string) map[string]any {
	agents := make([]any, 0, len(ids))
	for _, id := range ids {
		agents = append(agents, summary(id))
	}
	return map[string]any{"agents": agents, "totalCount": total, "count": len(ids)}
}

// scriptedSearch answers search requests with the scripted pages in order and
// records the startAfter/limit of each request.
type scriptedSearch struct {
	t     *testing.T
	pages []any
	seen  []string // "startAfter|limit|query"
}

func (s *scriptedSearch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.seen = append(s.seen, q.Get("startAfter")+"|"+q.Get("limit")+"|"+q.Get("query"))
	if len(s.seen) > len(s.pages) {
		s.t.Errorf("request %d beyond the script", len(s.seen))
		writeJSON(w, 500, errBody(500, "script ended"))
		return
	}
	writeJSON(w, 200, s.pages[len(s.seen)-1])
}

func TestAgentsPagination(t *testing.T) {
	tests := []struct {
		name      string
		pages     []any
		query     string
		wantIDs   []string
		wantSeen  []string
		wantError bool
	}{
		{
			name:     "full pages end at totalCount",
			pages:    []any{pageOf(4, "a", "b"), pageOf(4, "c", "d")},
			wantIDs:  []string{"a", "b", "c", "d"},
			wantSeen: []string{"|2|", "b|2|"},
		},
		{
			name:     "short pages are not the end",
			pages:    []any{pageOf(5, "a"), pageOf(5, "b", "c"), pageOf(5, "d"), pageOf(5, "e")},
			wantIDs:  []string{"a", "b", "c", "d", "e"},
			wantSeen: []string{"|2|", "a|2|", "c|2|", "d|2|"},
		},
		{
			name:     "empty page ends a filtered search",
			pages:    []any{pageOf(9, "a", "b"), pageOf(9, "c"), pageOf(9)},
			query:    "front",
			wantIDs:  []string{"a", "b", "c"},
			wantSeen: []string{"|2|front", "b|2|front", "c|2|front"},
		},
		{
			name:     "empty location",
			pages:    []any{pageOf(0)},
			wantIDs:  nil,
			wantSeen: []string{"|2|"},
		},
		{
			name:      "truncated answer without agents key",
			pages:     []any{map[string]any{"totalCount": 5, "count": 5, "traceId": "t"}},
			wantSeen:  []string{"|2|"},
			wantError: true,
		},
		{
			name:      "count disagrees with list",
			pages:     []any{map[string]any{"agents": []any{summary("a")}, "totalCount": 5, "count": 2}},
			wantSeen:  []string{"|2|"},
			wantError: true,
		},
		{
			name:      "count above totalCount",
			pages:     []any{map[string]any{"agents": []any{summary("a")}, "totalCount": 0, "count": 1}},
			wantSeen:  []string{"|2|"},
			wantError: true,
		},
		{
			name:      "missing counts",
			pages:     []any{map[string]any{"agents": []any{}}},
			wantSeen:  []string{"|2|"},
			wantError: true,
		},
		{
			name:      "server repeats ids",
			pages:     []any{pageOf(5, "a", "b"), pageOf(5, "a", "b")},
			wantIDs:   []string{"a", "b"},
			wantSeen:  []string{"|2|", "b|2|"},
			wantError: true,
		},
		{
			name:      "agent without id",
			pages:     []any{pageOf(5, "a", "")},
			wantIDs:   []string{"a"},
			wantSeen:  []string{"|2|"},
			wantError: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scriptedSearch{t: t, pages: tt.pages}
			// No retries: each scripted answer is seen once (see
			// TestInconsistentPageRetried for the retries).
			env := newTestEnv(t, s, func(o *Options) { o.MaxRetries = -1 })
			var ids []string
			var gotErr error
			for a, err := range env.loc.Agents(context.Background(), tt.query, 2) {
				if err != nil {
					gotErr = err
					break
				}
				ids = append(ids, a.ID)
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("ids %q, want %q", ids, tt.wantIDs)
			}
			if !slices.Equal(s.seen, tt.wantSeen) {
				t.Errorf("requests %q, want %q", s.seen, tt.wantSeen)
			}
			if tt.wantError != (gotErr != nil) {
				t.Fatalf("error %v, want error: %v", gotErr, tt.wantError)
			}
			if tt.wantError && !errors.Is(gotErr, ErrInconsistentAnswer) {
				t.Errorf("error %v does not wrap ErrInconsistentAnswer", gotErr)
			}
		})
	}
}

// TestAllAgentsTruncatedIsNotEmpty is the outage case: AllAgents must fail
// after its retries, not report an empty location.
func TestAllAgentsTruncatedIsNotEmpty(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.inc()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"totalCount": 5, "count": 5, "traceId": "abc"}`))
	}), func(o *Options) { o.MaxRetries = 2 })
	agents, err := env.loc.AllAgents(context.Background())
	if !errors.Is(err, ErrInconsistentAnswer) || agents != nil {
		t.Fatalf("got %d agents, err %v; want ErrInconsistentAnswer", len(agents), err)
	}
	if hits.get() != 3 {
		t.Errorf("%d requests, want 3 (retried twice)", hits.get())
	}
}

// TestInconsistentPageRetried checks that one truncated answer during an
// outage is retried and the sound answer that follows is used.
func TestInconsistentPageRetried(t *testing.T) {
	s := &scriptedSearch{t: t, pages: []any{
		map[string]any{"totalCount": 2, "count": 2},
		pageOf(2, "a", "b"),
	}}
	env := newTestEnv(t, s)
	agents, err := env.loc.AllAgents(context.Background())
	if err != nil || len(agents) != 2 {
		t.Fatalf("got %d agents, err %v; want 2", len(agents), err)
	}
	if len(s.seen) != 2 || len(env.clock.Sleeps()) != 1 {
		t.Errorf("%d requests, sleeps %v; want 2 requests, one backoff", len(s.seen), env.clock.Sleeps())
	}
}

// TestAllAgentsManyPages pages through 250 agents with page size 100, the
// server listing ids in order after startAfter.
func TestAllAgentsManyPages(t *testing.T) {
	const total = 250
	ids := make([]string, total)
	for i := range ids {
		ids[i] = fmt.Sprintf("ag%03d", i)
	}
	var limits []string
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limits = append(limits, q.Get("limit"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		start := 0
		if after := q.Get("startAfter"); after != "" {
			start = slices.Index(ids, after) + 1
		}
		end := min(start+limit, total)
		writeJSON(w, 200, pageOf(total, ids[start:end]...))
	}))
	got, err := env.loc.AllAgents(context.Background())
	if err != nil {
		t.Fatalf("AllAgents: %v", err)
	}
	if len(got) != total || got[0].ID != "ag000" || got[total-1].ID != "ag249" {
		t.Errorf("got %d agents", len(got))
	}
	if !slices.Equal(limits, []string{"100", "100", "100"}) {
		t.Errorf("limits %q, want three pages of 100", limits)
	}
}

// TestAgentsStopsWhenConsumerStops checks that breaking out of the loop
// sends no further request.
func TestAgentsStopsWhenConsumerStops(t *testing.T) {
	s := &scriptedSearch{t: t, pages: []any{pageOf(4, "a", "b"), pageOf(4, "c", "d")}}
	env := newTestEnv(t, s)
	for a, err := range env.loc.Agents(context.Background(), "", 2) {
		if err != nil || a.ID != "a" {
			t.Fatalf("first item %q, %v", a.ID, err)
		}
		break
	}
	if len(s.seen) != 1 {
		t.Errorf("%d requests, want 1", len(s.seen))
	}
}
