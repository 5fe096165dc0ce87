package plan

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultMinObjects is the SafetyOptions.MinObjects used when it is 0: smaller
// targets are exempt from the --max-delete-percent guard.
const DefaultMinObjects = 10

// SafetyOptions are the guards, set by flags outside the manifests (a
// careless manifest edit cannot remove its own guard). The zero value is
// the default: the mass-delete guard on, no other limit.
type SafetyOptions struct {
	// ForceDeletes lifts the default mass-delete guard (--force-deletes).
	ForceDeletes bool
	// LimitDeletes makes MaxDeletes apply (--max-deletes was given).
	LimitDeletes bool
	// MaxDeletes is the most deletes allowed across the plan, counted as the
	// summary counts them (deletes and replaces; 0: none).
	MaxDeletes int
	// MaxDeletePercent is the most deletes, as a percentage of a target's
	// managed objects (children deleted with their parent included), allowed
	// in any target with at least MinObjects of them (0 disables).
	MaxDeletePercent float64
	MinObjects       int
	// MaxUpdatePercent is the most updates and replaces, as a percentage of a
	// target's managed objects, allowed in any target (0 disables): a guard
	// for fleet-wide changes, such as an edited base.
	MaxUpdatePercent float64
}

// SafetyError is returned by CheckSafety; the CLI exits 3 with it.
type SafetyError struct{ Problems []string }

func (e *SafetyError) Error() string {
	return "refused by safety guards: " + strings.Join(e.Problems, "; ")
}

// CheckSafety checks the guards over the whole plan before anything is
// applied:
//
//   - Deletes of top-level objects (agents) happen only in targets that
//     prune, whatever the flags.
//   - The mass-delete guard, on by default: deleting a top-level object of
//     a target is refused where the deletes would remove more than a third
//     of its live objects of that kind, or its last one, or an essential
//     one (HighLevel: the primary agent). --force-deletes lifts it.
//   - --max-deletes, --max-delete-percent and --max-update-percent, when
//     given.
//
// Every message carries the numbers and the flag that allows the change;
// deletes are counted as the plan summary counts them.
func (p *Plan) CheckSafety(o SafetyOptions) error {
	minObjects := o.MinObjects
	if minObjects <= 0 {
		minObjects = DefaultMinObjects
	}
	var problems []string
	total, totalReplaces := 0, 0
	for _, tp := range p.Targets {
		where := targetWord(tp.Kind) + " " + tp.ID
		deletes, replaces, updates, objects := 0, 0, 0, 0
		topDeletes := map[string]int{}     // top-level deletes by kind
		essential := map[string][]string{} // by kind: what makes each essential
		var kinds []string
		for _, c := range tp.Changes {
			switch c.Op {
			case OpDelete:
				deletes++
				objects += 1 + c.Cascade // its children go with it
				if c.Named() && len(c.Key) == 1 && c.DuplicateOf == "" {
					if topDeletes[c.Kind] == 0 {
						kinds = append(kinds, c.Kind)
					}
					topDeletes[c.Kind]++
					if c.Essential != "" {
						essential[c.Kind] = append(essential[c.Kind], fmt.Sprintf("%q (%s)", c.Name(), c.Essential))
					}
				}
			case OpReplace:
				replaces++
				objects++
			case OpUpdate:
				updates++
			}
		}
		total, totalReplaces = total+deletes, totalReplaces+replaces
		for _, k := range kinds {
			n := topDeletes[k]
			if !tp.Prune {
				problems = append(problems, fmt.Sprintf("%s: %d %s delete(s) but the %s does not set prune: true", where, n, k, targetWord(tp.Kind)))
				continue
			}
			if o.ForceDeletes {
				continue
			}
			if why := massDelete(n, tp.LiveCounts[k], essential[k], k); why != "" {
				problems = append(problems, fmt.Sprintf("%s: deleting %s is refused by default (%s); check the %s's credential and manifest, then pass --force-deletes to allow",
					where, why, "a guard against emptying a "+targetWord(tp.Kind)+" by mistake", targetWord(tp.Kind)))
			}
		}
		if o.MaxDeletePercent > 0 && tp.LiveObjects >= minObjects && objects > 0 {
			pct := float64(objects) / float64(tp.LiveObjects) * 100
			if pct > o.MaxDeletePercent {
				problems = append(problems, fmt.Sprintf("%s: too many deletes, %s%% is over %s%% (%d/%d managed objects: %s); use --max-delete-percent to allow",
					where, percent(pct), percent(o.MaxDeletePercent), objects, tp.LiveObjects, deleteCounts(deletes, replaces, objects)))
			}
		}
		if o.MaxUpdatePercent > 0 && updates+replaces > 0 && tp.LiveObjects > 0 {
			pct := float64(updates+replaces) / float64(tp.LiveObjects) * 100
			if pct > o.MaxUpdatePercent {
				problems = append(problems, fmt.Sprintf("%s: too many updates, %s%% is over %s%% (%d/%d managed objects: %d to update, %d to replace); use --max-update-percent to allow",
					where, percent(pct), percent(o.MaxUpdatePercent), updates+replaces, tp.LiveObjects, updates, replaces))
			}
		}
	}
	if o.LimitDeletes && total+totalReplaces > o.MaxDeletes {
		problems = append(problems, fmt.Sprintf("too many deletes, %d is over %d across the plan (%d to delete, %d to replace); use --max-deletes to allow",
			total+totalReplaces, o.MaxDeletes, total, totalReplaces))
	}
	if len(problems) > 0 {
		return &SafetyError{Problems: problems}
	}
	return nil
}

// massDelete says why deleting n of the live top-level objects of kind
// trips the default guard ("2 of its 2 live agents: ..."); essential says
// what makes deleted objects essential, or "" when it
// does not. live 0 means the count is unknown: only essential objects are
// guarded then.
func massDelete(n, live int, essential []string, kind string) string {
	var why []string
	if live > 0 {
		if 3*n > live {
			why = append(why, "more than a third")
		}
		if n >= live {
			why = append(why, "its last one")
		}
	}
	if len(essential) > 0 {
		why = append(why, "an essential "+kind+": "+strings.Join(essential, ", "))
	}
	if len(why) == 0 {
		return ""
	}
	count := fmt.Sprintf("%d %s(s)", n, kind)
	if live > 0 {
		count = fmt.Sprintf("%d of its %d live %ss", n, live, kind)
	}
	return count + ": " + strings.Join(why, ", and ")
}

// deleteCounts words the objects a target's deletes remove.
func deleteCounts(deletes, replaces, objects int) string {
	s := fmt.Sprintf("%d to delete", deletes)
	if replaces > 0 {
		s += fmt.Sprintf(", %d to replace", replaces)
	}
	if cascade := objects - deletes - replaces; cascade > 0 {
		s += fmt.Sprintf(", and %d deleted with them", cascade)
	}
	return s
}

// targetWord names a target kind in messages ("location" for a target
// without a kind).
func targetWord(kind string) string {
	if kind == "" {
		return "location"
	}
	return kind
}

// percent prints a percentage rounded to one decimal, without a trailing ".0".
func percent(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}
