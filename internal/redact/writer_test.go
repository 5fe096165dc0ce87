package redact

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
)

// TestWriterSplitEverywhere writes a text with secrets in two pieces, cut at
// every byte, and checks what reaches the underlying writer.
func TestWriterSplitEverywhere(t *testing.T) {
	r := New(pit)
	in := "first line\ntoken=" + pit + " end\npartial " + pit[4:] + " tail"
	want := r.String(in)
	for cut := 0; cut <= len(in); cut++ {
		var out bytes.Buffer
		w := NewWriter(&out, r)
		for _, piece := range []string{in[:cut], in[cut:]} {
			if n, err := w.Write([]byte(piece)); n != len(piece) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("cut at %d:\ngot  %q\nwant %q", cut, out.String(), want)
		}
	}
}

func TestWriterPassesWholeLines(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out, New(pit))
	_, _ = w.Write([]byte("a\nb " + pit[:20]))
	if out.String() != "a\n" {
		t.Errorf("passed on %q, want only the complete line", out.String())
	}
	_, _ = w.Write([]byte(pit[20:] + "\n"))
	if out.String() != "a\nb "+Mask+"\n" {
		t.Errorf("got %q", out.String())
	}
	_, _ = w.Write([]byte("prompt> "))
	if err := w.Flush(); err != nil || out.String() != "a\nb "+Mask+"\nprompt> " {
		t.Errorf("after Flush: %q, %v", out.String(), err)
	}
}

// TestWriterLongLine writes a line longer than maxPending in small pieces,
// with secrets everywhere, including across the early cuts.
func TestWriterLongLine(t *testing.T) {
	r := New(pit)
	var b strings.Builder
	for b.Len() < 3*maxPending {
		b.WriteString("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ")
		b.WriteString(pit)
	}
	in := b.String()
	var out bytes.Buffer
	w := NewWriter(&out, r)
	for i := 0; i < len(in); i += 1000 {
		if _, err := w.Write([]byte(in[i:min(i+1000, len(in))])); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() == 0 {
		t.Error("a long line was held whole")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), r.String(in); got != want {
		t.Errorf("long line differs (%d vs %d bytes)", len(got), len(want))
	}
	if strings.Contains(out.String(), "7f3c") {
		t.Error("a fragment leaked")
	}
}

func TestWriterConcurrent(t *testing.T) {
	r := New(pit)
	var out bytes.Buffer
	w := NewWriter(&out, r)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				_, _ = w.Write([]byte("line " + pit + "\n"))
			}
		})
	}
	wg.Wait()
	_ = w.Close()
	if strings.Contains(out.String(), "7f3c") || strings.Count(out.String(), "\n") != 800 {
		t.Errorf("concurrent writes: %d lines, leak %v", strings.Count(out.String(), "\n"), strings.Contains(out.String(), "7f3c"))
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterError(t *testing.T) {
	w := NewWriter(failWriter{}, nil)
	if _, err := w.Write([]byte("held")); err != nil {
		t.Fatalf("a pending line failed: %v", err)
	}
	if _, err := w.Write([]byte(" line\n")); err == nil {
		t.Error("no error from the underlying writer")
	}
}
