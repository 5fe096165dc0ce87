package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// defaultServerInterval is the pause after X-RateLimit-Remaining hits 0 when the
// server does not say how long its window is.
const defaultServerInterval = 10 * time.Second

// limiters keeps one limiter per location: HighLevel counts requests per app
// and location, so locations never slow each other down.
type limiters struct {
	limit rate.Limit
	burst int

	mu sync.Mutex
	m  map[string]*locationLimiter
}

func newLimiters(limit rate.Limit, burst int) *limiters {
	return &limiters{limit: limit, burst: burst, m: make(map[string]*locationLimiter)}
}

// get returns the limiter of a location, creating it on first use.
func (ls *limiters) get(location string) *locationLimiter {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l, ok := ls.m[location]
	if !ok {
		l = &locationLimiter{lim: rate.NewLimiter(ls.limit, ls.burst)}
		ls.m[location] = l
	}
	return l
}

// locationLimiter paces one location: a token bucket for the documented burst,
// plus a hold set from what the server says (X-RateLimit-Remaining reaching 0,
// Retry-After on 429) that stops every request of the location until it ends.
type locationLimiter struct {
	lim *rate.Limiter

	mu        sync.Mutex
	holdUntil time.Time
}

// wait blocks until a request of the location may be sent.
func (l *locationLimiter) wait(ctx context.Context, clk clock) error {
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
func (l *locationLimiter) waitHold(ctx context.Context, clk clock) error {
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

// hold stops the location's requests until t (never shortens a longer hold).
func (l *locationLimiter) hold(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.holdUntil) {
		l.holdUntil = t
	}
}

// observe reads the X-RateLimit-* headers of an answer: when the server says
// no request is left in its window, the location waits one window.
func (l *locationLimiter) observe(h http.Header, now time.Time) {
	v := h.Get("X-RateLimit-Remaining")
	if v == "" {
		return
	}
	remaining, err := strconv.ParseInt(v, 10, 64)
	if err != nil || remaining > 0 {
		return
	}
	interval := defaultServerInterval
	if ms, err := strconv.ParseInt(h.Get("X-RateLimit-Interval-Milliseconds"), 10, 64); err == nil && ms > 0 {
		interval = time.Duration(ms) * time.Millisecond
	}
	l.hold(now.Add(interval))
}
