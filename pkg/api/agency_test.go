package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/internal/redact"
)

const agencyToken = "pit-agency-0a1b2c3d-4e5f-6789-abcd-ef0123456789"

// agencyServer plays HighLevel for agency tests: it mints location tokens,
// lists sub-accounts and answers the agent search with minted tokens only.
type agencyServer struct {
	t       *testing.T
	company string

	mu            sync.Mutex
	agencyScopes  string            // scopes of the agency token
	locations     []LocationInfo    // the company's sub-accounts, in order
	notInstalled  map[string]bool   // location → the app is not installed
	answerFor     map[string]string // location → locationId answered instead
	scope         string            // scope of minted tokens
	ttl           int               // expires_in of minted tokens
	maxPage       int               // page size cap of /locations/search
	mintFailures  []int             // statuses answered to the next mints
	expireMinted  bool              // every minted token is answered 401
	minted        map[string]string // token → location
	expired       map[string]bool
	mints         map[string]int // location → mint requests
	agentRequests int
	agentPosts    int
	gate          chan struct{} // when set, mints wait for it to close
	arrived       chan string   // when set, each mint request sends its location
}

func newAgencyServer(t *testing.T, locations int) *agencyServer {
	s := &agencyServer{t: t, company: "compAcme", agencyScopes: "oauth.write oauth.readonly locations.readonly",
		notInstalled: map[string]bool{}, answerFor: map[string]string{}, scope: "conversation-ai.readonly conversation-ai.write",
		ttl: 86399, minted: map[string]string{}, expired: map[string]bool{}, mints: map[string]int{}}
	for i := range locations {
		s.locations = append(s.locations, LocationInfo{ID: fmt.Sprintf("loc%03d", i), Name: fmt.Sprintf("Acme Dental %d", i)})
	}
	return s
}

func (s *agencyServer) answer(w http.ResponseWriter, status int, msg string) {
	body := map[string]any{"statusCode": status, "message": msg}
	if status == 422 {
		body["message"] = []string{msg}
	}
	if status == 401 {
		body["error"] = "Unauthorized"
	}
	writeJSON(w, status, body)
}

func (s *agencyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	bearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == locationTokenPath:
		s.mint(w, r, bearer)
	case r.Method == http.MethodGet && r.URL.Path == locationsSearchPath:
		s.search(w, r, bearer)
	case r.Method == http.MethodGet && r.URL.Path == installedLocationsPath:
		s.installed(w, r, bearer)
	case strings.HasPrefix(r.URL.Path, agentsPath):
		s.agents(w, r, bearer)
	default:
		s.answer(w, 404, "no route")
	}
}

func (s *agencyServer) agencyAuth(w http.ResponseWriter, bearer, scope string) bool {
	s.mu.Lock()
	scopes := s.agencyScopes
	s.mu.Unlock()
	if bearer != agencyToken {
		s.answer(w, 401, "Invalid token: access token is invalid")
		return false
	}
	if !slices.Contains(strings.Fields(scopes), scope) {
		s.answer(w, 401, "The token is not authorized for this scope.")
		return false
	}
	return true
}

func (s *agencyServer) mint(w http.ResponseWriter, r *http.Request, bearer string) {
	if r.Header.Get("Version") != VersionOAuth || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		s.t.Errorf("mint with Version %q, Content-Type %q", r.Header.Get("Version"), r.Header.Get("Content-Type"))
	}
	if err := r.ParseForm(); err != nil {
		s.answer(w, 400, "bad form")
		return
	}
	loc := r.PostForm.Get("locationId")
	s.mu.Lock()
	s.mints[loc]++
	gate, arrived := s.gate, s.arrived
	var fail int
	if len(s.mintFailures) > 0 {
		fail, s.mintFailures = s.mintFailures[0], s.mintFailures[1:]
	}
	s.mu.Unlock()
	if arrived != nil {
		arrived <- loc
	}
	if gate != nil {
		<-gate
	}
	if fail != 0 {
		s.answer(w, fail, "failure")
		return
	}
	if !s.agencyAuth(w, bearer, ScopeOAuthWrite) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.PostForm.Get("companyId") != s.company || !slices.ContainsFunc(s.locations, func(l LocationInfo) bool { return l.ID == loc }) {
		s.answer(w, 400, "Location not found in this company")
		return
	}
	if s.notInstalled[loc] {
		s.answer(w, 400, "This app is not installed in the location")
		return
	}
	tok := fmt.Sprintf("minted-%s-%d-0123456789", loc, s.mints[loc])
	s.minted[tok] = loc
	answered := loc
	if other, ok := s.answerFor[loc]; ok {
		answered = other
	}
	body := map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": s.ttl, "scope": s.scope, "userId": "u1"}
	if answered != "" {
		body["locationId"] = answered
	}
	writeJSON(w, 200, body)
}

func (s *agencyServer) search(w http.ResponseWriter, r *http.Request, bearer string) {
	if !s.agencyAuth(w, bearer, ScopeLocationsReadonly) {
		return
	}
	q := r.URL.Query()
	skip, _ := strconv.Atoi(q.Get("skip"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.Get("companyId") != s.company || r.Header.Get("Version") != VersionLocations {
		s.answer(w, 400, "bad request")
		return
	}
	if s.maxPage > 0 {
		limit = min(limit, s.maxPage)
	}
	page := s.locations[min(skip, len(s.locations)):min(skip+limit, len(s.locations))]
	writeJSON(w, 200, map[string]any{"locations": page})
}

func (s *agencyServer) installed(w http.ResponseWriter, r *http.Request, bearer string) {
	if !s.agencyAuth(w, bearer, ScopeOAuthReadonly) {
		return
	}
	q := r.URL.Query()
	skip, _ := strconv.Atoi(q.Get("skip"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.maxPage > 0 {
		limit = min(limit, s.maxPage)
	}
	var items []map[string]any
	for _, l := range s.locations[min(skip, len(s.locations)):min(skip+limit, len(s.locations))] {
		items = append(items, map[string]any{"_id": l.ID, "name": l.Name, "address": "1 Main St", "isInstalled": !s.notInstalled[l.ID]})
	}
	writeJSON(w, 200, map[string]any{"locations": items, "count": len(s.locations)})
}

func (s *agencyServer) agents(w http.ResponseWriter, r *http.Request, bearer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agentRequests++
	if r.Method == http.MethodPost {
		s.agentPosts++
	}
	if _, ok := s.minted[bearer]; !ok || s.expired[bearer] || s.expireMinted {
		s.answer(w, 401, "Invalid token: access token is invalid")
		return
	}
	if !slices.Contains(strings.Fields(s.scope), ScopeReadonly) {
		s.answer(w, 401, "The token is not authorized for this scope.")
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == searchPath:
		writeJSON(w, 200, map[string]any{"agents": []any{}, "totalCount": 0, "count": 0})
	case r.Method == http.MethodPost:
		writeJSON(w, 201, map[string]any{"id": "ag-new", "name": "x", "mode": "off", "channels": []string{"SMS"}, "waitTime": 2,
			"waitTimeUnit": "seconds", "sleepEnabled": false, "actions": []any{}, "isPrimary": true, "autoPilotMaxMessages": 10})
	default:
		s.answer(w, 404, "no route")
	}
}

func (s *agencyServer) mintCount(loc string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mints[loc]
}

func (s *agencyServer) totalMints() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.mints {
		n += c
	}
	return n
}

// expire makes every token minted so far answer 401.
func (s *agencyServer) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok := range s.minted {
		s.expired[tok] = true
	}
}

// agencyEnv is a client talking to an agencyServer through a contract
// recorder, with a fake clock.
type agencyEnv struct {
	srv    *agencyServer
	client *Client
	clock  *fakeClock
	agency *Agency
	red    *redact.Redactor
	log    *bytes.Buffer
}

func newAgencyEnv(t *testing.T, locations int) *agencyEnv {
	t.Helper()
	s := newAgencyServer(t, locations)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	rec := &contract.Recorder{Base: ts.Client().Transport}
	t.Cleanup(func() {
		if v := rec.Violations(); len(v) > 0 {
			t.Errorf("contract violations:\n%s", strings.Join(v, "\n"))
		}
	})
	clk := newFakeClock()
	red := redact.New()
	var logBuf bytes.Buffer
	c, err := New(Options{BaseURL: ts.URL, HTTPClient: &http.Client{Transport: rec}, Clock: clk, Redactor: red,
		Logger: slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	c.policy.Rand = maxJitter
	return &agencyEnv{srv: s, client: c, clock: clk, agency: c.Agency(s.company, agencyToken), red: red, log: &logBuf}
}

func TestMintLocationToken(t *testing.T) {
	env := newAgencyEnv(t, 3)
	lt, err := env.agency.MintLocationToken(context.Background(), "loc001")
	if err != nil {
		t.Fatal(err)
	}
	if lt.LocationID != "loc001" || lt.AccessToken.Reveal() != "minted-loc001-1-0123456789" || lt.ExpiresIn != 86399 ||
		!slices.Equal(lt.Scopes(), []string{ScopeReadonly, ScopeWrite}) {
		t.Errorf("token %+v", lt)
	}
	if env.red.String(lt.AccessToken.Reveal()) != redacted {
		t.Error("the minted token was not taught to the redactor")
	}
	if out := fmt.Sprintf("%v %+v", lt, *lt); strings.Contains(out, "minted-") {
		t.Errorf("a printed LocationToken shows its token: %s", out)
	}
}

func TestMintErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(s *agencyServer)
		location string
		check    func(error) bool
		want     string // in the message
	}{
		{"outside the company", nil, "locX", IsNotInCompany, "not a sub-account of company compAcme"},
		{"app not installed", func(s *agencyServer) { s.notInstalled["loc001"] = true }, "loc001", IsAppNotInstalled, "not installed"},
		{"token of another location", func(s *agencyServer) { s.answerFor["loc001"] = "loc002" }, "loc001", IsWrongLocation, "is for location loc002"},
		{"answer without locationId", func(s *agencyServer) { s.answerFor["loc001"] = "" }, "loc001", IsWrongLocation, "no location"},
		{"agency token without oauth.write", func(s *agencyServer) { s.agencyScopes = "locations.readonly" }, "loc001",
			func(err error) bool {
				scope, ok := MissingScope(err)
				return ok && scope == ScopeOAuthWrite && IsAgencyRejected(err)
			}, "lacks the oauth.write scope"},
		{"invalid agency token", func(s *agencyServer) { s.mintFailures = []int{401} }, "loc001",
			func(err error) bool { return IsAgencyRejected(err) && !IsMissingScope(err) && IsUnauthorized(err) }, "was refused"},
		{"5xx until retries run out", func(s *agencyServer) { s.mintFailures = []int{500, 502, 503, 500, 500, 500} }, "loc001",
			func(err error) bool { return StatusOf(err) == 500 && !IsAmbiguous(err) && !IsAgencyRejected(err) },
			"no token could be minted for location loc001 of company compAcme: POST /oauth/locationToken (company compAcme): 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newAgencyEnv(t, 3)
			if tt.setup != nil {
				tt.setup(env.srv)
			}
			_, err := env.agency.MintLocationToken(context.Background(), tt.location)
			var m *MintError
			if !errors.As(err, &m) || m.LocationID != tt.location || m.CompanyID != "compAcme" {
				t.Fatalf("error %v, want a *MintError of %s", err, tt.location)
			}
			if !tt.check(err) {
				t.Errorf("error %v not classified", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
			if strings.Contains(err.Error(), agencyToken) || strings.Contains(err.Error(), "minted-") {
				t.Errorf("a token in %q", err)
			}
		})
	}
}

// TestMintRetried checks the mint, a POST that may be sent twice without
// harm, is retried on 5xx and dropped connections.
func TestMintRetried(t *testing.T) {
	env := newAgencyEnv(t, 3)
	env.srv.mintFailures = []int{502, 503}
	if _, err := env.agency.MintLocationToken(context.Background(), "loc001"); err != nil {
		t.Fatal(err)
	}
	if env.srv.mintCount("loc001") != 3 || len(env.clock.Sleeps()) != 2 {
		t.Errorf("%d mint requests, sleeps %v", env.srv.mintCount("loc001"), env.clock.Sleeps())
	}
}

// TestAgencyTokensOncePerLocation runs 20 concurrent requests on each of 5
// locations while the mints are held back: every location is minted once.
func TestAgencyTokensOncePerLocation(t *testing.T) {
	env := newAgencyEnv(t, 5)
	gate := make(chan struct{})
	env.srv.gate, env.srv.arrived = gate, make(chan string, 100)
	tokens := NewAgencyTokens(env.agency)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		loc := fmt.Sprintf("loc%03d", i%5)
		wg.Go(func() {
			_, err := tokens.Location(loc).AllAgents(context.Background())
			errs <- err
		})
	}
	// Let the mints answer once every location's mint has arrived.
	for range 5 {
		<-env.srv.arrived
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		if n := env.srv.mintCount(fmt.Sprintf("loc%03d", i)); n != 1 {
			t.Errorf("loc%03d minted %d times", i, n)
		}
	}
	if tokens.Mints() != 5 {
		t.Errorf("Mints() = %d, want 5", tokens.Mints())
	}
	// Later requests reuse the tokens.
	if _, err := tokens.Location("loc000").AllAgents(context.Background()); err != nil || env.srv.totalMints() != 5 {
		t.Errorf("err %v, %d mints", err, env.srv.totalMints())
	}
}

// TestAgencyRejectedOnce checks an agency token without oauth.write fails
// every location after one request.
func TestAgencyRejectedOnce(t *testing.T) {
	env := newAgencyEnv(t, 10)
	env.srv.agencyScopes = "locations.readonly"
	tokens := NewAgencyTokens(env.agency)
	ctx := context.Background()
	for i := range 10 {
		loc := fmt.Sprintf("loc%03d", i)
		_, err := tokens.Location(loc).AllAgents(ctx)
		if scope, ok := MissingScope(err); !ok || scope != ScopeOAuthWrite || !IsAgencyRejected(err) {
			t.Fatalf("%s: error %v, want the missing oauth.write scope", loc, err)
		}
		var m *MintError
		if !errors.As(err, &m) || m.LocationID != loc {
			t.Errorf("%s: error names %+v", loc, m)
		}
	}
	if n := env.srv.totalMints(); n != 1 || tokens.Mints() != 1 {
		t.Errorf("%d mint requests (%d counted), want 1", n, tokens.Mints())
	}
}

// TestAgencyTokensLocationFails checks a location outside the company fails
// alone, once.
func TestAgencyTokensLocationFails(t *testing.T) {
	env := newAgencyEnv(t, 2)
	tokens := NewAgencyTokens(env.agency)
	ctx := context.Background()
	for range 2 {
		if _, err := tokens.Location("foreign").AllAgents(ctx); !IsNotInCompany(err) {
			t.Fatalf("error %v, want not in company", err)
		}
	}
	if env.srv.mintCount("foreign") != 1 {
		t.Errorf("the foreign location was minted %d times", env.srv.mintCount("foreign"))
	}
	if _, err := tokens.Location("loc001").AllAgents(ctx); err != nil {
		t.Errorf("another location failed: %v", err)
	}
}

// TestRenewOnExpiry checks the 401 rule: a 401 not about scope re-mints once
// and sends again at once, a POST included; a second 401 is final.
func TestRenewOnExpiry(t *testing.T) {
	ctx := context.Background()
	t.Run("expired token renewed", func(t *testing.T) {
		env := newAgencyEnv(t, 2)
		tokens := NewAgencyTokens(env.agency)
		l := tokens.Location("loc001")
		if _, err := l.AllAgents(ctx); err != nil {
			t.Fatal(err)
		}
		env.srv.expire()
		if _, err := l.AllAgents(ctx); err != nil {
			t.Fatalf("after expiry: %v", err)
		}
		if tokens.Mints() != 2 || env.srv.agentRequests != 3 || len(env.clock.Sleeps()) != 0 {
			t.Errorf("%d mints, %d agent requests, sleeps %v; want 2, 3, none", tokens.Mints(), env.srv.agentRequests, env.clock.Sleeps())
		}
	})
	t.Run("POST sent again with the new token", func(t *testing.T) {
		env := newAgencyEnv(t, 2)
		tokens := NewAgencyTokens(env.agency)
		l := tokens.Location("loc001")
		if _, err := tokens.Token(ctx, "loc001"); err != nil {
			t.Fatal(err)
		}
		env.srv.expire()
		a, err := l.CreateAgent(ctx, newAgent("x"))
		if err != nil || a.ID != "ag-new" {
			t.Fatalf("create: %v", err)
		}
		if env.srv.agentPosts != 2 || tokens.Mints() != 2 {
			t.Errorf("%d POSTs, %d mints; want 2, 2", env.srv.agentPosts, tokens.Mints())
		}
	})
	t.Run("second 401 is final", func(t *testing.T) {
		env := newAgencyEnv(t, 2)
		env.srv.expireMinted = true
		tokens := NewAgencyTokens(env.agency)
		_, err := tokens.Location("loc001").AllAgents(ctx)
		if !IsUnauthorized(err) || IsMissingScope(err) {
			t.Fatalf("error %v, want the 401", err)
		}
		if tokens.Mints() != 2 || env.srv.agentRequests != 2 {
			t.Errorf("%d mints, %d agent requests; want 2, 2", tokens.Mints(), env.srv.agentRequests)
		}
	})
	t.Run("a missing scope is not renewed", func(t *testing.T) {
		env := newAgencyEnv(t, 2)
		env.srv.scope = "conversation-ai.write"
		tokens := NewAgencyTokens(env.agency)
		_, err := tokens.Location("loc001").AllAgents(ctx)
		if scope, ok := MissingScope(err); !ok || scope != ScopeReadonly {
			t.Fatalf("error %v, want missing %s", err, ScopeReadonly)
		}
		if tokens.Mints() != 1 || env.srv.agentRequests != 1 {
			t.Errorf("%d mints, %d agent requests; want 1, 1", tokens.Mints(), env.srv.agentRequests)
		}
	})
	t.Run("concurrent 401s share one renewal", func(t *testing.T) {
		env := newAgencyEnv(t, 2)
		tokens := NewAgencyTokens(env.agency)
		l := tokens.Location("loc001")
		if _, err := l.AllAgents(ctx); err != nil {
			t.Fatal(err)
		}
		env.srv.expire()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if _, err := l.AllAgents(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if tokens.Mints() != 2 {
			t.Errorf("%d mints, want 2", tokens.Mints())
		}
	})
	t.Run("a static token is not renewed", func(t *testing.T) {
		env := newAgencyEnv(t, 2)
		_, err := env.client.Location("loc001", "static-token-0123456789").AllAgents(ctx)
		if !IsUnauthorized(err) || env.srv.agentRequests != 1 || env.srv.totalMints() != 0 {
			t.Errorf("err %v after %d requests, %d mints", err, env.srv.agentRequests, env.srv.totalMints())
		}
	})
}

// TestMintedTokenRefreshedBeforeExpiry checks a token is minted again once
// the clock passes its expires_in less the margin, without a 401.
func TestMintedTokenRefreshedBeforeExpiry(t *testing.T) {
	env := newAgencyEnv(t, 2)
	env.srv.ttl = 3600
	tokens := NewAgencyTokens(env.agency)
	ctx := context.Background()
	first, err := tokens.Token(ctx, "loc001")
	if err != nil {
		t.Fatal(err)
	}
	env.clock.Advance(58 * time.Minute)
	if again, _ := tokens.Token(ctx, "loc001"); again != first || tokens.Mints() != 1 {
		t.Errorf("re-minted before the margin (%d mints)", tokens.Mints())
	}
	env.clock.Advance(time.Minute)
	if again, _ := tokens.Token(ctx, "loc001"); again == first || tokens.Mints() != 2 {
		t.Errorf("not re-minted within the last minute (%d mints)", tokens.Mints())
	}
	scopes, err := tokens.Scopes(ctx, "loc001")
	if err != nil || !slices.Equal(scopes, []string{ScopeReadonly, ScopeWrite}) {
		t.Errorf("scopes %v, %v", scopes, err)
	}
}

// TestWaitForMintCancelled checks a caller whose context ends stops waiting
// while the mint goes on for the others.
func TestWaitForMintCancelled(t *testing.T) {
	env := newAgencyEnv(t, 2)
	gate := make(chan struct{})
	env.srv.gate, env.srv.arrived = gate, make(chan string, 1)
	tokens := NewAgencyTokens(env.agency)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := tokens.Token(ctx, "loc001")
		done <- err
	}()
	other := make(chan error)
	go func() {
		_, err := tokens.Token(context.Background(), "loc001")
		other <- err
	}()
	<-env.srv.arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v", err)
	}
	close(gate)
	if err := <-other; err != nil {
		t.Errorf("other caller: %v", err)
	}
	if tokens.Mints() != 1 {
		t.Errorf("%d mints", tokens.Mints())
	}
}

func TestAllLocations(t *testing.T) {
	env := newAgencyEnv(t, 230)
	env.srv.maxPage = 50 // the server caps the page below what is asked
	all, err := env.agency.AllLocations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 230 || all[229].ID != "loc229" || all[7].Name != "Acme Dental 7" {
		t.Errorf("%d locations", len(all))
	}
	installed, err := env.agency.InstalledLocations(context.Background(), "app1")
	if err != nil || len(installed) != 230 || !installed[3].IsInstalled {
		t.Errorf("installed: %d, %v", len(installed), err)
	}
}

func TestAllLocationsBadAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"no list":       `{"count": 3}`,
		"repeated page": `{"locations": [{"id": "a", "name": "A"}]}`,
		"no id":         `{"locations": [{"name": "A"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}))
			_, err := env.client.Agency("c1", agencyToken).AllLocations(context.Background())
			if !errors.Is(err, ErrInconsistentAnswer) {
				t.Errorf("error %v, want an inconsistent answer", err)
			}
		})
	}
}

// TestAgencyTokensNeverShow runs agency failures with debug logging and
// searches every output for a token.
func TestAgencyTokensNeverShow(t *testing.T) {
	env := newAgencyEnv(t, 2)
	ctx := context.Background()
	tokens := NewAgencyTokens(env.agency)
	var outs []string
	if _, err := tokens.Location("loc001").AllAgents(ctx); err != nil {
		t.Fatal(err)
	}
	env.srv.expireMinted = true
	_, err := tokens.Location("loc001").AllAgents(ctx)
	outs = append(outs, err.Error(), fmt.Sprintf("%+v %#v", err, err))
	_, err = tokens.Location("foreign").AllAgents(ctx)
	outs = append(outs, err.Error(), fmt.Sprintf("%+v", err))
	outs = append(outs, fmt.Sprintf("%v %+v %#v %s", env.agency, env.agency, env.agency, *env.agency),
		fmt.Sprintf("%v %+v %#v", tokens.Location("loc001"), *tokens.Location("loc001"), tokens.Location("loc001")),
		env.log.String())
	for _, out := range outs {
		if strings.Contains(out, agencyToken[4:20]) || strings.Contains(out, "minted-loc") {
			t.Errorf("a token shows in %s", out)
		}
	}
	if !strings.Contains(env.log.String(), "company=compAcme") {
		t.Error("the debug log does not name the company of agency calls")
	}
}
