package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary manifests (with fixed bases beside them) to the
// loader: it must never panic, and must return either a set or diagnostics.
// The seed corpus is every example manifest and base, and every manifest of
// the bad-input and good-input tests, so that mutation starts from inputs
// that reach each part of the loader.
func FuzzLoad(f *testing.F) {
	root := filepath.Join("..", "..", "examples")
	_ = filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && isManifestName(p) {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	for _, tt := range badManifests {
		for _, content := range tt.files {
			f.Add([]byte(content))
		}
	}
	f.Add([]byte(agentA + "    base: desk\n    businessName: ${x} $${y}\n"))
	f.Add([]byte(withActions(stopBot("S") + transferBot("T", "A"))))
	f.Add([]byte(head + "vars: {a: x ${b}, b: y}\nagents:\n  - name: A\n    base: desk\n    goal: ${a}\n"))
	base := []byte("base: desk\npersonality: p\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"loc.yaml":        {Data: data},
			"bases/desk.yaml": {Data: []byte("personality: p\ngoal: ${g}\ninstructions: i\n")},
			"bases/loop.yaml": {Data: base},
		}
		set, err := LoadFS(fsys, ".")
		var ds Diagnostics
		switch {
		case err == nil && set == nil:
			t.Fatal("nil set without error")
		case err != nil && !errors.As(err, &ds):
			t.Fatalf("error is not Diagnostics: %v", err)
		case err != nil && len(ds) == 0:
			t.Fatal("empty Diagnostics")
		}
	})
}

// FuzzExpandVars expands arbitrary text with two variables of arbitrary
// values, which may refer to each other: it must terminate without
// panicking, leave text without $ alone, give the same result twice, and
// leave no ${ behind when it reports no problem, nothing was escaped and the
// values hold no $ (a value ending in $ before a literal { writes ${).
func FuzzExpandVars(f *testing.F) {
	f.Add("plain", "x", "y")
	f.Add("${a} and ${b}", "Austin", "78701")
	f.Add("${a}", "${b}", "${a}")
	f.Add("$${a} ${a", "", "")
	f.Add("${a}${b}$$${c}", "${b}${b}", "${ }")
	f.Add("${b}", "list", "${a} ${a} ${a}")
	f.Fuzz(func(t *testing.T, s, a, b string) {
		decl := func(name, value string) *varDecl {
			return &varDecl{name: name, key: Pos{File: "v.yaml", Line: 1, Col: 1},
				value: &node{kind: scalarKind, value: value, text: value, pos: Pos{File: "v.yaml", Line: 1, Col: 4}}}
		}
		sc := scope{}.with([]*varDecl{decl("a", a), decl("b", b)})
		n := &node{kind: scalarKind, value: s, text: s, pos: Pos{File: "l.yaml", Line: 2, Col: 3}}
		expand := func() (string, Diagnostics) {
			l := &loader{varUsed: map[*varDecl]bool{}}
			out := l.newExpander(sc, "l.yaml").node(n, "x")
			got, _ := out.str()
			return got, l.d.list
		}
		got, problems := expand()
		again, problems2 := expand()
		if got != again || problems.String() != problems2.String() {
			t.Fatalf("expanding twice differs: %q (%v) then %q (%v)", got, problems, again, problems2)
		}
		if !strings.Contains(s, "$") && (got != s || len(problems) > 0) {
			t.Fatalf("text without $ changed: %q -> %q (%v)", s, got, problems)
		}
		escaped := strings.Contains(s, "$${") || strings.Contains(a+b, "$")
		if len(problems) == 0 && !escaped && strings.Contains(got, "${") {
			t.Fatalf("%q expanded to %q without a problem but still holds ${", s, got)
		}
	})
}
