package plan

// This file plans one target: read its live objects kind by kind, pair them
// with the declared ones, and compute the changes, all through the kinds'
// descriptors.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// childReadParallelism bounds the concurrent reads of the objects inside one
// target (its rate limit is per target, so a small bound suffices).
const childReadParallelism = 4

// node is one object the planner manages: declared, live, or both.
type node struct {
	kind    *provider.Kind
	desired *provider.Desired // nil for a live object no manifest declares
	base    *provider.Desired // the baseline's declaration, nil if none
	live    *provider.Live    // nil when the object does not exist live
	key     Key
	parent  *node
	// twins are younger live objects with the declared name (two applies
	// that ran at once each created one): the plan deletes those that are
	// twins of the declared object, and fails on the others.
	twins []*provider.Live
	// children are the live children read under a declared object that
	// exists live, by kind.
	children map[string][]*provider.Live
}

// parentID is the live id of n's parent, "" for a top-level object or one
// whose parent the plan creates.
func (n *node) parentID() string {
	if n.parent == nil || n.parent.live == nil {
		return ""
	}
	return n.parent.live.ID
}

// topGroup is the top-level objects of one kind.
type topGroup struct {
	kind     *provider.Kind
	declared []*node // in declared order; live is nil when not found
	pruned   []*node // live, declared by nothing, deleted by prune
	reported []*provider.Live
}

// refTable translates references to the objects of one kind in one scope.
type refTable struct {
	// name translates a live id to the name a plan uses for it.
	name map[string]string
	// fate is every name a declared reference may use, with the object's
	// fate in the plan: "create", "delete" or "" (exists and stays).
	fate map[string]string
}

// targetRun is the planning of one target.
type targetRun struct {
	t, base *provider.Target
	prov    provider.Provider
	sess    provider.Session
	kinds   []*provider.Kind
	index   map[string]int // kind name → position in kinds
	tops    []*topGroup
	refs    map[string]*refTable // by scope key (see refTableFor)
	lookups map[string]*lookup   // read-only kinds, by name
	reads   []Read               // read-only objects references resolved to
}

func (r *targetRun) kind(name string) *provider.Kind { return r.kinds[r.index[name]] }

// childKinds returns the kinds whose parent is kind, in provider order.
func (r *targetRun) childKinds(kind string) []*provider.Kind {
	var out []*provider.Kind
	for _, k := range r.kinds {
		if k.Parent == kind {
			out = append(out, k)
		}
	}
	return out
}

// planTarget reads one target's live state and computes its changes into tp.
func planTarget(ctx context.Context, tp *TargetPlan, t, base *provider.Target, prov provider.Provider, sess provider.Session) error {
	r := &targetRun{t: t, base: base, prov: prov, sess: sess, kinds: prov.Kinds(), index: map[string]int{},
		refs: map[string]*refTable{}}
	for i, k := range r.kinds {
		r.index[k.Name] = i
	}
	var errs []error
	for _, k := range r.kinds {
		if k.Parent != "" || k.Derived != nil || k.ReadOnly {
			continue
		}
		lives, err := k.List(ctx, sess, "")
		if err != nil {
			return fmt.Errorf("list %s: %w", k.Plural, err)
		}
		g, err := r.matchTop(k, lives)
		if err != nil {
			errs = append(errs, r.explainPins(ctx, k, err))
			continue
		}
		r.tops = append(r.tops, g)
		if tp.LiveCounts == nil {
			tp.LiveCounts = map[string]int{}
		}
		tp.LiveCounts[k.Name] = len(lives)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := r.read(ctx); err != nil {
		return err
	}
	r.readLookups(ctx)
	changes, err := r.changes()
	if err != nil {
		return err
	}
	tp.Changes = r.order(changes)
	r.noteReferences(tp.Changes)
	sortReads(r.reads)
	tp.Reads = r.reads
	for _, g := range r.tops {
		for _, n := range g.declared {
			if n.live == nil {
				continue
			}
			if tp.Live == nil {
				tp.Live = map[string]map[string]string{}
			}
			if tp.Live[g.kind.Name] == nil {
				tp.Live[g.kind.Name] = map[string]string{}
			}
			tp.Live[g.kind.Name][n.desired.Name] = n.live.ID
			tp.LiveObjects += 1 + len(n.twins)
			for _, lives := range n.children {
				tp.LiveObjects += len(lives)
			}
		}
		for _, n := range g.pruned {
			tp.LiveObjects += 1 + n.live.Cascade
		}
	}
	return nil
}

// matchTop pairs the declared top-level objects of kind k with the live ones:
// a pinned id first, then by name among the live objects no pin claimed.
// Ambiguities fail the target.
func (r *targetRun) matchTop(k *provider.Kind, lives []*provider.Live) (*topGroup, error) {
	g := &topGroup{kind: k}
	byID := map[string]*provider.Live{}
	for _, l := range lives {
		byID[l.ID] = l
	}
	claimed := map[string]string{} // live id → declared name
	var errs []error
	declared := map[string]bool{}
	for _, d := range r.t.Objects {
		if d.Kind != k.Name {
			continue
		}
		if declared[d.Name] {
			errs = append(errs, fmt.Errorf("%s %q is declared twice", k.Name, d.Name))
		}
		declared[d.Name] = true
		n := &node{kind: k, desired: d, key: Key{{k.Name, d.Name}}, base: r.baseTop(k, d)}
		g.declared = append(g.declared, n)
		if d.PinnedID == "" {
			continue
		}
		l, ok := byID[d.PinnedID]
		switch {
		case !ok:
			errs = append(errs, &missingPin{kind: k, name: d.Name, id: d.PinnedID})
		case claimed[l.ID] != "":
			errs = append(errs, fmt.Errorf("%s %q and %q pin the same id %s", k.Plural, claimed[l.ID], d.Name, l.ID))
		default:
			claimed[l.ID] = d.Name
			n.live = l
		}
	}
	for _, n := range g.declared {
		if n.desired.PinnedID != "" {
			continue
		}
		var found []*provider.Live
		for _, l := range lives {
			if l.Name == n.desired.Name && claimed[l.ID] == "" {
				found = append(found, l)
			}
		}
		if len(found) == 0 {
			continue
		}
		// Lists are oldest first: the oldest is the declared object, the
		// younger ones twins the plan removes (see objectChanges).
		for _, l := range found {
			claimed[l.ID] = n.desired.Name
		}
		n.live, n.twins = found[0], found[1:]
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, l := range lives {
		if claimed[l.ID] != "" {
			continue
		}
		if r.t.Prune {
			g.pruned = append(g.pruned, &node{kind: k, live: l, key: Key{{k.Name, l.Name}}})
		} else {
			g.reported = append(g.reported, l)
		}
	}
	return g, nil
}

// missingPin is a pinned id the target's list does not hold.
type missingPin struct {
	kind     *provider.Kind
	name, id string
	why      string // what a read of the id said, when it says more
}

func (e *missingPin) Error() string {
	if e.why != "" {
		return fmt.Sprintf("%s %q: pinned id %s %s", e.kind.Name, e.name, e.id, e.why)
	}
	return fmt.Sprintf("%s %q: pinned id %s does not exist live", e.kind.Name, e.name, e.id)
}

// explainPins reads the pinned ids the target's list lacks: one answering
// 403 belongs to another target than the one the credential opens (a wrong
// token in the variable), which is worth saying plainly before anything is
// written.
func (r *targetRun) explainPins(ctx context.Context, k *provider.Kind, err error) error {
	if k.Get == nil {
		return err
	}
	var all []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		all = j.Unwrap()
	} else {
		all = []error{err}
	}
	for _, e := range all {
		mp, ok := e.(*missingPin)
		if !ok {
			continue
		}
		switch _, gerr := k.Get(ctx, r.sess, mp.id); {
		case gerr == nil:
			mp.why = fmt.Sprintf("answers, but the %s's list of %s lacks it", r.t.Kind, k.Plural)
		case r.prov.Classify(gerr).Status == 403:
			cred := r.t.TokenEnv
			if cred == "" {
				cred = "the minted token"
			}
			mp.why = fmt.Sprintf("belongs to another %[1]s: the credential (%[2]s) opens a different %[1]s than %[3]s, so nothing is planned here",
				r.t.Kind, cred, r.t.ID)
		}
	}
	return err
}

func liveIDs(lives []*provider.Live) []string {
	ids := make([]string, len(lives))
	for i, l := range lives {
		ids[i] = l.ID
	}
	return ids
}

// read fetches what the top-level lists lack: the full object when a list
// item is partial (declared and pruned objects), and the children of every
// declared object that exists live.
func (r *targetRun) read(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(childReadParallelism)
	get := func(n *node) {
		if !n.live.Partial || n.kind.Get == nil {
			return
		}
		id, name := n.live.ID, n.live.Name
		g.Go(func() error {
			full, err := n.kind.Get(ctx, r.sess, id)
			if err != nil {
				return fmt.Errorf("read %s %q (%s): %w", n.kind.Name, name, id, err)
			}
			n.live = full
			return nil
		})
	}
	type list struct {
		n     *node
		kind  string
		lives []*provider.Live
	}
	var lists []*list
	for _, tg := range r.tops {
		for _, n := range tg.declared {
			if n.live == nil {
				continue
			}
			id, name := n.live.ID, n.live.Name
			get(n) // replaces n.live: read it no more until Wait
			for _, ck := range r.childKinds(n.kind.Name) {
				if ck.Derived != nil {
					continue
				}
				l := &list{n: n, kind: ck.Name}
				lists = append(lists, l)
				g.Go(func() error {
					lives, err := ck.List(ctx, r.sess, id)
					if err != nil {
						return fmt.Errorf("list %s of %s %q (%s): %w", ck.Plural, n.kind.Name, name, id, err)
					}
					l.lives = lives
					return nil
				})
			}
		}
		for _, n := range tg.pruned {
			get(n)
		}
		for _, n := range tg.declared {
			for i, tw := range n.twins {
				if !tw.Partial || n.kind.Get == nil {
					continue
				}
				id, name := tw.ID, tw.Name
				g.Go(func() error {
					full, err := n.kind.Get(ctx, r.sess, id)
					if err != nil {
						return fmt.Errorf("read %s %q (%s): %w", n.kind.Name, name, id, err)
					}
					n.twins[i] = full
					return nil
				})
			}
		}
	}
	err := g.Wait()
	for _, l := range lists {
		if l.n.children == nil {
			l.n.children = map[string][]*provider.Live{}
		}
		l.n.children[l.kind] = l.lives
	}
	return err
}

// changes computes every change of the target, unordered.
func (r *targetRun) changes() ([]Change, error) {
	var out []Change
	var errs []error
	for _, g := range r.tops {
		for _, n := range g.declared {
			cs, err := r.objectChanges(n)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %q: %w", g.kind.Name, n.desired.Name, err))
				continue
			}
			out = append(out, cs...)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, g := range r.tops {
		k := g.kind
		for _, n := range g.pruned {
			before, _, err := r.liveMap(n)
			if err != nil {
				return nil, fmt.Errorf("%s %q: %w", k.Name, n.live.Name, err)
			}
			reason := fmt.Sprintf("no manifest declares this %s and the %s sets prune: true", k.Name, r.t.Kind)
			if c := n.live.Cascade; c > 0 {
				reason += fmt.Sprintf("; its %d %s(s) are deleted with it", c, r.cascadeNoun(k))
			}
			c := Change{Op: OpDelete, Kind: k.Name, Key: n.key, ID: n.live.ID,
				Before: before, Fingerprint: n.live.Fingerprint, Cascade: n.live.Cascade,
				Reason: reason, Drift: r.addedByHand(k, n.live)}
			if k.Essential != nil {
				c.Essential = k.Essential(n.live.Fields)
			}
			if k.Delete == nil {
				c = cannot(c, fmt.Sprintf("no manifest declares this %s and the %s sets prune: true, but the API cannot delete %s: it stays",
					k.Name, r.t.Kind, k.Plural))
				c.Cascade, c.Essential = 0, ""
			}
			out = append(out, c)
		}
		for _, l := range g.reported {
			out = append(out, Change{Op: OpReport, Kind: k.Name, Key: Key{{k.Name, l.Name}}, ID: l.ID,
				Reason: fmt.Sprintf("unmanaged: no manifest declares this %s (left alone; prune: true would delete it)", k.Name)})
		}
	}
	return out, nil
}

// cascadeNoun names what a deleted object of kind k takes with it: its one
// child kind, or "object".
func (r *targetRun) cascadeNoun(k *provider.Kind) string {
	var names []string
	for _, ck := range r.childKinds(k.Name) {
		if ck.Derived == nil {
			names = append(names, ck.Name)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return "object"
}

// objectChanges plans one declared object: itself, then its children kind
// by kind.
func (r *targetRun) objectChanges(n *node) ([]Change, error) {
	desired, err := r.desiredMap(n)
	if err != nil {
		return nil, err
	}
	var out []Change
	var createErr error
	if n.live == nil {
		if missing := missingFields(n.kind, desired); len(missing) > 0 {
			createErr = fmt.Errorf("does not exist live, and creating it needs %s (the API requires them; a base may supply them)",
				strings.Join(missing, ", "))
		}
		out = append(out, withSources(Change{Op: OpCreate, Kind: n.kind.Name, Key: n.key, ParentID: n.parentID(), After: desired,
			Reason: "declared, not found live", Drift: n.base != nil}, n.desired))
	} else {
		c, changed, err := r.compare(n, desired)
		if err != nil {
			return nil, err
		}
		if changed {
			out = append(out, withSources(c, n.desired))
		}
	}
	if len(n.twins) > 0 {
		cs, err := r.twinDeletes(n, desired)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	for _, ck := range r.childKinds(n.kind.Name) {
		var cs []Change
		var err error
		if ck.Derived != nil {
			cs, err = r.derivedChanges(n, ck, out)
		} else {
			cs, err = r.childChanges(n, ck)
		}
		if err != nil {
			return nil, errors.Join(createErr, err)
		}
		out = append(out, cs...)
	}
	if createErr != nil {
		return nil, createErr
	}
	return out, nil
}

// missingFields lists the fields a create of kind k needs that desired lacks.
func missingFields(k *provider.Kind, desired value.Map) []string {
	var missing []string
	for _, f := range k.RequiredForCreate {
		if _, ok := desired[f]; !ok {
			missing = append(missing, f)
		}
	}
	return missing
}

// compare diffs a declared object that exists live: an update (After is the
// live object overlaid with the declared fields: the full body to send), a
// replace when a field the kind cannot change in place differs, or nothing.
func (r *targetRun) compare(n *node, desired value.Map) (Change, bool, error) {
	before, keep, err := r.liveMap(n)
	if err != nil {
		return Change{}, false, err
	}
	c := Change{Kind: n.kind.Name, Key: n.key, ID: n.live.ID, ParentID: n.parentID(), Before: before,
		Fingerprint: n.live.Fingerprint}
	for _, f := range n.kind.ForceNew {
		want, declared := desired[f]
		if !declared || sameDeclared(before[f], want) || value.SameDeclared(before[f], want) {
			continue
		}
		c.Op, c.After = OpReplace, desired
		c.Diffs = []FieldDiff{{Path: f, Before: before[f], After: want}}
		c.Reason = fmt.Sprintf("%s changes from %v to %v: the API cannot change it in place", f, before[f], want)
		c.Drift = r.markDrift(n, c.Diffs)
		if n.kind.Delete == nil || n.kind.Create == nil {
			return cannot(c, fmt.Sprintf("%s changes from %v to %v, but the API can neither change it in place nor delete %s: it stays as it is",
				f, before[f], want, n.kind.Plural)), true, nil
		}
		return c, true, nil
	}
	if sameDeclared(before, desired) {
		return Change{}, false, nil // most objects of a settled fleet: no diff to compute
	}
	diffs, err := n.kind.Normalize.DiffDeclared(before, desired)
	if err != nil {
		return Change{}, false, err
	}
	if len(diffs) == 0 {
		return Change{}, false, nil
	}
	noun := n.kind.FieldsNoun
	if noun == "" {
		noun = "fields"
	}
	c.Op, c.Diffs = OpUpdate, diffs
	c.Reason = "declared " + noun + " differ from live"
	if before["name"] != desired["name"] {
		c.Reason = fmt.Sprintf("pinned id %s: renamed from %q; ", n.live.ID, before["name"]) + c.Reason
	}
	c.Drift = r.markDrift(n, diffs)
	c.After = value.DeepMerge(before, desired)
	c.KeepIDs = r.keptRefs(n.kind, c.After, keep)
	if n.kind.Update == nil {
		paths := make([]string, len(diffs))
		for i, d := range diffs {
			paths[i] = d.Path
		}
		return cannot(c, fmt.Sprintf("declared %s differ from live (%s), but the API has no update for %s: it stays as it is",
			noun, strings.Join(paths, ", "), n.kind.Plural)), true, nil
	}
	return c, true, nil
}

// sameDeclared reports whether live, cut down to what desired declares (as
// value.Project cuts it: nested objects recurse, lists of the same length
// item by item, a missing or null live field equals a declared zero value),
// equals desired, with no allocation. When it does,
// value.Normalizer.DiffDeclared finds no difference; when it does not, the
// diff decides (false means "not known to be equal"). It spares a settled
// fleet's plan the reflective diff of every object.
func sameDeclared(live, desired any) bool {
	switch d := desired.(type) {
	case value.Map:
		l, ok := live.(value.Map)
		if !ok {
			return false
		}
		for k, dv := range d {
			lv, ok := l[k]
			if !ok || lv == nil {
				if !value.IsZero(dv) {
					return false
				}
				continue
			}
			if !sameDeclared(lv, dv) {
				return false
			}
		}
		return true
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(d) {
			return false
		}
		for i := range d {
			if !sameDeclared(l[i], d[i]) {
				return false
			}
		}
		return true
	case string, float64, bool:
		return live == desired // same dynamic type and value; both comparable
	}
	return false
}

// cannot turns a change the API cannot make into a report that says so,
// keeping what differs: a plan never pretends.
func cannot(c Change, reason string) Change {
	c.Op, c.Reason, c.After, c.Drift, c.KeepIDs = OpReport, reason, nil, false, nil
	return c
}

// markDrift marks the diffs the baseline's declaration of n already wants.
func (r *targetRun) markDrift(n *node, diffs []FieldDiff) bool {
	if n.base == nil {
		return false
	}
	return value.MarkDrift(diffs, normalized(n.kind, n.base.Fields))
}

// normalized returns a normalized copy of declared fields.
func normalized(k *provider.Kind, fields value.Map) value.Map {
	m := value.Clone(fields)
	if m == nil {
		m = value.Map{}
	}
	return k.Normalize.NormalizeMap(m)
}

// childChanges plans the children of kind ck of the declared object n.
func (r *targetRun) childChanges(n *node, ck *provider.Kind) ([]Change, error) {
	live := n.children[ck.Name]
	byName := map[string][]*provider.Live{}
	for _, l := range live {
		byName[l.Name] = append(byName[l.Name], l)
	}
	var out []Change
	declared := map[string]bool{}
	for _, d := range n.desired.ChildrenOf(ck.Name) {
		if declared[d.Name] {
			return nil, fmt.Errorf("%s %q is declared twice", ck.Name, d.Name)
		}
		declared[d.Name] = true
		c := &node{kind: ck, desired: d, parent: n, key: n.key.Child(ck.Name, d.Name),
			base: baseChild(n.base, ck.Name, d.Name)}
		cs, err := r.childChange(c, byName[d.Name])
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", ck.Name, d.Name, err)
		}
		out = append(out, cs...)
	}
	var spared int
	for _, l := range live {
		if declared[l.Name] {
			continue
		}
		if !n.desired.Owns[ck.Name] {
			spared++
			continue
		}
		c := &node{kind: ck, live: l, parent: n, key: n.key.Child(ck.Name, l.Name)}
		before, _, err := r.liveMap(c)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", ck.Name, l.Name, err)
		}
		del := Change{Op: OpDelete, Kind: ck.Name, Key: c.key, ID: l.ID, ParentID: n.live.ID,
			Before: before, Fingerprint: l.Fingerprint,
			Reason: fmt.Sprintf("live %s the %s's %s: list does not declare", ck.Name, n.kind.Name, ck.Plural),
			Drift:  n.base != nil && n.base.Owns[ck.Name] && baseChild(n.base, ck.Name, l.Name) == nil}
		if ck.Delete == nil {
			del = cannot(del, fmt.Sprintf("live %s the %s's %s: list does not declare, but the API cannot delete %s: it stays",
				ck.Name, n.kind.Name, ck.Plural, ck.Plural))
		}
		out = append(out, del)
	}
	if spared > 0 {
		out = append(out, Change{Op: OpReport, Kind: ck.Name, Key: n.key, ParentID: n.live.ID,
			Reason: fmt.Sprintf("%d live %s(s) left alone: the manifest declares no %s: for this %s", spared, ck.Name, ck.Plural, n.kind.Name)})
	}
	return out, nil
}

// childChange plans one declared child against its live namesakes.
func (r *targetRun) childChange(n *node, live []*provider.Live) ([]Change, error) {
	desired, err := r.desiredMap(n)
	if err != nil {
		return nil, err
	}
	if len(live) == 0 {
		return []Change{withSources(Change{Op: OpCreate, Kind: n.kind.Name, Key: n.key, ParentID: n.parentID(), After: desired,
			Reason: "declared, not found live", Drift: n.base != nil}, n.desired)}, nil
	}
	n.live, n.twins = live[0], live[1:] // lists are oldest first
	var out []Change
	c, changed, err := r.compare(n, desired)
	if err != nil {
		return nil, err
	}
	if changed {
		out = append(out, withSources(c, n.desired))
	}
	if len(n.twins) > 0 {
		cs, err := r.twinDeletes(n, desired)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// derivedChanges asks a derived kind's Plan about the declared object n's
// child of kind ck; earlier are n's changes planned so far.
func (r *targetRun) derivedChanges(n *node, ck *provider.Kind, earlier []Change) ([]Change, error) {
	var out []Change
	for _, d := range n.desired.ChildrenOf(ck.Name) {
		in := &provider.PlanInput{Desired: d, Parent: n.desired, BaselineParent: n.base,
			Baseline: baseChild(n.base, ck.Name, d.Name)}
		if n.live != nil {
			in.From = n.children[ck.Derived.From]
		}
		in.Rebuilt = func(name string) (bool, bool) {
			for _, c := range earlier {
				if c.Kind == ck.Derived.From && c.Name() == name && (c.Op == OpCreate || c.Op == OpReplace) && c.ParentKey().Equal(n.key) {
					return c.Drift, true
				}
			}
			return false, false
		}
		p, err := ck.Plan(in)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		key := n.key
		if d.Name != "" {
			key = n.key.Child(ck.Name, d.Name)
		}
		op := OpUpdate
		if p.Create {
			op = OpCreate
		}
		parentID := ""
		if n.live != nil {
			parentID = n.live.ID
		}
		out = append(out, withSources(Change{Op: op, Kind: ck.Name, Key: key, ParentID: parentID, Before: p.Before, After: p.After,
			Diffs: p.Diffs, Reason: p.Reason, Drift: p.Drift, Fingerprint: p.Fingerprint}, d))
	}
	return out, nil
}

// baseTop is the baseline's declaration of top-level object d: the one
// pinning the same id, else the one with the same name (unless both pin
// different ids). It is nil when the baseline does not declare it (or there
// is no baseline).
func (r *targetRun) baseTop(k *provider.Kind, d *provider.Desired) *provider.Desired {
	if r.base == nil {
		return nil
	}
	if d.PinnedID != "" {
		for _, b := range r.base.Objects {
			if b.Kind == k.Name && b.PinnedID == d.PinnedID {
				return b
			}
		}
	}
	for _, b := range r.base.Objects {
		if b.Kind == k.Name && b.Name == d.Name && (d.PinnedID == "" || b.PinnedID == "" || b.PinnedID == d.PinnedID) {
			return b
		}
	}
	return nil
}

// baseChild is the baseline parent's child of kind named name, or nil.
func baseChild(parent *provider.Desired, kind, name string) *provider.Desired {
	if parent == nil {
		return nil
	}
	for _, c := range parent.Children {
		if c.Kind == kind && c.Name == name {
			return c
		}
	}
	return nil
}

// addedByHand reports whether a live top-level object prune deletes was
// added outside agentform: the baseline already pruned the target and did
// not declare the object either.
func (r *targetRun) addedByHand(k *provider.Kind, l *provider.Live) bool {
	if r.base == nil || !r.base.Prune {
		return false
	}
	for _, b := range r.base.Objects {
		if b.Kind == k.Name && (b.PinnedID == l.ID || (b.PinnedID == "" && b.Name == l.Name)) {
			return false
		}
	}
	return true
}

// sourceOf says where the declared value at path of d was written,
// "file:line", or "".
func sourceOf(d *provider.Desired, path string) string {
	if d == nil {
		return ""
	}
	p, ok := d.Sources.Of(value.Positional(d.Fields, path))
	if !ok || p.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// withSources sets where each diff's desired value, and for a create or
// replace each field of After, was written.
func withSources(c Change, d *provider.Desired) Change {
	if d == nil || d.Sources.Len() == 0 {
		return c
	}
	for i := range c.Diffs {
		c.Diffs[i].Source = sourceOf(d, c.Diffs[i].Path)
	}
	if c.Op == OpCreate || c.Op == OpReplace {
		for _, path := range leafPaths("", c.After) {
			if src := sourceOf(d, path); src != "" {
				if c.Sources == nil {
					c.Sources = map[string]string{}
				}
				c.Sources[path] = src
			}
		}
	}
	return c
}

// leafPaths lists the dotted paths of an object's leaves, as the renderers
// show them: objects recurse, lists are leaves.
func leafPaths(prefix string, m map[string]any) []string {
	var out []string
	for k, v := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			out = append(out, leafPaths(p, sub)...)
			continue
		}
		out = append(out, p)
	}
	return out
}

// twinDeletes plans the removal of the twins of declared object n: younger
// live objects with its name that equal what the manifest declares (two
// applies that ran at once each created one). The oldest stays. A namesake
// that differs is not agentform's: the target fails with the ways out.
func (r *targetRun) twinDeletes(n *node, desired value.Map) ([]Change, error) {
	var out []Change
	var differ []string
	for _, tw := range n.twins {
		t := &node{kind: n.kind, live: tw, parent: n.parent, key: n.key}
		m, _, err := r.liveMap(t)
		if err != nil {
			return nil, err
		}
		if n.kind.Delete == nil || !value.SameDeclared(m, desired) {
			differ = append(differ, tw.ID)
			continue
		}
		out = append(out, Change{Op: OpDelete, Kind: n.kind.Name, Key: n.key, ID: tw.ID, ParentID: n.parentID(),
			Before: m, Fingerprint: tw.Fingerprint, Cascade: tw.Cascade, DuplicateOf: n.live.ID,
			Reason: fmt.Sprintf("duplicate of id %s (same name, same declared %s): two applies created it at once; the oldest stays",
				n.live.ID, fieldsNoun(n.kind))})
	}
	if len(differ) == 0 {
		return out, nil
	}
	ids := append([]string{n.live.ID}, differ...)
	way := fmt.Sprintf("pin the one to keep with `id: <id>` under this %s in %s:%d (the others are then left alone, or deleted where the %s prunes), or rename or delete the others in the %s",
		n.kind.Name, n.desired.Pos.File, n.desired.Pos.Line, r.t.Kind, r.t.Kind)
	if n.parent != nil {
		way = fmt.Sprintf("rename or delete all but one in the %s", r.t.Kind)
	}
	return nil, fmt.Errorf("%d live %s have this name (ids %s) and the younger ones differ from what the manifest declares, so they are not twins an apply left behind: %s",
		len(ids), n.kind.Plural, strings.Join(ids, ", "), way)
}

// fieldsNoun is what a kind's declared fields are called in reasons.
func fieldsNoun(k *provider.Kind) string {
	if k.FieldsNoun == "" {
		return "fields"
	}
	return k.FieldsNoun
}
