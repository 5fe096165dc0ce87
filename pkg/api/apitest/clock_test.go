package apitest_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/api/apitest"
)

// The fake clock is an api.Clock.
var _ api.Clock = (*apitest.Clock)(nil)

func TestClockSleepIsInstantAndRecorded(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	clk := apitest.NewClock(start)
	ctx := context.Background()
	realStart := time.Now()
	for _, d := range []time.Duration{time.Hour, 2 * time.Second, 0} {
		if err := clk.Sleep(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if real := time.Since(realStart); real > time.Second {
		t.Errorf("sleeping took %v of real time", real)
	}
	if got, want := clk.Now(), start.Add(time.Hour+2*time.Second); !got.Equal(want) {
		t.Errorf("now %v, want %v", got, want)
	}
	if got := clk.Sleeps(); !slices.Equal(got, []time.Duration{time.Hour, 2 * time.Second, 0}) {
		t.Errorf("sleeps %v", got)
	}
	if clk.Slept() != time.Hour+2*time.Second {
		t.Errorf("slept %v", clk.Slept())
	}
	clk.Advance(time.Minute)
	if got := clk.Now(); !got.Equal(start.Add(time.Hour + 2*time.Second + time.Minute)) {
		t.Errorf("after Advance: %v", got)
	}
	if len(clk.Sleeps()) != 3 {
		t.Error("Advance recorded a sleep")
	}
}

func TestClockDefaultStart(t *testing.T) {
	if got := apitest.NewClock(time.Time{}).Now(); !got.Equal(apitest.DefaultStart) {
		t.Errorf("now %v, want %v", got, apitest.DefaultStart)
	}
}

func TestClockCancelled(t *testing.T) {
	clk := apitest.NewClock(time.Time{})
	ctx, cancel := context.WithCancel(context.Background())
	clk.OnSleep(cancel)
	if err := clk.Sleep(ctx, time.Second); err != context.Canceled {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if len(clk.Sleeps()) != 0 || !clk.Now().Equal(apitest.DefaultStart) {
		t.Errorf("a cancelled sleep moved the clock: %v %v", clk.Sleeps(), clk.Now())
	}
	clk.OnSleep(nil)
	if err := clk.Sleep(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestClockConcurrent(t *testing.T) {
	clk := apitest.NewClock(time.Time{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 20 {
				_ = clk.Sleep(context.Background(), time.Millisecond)
				_ = clk.Now()
			}
		})
	}
	wg.Wait()
	if got := clk.Now().Sub(apitest.DefaultStart); got != time.Second {
		t.Errorf("clock moved %v, want 1s (1000 sleeps of 1ms)", got)
	}
}
