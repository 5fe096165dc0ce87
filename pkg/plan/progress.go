package plan

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentform/agentform/pkg/provider"
)

// Meter shows how far a run over many targets (plan's reads, apply) has
// come, on a stream of its own (stderr): `[45/300] locations, 12s elapsed,
// ETA 1m08s`. On a terminal the line is redrawn in place (at most every
// 100ms, and always for the last target) and erased by Finish; elsewhere
// (CI logs) it is written as a line of its own at most once per Every, so
// a short run writes nothing. Its methods may be called concurrently.
type Meter struct {
	W io.Writer
	// Terminal redraws one line (W is a terminal) instead of writing lines.
	Terminal bool
	// Noun is the plural of what is counted ("locations").
	Noun string
	// Every is the least time between two lines off a terminal (default
	// 5s).
	Every time.Duration
	// Now is the clock (default time.Now); tests pass a fake one.
	Now func() time.Time

	mu      sync.Mutex
	start   time.Time
	last    time.Time // of the last line written, or the start
	drawn   bool      // a terminal line is on screen
	written bool      // a CI line was written
	done    int
	total   int
}

// redrawEvery is how often a terminal line is redrawn at most.
const redrawEvery = 100 * time.Millisecond

// defaultEvery is Meter.Every's default.
const defaultEvery = 5 * time.Second

func (m *Meter) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Start starts the clock (elapsed time and ETA count from here). Update
// starts it too when it was not started.
func (m *Meter) Start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
}

func (m *Meter) startLocked() {
	if m.start.IsZero() {
		m.start = m.now()
		m.last = m.start
	}
}

// Update records that done of total targets are done, and shows it when it
// is time to.
func (m *Meter) Update(done, total int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.startLocked()
	if done < m.done && total == m.total {
		return // a report overtaken by a later one: the count never goes back
	}
	m.done, m.total = done, total
	now := m.now()
	if m.Terminal {
		if done < total && now.Sub(m.last) < redrawEvery && m.drawn {
			return
		}
		// The text, then "erase to the end of the line" and a carriage
		// return: the next one overwrites it, and a writer that passes on
		// whole lines passes it on at once.
		fmt.Fprintf(m.W, "%s\x1b[K\r", m.text(now))
		m.last, m.drawn = now, true
		return
	}
	every := m.Every
	if every <= 0 {
		every = defaultEvery
	}
	if now.Sub(m.last) < every {
		return
	}
	fmt.Fprintln(m.W, m.text(now))
	m.last, m.written = now, true
}

// Finish ends the meter: on a terminal it erases the line; off one, when it
// wrote a line, it writes the final count and the time taken.
func (m *Meter) Finish() {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.Terminal && m.drawn:
		fmt.Fprint(m.W, "\x1b[2K\r")
		m.drawn = false
	case !m.Terminal && m.written:
		fmt.Fprintf(m.W, "[%d/%d] %s in %s\n", m.done, m.total, m.Noun, roundDuration(m.now().Sub(m.start)))
		m.written = false
	}
}

// text is the progress line: `[45/300] locations, 12s elapsed, ETA 1m08s`.
func (m *Meter) text(now time.Time) string {
	elapsed := now.Sub(m.start)
	s := fmt.Sprintf("[%d/%d] %s, %s elapsed", m.done, m.total, m.Noun, roundDuration(elapsed))
	if m.done > 0 && m.done < m.total {
		eta := time.Duration(float64(elapsed) / float64(m.done) * float64(m.total-m.done))
		s += ", ETA " + roundDuration(eta).String()
	}
	return s
}

// roundDuration keeps durations readable: whole seconds, or tenths under
// ten seconds.
func roundDuration(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// WithProgress returns connect, reporting to progress how many of total
// targets have been started each time Make opens one (it opens each target
// once, before reading it; at most Options.Parallelism are read at once).
func WithProgress(connect Connector, total int, progress func(started, total int)) Connector {
	var started atomic.Int64
	return func(ctx context.Context, t *provider.Target) (provider.Session, error) {
		progress(int(started.Add(1)), total)
		return connect(ctx, t)
	}
}
