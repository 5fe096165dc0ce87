package highlevel

import (
	"fmt"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
	"github.com/agentform/agentform/pkg/value"
)

// AgencyTokenEnv is the variable holding the agency credential, from which
// agency mode mints the tokens of locations that name no tokenEnv. A target
// whose TokenEnv is "" has its token minted so.
const AgencyTokenEnv = "HIGHLEVEL_AGENCY_TOKEN"

// Targets turns the Location documents of a manifest set into targets:
// agents with their actions and follow-up settings. In agency mode, a
// location that declares no tokenEnv gets TokenEnv "" (its token is
// minted); otherwise the default variable.
func Targets(set *spec.Set, agency bool) ([]*provider.Target, error) {
	out := make([]*provider.Target, 0, len(set.Locations))
	for _, loc := range set.Locations {
		var t *provider.Target
		if loc.HeaderOnly() {
			t = header(loc)
			t.Expand = func() ([]*provider.Desired, error) {
				full, err := set.Expand(loc)
				if err != nil {
					return nil, err
				}
				return declaredAgents(full)
			}
		} else {
			var err error
			if t, err = Target(loc); err != nil {
				return nil, err
			}
		}
		if agency && !loc.TokenEnvDeclared {
			t.TokenEnv = ""
		}
		out = append(out, t)
	}
	return out, nil
}

// Target turns one Location document into a target. A location that names
// no token variable reads spec.DefaultTokenEnv.
func Target(loc *spec.Location) (*provider.Target, error) {
	t := header(loc)
	var err error
	t.Objects, err = declaredAgents(loc)
	return t, err
}

// header is the target of loc without its objects.
func header(loc *spec.Location) *provider.Target {
	tokenEnv := loc.TokenEnv
	if tokenEnv == "" {
		tokenEnv = spec.DefaultTokenEnv
	}
	return &provider.Target{Kind: TargetKind, ID: loc.ID, Name: loc.Name, TokenEnv: tokenEnv, Pos: loc.Pos, Prune: loc.Prune}
}

// declaredAgents are the declared objects of loc: its agents.
func declaredAgents(loc *spec.Location) ([]*provider.Desired, error) {
	out := make([]*provider.Desired, 0, len(loc.Agents))
	for _, a := range loc.Agents {
		d, err := desiredAgent(a)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: location %s: agent %q: %w", loc.Pos.File, a.Pos.Line, loc.ID, a.Name, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// desiredAgent is a declared agent with its actions and follow-up settings.
func desiredAgent(a *spec.Agent) (*provider.Desired, error) {
	fields, err := value.MapOf(a.Settings)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	fields["name"] = a.Name
	d := &provider.Desired{Kind: KindAgent, Name: a.Name, PinnedID: a.PinnedID, Fields: fields, Pos: a.Pos,
		Owns: map[string]bool{KindAction: a.ActionsDeclared}, Sources: a.Sources}
	for _, act := range a.Actions {
		fields, err := DesiredAction(act)
		if err != nil {
			return nil, fmt.Errorf("action %q: %w", act.Name, err)
		}
		d.Children = append(d.Children, &provider.Desired{Kind: KindAction, Name: act.Name, Fields: fields, Pos: act.Pos,
			Sources: act.Sources})
	}
	if fu := a.Followup; fu != nil {
		settings, err := value.MapOf(fu.Settings)
		if err != nil {
			return nil, fmt.Errorf("followup: %w", err)
		}
		d.Children = append(d.Children, &provider.Desired{Kind: KindFollowup, Pos: fu.Pos, Sources: fu.Sources.Prefixed("followupSettings."),
			Fields: value.Map{"actions": value.List(fu.Actions), "followupSettings": settings}})
	}
	return d, nil
}

// DesiredAction is an action as declared: name, type and details in JSON
// types, without details.followupSettings (the agent's followup block owns
// them).
func DesiredAction(act *spec.Action) (value.Map, error) {
	details, err := value.MapOf(act.Details)
	if err != nil {
		return nil, fmt.Errorf("details: %w", err)
	}
	if act.Type == api.ActionAdvancedFollowup {
		delete(details, "followupSettings")
	}
	return value.Map{"name": act.Name, "type": act.Type, "details": details}, nil
}
