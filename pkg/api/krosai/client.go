package krosai

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/internal/rest"
	"github.com/agentform/agentform/pkg/api"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is KrosAI's API base URL; every path starts with /v1.
const DefaultBaseURL = "https://api.krosai.com"

// Auth says which header carries the API key.
type Auth int

const (
	// AuthBearer sends "Authorization: Bearer <key>" (the default).
	AuthBearer Auth = iota
	// AuthAPIKeyHeader sends "X-API-Key: <key>".
	AuthAPIKeyHeader
)

// Defaults of Options.
const (
	defaultMaxRetries    = 5
	defaultMinBackoff    = 200 * time.Millisecond
	defaultMaxBackoff    = 10 * time.Second
	defaultRateLimit     = 10
	defaultRateBurst     = 20
	defaultMaxRetryAfter = 2 * time.Minute
)

// Options configure a Client. The zero value of every field picks a default.
type Options struct {
	BaseURL    string       // default DefaultBaseURL; plain http only for loopback hosts
	Auth       Auth         // which header carries the key; default AuthBearer
	UserAgent  string       // default "agentform/<version>"
	HTTPClient *http.Client // default: timeouts, connection reuse, no redirects
	Logger     *slog.Logger // default: discard; never receives a key, token or body
	// MaxRetries is how many times a request is retried when that is safe
	// (default 5; <0 disables).
	MaxRetries int
	// MinBackoff and MaxBackoff bound the backoff (defaults 200ms and 10s).
	MinBackoff, MaxBackoff time.Duration
	// RateLimit and RateBurst pace each account (default 10 per second,
	// burst 20: KrosAI documents no numbers).
	RateLimit float64
	RateBurst int
	// Clock is what the client waits on; default the wall clock. One
	// api.Clock (such as apitest.Clock) can drive both clients.
	Clock api.Clock
	// Redactor learns every API key and room token and masks them in errors
	// and logs; pass the process's Redactor so its output writers do too.
	Redactor *redact.Redactor
}

// Client talks to the KrosAI API. It is safe for concurrent use and keeps one
// rate limiter per account.
type Client struct {
	base     string
	auth     Auth
	hc       *http.Client
	log      *slog.Logger
	red      *redact.Redactor
	limiters *rest.Limiters
	policy   rest.Policy
	ua, json []string
}

// New returns a Client, or an error when the options are invalid.
func New(opts Options) (*Client, error) {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	base, err := rest.CheckBaseURL(opts.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("krosai: %w", err)
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "agentform/" + rest.ModuleVersion()
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = rest.DefaultHTTPClient()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = defaultMaxRetries
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = defaultMinBackoff
	}
	if opts.MaxBackoff == 0 {
		opts.MaxBackoff = max(defaultMaxBackoff, opts.MinBackoff)
	}
	if opts.RateLimit == 0 {
		opts.RateLimit = defaultRateLimit
	}
	if opts.RateBurst == 0 {
		opts.RateBurst = defaultRateBurst
	}
	if opts.Clock == nil {
		opts.Clock = api.WallClock()
	}
	if opts.Redactor == nil {
		opts.Redactor = redact.New()
	}
	switch {
	case opts.MinBackoff > opts.MaxBackoff:
		return nil, fmt.Errorf("krosai: MinBackoff %v is greater than MaxBackoff %v", opts.MinBackoff, opts.MaxBackoff)
	case opts.RateLimit < 0 || opts.RateBurst < 0:
		return nil, fmt.Errorf("krosai: negative rate limit (%v per second, burst %d)", opts.RateLimit, opts.RateBurst)
	case opts.Auth != AuthBearer && opts.Auth != AuthAPIKeyHeader:
		return nil, fmt.Errorf("krosai: unknown Auth %d", opts.Auth)
	}
	return &Client{
		base:     base,
		auth:     opts.Auth,
		hc:       opts.HTTPClient,
		log:      opts.Logger,
		red:      opts.Redactor,
		limiters: rest.NewLimiters(rate.Limit(opts.RateLimit), opts.RateBurst),
		policy: rest.Policy{
			Clock:         opts.Clock,
			Rand:          rest.DefaultRand,
			MaxRetries:    max(opts.MaxRetries, 0),
			MinBackoff:    opts.MinBackoff,
			MaxBackoff:    opts.MaxBackoff,
			MaxRetryAfter: defaultMaxRetryAfter,
			Logger:        opts.Logger,
		},
		ua:   []string{opts.UserAgent},
		json: []string{"application/json"},
	}, nil
}

// Account returns a handle for one KrosAI account. name labels it in
// errors, logs and the rate limiter (the manifest's account name); key is
// its API key, taught to Options.Redactor.
func (c *Client) Account(name, key string) *Account {
	c.red.Add(key)
	a := &Account{client: c, name: name, key: key, attrs: []slog.Attr{slog.String("account", name)}}
	if c.auth == AuthAPIKeyHeader {
		a.hdrName, a.hdrValue = "X-Api-Key", []string{key}
	} else {
		a.hdrName, a.hdrValue = "Authorization", []string{"Bearer " + key}
	}
	return a
}

// Account calls the API with one account's key. Printing or logging it
// shows its name, never the key. It is safe for concurrent use.
type Account struct {
	client   *Client
	name     string
	key      string
	hdrName  string
	hdrValue []string
	attrs    []slog.Attr
}

// Name is the account's label.
func (a *Account) Name() string { return a.name }

// String names the account; the key never shows.
func (a Account) String() string { return "KrosAI account " + a.name }

// Format prints the account for every verb without its key.
func (a Account) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", a.String())
		return
	}
	fmt.Fprint(f, a.String())
}

// LogValue logs the account as its name only.
func (a Account) LogValue() slog.Value { return slog.StringValue(a.name) }
