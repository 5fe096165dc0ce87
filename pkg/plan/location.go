package plan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/spec"
)

// agentReadParallelism bounds the concurrent per-agent reads inside one
// location (its rate limit is per location, so a small bound suffices).
const agentReadParallelism = 4

// liveAgent is one live agent the planner manages: declared, or pruned.
type liveAgent struct {
	summary api.AgentSummary
	full    *api.Agent   // GetAgent
	actions []api.Action // ListActions (declared agents only)
}

// locationState is what the planner knows about one location while it plans.
type locationState struct {
	loc *spec.Location
	// base is the baseline's declaration of the location (Options.Baseline),
	// nil without one: every Drift mark stays false.
	base     *spec.Location
	matched  map[*spec.Agent]*liveAgent // declared agents that exist live
	pruned   []*liveAgent               // live agents prune deletes
	reported []api.AgentSummary         // live agents left alone
	// refName translates a live agent id to the name a plan uses for it.
	refName map[string]string
	// refTarget is every name a declared reference may use, with the agent's
	// fate: "create", "delete" or "" (exists and stays).
	refTarget map[string]string
}

// planLocation reads one location's live state and computes its changes.
func planLocation(ctx context.Context, loc, base *spec.Location, rd Reader) (LocationPlan, error) {
	lp := LocationPlan{LocationID: loc.ID, Name: loc.Name, TokenEnv: loc.TokenEnv, File: loc.Pos.File, Prune: loc.Prune}
	if lp.TokenEnv == "" {
		lp.TokenEnv = spec.DefaultTokenEnv
	}
	summaries, err := rd.AllAgents(ctx)
	if err != nil {
		return lp, fmt.Errorf("list agents: %w", err)
	}
	st, err := matchAgents(loc, summaries)
	if err != nil {
		return lp, err
	}
	st.base = base
	if err := st.read(ctx, rd); err != nil {
		return lp, err
	}
	st.indexReferences()
	changes, err := st.changes()
	if err != nil {
		return lp, err
	}
	lp.Changes = order(changes, loc)
	for a, la := range st.matched {
		if lp.LiveAgents == nil {
			lp.LiveAgents = map[string]string{}
		}
		lp.LiveAgents[a.Name] = la.summary.ID
	}
	lp.LiveObjects = len(st.matched) + len(st.pruned)
	for _, la := range st.matched {
		lp.LiveObjects += len(la.actions)
	}
	for _, la := range st.pruned {
		lp.LiveObjects += len(la.full.Actions)
	}
	return lp, nil
}

// matchAgents pairs declared agents with live ones: a pinned id first, then by
// name among the live agents no pin claimed. Ambiguities fail the location.
func matchAgents(loc *spec.Location, summaries []api.AgentSummary) (*locationState, error) {
	st := &locationState{loc: loc, matched: map[*spec.Agent]*liveAgent{}}
	byID := map[string]api.AgentSummary{}
	for _, s := range summaries {
		byID[s.ID] = s
	}
	claimed := map[string]string{} // live id → declared name
	var errs []error
	declared := map[string]bool{}
	for _, a := range loc.Agents {
		if declared[a.Name] {
			errs = append(errs, fmt.Errorf("agent %q is declared twice", a.Name))
		}
		declared[a.Name] = true
		if a.PinnedID == "" {
			continue
		}
		s, ok := byID[a.PinnedID]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("agent %q: pinned id %s does not exist live", a.Name, a.PinnedID))
		case claimed[s.ID] != "":
			errs = append(errs, fmt.Errorf("agents %q and %q pin the same id %s", claimed[s.ID], a.Name, s.ID))
		default:
			claimed[s.ID] = a.Name
			st.matched[a] = &liveAgent{summary: s}
		}
	}
	for _, a := range loc.Agents {
		if a.PinnedID != "" {
			continue
		}
		var found []api.AgentSummary
		for _, s := range summaries {
			if s.Name == a.Name && claimed[s.ID] == "" {
				found = append(found, s)
			}
		}
		switch len(found) {
		case 0:
		case 1:
			claimed[found[0].ID] = a.Name
			st.matched[a] = &liveAgent{summary: found[0]}
		default:
			ids := make([]string, len(found))
			for i, s := range found {
				ids[i] = s.ID
			}
			errs = append(errs, fmt.Errorf("agent %q: %d live agents have this name (ids %s); pin one with id: or remove the others",
				a.Name, len(found), strings.Join(ids, ", ")))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, s := range summaries {
		if claimed[s.ID] != "" {
			continue
		}
		if loc.Prune {
			st.pruned = append(st.pruned, &liveAgent{summary: s})
		} else {
			st.reported = append(st.reported, s)
		}
	}
	return st, nil
}

// read fetches what the search items lack: GetAgent and ListActions for every
// matched agent, GetAgent (for the fingerprint) for every pruned one.
func (st *locationState) read(ctx context.Context, rd Reader) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(agentReadParallelism)
	getAgent := func(la *liveAgent) func() error {
		return func() error {
			full, err := rd.GetAgent(ctx, la.summary.ID)
			if err != nil {
				return fmt.Errorf("read agent %q (%s): %w", la.summary.Name, la.summary.ID, err)
			}
			la.full = full
			return nil
		}
	}
	for _, la := range st.matched {
		g.Go(getAgent(la))
		g.Go(func() error {
			acts, err := rd.ListActions(ctx, la.summary.ID)
			if err != nil {
				return fmt.Errorf("list actions of agent %q (%s): %w", la.summary.Name, la.summary.ID, err)
			}
			la.actions = acts
			return nil
		})
	}
	for _, la := range st.pruned {
		g.Go(getAgent(la))
	}
	return g.Wait()
}

// indexReferences builds the id ↔ name tables references are translated with.
// A live agent is known by its desired name when declared, else by its live
// name, unless that name is shared (then its id is shown as it is).
func (st *locationState) indexReferences() {
	st.refName = map[string]string{}
	st.refTarget = map[string]string{}
	owner := map[string][]string{} // name → live ids known by it
	for a, la := range st.matched {
		owner[a.Name] = append(owner[a.Name], la.summary.ID)
	}
	for _, a := range st.loc.Agents {
		if _, ok := st.matched[a]; !ok {
			owner[a.Name] = append(owner[a.Name], "") // created by this plan
		}
	}
	// A declared agent owns its name for references: an undeclared live agent
	// with the same name (say, a twin a pinned id sets apart) does not make the
	// name ambiguous, and is shown by its id.
	declared := make(map[string]bool, len(owner))
	for name := range owner {
		declared[name] = true
	}
	for _, la := range st.pruned {
		if !declared[la.summary.Name] {
			owner[la.summary.Name] = append(owner[la.summary.Name], la.summary.ID)
		}
	}
	for _, s := range st.reported {
		if !declared[s.Name] {
			owner[s.Name] = append(owner[s.Name], s.ID)
		}
	}
	for name, ids := range owner {
		if len(ids) != 1 {
			continue
		}
		if ids[0] != "" {
			st.refName[ids[0]] = name
		}
		st.refTarget[name] = ""
	}
	for _, a := range st.loc.Agents {
		if _, ok := st.matched[a]; !ok {
			st.refTarget[a.Name] = "create"
		}
	}
	for _, la := range st.pruned {
		if _, ok := st.refTarget[la.summary.Name]; ok {
			st.refTarget[la.summary.Name] = "delete"
		}
	}
}

// changes computes every change of the location, unordered.
func (st *locationState) changes() ([]Change, error) {
	var out []Change
	var errs []error
	for _, a := range st.loc.Agents {
		cs, err := st.agentChanges(a, st.matched[a])
		if err != nil {
			errs = append(errs, fmt.Errorf("agent %q: %w", a.Name, err))
			continue
		}
		out = append(out, cs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, la := range st.pruned {
		before, err := liveAgentMap(la.full)
		if err != nil {
			return nil, fmt.Errorf("agent %q: %w", la.summary.Name, err)
		}
		reason := "no manifest declares this agent and the location sets prune: true"
		if n := len(la.full.Actions); n > 0 {
			reason += fmt.Sprintf("; its %d action(s) are deleted with it", n)
		}
		out = append(out, Change{Op: OpDelete, Kind: KindAgent, Agent: la.summary.Name, ID: la.summary.ID,
			Before: before, Fingerprint: FingerprintAgent(la.full), Cascade: len(la.full.Actions),
			Reason: reason, Drift: st.addedByHand(la.summary)})
	}
	for _, s := range st.reported {
		out = append(out, Change{Op: OpReport, Kind: KindAgent, Agent: s.Name, ID: s.ID,
			Reason: "unmanaged: no manifest declares this agent (left alone; prune: true would delete it)"})
	}
	return out, nil
}

// agentChanges plans one declared agent: its settings, its actions and its
// follow-up settings. la is nil when the agent does not exist live.
func (st *locationState) agentChanges(a *spec.Agent, la *liveAgent) ([]Change, error) {
	desired, err := desiredAgentMap(a)
	if err != nil {
		return nil, err
	}
	ba := baseAgent(st.base, a)
	var out []Change
	agentID := ""
	var createErr error
	if la == nil {
		if missing := missingForCreate(desired); len(missing) > 0 {
			createErr = fmt.Errorf("does not exist live, and creating it needs %s (the API requires them; a base may supply them)",
				strings.Join(missing, ", "))
		}
		out = append(out, Change{Op: OpCreate, Kind: KindAgent, Agent: a.Name, After: desired,
			Reason: "declared, not found live", Drift: ba != nil})
	} else {
		agentID = la.full.ID
		c, changed, err := agentUpdate(a, la, desired)
		if err != nil {
			return nil, err
		}
		if changed {
			if ba != nil {
				base, err := desiredAgentMap(ba)
				if err != nil {
					return nil, fmt.Errorf("baseline: %w", err)
				}
				c.Drift = markDrift(c.Diffs, base)
			}
			out = append(out, c)
		}
	}
	acts, err := st.actionChanges(a, ba, la, agentID)
	if err != nil {
		return nil, errors.Join(createErr, err)
	}
	out = append(out, acts...)
	fu, ok, err := st.followupChange(a, ba, la, agentID, acts)
	if err != nil {
		return nil, errors.Join(createErr, err)
	}
	if createErr != nil {
		return nil, createErr
	}
	if ok {
		out = append(out, fu)
	}
	return out, nil
}

// createRequired are the fields CreateEmployeeDto requires besides the name.
// A manifest may leave them out for an agent that exists (only declared
// fields are compared), but not for one the plan must create.
var createRequired = []string{"personality", "goal", "instructions"}

// missingForCreate lists the createRequired fields desired lacks.
func missingForCreate(desired map[string]any) []string {
	var missing []string
	for _, k := range createRequired {
		if _, ok := desired[k]; !ok {
			missing = append(missing, k)
		}
	}
	return missing
}

// desiredAgentMap is a declared agent's settings (with its name) in JSON
// types, normalized: the desired side of an agent diff, and the baseline's
// side of its drift check.
func desiredAgentMap(a *spec.Agent) (map[string]any, error) {
	desired, err := jsonMap(a.Settings)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	desired["name"] = a.Name
	return normalize(desired).(map[string]any), nil
}

// liveAgentMap is a live agent's settings (with its name) in JSON types,
// normalized.
func liveAgentMap(a *api.Agent) (map[string]any, error) {
	m, err := jsonMap(a.AgentSettings)
	if err != nil {
		return nil, fmt.Errorf("live settings: %w", err)
	}
	m["name"] = a.Name
	return normalize(m).(map[string]any), nil
}

// agentUpdate diffs a live agent against its declared settings. After is the
// live settings overlaid with the declared ones: the full body of the PUT.
func agentUpdate(a *spec.Agent, la *liveAgent, desired map[string]any) (Change, bool, error) {
	before, err := liveAgentMap(la.full)
	if err != nil {
		return Change{}, false, err
	}
	diffs, err := fieldDiffs(project(before, desired), desired)
	if err != nil {
		return Change{}, false, err
	}
	if len(diffs) == 0 {
		return Change{}, false, nil
	}
	reason := "declared settings differ from live"
	if before["name"] != a.Name {
		reason = fmt.Sprintf("pinned id %s: renamed from %q; ", la.full.ID, before["name"]) + reason
	}
	return Change{Op: OpUpdate, Kind: KindAgent, Agent: a.Name, ID: la.full.ID,
		Before: before, After: deepMerge(before, desired), Diffs: diffs, Reason: reason,
		Fingerprint: FingerprintAgent(la.full)}, true, nil
}

// actionChanges plans the actions of one declared agent.
// ba is the baseline's declaration of the agent (nil if none).
func (st *locationState) actionChanges(a, ba *spec.Agent, la *liveAgent, agentID string) ([]Change, error) {
	var live []api.Action
	if la != nil {
		live = la.actions
	}
	byName := map[string][]api.Action{}
	for _, act := range live {
		byName[act.Name] = append(byName[act.Name], act)
	}
	var out []Change
	declared := map[string]bool{}
	for _, d := range a.Actions {
		if declared[d.Name] {
			return nil, fmt.Errorf("action %q is declared twice", d.Name)
		}
		declared[d.Name] = true
		c, ok, err := st.actionChange(a, d, baseAction(ba, d.Name), byName[d.Name], agentID)
		if err != nil {
			return nil, fmt.Errorf("action %q: %w", d.Name, err)
		}
		if ok {
			out = append(out, c)
		}
	}
	var spared int
	for _, act := range live {
		if declared[act.Name] {
			continue
		}
		if !a.ActionsDeclared {
			spared++
			continue
		}
		before, _, err := st.liveActionMap(act)
		if err != nil {
			return nil, fmt.Errorf("action %q: %w", act.Name, err)
		}
		out = append(out, Change{Op: OpDelete, Kind: KindAction, Agent: a.Name, Action: act.Name, ID: act.ID,
			AgentID: agentID, Before: before, Fingerprint: FingerprintAction(act),
			Reason: "live action the agent's actions: list does not declare",
			Drift:  ba != nil && ba.ActionsDeclared && baseAction(ba, act.Name) == nil})
	}
	if spared > 0 {
		out = append(out, Change{Op: OpReport, Kind: KindAction, Agent: a.Name, AgentID: agentID,
			Reason: fmt.Sprintf("%d live action(s) left alone: the manifest declares no actions: for this agent", spared)})
	}
	return out, nil
}

// liveActionMap is a live action in JSON types, normalized, with agent
// references shown as names; it also returns the reference ids it could not
// name.
func (st *locationState) liveActionMap(act api.Action) (map[string]any, []string, error) {
	details, err := jsonMap(act.Details)
	if err != nil {
		return nil, nil, fmt.Errorf("live details: %w", err)
	}
	var keep []string
	if key, ok := agentRefKeys[act.Type]; ok {
		if id, ok := details[key].(string); ok && id != "" {
			if name, ok := st.refName[id]; ok {
				details[key] = name
			} else {
				keep = append(keep, id)
			}
		}
	}
	return map[string]any{"name": act.Name, "type": act.Type, "details": normalize(details)}, keep, nil
}

// desiredActionMap is an action as declared, in the form liveActionMap gives
// a live one: name, type and details in JSON types, normalized, without
// details.followupSettings (the agent's followup block owns them). It is the
// baseline's side of an action's drift check; desiredDetails builds the
// desired side with it.
func desiredActionMap(d *spec.Action) (map[string]any, error) {
	details, err := jsonMap(d.Details)
	if err != nil {
		return nil, fmt.Errorf("details: %w", err)
	}
	if d.Type == api.ActionAdvancedFollowup {
		delete(details, "followupSettings")
	}
	return map[string]any{"name": d.Name, "type": d.Type, "details": normalize(details)}, nil
}

// desiredDetails are an action's declared details in JSON types, normalized,
// without followupSettings (the agent's followup block owns them). Agent
// references must name an agent of the location that this plan keeps.
func (st *locationState) desiredDetails(d *spec.Action) (map[string]any, error) {
	m, err := desiredActionMap(d)
	if err != nil {
		return nil, err
	}
	details := m["details"].(map[string]any)
	if key, ok := agentRefKeys[d.Type]; ok {
		if ref, ok := details[key].(string); ok && ref != "" {
			fate, known := st.refTarget[ref]
			switch {
			case !known:
				return nil, fmt.Errorf("details.%s: no agent %q in the location (or several have that name)", key, ref)
			case fate == "delete":
				return nil, fmt.Errorf("details.%s: agent %q is deleted by prune in this plan", key, ref)
			}
		}
	}
	return details, nil
}

// actionChange plans one declared action against its live namesakes; bd is
// the baseline's declaration of the action (nil if none).
func (st *locationState) actionChange(a *spec.Agent, d, bd *spec.Action, live []api.Action, agentID string) (Change, bool, error) {
	details, err := st.desiredDetails(d)
	if err != nil {
		return Change{}, false, err
	}
	create := map[string]any{"name": d.Name, "type": d.Type, "details": details}
	switch len(live) {
	case 0:
		return Change{Op: OpCreate, Kind: KindAction, Agent: a.Name, Action: d.Name, AgentID: agentID,
			After: create, Reason: "declared, not found live", Drift: bd != nil}, true, nil
	case 1:
	default:
		ids := make([]string, len(live))
		for i, l := range live {
			ids[i] = l.ID
		}
		return Change{}, false, fmt.Errorf("%d live actions have this name (ids %s); remove all but one", len(live), strings.Join(ids, ", "))
	}
	act := live[0]
	before, keep, err := st.liveActionMap(act)
	if err != nil {
		return Change{}, false, err
	}
	c := Change{Kind: KindAction, Agent: a.Name, Action: d.Name, ID: act.ID, AgentID: agentID,
		Before: before, Fingerprint: FingerprintAction(act)}
	if act.Type != d.Type {
		c.Op, c.After = OpReplace, create
		c.Diffs = []FieldDiff{{Path: "type", Before: act.Type, After: d.Type}}
		c.Reason = fmt.Sprintf("type changes from %s to %s: the API cannot change it in place", act.Type, d.Type)
		if c.Drift, err = actionDrift(c.Diffs, bd); err != nil {
			return Change{}, false, err
		}
		return c, true, nil
	}
	liveDetails, _ := before["details"].(map[string]any)
	diffs, err := fieldDiffs(project(liveDetails, details), details)
	if err != nil {
		return Change{}, false, err
	}
	if len(diffs) == 0 {
		return Change{}, false, nil
	}
	for i := range diffs {
		diffs[i].Path = "details." + diffs[i].Path
	}
	merged := deepMerge(liveDetails, details)
	c.Op, c.Diffs, c.Reason = OpUpdate, diffs, "declared details differ from live"
	if c.Drift, err = actionDrift(c.Diffs, bd); err != nil {
		return Change{}, false, err
	}
	c.After = map[string]any{"name": d.Name, "type": d.Type, "details": merged}
	if key, ok := agentRefKeys[d.Type]; ok {
		if v, ok := merged[key].(string); ok && slices.Contains(keep, v) {
			c.KeepIDs = []string{v}
		}
	}
	return c, true, nil
}

// followupChange plans the follow-up settings of one agent. acts are the
// agent's action changes of this plan; ba is the baseline's declaration of
// the agent (nil if none).
func (st *locationState) followupChange(a, ba *spec.Agent, la *liveAgent, agentID string, acts []Change) (Change, bool, error) {
	fu := a.Followup
	if fu == nil {
		return Change{}, false, nil
	}
	desired, err := desiredFollowupMap(fu)
	if err != nil {
		return Change{}, false, err
	}
	bf, err := newBaseFollowup(ba, desired)
	if err != nil {
		return Change{}, false, err
	}
	var liveActs []api.Action
	if la != nil {
		liveActs = la.actions
	}
	liveByName := map[string]api.Action{}
	for _, act := range liveActs {
		liveByName[act.Name] = act
	}
	declaredType := map[string]string{}
	for _, d := range a.Actions {
		declaredType[d.Name] = d.Type
	}
	rebuilt := map[string]bool{} // action name → its create or replace is drift
	for _, c := range acts {
		if c.Op == OpCreate || c.Op == OpReplace {
			rebuilt[c.Action] = c.Drift
		}
	}
	names := slices.Clone(fu.Actions)
	var before map[string]any
	var diffs []FieldDiff
	var why []string
	anySettings, drift := false, false
	for _, n := range names {
		typ, isDeclared := declaredType[n]
		liveAct, isLive := liveByName[n]
		if !isDeclared {
			if a.ActionsDeclared || !isLive {
				return Change{}, false, fmt.Errorf("followup: action %q is not an action of the agent", n)
			}
			typ = liveAct.Type
		}
		if typ != api.ActionAdvancedFollowup {
			return Change{}, false, fmt.Errorf("followup: action %q is a %s action, not advancedFollowup", n, typ)
		}
		if byHand, ok := rebuilt[n]; ok {
			why = append(why, fmt.Sprintf("action %q is created in this plan", n))
			drift = drift || byHand
			continue
		}
		var d struct {
			FollowupSettings map[string]any `json:"followupSettings"`
		}
		if len(liveAct.Details) > 0 {
			if err := json.Unmarshal(liveAct.Details, &d); err != nil {
				return Change{}, false, fmt.Errorf("followup: live action %q: %w", n, err)
			}
		}
		if d.FollowupSettings == nil {
			why = append(why, fmt.Sprintf("action %q has no follow-up settings", n))
			drift = drift || bf.wants(n)
			continue
		}
		anySettings = true
		liveSettings := normalize(d.FollowupSettings).(map[string]any)
		ds, err := fieldDiffs(project(liveSettings, desired), desired)
		if err != nil {
			return Change{}, false, err
		}
		if before == nil {
			before = map[string]any{"actions": anyList(names), "followupSettings": liveSettings}
		}
		if len(ds) > 0 {
			why = append(why, fmt.Sprintf("action %q has other settings", n))
			if diffs == nil {
				for i := range ds {
					ds[i].Path = "followupSettings." + ds[i].Path
				}
				diffs = ds
				if bf.lists(n) {
					drift = markDrift(diffs, map[string]any{"followupSettings": bf.settings}) || drift
				}
			}
		}
	}
	if len(why) == 0 {
		return Change{}, false, nil
	}
	op := OpUpdate
	if !anySettings {
		op = OpCreate
	}
	return Change{Op: op, Kind: KindFollowup, Agent: a.Name, AgentID: agentID, Before: before,
		After: map[string]any{"actions": anyList(names), "followupSettings": desired},
		Diffs: diffs, Reason: strings.Join(why, "; "), Drift: drift,
		Fingerprint: FingerprintFollowup(liveActs)}, true, nil
}

// desiredFollowupMap is a declared follow-up block's settings in JSON types,
// normalized: the desired side of a follow-up diff, and the baseline's side
// of its drift check.
func desiredFollowupMap(fu *spec.Followup) (map[string]any, error) {
	desired, err := jsonMap(fu.Settings)
	if err != nil {
		return nil, fmt.Errorf("followup: %w", err)
	}
	return normalize(desired).(map[string]any), nil
}

func anyList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
