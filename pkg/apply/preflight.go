package apply

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
)

// listKey names one List call: a kind under a parent id ("" for top-level).
type listKey struct{ kind, parentID string }

// getKey names one Get call.
type getKey struct{ kind, id string }

// liveReads are what the pre-flight read.
type liveReads struct {
	lists map[listKey][]*provider.Live
	gone  map[listKey]bool // lists whose parent was not found
	gets  map[getKey]*provider.Live
}

// preflight re-reads what the target's changes were computed from and
// returns one message per object that moved, vanished or appeared since the
// plan was made. It writes nothing. It also seeds the resolver with live ids.
func (l *targetRun) preflight(ctx context.Context) ([]string, error) {
	lists, gets := l.reads()
	rd := liveReads{lists: map[listKey][]*provider.Live{}, gone: map[listKey]bool{}, gets: map[getKey]*provider.Live{}}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.opts.StepParallelism)
	for _, lk := range lists {
		k := provider.KindNamed(l.prov, lk.kind)
		g.Go(func() error {
			lives, err := k.List(gctx, l.sess, lk.parentID)
			notFound := err != nil && lk.parentID != "" && l.prov.Classify(err).NotFound
			if err != nil && !notFound {
				if lk.parentID == "" {
					return fmt.Errorf("list %s: %w", k.Plural, err)
				}
				return fmt.Errorf("list %s of %s %s: %w", k.Plural, k.Parent, lk.parentID, err)
			}
			mu.Lock()
			rd.lists[lk], rd.gone[lk] = lives, notFound
			mu.Unlock()
			return nil
		})
	}
	for _, gk := range gets {
		k := provider.KindNamed(l.prov, gk.kind)
		g.Go(func() error {
			o, err := k.Get(gctx, l.sess, gk.id)
			if err != nil && !l.prov.Classify(err).NotFound {
				return fmt.Errorf("get %s %s: %w", k.Name, gk.id, err)
			}
			mu.Lock()
			rd.gets[gk] = o
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	l.seed(rd)
	return l.compare(rd), nil
}

// reads are the List and Get calls the pre-flight needs: every object a
// change was computed from (by Get when its kind has one, else in its
// parent's list), the lists creates must not find their names in, the
// lists of the objects payloads reference (to resolve their names), and
// every object the plan read without changing it (TargetPlan.Reads).
func (l *targetRun) reads() ([]listKey, []getKey) {
	var lists []listKey
	var gets []getKey
	list := func(kind, parentID string) {
		if k := (listKey{kind, parentID}); !slices.Contains(lists, k) {
			lists = append(lists, k)
		}
	}
	for _, c := range l.tp.Changes {
		if c.Op == plan.OpReport {
			continue
		}
		k := l.kind(c)
		top := k.Parent == ""
		switch {
		case k.Derived != nil:
			if c.ParentID != "" && c.Fingerprint != "" {
				list(k.Derived.From, c.ParentID)
			}
		case c.Op == plan.OpCreate:
			if top {
				list(k.Name, "")
			} else if c.ParentID != "" {
				list(k.Name, c.ParentID)
			}
		default:
			if c.ID != "" && c.Fingerprint != "" {
				switch {
				case k.Get != nil:
					if gk := (getKey{k.Name, c.ID}); !slices.Contains(gets, gk) {
						gets = append(gets, gk)
					}
				case top:
					list(k.Name, "")
				case c.ParentID != "":
					list(k.Name, c.ParentID)
				}
			}
			if c.Op == plan.OpReplace && top {
				list(k.Name, "")
			}
		}
		if c.Op == plan.OpDelete || k.Refs == nil {
			continue
		}
		for _, ref := range k.Refs(c.After) {
			rk := provider.KindNamed(l.prov, ref.Kind)
			if rk == nil || rk.ReadOnly { // plans hold the ids of read-only objects
				continue
			}
			switch scope, ok := c.Key.Scope(rk); {
			case !ok:
			case rk.Parent == "":
				list(rk.Name, "")
			case scope.Equal(c.ParentKey()) && c.ParentID != "":
				list(rk.Name, c.ParentID)
			}
		}
	}
	for _, rd := range l.tp.Reads {
		k := provider.KindNamed(l.prov, rd.Kind)
		switch {
		case k == nil:
		case k.Get != nil && !k.ReadOnly:
			if gk := (getKey{k.Name, rd.ID}); !slices.Contains(gets, gk) {
				gets = append(gets, gk)
			}
		case k.Parent == "":
			list(k.Name, "")
		case rd.ParentID != "":
			list(k.Name, rd.ParentID)
		}
	}
	slices.SortFunc(lists, func(a, b listKey) int {
		if a.kind != b.kind {
			return compareStrings(a.kind, b.kind)
		}
		return compareStrings(a.parentID, b.parentID)
	})
	return lists, gets
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// seed gives the resolver the live objects the pre-flight listed.
func (l *targetRun) seed(rd liveReads) {
	parents := map[string]plan.Key{} // parent id → its key
	for _, c := range l.tp.Changes {
		if c.ParentID != "" {
			parents[c.ParentID] = c.ParentKey()
		}
	}
	for lk, lives := range rd.lists {
		if lk.parentID == "" {
			l.res.seedLive(lk.kind, nil, lives)
		} else if pk, ok := parents[lk.parentID]; ok {
			l.res.seedLive(lk.kind, pk, lives)
		}
	}
}

// compare checks every change against the live reads.
func (l *targetRun) compare(rd liveReads) []string {
	var moved []string
	add := func(format string, args ...any) { moved = append(moved, fmt.Sprintf(format, args...)) }
	for _, c := range l.tp.Changes {
		if c.Op == plan.OpReport {
			continue
		}
		k := l.kind(c)
		obj := c.Object()
		parent := ""
		if pk := c.ParentKey(); len(pk) > 0 {
			parent = pk[len(pk)-1].Kind + " " + pk.String()
		}
		var within listKey
		if k.Parent == "" {
			within = listKey{k.Name, ""}
		} else {
			if c.ParentID == "" {
				continue // its parent is created by this plan
			}
			within = listKey{k.Name, c.ParentID}
			if k.Derived != nil {
				within.kind = k.Derived.From
			}
			if rd.gone[within] {
				add("%s (id %s) was deleted since the plan was made", parent, c.ParentID)
				continue
			}
		}
		switch {
		case k.Derived != nil:
			if c.Fingerprint != "" && k.Derived.Fingerprint(rd.lists[within]) != c.Fingerprint {
				add("%s of %s (id %s) changed since the plan was made", titleOf(k), parent, c.ParentID)
			}
		case c.Op == plan.OpCreate:
			for _, o := range rd.lists[within] {
				if o.Name == c.Name() {
					add("%s (id %s) was created since the plan was made", obj, o.ID)
					break
				}
			}
		case c.ID == "" || c.Fingerprint == "":
		case k.Get != nil:
			switch o := rd.gets[getKey{k.Name, c.ID}]; {
			case o == nil:
				add("%s (id %s) was deleted since the plan was made", obj, c.ID)
			case o.Fingerprint != c.Fingerprint:
				add("%s (id %s) changed since the plan was made", obj, c.ID)
			}
		default:
			i := slices.IndexFunc(rd.lists[within], func(o *provider.Live) bool { return o.ID == c.ID })
			switch {
			case i < 0:
				add("%s (id %s) was deleted since the plan was made", obj, c.ID)
			case rd.lists[within][i].Fingerprint != c.Fingerprint:
				add("%s (id %s) changed since the plan was made", obj, c.ID)
			}
		}
	}
	for _, read := range l.tp.Reads {
		k := provider.KindNamed(l.prov, read.Kind)
		if k == nil {
			continue
		}
		obj := read.Kind + " " + read.Key.String()
		var live *provider.Live
		if k.Get != nil && !k.ReadOnly {
			live = rd.gets[getKey{k.Name, read.ID}]
		} else {
			lk := listKey{k.Name, ""}
			if k.Parent != "" {
				lk.parentID = read.ParentID
			}
			i := slices.IndexFunc(rd.lists[lk], func(o *provider.Live) bool { return o.ID == read.ID })
			if i >= 0 {
				live = rd.lists[lk][i]
			}
		}
		switch {
		case live == nil:
			add("%s (id %s), which the plan refers to, was deleted since the plan was made", obj, read.ID)
		case read.Fingerprint != "" && live.Fingerprint != read.Fingerprint:
			add("%s (id %s), which the plan refers to, changed since the plan was made", obj, read.ID)
		}
	}
	return dedupe(moved)
}

// titleOf names a singleton kind in messages.
func titleOf(k *provider.Kind) string {
	if k.Title != "" {
		return k.Title
	}
	return k.Name
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
