package plan

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/provider"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock               { return &fakeClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)} }
func lines(s string) []string                { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
func meterOn(b *strings.Builder, c *fakeClock) *Meter {
	return &Meter{W: b, Noun: "locations", Now: c.now}
}

func TestMeterCILinesAtMostEveryFewSeconds(t *testing.T) {
	var b strings.Builder
	c := newFakeClock()
	m := meterOn(&b, c)
	m.Start()
	for done := 1; done <= 300; done++ {
		c.advance(100 * time.Millisecond) // 30s in all
		m.Update(done, 300)
	}
	m.Finish()
	got := lines(b.String())
	want := []string{
		"[50/300] locations, 5s elapsed, ETA 25s",
		"[100/300] locations, 10s elapsed, ETA 20s",
		"[150/300] locations, 15s elapsed, ETA 15s",
		"[200/300] locations, 20s elapsed, ETA 10s",
		"[250/300] locations, 25s elapsed, ETA 5s",
		"[300/300] locations, 30s elapsed",
		"[300/300] locations in 30s",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMeterCIQuietForShortRuns(t *testing.T) {
	var b strings.Builder
	c := newFakeClock()
	m := meterOn(&b, c)
	for done := 1; done <= 40; done++ {
		c.advance(50 * time.Millisecond)
		m.Update(done, 40)
	}
	m.Finish()
	if b.Len() != 0 {
		t.Fatalf("a 2s run wrote %q", b.String())
	}
}

func TestMeterTerminalRedrawsInPlace(t *testing.T) {
	var b strings.Builder
	c := newFakeClock()
	m := meterOn(&b, c)
	m.Terminal = true
	m.Start()
	c.advance(time.Second)
	m.Update(1, 4) // drawn: the first
	c.advance(50 * time.Millisecond)
	m.Update(2, 4) // too soon: not drawn
	m.Update(1, 4) // overtaken: ignored
	c.advance(time.Second)
	m.Update(3, 4)
	c.advance(10 * time.Millisecond)
	m.Update(4, 4) // the last is always drawn
	m.Finish()
	want := "[1/4] locations, 1s elapsed, ETA 3s\x1b[K\r" +
		"[3/4] locations, 2.1s elapsed, ETA 700ms\x1b[K\r" +
		"[4/4] locations, 2.1s elapsed\x1b[K\r" +
		"\x1b[2K\r"
	if b.String() != want {
		t.Fatalf("got  %q\nwant %q", b.String(), want)
	}
}

func TestWithProgressCountsEveryTarget(t *testing.T) {
	var mu sync.Mutex
	var seen []int
	connect := WithProgress(func(context.Context, *provider.Target) (provider.Session, error) { return nil, nil }, 50,
		func(started, total int) {
			mu.Lock()
			defer mu.Unlock()
			if total != 50 {
				t.Errorf("total %d", total)
			}
			seen = append(seen, started)
		})
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			connect(context.Background(), &provider.Target{})
		}()
	}
	wg.Wait()
	highest := 0
	for _, n := range seen {
		highest = max(highest, n)
	}
	if len(seen) != 50 || highest != 50 {
		t.Fatalf("%d reports, highest %d; want 50, 50", len(seen), highest)
	}
}
