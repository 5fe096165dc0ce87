package highlevel

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// followupKind is the follow-up settings of one agent. The API has no GET
// for them: they live on advancedFollowup actions (details.followupSettings)
// and one PATCH sets them for a list of action ids. A manifest says them once
// per agent: {actions: [names], followupSettings: {...}}.
var followupKind = &provider.Kind{
	Name:      KindFollowup,
	Plural:    "follow-up settings",
	Title:     "follow-up settings",
	Parent:    KindAgent,
	Singleton: true,
	Normalize: normalizer,
	Refs: func(value.Map) []provider.Ref {
		return []provider.Ref{{Path: []string{"actions"}, Kind: KindAction}}
	},
	Derived: &provider.Derived{From: KindAction, Fingerprint: fingerprintFollowupLive},
	Plan:    planFollowup,
	Encode: func(payload value.Map, _ string) (any, error) {
		var up api.FollowupSettingsUpdate
		ids, err := value.Strings(payload["actions"])
		if err != nil {
			return nil, fmt.Errorf("actions: %w", err)
		}
		up.ActionIDs = ids
		if err := value.Decode(payload["followupSettings"], &up.FollowupSettings); err != nil {
			return nil, fmt.Errorf("decode settings: %w", err)
		}
		return up, nil
	},
	Update: provider.UpdateWith(func(ctx context.Context, w API, agentID, _ string, in api.FollowupSettingsUpdate) error {
		return w.UpdateFollowupSettings(ctx, agentID, in)
	}),
}

// planFollowup plans the follow-up settings of one agent. A change is
// planned when a named action is created or replaced, lacks settings or has
// other ones; it is a create when none of them has settings yet.
func planFollowup(in *provider.PlanInput) (*provider.Proposal, error) {
	names, err := value.Strings(in.Desired.Fields["actions"])
	if err != nil {
		return nil, fmt.Errorf("followup: actions: %w", err)
	}
	desired := followupSettings(in.Desired)
	bf := newBaseFollowup(in.Baseline, desired)
	liveByName := map[string]api.Action{}
	var liveActs []api.Action
	for _, l := range in.From {
		a, _ := l.Raw.(api.Action)
		liveActs = append(liveActs, a)
		liveByName[a.Name] = a
	}
	declaredType := map[string]string{}
	for _, d := range in.Parent.ChildrenOf(KindAction) {
		declaredType[d.Name], _ = d.Fields["type"].(string)
	}
	actionsDeclared := in.Parent.Owns[KindAction]
	var before value.Map
	var diffs []value.FieldDiff
	var why []string
	anySettings, drift := false, false
	for _, n := range names {
		typ, isDeclared := declaredType[n]
		liveAct, isLive := liveByName[n]
		if !isDeclared {
			if actionsDeclared || !isLive {
				return nil, fmt.Errorf("followup: action %q is not an action of the agent", n)
			}
			typ = liveAct.Type
		}
		if typ != api.ActionAdvancedFollowup {
			return nil, fmt.Errorf("followup: action %q is a %s action, not advancedFollowup", n, typ)
		}
		if byHand, ok := in.Rebuilt(n); ok {
			why = append(why, fmt.Sprintf("action %q is created in this plan", n))
			drift = drift || byHand
			continue
		}
		var d struct {
			FollowupSettings value.Map `json:"followupSettings"`
		}
		if len(liveAct.Details) > 0 {
			if err := json.Unmarshal(liveAct.Details, &d); err != nil {
				return nil, fmt.Errorf("followup: live action %q: %w", n, err)
			}
		}
		if d.FollowupSettings == nil {
			why = append(why, fmt.Sprintf("action %q has no follow-up settings", n))
			drift = drift || bf.wants(n)
			continue
		}
		anySettings = true
		liveSettings := normalizer.NormalizeMap(d.FollowupSettings)
		ds, err := normalizer.DiffDeclared(liveSettings, desired)
		if err != nil {
			return nil, err
		}
		if before == nil {
			before = value.Map{"actions": value.List(names), "followupSettings": liveSettings}
		}
		if len(ds) > 0 {
			why = append(why, fmt.Sprintf("action %q has other settings", n))
			if diffs == nil {
				for i := range ds {
					ds[i].Path = "followupSettings." + ds[i].Path
				}
				diffs = ds
				if bf.lists(n) {
					drift = value.MarkDrift(diffs, value.Map{"followupSettings": bf.settings}) || drift
				}
			}
		}
	}
	if len(why) == 0 {
		return nil, nil
	}
	return &provider.Proposal{Create: !anySettings, Before: before,
		After: value.Map{"actions": value.List(names), "followupSettings": desired},
		Diffs: diffs, Reason: strings.Join(why, "; "), Drift: drift,
		Fingerprint: FingerprintFollowup(liveActs)}, nil
}

// followupSettings is a declared follow-up block's settings, normalized: the
// desired side of a follow-up diff, and the baseline's side of its drift
// check.
func followupSettings(d *provider.Desired) value.Map {
	m, _ := d.Fields["followupSettings"].(value.Map)
	return normalizer.NormalizeMap(value.Clone(m))
}

// baseFollowup is the baseline's follow-up block of one agent.
type baseFollowup struct {
	settings value.Map
	actions  []string
	same     bool // the baseline declares the settings the manifest declares
}

// newBaseFollowup reads the baseline's follow-up block and compares its
// settings with the desired ones; nil without one.
func newBaseFollowup(base *provider.Desired, desired value.Map) *baseFollowup {
	if base == nil {
		return nil
	}
	settings := followupSettings(base)
	actions, _ := value.Strings(base.Fields["actions"])
	return &baseFollowup{settings: settings, actions: actions, same: value.SameDeclared(settings, desired)}
}

// lists reports whether the baseline's follow-up block names action n.
func (b *baseFollowup) lists(n string) bool { return b != nil && slices.Contains(b.actions, n) }

// wants reports whether the baseline already wanted action n to carry the
// settings the manifest declares (so settings missing live were removed by
// hand).
func (b *baseFollowup) wants(n string) bool { return b.lists(n) && b.same }

// FingerprintFollowup fingerprints the follow-up state of an agent: the ids
// and follow-up settings of its advancedFollowup actions, in id order.
func FingerprintFollowup(actions []api.Action) string {
	type entry struct {
		ID       string          `json:"id"`
		Settings json.RawMessage `json:"followupSettings,omitempty"`
	}
	var entries []entry
	for _, a := range actions {
		if a.Type != api.ActionAdvancedFollowup {
			continue
		}
		var d struct {
			FollowupSettings json.RawMessage `json:"followupSettings"`
		}
		_ = json.Unmarshal(a.Details, &d)
		entries = append(entries, entry{a.ID, d.FollowupSettings})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return value.Fingerprint(entries)
}

func fingerprintFollowupLive(from []*provider.Live) string {
	acts := make([]api.Action, 0, len(from))
	for _, l := range from {
		if a, ok := l.Raw.(api.Action); ok {
			acts = append(acts, a)
		}
	}
	return FingerprintFollowup(acts)
}
