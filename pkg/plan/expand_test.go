package plan_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/providertest"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
)

// TestMakeExpandsTargets: a target given as a header with Expand (how the
// CLI hands a fleet to the planner) is planned exactly as the same target
// given with its objects, expanded once; a target whose expansion fails
// fails alone, with the reason.
func TestMakeExpandsTargets(t *testing.T) {
	at := func() time.Time { return time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC) }
	full, a := providertest.ArchiveFixture()
	session := func(context.Context, *provider.Target) (provider.Session, error) { return a, nil }
	eager, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{full}}, session, plan.Options{Now: at})
	if err != nil {
		t.Fatal(err)
	}

	header := *full
	expansions := 0
	header.Objects, header.Expand = nil, func() ([]*provider.Desired, error) {
		expansions++
		return full.Objects, nil
	}
	broken := header
	broken.ID = "broken"
	broken.Expand = func() ([]*provider.Desired, error) {
		return nil, errors.New("vault.yaml changed since the manifests were loaded; plan again")
	}
	lazy, err := plan.Make(context.Background(), &plan.Manifests{Targets: []*provider.Target{&header, &broken}}, session, plan.Options{Now: at})
	if err != nil {
		t.Fatal(err)
	}
	if expansions != 1 {
		t.Errorf("Expand called %d times, want once", expansions)
	}
	if header.Objects != nil {
		t.Error("Make kept the expanded objects on the caller's target")
	}
	var got, want []byte
	for _, tp := range lazy.Targets {
		switch tp.ID {
		case full.ID:
			got, _ = json.Marshal(tp)
		case "broken":
			if !strings.Contains(tp.Error, "changed since the manifests were loaded") || len(tp.Changes) != 0 {
				t.Errorf("broken target: error %q, %d changes; want the expansion's error and nothing planned", tp.Error, len(tp.Changes))
			}
		}
	}
	want, _ = json.Marshal(eager.Targets[0])
	if string(got) != string(want) {
		t.Errorf("expanded target planned as\n%s\nwant\n%s", got, want)
	}
}
