package krosai_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api/apitest"
	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/krosai"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
	"github.com/agentform/agentform/pkg/spec"
)

// sandbox is an in-process sandbox with a KrosAI client whose every request
// and answer is checked against krosai.openapi.json, and one key per
// account.
type sandbox struct {
	t      *testing.T
	s      *sim.Server
	client *kapi.Client
	keys   map[string]string
}

// newSandbox starts a sandbox; wrap, when not nil, wraps the transport
// (inside the contract check) to lose answers.
func newSandbox(t *testing.T, wrap func(http.RoundTripper) http.RoundTripper) *sandbox {
	t.Helper()
	s, srv := simtest.Start(t, sim.Options{KrosAIIndexDelay: -1})
	hc, rec := simtest.ContractClient(t, srv)
	if wrap != nil {
		hc.Transport = wrap(hc.Transport)
	}
	t.Cleanup(func() {
		if rec.Exchanges() == 0 {
			t.Error("the contract recorder saw no exchange")
		}
	})
	c, err := kapi.New(kapi.Options{BaseURL: srv.URL, HTTPClient: hc, Clock: apitest.NewClock(time.Now()),
		MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond, RateLimit: 10000, RateBurst: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return &sandbox{t: t, s: s, client: c, keys: map[string]string{}}
}

// account returns the handle of account, minting its key on first use.
func (sb *sandbox) account(name string) *kapi.Account {
	sb.t.Helper()
	key, ok := sb.keys[name]
	if !ok {
		var err error
		if key, err = sb.s.MintKrosAIKey(name); err != nil {
			sb.t.Fatal(err)
		}
		sb.keys[name] = key
	}
	return sb.client.Account(name, key)
}

func (sb *sandbox) plan(set *spec.Set) *plan.Plan {
	sb.t.Helper()
	targets, err := krosai.Targets(set)
	if err != nil {
		sb.t.Fatal(err)
	}
	for _, t := range targets {
		sb.account(t.ID)
	}
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: targets, Digest: set.Digest},
		func(_ context.Context, t *provider.Target) (provider.Session, error) {
			return sb.client.Account(t.ID, sb.keys[t.ID]), nil
		}, plan.Options{})
	if err != nil {
		sb.t.Fatalf("plan: %v", err)
	}
	for _, tp := range p.Targets {
		if tp.Error != "" {
			sb.t.Fatalf("plan of %s: %s", tp.ID, tp.Error)
		}
	}
	return p
}

func (sb *sandbox) apply(set *spec.Set, p *plan.Plan) *apply.Report {
	sb.t.Helper()
	return apply.Apply(context.Background(), p, func(_ context.Context, tp *plan.TargetPlan) (provider.Session, error) {
		return &krosai.Session{API: sb.client.Account(tp.ID, sb.keys[tp.ID]), Uploads: krosai.Uploads(set, tp.ID)}, nil
	}, apply.Options{})
}

// applied applies p and fails unless every target was applied.
func (sb *sandbox) applied(set *spec.Set, p *plan.Plan) *apply.Report {
	sb.t.Helper()
	r := sb.apply(set, p)
	for _, tr := range r.Targets {
		if tr.Outcome != apply.TargetApplied {
			var b strings.Builder
			_ = apply.RenderText(&b, r)
			sb.t.Fatalf("%s %s: %s\n%s", tr.ID, tr.Outcome, tr.Error, b.String())
		}
	}
	return r
}

// changes lists p's changes as "op kind key", reports included.
func changes(p *plan.Plan) []string {
	var out []string
	for _, tp := range p.Targets {
		for _, c := range tp.Changes {
			out = append(out, fmt.Sprintf("%s %s %s", c.Op, c.Kind, c.Key))
		}
	}
	return out
}

// requireNoChanges fails when p changes anything.
func requireNoChanges(t *testing.T, p *plan.Plan) {
	t.Helper()
	if p.HasChanges() {
		var b strings.Builder
		_ = plan.RenderText(&b, p, plan.RenderOptions{})
		t.Fatalf("want no changes:\n%s", b.String())
	}
}

// files is a manifest folder.
type files struct {
	t   *testing.T
	dir string
}

func newFiles(t *testing.T) *files { return &files{t: t, dir: t.TempDir()} }

func (f *files) write(name, content string) {
	f.t.Helper()
	p := filepath.Join(f.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *files) load() *spec.Set {
	f.t.Helper()
	set, err := spec.Load(f.dir)
	if err != nil {
		f.t.Fatalf("load: %v", err)
	}
	return set
}

// loseAnswers is a transport that performs the first n requests matching
// match and then answers them with an error, as a connection lost after
// the request was sent does.
type loseAnswers struct {
	base  http.RoundTripper
	match func(*http.Request) bool
	mu    sync.Mutex
	n     int
	lost  []string
}

func (l *loseAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(r)
	if err != nil || !l.match(r) {
		return resp, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 {
		return resp, nil
	}
	l.n--
	resp.Body.Close()
	l.lost = append(l.lost, r.Method+" "+r.URL.Path)
	return nil, fmt.Errorf("connection reset after the request was sent")
}
