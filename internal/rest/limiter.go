package rest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultServerInterval is the pause after X-RateLimit-Remaining hits 0 when
// the server does not say how long its window is.
const DefaultServerInterval = 10 * time.Second

// Limiters keeps one Limiter per key (a HighLevel location, an agency, a
// KrosAI account): the services count requests per resource, so keys never
// slow each other down.
type Limiters struct {
	limit rate.Limit
	burst int

	mu sync.Mutex
	m  map[string]*Limiter
}

// NewLimiters returns limiters of limit requests per second with burst.
func NewLimiters(limit rate.Limit, burst int) *Limiters {
	return &Limiters{limit: limit, burst: burst, m: make(map[string]*Limiter)}
}

// Get returns the limiter of key, creating it on first use.
func (ls *Limiters) Get(key string) *Limiter {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l, ok := ls.m[key]
	if !ok {
		l = &Limiter{lim: rate.NewLimiter(ls.limit, ls.burst)}
		ls.m[key] = l
	}
	return l
}

// Limiter paces one key: a token bucket for the documented burst, plus a
// hold set from what the server says (X-RateLimit-Remaining reaching 0,
// Retry-After on 429) that stops every request of the key until it ends.
type Limiter struct {
	lim *rate.Limiter

	mu        sync.Mutex
	holdUntil time.Time
}

// Wait blocks until a request may be sent.
func (l *Limiter) Wait(ctx context.Context, clk Clock) error {
	if err := l.waitHold(ctx, clk); err != nil {
		return err
	}
	now := clk.Now()
	r := l.lim.ReserveN(now, 1)
	if !r.OK() {
		return errors.New("rate limiter: burst is 0, no request can pass")
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := clk.Sleep(ctx, d); err != nil {
			r.CancelAt(clk.Now())
			return err
		}
	}
	// A hold may have started while this request waited for its token.
	return l.waitHold(ctx, clk)
}

// waitHold sleeps until the server-imposed hold is over.
func (l *Limiter) waitHold(ctx context.Context, clk Clock) error {
	for {
		l.mu.Lock()
		until := l.holdUntil
		l.mu.Unlock()
		d := until.Sub(clk.Now())
		if d <= 0 {
			return ctx.Err()
		}
		if err := clk.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// Hold stops the key's requests until t (never shortens a longer hold).
func (l *Limiter) Hold(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.holdUntil) {
		l.holdUntil = t
	}
}

// Observe reads HighLevel's X-RateLimit-* headers of an answer: when the
// server says no request is left in its window, the key waits one window
// (X-RateLimit-Interval-Milliseconds, else DefaultServerInterval). Answers
// without these headers change nothing.
func (l *Limiter) Observe(h http.Header, now time.Time) {
	v := h.Get("X-RateLimit-Remaining")
	if v == "" {
		return
	}
	remaining, err := strconv.ParseInt(v, 10, 64)
	if err != nil || remaining > 0 {
		return
	}
	interval := DefaultServerInterval
	if ms, err := strconv.ParseInt(h.Get("X-RateLimit-Interval-Milliseconds"), 10, 64); err == nil && ms > 0 {
		interval = time.Duration(ms) * time.Millisecond
	}
	l.Hold(now.Add(interval))
}
