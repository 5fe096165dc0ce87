package highlevel_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/api/apitest"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
	"github.com/agentform/agentform/pkg/spec"
)

// sandbox is an in-process sandbox with a client and one token per location.
type sandbox struct {
	t      testing.TB
	s      *sim.Server
	srv    *httptest.Server
	client *api.Client
	tokens map[string]string
}

func newSandbox(t testing.TB, opts sim.Options) *sandbox {
	t.Helper()
	s, srv := simtest.Start(t, opts)
	o := api.Options{BaseURL: srv.URL, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
		RateLimit: 10000, RateBurst: 10000}
	if _, isTest := t.(*testing.T); isTest {
		// Every request apply sends and every answer it reads is checked
		// against the OpenAPI documents (benchmarks skip the cost).
		o.HTTPClient, _ = simtest.ContractClient(t, srv)
		// Backoff and Retry-After waits pass at once (benchmarks keep real
		// time: they measure it).
		o.Clock = apitest.NewClock(time.Now())
	}
	c, err := api.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &sandbox{t: t, s: s, srv: srv, client: c, tokens: map[string]string{}}
}

// token returns the location's token, minting a read-write one on first use.
func (sb *sandbox) token(loc string) string {
	if tok, ok := sb.tokens[loc]; ok {
		return tok
	}
	tok := simtest.Token(sb.t, sb.s, loc, true)
	sb.tokens[loc] = tok
	return tok
}

// mint sets every location's token before concurrent use.
func (sb *sandbox) mint(set *spec.Set) {
	for _, l := range set.Locations {
		sb.token(l.ID)
	}
}

func (sb *sandbox) readers(ctx context.Context, loc *provider.Target) (provider.Session, error) {
	tok, ok := sb.tokens[loc.ID]
	if !ok {
		return nil, fmt.Errorf("location %s: environment variable %s is not set", loc.ID, loc.TokenEnv)
	}
	return sb.client.Location(loc.ID, tok), nil
}

func (sb *sandbox) writers(ctx context.Context, lp *plan.TargetPlan) (provider.Session, error) {
	tok, ok := sb.tokens[lp.ID]
	if !ok {
		return nil, fmt.Errorf("location %s: environment variable %s is not set", lp.ID, lp.TokenEnv)
	}
	return sb.client.Location(lp.ID, tok), nil
}

// manifests turns a manifest set into the engine's input, as the CLI does.
func manifests(tb testing.TB, set *spec.Set) *plan.Manifests {
	tb.Helper()
	targets, err := highlevel.Targets(set, false)
	if err != nil {
		tb.Fatal(err)
	}
	return &plan.Manifests{Targets: targets, Digest: set.Digest}
}

func (sb *sandbox) plan(t testing.TB, set *spec.Set) *plan.Plan {
	t.Helper()
	p, err := plan.Make(context.Background(), manifests(t, set), sb.readers, plan.Options{Parallelism: 32})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

// planErrors lists the locations that could not be planned.
func planErrors(p *plan.Plan) []string {
	var errs []string
	for _, l := range p.Targets {
		if l.Error != "" {
			errs = append(errs, l.ID+": "+l.Error)
		}
	}
	return errs
}

// requireNoChanges fails when p changes anything or a location failed.
func requireNoChanges(t testing.TB, p *plan.Plan) {
	t.Helper()
	if errs := planErrors(p); len(errs) > 0 {
		t.Fatalf("plan errors: %v", errs)
	}
	for _, l := range p.Targets {
		for _, c := range l.Changes {
			if c.Op != plan.OpReport {
				t.Errorf("location %s: %s %s %s: %s %+v", l.ID, c.Op, c.Kind, c.Key, c.Reason, c.Diffs)
			}
		}
	}
}

// requireApplied fails when a location of r did not reach "applied".
func requireApplied(t testing.TB, r *apply.Report) {
	t.Helper()
	for _, l := range r.Targets {
		if l.Outcome != apply.TargetApplied {
			var b strings.Builder
			_ = apply.RenderText(&b, r)
			t.Fatalf("location %s %s: %s\n%s", l.ID, l.Outcome, l.Error, b.String())
		}
	}
}

// genAgent is a desired agent with four actions (stop, hand-off, a transfer to
// transferTo, an advanced follow-up) and follow-up settings.
func genAgent(name, transferTo string) *spec.Agent {
	return &spec.Agent{
		Name: name,
		Settings: map[string]any{
			"personality": "Warm and brief.", "goal": "Book visits for " + name, "instructions": "Ask for a date.",
			"mode": "auto-pilot", "channels": []any{"SMS", "WebChat"},
		},
		ActionsDeclared: true,
		Actions: []*spec.Action{
			{Name: "stop", Type: api.ActionStopBot, Details: stopDetails()},
			{Name: "handoff", Type: api.ActionHumanHandOver, Details: map[string]any{
				"enabled": true, "triggerCondition": "asks for a human", "reactivateEnabled": false,
				"finalMessage": "A colleague will answer.", "handoverType": "contactRequest",
				"examples": []any{"a human please"}}},
			{Name: "transfer", Type: api.ActionTransferBot, Details: transferDetails(transferTo)},
			{Name: "nudge", Type: api.ActionAdvancedFollowup, Details: followupDetails()},
		},
		Followup: &spec.Followup{Actions: []string{"nudge"},
			Settings: map[string]any{"dynamicChannelSwitching": true, "timezoneToUse": "contact"}},
	}
}

// genSet is nLoc locations of nAgents generated agents each; agent i
// transfers to agent i+1 (the last to the first).
func genSet(prefix string, nLoc, nAgents int) *spec.Set {
	set := &spec.Set{Digest: "generated"}
	for l := range nLoc {
		loc := &spec.Location{ID: fmt.Sprintf("%s%04d", prefix, l), TokenEnv: "HIGHLEVEL_TOKEN"}
		for a := range nAgents {
			loc.Agents = append(loc.Agents, genAgent(fmt.Sprintf("Agent %d", a), fmt.Sprintf("Agent %d", (a+1)%nAgents)))
		}
		set.Locations = append(set.Locations, loc)
	}
	return set
}

// checkNoDuplicates fails when a location has two agents of one name or an
// agent two actions of one name.
func checkNoDuplicates(t testing.TB, s *sim.Server, locs []string) {
	t.Helper()
	for _, loc := range locs {
		names := map[string]string{}
		for _, a := range s.AgentsOf(loc) {
			if prev, dup := names[a.Name]; dup {
				t.Errorf("location %s: agent %q twice (ids %s, %s)", loc, a.Name, prev, a.ID)
			}
			names[a.Name] = a.ID
			acts := map[string]string{}
			for _, act := range a.Actions {
				if prev, dup := acts[act.Name]; dup {
					t.Errorf("location %s: agent %q: action %q twice (ids %s, %s)", loc, a.Name, act.Name, prev, act.ID)
				}
				acts[act.Name] = act.ID
			}
		}
	}
}

func locationIDs(set *spec.Set) []string {
	ids := make([]string, len(set.Locations))
	for i, l := range set.Locations {
		ids[i] = l.ID
	}
	return ids
}
