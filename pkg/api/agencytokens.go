package api

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// refreshMargin is how long before its stated expiry a minted token is
// minted again, at most (and at most a tenth of its lifetime).
const refreshMargin = time.Minute

// AgencyTokens is a TokenSource that mints location tokens from an agency
// token (POST /oauth/locationToken), for fleets where one credential must
// serve every sub-account.
//
//   - At most one mint per location per run: the first request of a
//     location mints, concurrent requests of the same location wait for that
//     mint and share it, later ones reuse the token. Mints of different
//     locations run concurrently, paced by the company's rate limiter.
//   - Tokens live in memory only and are taught to Options.Redactor as they
//     arrive.
//   - A token is minted again when the service answers 401 to it (see
//     TokenSource for the renewal rule) and shortly before the expires_in it
//     was minted with, by the client's clock.
//   - A failed mint fails its location for the run (the error is kept and
//     returned to every later request of it), except that a rejected agency
//     token (IsAgencyRejected: invalid, or without oauth.write) fails every
//     location at once, without another request. To fail once before
//     reading any location, call Token for the first location before the
//     others.
//
// It is safe for concurrent use.
type AgencyTokens struct {
	agency *Agency
	flight singleflight.Group
	mints  atomic.Int64

	mu       sync.Mutex
	entries  map[string]*mintedToken
	rejected error // the agency token was refused: every location fails
}

// mintedToken is the state of one location.
type mintedToken struct {
	token   string
	scopes  []string
	renewAt time.Time // zero: no stated expiry
	stale   bool      // answered 401: mint again
	err     error     // the mint failed: the location fails for the run
}

// NewAgencyTokens returns a token source minting from agency's token.
func NewAgencyTokens(agency *Agency) *AgencyTokens {
	return &AgencyTokens{agency: agency, entries: map[string]*mintedToken{}}
}

// Location returns a Location of the agency's client whose token is minted
// by t: Client.LocationFrom(locationID, t).
func (t *AgencyTokens) Location(locationID string) *Location {
	return t.agency.client.LocationFrom(locationID, t)
}

// Mints returns how many mint calls (POST /oauth/locationToken operations,
// each possibly retried) t made so far.
func (t *AgencyTokens) Mints() int64 { return t.mints.Load() }

// Token returns the location's token, minting it on first use.
func (t *AgencyTokens) Token(ctx context.Context, locationID string) (string, error) {
	e, err := t.get(ctx, locationID)
	if err != nil {
		return "", err
	}
	return e.token, nil
}

// Scopes returns the scopes the location's token was minted with (from the
// answer's scope), minting it on first use, so a caller can refuse to write
// with a read-only credential before any write.
func (t *AgencyTokens) Scopes(ctx context.Context, locationID string) ([]string, error) {
	e, err := t.get(ctx, locationID)
	if err != nil {
		return nil, err
	}
	return append([]string(nil), e.scopes...), nil
}

// Renew mints a new token for the location after failed was answered 401,
// unless another request already did: then it returns that newer token.
func (t *AgencyTokens) Renew(ctx context.Context, locationID, failed string) (string, error) {
	t.mu.Lock()
	if e, ok := t.entries[locationID]; ok && e.err == nil && e.token == failed {
		e.stale = true
	}
	t.mu.Unlock()
	return t.Token(ctx, locationID)
}

// cached returns the location's usable state, if any: a fresh token or a
// kept failure.
func (t *AgencyTokens) cached(locationID string) (*mintedToken, bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rejected != nil {
		return nil, true, t.rejectedFor(locationID)
	}
	e, ok := t.entries[locationID]
	switch {
	case !ok:
		return nil, false, nil
	case e.err != nil:
		return nil, true, e.err
	case e.stale:
		return nil, false, nil
	case !e.renewAt.IsZero() && !t.agency.client.policy.Clock.Now().Before(e.renewAt):
		return nil, false, nil
	}
	return e, true, nil
}

// rejectedFor is the agency-wide failure, named for one location. The
// caller holds t.mu.
func (t *AgencyTokens) rejectedFor(locationID string) error {
	var m *MintError
	if errors.As(t.rejected, &m) && m.LocationID == locationID {
		return t.rejected
	}
	return &MintError{CompanyID: t.agency.id, LocationID: locationID, Reason: MintAgencyRejected, Err: t.rejected}
}

// get returns the location's state, minting when there is none usable.
// Concurrent callers of one location share one mint; each stops waiting
// when its own context ends, while the mint goes on for the others.
func (t *AgencyTokens) get(ctx context.Context, locationID string) (*mintedToken, error) {
	if e, ok, err := t.cached(locationID); ok {
		return e, err
	}
	mintCtx := context.WithoutCancel(ctx)
	ch := t.flight.DoChan(locationID, func() (any, error) {
		if e, ok, err := t.cached(locationID); ok {
			return e, err // minted while this flight was starting
		}
		return t.mint(mintCtx, locationID)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*mintedToken), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("location %s: waiting for its token: %w", locationID, ctx.Err())
	}
}

// mint calls the API and records the outcome.
func (t *AgencyTokens) mint(ctx context.Context, locationID string) (*mintedToken, error) {
	t.mints.Add(1)
	lt, err := t.agency.MintLocationToken(ctx, locationID)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		if IsAgencyRejected(err) {
			if t.rejected == nil {
				t.rejected = err
			}
		} else {
			t.entries[locationID] = &mintedToken{err: err}
		}
		return nil, err
	}
	e := &mintedToken{token: lt.AccessToken.Reveal(), scopes: lt.Scopes()}
	if lt.ExpiresIn > 0 {
		life := time.Duration(lt.ExpiresIn * float64(time.Second))
		e.renewAt = t.agency.client.policy.Clock.Now().Add(life - min(refreshMargin, life/10))
	}
	t.entries[locationID] = e
	return e, nil
}
