package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Defaults documented by HighLevel (docs/oauth/Authorization.md).
const (
	DefaultRateLimit  = 100
	DefaultRateWindow = 10 * time.Second
	DefaultDailyLimit = 200000
	// DefaultAPIVersion is the Version header value the Conversation AI
	// document declares.
	DefaultAPIVersion = "2021-04-15"
)

// DefaultAPIVersions are the Version header values accepted by default: the
// values HighLevel's documents and official SDKs send (the SDKs send one value
// for every module, and the service accepts them all).
var DefaultAPIVersions = []string{"2021-04-15", "2021-07-28", "2023-02-21", "v3"}

// ParseAPIVersions reads a comma-separated list of Version header values.
func ParseAPIVersions(s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if strings.ContainsAny(v, " \t\r\n") {
			return nil, fmt.Errorf("API version %q: must not contain spaces", v)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("API versions %q: give at least one value", s)
	}
	return out, nil
}

// Options configure a Server. The zero value is an in-memory sandbox with the
// documented rate limits and no faults.
type Options struct {
	// StatePath is the state database (SQLite, created when missing); ""
	// keeps state in memory only. Every request commits before it is
	// answered.
	StatePath string
	// Latency is added to every request.
	Latency time.Duration
	// RateLimit is the number of requests per RateWindow per location
	// (default 100), and per KrosAI account; negative disables rate limiting.
	RateLimit int
	// RateWindow is the rate-limit window (default 10s).
	RateWindow time.Duration
	// DailyLimit is the number of requests per UTC day per location, and per
	// KrosAI account (default 200000).
	DailyLimit int
	// Faults are the shares of requests hit by each fault.
	Faults Faults
	// Seed seeds the fault RNG, for deterministic tests.
	Seed int64
	// Now is the clock (default time.Now).
	Now func() time.Time
	// TokenTTL is the lifetime of tokens minted by POST /oauth/locationToken
	// (default DefaultTokenTTL, about a day).
	TokenTTL time.Duration
	// APIVersions are the accepted Version header values (default
	// DefaultAPIVersions).
	APIVersions []string
	// KrosAIIndexDelay is how long a document uploaded to a KrosAI
	// knowledge base stays "processing" on the clock Now (default
	// krosai.DefaultIndexDelay, 2s); negative: no delay, the first read
	// after the upload shows the outcome.
	KrosAIIndexDelay time.Duration
}

func (o *Options) fill() {
	if o.RateLimit == 0 {
		o.RateLimit = DefaultRateLimit
	}
	if o.RateWindow <= 0 {
		o.RateWindow = DefaultRateWindow
	}
	if o.DailyLimit <= 0 {
		o.DailyLimit = DefaultDailyLimit
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	if len(o.APIVersions) == 0 {
		o.APIVersions = DefaultAPIVersions
	}
}

// Faults are the shares (0..1) of requests each fault hits.
type Faults struct {
	// Error5xx answers 500, 502 or 503 with the common error body.
	Error5xx float64
	// RateLimit429 answers 429 with Retry-After: 1.
	RateLimit429 float64
	// Drop performs a write request, then closes the connection unanswered.
	Drop float64
	// Reset closes the connection before handling the request.
	Reset float64
	// Truncated answers a search with its counts but without the agents key.
	Truncated float64
}

// Fault kinds as written in AuditEntry.Fault and in ParseFaults' syntax.
const (
	Fault5xx       = "5xx"
	Fault429       = "429"
	FaultDrop      = "drop"
	FaultReset     = "reset"
	FaultTruncated = "truncated"
	// FaultCanceled marks a request whose client went away during Latency.
	FaultCanceled = "canceled"
)

// ParseFaults reads "5xx=0.1,429=0.05,drop=0.03,reset=0.02,truncated=0.01".
// Omitted kinds are 0; an empty string means no faults.
func ParseFaults(s string) (Faults, error) {
	var f Faults
	if strings.TrimSpace(s) == "" {
		return f, nil
	}
	for _, part := range strings.Split(s, ",") {
		kind, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want kind=share", part)
		}
		share, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || share < 0 || share > 1 {
			return Faults{}, fmt.Errorf("fault %q: share must be a number from 0 to 1", part)
		}
		switch strings.TrimSpace(kind) {
		case Fault5xx:
			f.Error5xx = share
		case Fault429:
			f.RateLimit429 = share
		case FaultDrop:
			f.Drop = share
		case FaultReset:
			f.Reset = share
		case FaultTruncated:
			f.Truncated = share
		default:
			return Faults{}, fmt.Errorf("fault %q: unknown kind (want 5xx, 429, drop, reset or truncated)", part)
		}
	}
	return f, nil
}

// String formats f in ParseFaults' syntax.
func (f Faults) String() string {
	var parts []string
	add := func(k string, v float64) {
		if v != 0 {
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	add(Fault5xx, f.Error5xx)
	add(Fault429, f.RateLimit429)
	add(FaultDrop, f.Drop)
	add(FaultReset, f.Reset)
	add(FaultTruncated, f.Truncated)
	return strings.Join(parts, ",")
}

// ParseRateLimit reads "100/10s" (requests per window) or "off".
func ParseRateLimit(s string) (limit int, window time.Duration, err error) {
	if strings.EqualFold(strings.TrimSpace(s), "off") {
		return -1, DefaultRateWindow, nil
	}
	n, w, ok := strings.Cut(s, "/")
	if !ok {
		return 0, 0, fmt.Errorf("rate limit %q: want N/duration such as 100/10s, or off", s)
	}
	limit, err = strconv.Atoi(strings.TrimSpace(n))
	if err != nil || limit < 1 {
		return 0, 0, fmt.Errorf("rate limit %q: want a positive request count", s)
	}
	window, err = time.ParseDuration(strings.TrimSpace(w))
	if err != nil || window <= 0 {
		return 0, 0, fmt.Errorf("rate limit %q: want a positive duration such as 10s", s)
	}
	return limit, window, nil
}
