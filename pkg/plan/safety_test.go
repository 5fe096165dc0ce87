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
			opts: SafetyOptions{LimitDeletes: true, MaxDeletes: 3},
			want: []string{"too many deletes, 4 is over 3 across the plan (3 to delete, 1 to replace); use --max-deletes to allow"},
		},
		{
			name: "a deleted agent counts with the actions deleted along with it",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "P", Prune: true, LiveObjects: 28, Changes: []Change{
				{Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "a"), Cascade: 7}, {Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "b"), Cascade: 7},
				{Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "c"), Cascade: 7}}})}},
			opts: SafetyOptions{MaxDeletePercent: 50, LimitDeletes: true, MaxDeletes: 2},
			// The percentage counts objects (an agent with its actions);
			// --max-deletes counts deletes as the plan summary does.
			want: []string{"location P: too many deletes, 85.7% is over 50% (24/28 managed objects: 3 to delete, and 21 deleted with them)",
				"too many deletes, 3 is over 2 across the plan (3 to delete, 0 to replace)"},
		},
		{
			name: "max deletes at the limit passes",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, Changes: deletes(3, kindAgent)})}},
			opts: SafetyOptions{LimitDeletes: true, MaxDeletes: 3},
		},
		{
			name: "percentage over the limit",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "X", Prune: true, LiveObjects: 20, Changes: deletes(9, kindAgent)})}},
			opts: SafetyOptions{MaxDeletePercent: 30},
			want: []string{"location X: too many deletes, 45% is over 30% (9/20 managed objects: 9 to delete); use --max-delete-percent to allow"},
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
			want: []string{"100% is over 50% (3/3 managed objects"},
		},
		{
			name: "max deletes 0 means none",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Changes: deletes(1, kindAction)})}},
			opts: SafetyOptions{LimitDeletes: true},
			want: []string{"too many deletes, 1 is over 0 across the plan (1 to delete, 0 to replace)"},
		},
		{
			name: "mass delete: more than a third of the live agents",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, LiveCounts: map[string]int{kindAgent: 5}, Changes: deletes(2, kindAgent)})}},
			want: []string{"location a: deleting 2 of its 5 live agents: more than a third is refused by default (a guard against emptying a location by mistake); check the location's credential and manifest, then pass --force-deletes to allow"},
		},
		{
			name: "mass delete: a third is allowed",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, LiveCounts: map[string]int{kindAgent: 6}, Changes: deletes(2, kindAgent)})}},
		},
		{
			name: "mass delete: the last agent",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, LiveCounts: map[string]int{kindAgent: 1}, Changes: deletes(1, kindAgent)})}},
			want: []string{"deleting 1 of its 1 live agents: more than a third, and its last one"},
		},
		{
			name: "mass delete: an essential agent",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, LiveCounts: map[string]int{kindAgent: 9}, Changes: []Change{
				{Op: OpDelete, Kind: kindAgent, Key: keyOf(kindAgent, "Desk"), Essential: "the location's primary agent"}}})}},
			want: []string{`deleting 1 of its 9 live agents: an essential agent: "Desk" (the location's primary agent)`},
		},
		{
			name: "mass delete: forced",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", Prune: true, LiveCounts: map[string]int{kindAgent: 2}, Changes: deletes(2, kindAgent)})}},
			opts: SafetyOptions{ForceDeletes: true},
		},
		{
			name: "update percentage, opt-in",
			plan: Plan{Targets: []TargetPlan{loc(TargetPlan{ID: "a", LiveObjects: 10, Changes: []Change{
				{Op: OpUpdate, Kind: kindAgent, Key: keyOf(kindAgent, "a")}, {Op: OpUpdate, Kind: kindAgent, Key: keyOf(kindAgent, "b")},
				{Op: OpReplace, Kind: kindAction, Key: keyOf(kindAction, "b")}}})}},
			opts: SafetyOptions{MaxUpdatePercent: 25},
			want: []string{"location a: too many updates, 30% is over 25% (3/10 managed objects: 2 to update, 1 to replace); use --max-update-percent to allow"},
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
