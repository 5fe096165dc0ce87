package rest

import (
	"net/http"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	lo, hi := 200*time.Millisecond, 10*time.Second
	top := func(n int64) int64 { return n - 1 }
	bottom := func(int64) int64 { return 0 }
	tests := []struct {
		attempt int
		want    time.Duration
	}{
		{0, 200 * time.Millisecond},
		{1, 400 * time.Millisecond},
		{3, 1600 * time.Millisecond},
		{5, 6400 * time.Millisecond},
		{6, 10 * time.Second},
		{60, 10 * time.Second}, // no overflow
	}
	for _, tt := range tests {
		if got := Backoff(tt.attempt, lo, hi, top); got != tt.want {
			t.Errorf("Backoff(%d) top = %v, want %v", tt.attempt, got, tt.want)
		}
		if got := Backoff(tt.attempt, lo, hi, bottom); got != 0 {
			t.Errorf("Backoff(%d) bottom = %v, want 0 (full jitter)", tt.attempt, got)
		}
	}
	for range 1000 {
		if d := Backoff(2, lo, hi, DefaultRand); d < 0 || d > 800*time.Millisecond {
			t.Fatalf("Backoff(2) = %v, out of [0, 800ms]", d)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 12 ", 12 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
