package credential

import (
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	env := map[string]string{"A": " tok-a\n", "B": "Bearer tok-b", "C": "tok c", "SHARED1": "same", "SHARED2": "same", "CLAIM": "other"}
	r := &Rules{
		Words:     Words{Target: "box", Short: "box", Secret: "token", Held: "the box's token", Alone: "token"},
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Check: func(target, env, secret string) error {
			if secret == "other" {
				return errString("the token in " + env + " belongs to another box")
			}
			return nil
		},
	}
	r.Reserve([]Binding{{"s1", "SHARED1"}, {"s2", "SHARED2"}, {"a", "A"}})
	tests := []struct{ target, env, want string }{
		{"a", "A", ""},
		{"x", "MISSING", "box x: environment variable MISSING is not set (it must hold the box's token)"},
		{"b", "B", `box b: B starts with "Bearer ": store the token alone`},
		{"c", "C", "box c: C holds white space inside the token: store the token alone"},
		{"s1", "SHARED1", "box s1: one token serves SHARED1 (box s1), SHARED2 (box s2); a token belongs to one box, so none of them is used"},
		{"d", "CLAIM", "box d: the token in CLAIM belongs to another box"},
		{"e", "A", "box e: A holds the same token as A of box a; a token serves one box only"},
	}
	for _, tt := range tests {
		got, err := r.Get(tt.target, tt.env)
		switch {
		case tt.want == "" && (err != nil || got != "tok-a"):
			t.Errorf("Get(%s, %s) = %q, %v", tt.target, tt.env, got, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("Get(%s, %s) error %v, want %q", tt.target, tt.env, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "tok-") {
			t.Errorf("a credential leaked into %q", err)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
