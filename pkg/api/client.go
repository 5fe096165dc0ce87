package api

// This file fixes the client's public surface so that other packages can be
// written against it. Bodies marked TODO are filled in by the pkg/api work.

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"net/http"
	"time"
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
}

// Client talks to the Conversation AI API. It is safe for concurrent use by many
// goroutines; it keeps one rate limiter per location.
type Client struct {
	opts Options
}

// New returns a Client, or an error when the options are invalid (for example a
// plain http:// base URL that is not a loopback address).
func New(opts Options) (*Client, error) {
	return nil, errors.New("TODO")
}

// Location returns a handle for one location (sub-account). The token decides
// the location on the server; locationID keys the rate limiter, logs and errors.
func (c *Client) Location(locationID, token string) *Location {
	return &Location{client: c, id: locationID, token: token}
}

// Location calls the API on behalf of one location with its token.
type Location struct {
	client *Client
	id     string
	token  string
}

// ID is the location id this handle was made for.
func (l *Location) ID() string { return l.id }

// CreateAgent calls POST /conversation-ai/agents. It is never retried once the
// request may have reached the server: such failures return an *AmbiguousError.
func (l *Location) CreateAgent(ctx context.Context, in AgentSettings) (*Agent, error) {
	return nil, errors.New("TODO")
}

// SearchAgents calls GET /conversation-ai/agents/search for one page. A page whose
// counts disagree with its list is an error, never an empty page.
func (l *Location) SearchAgents(ctx context.Context, p SearchParams) (*SearchPage, error) {
	return nil, errors.New("TODO")
}

// Agents iterates over every agent matching query, page by page, each exactly once.
func (l *Location) Agents(ctx context.Context, query string, pageSize int) iter.Seq2[AgentSummary, error] {
	return nil
}

// AllAgents collects Agents into a slice.
func (l *Location) AllAgents(ctx context.Context) ([]AgentSummary, error) {
	return nil, errors.New("TODO")
}

// GetAgent calls GET /conversation-ai/agents/{agentId}.
func (l *Location) GetAgent(ctx context.Context, agentID string) (*Agent, error) {
	return nil, errors.New("TODO")
}

// UpdateAgent calls PUT /conversation-ai/agents/{agentId}.
func (l *Location) UpdateAgent(ctx context.Context, agentID string, in AgentSettings) (*Agent, error) {
	return nil, errors.New("TODO")
}

// DeleteAgent calls DELETE /conversation-ai/agents/{agentId}.
func (l *Location) DeleteAgent(ctx context.Context, agentID string) error {
	return errors.New("TODO")
}

// CreateAction calls POST /conversation-ai/agents/{agentId}/actions (never blindly retried).
func (l *Location) CreateAction(ctx context.Context, agentID string, in ActionInput) (*Action, error) {
	return nil, errors.New("TODO")
}

// ListActions calls GET /conversation-ai/agents/{agentId}/actions/list.
func (l *Location) ListActions(ctx context.Context, agentID string) ([]Action, error) {
	return nil, errors.New("TODO")
}

// GetAction calls GET /conversation-ai/agents/{agentId}/actions/{actionId}.
func (l *Location) GetAction(ctx context.Context, agentID, actionID string) (*Action, error) {
	return nil, errors.New("TODO")
}

// UpdateAction calls PUT /conversation-ai/agents/{agentId}/actions/{actionId}.
func (l *Location) UpdateAction(ctx context.Context, agentID, actionID string, in ActionInput) (*Action, error) {
	return nil, errors.New("TODO")
}

// DeleteAction calls DELETE /conversation-ai/agents/{agentId}/actions/{actionId}.
func (l *Location) DeleteAction(ctx context.Context, agentID, actionID string) error {
	return errors.New("TODO")
}

// UpdateFollowupSettings calls PATCH /conversation-ai/agents/{agentId}/followup-settings.
func (l *Location) UpdateFollowupSettings(ctx context.Context, agentID string, in FollowupSettingsUpdate) error {
	return errors.New("TODO")
}

// GetGeneration calls GET /conversation-ai/generations.
func (l *Location) GetGeneration(ctx context.Context, messageID, source string) (*Generation, error) {
	return nil, errors.New("TODO")
}
