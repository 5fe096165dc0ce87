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
	"sync"
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
	form   url.Values // sent form-encoded instead of body; nil for none
	out    any        // decoded from a 2xx answer; nil to ignore it
	// check, when set, vets the decoded answer. An answer it rejects is
	// retried like a failed attempt (a GET may well get a sound answer next
	// time) and is the call's error when retries run out.
	check func() error
	// version is the Version header; "" for Options.Version (the
	// Conversation AI documents' value).
	version string
	// scope is the scope the call needs, named in its errors. Conversation
	// AI calls (version "") leave it empty for the scope of their method.
	scope string
	// retrySafe marks a POST that may be sent twice without harm (minting a
	// token): it is retried like a GET and is never ambiguous.
	retrySafe bool
}

// idempotent reports whether repeating the call cannot change its effect.
func (c *call) idempotent() bool { return c.method != http.MethodPost || c.retrySafe }

// neededScope is the scope named in the call's errors.
func (c *call) neededScope() string {
	switch {
	case c.scope != "" || c.version != "":
		return c.scope
	case c.method == http.MethodGet:
		return ScopeReadonly
	default:
		return ScopeWrite
	}
}

// caller is who a request is made for: a location (with a fixed token or a
// TokenSource) or an agency (company). It holds the request loop shared by
// Location and Agency.
type caller struct {
	client  *Client
	id      string // location id, or company id when company is set
	company bool   // agency calls: id is a company
	token   string // fixed token; "" when src is set
	auth    []string
	src     TokenSource // nil for a fixed token
	cur     *authCache  // the last token src gave and its header
	subj    string      // "location X" or "company X"
	attrs   []slog.Attr // names the caller in logs, shared read-only
}

// newCaller fills the derived fields of a caller.
func newCaller(c caller) caller {
	if c.company {
		c.subj = "company " + c.id
		c.attrs = []slog.Attr{slog.String("company", c.id)}
	} else {
		c.subj = "location " + c.id
		c.attrs = []slog.Attr{slog.String("location", c.id)}
	}
	return c
}

// authCache keeps the Authorization header of the last token a TokenSource
// gave, so a token reused by many requests is formatted once.
type authCache struct {
	mu    sync.Mutex
	token string
	hdr   []string
}

// where is "GET /path (location X)".
func (c *caller) where(cl *call) string {
	return cl.method + " " + cl.path + " (" + c.subj + ")"
}

// limiterKey keys the rate limiter: HighLevel counts per location, and per
// company for agency calls.
func (c *caller) limiterKey() string {
	if c.company {
		return "company:" + c.id
	}
	return c.id
}

// location is the Location field of errors (empty for agency calls).
func (c *caller) location() string {
	if c.company {
		return ""
	}
	return c.id
}

// authorization returns the Authorization header value and the token in it.
func (c *caller) authorization(ctx context.Context) ([]string, string, error) {
	if c.src == nil {
		return c.auth, c.token, nil
	}
	tok, err := c.src.Token(ctx, c.id)
	if err != nil {
		return nil, "", err
	}
	if tok == "" {
		return nil, "", fmt.Errorf("location %s: the token source gave an empty token", c.id)
	}
	c.cur.mu.Lock()
	defer c.cur.mu.Unlock()
	if c.cur.token != tok {
		c.client.red.Add(tok)
		c.cur.token, c.cur.hdr = tok, []string{"Bearer " + tok}
	}
	return c.cur.hdr, tok, nil
}

// do runs a call: it waits for the caller's limiter, sends, and retries
// what is safe to retry with exponential backoff and full jitter. With a
// TokenSource, a 401 that does not speak of scope renews the token once and
// sends again at once (see TokenSource).
func (c *caller) do(ctx context.Context, cl call) error {
	client := c.client
	var payload []byte
	var contentType []string
	switch {
	case cl.form != nil:
		payload, contentType = []byte(cl.form.Encode()), client.hdr.form
	case cl.body != nil:
		var err error
		if payload, err = json.Marshal(cl.body); err != nil {
			return fmt.Errorf("%s: encode request: %w", c.where(&cl), err)
		}
		contentType = client.hdr.json
	}
	lim := client.limiters.Get(c.limiterKey())
	renewed := false
	err := client.policy.Run(ctx, rest.Op{
		Method:   cl.method,
		Path:     cl.path,
		Subject:  c.subj,
		LogAttrs: c.attrs,
		Limiter:  lim,
		Attempt: func(ctx context.Context, n int) rest.Outcome {
			o, used := c.attempt(ctx, lim, &cl, payload, contentType, n)
			if c.src == nil || renewed || !isExpiry(o.Err) {
				return o
			}
			renewed = true
			if _, err := c.src.Renew(ctx, c.id, used); err != nil {
				return rest.Outcome{Err: fmt.Errorf("%w (renewing the token failed: %w)", o.Err, err)}
			}
			o.Again, o.Refused = true, true
			return o
		},
	})
	if errors.Is(err, rest.ErrDeletedEarlier) {
		return errDeletedEarlier
	}
	return client.red.Error(err)
}

// isExpiry reports a 401 that may be cured by a fresh token: any 401 whose
// message does not speak of scope (a token lacking a scope stays so when
// renewed).
func isExpiry(err error) bool {
	e, ok := statusOf(err)
	return ok && e.Status == http.StatusUnauthorized && !isScopeMessage(e.Message)
}

// attempt sends the call once and classifies what happened. It returns the
// token it sent.
func (c *caller) attempt(ctx context.Context, lim *rest.Limiter, cl *call, payload []byte, contentType []string, n int) (rest.Outcome, string) {
	client := c.client
	auth, token, err := c.authorization(ctx)
	if err != nil {
		return rest.Outcome{Err: err}, ""
	}
	// wrote turns true once the request headers went out: from then on a
	// POST may have reached the server. Idempotent calls need not know.
	var wrote atomic.Bool
	if !cl.idempotent() {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		})
	}
	req, err := c.newRequest(ctx, cl, payload, contentType, auth)
	if err != nil {
		return rest.Outcome{Err: err}, token
	}

	start := client.policy.Clock.Now()
	resp, err := client.hc.Do(req)
	if err != nil {
		c.logAttempt(ctx, cl, n, 0, start, err)
		return c.transportFailure(ctx, cl, err, wrote.Load()), token
	}
	defer resp.Body.Close()
	lim.Observe(resp.Header, client.policy.Clock.Now())
	body, readErr := rest.ReadBody(resp.Body)
	c.logAttempt(ctx, cl, n, resp.StatusCode, start, readErr)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if readErr != nil {
			return c.brokenAnswer(cl, resp.StatusCode, readErr), token
		}
		if cl.out != nil {
			if err := json.Unmarshal(body, cl.out); err != nil {
				return rest.Outcome{Err: c.unusable(cl, fmt.Errorf("decode %d answer: %w", resp.StatusCode, err))}, token
			}
		}
		if cl.check != nil {
			if err := cl.check(); err != nil {
				return rest.Outcome{Err: c.unusable(cl, err), Retry: cl.idempotent()}, token
			}
		}
		return rest.Outcome{}, token
	}
	return c.errorAnswer(cl, lim, resp, body), token
}

// newRequest builds the HTTP request of a call with its headers. The header
// values are shared, read-only slices made once per client and caller.
func (c *caller) newRequest(ctx context.Context, cl *call, payload []byte, contentType, auth []string) (*http.Request, error) {
	client := c.client
	u := client.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s: build request: %w", c.where(cl), err)
	}
	h := make(http.Header, 5)
	h["Authorization"] = auth
	h["Version"] = client.hdr.version
	if cl.version != "" {
		h["Version"] = []string{cl.version}
	}
	h["User-Agent"] = client.hdr.userAgent
	h["Accept"] = client.hdr.json
	if contentType != nil {
		h["Content-Type"] = contentType
	}
	req.Header = h
	return req, nil
}

// newError builds the *Error of a non-2xx answer to cl.
func (c *caller) newError(cl *call, status int, body []byte) *Error {
	e := newError(cl.method, cl.path, c.location(), status, body, c.client.red)
	e.Scope = cl.neededScope()
	if c.company {
		e.Company = c.id
	}
	return e
}

// ambiguous wraps err, the failure of a POST that may have acted.
func (c *caller) ambiguous(cl *call, err error) *AmbiguousError {
	return &AmbiguousError{Method: cl.method, Path: cl.path, Location: c.location(), Err: err}
}

// errorAnswer classifies a non-2xx answer.
func (c *caller) errorAnswer(cl *call, lim *rest.Limiter, resp *http.Response, body []byte) rest.Outcome {
	apiErr := c.newError(cl, resp.StatusCode, body)
	return rest.ErrorOutcome(resp.StatusCode, resp.Header, c.client.policy.Clock.Now(), lim, cl.idempotent(), apiErr,
		func(err error) error { return c.ambiguous(cl, err) }, IsNotFound(apiErr))
}

// unusable reports a 2xx answer the client cannot use. For a POST the server
// acted, but what it created is unknown: the outcome is ambiguous.
func (c *caller) unusable(cl *call, err error) error {
	err = fmt.Errorf("%s: %w", c.where(cl), err)
	if !cl.idempotent() {
		return c.ambiguous(cl, err)
	}
	return err
}

// brokenAnswer handles a 2xx answer whose body could not be read in full.
func (c *caller) brokenAnswer(cl *call, status int, readErr error) rest.Outcome {
	err := fmt.Errorf("%s: read %d answer: %w", c.where(cl), status, readErr)
	if !cl.idempotent() {
		// The server acted; only its answer is lost.
		return rest.Outcome{Err: c.ambiguous(cl, err)}
	}
	return rest.Outcome{Err: err, Retry: true}
}

// transportFailure classifies an attempt that got no answer. wrote tells
// whether the request headers had been sent.
func (c *caller) transportFailure(ctx context.Context, cl *call, err error, wrote bool) rest.Outcome {
	err = fmt.Errorf("%s: %w", c.where(cl), err)
	if !cl.idempotent() && wrote {
		return rest.Outcome{Err: c.ambiguous(cl, err)}
	}
	if ctx.Err() != nil || rest.Permanent(err) {
		return rest.Outcome{Err: err}
	}
	// Idempotent, or a POST that never left: sending again is safe.
	return rest.Outcome{Err: err, Retry: true}
}

// logAttempt logs one attempt at debug level: method, path, location (or
// company), status, duration, attempt and error. Never headers, never bodies.
func (c *caller) logAttempt(ctx context.Context, cl *call, n, status int, start time.Time, err error) {
	log := c.client.log
	if !log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", cl.method),
		slog.String("path", cl.path),
	}
	attrs = append(attrs, c.attrs...)
	attrs = append(attrs,
		slog.Int("status", status),
		slog.Duration("duration", c.client.policy.Clock.Now().Sub(start)),
		slog.Int("attempt", n+1),
	)
	if err != nil {
		attrs = append(attrs, slog.String("error", c.client.red.String(err.Error())))
	}
	log.LogAttrs(ctx, slog.LevelDebug, "api request", attrs...)
}
