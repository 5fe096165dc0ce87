package plan_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/agentform/agentform/internal/providertest"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

func planArchive(t *testing.T, target *provider.Target, a *providertest.Archive) *plan.Plan {
	t.Helper()
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}},
		func(context.Context, *provider.Target) (provider.Session, error) { return a, nil }, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Targets[0].Error; e != "" {
		t.Fatal(e)
	}
	return p
}

// TestEngineCreateOnlyKinds: what a kind without Update or Delete cannot do
// is a report that says so, keeping what differs; what it can do (create)
// is planned, and objects naming a created one wait for it.
func TestEngineCreateOnlyKinds(t *testing.T) {
	target, a := providertest.ArchiveFixture()
	p := planArchive(t, target, a)
	tp := p.Targets[0]
	var got []string
	byTitle := map[string]plan.Change{}
	index := map[string]int{}
	for i, c := range tp.Changes {
		got = append(got, title(c))
		byTitle[title(c)] = c
		index[title(c)] = i
	}
	want := []string{"create vault new", "create item docs/c", "create item new/x", "create reader r2", "update reader r1",
		"report vault old", "report vault docs", "report item docs/b"}
	if !sameSet(got, want) {
		t.Fatalf("changes %q\nwant (any order) %q", got, want)
	}
	reasons := map[string]string{
		"report vault docs":  "declared fields differ from live (tier), but the API has no update for vaults: it stays as it is",
		"report item docs/b": "but the API cannot delete items: it stays",
		"report vault old":   "prune: true, but the API cannot delete vaults: it stays",
	}
	for ti, r := range reasons {
		c := byTitle[ti]
		if !strings.Contains(c.Reason, r) || c.After != nil || c.Drift {
			t.Errorf("%s: reason %q, after %v; want %q and no payload", ti, c.Reason, c.After, r)
		}
	}
	if d := byTitle["report vault docs"].Diffs; len(d) != 1 || d[0].Path != "tier" || d[0].Before != "cold" || d[0].After != "hot" {
		t.Errorf("the report keeps what differs: %+v", d)
	}
	for _, ti := range []string{"create reader r2", "update reader r1", "create item new/x"} {
		if !slices.Contains(byTitle[ti].DependsOn, index["create vault new"]) {
			t.Errorf("%s does not wait for vault new: %v", ti, byTitle[ti].DependsOn)
		}
	}
	if got := p.Count(); got.Create != 4 || got.Update != 1 || got.Delete != 0 || got.Report != 3 {
		t.Errorf("counts %+v", got)
	}
	if err := p.CheckSafety(plan.SafetyOptions{}); err != nil {
		t.Errorf("reports tripped a delete guard: %v", err)
	}
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// TestEngineRefersToAPrunedObjectThatStays: a kind the API cannot delete
// stays when the target prunes, so a reference may still name it.
func TestEngineRefersToAPrunedObjectThatStays(t *testing.T) {
	target, a := providertest.ArchiveFixture()
	target.Objects = append(target.Objects, providertest.Declare(providertest.KindReader, "r3", value.Map{"vaults": []any{"old"}}, nil))
	connect := func(context.Context, *provider.Target) (provider.Session, error) { return a, nil }
	p, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{target}}, connect, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Targets[0].Error; e != "" {
		t.Fatalf("a reference to a pruned vault that cannot be deleted: %s", e)
	}
}
