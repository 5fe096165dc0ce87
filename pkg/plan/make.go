package plan

// This file holds the planner's entry point: select targets, read each
// concurrently, plan it.

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/provider"
)

// Manifests are the declared targets a plan is made from, with the digest of
// the files they were read from.
type Manifests struct {
	Targets []*provider.Target
	Digest  string
}

// Connector opens a session for a target (resolving its credential). An
// error fails that target only.
type Connector func(ctx context.Context, t *provider.Target) (provider.Session, error)

// DefaultParallelism is how many targets Make reads at once by default.
const DefaultParallelism = 16

// Options tune Make.
type Options struct {
	Parallelism int    // targets read at once (default 16)
	ToolVersion string // recorded in the plan
	Now         func() time.Time
	// Targets, when not empty, selects the targets with these ids only.
	Targets []string
	// ShardIndex/ShardCount select the targets whose stable hash falls in
	// shard ShardIndex (0-based) of ShardCount; ShardCount 0 or 1 selects all.
	ShardIndex, ShardCount int
	// Baseline, when not nil, is the manifests of the base branch (say,
	// main): what was merged, and so presumably applied, before the
	// manifests being planned. Changes that undo an edit made outside
	// agentform are marked Drift (see the package documentation); nil marks
	// nothing.
	Baseline *Manifests
}

// Make reads the live state of every selected target and returns the plan.
// A target that fails to read gets its Error set; the others are planned.
// Make itself fails only on bad options or input, or when ctx ends.
func Make(ctx context.Context, m *Manifests, connect Connector, opts Options) (*Plan, error) {
	targets, err := Select(m.Targets, opts)
	if err != nil {
		return nil, err
	}
	bases, err := baselineTargets(opts.Baseline)
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
		ManifestDigest: m.Digest,
		TotalTargets:   len(m.Targets),
		Targets:        make([]TargetPlan, len(targets)),
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
	var g errgroup.Group // not WithContext: one target's failure stops no other
	g.SetLimit(par)
	for i, t := range targets {
		g.Go(func() error {
			p.Targets[i] = planOne(ctx, t, bases[targetID{t.Kind, t.ID}], connect)
			return nil
		})
	}
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if err := p.Seal(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return p, nil
}

// targetID identifies a target among every provider's.
type targetID struct{ kind, id string }

// planOne plans one target, turning every failure into its Error. base is
// the baseline's declaration of the target, or nil.
func planOne(ctx context.Context, t, base *provider.Target, connect Connector) TargetPlan {
	tp := TargetPlan{Kind: t.Kind, ID: t.ID, Name: t.Name, TokenEnv: t.TokenEnv, File: t.Pos.File, Prune: t.Prune}
	prov, ok := provider.ForTarget(t.Kind)
	if !ok {
		tp.Error = fmt.Sprintf("no provider for %s targets", t.Kind)
		return tp
	}
	// A target loaded as a header is expanded here, and its declarations
	// dropped with t when it returns: a fleet is held a few targets at a
	// time.
	t, err := t.Declared()
	if err != nil {
		tp.Error = err.Error()
		return tp
	}
	if base, err = base.Declared(); err != nil {
		tp.Error = "baseline: " + err.Error()
		return tp
	}
	sess, err := connect(ctx, t)
	if err == nil {
		if err = planTarget(ctx, &tp, t, base, prov, sess); err == nil {
			return tp
		}
	}
	msg := err.Error()
	if hint := prov.AccessHint(prov.Classify(err).Status, t.ID, t.TokenEnv, false); hint != "" {
		msg += " (" + hint + ")"
	}
	return TargetPlan{Kind: t.Kind, ID: t.ID, Name: t.Name, TokenEnv: t.TokenEnv, File: t.Pos.File, Prune: t.Prune, Error: msg}
}

// Select returns the targets Make plans with opts (Options.Targets and the
// shard), sorted by kind and id.
func Select(all []*provider.Target, opts Options) ([]*provider.Target, error) {
	if opts.ShardCount > 1 && (opts.ShardIndex < 0 || opts.ShardIndex >= opts.ShardCount) {
		return nil, fmt.Errorf("shard index %d is outside 0..%d", opts.ShardIndex, opts.ShardCount-1)
	}
	if _, err := indexTargets(all, ""); err != nil {
		return nil, err
	}
	picked := all
	if len(opts.Targets) > 0 {
		picked = nil
		var missing []string
		for _, id := range opts.Targets {
			n := 0
			for _, t := range all {
				if t.ID == id {
					n++
					if !slices.Contains(picked, t) {
						picked = append(picked, t)
					}
				}
			}
			if n == 0 {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("no manifest declares location %s", strings.Join(missing, ", "))
		}
	}
	var out []*provider.Target
	for _, t := range picked {
		if InShard(t.ID, opts.ShardIndex, opts.ShardCount) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *provider.Target) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// indexTargets indexes targets by kind and id, refusing one declared twice;
// prefix starts the error message.
func indexTargets(all []*provider.Target, prefix string) (map[targetID]*provider.Target, error) {
	out := make(map[targetID]*provider.Target, len(all))
	for _, t := range all {
		k := targetID{t.Kind, t.ID}
		if prev, ok := out[k]; ok {
			return nil, fmt.Errorf("%s%s %s is declared twice (%s:%d and %s:%d)", prefix, t.Kind, t.ID,
				prev.Pos.File, prev.Pos.Line, t.Pos.File, t.Pos.Line)
		}
		out[k] = t
	}
	return out, nil
}

// baselineTargets indexes the baseline's targets; nil without a baseline.
func baselineTargets(base *Manifests) (map[targetID]*provider.Target, error) {
	if base == nil {
		return nil, nil
	}
	return indexTargets(base.Targets, "baseline: ")
}

// InShard reports whether target id belongs to shard index (0-based) of
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
	// Targets is how many targets have at least one change (reports aside).
	Targets int
	// Failed is how many targets could not be planned.
	Failed int
	// Drift is how many changes (reports aside) undo edits made outside
	// agentform (Change.Drift).
	Drift int
}

// Count counts p's changes.
func (p *Plan) Count() Counts {
	var c Counts
	for _, tp := range p.Targets {
		if tp.Error != "" {
			c.Failed++
		}
		changed := false
		for _, ch := range tp.Changes {
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
			c.Targets++
		}
	}
	return c
}

// HasChanges reports whether p changes anything (reports aside).
func (p *Plan) HasChanges() bool { return p.Count().Targets > 0 }
