package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/contract"
)

// lookupServer answers the lookup endpoints in their documented shapes for
// location loc-1, checking the Version each document requires.
type lookupServer struct {
	t          *testing.T
	kbs        int    // knowledge bases to list
	missingFor string // a path whose scope the token lacks
	seen       []string
}

func (s *lookupServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.seen = append(s.seen, r.URL.Path+"?"+r.URL.RawQuery)
	if r.URL.Path == s.missingFor {
		writeJSON(w, 401, map[string]any{"statusCode": 401, "message": "The token is not authorized for this scope.", "error": "Unauthorized"})
		return
	}
	q := r.URL.Query()
	wantVersion := map[string]string{workflowsPath: "2021-07-28", calendarsPath: "2021-04-15", usersPath: "2021-07-28",
		knowledgeBasesPath: "2021-04-15", "/locations/loc-1/customFields": "2021-07-28"}[r.URL.Path]
	if got := r.Header.Get("Version"); got != wantVersion {
		s.t.Errorf("%s: Version %q, want %q", r.URL.Path, got, wantVersion)
	}
	if r.URL.Path != "/locations/loc-1/customFields" && q.Get("locationId") != "loc-1" {
		s.t.Errorf("%s: locationId %q", r.URL.Path, q.Get("locationId"))
	}
	switch r.URL.Path {
	case workflowsPath:
		writeJSON(w, 200, map[string]any{"workflows": []map[string]any{
			{"id": "wf1", "name": "Confirm booking", "status": "published", "version": 2, "locationId": "loc-1"},
			{"id": "wf2", "name": "Reminder", "status": "draft"}}})
	case calendarsPath:
		writeJSON(w, 200, map[string]any{"calendars": []map[string]any{
			{"id": "cal1", "name": "Cleanings", "locationId": "loc-1", "isActive": true}}})
	case "/locations/loc-1/customFields":
		writeJSON(w, 200, map[string]any{"customFields": []map[string]any{
			{"id": "cf1", "name": "Insurance provider", "fieldKey": "contact.insurance_provider", "model": "contact", "dataType": "TEXT"}}})
	case usersPath:
		writeJSON(w, 200, map[string]any{"users": []map[string]any{
			{"id": "u1", "name": "Dana Smith", "email": "dana@acme.test"},
			{"id": "u2", "firstName": "Lee", "lastName": "Park", "email": "lee@acme.test"}}})
	case knowledgeBasesPath:
		limit, _ := strconv.Atoi(q.Get("limit"))
		start := 0
		if last := q.Get("lastKnowledgeBaseId"); last != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(last, "kb"))
			start++
		}
		limit = min(limit, 40) // the server caps pages
		var page []map[string]any
		for i := start; i < min(start+limit, s.kbs); i++ {
			page = append(page, map[string]any{"id": fmt.Sprintf("kb%d", i), "name": fmt.Sprintf("KB %d", i), "createdAt": "2025-08-02T20:26:57.057Z"})
		}
		data := map[string]any{"knowledgeBases": page, "activeCount": s.kbs, "hasMore": start+len(page) < s.kbs}
		if len(page) > 0 {
			data["lastKnowledgeBaseId"] = page[len(page)-1]["id"]
		}
		if page == nil {
			data["knowledgeBases"] = []any{}
		}
		writeJSON(w, 200, map[string]any{"success": true, "data": data})
	default:
		writeJSON(w, 404, map[string]any{"statusCode": 404, "message": "no route"})
	}
}

func newLookupEnv(t *testing.T, s *lookupServer) *Location {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	rec := &contract.Recorder{Base: ts.Client().Transport}
	t.Cleanup(func() {
		if v := rec.Violations(); len(v) > 0 {
			t.Errorf("contract violations:\n%s", strings.Join(v, "\n"))
		}
		if rec.Exchanges() == 0 {
			t.Error("the recorder saw no exchange")
		}
	})
	c, err := New(Options{BaseURL: ts.URL, HTTPClient: &http.Client{Transport: rec}, Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	return c.Location("loc-1", testToken)
}

func TestLookups(t *testing.T) {
	s := &lookupServer{t: t, kbs: 95}
	l := newLookupEnv(t, s)
	ctx := context.Background()

	wfs, err := l.ListWorkflows(ctx)
	if err != nil || !slices.Equal(wfs, []Workflow{{ID: "wf1", Name: "Confirm booking", Status: "published"}, {ID: "wf2", Name: "Reminder", Status: "draft"}}) {
		t.Errorf("workflows %+v, %v", wfs, err)
	}
	cals, err := l.ListCalendars(ctx)
	if err != nil || len(cals) != 1 || cals[0].ID != "cal1" || cals[0].Name != "Cleanings" || cals[0].IsActive == nil || !*cals[0].IsActive {
		t.Errorf("calendars %+v, %v", cals, err)
	}
	cfs, err := l.ListCustomFields(ctx)
	if err != nil || !slices.Equal(cfs, []CustomField{{ID: "cf1", Name: "Insurance provider", FieldKey: "contact.insurance_provider", Model: "contact", DataType: "TEXT"}}) {
		t.Errorf("custom fields %+v, %v", cfs, err)
	}
	users, err := l.ListUsers(ctx)
	if err != nil || !slices.Equal(users, []User{{ID: "u1", Name: "Dana Smith", Email: "dana@acme.test"},
		{ID: "u2", Name: "Lee Park", FirstName: "Lee", LastName: "Park", Email: "lee@acme.test"}}) {
		t.Errorf("users %+v, %v", users, err)
	}
	kbs, err := l.ListKnowledgeBases(ctx)
	if err != nil || len(kbs) != 95 || kbs[94] != (KnowledgeBase{ID: "kb94", Name: "KB 94"}) {
		t.Fatalf("%d knowledge bases, %v", len(kbs), err)
	}
	var kbPages []string
	for _, q := range s.seen {
		if strings.HasPrefix(q, knowledgeBasesPath) {
			kbPages = append(kbPages, q)
		}
	}
	want := []string{
		"/knowledge-bases/?limit=100&locationId=loc-1",
		"/knowledge-bases/?lastKnowledgeBaseId=kb39&limit=100&locationId=loc-1",
		"/knowledge-bases/?lastKnowledgeBaseId=kb79&limit=100&locationId=loc-1",
	}
	if !slices.Equal(kbPages, want) {
		t.Errorf("knowledge base pages %q, want %q", kbPages, want)
	}
}

// TestLookupMissingScope checks a lookup refused for scope names the scope.
func TestLookupMissingScope(t *testing.T) {
	tests := []struct {
		path  string
		call  func(context.Context, *Location) error
		scope string
	}{
		{workflowsPath, func(ctx context.Context, l *Location) error { _, err := l.ListWorkflows(ctx); return err }, "workflows.readonly"},
		{calendarsPath, func(ctx context.Context, l *Location) error { _, err := l.ListCalendars(ctx); return err }, "calendars.readonly"},
		{"/locations/loc-1/customFields", func(ctx context.Context, l *Location) error { _, err := l.ListCustomFields(ctx); return err }, "locations/customFields.readonly"},
		{usersPath, func(ctx context.Context, l *Location) error { _, err := l.ListUsers(ctx); return err }, "users.readonly"},
		{knowledgeBasesPath, func(ctx context.Context, l *Location) error { _, err := l.ListKnowledgeBases(ctx); return err }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			l := newLookupEnv(t, &lookupServer{t: t, missingFor: tt.path})
			err := tt.call(context.Background(), l)
			if scope, ok := MissingScope(err); !ok || scope != tt.scope {
				t.Errorf("error %v: scope %q, %v; want %q", err, scope, ok, tt.scope)
			}
		})
	}
}

// TestLookupBadAnswers checks an answer without its list, or with an id
// twice, is an error after retries, never an empty list.
func TestLookupBadAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"no list":    `{"traceId": "x"}`,
		"null list":  `{"workflows": null}`,
		"id twice":   `{"workflows": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}`,
		"id missing": `{"workflows": [{"name": "A"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			var hits counter
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.inc()
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}))
			_, err := env.loc.ListWorkflows(context.Background())
			if !errors.Is(err, ErrInconsistentAnswer) || hits.get() != 6 {
				t.Errorf("error %v after %d requests; want an inconsistent answer after 6", err, hits.get())
			}
		})
	}
	t.Run("knowledge bases: more without a next page", func(t *testing.T) {
		env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]any{"success": true, "data": map[string]any{"knowledgeBases": []any{}, "activeCount": 3, "hasMore": true}})
		}))
		if _, err := env.loc.ListKnowledgeBases(context.Background()); !errors.Is(err, ErrInconsistentAnswer) {
			t.Errorf("error %v", err)
		}
	})
}
