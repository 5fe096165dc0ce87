package krosai

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
	"sync/atomic"
	"time"

	"github.com/agentform/agentform/internal/rest"
)

// errEmptyID reports a call made with an empty id, which would address
// another endpoint.
var errEmptyID = errors.New("krosai: empty id")

// errDeletedEarlier is returned by do when a retried DELETE finds the object
// gone after an attempt that may have deleted it.
var errDeletedEarlier = rest.ErrDeletedEarlier

// call is one API operation; it may take several attempts.
type call struct {
	method      string
	path        string // escaped, without query
	body        []byte // nil for none
	contentType string // of body
	out         any    // decoded from a 2xx answer; nil to ignore
	// check vets the decoded answer; a rejected answer is retried like a
	// failure when the call is idempotent.
	check func() error
}

// idempotent reports whether repeating the call cannot change its effect.
func (c *call) idempotent() bool { return c.method != http.MethodPost }

// where is "GET /v1/agents (KrosAI account A)".
func (a *Account) where(c *call) string {
	return c.method + " " + c.path + " (KrosAI account " + a.name + ")"
}

// jsonCall builds a call with a JSON body.
func jsonCall(method, path string, in, out any) (call, error) {
	c := call{method: method, path: path, out: out}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return c, fmt.Errorf("%s %s: encode request: %w", method, path, err)
		}
		c.body, c.contentType = b, "application/json"
	}
	return c, nil
}

// do runs a call through the account's limiter with retries.
func (a *Account) do(ctx context.Context, c call) error {
	cl := a.client
	lim := cl.limiters.Get(a.name)
	err := cl.policy.Run(ctx, rest.Op{
		Method:   c.method,
		Path:     c.path,
		Subject:  "KrosAI account " + a.name,
		LogAttrs: a.attrs,
		Limiter:  lim,
		Attempt: func(ctx context.Context, n int) rest.Outcome {
			return a.attempt(ctx, lim, &c, n)
		},
	})
	if errors.Is(err, rest.ErrDeletedEarlier) {
		return errDeletedEarlier
	}
	return cl.red.Error(err)
}

// attempt sends the call once and classifies what happened.
func (a *Account) attempt(ctx context.Context, lim *rest.Limiter, c *call, n int) rest.Outcome {
	cl := a.client
	var wrote atomic.Bool
	if !c.idempotent() {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})
	}
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, cl.base+c.path, body)
	if err != nil {
		return rest.Outcome{Err: fmt.Errorf("%s: build request: %w", a.where(c), err)}
	}
	h := make(http.Header, 5)
	h[a.hdrName] = a.hdrValue
	h["User-Agent"] = cl.ua
	h["Accept"] = cl.json
	if c.contentType != "" {
		h["Content-Type"] = []string{c.contentType}
	}
	req.Header = h

	start := cl.policy.Clock.Now()
	resp, err := cl.hc.Do(req)
	if err != nil {
		a.logAttempt(ctx, c, n, 0, start, err)
		err = fmt.Errorf("%s: %w", a.where(c), err)
		switch {
		case !c.idempotent() && wrote.Load():
			return rest.Outcome{Err: a.ambiguous(c, err)}
		case ctx.Err() != nil || rest.Permanent(err):
			return rest.Outcome{Err: err}
		}
		return rest.Outcome{Err: err, Retry: true}
	}
	defer resp.Body.Close()
	lim.Observe(resp.Header, cl.policy.Clock.Now())
	data, readErr := rest.ReadBody(resp.Body)
	a.logAttempt(ctx, c, n, resp.StatusCode, start, readErr)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if readErr != nil {
			err := fmt.Errorf("%s: read %d answer: %w", a.where(c), resp.StatusCode, readErr)
			if !c.idempotent() {
				return rest.Outcome{Err: a.ambiguous(c, err)}
			}
			return rest.Outcome{Err: err, Retry: true}
		}
		if c.out != nil {
			if err := json.Unmarshal(data, c.out); err != nil {
				return rest.Outcome{Err: a.unusable(c, fmt.Errorf("decode %d answer: %w", resp.StatusCode, err)), Retry: c.idempotent()}
			}
		}
		if c.check != nil {
			if err := c.check(); err != nil {
				return rest.Outcome{Err: a.unusable(c, err), Retry: c.idempotent()}
			}
		}
		return rest.Outcome{}
	}

	apiErr := newError(c.method, c.path, a.name, resp.StatusCode, data, cl.red)
	return rest.ErrorOutcome(resp.StatusCode, resp.Header, cl.policy.Clock.Now(), lim, c.idempotent(), apiErr,
		func(err error) error { return a.ambiguous(c, err) }, resp.StatusCode == http.StatusNotFound)
}

// ambiguous wraps the failure of a POST that may have acted.
func (a *Account) ambiguous(c *call, err error) *AmbiguousError {
	return &AmbiguousError{Method: c.method, Path: c.path, Err: err}
}

// unusable reports a 2xx answer the client cannot use; for a POST the
// outcome is ambiguous.
func (a *Account) unusable(c *call, err error) error {
	err = fmt.Errorf("%s: %w", a.where(c), err)
	if !c.idempotent() {
		return a.ambiguous(c, err)
	}
	return err
}

// logAttempt logs one attempt at debug level: method, path, account,
// status, duration, attempt and error. Never headers, never bodies.
func (a *Account) logAttempt(ctx context.Context, c *call, n, status int, start time.Time, err error) {
	log := a.client.log
	if !log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", c.method),
		slog.String("path", c.path),
		slog.String("account", a.name),
		slog.Int("status", status),
		slog.Duration("duration", a.client.policy.Clock.Now().Sub(start)),
		slog.Int("attempt", n+1),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", a.client.red.String(err.Error())))
	}
	log.LogAttrs(ctx, slog.LevelDebug, "krosai request", attrs...)
}
