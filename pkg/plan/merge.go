package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Merge joins plans made from the same manifests for disjoint sets of
// locations (the shards of one run) into one plan. It refuses plans made from
// different manifests, plans that share a location, and shard plans that do
// not add up to every shard of their run (a merged report must not leave
// locations out without saying so).
func Merge(plans ...*Plan) (*Plan, error) {
	if len(plans) == 0 {
		return nil, fmt.Errorf("merge plans: no plan")
	}
	if len(plans) > 1 {
		if err := checkShards(plans); err != nil {
			return nil, err
		}
	}
	out := *plans[0]
	out.Targets = slices.Clone(plans[0].Targets)
	from := map[targetID]int{}
	for _, tp := range out.Targets {
		from[targetID{tp.Kind, tp.ID}] = 0
	}
	for i, p := range plans[1:] {
		if p.ManifestDigest != out.ManifestDigest {
			return nil, fmt.Errorf("merge plans: plan %d was made from other manifests (digest %s, not %s)", i+2, p.ManifestDigest, out.ManifestDigest)
		}
		if p.Baseline != out.Baseline || p.BaselineDigest != out.BaselineDigest {
			return nil, fmt.Errorf("merge plans: plan %d was made with another baseline (--baseline) than plan 1", i+2)
		}
		for _, tp := range p.Targets {
			k := targetID{tp.Kind, tp.ID}
			if j, ok := from[k]; ok {
				return nil, fmt.Errorf("merge plans: %s %s is in plan %d and plan %d", tp.Kind, tp.ID, j+1, i+2)
			}
			from[k] = i + 1
			out.Targets = append(out.Targets, tp)
		}
		if p.CreatedAt.After(out.CreatedAt) {
			out.CreatedAt = p.CreatedAt
		}
		out.TotalTargets = max(out.TotalTargets, p.TotalTargets)
	}
	slices.SortFunc(out.Targets, func(a, b TargetPlan) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.ID, b.ID))
	})
	if len(plans) > 1 {
		out.Shard = ""
	}
	if err := out.Seal(); err != nil {
		return nil, fmt.Errorf("merge plans: %w", err)
	}
	return &out, nil
}

// checkShards requires shard plans to be every shard I/N of one N, once each.
func checkShards(plans []*Plan) error {
	count := 0
	seen := map[int]bool{}
	for i, p := range plans {
		if p.Shard == "" {
			if count > 0 {
				return fmt.Errorf("merge plans: plan %d is not a shard plan but others are", i+1)
			}
			continue
		}
		var idx, n int
		if _, err := fmt.Sscanf(p.Shard, "%d/%d", &idx, &n); err != nil || idx < 1 || idx > n {
			return fmt.Errorf("merge plans: plan %d has a bad shard %q", i+1, p.Shard)
		}
		if i > 0 && count == 0 {
			return fmt.Errorf("merge plans: plan %d is a shard plan but plan 1 is not", i+1)
		}
		if count != 0 && n != count {
			return fmt.Errorf("merge plans: plan %d is shard %s, but the others split the run in %d", i+1, p.Shard, count)
		}
		count = n
		if seen[idx] {
			return fmt.Errorf("merge plans: shard %s is given twice", p.Shard)
		}
		seen[idx] = true
	}
	var missing []string
	for i := 1; i <= count; i++ {
		if !seen[i] {
			missing = append(missing, fmt.Sprintf("%d/%d", i, count))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge plans: shard %s missing: the report would leave its locations out", strings.Join(missing, ", "))
	}
	return nil
}
