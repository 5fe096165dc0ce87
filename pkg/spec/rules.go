package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file holds the consistency rules the API enforces with a 422 that
// the schema cannot express: names that only differ in white space, step ids
// and working days used twice, and working-hour intervals that end before
// they start. validate reports them offline, so plan never sends them.

// checkName reports an agent or action name NameProblem refuses. An empty
// name is the schema's to report.
func checkName(n *node, path string, d *diags) {
	s, ok := n.str()
	if !ok || s == "" {
		return
	}
	if problem := NameProblem(s); problem != "" {
		d.add(n.pos, path, "%s", problem)
	}
}

// NameProblem says what is wrong with an agent or action name, or "" when
// nothing is: leading or trailing white space, a run of spaces, or white
// space other than a single space between words. HighLevel shows such a name
// like another one, so it makes a look-alike duplicate.
func NameProblem(s string) string {
	switch {
	case strings.ContainsAny(s, "\t\n\r\v\f"):
		return "name holds a tab or a line break; HighLevel shows it like another name"
	case s != strings.Join(strings.Fields(s), " "):
		return "name has leading/trailing or doubled spaces; HighLevel shows it like another name"
	}
	return ""
}

// checkFollowupSequence reports a step id used twice in one advancedFollowup
// action's followupSequence, at the later step (the API answers 422
// "details.followupSequence.N.id must be unique").
func checkFollowupSequence(seq *node, path string, d *diags) {
	if seq == nil || seq.kind != seqKind {
		return
	}
	seen := map[float64]bool{}
	for i, step := range seq.items {
		id := step.get("id")
		v, ok := number(id)
		if !ok {
			continue
		}
		if seen[v] {
			d.add(id.pos, fmt.Sprintf("%s[%d].id", path, i), "followupSequence id %s is used twice; each step needs its own id", formatNumber(v))
			continue
		}
		seen[v] = true
	}
}

// checkWorkingHours reports a day listed twice in a follow-up block's
// workingHours, and intervals that end after 24:00 or do not start before
// they end. Values the schema refuses (out of range, not whole) are left to
// the schema's diagnostics.
func checkWorkingHours(hours *node, path string, d *diags) {
	if hours == nil || hours.kind != seqKind {
		return
	}
	seen := map[int]bool{}
	for i, day := range hours.items {
		dpath := fmt.Sprintf("%s[%d]", path, i)
		dn := day.get("dayOfTheWeek")
		if v, ok := wholeIn(dn, 0, 6); ok {
			if seen[v] {
				d.add(dn.pos, dpath+".dayOfTheWeek", "workingHours day %d is listed twice; give each day one entry with all its intervals", v)
			}
			seen[v] = true
		}
		intervals := day.get("intervals")
		if intervals == nil || intervals.kind != seqKind {
			continue
		}
		for j, iv := range intervals.items {
			checkInterval(iv, fmt.Sprintf("%s.intervals[%d]", dpath, j), d)
		}
	}
}

// checkInterval reports an interval ending after 24:00 or not starting
// before it ends.
func checkInterval(iv *node, path string, d *diags) {
	sh, ok1 := wholeIn(iv.get("startHour"), 0, 23)
	sm, ok2 := wholeIn(iv.get("startMinute"), 0, 59)
	eh, ok3 := wholeIn(iv.get("endHour"), 0, 24)
	em, ok4 := wholeIn(iv.get("endMinute"), 0, 59)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return
	}
	start, end := sh*60+sm, eh*60+em
	switch {
	case end > 24*60:
		d.add(iv.get("endMinute").pos, path+".endMinute", "an interval must end by 24:00 (got %s)", clock(end))
	case start >= end:
		d.add(iv.pos, path, "an interval must start before it ends (got %s to %s)", clock(start), clock(end))
	}
}

// number returns a numeric scalar's value.
func number(n *node) (float64, bool) {
	if n == nil || n.kind != scalarKind {
		return 0, false
	}
	v, ok := n.value.(float64)
	return v, ok
}

// wholeIn returns a numeric scalar that is a whole number within lo..hi.
func wholeIn(n *node, lo, hi int) (int, bool) {
	v, ok := number(n)
	if !ok || v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
		return 0, false
	}
	return int(v), true
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// clock formats minutes since midnight as HH:MM.
func clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }
