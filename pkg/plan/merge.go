package plan

import (
	"fmt"
	"slices"
	"strings"
)

// Merge joins plans made from the same manifests for disjoint sets of
// locations (the shards of one run) into one plan. It refuses plans made from
// different manifests and plans that share a location.
func Merge(plans ...*Plan) (*Plan, error) {
	if len(plans) == 0 {
		return nil, fmt.Errorf("merge plans: no plan")
	}
	out := *plans[0]
	out.Locations = slices.Clone(plans[0].Locations)
	from := map[string]int{}
	for _, lp := range out.Locations {
		from[lp.LocationID] = 0
	}
	for i, p := range plans[1:] {
		if p.ManifestDigest != out.ManifestDigest {
			return nil, fmt.Errorf("merge plans: plan %d was made from other manifests (digest %s, not %s)", i+2, p.ManifestDigest, out.ManifestDigest)
		}
		for _, lp := range p.Locations {
			if j, ok := from[lp.LocationID]; ok {
				return nil, fmt.Errorf("merge plans: location %s is in plan %d and plan %d", lp.LocationID, j+1, i+2)
			}
			from[lp.LocationID] = i + 1
			out.Locations = append(out.Locations, lp)
		}
		if p.CreatedAt.After(out.CreatedAt) {
			out.CreatedAt = p.CreatedAt
		}
		out.TotalLocations = max(out.TotalLocations, p.TotalLocations)
	}
	slices.SortFunc(out.Locations, func(a, b LocationPlan) int { return strings.Compare(a.LocationID, b.LocationID) })
	return &out, nil
}
