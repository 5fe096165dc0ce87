package plan

import (
	"errors"
	"strings"
	"testing"
)

func deletes(n int, kind Kind) []Change {
	out := make([]Change, n)
	for i := range out {
		out[i] = Change{Op: OpDelete, Kind: kind, Agent: "a"}
	}
	return out
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
			plan: Plan{Locations: []LocationPlan{{LocationID: "l", Prune: true, LiveObjects: 20, Changes: deletes(9, KindAgent)}}},
		},
		{
			name: "undeclared actions of declared agents allowed by default",
			plan: Plan{Locations: []LocationPlan{{LocationID: "l", LiveObjects: 20, Changes: deletes(9, KindAction)}}},
		},
		{
			name: "agent deletes without prune refused",
			plan: Plan{Locations: []LocationPlan{{LocationID: "l", Changes: deletes(2, KindAgent)}}},
			want: []string{"location l: 2 agent delete(s) but the location does not set prune: true"},
		},
		{
			name: "max deletes counts agents, actions and replaces across locations",
			plan: Plan{Locations: []LocationPlan{
				{LocationID: "a", Prune: true, Changes: deletes(2, KindAgent)},
				{LocationID: "b", Changes: append(deletes(1, KindAction), Change{Op: OpReplace, Kind: KindAction})},
			}},
			opts: SafetyOptions{MaxDeletes: 3},
			want: []string{"too many deletes, 4 is over 3 across the plan; use --max-deletes to allow"},
		},
		{
			name: "a deleted agent counts with the actions deleted along with it",
			plan: Plan{Locations: []LocationPlan{{LocationID: "P", Prune: true, LiveObjects: 28, Changes: []Change{
				{Op: OpDelete, Kind: KindAgent, Cascade: 7}, {Op: OpDelete, Kind: KindAgent, Cascade: 7}, {Op: OpDelete, Kind: KindAgent, Cascade: 7}}}}},
			opts: SafetyOptions{MaxDeletePercent: 50, MaxDeletes: 20},
			want: []string{"location P: too many deletes, 85.7% is over 50% (24/28)", "too many deletes, 24 is over 20 across the plan"},
		},
		{
			name: "max deletes at the limit passes",
			plan: Plan{Locations: []LocationPlan{{LocationID: "a", Prune: true, Changes: deletes(3, KindAgent)}}},
			opts: SafetyOptions{MaxDeletes: 3},
		},
		{
			name: "percentage over the limit",
			plan: Plan{Locations: []LocationPlan{{LocationID: "X", Prune: true, LiveObjects: 20, Changes: deletes(9, KindAgent)}}},
			opts: SafetyOptions{MaxDeletePercent: 30},
			want: []string{"location X: too many deletes, 45% is over 30% (9/20); use --max-delete-percent to allow"},
		},
		{
			name: "small locations exempt from the percentage",
			plan: Plan{Locations: []LocationPlan{{LocationID: "X", Prune: true, LiveObjects: 9, Changes: deletes(9, KindAgent)}}},
			opts: SafetyOptions{MaxDeletePercent: 30},
		},
		{
			name: "custom floor",
			plan: Plan{Locations: []LocationPlan{{LocationID: "X", LiveObjects: 3, Changes: deletes(3, KindAction)}}},
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
