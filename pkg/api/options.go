package api

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/internal/rest"
)

// Defaults of Options.
const (
	defaultMaxRetries = 5
	defaultMinBackoff = 200 * time.Millisecond
	defaultMaxBackoff = 10 * time.Second
	defaultRateLimit  = 100.0 / 10 // HighLevel: 100 requests per 10 s per location
	defaultRateBurst  = 100
	// defaultMaxRetryAfter is the longest Retry-After the client waits out; a
	// longer one (a spent daily cap) ends the call with the 429 at once.
	defaultMaxRetryAfter = 2 * time.Minute
)

// withDefaults fills every zero field of opts.
func withDefaults(opts Options) Options {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	if opts.Version == "" {
		opts.Version = DefaultVersion
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
	if opts.Redactor == nil {
		opts.Redactor = redact.New()
	}
	if opts.Clock == nil {
		opts.Clock = rest.WallClock{}
	}
	return opts
}

// checkBaseURL accepts https URLs, and http URLs whose host is loopback. It
// returns the URL without a trailing slash.
func checkBaseURL(raw string) (string, error) {
	base, err := rest.CheckBaseURL(raw)
	if err != nil {
		return "", fmt.Errorf("api: %w", err)
	}
	return base, nil
}
