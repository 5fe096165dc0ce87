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
// applied. Deletes of top-level objects (agents) are legitimate only in
// targets that prune, whatever the flags; a replace counts as a delete, and
// a deleted object counts with the children the service deletes along with
// it.
func (p *Plan) CheckSafety(o SafetyOptions) error {
	minObjects := o.MinObjects
	if minObjects <= 0 {
		minObjects = DefaultMinObjects
	}
	var problems []string
	total := 0
	for _, tp := range p.Targets {
		deletes := 0
		topDeletes := map[string]int{} // top-level deletes by kind
		var kinds []string
		for _, c := range tp.Changes {
			switch {
			case c.Op == OpDelete && c.Named() && len(c.Key) == 1:
				if topDeletes[c.Kind] == 0 {
					kinds = append(kinds, c.Kind)
				}
				topDeletes[c.Kind]++
				deletes += 1 + c.Cascade // its children go with it
			case c.Op == OpDelete || c.Op == OpReplace:
				deletes++
			}
		}
		total += deletes
		for _, k := range kinds {
			if !tp.Prune {
				problems = append(problems, fmt.Sprintf("%s %s: %d %s delete(s) but the %s does not set prune: true",
					tp.Kind, tp.ID, topDeletes[k], k, tp.Kind))
			}
		}
		if o.MaxDeletePercent > 0 && tp.LiveObjects >= minObjects && deletes > 0 {
			pct := float64(deletes) / float64(tp.LiveObjects) * 100
			if pct > o.MaxDeletePercent {
				problems = append(problems, fmt.Sprintf("%s %s: too many deletes, %s%% is over %s%% (%d/%d); use --max-delete-percent to allow",
					tp.Kind, tp.ID, percent(pct), percent(o.MaxDeletePercent), deletes, tp.LiveObjects))
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
