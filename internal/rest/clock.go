package rest

import (
	"context"
	"time"
)

// Clock is the notion of time the clients wait on. Tests substitute a fake
// whose Sleep returns at once (see pkg/api/apitest).
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and returns
	// ctx's error in the latter case. A d of zero or less returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

// WallClock is the real clock.
type WallClock struct{}

// Now returns time.Now().
func (WallClock) Now() time.Time { return time.Now() }

// Sleep waits on a timer or ctx.
func (WallClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
