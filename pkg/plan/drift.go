package plan

// This file decides which changes undo edits made outside agentform, against
// the baseline manifests (Options.Baseline). The baseline's side of every
// check is built by the functions that build the desired side
// (desiredAgentMap, desiredActionMap, desiredFollowupMap) and compared with
// the planner's own projection and diff, so both sides are normalized alike.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/spec"
)

// baselineLocations indexes the baseline's locations by id; nil without a
// baseline.
func baselineLocations(base *spec.Set) (map[string]*spec.Location, error) {
	if base == nil {
		return nil, nil
	}
	out := make(map[string]*spec.Location, len(base.Locations))
	for _, l := range base.Locations {
		if prev, ok := out[l.ID]; ok {
			return nil, fmt.Errorf("baseline: location %s is declared twice (%s:%d and %s:%d)", l.ID, prev.Pos.File, prev.Pos.Line, l.Pos.File, l.Pos.Line)
		}
		out[l.ID] = l
	}
	return out, nil
}

// baseAgent is the baseline's declaration of agent a: the one pinning the
// same id, else the one with the same name (unless both pin different ids).
// It is nil when the baseline does not declare it (or there is no baseline).
func baseAgent(base *spec.Location, a *spec.Agent) *spec.Agent {
	if base == nil {
		return nil
	}
	if a.PinnedID != "" {
		for _, b := range base.Agents {
			if b.PinnedID == a.PinnedID {
				return b
			}
		}
	}
	for _, b := range base.Agents {
		if b.Name == a.Name && (a.PinnedID == "" || b.PinnedID == "" || b.PinnedID == a.PinnedID) {
			return b
		}
	}
	return nil
}

// baseAction is the baseline's declaration of the action named name of the
// baseline agent ba, or nil.
func baseAction(ba *spec.Agent, name string) *spec.Action {
	if ba == nil {
		return nil
	}
	for _, d := range ba.Actions {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// addedByHand reports whether a live agent prune deletes was added outside
// agentform: the baseline already pruned the location and did not declare
// the agent either.
func (st *locationState) addedByHand(s api.AgentSummary) bool {
	if st.base == nil || !st.base.Prune {
		return false
	}
	for _, b := range st.base.Agents {
		if b.PinnedID == s.ID || (b.PinnedID == "" && b.Name == s.Name) {
			return false
		}
	}
	return true
}

// actionDrift marks the diffs of an action update or replace against the
// baseline's declaration of the action bd (nil: nothing is drift).
func actionDrift(diffs []FieldDiff, bd *spec.Action) (bool, error) {
	if bd == nil {
		return false, nil
	}
	base, err := desiredActionMap(bd)
	if err != nil {
		return false, fmt.Errorf("baseline: %w", err)
	}
	return markDrift(diffs, base), nil
}

// markDrift sets Drift on every diff whose desired value (After) the baseline
// base also declares, compared the way the planner compares live with
// desired. It reports whether any diff is drift.
func markDrift(diffs []FieldDiff, base map[string]any) bool {
	found := false
	for i := range diffs {
		bv, ok := lookup(base, strings.Split(diffs[i].Path, "."))
		if ok && sameDeclared(bv, diffs[i].After) {
			diffs[i].Drift = true
			found = true
		}
	}
	return found
}

// sameDeclared reports whether value v equals the desired value d on
// everything d declares: v is projected onto d (so keys d does not declare,
// and service-style defaults in list items, do not count) and diffed like a
// live value.
func sameDeclared(v, d any) bool {
	want := map[string]any{"v": d}
	diffs, err := fieldDiffs(project(map[string]any{"v": v}, want), want)
	return err == nil && len(diffs) == 0
}

// baseFollowup is the baseline's follow-up block of one agent, when its
// settings are the ones the manifest declares.
type baseFollowup struct {
	settings map[string]any
	actions  []string
	same     bool // the baseline declares the settings the manifest declares
}

// newBaseFollowup reads the baseline agent ba's follow-up block and compares
// its settings with the desired ones; nil without one.
func newBaseFollowup(ba *spec.Agent, desired map[string]any) (*baseFollowup, error) {
	if ba == nil || ba.Followup == nil {
		return nil, nil
	}
	settings, err := desiredFollowupMap(ba.Followup)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return &baseFollowup{settings: settings, actions: ba.Followup.Actions,
		same: sameDeclared(settings, desired)}, nil
}

// lists reports whether the baseline's follow-up block names action n.
func (b *baseFollowup) lists(n string) bool { return b != nil && slices.Contains(b.actions, n) }

// wants reports whether the baseline already wanted action n to carry the
// settings the manifest declares (so settings missing live were removed by
// hand).
func (b *baseFollowup) wants(n string) bool { return b.lists(n) && b.same }
