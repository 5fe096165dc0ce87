package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// ErrDeletedEarlier is what Run returns when a retried DELETE finds the
// object gone after an earlier attempt that may have deleted it: the delete
// worked, only its answer was lost.
var ErrDeletedEarlier = errors.New("deleted by an earlier attempt")

// Policy says how Run waits and retries. Every field must be set (clients
// fill their defaults before building one).
type Policy struct {
	Clock      Clock
	Rand       func(n int64) int64 // jitter source: a value in [0, n)
	MaxRetries int                 // retries after the first attempt; 0 disables
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After waited out; a longer one (a
	// spent daily cap) ends the call with the last failure at once.
	MaxRetryAfter time.Duration
	Logger        *slog.Logger // debug log of retries; never given a secret
}

// Outcome is what one attempt produced.
type Outcome struct {
	Err   error         // nil on success
	Retry bool          // the attempt may be repeated after a backoff
	After time.Duration // the server asked to wait at least this long (Retry-After)
	// Refused says the server certainly did not act (a 429, a 401 before the
	// credential was renewed): it keeps a later not-found of a DELETE a
	// real not-found.
	Refused bool
	// NotFound says the answer means "no such object".
	NotFound bool
	// Again repeats the attempt at once: no backoff and not counted as a
	// retry. The attempt function must bound how often it asks (it is used
	// to resend once with a renewed credential).
	Again bool
}

// Op is one API operation, which may take several attempts.
type Op struct {
	Method, Path string
	// Subject names who the call is made for in errors and logs, such as
	// "location abc"; empty for none.
	Subject string
	// LogAttrs are added to every log record of the call.
	LogAttrs []slog.Attr
	// Limiter paces the attempts; nil for none.
	Limiter *Limiter
	// Attempt sends the request once; n counts the attempts from 0.
	Attempt func(ctx context.Context, n int) Outcome
}

// where is "GET /path (location x)" for error messages.
func (op *Op) where() string {
	if op.Subject == "" {
		return op.Method + " " + op.Path
	}
	return op.Method + " " + op.Path + " (" + op.Subject + ")"
}

// Run performs op: it waits for the limiter, attempts, and retries what the
// attempt says may be retried, with exponential backoff and full jitter, no
// sooner than a Retry-After. A DELETE whose earlier attempt may have acted
// and whose retry answers not found returns ErrDeletedEarlier.
func (p *Policy) Run(ctx context.Context, op Op) error {
	mayHaveActed := false // an earlier attempt may have taken effect
	retries := 0
	for n := 0; ; n++ {
		if op.Limiter != nil {
			if err := op.Limiter.Wait(ctx, p.Clock); err != nil {
				return fmt.Errorf("%s: waiting for the rate limiter: %w", op.where(), err)
			}
		}
		o := op.Attempt(ctx, n)
		if o.Err == nil {
			return nil
		}
		if mayHaveActed && op.Method == http.MethodDelete && o.NotFound {
			return ErrDeletedEarlier
		}
		if o.Again && ctx.Err() == nil {
			continue
		}
		if !o.Refused {
			mayHaveActed = true
		}
		if !o.Retry || retries >= p.MaxRetries {
			return o.Err
		}
		if o.After > p.MaxRetryAfter {
			return fmt.Errorf("server asks to wait %v, more than %v: %w", o.After, p.MaxRetryAfter, o.Err)
		}
		delay := max(Backoff(retries, p.MinBackoff, p.MaxBackoff, p.Rand), o.After)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			// Waiting would outlast the caller's deadline: stop now.
			return fmt.Errorf("%s: next retry in %v is past the deadline: %w (last failure: %w)",
				op.where(), delay, context.DeadlineExceeded, o.Err)
		}
		if log := p.Logger; log != nil && log.Enabled(ctx, slog.LevelDebug) {
			attrs := append([]slog.Attr{slog.String("method", op.Method), slog.String("path", op.Path)}, op.LogAttrs...)
			attrs = append(attrs, slog.Int("attempt", n+1), slog.Duration("delay", delay))
			log.LogAttrs(ctx, slog.LevelDebug, "api retry", attrs...)
		}
		if err := p.Clock.Sleep(ctx, delay); err != nil {
			return fmt.Errorf("%s: stopped retrying: %w (last failure: %w)", op.where(), err, o.Err)
		}
		retries++
	}
}

// ErrorOutcome classifies a non-2xx answer the same way for every client: a
// 429 is retried (the server refused without acting, so a POST too) after
// holding the whole limiter until Retry-After; a 5xx other than 501 is
// retried when the call is idempotent, and is otherwise ambiguous (the
// server may have acted before it failed: ambiguous wraps err so); anything
// else is final. notFound says whether err means the object does not exist.
func ErrorOutcome(status int, header http.Header, now time.Time, lim *Limiter, idempotent bool, err error,
	ambiguous func(error) error, notFound bool) Outcome {
	after, hasAfter := ParseRetryAfter(header.Get("Retry-After"), now)
	switch {
	case status == http.StatusTooManyRequests:
		if hasAfter {
			lim.Hold(now.Add(after))
		}
		return Outcome{Err: err, Retry: true, After: after, Refused: true}
	case status >= 500 && status != http.StatusNotImplemented:
		if !idempotent {
			return Outcome{Err: ambiguous(err)}
		}
		return Outcome{Err: err, Retry: true, After: after} // a 503 may say when to come back
	}
	return Outcome{Err: err, NotFound: notFound}
}
