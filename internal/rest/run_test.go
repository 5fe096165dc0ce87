package rest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// stepClock is a minimal fake clock for this package's tests.
type stepClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func testPolicy(clk Clock) *Policy {
	return &Policy{Clock: clk, Rand: func(n int64) int64 { return n - 1 }, MaxRetries: 3,
		MinBackoff: time.Second, MaxBackoff: 8 * time.Second, MaxRetryAfter: time.Minute}
}

// script returns an attempt function answering outcomes in turn.
func script(outcomes ...Outcome) (func(context.Context, int) Outcome, *int) {
	calls := 0
	return func(context.Context, int) Outcome {
		o := outcomes[min(calls, len(outcomes)-1)]
		calls++
		return o
	}, &calls
}

var errFail = errors.New("failure")

func TestRun(t *testing.T) {
	ok := Outcome{}
	retry := Outcome{Err: errFail, Retry: true}
	tests := []struct {
		name       string
		method     string
		outcomes   []Outcome
		wantErr    error
		wantCalls  int
		wantSleeps []time.Duration
	}{
		{"success", "GET", []Outcome{ok}, nil, 1, nil},
		{"retried then success", "GET", []Outcome{retry, retry, ok}, nil, 3, []time.Duration{time.Second, 2 * time.Second}},
		{"gives up after MaxRetries", "GET", []Outcome{retry}, errFail, 4, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"not retryable", "GET", []Outcome{{Err: errFail}}, errFail, 1, nil},
		{"Retry-After longer than backoff", "GET", []Outcome{{Err: errFail, Retry: true, After: 5 * time.Second}, ok}, nil, 2, []time.Duration{5 * time.Second}},
		{"Again repeats at once, uncounted", "GET", []Outcome{{Err: errFail, Again: true}, retry, retry, retry, ok}, nil, 5,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
		{"DELETE gone after a failure that may have acted", "DELETE", []Outcome{retry, {Err: errFail, NotFound: true}}, ErrDeletedEarlier, 2, []time.Duration{time.Second}},
		{"DELETE not found after a refusal is a real not-found", "DELETE", []Outcome{{Err: errFail, Retry: true, Refused: true}, {Err: errFail, NotFound: true}}, errFail, 2, []time.Duration{time.Second}},
		{"DELETE not found at first is a real not-found", "DELETE", []Outcome{{Err: errFail, NotFound: true}}, errFail, 1, nil},
		{"GET not found after a failure is a not-found", "GET", []Outcome{retry, {Err: errFail, NotFound: true}}, errFail, 2, []time.Duration{time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &stepClock{}
			attempt, calls := script(tt.outcomes...)
			err := testPolicy(clk).Run(context.Background(), Op{Method: tt.method, Path: "/x", Attempt: attempt})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("err %v, want %v", err, tt.wantErr)
			}
			if *calls != tt.wantCalls {
				t.Errorf("%d attempts, want %d", *calls, tt.wantCalls)
			}
			if len(clk.sleeps) != len(tt.wantSleeps) {
				t.Fatalf("sleeps %v, want %v", clk.sleeps, tt.wantSleeps)
			}
			for i := range clk.sleeps {
				if clk.sleeps[i] != tt.wantSleeps[i] {
					t.Errorf("sleeps %v, want %v", clk.sleeps, tt.wantSleeps)
				}
			}
		})
	}
}

func TestRunRetryAfterTooLong(t *testing.T) {
	clk := &stepClock{}
	attempt, calls := script(Outcome{Err: errFail, Retry: true, After: time.Hour})
	err := testPolicy(clk).Run(context.Background(), Op{Method: "GET", Path: "/x", Attempt: attempt})
	if !errors.Is(err, errFail) || !strings.Contains(err.Error(), "more than 1m0s") || *calls != 1 || len(clk.sleeps) != 0 {
		t.Errorf("err %v after %d attempts, sleeps %v", err, *calls, clk.sleeps)
	}
}

func TestRunNamesTheSubject(t *testing.T) {
	clk := &stepClock{}
	ctx, cancel := context.WithCancel(context.Background())
	attempt, _ := script(Outcome{Err: errFail, Retry: true})
	wrapped := func(ctx context.Context, n int) Outcome { cancel(); return attempt(ctx, n) }
	err := testPolicy(clk).Run(ctx, Op{Method: "GET", Path: "/x", Subject: "location L", Attempt: wrapped})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errFail) || !strings.HasPrefix(err.Error(), "GET /x (location L): stopped retrying") {
		t.Errorf("err %v", err)
	}
}

func TestLimiterObserveAndHold(t *testing.T) {
	clk := &stepClock{now: time.Unix(0, 0)}
	l := NewLimiters(1000, 1000).Get("k")
	l.Observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Interval-Milliseconds": {"1500"}}, clk.Now())
	if err := l.Wait(context.Background(), clk); err != nil {
		t.Fatal(err)
	}
	if len(clk.sleeps) != 1 || clk.sleeps[0] != 1500*time.Millisecond {
		t.Errorf("sleeps %v, want [1.5s]", clk.sleeps)
	}
	l.Hold(clk.Now().Add(-time.Second)) // in the past: no wait
	if err := l.Wait(context.Background(), clk); err != nil || len(clk.sleeps) != 1 {
		t.Errorf("err %v, sleeps %v", err, clk.sleeps)
	}
}
