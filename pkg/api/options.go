package api

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Defaults of Options.
const (
	defaultMaxRetries    = 5
	defaultMinBackoff    = 200 * time.Millisecond
	defaultMaxBackoff    = 10 * time.Second
	defaultRateLimit     = 100.0 / 10 // HighLevel: 100 requests per 10 s per location
	defaultRateBurst     = 100
	defaultAttemptTimout = 30 * time.Second
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
		opts.UserAgent = "agentform/" + moduleVersion()
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = defaultHTTPClient()
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
	return opts
}

// checkBaseURL accepts https URLs, and http URLs whose host is loopback. It
// returns the URL without a trailing slash.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("api: base URL: %w", err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("api: base URL %q has no host", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("api: base URL %q must not carry credentials, a query or a fragment", u.Redacted())
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("api: base URL %q: plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https", raw)
		}
	default:
		return "", fmt.Errorf("api: base URL %q: scheme must be https (or http for a loopback host)", raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// moduleVersion is the version of the agentform module in this binary, or "dev".
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "dev"
	}
	return bi.Main.Version
}

// sharedTransport is the Transport of every default client, so that clients
// share one pool of kept-alive connections.
var sharedTransport = sync.OnceValue(func() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
})

// defaultHTTPClient bounds each attempt to 30 s and follows no redirect: an
// API answer is never a redirect, and following one could carry the token
// elsewhere.
func defaultHTTPClient() *http.Client {
	return &http.Client{
		Transport: sharedTransport(),
		Timeout:   defaultAttemptTimout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
