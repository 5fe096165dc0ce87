package api

import (
	"context"
	"time"

	"github.com/agentform/agentform/internal/rest"
)

// Clock is the time the client waits on: rate-limiter pauses, backoff
// between retries and Retry-After holds all go through Sleep, and every
// "now" (Retry-After dates, server-imposed holds, token expiry) through Now.
// Options.Clock defaults to the wall clock; tests pass a fake whose Sleep
// returns at once (apitest.Clock), so no test sleeps for real.
//
// pkg/api/krosai takes the same interface, so one clock can drive both
// clients.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and returns
	// ctx's error in the latter case. A d of zero or less returns ctx.Err()
	// at once.
	Sleep(ctx context.Context, d time.Duration) error
}

// WallClock returns the real clock, the default of Options.Clock.
func WallClock() Clock { return rest.WallClock{} }

// The internal clock and the exported one are the same interface.
var _ rest.Clock = Clock(nil)
