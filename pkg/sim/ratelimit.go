package sim

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// limitState is one location's fixed rate window and daily count.
type limitState struct {
	windowStart time.Time
	inWindow    int
	day         time.Time // UTC midnight of the counted day
	inDay       int
}

// admitLocked counts a request of location at now. It returns whether it is
// admitted and, if not, how long to wait. It always sets the rate headers.
func (s *Server) admitLocked(location string, now time.Time, h http.Header) (bool, time.Duration) {
	if s.opts.RateLimit < 0 {
		return true, 0
	}
	l := s.limits[location]
	if l == nil {
		l = &limitState{}
		s.limits[location] = l
	}
	if now.Sub(l.windowStart) >= s.opts.RateWindow || now.Before(l.windowStart) {
		l.windowStart, l.inWindow = now, 0
	}
	if day := utcDay(now); !day.Equal(l.day) {
		l.day, l.inDay = day, 0
	}
	var wait time.Duration
	switch {
	case l.inDay >= s.opts.DailyLimit:
		wait = l.day.Add(24 * time.Hour).Sub(now)
	case l.inWindow >= s.opts.RateLimit:
		wait = l.windowStart.Add(s.opts.RateWindow).Sub(now)
	default:
		l.inWindow++
		l.inDay++
	}
	s.rateHeaders(l, h)
	return wait == 0, wait
}

func (s *Server) rateHeaders(l *limitState, h http.Header) {
	h.Set("X-RateLimit-Limit-Daily", strconv.Itoa(s.opts.DailyLimit))
	h.Set("X-RateLimit-Daily-Remaining", strconv.Itoa(max(0, s.opts.DailyLimit-l.inDay)))
	h.Set("X-RateLimit-Interval-Milliseconds", strconv.FormatInt(s.opts.RateWindow.Milliseconds(), 10))
	h.Set("X-RateLimit-Max", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, s.opts.RateLimit-l.inWindow)))
}

// retryAfter renders a wait as whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func tooManyRequests() answer {
	return fail(http.StatusTooManyRequests, "Too Many Requests")
}
