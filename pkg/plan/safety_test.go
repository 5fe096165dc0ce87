package plan

import (
	"errors"
	"strings"
	"testing"
)

// The kinds of these tests: a top-level kind and a child kind, shaped like
// HighLevel's (the messages name them).
const (
	kindAgent  = "agent"
	kindAction = "action"
)

// keyOf is the key of an agent, or of one of its actions when kind is
// kindAction.
func keyOf(kind, agent string) Key {
	k := Key{{Kind: kindAgent, Name: agent}}
	if kind == kindAction {
		k = k.Child(kindAction, "x")
	}
	return k
}

func deletes(n int, kind string) []Change {
	out := make([]Change, n)
	for i := range out {
		out[i] = Change{Op: OpDelete, Kind: kind, Key: keyOf(kind, "a")}
	}
	return out
}

// loc is a location's plan: the target kind the messages name.
func loc(tp TargetPlan) TargetPlan {
	tp.Kind = "location"
	return tp
}

func TestCheckSafety(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		opts SafetyOptions
		want []string // substrings of the problems; none means allowed
	}{
		{
			name: "prune deletes allowed by default",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "l", Prune: true, LiveObjects: 20, Changes: deletes(9, kindAgent)})}},
		},
		{
			name: "undeclared actions of declared agents allowed by default",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "l", LiveObjects: 20, Changes: deletes(9, kindAction)})}},
		},
		{
			name: "agent deletes without prune refused",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "l", Changes: deletes(2, kindAgent)})}},
			want: []string{"location l: 2 agent delete(s) but the location does not set prune: true"},
		},
		{
			name: "max deletes counts agents, actions and replaces across locations",
			plan: Plan{Targets: []TargetPlan{
				loc(TargetPlan{ID: "a", Prune: true, Changes: deletes(2, kindAgent)}),
				loc(TargetPlan{ID: "b", Changes: append(deletes(1, kindAction), Change{Op: OpReplace, Kind: kindAction, Key: keyOf(kindAction, "b")})}),
			}},
			opts: SafetyOptions{MaxDeletes: 3},
			want: []string{"too many deletes, 4 is over 3 across the plan; use --max-deletes to allow"},
		},
		{
			name: "a deleted agent counts with the actions deleted along with it",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "P", Prune: true, LiveObjects: 28, Changes: []Change{
				{Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "a"), Cascade: 7}, {Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "b"), Cascade: 7},
				{Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "c"), Cascade: 7}}})}},
			opts: SafetyOptions{MaxDeletePercent: 50, MaxDeletes: 20},
			want: []string{"location P: too many deletes, 85.7% is over 50% (24/28)", "too many deletes, 24 is over 20 across the plan"},
		},
		{
			name: "max deletes at the limit passes",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, Changes: deletes(3, kindAgent)})}},
			opts: SafetyOptions{MaxDeletes: 3},
		},
		{
			name: "percentage over the limit",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "X", Prune: true, LiveObjects: 20, Changes: deletes(9, kindAgent)})}},
			opts: SafetyOptions{MaxDeletePercent: 30},
			want: []string{"location X: too many deletes, 45% is over 30% (9/20); use --max-delete-percent to allow"},
		},
		{
			name: "small locations exempt from the percentage",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "X", Prune: true, LiveObjects: 9, Changes: deletes(9, kindAgent)})}},
			opts: SafetyOptions{MaxDeletePercent: 30},
		},
		{
			name: "custom floor",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "X", LiveObjects: 3, Changes: deletes(3, kindAction)})}},
			opts: SafetyOptions{MaxDeletePercent: 50, MinObjects: 3},
			want: []string{"100% is over 50% (3/3)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.plan.CheckSafety(tt.opts)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var se *SafetyError
			if !errors.As(err, &se) {
				t.Fatalf("error %v, want a *SafetyError", err)
			}
			if len(se.Problems) != len(tt.want) {
				t.Fatalf("problems %q, want %d", se.Problems, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(se.Problems[i], w) {
					t.Errorf("problem %q, want it to contain %q", se.Problems[i], w)
				}
			}
		})
	}
}
