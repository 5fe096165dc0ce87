// Package apitest holds test doubles for code built on pkg/api and
// pkg/api/krosai.
//
// Clock is a fake api.Clock whose Sleep returns at once: a client given one
// (api.Options.Clock, krosai.Options.Clock) retries, honours Retry-After and
// paces its rate limiter in virtual time, so a test that meets a
// "Retry-After: 1" spends no second waiting, while it can still assert what
// was waited.
//
//	clk := apitest.NewClock(time.Time{})
//	c, err := api.New(api.Options{BaseURL: srv.URL, Clock: clk})
//	...
//	clk.Sleeps() // every wait the client asked for, in order
package apitest

import (
	"context"
	"sync"
	"time"
)

// DefaultStart is the time a Clock made with a zero start begins at.
var DefaultStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Clock is a fake clock: Sleep returns at once (or with the context's error)
// and moves Now forward by the duration slept, and every sleep is recorded.
// Time never moves otherwise, except by Advance. It is safe for concurrent
// use; concurrent sleepers each move the clock, so virtual time runs ahead of
// what a real clock would show, never behind: every wait is at least as long
// as asked.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	sleeps  []time.Duration
	onSleep func()
}

// NewClock returns a Clock reading start, or DefaultStart when start is zero.
func NewClock(start time.Time) *Clock {
	if start.IsZero() {
		start = DefaultStart
	}
	return &Clock{now: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep records d and moves the clock forward by d, at once. When the
// context is done it returns the context's error and records nothing.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	hook := c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(max(d, 0))
	return nil
}

// Advance moves the clock forward by d without recording a sleep, as time
// passing between calls would.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleeps returns every recorded sleep, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Slept returns the sum of the recorded sleeps.
func (c *Clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var total time.Duration
	for _, d := range c.sleeps {
		total += d
	}
	return total
}

// OnSleep sets a function called at the start of every Sleep (before the
// context is checked), for tests that cancel a context mid-wait; nil removes
// it.
func (c *Clock) OnSleep(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onSleep = f
}
