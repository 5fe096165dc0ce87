package redact

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// benchSecrets are 300 location tokens, as a fleet run holds.
func benchSecrets() []string {
	s := make([]string, 300)
	for i := range s {
		s[i] = fmt.Sprintf("pit-%08x-%04x-4c8e-9a1f-%012x", i*2654435761, i, i*40503)
	}
	return s
}

// benchText is about size bytes of plan-like output; with leaks set, one line
// in a hundred carries a token or a fragment of one.
func benchText(size int, leaks bool, secrets []string) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "  ~ location loc%05d agent \"Front desk %d\": instructions changed (%d lines)\n", i, i%7, i%40)
		if leaks && i%100 == 0 {
			sec := secrets[i%len(secrets)]
			fmt.Fprintf(&b, "    debug: Authorization: Bearer %s / %s\n", sec, sec[4:30])
		}
	}
	return b.String()
}

// BenchmarkString masks 1 MiB and 10 MiB of output with 300 known tokens.
func BenchmarkString(b *testing.B) {
	secrets := benchSecrets()
	r := New(secrets...)
	for _, size := range []int{1 << 20, 10 << 20} {
		for _, leaks := range []bool{false, true} {
			text := benchText(size, leaks, secrets)
			b.Run(fmt.Sprintf("%dMiB/leaks=%v", size>>20, leaks), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					_ = r.String(text)
				}
			})
		}
	}
}

// BenchmarkWriter streams 10 MiB through a Writer in 4 KiB writes.
func BenchmarkWriter(b *testing.B) {
	secrets := benchSecrets()
	r := New(secrets...)
	text := []byte(benchText(10<<20, true, secrets))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(io.Discard, r)
		for i := 0; i < len(text); i += 4096 {
			_, _ = w.Write(text[i:min(i+4096, len(text))])
		}
		_ = w.Close()
	}
}

// BenchmarkAdd learns 300 tokens.
func BenchmarkAdd(b *testing.B) {
	secrets := benchSecrets()
	b.ReportAllocs()
	for b.Loop() {
		New(secrets...)
	}
}
