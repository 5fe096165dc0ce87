package api

// This file holds the client's public surface: options, the client, and one
// method per endpoint. The request loop is in do.go.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/internal/rest"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is HighLevel's API base URL. White-label brands use the same API.
const DefaultBaseURL = "https://services.leadconnectorhq.com"

// DefaultVersion is the value of the Version header the documents require.
const DefaultVersion = "2021-04-15"

// Options configure a Client. The zero value of every field picks a sane default.
type Options struct {
	BaseURL    string       // default DefaultBaseURL; plain http only for loopback hosts
	Version    string       // Version header, default DefaultVersion
	UserAgent  string       // default "agentform/<version>"
	HTTPClient *http.Client // default: a client with timeouts and connection reuse
	Logger     *slog.Logger // default: discard; never receives a token
	// MaxRetries is how many times an idempotent request is retried (default 5; <0 disables).
	MaxRetries int
	// MinBackoff and MaxBackoff bound the exponential backoff with full jitter
	// (defaults 200ms and 10s).
	MinBackoff, MaxBackoff time.Duration
	// RateLimit and RateBurst set the client-side limiter per location
	// (default 100 requests per 10s with a burst of 100). Server headers tighten it.
	RateLimit float64 // requests per second
	RateBurst int
	// Redactor learns every token the client is given or mints and masks
	// them (and any 12-byte fragment of them) in errors and logs. Pass the
	// process's Redactor so that its output writers mask the same secrets;
	// default: one of the client's own.
	Redactor *redact.Redactor
	// Clock is what the client waits on (limiter pauses, backoff,
	// Retry-After) and reads the time from; default the wall clock. Tests
	// pass apitest.NewClock to make every wait instant.
	Clock Clock
}

// Client talks to the Conversation AI API. It is safe for concurrent use by many
// goroutines; it keeps one rate limiter per location.
type Client struct {
	opts Options

	base       string       // base URL without trailing slash
	hc         *http.Client // shared; connection reuse
	log        *slog.Logger // never receives a token
	maxRetries int
	limiters   *rest.Limiters
	hdr        headerValues // shared header values of every request
	policy     rest.Policy  // clock, jitter and retry bounds of every call
	red        *redact.Redactor
}

// New returns a Client, or an error when the options are invalid (for example a
// plain http:// base URL that is not a loopback address).
func New(opts Options) (*Client, error) {
	opts = withDefaults(opts)
	base, err := checkBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.MinBackoff > opts.MaxBackoff {
		return nil, fmt.Errorf("api: MinBackoff %v is greater than MaxBackoff %v", opts.MinBackoff, opts.MaxBackoff)
	}
	if opts.RateLimit < 0 || opts.RateBurst < 0 {
		return nil, fmt.Errorf("api: negative rate limit (%v per second, burst %d)", opts.RateLimit, opts.RateBurst)
	}
	c := &Client{
		opts:       opts,
		base:       base,
		hc:         opts.HTTPClient,
		log:        opts.Logger,
		maxRetries: max(opts.MaxRetries, 0),
		limiters:   rest.NewLimiters(rate.Limit(opts.RateLimit), opts.RateBurst),
		policy: rest.Policy{
			Clock:         opts.Clock,
			Rand:          rest.DefaultRand,
			MaxRetries:    max(opts.MaxRetries, 0),
			MinBackoff:    opts.MinBackoff,
			MaxBackoff:    opts.MaxBackoff,
			MaxRetryAfter: defaultMaxRetryAfter,
			Logger:        opts.Logger,
		},
		red: opts.Redactor,
		hdr: headerValues{
			version:   []string{opts.Version},
			userAgent: []string{opts.UserAgent},
			json:      []string{"application/json"},
			form:      []string{"application/x-www-form-urlencoded"},
		},
	}
	return c, nil
}

// Location returns a handle for one location (sub-account). The token decides
// the location on the server; locationID keys the rate limiter, logs and errors.
func (c *Client) Location(locationID, token string) *Location {
	c.red.Add(token)
	return &Location{newCaller(caller{client: c, id: locationID, token: token, auth: []string{"Bearer " + token}})}
}

// LocationFrom returns a handle for one location whose token comes from src
// at every request (such as AgencyTokens, which mints it from an agency
// token). A 401 answer that does not speak of scope makes the handle ask
// src.Renew once and send the request once more at once; a second 401 is
// the call's error. Every token src gives is taught to Options.Redactor.
func (c *Client) LocationFrom(locationID string, src TokenSource) *Location {
	return &Location{newCaller(caller{client: c, id: locationID, src: src, cur: &authCache{}})}
}

// headerValues are header values shared, read-only, by every request.
type headerValues struct {
	version, userAgent, json, form []string
}

// Location calls the API on behalf of one location with its token. Printing or
// logging it shows the location id, never the token.
type Location struct {
	caller
}

// ID is the location id this handle was made for.
func (l *Location) ID() string { return l.id }

// CreateAgent calls POST /conversation-ai/agents. It is never retried once the
// request may have reached the server: such failures return an *AmbiguousError.
func (l *Location) CreateAgent(ctx context.Context, in AgentSettings) (*Agent, error) {
	var out Agent
	c := call{method: http.MethodPost, path: agentsPath, body: in, out: &out}
	if err := l.do(ctx, c); err != nil {
		return nil, err
	}
	if out.ID == "" {
		return nil, l.unusable(&c, fmt.Errorf("%w: created agent has no id", ErrInconsistentAnswer))
	}
	return &out, nil
}

// SearchAgents calls GET /conversation-ai/agents/search for one page. A page whose
// counts disagree with its list is an error, never an empty page; it is
// retried like a failure first.
func (l *Location) SearchAgents(ctx context.Context, p SearchParams) (*SearchPage, error) {
	var wire searchAnswer
	var page *SearchPage
	c := call{method: http.MethodGet, path: searchPath, query: p.values(), out: &wire}
	c.check = func() (err error) {
		page, err = wire.page()
		return err
	}
	if err := l.do(ctx, c); err != nil {
		return nil, err
	}
	return page, nil
}

// Agents iterates over every agent matching query, page by page, each exactly once.
func (l *Location) Agents(ctx context.Context, query string, pageSize int) iter.Seq2[AgentSummary, error] {
	return func(yield func(AgentSummary, error) bool) {
		l.paginate(ctx, query, pageSize, yield)
	}
}

// AllAgents collects Agents into a slice.
func (l *Location) AllAgents(ctx context.Context) ([]AgentSummary, error) {
	all := make([]AgentSummary, 0)
	for a, err := range l.Agents(ctx, "", allAgentsPageSize) {
		if err != nil {
			return nil, err
		}
		all = append(all, a)
	}
	return all, nil
}

// GetAgent calls GET /conversation-ai/agents/{agentId}.
func (l *Location) GetAgent(ctx context.Context, agentID string) (*Agent, error) {
	path, err := agentPath(agentID)
	if err != nil {
		return nil, err
	}
	var out Agent
	if err := l.do(ctx, call{method: http.MethodGet, path: path, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAgent calls PUT /conversation-ai/agents/{agentId}.
func (l *Location) UpdateAgent(ctx context.Context, agentID string, in AgentSettings) (*Agent, error) {
	path, err := agentPath(agentID)
	if err != nil {
		return nil, err
	}
	var out Agent
	if err := l.do(ctx, call{method: http.MethodPut, path: path, body: in, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAgent calls DELETE /conversation-ai/agents/{agentId}. When an attempt
// fails in a way that may have deleted the agent and the retry finds it gone,
// the delete succeeded: nil. A not-found on the first attempt is an error.
func (l *Location) DeleteAgent(ctx context.Context, agentID string) error {
	path, err := agentPath(agentID)
	if err != nil {
		return err
	}
	var out DeleteAgentResult
	err = l.do(ctx, call{method: http.MethodDelete, path: path, out: &out})
	if errors.Is(err, errDeletedEarlier) {
		return nil
	}
	if err != nil {
		return err
	}
	if !out.Success {
		return fmt.Errorf("DELETE %s (location %s): server answered success=false", path, l.id)
	}
	return nil
}

// CreateAction calls POST /conversation-ai/agents/{agentId}/actions (never blindly retried).
func (l *Location) CreateAction(ctx context.Context, agentID string, in ActionInput) (*Action, error) {
	path, err := agentPath(agentID)
	if err != nil {
		return nil, err
	}
	c := call{method: http.MethodPost, path: path + "/actions", body: in}
	a, err := doData[Action](ctx, l, c)
	if err != nil {
		return nil, err
	}
	if a.ID == "" {
		return nil, l.unusable(&c, fmt.Errorf("%w: created action has no id", ErrInconsistentAnswer))
	}
	return a, nil
}

// ListActions calls GET /conversation-ai/agents/{agentId}/actions/list.
func (l *Location) ListActions(ctx context.Context, agentID string) ([]Action, error) {
	path, err := agentPath(agentID)
	if err != nil {
		return nil, err
	}
	list, err := doData[[]Action](ctx, l, call{method: http.MethodGet, path: path + "/actions/list"})
	if err != nil {
		return nil, err
	}
	return *list, nil
}

// GetAction calls GET /conversation-ai/agents/{agentId}/actions/{actionId}.
func (l *Location) GetAction(ctx context.Context, agentID, actionID string) (*Action, error) {
	path, err := actionPath(agentID, actionID)
	if err != nil {
		return nil, err
	}
	return doData[Action](ctx, l, call{method: http.MethodGet, path: path})
}

// UpdateAction calls PUT /conversation-ai/agents/{agentId}/actions/{actionId}.
func (l *Location) UpdateAction(ctx context.Context, agentID, actionID string, in ActionInput) (*Action, error) {
	path, err := actionPath(agentID, actionID)
	if err != nil {
		return nil, err
	}
	return doData[Action](ctx, l, call{method: http.MethodPut, path: path, body: in})
}

// DeleteAction calls DELETE /conversation-ai/agents/{agentId}/actions/{actionId},
// with DeleteAgent's rule for a retry that finds the action gone.
func (l *Location) DeleteAction(ctx context.Context, agentID, actionID string) error {
	path, err := actionPath(agentID, actionID)
	if err != nil {
		return err
	}
	_, err = doData[deletedAction](ctx, l, call{method: http.MethodDelete, path: path})
	if errors.Is(err, errDeletedEarlier) {
		return nil
	}
	return err
}

// UpdateFollowupSettings calls PATCH /conversation-ai/agents/{agentId}/followup-settings.
func (l *Location) UpdateFollowupSettings(ctx context.Context, agentID string, in FollowupSettingsUpdate) error {
	path, err := agentPath(agentID)
	if err != nil {
		return err
	}
	_, err = doData[json.RawMessage](ctx, l, call{method: http.MethodPatch, path: path + "/followup-settings", body: in})
	return err
}

// GetGeneration calls GET /conversation-ai/generations.
func (l *Location) GetGeneration(ctx context.Context, messageID, source string) (*Generation, error) {
	if messageID == "" {
		return nil, fmt.Errorf("GET %s (location %s): message id is empty", generationsPath, l.id)
	}
	var out Generation
	q := url.Values{"messageId": {messageID}, "source": {source}}
	if err := l.do(ctx, call{method: http.MethodGet, path: generationsPath, query: q, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}
