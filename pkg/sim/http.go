package sim

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/agentform/agentform/pkg/sim/krosai"
)

// endpoint is one routed operation: its handler, the scope it needs ("" for
// none) and the token kinds it takes.
type endpoint struct {
	handle func(c *call) answer
	scope  string
	search bool   // the agent search endpoint, which "truncated" hits
	auth   string // kindLocation (the default), kindAgency, or "any"
}

// route maps a method and path to an endpoint.
func route(method, path string) (endpoint, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if slices.Contains(segs, "") {
		return endpoint{}, false
	}
	if segs[0] != "conversation-ai" {
		return routeFleet(method, segs)
	}
	if len(segs) < 2 {
		return endpoint{}, false
	}
	read := func(h func(*call) answer) (endpoint, bool) { return endpoint{handle: h, scope: ScopeReadonly}, true }
	write := func(h func(*call) answer) (endpoint, bool) { return endpoint{handle: h, scope: ScopeWrite}, true }
	if len(segs) == 2 && segs[1] == "generations" && method == http.MethodGet {
		return read((*call).generation)
	}
	if segs[1] != "agents" {
		return endpoint{}, false
	}
	switch len(segs) {
	case 2:
		if method == http.MethodPost {
			return write((*call).createAgent)
		}
	case 3:
		id := segs[2]
		switch method {
		case http.MethodGet:
			if id == "search" {
				return endpoint{handle: (*call).searchAgents, scope: ScopeReadonly, search: true}, true
			}
			return read(func(c *call) answer { return c.getAgent(id) })
		case http.MethodPut:
			return write(func(c *call) answer { return c.updateAgent(id) })
		case http.MethodDelete:
			return write(func(c *call) answer { return c.deleteAgent(id) })
		}
	case 4:
		id := segs[2]
		switch {
		case segs[3] == "actions" && method == http.MethodPost:
			return write(func(c *call) answer { return c.createAction(id) })
		case segs[3] == "followup-settings" && method == http.MethodPatch:
			return write(func(c *call) answer { return c.updateFollowupSettings(id) })
		}
	case 5:
		if segs[3] != "actions" {
			break
		}
		agentID, actionID := segs[2], segs[4]
		switch method {
		case http.MethodGet:
			if actionID == "list" {
				return read(func(c *call) answer { return c.listActions(agentID) })
			}
			return read(func(c *call) answer { return c.getAction(agentID, actionID) })
		case http.MethodPut:
			return write(func(c *call) answer { return c.updateAction(agentID, actionID) })
		case http.MethodDelete:
			return write(func(c *call) answer { return c.deleteAction(agentID, actionID) })
		}
	}
	return endpoint{}, false
}

// roll is one request's fault draws, made together so a seed replays exactly.
type roll struct{ reset, err5xx, r429, drop, truncated float64 }

func (s *Server) rollLocked() roll {
	return roll{s.rng.Float64(), s.rng.Float64(), s.rng.Float64(), s.rng.Float64(), s.rng.Float64()}
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// ServeHTTP answers one API request. See the package documentation for the
// order of the checks.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := AuditEntry{Time: s.opts.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 && !sleep(r.Context(), latency) {
		entry.Fault = FaultCanceled
		s.record(entry)
		return
	}
	api := highLevel
	if krosai.Owns(r.URL.Path) {
		api = krosAI
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.maxBody))
	hdr := http.Header{}

	s.mu.Lock()
	ans, fault := s.handleLocked(api, r, body, err, hdr, &entry)
	entry.Status, entry.Fault = ans.status, fault
	if fault == FaultDrop || fault == FaultReset {
		entry.Status = 0
	}
	s.audit = append(s.audit, entry)
	s.mu.Unlock()

	if fault == FaultDrop || fault == FaultReset {
		abort(w)
		return
	}
	out := encode(ans)
	for k, v := range hdr {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(ans.status)
	w.Write(out)
}

// vendorAPI is one of the APIs the server answers: its checks in their
// order, its error shape and its request body limit.
type vendorAPI struct {
	checked func(s *Server, t *tx, r *http.Request, body []byte, readErr error, hdr http.Header, entry *AuditEntry, dice roll, f Faults) (answer, string, bool)
	fail    func(status int, message string) answer
	maxBody int64
}

var (
	highLevel = vendorAPI{checked: (*Server).checkedLocked, fail: fail, maxBody: maxBody}
	krosAI    = vendorAPI{checked: (*Server).checkedKrosAILocked, fail: krosaiFail, maxBody: krosai.MaxRequestBody}
)

// handleLocked runs api's checks and the endpoint in one transaction,
// committed before the answer is sent. It returns the answer and the fault
// that applied, if any.
func (s *Server) handleLocked(api vendorAPI, r *http.Request, body []byte, readErr error, hdr http.Header, entry *AuditEntry) (answer, string) {
	dice := s.rollLocked()
	f := s.faults
	t, err := s.db.begin(r.Method != http.MethodGet)
	if err != nil {
		return api.fail(http.StatusInternalServerError, "sandbox: "+err.Error()), ""
	}
	ans, fault, reached := api.checked(s, t, r, body, readErr, hdr, entry, dice, f)
	if ans.status >= 400 {
		t.rollback() // a refused request writes nothing
	} else if err := t.end(); err != nil {
		return api.fail(http.StatusInternalServerError, "sandbox: could not save its state: "+err.Error()), ""
	}
	if t.err != nil && ans.status < 500 {
		return api.fail(http.StatusInternalServerError, "sandbox: "+t.err.Error()), ""
	}
	if reached && fault == "" && r.Method != http.MethodGet && dice.drop < f.Drop {
		return ans, FaultDrop
	}
	return ans, fault
}

// checkedLocked is handleLocked's body: the checks in the documented order,
// then the endpoint.
func (s *Server) checkedLocked(t *tx, r *http.Request, body []byte, readErr error, hdr http.Header, entry *AuditEntry, dice roll, f Faults) (ans answer, fault string, reached bool) {
	info, known := s.tokenOf(t, r)
	entry.Location, entry.Company = info.Location, info.Company // for the audit log, before any check
	if dice.reset < f.Reset {
		return answer{}, FaultReset, false
	}
	if dice.err5xx < f.Error5xx {
		codes := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
		return fail(codes[int(dice.err5xx/f.Error5xx*3)%3], "sandbox: injected server error"), Fault5xx, false
	}
	ep, found := route(r.Method, r.URL.Path)
	if !found {
		return fail(http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.Path), "", false
	}
	if !known {
		return invalidToken(), "", false
	}
	if !info.Expires.IsZero() && !entry.Time.Before(info.Expires) {
		return expiredToken(), "", false
	}
	// Every authenticated request is counted in its location's one window,
	// including one refused for its Version header, so the headers of
	// consecutive answers always agree.
	if admitted, wait := s.admitLocked(info.rateKey(), entry.Time, hdr); !admitted {
		hdr.Set("Retry-After", retryAfter(wait))
		return tooManyRequests(), "", false
	}
	if !slices.Contains(s.opts.APIVersions, r.Header.Get("Version")) {
		return badRequest("Version header must be one of: %s", strings.Join(s.opts.APIVersions, ", ")), "", false
	}
	if dice.r429 < f.RateLimit429 {
		hdr.Set("Retry-After", "1")
		return tooManyRequests(), Fault429, false
	}
	if bad := authorize(ep, info); bad != nil {
		return *bad, "", false
	}
	if readErr != nil {
		return fail(http.StatusRequestEntityTooLarge, "request body too large"), "", false
	}
	c := &call{s: s, t: t, r: r, tok: info, location: info.Location, body: body}
	ans = ep.handle(c)
	if sb, isSearch := ans.body.(searchBody); ep.search && isSearch && dice.truncated < f.Truncated {
		return reply(ans.status, truncatedSearch{TotalCount: sb.TotalCount, Count: sb.Count, TraceID: randomID(24)}), FaultTruncated, true
	}
	return ans, "", true
}

// tokenOf resolves the bearer token in the request's transaction, so a token
// another process minted is seen at once.
func (s *Server) tokenOf(t *tx, r *http.Request) (tokenInfo, bool) {
	scheme, tok, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return tokenInfo{}, false
	}
	return t.token(tok)
}

func (s *Server) record(e AuditEntry) {
	s.mu.Lock()
	s.audit = append(s.audit, e)
	s.mu.Unlock()
}

// sleep waits d or until ctx ends; it reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// abort closes the client connection without an answer.
func abort(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}
