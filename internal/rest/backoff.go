package rest

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff returns the delay before retry number attempt (0 for the first
// retry): a uniformly random duration in [0, min(hi, lo·2^attempt)] ("full
// jitter"). rnd returns a random value in [0, n).
func Backoff(attempt int, lo, hi time.Duration, rnd func(n int64) int64) time.Duration {
	ceiling := lo
	for i := 0; i < attempt && ceiling < hi; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, hi)
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rnd(int64(ceiling) + 1))
}

// DefaultRand is math/rand/v2's goroutine-safe source.
func DefaultRand(n int64) int64 { return rand.Int64N(n) }

// ParseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// It reports false when the header is absent or unreadable.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
