package textdiff

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// applyScript rebuilds both texts from a script.
func applyScript(ops []Op) (a, b []string) {
	for _, op := range ops {
		if op.Kind != Insert {
			a = append(a, op.Text)
		}
		if op.Kind != Delete {
			b = append(b, op.Text)
		}
	}
	return a, b
}

// lcsLen is the textbook LCS table, for small inputs.
func lcsLen(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func keeps(ops []Op) int {
	n := 0
	for _, op := range ops {
		if op.Kind == Keep {
			n++
		}
	}
	return n
}

// check asserts the script rebuilds a and b and is minimal.
func check(t *testing.T, a, b []string) []Op {
	t.Helper()
	ops := Lines(a, b)
	gotA, gotB := applyScript(ops)
	if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
		t.Fatalf("script does not rebuild the texts\na %q\nb %q\nops %v", a, b, ops)
	}
	if want := lcsLen(a, b); keeps(ops) != want {
		t.Fatalf("script keeps %d lines, the LCS has %d\na %q\nb %q\nops %v", keeps(ops), want, a, b, ops)
	}
	return ops
}

func TestLines(t *testing.T) {
	lines := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, " ")
	}
	tests := []struct {
		a, b string
		want string // ops as marks and texts
	}{
		{"", "", ""},
		{"x y", "x y", " x  y"},
		{"", "x y", "+x +y"},
		{"x y", "", "-x -y"},
		{"a b c", "a x c", " a -b +x  c"},
		{"a b c d", "a c d e", " a -b  c  d +e"},
		{"p q r", "s t u", "-p -q -r +s +t +u"},
		{"a b a b", "b a b a", "+b  a  b  a -b"}, // one of two minimal scripts
	}
	for _, tt := range tests {
		t.Run(tt.a+"→"+tt.b, func(t *testing.T) {
			ops := check(t, lines(tt.a), lines(tt.b))
			var got []string
			for _, op := range ops {
				got = append(got, op.Kind.String()+op.Text)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("ops %q, want %q", strings.Join(got, " "), tt.want)
			}
		})
	}
}

func TestDeletesBeforeInserts(t *testing.T) {
	ops := Lines([]string{"k", "old1", "old2", "k2"}, []string{"k", "new1", "new2", "k2"})
	kinds := ""
	for _, op := range ops {
		kinds += op.Kind.String()
	}
	if kinds != " --++ " {
		t.Errorf("kinds %q", kinds)
	}
}

// TestRandom compares with the LCS table on random small texts over small
// alphabets, where ties and repeated lines abound.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 5000 {
		alphabet := 1 + rng.IntN(6)
		gen := func() []string {
			s := make([]string, rng.IntN(25))
			for i := range s {
				s[i] = string(rune('a' + rng.IntN(alphabet)))
			}
			return s
		}
		a := gen()
		var b []string
		if iter%2 == 0 {
			b = gen()
		} else { // b is an edit of a
			for _, line := range a {
				switch rng.IntN(6) {
				case 0:
				case 1:
					b = append(b, line, string(rune('a'+rng.IntN(alphabet+2))))
				default:
					b = append(b, line)
				}
			}
		}
		check(t, a, b)
	}
}

// TestLarge checks big texts with scattered edits, a full rewrite and
// repetitive lines, against what the edits imply.
func TestLarge(t *testing.T) {
	a, b := scattered(10000, 100, 3)
	ops := Lines(a, b)
	gotA, gotB := applyScript(ops)
	if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
		t.Fatal("script does not rebuild the texts")
	}
	// 100 edits each replacing one line: at most 100 deletes and 100 inserts.
	if changed := len(ops) - keeps(ops); changed > 200 {
		t.Errorf("%d changed lines for 100 one-line edits", changed)
	}
	rewrite := Lines(numbered("old", 5000), numbered("new", 5000))
	if keeps(rewrite) != 0 || len(rewrite) != 10000 {
		t.Errorf("rewrite: %d ops, %d kept", len(rewrite), keeps(rewrite))
	}
	x, y := repetitive(2000, 1), repetitive(2000, 2)
	check(t, x, y)
}

// scattered returns an n-line text and a copy with edits lines replaced,
// spread evenly.
func scattered(n, edits int, seed uint64) ([]string, []string) {
	rng := rand.New(rand.NewPCG(seed, seed))
	a := make([]string, n)
	for i := range a {
		a[i] = fmt.Sprintf("line %d: %x", i, rng.Uint32())
	}
	b := slices.Clone(a)
	for e := range edits {
		i := e*(n/edits) + rng.IntN(n/edits)
		b[i] = "edited " + b[i]
	}
	return a, b
}

func numbered(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%s %d", prefix, i)
	}
	return s
}

// repetitive returns a text of few distinct lines (blank lines, bullets).
func repetitive(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := make([]string, n)
	for i := range s {
		s[i] = []string{"", "- item", "---", "# Heading", "text"}[rng.IntN(5)]
	}
	return s
}

// TestMemoryLinear checks a diff of two 10,000-line texts allocates well
// under 50 MB in all (the LCS table needs 800 MB).
func TestMemoryLinear(t *testing.T) {
	a, b := scattered(10000, 300, 5)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Lines(a, b)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 10<<20 {
		t.Errorf("diff allocated %d MB", got>>20)
	}
}
