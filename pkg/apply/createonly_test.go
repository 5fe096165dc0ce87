package apply_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/providertest"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// TestEngineApplyCreateOnlyKinds: apply makes the creates a create-only
// kind allows (its children and the objects naming it after it, with its
// new id), leaves the reports alone, and the next plan holds the reports
// only.
func TestEngineApplyCreateOnlyKinds(t *testing.T) {
	target, a := providertest.ArchiveFixture()
	connectPlan := func(context.Context, *provider.Target) (provider.Session, error) { return a, nil }
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}}, connectPlan, plan.Options{})
	if err != nil || p.Targets[0].Error != "" {
		t.Fatalf("plan: %v %s", err, p.Targets[0].Error)
	}
	r := apply.Apply(context.Background(), p, func(context.Context, *plan.TargetPlan) (provider.Session, error) { return a, nil },
		apply.Options{})
	tr := r.Targets[0]
	if tr.Outcome != apply.TargetApplied {
		t.Fatalf("%s: %s", tr.Outcome, tr.Error)
	}
	newVault := ""
	for _, s := range tr.Steps {
		want := map[plan.Op]apply.StepOutcome{plan.OpCreate: apply.StepCreated, plan.OpUpdate: apply.StepUpdated,
			plan.OpReport: apply.StepUnchanged}[s.Op]
		if s.Outcome != want {
			t.Errorf("step %s %s: %s, want %s (%s)", s.Op, s.Object(), s.Outcome, want, s.Error)
		}
		if s.Op == plan.OpCreate && s.Kind == providertest.KindVault {
			newVault = s.NewID
		}
	}
	calls := a.Calls()
	created := slices.Index(calls, "create vault new")
	if len(calls) != 5 || created < 0 {
		t.Fatalf("calls %q: want 5 writes and no delete", calls)
	}
	for i, c := range calls {
		if (c == "create item x" || c == "create reader r2" || strings.HasPrefix(c, "update reader")) && i < created {
			t.Errorf("%q before vault new exists: %q", c, calls)
		}
	}
	for _, s := range tr.Steps {
		if s.Kind == providertest.KindReader {
			id := s.NewID
			if id == "" {
				id = p.Targets[0].Changes[s.Index].ID
			}
			if v := a.Fields(id)["vaults"]; !slices.Contains(v.([]any), any(newVault)) {
				t.Errorf("reader %s names vaults %v, want the new vault's id %s among them", s.Object(), v, newVault)
			}
		}
	}
	again, _ := providertest.ArchiveFixture()
	p2, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{again}}, connectPlan, plan.Options{})
	if err != nil || p2.Targets[0].Error != "" {
		t.Fatalf("plan again: %v", err)
	}
	if p2.HasChanges() || p2.Count().Report != 3 {
		t.Errorf("plan again: %+v, want the 3 reports only", p2.Count())
	}
}

// TestEngineAdoptsNothingItCannotUpdate: a create of a kind the API cannot
// update loses its answer, and the object found by name differs from the
// body: the step fails saying so (no update is attempted, nothing panics).
func TestEngineAdoptsNothingItCannotUpdate(t *testing.T) {
	a := &providertest.Archive{}
	target := &provider.Target{Kind: providertest.ArchiveTargetKind, ID: "arch", Objects: []*provider.Desired{
		providertest.Declare(providertest.KindVault, "new", value.Map{"tier": "hot"}, nil),
	}}
	connectPlan := func(context.Context, *provider.Target) (provider.Session, error) { return a, nil }
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}}, connectPlan, plan.Options{})
	if err != nil || p.Targets[0].Error != "" {
		t.Fatalf("plan: %v", err)
	}
	a.LoseNext("new", value.Map{"tier": "cold"})
	r := apply.Apply(context.Background(), p, func(context.Context, *plan.TargetPlan) (provider.Session, error) { return a, nil },
		apply.Options{})
	s := r.Targets[0].Steps[0]
	if s.Outcome != apply.StepFailed || !strings.Contains(s.Error, "the API cannot update vaults") {
		t.Fatalf("step %+v", s)
	}
}
