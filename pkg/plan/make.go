package plan

// This file holds the planner's entry point: select locations, read each
// concurrently, plan it.

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/spec"
)

// Reader is what the planner needs from the API to read one location's live
// state. *api.Location implements it.
type Reader interface {
	AllAgents(ctx context.Context) ([]api.AgentSummary, error)
	GetAgent(ctx context.Context, agentID string) (*api.Agent, error)
	ListActions(ctx context.Context, agentID string) ([]api.Action, error)
}

// Connector opens a Reader for a location (resolving its token). An error
// fails that location only.
type Connector func(ctx context.Context, loc *spec.Location) (Reader, error)

// DefaultParallelism is how many locations Make reads at once by default.
const DefaultParallelism = 16

// Options tune Make.
type Options struct {
	Parallelism int    // locations read at once (default 16)
	ToolVersion string // recorded in the plan
	Now         func() time.Time
	// Locations, when not empty, selects these location ids only.
	Locations []string
	// ShardIndex/ShardCount select the locations whose stable hash falls in shard
	// ShardIndex (0-based) of ShardCount; ShardCount 0 or 1 selects all.
	ShardIndex, ShardCount int
	// Baseline, when not nil, is the manifests of the base branch (say, main):
	// what was merged, and so presumably applied, before the manifests being
	// planned. Changes that undo an edit made outside agentform are marked
	// Drift (see the package documentation); nil marks nothing.
	Baseline *spec.Set
}

// Make reads the live state of every selected location and returns the plan.
// A location that fails to read gets its Error set; the others are planned.
// Make itself fails only on bad options or when ctx ends.
func Make(ctx context.Context, set *spec.Set, connect Connector, opts Options) (*Plan, error) {
	locs, err := selectLocations(set.Locations, opts)
	if err != nil {
		return nil, err
	}
	bases, err := baselineLocations(opts.Baseline)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	p := &Plan{
		FormatVersion:  FormatVersion,
		ToolVersion:    opts.ToolVersion,
		CreatedAt:      now().UTC(),
		ManifestDigest: set.Digest,
		TotalLocations: len(set.Locations),
		Locations:      make([]LocationPlan, len(locs)),
	}
	if opts.Baseline != nil {
		p.Baseline, p.BaselineDigest = true, opts.Baseline.Digest
	}
	if opts.ShardCount > 1 {
		p.Shard = fmt.Sprintf("%d/%d", opts.ShardIndex+1, opts.ShardCount)
	}
	par := opts.Parallelism
	if par <= 0 {
		par = DefaultParallelism
	}
	var g errgroup.Group // not WithContext: one location's failure stops no other
	g.SetLimit(par)
	for i, loc := range locs {
		g.Go(func() error {
			p.Locations[i] = planOne(ctx, loc, bases[loc.ID], connect)
			return nil
		})
	}
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return p, nil
}

// planOne plans one location, turning every failure into its Error. base is
// the baseline's declaration of the location, or nil.
func planOne(ctx context.Context, loc, base *spec.Location, connect Connector) LocationPlan {
	rd, err := connect(ctx, loc)
	if err == nil {
		var lp LocationPlan
		if lp, err = planLocation(ctx, loc, base, rd); err == nil {
			return lp
		}
	}
	tokenEnv := loc.TokenEnv
	if tokenEnv == "" {
		tokenEnv = spec.DefaultTokenEnv
	}
	msg := err.Error()
	if hint := api.AccessHint(api.StatusOf(err), loc.ID, tokenEnv, api.ScopeReadonly); hint != "" {
		msg += " (" + hint + ")"
	}
	return LocationPlan{LocationID: loc.ID, Name: loc.Name, TokenEnv: tokenEnv, File: loc.Pos.File,
		Prune: loc.Prune, Error: msg}
}

// selectLocations applies --location and --shard and sorts the result by id.
func selectLocations(all []*spec.Location, opts Options) ([]*spec.Location, error) {
	if opts.ShardCount > 1 && (opts.ShardIndex < 0 || opts.ShardIndex >= opts.ShardCount) {
		return nil, fmt.Errorf("shard index %d is outside 0..%d", opts.ShardIndex, opts.ShardCount-1)
	}
	byID := map[string]*spec.Location{}
	for _, l := range all {
		if prev, ok := byID[l.ID]; ok {
			return nil, fmt.Errorf("location %s is declared twice (%s:%d and %s:%d)", l.ID, prev.Pos.File, prev.Pos.Line, l.Pos.File, l.Pos.Line)
		}
		byID[l.ID] = l
	}
	var picked []*spec.Location
	if len(opts.Locations) > 0 {
		var missing []string
		for _, id := range opts.Locations {
			l, ok := byID[id]
			if !ok {
				missing = append(missing, id)
				continue
			}
			if !slices.Contains(picked, l) {
				picked = append(picked, l)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("no manifest declares location %s", strings.Join(missing, ", "))
		}
	} else {
		picked = slices.Clone(all)
	}
	var out []*spec.Location
	for _, l := range picked {
		if InShard(l.ID, opts.ShardIndex, opts.ShardCount) {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b *spec.Location) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// InShard reports whether location id belongs to shard index (0-based) of
// count: the FNV-1a 32-bit hash of the id modulo count. Every id falls in
// exactly one shard, the same one on every run. count 0 or 1 selects all.
func InShard(id string, index, count int) bool {
	if count <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%uint32(count)) == index
}

// Counts are the numbers of changes by operation.
type Counts struct {
	Create, Update, Delete, Replace, Report int
	// Locations is how many locations have at least one change (reports aside).
	Locations int
	// Failed is how many locations could not be planned.
	Failed int
	// Drift is how many changes (reports aside) undo edits made outside
	// agentform (Change.Drift).
	Drift int
}

// Count counts p's changes.
func (p *Plan) Count() Counts {
	var c Counts
	for _, lp := range p.Locations {
		if lp.Error != "" {
			c.Failed++
		}
		changed := false
		for _, ch := range lp.Changes {
			switch ch.Op {
			case OpCreate:
				c.Create++
			case OpUpdate:
				c.Update++
			case OpDelete:
				c.Delete++
			case OpReplace:
				c.Replace++
			case OpReport:
				c.Report++
				continue
			}
			if ch.Drift {
				c.Drift++
			}
			changed = true
		}
		if changed {
			c.Locations++
		}
	}
	return c
}

// HasChanges reports whether p changes anything (reports aside).
func (p *Plan) HasChanges() bool { return p.Count().Locations > 0 }
