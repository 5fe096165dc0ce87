package sim_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// page fetches one search page and returns the ids and the counts.
func (e *env) page(query url.Values) (ids []string, total, count int) {
	e.t.Helper()
	r := e.do("GET", "/conversation-ai/agents/search?"+query.Encode(), e.ro, nil).must(e.t, 200)
	for _, it := range r.body["agents"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids, int(r.body["totalCount"].(float64)), int(r.body["count"].(float64))
}

func TestSearchPagination(t *testing.T) {
	e := newEnv(t, sim.Options{RateLimit: -1})
	var want []string
	for i := range 23 {
		want = append(want, e.createAgent(fmt.Sprintf("Agent %02d", i), nil))
	}
	for _, limit := range []int{1, 5, 10, 23, 100} {
		t.Run("limit "+strconv.Itoa(limit), func(t *testing.T) {
			var got []string
			after := ""
			for pages := 0; ; pages++ {
				if pages > 30 {
					t.Fatal("pagination does not end")
				}
				q := url.Values{"limit": {strconv.Itoa(limit)}}
				if after != "" {
					q.Set("startAfter", after)
				}
				ids, total, count := e.page(q)
				if total != 23 || count != len(ids) {
					t.Fatalf("totalCount %d count %d for %d ids", total, count, len(ids))
				}
				if len(ids) == 0 {
					break
				}
				got = append(got, ids...)
				after = ids[len(ids)-1]
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("pages gave %v, want every agent once in creation order %v", got, want)
			}
		})
	}
	t.Run("default limit", func(t *testing.T) {
		if ids, _, _ := e.page(url.Values{}); len(ids) != sim.DefaultSearchLimit {
			t.Errorf("default page has %d agents, want %d", len(ids), sim.DefaultSearchLimit)
		}
	})
}

func TestSearchQuery(t *testing.T) {
	e := newEnv(t, sim.Options{})
	booking := e.createAgent("Booking Bot", nil)
	e.createAgent("Support", nil)
	rebook := e.createAgent("Re-BOOKING desk", nil)
	tests := []struct {
		query string
		want  []string
	}{
		{"booking", []string{booking, rebook}},
		{"BOOK", []string{booking, rebook}},
		{"desk", []string{rebook}},
		{"nothing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			ids, total, count := e.page(url.Values{"query": {tt.query}})
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) || count != len(tt.want) {
				t.Errorf("ids %v count %d, want %v", ids, count, tt.want)
			}
			if total != 3 {
				t.Errorf("totalCount %d, want the unfiltered 3", total)
			}
		})
	}
	t.Run("query with startAfter", func(t *testing.T) {
		ids, _, _ := e.page(url.Values{"query": {"book"}, "startAfter": {booking}, "limit": {"1"}})
		if fmt.Sprint(ids) != fmt.Sprint([]string{rebook}) {
			t.Errorf("ids %v, want [%s]", ids, rebook)
		}
	})
}

func TestSearchRefusals(t *testing.T) {
	e := newEnv(t, sim.Options{})
	otherTok := e.rwToken("LocOTHERxxxxxxxxxxxx")
	theirs := e.do("POST", "/conversation-ai/agents", otherTok, agentBody("theirs", nil)).must(t, 201).str("id")
	tests := []struct {
		query  string
		status int
		msg    string
	}{
		{"limit=0", 422, "limit must not be less than 1"},
		{"limit=101", 422, "limit must not be greater than 100"},
		{"limit=2.5", 422, "limit must be an integer number"},
		{"startAfter=ghost", 400, "No Agent found for the id: ghost"},
		{"startAfter=" + theirs, 400, "No Agent found for the id: " + theirs},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.bad("GET", "/conversation-ai/agents/search?"+tt.query, e.ro, nil).must(t, tt.status)
			if r.messages() != tt.msg {
				t.Errorf("message %q, want %q", r.messages(), tt.msg)
			}
		})
	}
}
