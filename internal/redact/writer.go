package redact

import (
	"bytes"
	"io"
	"sync"
)

// Pending limits of a Writer.
const (
	// maxPending is how long a line may grow before a Writer writes part of
	// it without waiting for its end.
	maxPending = 64 << 10
	// maxHeld is how much a Writer holds back at most, even when the text
	// near the end of a very long line is all secrets.
	maxHeld = 1 << 20
)

// Writer masks secrets in what is written through it, then passes it on.
//
// A secret may straddle two Write calls, so a Writer passes on whole lines
// only: text after the last newline (or carriage return, which ends the
// lines a progress bar redraws) waits for the next Write, Flush or Close. A line longer than 64 KiB is passed on early except for its last
// (longest secret - 1) bytes and any match reaching into them, which is
// enough for a secret cut by the boundary to be seen whole on the next
// Write. Call Flush (or Close) when the output ends or before it waits for
// input, so that a prompt without a newline shows. Only secrets known when a
// line is passed on are masked: add secrets before output that may carry
// them.
//
// A Writer is safe for concurrent use; concurrent Writes are passed on in
// the order they took the lock.
type Writer struct {
	r *Redactor

	mu  sync.Mutex
	w   io.Writer
	buf []byte // text not passed on yet: the start of an unfinished line
	out []byte // reused output buffer
}

// NewWriter returns a Writer masking r's secrets on their way to w.
// A nil r masks nothing (it stands for an empty Redactor).
func NewWriter(w io.Writer, r *Redactor) *Writer {
	if r == nil {
		r = New()
	}
	return &Writer{r: r, w: w}
}

// Write masks and passes on every complete line of p (with what earlier
// Writes left pending) and keeps the rest. It reports len(p) unless the
// underlying writer fails.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	cut := bytes.LastIndexAny(w.buf, "\n\r") + 1
	if len(w.buf)-cut > maxPending {
		cut = max(cut, w.safeCut())
	}
	if cut == 0 {
		return len(p), nil
	}
	if err := w.pass(cut); err != nil {
		return 0, err
	}
	return len(p), nil
}

// safeCut returns how much of a long unfinished line can be passed on: all
// but the last (longest secret - 1) bytes, moved back to the start of a
// match that reaches the end of the buffer.
func (w *Writer) safeCut() int {
	w.r.mu.RLock()
	hold := max(w.r.maxLen-1, 0)
	spans := find(w.r, w.buf, nil)
	w.r.mu.RUnlock()
	cut := len(w.buf) - hold
	for _, sp := range spans {
		if sp.start < cut && cut < sp.end {
			if sp.end < len(w.buf) {
				cut = sp.end // the match is complete: pass it on masked
			} else {
				cut = sp.start // it may go on in the next Write
			}
			break
		}
	}
	if cut <= 0 && len(w.buf) > maxHeld {
		cut = len(w.buf) // a pathological run of secrets: pass it on masked
	}
	return max(cut, 0)
}

// pass masks buf[:n], writes it and drops it from buf.
func (w *Writer) pass(n int) error {
	if n == 0 {
		return nil
	}
	chunk := w.buf[:n]
	w.r.mu.RLock()
	spans := find(w.r, chunk, nil)
	w.r.mu.RUnlock()
	var err error
	if len(spans) == 0 {
		_, err = w.w.Write(chunk)
	} else {
		w.out = apply(w.out[:0], chunk, spans)
		_, err = w.w.Write(w.out)
	}
	rest := copy(w.buf, w.buf[n:])
	w.buf = w.buf[:rest]
	return err
}

// Flush masks and passes on everything pending, even an unfinished line.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pass(len(w.buf))
}

// Close flushes. It does not close the underlying writer.
func (w *Writer) Close() error { return w.Flush() }
