package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/redact"
)

// TestTokenNeverShows runs failures of every kind with debug logging into a
// buffer and searches every error text, every dump and the log for the token.
func TestTokenNeverShows(t *testing.T) {
	var logBuf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	withLog := func(o *Options) { o.Logger = logger; o.MaxRetries = 1 }

	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A hostile or buggy server echoing the Authorization header.
		writeJSON(w, 401, errBody(401, "bad token "+r.Header.Get("Authorization")))
	})
	echo422 := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 422, errBody(422, []string{"token " + testToken + " rejected"}))
	})
	notJSON := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte("<html>" + testToken))
	})
	drop := func() http.Handler { return failing(t, new(counter), 0, 0) }
	fail5xx := failing(t, new(counter), 500, 500)

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	cases := []struct {
		name    string
		handler http.Handler
		baseURL string
		call    func(context.Context, *Location) error
	}{
		{"401 echoing the token", echo, "", idempotentCalls["GET"]},
		{"422 echoing the token", echo422, "", idempotentCalls["PUT"]},
		{"undecodable answer", notJSON, "", idempotentCalls["GET"]},
		{"dropped connection", drop(), "", idempotentCalls["DELETE"]},
		{"5xx", fail5xx, "", idempotentCalls["PATCH"]},
		{"ambiguous POST", drop(), "", func(ctx context.Context, l *Location) error {
			_, err := l.CreateAgent(ctx, AgentSettings{Name: "x"})
			return err
		}},
		{"connection refused", http.NotFoundHandler(), closedURL, idempotentCalls["GET"]},
		{"cancelled", http.HandlerFunc(okAnswer), "", func(_ context.Context, l *Location) error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return idempotentCalls["GET"](ctx, l)
		}},
	}
	var outputs []string
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			edits := []func(*Options){withLog}
			if tc.baseURL != "" {
				edits = append(edits, func(o *Options) { o.BaseURL = tc.baseURL; o.HTTPClient = nil })
			}
			env := newTestEnv(t, tc.handler, edits...)
			err := tc.call(context.Background(), env.loc)
			if err == nil {
				t.Fatal("no error")
			}
			outputs = append(outputs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
			logger.Debug("dump", "location", env.loc, "value", *env.loc)
			outputs = append(outputs,
				fmt.Sprintf("%v %+v %#v %s %q", env.loc, env.loc, env.loc, env.loc, env.loc),
				fmt.Sprintf("%v %+v %#v", *env.loc, *env.loc, *env.loc),
				fmt.Sprintf("%+v", struct{ L *Location }{env.loc}))
		})
	}
	outputs = append(outputs, logBuf.String())
	for _, out := range outputs {
		if strings.Contains(out, testToken) {
			t.Errorf("token found in output:\n%s", out)
		}
	}
	// The log did record the attempts, with the fields promised.
	log := logBuf.String()
	for _, want := range []string{`"method":"GET"`, `"path":"/conversation-ai/agents/ag1"`, `"location":"loc-1"`, `"status":401`, `"attempt":2`, `"duration"`} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %s", want)
		}
	}
	if strings.Contains(log, "Authorization") || strings.Contains(log, "Bearer") {
		t.Error("debug log mentions headers")
	}
}

// TestErrorMessageRedacted checks the server's message keeps its meaning with
// the token cut out.
func TestErrorMessageRedacted(t *testing.T) {
	env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 422, errBody(422, []string{"bad " + testToken}))
	}))
	_, err := env.loc.GetAgent(context.Background(), "ag1")
	e, ok := statusOf(err)
	if !ok || e.Message != "bad "+redacted || e.Messages[0] != "bad "+redacted {
		t.Errorf("error %#v", e)
	}
}

// TestTokenFragmentsRedacted checks a server echoing the token without its
// "pit-" prefix, or a 12-byte piece of it, is masked in errors and logs.
func TestTokenFragmentsRedacted(t *testing.T) {
	for name, echo := range map[string]string{
		"without prefix": strings.TrimPrefix(testToken, "pit-"),
		"fragment":       testToken[6:18],
	} {
		t.Run(name, func(t *testing.T) {
			var logBuf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			env := newTestEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 422, errBody(422, []string{"bad key " + echo}))
			}), func(o *Options) { o.Logger = logger })
			_, err := env.loc.GetAgent(context.Background(), "ag1")
			if err == nil {
				t.Fatal("no error")
			}
			for _, out := range []string{err.Error(), fmt.Sprintf("%#v", err), logBuf.String()} {
				if strings.Contains(out, echo) {
					t.Errorf("fragment %q shows in %s", echo, out)
				}
			}
			if e, ok := statusOf(err); !ok || e.Message != "bad key "+redacted {
				t.Errorf("message %#v", e)
			}
		})
	}
}

// TestSharedRedactor checks the client teaches Options.Redactor every token
// it is given, so the process's output writers mask them too.
func TestSharedRedactor(t *testing.T) {
	red := redact.New()
	c, err := New(Options{Redactor: red})
	if err != nil {
		t.Fatal(err)
	}
	c.Location("loc-1", testToken)
	if got := red.String("x " + testToken); got != "x "+redacted {
		t.Errorf("the shared redactor did not learn the token: %q", got)
	}
}
