package sim

import (
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// Scopes a sandbox token may carry (the same strings as pkg/api's).
const (
	ScopeReadonly = "conversation-ai.readonly"
	ScopeWrite    = "conversation-ai.write"
)

// AuditEntry records one request the sandbox received.
type AuditEntry struct {
	Time     time.Time
	Method   string
	Path     string
	Query    string
	Status   int    // 0 when the connection was dropped or reset
	Location string // "" when the token was missing or unknown
	Fault    string // one of the Fault* kinds, "" when none applied
}

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	opts Options

	mu      sync.Mutex
	st      *store
	agents  map[string]*AgentState // every agent by id, across locations
	stamp   fileStamp              // state file version last read or written
	dirty   bool                   // agents changed since the last save
	faults  Faults
	latency time.Duration
	rng     *mrand.Rand
	limits  map[string]*limitState
	audit   []AuditEntry
}

// New returns a sandbox, loading Options.StatePath when it exists.
func New(opts Options) (*Server, error) {
	opts.fill()
	s := &Server{
		opts:    opts,
		st:      newStore(),
		faults:  opts.Faults,
		latency: opts.Latency,
		rng:     mrand.New(mrand.NewPCG(uint64(opts.Seed), 0x5eed)),
		limits:  map[string]*limitState{},
	}
	if opts.StatePath != "" {
		st, stamp, err := readStore(opts.StatePath)
		if err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		s.st, s.stamp = st, stamp
	}
	s.reindexLocked()
	return s, nil
}

func (s *Server) reindexLocked() {
	s.agents = map[string]*AgentState{}
	for _, l := range s.st.Locations {
		for id, a := range l.Agents {
			s.agents[id] = a
		}
	}
}

// MintToken returns a token for locationID with the given scopes
// (ScopeReadonly, ScopeWrite). When a token with exactly that location and
// scope set already exists (in memory or, re-read first, in the state file)
// it is returned again, so the CLI's runs with --sandbox, which ask for a
// token for every location each time, do not pile up tokens in the state
// file. Otherwise a new token is created and the state file, when there is
// one, is saved.
func (s *Server) MintToken(locationID string, scopes ...string) (string, error) {
	if strings.TrimSpace(locationID) == "" || strings.ContainsAny(locationID, " \t\r\n/") {
		return "", fmt.Errorf("sandbox: mint token: location id %q is not valid", locationID)
	}
	if len(scopes) == 0 {
		return "", errors.New("sandbox: mint token: give at least one scope")
	}
	for _, sc := range scopes {
		if sc != ScopeReadonly && sc != ScopeWrite {
			return "", fmt.Errorf("sandbox: mint token: unknown scope %q (want %s or %s)", sc, ScopeReadonly, ScopeWrite)
		}
	}
	want := tokenInfo{Location: locationID, Scopes: normalScopes(scopes)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.reloadTokensLocked(); err != nil {
		return "", fmt.Errorf("sandbox: mint token: %w", err)
	}
	if tok, ok := s.st.existingToken(want); ok {
		return tok, nil
	}
	tok := "pit-sandbox-" + randomID(32)
	s.st.Tokens[tok] = want
	if err := s.saveLocked(); err != nil {
		delete(s.st.Tokens, tok)
		return "", fmt.Errorf("sandbox: mint token: %w", err)
	}
	return tok, nil
}

// AddGeneration makes messageID a known message of locationID, so GET
// /conversation-ai/generations answers its record; other message ids answer
// 400 (see the package documentation). A nil g stores a plausible record
// derived from the location's agents as they are now. It returns the stored
// record.
func (s *Server) AddGeneration(locationID, messageID string, g *Generation) (Generation, error) {
	if strings.TrimSpace(locationID) == "" || strings.TrimSpace(messageID) == "" {
		return Generation{}, errors.New("sandbox: add generation: give a location id and a message id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var rec Generation
	if g != nil {
		rec = g.normalized()
	} else {
		rec = sampleGeneration(locationID, messageID, s.st.location(locationID, false).sortedAgents())
	}
	if s.st.Generations == nil {
		s.st.Generations = map[string]map[string]Generation{}
	}
	if s.st.Generations[locationID] == nil {
		s.st.Generations[locationID] = map[string]Generation{}
	}
	s.st.Generations[locationID][messageID] = rec
	s.dirty = true
	if err := s.saveLocked(); err != nil {
		return Generation{}, fmt.Errorf("sandbox: add generation: %w", err)
	}
	return rec, nil
}

// SetFaults changes the fault shares for the following requests.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// SetLatency changes the latency added to the following requests.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Audit returns a copy of the audit log, oldest first.
func (s *Server) Audit() []AuditEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.audit)
}

// ResetAudit empties the audit log.
func (s *Server) ResetAudit() {
	s.mu.Lock()
	s.audit = nil
	s.mu.Unlock()
}

// AgentsOf returns deep copies of a location's agents with their actions,
// sorted by createdAt, then id.
func (s *Server) AgentsOf(locationID string) []AgentState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AgentState
	for _, a := range s.st.location(locationID, false).sortedAgents() {
		out = append(out, a.clone())
	}
	return out
}

// Close saves the state file. The Server keeps serving from memory after it.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.saveLocked(); err != nil {
		return fmt.Errorf("sandbox: close: %w", err)
	}
	return nil
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns n random alphanumerics (crypto/rand, unbiased).
func randomID(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if b < 248 && len(out) < n { // 248 = 4*62: keep the draw uniform
				out = append(out, idAlphabet[b%62])
			}
		}
	}
	return string(out)
}

// newIDLocked returns a fresh 20-character id unused by any agent or action.
func (s *Server) newIDLocked() string {
	for {
		id := randomID(20)
		if _, taken := s.agents[id]; !taken {
			return id
		}
	}
}

// stamp formats t as the API does: RFC 3339, UTC, milliseconds.
func stampTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
