package textdiff

import (
	"fmt"
	"testing"
)

// BenchmarkLines diffs two 10,000-line texts. B/op is all the memory one
// diff allocates (an upper bound of its peak); the textbook LCS table of
// the same texts is 10,001² ints, 800 MB.
func BenchmarkLines(b *testing.B) {
	cases := []struct {
		name string
		a, b []string
	}{}
	for _, edits := range []int{10, 100, 1000} {
		x, y := scattered(10000, edits, 1)
		cases = append(cases, struct {
			name string
			a, b []string
		}{fmt.Sprintf("10k lines/%d scattered edits", edits), x, y})
	}
	cases = append(cases, struct {
		name string
		a, b []string
	}{"10k lines/full rewrite", numbered("old", 10000), numbered("new", 10000)})
	cases = append(cases, struct {
		name string
		a, b []string
	}{"10k lines/5 distinct lines", repetitive(10000, 1), repetitive(10000, 2)})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Lines(c.a, c.b)
			}
		})
	}
}
