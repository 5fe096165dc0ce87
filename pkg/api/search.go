package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// allAgentsPageSize is the page size of AllAgents.
const allAgentsPageSize = 100

// values encodes the search parameters; empty ones are left out.
func (p SearchParams) values() url.Values {
	q := url.Values{}
	if p.StartAfter != "" {
		q.Set("startAfter", p.StartAfter)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Query != "" {
		q.Set("query", p.Query)
	}
	return q
}

// searchAnswer is the search answer as sent. Pointers tell a missing key from
// an empty one: HighLevel once answered {"totalCount":5,"count":5} with no
// agents key, and reading that as "no agents" duplicates every agent.
type searchAnswer struct {
	Agents     *[]AgentSummary `json:"agents"`
	TotalCount *int            `json:"totalCount"`
	Count      *int            `json:"count"`
}

// page checks the answer for consistency and returns it as a SearchPage.
func (w *searchAnswer) page() (*SearchPage, error) {
	switch {
	case w.Agents == nil:
		return nil, fmt.Errorf("%w: search answer has no agents list (count %s, totalCount %s)",
			ErrInconsistentAnswer, optInt(w.Count), optInt(w.TotalCount))
	case w.Count == nil || w.TotalCount == nil:
		return nil, fmt.Errorf("%w: search answer lacks count or totalCount", ErrInconsistentAnswer)
	case *w.Count != len(*w.Agents):
		return nil, fmt.Errorf("%w: search answer says count %d but lists %d agents",
			ErrInconsistentAnswer, *w.Count, len(*w.Agents))
	case *w.Count > *w.TotalCount:
		return nil, fmt.Errorf("%w: search answer says count %d but totalCount %d",
			ErrInconsistentAnswer, *w.Count, *w.TotalCount)
	}
	return &SearchPage{Agents: *w.Agents, TotalCount: *w.TotalCount, Count: *w.Count}, nil
}

// UnmarshalJSON accepts counts sent as JSON numbers with a fractional zero
// (the documents type them "number").
func (w *searchAnswer) UnmarshalJSON(b []byte) error {
	var raw struct {
		Agents     *[]AgentSummary `json:"agents"`
		TotalCount *float64        `json:"totalCount"`
		Count      *float64        `json:"count"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	w.Agents = raw.Agents
	w.TotalCount = toInt(raw.TotalCount)
	w.Count = toInt(raw.Count)
	return nil
}

// toInt converts an optional whole number; a fraction counts as absent.
func toInt(f *float64) *int {
	if f == nil || *f != float64(int(*f)) {
		return nil
	}
	n := int(*f)
	return &n
}

// optInt formats an optional count.
func optInt(n *int) string {
	if n == nil {
		return "missing"
	}
	return strconv.Itoa(*n)
}

// paginate feeds yield every agent matching query, following startAfter from
// the last id of each page. It stops on an empty page or once totalCount
// agents were seen; short pages do not end it. An id seen twice is an error,
// so a server that repeats itself cannot make it loop forever.
func (l *Location) paginate(ctx context.Context, query string, pageSize int, yield func(AgentSummary, error) bool) {
	seen := make(map[string]struct{})
	startAfter := ""
	for {
		page, err := l.SearchAgents(ctx, SearchParams{StartAfter: startAfter, Limit: pageSize, Query: query})
		if err != nil {
			yield(AgentSummary{}, err)
			return
		}
		if len(page.Agents) == 0 {
			return
		}
		for _, a := range page.Agents {
			if err := checkNew(seen, a.ID); err != nil {
				yield(AgentSummary{}, fmt.Errorf("GET %s (location %s): %w", searchPath, l.id, err))
				return
			}
			if !yield(a, nil) {
				return
			}
		}
		if len(seen) >= page.TotalCount {
			return
		}
		startAfter = page.Agents[len(page.Agents)-1].ID
	}
}

// checkNew records id as seen, or fails if it is empty or was seen before.
func checkNew(seen map[string]struct{}, id string) error {
	if id == "" {
		return fmt.Errorf("%w: search listed an agent without id", ErrInconsistentAnswer)
	}
	if _, dup := seen[id]; dup {
		return fmt.Errorf("%w: search listed agent %s twice", ErrInconsistentAnswer, id)
	}
	seen[id] = struct{}{}
	return nil
}
