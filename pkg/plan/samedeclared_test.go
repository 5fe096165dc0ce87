package plan

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/agentform/agentform/pkg/value"
)

// TestSameDeclared checks the fast path of compare: sameDeclared is true
// exactly for the equal cases below, and never when DiffDeclared finds a
// difference.
func TestSameDeclared(t *testing.T) {
	norm := value.Normalizer{Keys: map[string]string{"steps": "id"}}
	cases := []struct {
		name          string
		live, desired value.Map
		same          bool
	}{
		{"equal", value.Map{"a": "x", "n": 1.0, "b": true}, value.Map{"a": "x", "n": 1.0, "b": true}, true},
		{"undeclared live fields", value.Map{"a": "x", "extra": "y", "deep": value.Map{"k": 1.0, "more": 2.0}},
			value.Map{"a": "x", "deep": value.Map{"k": 1.0}}, true},
		{"missing live equals declared zero", value.Map{"n": nil}, value.Map{"a": "", "b": false, "n": 0.0, "l": []any{}, "m": value.Map{}}, true},
		{"list items projected", value.Map{"steps": []any{value.Map{"id": 1.0, "x": "filled"}}},
			value.Map{"steps": []any{value.Map{"id": 1.0}}}, true},
		{"scalar differs", value.Map{"a": "x"}, value.Map{"a": "y"}, false},
		{"number differs", value.Map{"n": 1.0}, value.Map{"n": 2.0}, false},
		{"type differs", value.Map{"n": "1"}, value.Map{"n": 1.0}, false},
		{"missing live, declared value", value.Map{}, value.Map{"a": "x"}, false},
		{"list order", value.Map{"l": []any{"a", "b"}}, value.Map{"l": []any{"b", "a"}}, false},
		{"list length", value.Map{"l": []any{"a"}}, value.Map{"l": []any{"a", "b"}}, false},
		{"object replaced by scalar", value.Map{"m": "x"}, value.Map{"m": value.Map{"k": 1.0}}, false},
		{"keyed item differs", value.Map{"steps": []any{value.Map{"id": 1.0, "x": "a"}}},
			value.Map{"steps": []any{value.Map{"id": 1.0, "x": "b"}}}, false},
		{"declared null", value.Map{"a": "x"}, value.Map{"a": nil}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diffs, err := norm.DiffDeclared(c.live, c.desired)
			if err != nil {
				t.Fatal(err)
			}
			if got := sameDeclared(c.live, c.desired); got != c.same {
				t.Errorf("sameDeclared = %v, want %v (diffs %v)", got, c.same, diffs)
			}
			if c.same && len(diffs) > 0 {
				t.Errorf("a case called equal has diffs %v", diffs)
			}
		})
	}

	// Random values and random edits of them: whenever sameDeclared says
	// equal, DiffDeclared must find nothing.
	rng := rand.New(rand.NewPCG(1, 2))
	equal := 0
	for i := range 3000 {
		desired := randomMap(rng, 3)
		live := value.Clone(desired)
		if rng.IntN(2) == 0 {
			mutate(rng, live)
		}
		if rng.IntN(2) == 0 {
			live[fmt.Sprintf("extra%d", i)] = randomValue(rng, 1)
		}
		if !sameDeclared(live, desired) {
			continue
		}
		equal++
		diffs, err := norm.DiffDeclared(live, desired)
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Fatalf("sameDeclared(%#v, %#v) but DiffDeclared finds %v", live, desired, diffs)
		}
	}
	if equal < 500 {
		t.Errorf("only %d of 3000 random pairs were equal: the check exercises too little", equal)
	}
}

func randomValue(rng *rand.Rand, depth int) any {
	n := 6
	if depth <= 0 {
		n = 4
	}
	switch rng.IntN(n) {
	case 0:
		return []string{"", "a", "b"}[rng.IntN(3)]
	case 1:
		return float64(rng.IntN(3))
	case 2:
		return rng.IntN(2) == 0
	case 3:
		return nil
	case 4:
		l := make([]any, rng.IntN(3))
		for i := range l {
			l[i] = randomValue(rng, depth-1)
		}
		return l
	}
	return randomMap(rng, depth-1)
}

func randomMap(rng *rand.Rand, depth int) value.Map {
	m := value.Map{}
	for range rng.IntN(4) {
		m[string(rune('a'+rng.IntN(5)))] = randomValue(rng, depth)
	}
	return m
}

// mutate changes, drops or nulls one value somewhere in m.
func mutate(rng *rand.Rand, m value.Map) {
	for k, v := range m {
		switch x := v.(type) {
		case value.Map:
			if rng.IntN(2) == 0 {
				mutate(rng, x)
				return
			}
		case []any:
			if len(x) > 0 && rng.IntN(2) == 0 {
				if sub, ok := x[0].(value.Map); ok {
					mutate(rng, sub)
					return
				}
				x[0] = randomValue(rng, 0)
				return
			}
		}
		switch rng.IntN(3) {
		case 0:
			delete(m, k)
		case 1:
			m[k] = nil
		default:
			m[k] = randomValue(rng, 0)
		}
		return
	}
}
