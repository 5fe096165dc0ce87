package export

// This file writes names instead of ids: the ids of a location's workflows,
// calendars, custom fields, users and knowledge bases that agents and
// actions hold become {name: ...} selectors (a user's {email: ...} when
// names repeat), which the planner resolves back to the same ids. The
// fields and the lookup lists are the HighLevel provider's own (its kinds'
// Refs and the read-only kinds' List), so export names exactly what a plan
// resolves.
//
// Rules, per location and kind:
//   - A kind's list is read only when the agents hold an id of that kind,
//     once.
//   - An id becomes a selector when it is the only object of the list with
//     that name (users: else with that e-mail address); otherwise it stays
//     an id, with a warning.
//   - A list the token may not read (a missing scope) keeps the kind's ids,
//     with a warning naming the scope; another read error fails the export.
//   - An id the list does not hold keeps every id of that kind as it is,
//     with a warning: a plan that looks a kind up checks every literal id
//     of it, so one selector would make the exported manifest fail to plan.

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/value"
)

// selector is a reference by one identity field ({name: Cleanings}); it
// renders as a flow mapping.
type selector struct{ field, value string }

// emailPattern is the schema's pattern of a user reference's email.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

// kindByName are the HighLevel provider's kinds.
var kindByName = func() map[string]*provider.Kind {
	out := map[string]*provider.Kind{}
	for _, k := range (highlevel.Provider{}).Kinds() {
		out[k.Name] = k
	}
	return out
}()

// refSite is one object's fields and the references to read-only kinds
// they hold.
type refSite struct {
	where  string // agent "A", or agent "A" action "B"
	fields value.Map
	refs   []provider.Ref
}

// lookupTable is one read-only kind of the location, as listed.
type lookupTable struct {
	kind *provider.Kind
	ids  []string // the ids the agents hold, in the order met
	at   map[string]string
	byID map[string]*provider.Live
	// count counts the objects per identity field and value.
	count map[string]map[string]int
	keep  bool // keep this kind's ids as they are
}

// sites lists every field of the agents that holds ids of a read-only kind.
func sites(agents []*liveAgent) []refSite {
	var out []refSite
	readOnly := func(refs []provider.Ref) []provider.Ref {
		var ro []provider.Ref
		for _, r := range refs {
			if k := kindByName[r.Kind]; k != nil && k.ReadOnly {
				ro = append(ro, r)
			}
		}
		return ro
	}
	agentKind, actionKind := kindByName[highlevel.KindAgent], kindByName[highlevel.KindAction]
	for _, la := range agents {
		where := fmt.Sprintf("agent %q", la.agent.Name)
		if refs := readOnly(agentKind.Refs(la.settings)); len(refs) > 0 {
			out = append(out, refSite{where: where, fields: la.settings, refs: refs})
		}
		for _, act := range la.actions {
			fields := value.Map{"type": act.action.Type, "details": act.details}
			if refs := readOnly(actionKind.Refs(fields)); len(refs) > 0 {
				out = append(out, refSite{where: fmt.Sprintf("%s action %q", where, act.action.Name), fields: fields, refs: refs})
			}
		}
	}
	return out
}

// pathString writes a reference path for messages: details.workflowIds,
// details.followupSequence[].workflowId.
func pathString(path []string) string {
	var b strings.Builder
	for _, seg := range path {
		if seg == value.Each {
			b.WriteString("[]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// eachID calls f for every id (a non-empty string, alone or in a list) at
// the site's reference path and puts back what f returns.
func eachID(s refSite, ref provider.Ref, f func(id string) any) {
	_ = value.MapAt(s.fields, ref.Path, func(v any) (any, error) {
		switch t := v.(type) {
		case string:
			if t != "" {
				return f(t), nil
			}
		case []any:
			for i, item := range t {
				if id, ok := item.(string); ok && id != "" {
					t[i] = f(id)
				}
			}
		}
		return v, nil
	})
}

// nameLookups reads the lookup lists of the kinds the agents hold ids of
// and replaces those ids by selectors, in place. It returns warnings for
// the ids it keeps.
func nameLookups(ctx context.Context, r Reader, agents []*liveAgent) ([]string, error) {
	all := sites(agents)
	tables := map[string]*lookupTable{}
	var order []*lookupTable
	for _, s := range all {
		for _, ref := range s.refs {
			eachID(s, ref, func(id string) any {
				t := tables[ref.Kind]
				if t == nil {
					t = &lookupTable{kind: kindByName[ref.Kind], at: map[string]string{}}
					tables[ref.Kind] = t
					order = append(order, t)
				}
				if _, seen := t.at[id]; !seen {
					t.ids = append(t.ids, id)
					t.at[id] = s.where + ": " + pathString(ref.Path)
				}
				return id
			})
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	var warnings []string
	lists := make([][]*provider.Live, len(order))
	errs := make([]error, len(order))
	var g errgroup.Group
	for i, t := range order {
		g.Go(func() error {
			lists[i], errs[i] = t.kind.List(ctx, r, "")
			return nil
		})
	}
	_ = g.Wait()
	for i, t := range order {
		switch err := errs[i]; {
		case err != nil && api.IsMissingScope(err):
			t.keep = true
			warnings = append(warnings, fmt.Sprintf("%v; every %s id is kept as an id", err, t.noun()))
			continue
		case err != nil:
			return nil, err
		}
		t.index(lists[i])
		var missing []string
		for _, id := range t.ids {
			if t.byID[id] == nil {
				missing = append(missing, fmt.Sprintf("%s (%s)", id, t.at[id]))
			}
		}
		if len(missing) > 0 {
			t.keep = true
			if len(missing) > 3 {
				missing = append(missing[:3], fmt.Sprintf("%d more", len(missing)-3))
			}
			warnings = append(warnings, fmt.Sprintf("the location has no %s with the id %s; every %s id is kept as an id (a plan that looks %s up checks each such id, and would refuse the unknown one)",
				t.noun(), strings.Join(missing, ", "), t.noun(), t.kind.Plural))
		}
	}
	warned := map[string]bool{}
	for _, s := range all {
		for _, ref := range s.refs {
			t := tables[ref.Kind]
			if t == nil || t.keep {
				continue
			}
			eachID(s, ref, func(id string) any {
				sel, why := t.selector(id)
				if why == "" {
					return sel
				}
				if key := t.kind.Name + "\x00" + id; !warned[key] {
					warned[key] = true
					warnings = append(warnings, fmt.Sprintf("%s: %s %s is kept as an id: %s", t.at[id], t.noun(), id, why))
				}
				return id
			})
		}
	}
	return warnings, nil
}

// noun is the kind in messages: "custom field".
func (t *lookupTable) noun() string { return strings.TrimSuffix(t.kind.Plural, "s") }

// identities are the fields a selector of the table's kind may use, in the
// order export prefers them.
func (t *lookupTable) identities() []string {
	if len(t.kind.Identities) > 0 {
		return t.kind.Identities
	}
	return []string{"name"}
}

// index records the listed objects.
func (t *lookupTable) index(lives []*provider.Live) {
	t.byID = make(map[string]*provider.Live, len(lives))
	t.count = map[string]map[string]int{}
	for _, f := range t.identities() {
		t.count[f] = map[string]int{}
	}
	for _, l := range lives {
		t.byID[l.ID] = l
		for _, f := range t.identities() {
			t.count[f][identity(l, f)]++
		}
	}
}

// selector returns the selector of the object with id, or why there is none.
func (t *lookupTable) selector(id string) (selector, string) {
	l := t.byID[id]
	var why []string
	for _, f := range t.identities() {
		v := identity(l, f)
		switch {
		case strings.TrimSpace(v) == "":
			why = append(why, "it has no "+f)
		case f == "email" && !emailPattern.MatchString(v):
			why = append(why, fmt.Sprintf("its e-mail address %q is malformed", v))
		case t.count[f][v] > 1:
			why = append(why, fmt.Sprintf("%d %s have the %s %q (ids %s)", t.count[f][v], t.kind.Plural, f, v, strings.Join(t.holding(f, v), ", ")))
		default:
			return selector{field: f, value: v}, ""
		}
	}
	return selector{}, strings.Join(why, ", and ")
}

// holding lists the ids of the objects whose identity field f is v.
func (t *lookupTable) holding(f, v string) []string {
	var out []string
	for id, l := range t.byID {
		if identity(l, f) == v {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// identity is a read-only object's identity field, as the planner reads it.
func identity(l *provider.Live, field string) string {
	if field == "name" {
		return l.Name
	}
	s, _ := l.Fields[field].(string)
	return s
}
