package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/internal/rest"
)

// redacted replaces a token wherever one would otherwise show.
const redacted = redact.Mask

// errDeletedEarlier is returned by do when a retried DELETE finds the object
// gone after an earlier attempt that may have deleted it: the delete worked.
var errDeletedEarlier = rest.ErrDeletedEarlier

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
	lim := cl.limiters.Get(l.id)
	err := cl.policy.Run(ctx, rest.Op{
		Method:   c.method,
		Path:     c.path,
		Subject:  "location " + l.id,
		LogAttrs: []slog.Attr{slog.String("location", l.id)},
		Limiter:  lim,
		Attempt: func(ctx context.Context, n int) rest.Outcome {
			return l.attempt(ctx, lim, &c, payload, n)
		},
	})
	if errors.Is(err, rest.ErrDeletedEarlier) {
		return errDeletedEarlier
	}
	return l.scrub(err)
}

// attempt sends the call once and classifies what happened.
func (l *Location) attempt(ctx context.Context, lim *rest.Limiter, c *call, payload []byte, n int) rest.Outcome {
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
		return rest.Outcome{Err: err}
	}

	start := cl.policy.Clock.Now()
	resp, err := cl.hc.Do(req)
	if err != nil {
		l.logAttempt(ctx, c, n, 0, start, err)
		return l.transportFailure(ctx, c, err, wrote.Load())
	}
	defer resp.Body.Close()
	lim.Observe(resp.Header, cl.policy.Clock.Now())
	body, readErr := rest.ReadBody(resp.Body)
	l.logAttempt(ctx, c, n, resp.StatusCode, start, readErr)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if readErr != nil {
			return l.brokenAnswer(c, resp.StatusCode, readErr)
		}
		if c.out != nil {
			if err := json.Unmarshal(body, c.out); err != nil {
				return rest.Outcome{Err: l.unusable(c, fmt.Errorf("decode %d answer: %w", resp.StatusCode, err))}
			}
		}
		if c.check != nil {
			if err := c.check(); err != nil {
				return rest.Outcome{Err: l.unusable(c, err), Retry: c.idempotent()}
			}
		}
		return rest.Outcome{}
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
func (l *Location) errorAnswer(c *call, lim *rest.Limiter, resp *http.Response, body []byte) rest.Outcome {
	apiErr := newError(c.method, c.path, l.id, resp.StatusCode, body, l.client.red)
	now := l.client.policy.Clock.Now()
	after, hasAfter := rest.ParseRetryAfter(resp.Header.Get("Retry-After"), now)
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		// The server refused without acting: safe to retry, POST included.
		// The whole location waits, not just this call.
		if hasAfter {
			lim.Hold(now.Add(after))
		}
		return rest.Outcome{Err: apiErr, Retry: true, After: after, Refused: true}
	case code >= 500 && code != http.StatusNotImplemented:
		if !c.idempotent() {
			// The server may have acted before it failed.
			return rest.Outcome{Err: &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: apiErr}}
		}
		// A 503 may say when to come back.
		return rest.Outcome{Err: apiErr, Retry: true, After: after}
	default:
		return rest.Outcome{Err: apiErr, NotFound: IsNotFound(apiErr)}
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
func (l *Location) brokenAnswer(c *call, status int, readErr error) rest.Outcome {
	err := fmt.Errorf("%s %s (location %s): read %d answer: %w", c.method, c.path, l.id, status, readErr)
	if !c.idempotent() {
		// The server acted; only its answer is lost.
		return rest.Outcome{Err: &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: err}}
	}
	return rest.Outcome{Err: err, Retry: true}
}

// transportFailure classifies an attempt that got no answer. wrote tells
// whether the request headers had been sent.
func (l *Location) transportFailure(ctx context.Context, c *call, err error, wrote bool) rest.Outcome {
	err = fmt.Errorf("%s %s (location %s): %w", c.method, c.path, l.id, err)
	if !c.idempotent() && wrote {
		return rest.Outcome{Err: &AmbiguousError{Method: c.method, Path: c.path, Location: l.id, Err: err}}
	}
	if ctx.Err() != nil || rest.Permanent(err) {
		return rest.Outcome{Err: err}
	}
	// Idempotent, or a POST that never left: sending again is safe.
	return rest.Outcome{Err: err, Retry: true}
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
		slog.Duration("duration", l.client.policy.Clock.Now().Sub(start)),
		slog.Int("attempt", n+1),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", l.client.red.String(err.Error())))
	}
	log.LogAttrs(ctx, slog.LevelDebug, "api request", attrs...)
}

// scrub makes sure an error's text never carries a token (or a long
// fragment of one) the client knows. Errors from this package and net/http
// do not; this is the last line of defence. The result still unwraps to err.
func (l *Location) scrub(err error) error { return l.client.red.Error(err) }
