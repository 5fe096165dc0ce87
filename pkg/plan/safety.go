package plan

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultMinObjects is the SafetyOptions.MinObjects used when it is 0: smaller
// locations are exempt from the percentage guard.
const DefaultMinObjects = 10

// SafetyOptions are the delete guards, set by flags outside the manifests.
type SafetyOptions struct {
	// MaxDeletes is the most deletes allowed across the plan (objects, so an
	// agent counts with its actions); 0 means deletes are
	// allowed (in any number) only in locations with prune set, plus the removal of
	// undeclared actions of declared agents.
	MaxDeletes int
	// MaxDeletePercent is the most deletes, as a percentage of a location's
	// managed objects, allowed in any location with at least MinObjects objects
	// (0 disables).
	MaxDeletePercent float64
	MinObjects       int
}

// SafetyError is returned by CheckSafety; the CLI exits 3 with it.
type SafetyError struct{ Problems []string }

func (e *SafetyError) Error() string {
	return "refused by safety guards: " + strings.Join(e.Problems, "; ")
}

// CheckSafety checks the delete guards over the whole plan before anything is
// applied. Agent deletes are legitimate only in prune locations, whatever the
// flags; a replace counts as a delete, and a deleted agent counts with the
// actions the service deletes along with it.
func (p *Plan) CheckSafety(o SafetyOptions) error {
	minObjects := o.MinObjects
	if minObjects <= 0 {
		minObjects = DefaultMinObjects
	}
	var problems []string
	total := 0
	for _, lp := range p.Locations {
		deletes, agentDeletes := 0, 0
		for _, c := range lp.Changes {
			switch {
			case c.Op == OpDelete && c.Kind == KindAgent:
				agentDeletes++
				deletes += 1 + c.Cascade // its actions go with it
			case c.Op == OpDelete || c.Op == OpReplace:
				deletes++
			}
		}
		total += deletes
		if agentDeletes > 0 && !lp.Prune {
			problems = append(problems, fmt.Sprintf("location %s: %d agent delete(s) but the location does not set prune: true", lp.LocationID, agentDeletes))
		}
		if o.MaxDeletePercent > 0 && lp.LiveObjects >= minObjects && deletes > 0 {
			pct := float64(deletes) / float64(lp.LiveObjects) * 100
			if pct > o.MaxDeletePercent {
				problems = append(problems, fmt.Sprintf("location %s: too many deletes, %s%% is over %s%% (%d/%d); use --max-delete-percent to allow",
					lp.LocationID, percent(pct), percent(o.MaxDeletePercent), deletes, lp.LiveObjects))
			}
		}
	}
	if o.MaxDeletes > 0 && total > o.MaxDeletes {
		problems = append(problems, fmt.Sprintf("too many deletes, %d is over %d across the plan; use --max-deletes to allow", total, o.MaxDeletes))
	}
	if len(problems) > 0 {
		return &SafetyError{Problems: problems}
	}
	return nil
}

// percent prints a percentage rounded to one decimal, without a trailing ".0".
func percent(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}
