package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/provider/krosai"
	"github.com/agentform/agentform/pkg/spec"
)

// planSelection are the flags plan and apply share: which locations to plan,
// how many at once, and the delete guards.
type planSelection struct {
	parallelism      int
	locations        []string
	shard            string
	maxDeletes       int
	maxDeletePercent float64
	maxUpdatePercent float64
	forceDeletes     bool
	// baseline are the base branch's manifests (plan --baseline), nil if none.
	baseline *spec.Set
}

func (s *planSelection) addFlags(fl *pflag.FlagSet) {
	fl.IntVar(&s.parallelism, "parallelism", plan.DefaultParallelism, "locations read (and applied) at once")
	fl.StringArrayVar(&s.locations, "location", nil, "plan only this location id (repeatable)")
	fl.StringVar(&s.shard, "shard", "", "plan only shard I of N (1-based), e.g. 2/4")
	fl.IntVar(&s.maxDeletes, "max-deletes", -1, "most deletes allowed across the plan, counted as the plan summary counts them (0: none; -1: no limit)")
	fl.Float64Var(&s.maxDeletePercent, "max-delete-percent", 0, "most deletes allowed per location, in percent of its managed objects (locations with 10 or more; 0 disables)")
	fl.Float64Var(&s.maxUpdatePercent, "max-update-percent", 0, "most updates allowed per location, in percent of its managed objects (0 disables): a guard for fleet-wide changes")
	fl.BoolVar(&s.forceDeletes, "force-deletes", false, "allow deleting more than a third of a location's agents, its last agent or its primary agent (refused by default)")
}

// makePlan plans the selected locations of set, reading live state with each
// location's token.
func (s *planSelection) makePlan(ctx context.Context, g *globals, client *api.Client, set *spec.Set) (*plan.Plan, error) {
	if s.parallelism < 1 {
		return nil, fmt.Errorf("--parallelism %d: want at least 1", s.parallelism)
	}
	index, count, err := parseShard(s.shard)
	if err != nil {
		return nil, err
	}
	m, err := g.manifests(set)
	if err != nil {
		return nil, err
	}
	var baseline *plan.Manifests
	if s.baseline != nil {
		if baseline, err = g.manifests(s.baseline); err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
	}
	opts := plan.Options{
		Parallelism: s.parallelism, ToolVersion: version,
		Targets: s.locations, ShardIndex: index, ShardCount: count,
		Baseline: baseline,
	}
	selected, err := plan.Select(m.Targets, opts)
	if err != nil {
		return nil, err
	}
	if err := g.prepareCredentials(ctx, client, selected); err != nil {
		return nil, err
	}
	connect := func(ctx context.Context, t *provider.Target) (provider.Session, error) {
		return g.session(ctx, t.Kind, t.ID, t.TokenEnv, nil, false)
	}
	connect, finish := g.planProgress(connect, len(selected))
	p, err := plan.Make(ctx, m, connect, opts)
	finish()
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("interrupted while planning: %w", ctx.Err())
		}
		return nil, err
	}
	return p, nil
}

// safety are the delete guards of the flags.
func (s *planSelection) safety() plan.SafetyOptions {
	return plan.SafetyOptions{LimitDeletes: s.maxDeletes >= 0, MaxDeletes: max(s.maxDeletes, 0),
		MaxDeletePercent: s.maxDeletePercent, MaxUpdatePercent: s.maxUpdatePercent, ForceDeletes: s.forceDeletes}
}

// parseShard reads --shard I/N (1-based) into a 0-based index and a count.
func parseShard(s string) (index, count int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || cnt < 1 || idx < 1 || idx > cnt {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 ≤ I ≤ N, e.g. 1/4", s)
	}
	return idx - 1, cnt, nil
}

// isTerminal reports whether v is a terminal (not merely a character device
// such as /dev/null).
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// plural returns word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// manifests are the targets of every provider that set declares: HighLevel
// locations and KrosAI accounts.
func (g *globals) manifests(set *spec.Set) (*plan.Manifests, error) {
	targets, err := highlevel.Targets(set, g.agencyMode())
	if err != nil {
		return nil, err
	}
	accounts, err := krosai.Targets(set)
	if err != nil {
		return nil, err
	}
	return &plan.Manifests{Targets: append(targets, accounts...), Digest: set.Digest}, nil
}

// prepareCredentials runs the checks due before any target is read: every
// location token and KrosAI key in the environment (one credential, one
// target), and the agency credential (one error when it cannot mint).
func (g *globals) prepareCredentials(ctx context.Context, client *api.Client, targets []*provider.Target) error {
	var ids, envs, kinds, allIDs, allEnvs []string
	for _, t := range targets {
		kinds, allIDs, allEnvs = append(kinds, t.Kind), append(allIDs, t.ID), append(allEnvs, t.TokenEnv)
		if t.Kind == highlevel.TargetKind {
			ids, envs = append(ids, t.ID), append(envs, t.TokenEnv)
		}
	}
	if err := g.prepareKrosAI(kinds, allIDs, allEnvs); err != nil {
		return err
	}
	return g.prepareLocations(ctx, client, ids, envs)
}

// prepareLocations is prepareCredentials for locations given by id and
// token variable ("" when minted).
func (g *globals) prepareLocations(ctx context.Context, client *api.Client, ids, envs []string) error {
	var binds []highlevel.Binding
	for i, id := range ids {
		if envs[i] != "" {
			binds = append(binds, highlevel.Binding{Location: id, Env: envs[i]})
		}
	}
	g.reserveTokens(binds)
	return g.checkAgency(ctx, client, agencyLocations(ids, envs))
}
