package sim

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
)

// Scopes a sandbox token may carry (HighLevel's scope strings).
const (
	ScopeReadonly             = "conversation-ai.readonly"
	ScopeWrite                = "conversation-ai.write"
	ScopeOAuthReadonly        = "oauth.readonly"
	ScopeOAuthWrite           = "oauth.write"
	ScopeLocationsReadonly    = "locations.readonly"
	ScopeWorkflowsReadonly    = "workflows.readonly"
	ScopeCalendarsReadonly    = "calendars.readonly"
	ScopeCustomFieldsReadonly = "locations/customFields.readonly"
	ScopeUsersReadonly        = "users.readonly"
)

// knownScopes are the scopes MintToken and MintAgencyToken accept.
var knownScopes = []string{
	ScopeReadonly, ScopeWrite, ScopeOAuthReadonly, ScopeOAuthWrite, ScopeLocationsReadonly,
	ScopeWorkflowsReadonly, ScopeCalendarsReadonly, ScopeCustomFieldsReadonly, ScopeUsersReadonly,
}

// AuditEntry records one request the sandbox received.
type AuditEntry struct {
	Time     time.Time
	Method   string
	Path     string
	Query    string
	Status   int    // 0 when the connection was dropped or reset
	Location string // "" when the token was missing or unknown, or an agency token
	Company  string // the company of an agency token (or of a location token minted from one)
	Account  string // the KrosAI account of the API key on a KrosAI path; "" when missing or unknown
	Fault    string // one of the Fault* kinds, "" when none applied
}

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	opts Options

	mu      sync.Mutex // held for every request and every use of db
	db      *database
	faults  Faults
	latency time.Duration
	rng     *mrand.Rand
	limits  map[string]*limitState
	audit   []AuditEntry
}

// New returns a sandbox on the database at Options.StatePath (created when
// missing), or on an in-memory database when StatePath is "".
func New(opts Options) (*Server, error) {
	opts.fill()
	d, err := openDatabase(opts.StatePath)
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	return &Server{
		opts:    opts,
		db:      d,
		faults:  opts.Faults,
		latency: opts.Latency,
		rng:     mrand.New(mrand.NewPCG(uint64(opts.Seed), 0x5eed)),
		limits:  map[string]*limitState{},
	}, nil
}

// update runs fn in one write transaction and commits it.
func (s *Server) update(fn func(t *tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.db.begin(true)
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		t.rollback()
		return err
	}
	return t.end()
}

// view runs fn in one read transaction.
func (s *Server) view(fn func(t *tx)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.db.begin(false)
	if err != nil {
		return err
	}
	fn(t)
	return t.end()
}

// MintToken returns a token for locationID with the given scopes (Scope*
// constants; LocationScopes gives the CLI's sets). When a token with exactly
// that location and scope set already exists in the database (whichever
// process wrote it) it is returned again, so the CLI's runs with --sandbox,
// which ask for a token for every location each time, do not pile up
// tokens. Otherwise a new token is stored. Tokens from MintToken never expire.
func (s *Server) MintToken(locationID string, scopes ...string) (string, error) {
	if err := checkID("location", locationID); err != nil {
		return "", fmt.Errorf("sandbox: mint token: %w", err)
	}
	if err := checkScopes(scopes); err != nil {
		return "", fmt.Errorf("sandbox: mint token: %w", err)
	}
	tok, err := s.mint(tokenInfo{Kind: kindLocation, Location: locationID, Scopes: normalScopes(scopes)})
	if err != nil {
		return "", fmt.Errorf("sandbox: mint token: %w", err)
	}
	return tok, nil
}

// mint returns a reusable token granting exactly want, or stores a new one.
func (s *Server) mint(want tokenInfo) (string, error) {
	var tok string
	err := s.update(func(t *tx) error {
		if found, ok := t.reusableToken(want); ok {
			tok = found
			return nil
		}
		tok = "pit-sandbox-" + randomID(32)
		t.insertToken(tok, want)
		return t.err
	})
	return tok, err
}

// checkID refuses an empty id or one with spaces or slashes.
func checkID(what, id string) error {
	if strings.TrimSpace(id) == "" || strings.ContainsAny(id, " \t\r\n/?#") {
		return fmt.Errorf("%s id %q is not valid", what, id)
	}
	return nil
}

// checkScopes refuses an empty or unknown scope list.
func checkScopes(scopes []string) error {
	if len(scopes) == 0 {
		return errors.New("give at least one scope")
	}
	for _, sc := range scopes {
		if !slices.Contains(knownScopes, sc) {
			return fmt.Errorf("unknown scope %q (want one of %s)", sc, strings.Join(knownScopes, ", "))
		}
	}
	return nil
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
	var rec Generation
	err := s.update(func(t *tx) error {
		if g != nil {
			rec = g.normalized()
		} else {
			rec = sampleGeneration(locationID, messageID, t.agentsOf(locationID))
		}
		t.putGeneration(locationID, messageID, rec)
		return t.err
	})
	if err != nil {
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

// AgentsOf returns a location's agents with their actions, sorted by
// createdAt, then id. They are copies: changing them changes nothing.
func (s *Server) AgentsOf(locationID string) []AgentState {
	var out []AgentState
	s.view(func(t *tx) {
		for _, a := range t.agentsOf(locationID) {
			out = append(out, *a)
		}
	})
	return out
}

// Save makes the state durable now. Every request and every Server method
// already commits its own transaction before it returns, so Save only folds
// the write-ahead log into the database file (a checkpoint).
func (s *Server) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil || s.db.conn == nil || s.opts.StatePath == "" {
		return nil
	}
	if _, err := s.db.conn.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		return fmt.Errorf("sandbox: save: %w", err)
	}
	return nil
}

// Close checkpoints and closes the database. Requests after Close answer 500.
func (s *Server) Close() error {
	if err := s.Save(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.db.close(); err != nil {
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

// stamp formats t as the API does: RFC 3339, UTC, milliseconds.
func stampTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
