package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// maxBody bounds how much of an answer is read.
const maxBody = 16 << 20

// redacted replaces a token wherever one would otherwise show.
const redacted = "[REDACTED]"

// errDeletedEarlier is returned by do when a retried DELETE finds the object
// gone after an earlier attempt that may have deleted it: the delete worked.
var errDeletedEarlier = errors.New("deleted by an earlier attempt")

// call is one API operation: the same call may take several attempts.
type call struct {
	method string
	path   string     // API path, escaped, without query
	query  url.Values // nil for none
	body   any        // marshalled as JSON; nil for none
	out    any        // decoded from a 2xx answer; nil to ignore it
	// check, when set, vets the decoded answer. An answer it rejects is
	// retried like a failed attempt (a GET may well get a sound answer next
	// time) and is the call's error when retries run out.
	check func() error
}

// idempotent reports whether repeating the call cannot change its effect.
func (c *call) idempotent() bool { return c.method != http.MethodPost }

// outcome is what one attempt produced.
type outcome struct {
	err   error         // nil on success
	retry bool          // the attempt may be repeated
	after time.Duration // the server asked to wait at least this long (Retry-After)
}

// do runs a call: it waits for the location's limiter, sends, and retries
// what is safe to retry with exponential backoff and full jitter.
func (l *Location) do(ctx context.Context, c call) error {
	cl := l.client
	var payload []byte
	if c.body != nil {
		var err error
		if payload, err = json.Marshal(c.body); err != nil {
			return fmt.Errorf("%s %s (location %s): encode request: %w", c.method, c.path, l.id, err)
		}
	}
	lim := cl.limiters.get(l.id)
	mayHaveActed := false // an earlier attempt may have taken effect
	for attempt := 0; ; attempt++ {
		if err := lim.wait(ctx, cl.clk); err != nil {
			return l.scrub(fmt.Errorf("%s %s (location %s): waiting for the rate limiter: %w", c.method, c.path, l.id, err))
		}
		o := l.attempt(ctx, lim, &c, payload, attempt)
		if o.err == nil {
			return nil
		}
		if mayHaveActed && c.method == http.MethodDelete && IsNotFound(o.err) {
			// The earlier attempt deleted it; only its answer was lost.
			return errDeletedEarlier
		}
		if !IsRateLimited(o.err) {
			mayHaveActed = true
		}
		if !o.retry || attempt >= cl.maxRetries {
			return l.scrub(o.err)
		}
		if o.after > cl.maxRetryAfter {
			return l.scrub(fmt.Errorf("server asks to wait %v, more than %v: %w", o.after, cl.maxRetryAfter, o.err))
		}
		delay := max(backoff(attempt, cl.opts.MinBackoff, cl.opts.MaxBackoff, cl.rnd), o.after)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			// Waiting would outlast the caller's deadline: stop now.
			return l.scrub(fmt.Errorf("%s %s (location %s): next retry in %v is past the deadline: %w (last failure: %w)",
				c.method, c.path, l.id, delay, context.DeadlineExceeded, o.err))
		}
		if log := cl.log; log.Enabled(ctx, slog.LevelDebug) {
			log.LogAttrs(ctx, slog.LevelDebug, "api retry", slog.String("method", c.method), slog.String("path", c.path),
				slog.String("location", l.id), slog.Int("attempt", attempt+1), slog.Duration("delay", delay))
		}
		if err := cl.clk.Sleep(ctx, delay); err != nil {
			return l.scrub(fmt.Errorf("%s %s (location %s): stopped retrying: %w (last failure: %w)", c.method, c.path, l.id, err, o.err))
		}
	}
}

// attempt sends the call once and classifies what happened.
func (l *Location) attempt(ctx context.Context, lim *locationLimiter, c *call, payload []byte, n int) outcome {
	cl := l.client
	// wrote turns true once the request headers went out: from then on a
	// POST may have reached the server. Idempotent calls need not know.
	var wrote atomic.Bool
	if !c.idempotent() {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		})
	}
	req, err := l.newRequest(ctx, c, payload)
	if err != nil {
		return outcome{err: err}
	}

	start := cl.clk.Now()
	resp, err := cl.hc.Do(req)
	if err != nil {
		l.logAttempt(ctx, c, n, 0, start, err)
		return l.transportFailure(ctx, c, err, wrote.Load())
	}
	defer resp.Body.Close()
	lim.observe(resp.Header, cl.clk.Now())
	body, readErr := readBody(resp.Body)
	l.logAttempt(ctx, c, n, resp.StatusCode, start, readErr)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if readErr != nil {
			return l.brokenAnswer(c, resp.StatusCode, readErr)
		}
		if c.out != nil {
			if err := json.Unmarshal(body, c.out); err != nil {
				return outcome{err: l.unusable(c, fmt.Errorf("decode %d answer: %w", resp.StatusCode, err))}
			}
		}
		if c.check != nil {
			if err := c.check(); err != nil {
				return outcome{err: l.unusable(c, err), retry: c.idempotent()}
			}
		}
		return outcome{}
	}
	return l.errorAnswer(c, lim, resp, body)
}

// newRequest builds the HTTP request of a call with its headers. The header
// values are shared, read-only slices made once per client and location.
func (l *Location) newRequest(ctx context.Context, c *call, payload []byte) (*http.Request, error) {
	cl := l.client
	u := cl.base + c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s (location %s): build request: %w", c.method, c.path, l.id, err)
	}
	h := make(http.Header, 5)
	h["Authorization"] = l.auth
	h["Version"] = cl.hdr.version
	h["User-Agent"] = cl.hdr.userAgent
	h["Accept"] = cl.hdr.json
	if payload != nil {
		h["Content-Type"] = cl.hdr.json
	}
	req.Header = h
	return req, nil
}

// errorAnswer classifies a non-2xx answer.
func (l *Location) errorAnswer(c *call, lim *locationLimiter, resp *http.Response, body []byte) outcome {
	apiErr := newError(c.method, c.path, l.id, resp.StatusCode, body, l.token)
	now := l.client.clk.Now()
	after, hasAfter := parseRetryAfter(resp.Header.Get("Retry-After"), now)
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		// The server refused without acting: safe to retry, POST included.
		// The whole location waits, not just this call.
		if hasAfter {
			lim.hold(now.Add(after))
		}
		return outcome{err: apiErr, retry: true, after: after}
	case code >= 500 && code != http.StatusNotImplemented:
		if !c.idempotent() {
			// The server may have acted before it failed.
			return outcome{err: &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: apiErr}}
		}
		// A 503 may say when to come back.
		return outcome{err: apiErr, retry: true, after: after}
	default:
		return outcome{err: apiErr}
	}
}

// unusable reports a 2xx answer the client cannot use. For a POST the server
// acted, but what it created is unknown: the outcome is ambiguous.
func (l *Location) unusable(c *call, err error) error {
	err = fmt.Errorf("%s %s (location %s): %w", c.method, c.path, l.id, err)
	if !c.idempotent() {
		return &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: err}
	}
	return err
}

// brokenAnswer handles a 2xx answer whose body could not be read in full.
func (l *Location) brokenAnswer(c *call, status int, readErr error) outcome {
	err := fmt.Errorf("%s %s (location %s): read %d answer: %w", c.method, c.path, l.id, status, readErr)
	if !c.idempotent() {
		// The server acted; only its answer is lost.
		return outcome{err: &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: err}}
	}
	return outcome{err: err, retry: true}
}

// transportFailure classifies an attempt that got no answer. wrote tells
// whether the request headers had been sent.
func (l *Location) transportFailure(ctx context.Context, c *call, err error, wrote bool) outcome {
	err = fmt.Errorf("%s %s (location %s): %w", c.method, c.path, l.id, err)
	if !c.idempotent() && wrote {
		return outcome{err: &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: err}}
	}
	if ctx.Err() != nil || permanent(err) {
		return outcome{err: err}
	}
	// Idempotent, or a POST that never left: sending again is safe.
	return outcome{err: err, retry: true}
}

// permanent reports transport failures that a retry cannot fix.
func permanent(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr)
}

// readBody reads an answer up to maxBody.
func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return body, err
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("answer larger than %d bytes", maxBody)
	}
	return body, nil
}

// logAttempt logs one attempt at debug level: method, path, location, status,
// duration, attempt and error. Never headers, never bodies.
func (l *Location) logAttempt(ctx context.Context, c *call, n, status int, start time.Time, err error) {
	log := l.client.log
	if !log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", c.method),
		slog.String("path", c.path),
		slog.String("location", l.id),
		slog.Int("status", status),
		slog.Duration("duration", l.client.clk.Now().Sub(start)),
		slog.Int("attempt", n+1),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", l.redact(err.Error())))
	}
	log.LogAttrs(ctx, slog.LevelDebug, "api request", attrs...)
}

// redact cuts the token out of s.
func (l *Location) redact(s string) string {
	if l.token == "" {
		return s
	}
	return strings.ReplaceAll(s, l.token, redacted)
}

// scrub makes sure an error's text never carries the token. Errors from this
// package and net/http do not; this is the last line of defence.
func (l *Location) scrub(err error) error {
	if err == nil || l.token == "" || !strings.Contains(err.Error(), l.token) {
		return err
	}
	return &redactedError{msg: l.redact(err.Error()), err: err}
}

// redactedError shows a message with the token cut out, and still unwraps to
// the original error for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
