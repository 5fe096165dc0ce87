// Package redact keeps secrets out of text: a Redactor learns every secret
// the process handles (tokens from the environment, agency tokens, minted
// location tokens, KrosAI keys, LiveKit room tokens) and masks them in any
// text before it is shown, logged or written; Writer does the same for
// streamed output; Secret is a string type that never prints its value.
//
// # What is masked
//
// A secret's whole value, and any run of at least MinFragment (12) bytes
// copied from it: a token echoed without its "pit-" prefix, cut in half by
// a log line's width, or glued to other text is masked all the same.
// Secrets shorter than MinSecret (8) bytes are not learned: masking them
// would mangle ordinary words, and no credential agentform handles is that
// short. Secrets of MinSecret to MinFragment bytes are masked whole only.
// Overlapping or adjacent matches become one Mask.
//
// # Cost
//
// Masking scans the text once with a rolling hash of its 12-byte windows,
// checked against a bitmap of the secrets' windows (one bit test per byte
// in the common case), so it is linear in the text and nearly independent
// of the number of secrets; text without a secret is returned without
// copying. See BenchmarkString.
//
// A Redactor is safe for concurrent use: secrets may be added while other
// goroutines mask text.
package redact

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every secret.
const Mask = "[REDACTED]"

// MinSecret is the length under which a secret is not learned.
const MinSecret = 8

// MinFragment is the length from which a run of a secret's bytes is masked
// wherever it appears.
const MinFragment = 12

// Hash parameters of the rolling hash over MinFragment-byte windows.
const (
	hashBase   = 1099511628211 // FNV prime; any odd multiplier works mod 2^64
	filterBits = 20            // 2^20-bit (128 KiB) bitmap of window hashes
)

// basePow is hashBase^(MinFragment-1) mod 2^64, to roll a byte out.
var basePow = func() uint64 {
	p := uint64(1)
	for range MinFragment - 1 {
		p *= hashBase
	}
	return p
}()

// ref is one MinFragment-byte window of a long secret.
type ref struct {
	secret int32 // index into Redactor.long
	off    int32 // offset of the window in the secret
}

// Redactor masks the secrets it was given. The zero value is not usable;
// call New.
type Redactor struct {
	mu     sync.RWMutex
	known  map[string]struct{}
	long   []string         // secrets of MinFragment bytes or more
	short  []string         // secrets of MinSecret to MinFragment-1 bytes
	grams  map[uint64][]ref // window hash → windows of long secrets
	filter []uint64         // bitmap of window hashes (top filterBits bits)
	maxLen int              // length of the longest secret
}

// New returns a Redactor that knows secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{
		known:  make(map[string]struct{}),
		grams:  make(map[uint64][]ref),
		filter: make([]uint64, (1<<filterBits)/64),
	}
	r.Add(secrets...)
	return r
}

// Add teaches r more secrets. Empty, short (under MinSecret bytes) and
// already known secrets are skipped. Adding a known secret costs a map
// lookup under a read lock, so callers may add the token of every request.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.RLock()
	fresh := false
	for _, s := range secrets {
		if _, ok := r.known[s]; !ok && len(s) >= MinSecret {
			fresh = true
			break
		}
	}
	r.mu.RUnlock()
	if !fresh {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) < MinSecret {
			continue
		}
		if _, ok := r.known[s]; ok {
			continue
		}
		r.known[s] = struct{}{}
		r.maxLen = max(r.maxLen, len(s))
		if len(s) < MinFragment {
			r.short = append(r.short, s)
			continue
		}
		idx := int32(len(r.long))
		r.long = append(r.long, s)
		h := hashWindow(s, 0)
		for off := 0; ; off++ {
			r.grams[h] = append(r.grams[h], ref{secret: idx, off: int32(off)})
			word, bit := filterBit(h)
			r.filter[word] |= bit
			if off+MinFragment >= len(s) {
				break
			}
			h = roll(h, s[off], s[off+MinFragment])
		}
	}
}

// Len returns how many secrets r knows.
func (r *Redactor) Len() int {
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.known)
}

// String returns s with every secret and every long fragment of one
// replaced by Mask. Without a match it returns s itself.
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	r.mu.RLock()
	spans := find(r, s, nil)
	r.mu.RUnlock()
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(maskedLen(len(s), spans))
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp.start])
		b.WriteString(Mask)
		prev = sp.end
	}
	b.WriteString(s[prev:])
	return b.String()
}

// Bytes is String for a byte slice. Without a match it returns b itself;
// otherwise a new slice (b is not modified).
func (r *Redactor) Bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	r.mu.RLock()
	spans := find(r, b, nil)
	r.mu.RUnlock()
	if len(spans) == 0 {
		return b
	}
	return apply(nil, b, spans)
}

// Leaks reports whether s holds a secret or a long fragment of one.
func (r *Redactor) Leaks(s string) bool {
	if r == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(find(r, s, nil)) > 0
}

// Error returns err unchanged when its text holds no secret, else an error
// whose text is masked and which still unwraps to err for errors.Is and
// errors.As. A nil err gives nil.
func (r *Redactor) Error(err error) error {
	if err == nil || r == nil {
		return err
	}
	msg := err.Error()
	clean := r.String(msg)
	if clean == msg {
		return err
	}
	return &maskedError{msg: clean, err: err}
}

// maskedError shows a masked message and unwraps to the original error.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// IsMasked reports whether err (or an error it wraps) is one Error masked.
func IsMasked(err error) bool {
	var m *maskedError
	return errors.As(err, &m)
}

// text is what find and apply work on.
type text interface{ ~string | ~[]byte }

// span is a half-open byte range to mask.
type span struct{ start, end int }

// hashWindow hashes s[at : at+MinFragment].
func hashWindow[T text](s T, at int) uint64 {
	var h uint64
	for i := at; i < at+MinFragment; i++ {
		h = h*hashBase + uint64(s[i])
	}
	return h
}

// filterBit locates a window hash in the bitmap: its top filterBits bits.
func filterBit(h uint64) (word int, bit uint64) {
	top := h >> (64 - filterBits)
	return int(top / 64), 1 << (top % 64)
}

// roll moves a window hash one byte on: out leaves, in enters.
func roll(h uint64, out, in byte) uint64 {
	return (h-uint64(out)*basePow)*hashBase + uint64(in)
}

// find returns the sorted, merged spans of s to mask, appended to spans.
// The caller holds r.mu for reading.
func find[T text](r *Redactor, s T, spans []span) []span {
	n := len(s)
	if len(r.long) > 0 && n >= MinFragment {
		h := hashWindow(s, 0)
		for i := 0; ; {
			if word, bit := filterBit(h); r.filter[word]&bit != 0 {
				var end int
				spans, end = matchAt(r, s, i, h, spans)
				if end-MinFragment > i {
					// Windows inside the match need no look; go on from
					// the last window that reaches past it.
					i = end - MinFragment
					h = hashWindow(s, i)
				}
			}
			if i+MinFragment >= n {
				break
			}
			h = roll(h, s[i], s[i+MinFragment])
			i++
		}
	}
	for _, sec := range r.short {
		for at := 0; at+len(sec) <= n; at++ {
			if s[at] == sec[0] && equal(s, at, sec, 0, len(sec)) {
				spans = append(spans, span{at, at + len(sec)})
			}
		}
	}
	return merge(spans)
}

// matchAt checks the window of s at i (hash h) against the secrets'
// windows, extends every true match as far as secret and text agree,
// appends it to spans and returns the end of the furthest match (0 if none).
func matchAt[T text](r *Redactor, s T, i int, h uint64, spans []span) ([]span, int) {
	furthest := 0
	for _, g := range r.grams[h] {
		sec, off := r.long[g.secret], int(g.off)
		if !equal(s, i, sec, off, MinFragment) {
			continue // a hash collision
		}
		b, ob := i, off
		for b > 0 && ob > 0 && s[b-1] == sec[ob-1] {
			b, ob = b-1, ob-1
		}
		e, oe := i+MinFragment, off+MinFragment
		for e < len(s) && oe < len(sec) && s[e] == sec[oe] {
			e, oe = e+1, oe+1
		}
		spans = append(spans, span{b, e})
		furthest = max(furthest, e)
	}
	return spans, furthest
}

// equal compares n bytes of s at i with sec at off.
func equal[T text](s T, i int, sec string, off, n int) bool {
	for k := range n {
		if s[i+k] != sec[off+k] {
			return false
		}
	}
	return true
}

// merge sorts spans and joins those that overlap or touch.
func merge(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.start <= last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// maskedLen is the length of a text of n bytes once spans are masked.
func maskedLen(n int, spans []span) int {
	for _, sp := range spans {
		n += len(Mask) - (sp.end - sp.start)
	}
	return n
}

// apply appends s with every span replaced by Mask to dst.
func apply[T text](dst []byte, s T, spans []span) []byte {
	dst = slices.Grow(dst, maskedLen(len(s), spans))
	prev := 0
	for _, sp := range spans {
		dst = append(dst, s[prev:sp.start]...)
		dst = append(dst, Mask...)
		prev = sp.end
	}
	return append(dst, s[prev:]...)
}
