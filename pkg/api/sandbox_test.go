package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

// sandbox is a client talking to an in-process sandbox through a contract
// recorder (the test fails on any violation), sharing one fake clock.
type sandbox struct {
	sim    *sim.Server
	ts     *httptest.Server
	client *Client
	clock  *fakeClock
}

// Contract checking of a sandbox's traffic.
type checking int

const (
	unchecked   checking = iota // faults that break the contract on purpose
	checked                     // every request and answer
	answersOnly                 // requests break the contract on purpose
)

// startSandbox starts a sandbox whose traffic is checked against the
// documents as asked; the test fails on any violation.
func startSandbox(t *testing.T, opts sim.Options, check checking, edit ...func(*Options)) *sandbox {
	t.Helper()
	clk := newFakeClock()
	opts.Now = clk.Now
	s, ts := simtest.Start(t, opts)
	hc := ts.Client()
	switch check {
	case checked:
		hc, _ = simtest.ContractClient(t, ts)
	case answersOnly:
		hc, _ = simtest.ResponseContractClient(t, ts)
	}
	o := Options{BaseURL: ts.URL, HTTPClient: hc, Clock: clk}
	for _, e := range edit {
		e(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	c.policy.Rand = maxJitter
	return &sandbox{sim: s, ts: ts, client: c, clock: clk}
}

// location returns a handle with a fresh token for loc.
func (s *sandbox) location(t *testing.T, loc string, write bool) *Location {
	return s.client.Location(loc, simtest.Token(t, s.sim, loc, write))
}

func ptr[T any](v T) *T { return &v }

// newAgent is a valid create body.
func newAgent(name string) AgentSettings {
	return AgentSettings{Name: name, Personality: ptr("warm"), Goal: ptr("book calls"), Instructions: ptr("be brief"),
		Mode: ptr("auto-pilot"), Channels: []string{"SMS", "WebChat"}, AutoPilotMaxMessages: ptr(10.0)}
}

func TestSandboxLifecycle(t *testing.T) {
	sb := startSandbox(t, sim.Options{}, checked)
	l := sb.location(t, "loc-a", true)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	first, err := l.CreateAgent(ctx, newAgent("Front desk"))
	must(err)
	if first.IsPrimary == nil || !*first.IsPrimary {
		t.Error("first agent is not primary")
	}
	second, err := l.CreateAgent(ctx, newAgent("Night shift"))
	must(err)

	upd := newAgent("Front desk")
	upd.WaitTime, upd.WaitTimeUnit = ptr(30.0), ptr("seconds")
	got, err := l.UpdateAgent(ctx, first.ID, upd)
	must(err)
	if *got.WaitTime != 30 || *got.WaitTimeUnit != "seconds" {
		t.Errorf("update answered waitTime %v %v", *got.WaitTime, *got.WaitTimeUnit)
	}
	read, err := l.GetAgent(ctx, first.ID)
	must(err)
	if *read.Instructions != "be brief" || *read.WaitTime != 30 {
		t.Errorf("read back %+v", read.AgentSettings)
	}

	all, err := l.AllAgents(ctx)
	must(err)
	if len(all) != 2 {
		t.Fatalf("AllAgents: %d agents", len(all))
	}

	trigger, err := l.CreateAction(ctx, first.ID, ActionInput{Type: ActionTriggerWorkflow, Name: "Book",
		Details: TriggerWorkflowDetails{WorkflowIDs: []string{"wf1"}, TriggerCondition: "wants to book"}})
	must(err)
	follow, err := l.CreateAction(ctx, first.ID, ActionInput{Type: ActionAdvancedFollowup, Name: "Nudge",
		Details: AdvancedFollowupDetails{Enabled: true, ScenarioID: "contactStoppedReplying",
			FollowupSequence: []FollowupSequenceStep{{ID: 1, FollowupTimeUnit: "hours", FollowupTime: 2}}}})
	must(err)
	transfer, err := l.CreateAction(ctx, first.ID, ActionInput{Type: ActionTransferBot, Name: "To night",
		Details: TransferBotDetails{TransferBotType: "Default", TransferToBot: second.ID, Enabled: true}})
	must(err)

	list, err := l.ListActions(ctx, first.ID)
	must(err)
	if len(list) != 3 {
		t.Errorf("ListActions: %d actions", len(list))
	}
	_, err = l.UpdateAction(ctx, first.ID, trigger.ID, ActionInput{Type: ActionTriggerWorkflow, Name: "Book now",
		Details: TriggerWorkflowDetails{WorkflowIDs: []string{"wf2"}, TriggerCondition: "wants to book"}})
	must(err)
	a, err := l.GetAction(ctx, first.ID, trigger.ID)
	must(err)
	var tw TriggerWorkflowDetails
	must(jsonUnmarshal(a.Details, &tw))
	if a.Name != "Book now" || !slices.Equal(tw.WorkflowIDs, []string{"wf2"}) {
		t.Errorf("action after update: %s %+v", a.Name, tw)
	}

	must(l.UpdateFollowupSettings(ctx, first.ID, FollowupSettingsUpdate{ActionIDs: []string{follow.ID},
		FollowupSettings: FollowupSettings{DynamicChannelSwitching: true, TimezoneToUse: ptr("contact"),
			WorkingHours: []WorkingHours{{DayOfTheWeek: 1, Intervals: []Interval{{StartHour: 9, EndHour: 17}}}}}}))
	f, err := l.GetAction(ctx, first.ID, follow.ID)
	must(err)
	var fd AdvancedFollowupDetails
	must(jsonUnmarshal(f.Details, &fd))
	if fd.FollowupSettings == nil || !fd.FollowupSettings.DynamicChannelSwitching || len(fd.FollowupSettings.WorkingHours) != 1 {
		t.Errorf("follow-up settings not stored: %+v", fd.FollowupSettings)
	}

	_, err = sb.sim.AddGeneration("loc-a", "msg-1", nil) // the sandbox answers known messages only
	must(err)
	gen, err := l.GetGeneration(ctx, "msg-1", SourceConversation)
	must(err)
	again, err := l.GetGeneration(ctx, "msg-1", SourceConversation)
	must(err)
	if gen.ResponseMessage == "" || gen.ResponseMessage != again.ResponseMessage {
		t.Errorf("generation %q then %q", gen.ResponseMessage, again.ResponseMessage)
	}

	must(l.DeleteAction(ctx, first.ID, transfer.ID))
	if _, err := l.GetAction(ctx, first.ID, transfer.ID); !IsNotFound(err) {
		t.Errorf("deleted action: %v, want not found", err)
	}
	must(l.DeleteAgent(ctx, first.ID))
	if _, err := l.GetAgent(ctx, first.ID); !IsNotFound(err) {
		t.Errorf("deleted agent: %v, want not found", err)
	}
	if _, err := l.ListActions(ctx, first.ID); !IsNotFound(err) {
		t.Errorf("actions of deleted agent: %v, want not found", err)
	}
	all, err = l.AllAgents(ctx)
	must(err)
	if len(all) != 1 || all[0].ID != second.ID || !all[0].IsPrimary {
		t.Errorf("after delete: %+v", all)
	}
	// Each of the 21 calls above (the two-agent searches take one page)
	// reached the sandbox exactly once.
	if n := len(sb.sim.Audit()); n != 21 {
		t.Errorf("sandbox saw %d requests, want 21", n)
	}
}

func TestSandboxErrorClasses(t *testing.T) {
	sb := startSandbox(t, sim.Options{}, answersOnly)
	ctx := context.Background()
	writer := sb.location(t, "loc-a", true)
	reader := sb.location(t, "loc-a", false)
	stranger := sb.location(t, "loc-b", true)
	agent, err := writer.CreateAgent(ctx, newAgent("Front desk"))
	if err != nil {
		t.Fatal(err)
	}
	tooLong := newAgent("x")
	tooLong.WaitTime, tooLong.WaitTimeUnit = ptr(301.0), ptr("seconds")
	tests := []struct {
		name string
		call func() error
		is   func(error) bool
	}{
		{"unknown token", func() error {
			_, err := sb.client.Location("loc-a", "no-such-token").GetAgent(ctx, agent.ID)
			return err
		}, IsUnauthorized},
		{"read-only token writes", func() error { return reader.DeleteAgent(ctx, agent.ID) }, IsUnauthorized},
		{"another location's agent", func() error { _, err := stranger.GetAgent(ctx, agent.ID); return err }, IsForbidden},
		{"unknown agent", func() error { _, err := writer.GetAgent(ctx, "nosuchagent0000000000"); return err }, IsNotFound},
		{"unknown action", func() error { _, err := writer.GetAction(ctx, agent.ID, "nosuchaction"); return err }, IsNotFound},
		{"waitTime over 300 seconds", func() error { _, err := writer.UpdateAgent(ctx, agent.ID, tooLong); return err }, IsValidation},
		{"create without instructions", func() error {
			_, err := writer.CreateAgent(ctx, AgentSettings{Name: "x"})
			return err
		}, IsValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !tt.is(err) {
				t.Errorf("error %v is not of the expected class", err)
			}
		})
	}
	// The read-only token can read: plan runs on it.
	if _, err := reader.AllAgents(ctx); err != nil {
		t.Errorf("read-only search: %v", err)
	}
}

func TestSandboxPagination(t *testing.T) {
	sb := startSandbox(t, sim.Options{}, checked)
	ctx := context.Background()
	l := sb.location(t, "loc-a", true)
	want := make([]string, 0, 23)
	for i := range 23 {
		name := fmt.Sprintf("agent %02d", i)
		if i%5 == 0 {
			name = fmt.Sprintf("booking %02d", i)
		}
		a, err := l.CreateAgent(ctx, newAgent(name))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, a.ID)
	}
	slices.Sort(want)
	for _, size := range []int{0, 1, 7, 23, 100} {
		t.Run(fmt.Sprint("page size ", size), func(t *testing.T) {
			var got []string
			for a, err := range l.Agents(ctx, "", size) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, a.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("got %d ids, want the %d created", len(got), len(want))
			}
		})
	}
	t.Run("query", func(t *testing.T) {
		var names []string
		for a, err := range l.Agents(ctx, "booking", 2) {
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, a.Name)
		}
		slices.Sort(names)
		if want := []string{"booking 00", "booking 05", "booking 10", "booking 15", "booking 20"}; !slices.Equal(names, want) {
			t.Errorf("got %q, want %q", names, want)
		}
	})
}

// TestSandboxTruncatedSearch is the outage: the sandbox drops the agents list.
func TestSandboxTruncatedSearch(t *testing.T) {
	sb := startSandbox(t, sim.Options{}, unchecked)
	ctx := context.Background()
	l := sb.location(t, "loc-a", true)
	for i := range 3 {
		if _, err := l.CreateAgent(ctx, newAgent(fmt.Sprint("a", i))); err != nil {
			t.Fatal(err)
		}
	}
	sb.sim.SetFaults(sim.Faults{Truncated: 1})
	agents, err := l.AllAgents(ctx)
	if !errors.Is(err, ErrInconsistentAnswer) || agents != nil {
		t.Fatalf("got %d agents, err %v; want ErrInconsistentAnswer", len(agents), err)
	}
}

// TestSandboxFaults counts, in the sandbox's audit log, what the client did.
func TestSandboxFaults(t *testing.T) {
	tests := []struct {
		name      string
		faults    sim.Faults
		call      func(context.Context, *Location) error
		wantCalls int // requests the sandbox received for the call
		check     func(error) bool
	}{
		{"5xx on GET: retried until given up", sim.Faults{Error5xx: 1}, idempotentCalls["GET"], 4,
			func(err error) bool { e, ok := statusOf(err); return ok && e.Status >= 500 }},
		{"reset on GET: retried until given up", sim.Faults{Reset: 1}, idempotentCalls["GET"], 4,
			func(err error) bool { return err != nil && !IsAmbiguous(err) }},
		{"429 on GET: retried, then rate limited", sim.Faults{RateLimit429: 1}, idempotentCalls["GET"], 4, IsRateLimited},
		{"drop on POST: ambiguous, sent once", sim.Faults{Drop: 1}, func(ctx context.Context, l *Location) error {
			_, err := l.CreateAgent(ctx, newAgent("dropped"))
			return err
		}, 1, IsAmbiguous},
		{"5xx on POST: ambiguous, sent once", sim.Faults{Error5xx: 1}, func(ctx context.Context, l *Location) error {
			_, err := l.CreateAgent(ctx, newAgent("failed"))
			return err
		}, 1, IsAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := startSandbox(t, sim.Options{}, unchecked, func(o *Options) { o.MaxRetries = 3 })
			l := sb.location(t, "loc-a", true)
			sb.sim.SetFaults(tt.faults)
			err := tt.call(context.Background(), l)
			if !tt.check(err) {
				t.Errorf("error %v is not of the expected kind", err)
			}
			if n := len(sb.sim.Audit()); n != tt.wantCalls {
				t.Errorf("sandbox received %d requests, want %d", n, tt.wantCalls)
			}
		})
	}
	t.Run("drop on POST: the agent was created", func(t *testing.T) {
		sb := startSandbox(t, sim.Options{}, unchecked)
		l := sb.location(t, "loc-a", true)
		sb.sim.SetFaults(sim.Faults{Drop: 1})
		_, err := l.CreateAgent(context.Background(), newAgent("dropped"))
		if !IsAmbiguous(err) || len(sb.sim.AgentsOf("loc-a")) != 1 {
			t.Errorf("err %v, %d agents; want ambiguous and 1 agent", err, len(sb.sim.AgentsOf("loc-a")))
		}
	})
	t.Run("drop on DELETE: retried, found gone, success", func(t *testing.T) {
		// The sandbox drops the first DELETE's answer only (it would drop
		// the retry's 400 as well).
		s, err := sim.New(sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var deleteHits counter
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete && deleteHits.inc() > 1 {
				s.SetFaults(sim.Faults{}) // before serving: the retry may come at once
			}
			s.ServeHTTP(w, r)
		}))
		defer ts.Close()
		c, err := New(Options{BaseURL: ts.URL, HTTPClient: ts.Client(), Clock: newFakeClock()})
		if err != nil {
			t.Fatal(err)
		}
		l := c.Location("loc-a", simtest.Token(t, s, "loc-a", true))
		a, err := l.CreateAgent(context.Background(), newAgent("doomed"))
		if err != nil {
			t.Fatal(err)
		}
		s.SetFaults(sim.Faults{Drop: 1})
		if err := l.DeleteAgent(context.Background(), a.ID); err != nil {
			t.Errorf("DeleteAgent: %v", err)
		}
		var deletes []int
		for _, e := range s.Audit() {
			if e.Method == http.MethodDelete {
				deletes = append(deletes, e.Status)
			}
		}
		if len(s.AgentsOf("loc-a")) != 0 || len(deletes) != 2 || deletes[1] != 400 {
			t.Errorf("%d agents left, DELETE statuses %v; want 0 agents and a retry answered 400", len(s.AgentsOf("loc-a")), deletes)
		}
	})
	t.Run("429 honours Retry-After", func(t *testing.T) {
		sb := startSandbox(t, sim.Options{}, unchecked, func(o *Options) { o.MaxRetries = 1 })
		l := sb.location(t, "loc-a", true)
		sb.sim.SetFaults(sim.Faults{RateLimit429: 1})
		_ = idempotentCalls["GET"](context.Background(), l)
		if got := sb.clock.Sleeps(); !slices.Equal(got, []time.Duration{time.Second}) {
			t.Errorf("sleeps %v, want [1s] (the sandbox's Retry-After)", got)
		}
	})
}

// TestSandboxRateLimit runs 7 requests against a sandbox allowing 3 per 10 s:
// the client reads X-RateLimit-Remaining and waits out the window twice, and
// the sandbox never has to answer 429.
func TestSandboxRateLimit(t *testing.T) {
	sb := startSandbox(t, sim.Options{RateLimit: 3, RateWindow: 10 * time.Second}, checked)
	l := sb.location(t, "loc-a", true)
	ctx := context.Background()
	for i := range 7 {
		if _, err := l.SearchAgents(ctx, SearchParams{}); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	want := []time.Duration{10 * time.Second, 10 * time.Second}
	if got := sb.clock.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("client waits %v, want %v", got, want)
	}
	for _, e := range sb.sim.Audit() {
		if e.Status != http.StatusOK {
			t.Errorf("sandbox answered %d to %s %s", e.Status, e.Method, e.Path)
		}
	}
}
