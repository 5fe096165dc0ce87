package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/rest"
	"github.com/agentform/agentform/pkg/api/apitest"
)

func TestNewBaseURL(t *testing.T) {
	tests := []struct {
		url     string
		wantErr bool
	}{
		{"", false}, // default https
		{"https://services.leadconnectorhq.com", false},
		{"https://api.example.com/base/", false},
		{"http://127.0.0.1:4010", false},
		{"http://127.1.2.3", false},
		{"http://[::1]:4010", false},
		{"http://localhost:4010", false},
		{"http://LOCALHOST", false},
		{"http://services.leadconnectorhq.com", true},
		{"http://10.0.0.1:4010", true},
		{"http://localhost.evil.com", true},
		{"http://0.0.0.0:4010", true},
		{"ftp://127.0.0.1", true},
		{"https://", true},
		{"https://user:pw@example.com", true},
		{"://bad", true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, err := New(Options{BaseURL: tt.url})
			if (err != nil) != tt.wantErr {
				t.Fatalf("New(%q) error %v, want error: %v", tt.url, err, tt.wantErr)
			}
			if err == nil && strings.HasSuffix(c.base, "/") {
				t.Errorf("base %q keeps a trailing slash", c.base)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"min above max backoff": {MinBackoff: time.Second, MaxBackoff: time.Millisecond},
		"negative rate":         {RateLimit: -1},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := New(o); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := c.opts
	if c.base != DefaultBaseURL || o.Version != DefaultVersion || !strings.HasPrefix(o.UserAgent, "agentform/") ||
		c.maxRetries != 5 || o.MinBackoff != 200*time.Millisecond || o.MaxBackoff != 10*time.Second ||
		o.RateLimit != 10 || o.RateBurst != 100 {
		t.Errorf("defaults: base %q %+v", c.base, o)
	}
	if c.hc.Timeout != 30*time.Second {
		t.Errorf("attempt timeout %v", c.hc.Timeout)
	}
	tr, ok := c.hc.Transport.(*http.Transport)
	if !ok || tr.MaxIdleConnsPerHost != 64 {
		t.Errorf("transport %#v", c.hc.Transport)
	}
	c2, _ := New(Options{})
	if c2.hc.Transport != c.hc.Transport {
		t.Error("default clients do not share their transport")
	}
}

// TestVersionHeaderConfigurable checks Options.Version reaches the wire.
func TestVersionHeaderConfigurable(t *testing.T) {
	got := make(chan string, 1)
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Version")
		okAnswer(w, r)
	}), func(o *Options) { o.Version = "v3" })
	if _, err := env.loc.GetAgent(context.Background(), "ag1"); err != nil {
		t.Fatal(err)
	}
	if v := <-got; v != "v3" {
		t.Errorf("Version %q, want v3", v)
	}
}

// TestBasePathPrefix checks a base URL with a path keeps it.
func TestBasePathPrefix(t *testing.T) {
	got := make(chan string, 1)
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.Path
		okAnswer(w, r)
	}))
	c, err := New(Options{BaseURL: env.srv.URL + "/prefix/", HTTPClient: env.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Location("l", "t").GetAgent(context.Background(), "a/b"); err != nil {
		t.Fatal(err)
	}
	if p := <-got; p != "/prefix/conversation-ai/agents/a/b" {
		t.Errorf("path %q", p)
	}
}

// TestNoRedirect checks the default client does not follow a redirect (which
// could carry the token elsewhere).
func TestNoRedirect(t *testing.T) {
	var hits counter
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.inc()
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	c, err := New(Options{BaseURL: env.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Location("l", "t").GetAgent(context.Background(), "ag1")
	if err == nil || hits.get() != 1 {
		t.Errorf("err %v after %d requests; want an error after 1", err, hits.get())
	}
}

// TestClockOption checks Options.Clock defaults to the wall clock and that a
// given clock is the one the client waits on.
func TestClockOption(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.policy.Clock.(rest.WallClock); !ok {
		t.Errorf("default clock %T, want the wall clock", c.policy.Clock)
	}
	if _, ok := WallClock().(rest.WallClock); !ok {
		t.Errorf("WallClock() is %T", WallClock())
	}
	var hits counter
	srv := httptest.NewServer(failing(t, &hits, 429))
	defer srv.Close()
	clk := apitest.NewClock(time.Time{})
	c, err = New(Options{BaseURL: srv.URL, Clock: clk, MinBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := c.Location("l", "t").GetAgent(context.Background(), "ag1"); err != nil {
		t.Fatal(err)
	}
	// The 429 says Retry-After nothing; the wait is the backoff, taken on clk.
	if len(clk.Sleeps()) != 1 || time.Since(start) > 5*time.Second {
		t.Errorf("sleeps on the given clock %v", clk.Sleeps())
	}
}
