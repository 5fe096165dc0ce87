package apply

import (
	"sync"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
)

// resolver maps objects named by kind and key to their ids in one target; it
// is safe for concurrent use. A name seen with two different live ids is
// never resolved (unless a change of this run sets it).
type resolver struct {
	mu  sync.Mutex
	ids map[string]string
}

func newResolver() *resolver { return &resolver{ids: map[string]string{}} }

func objectKey(kind string, key plan.Key) string { return kind + "\x00" + key.String() }

// ID returns the id of the object of kind at key.
func (r *resolver) ID(kind string, key plan.Key) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.ids[objectKey(kind, key)]
	return id, ok && id != ""
}

// set records the id of an object this run created (or adopted).
func (r *resolver) set(kind string, key plan.Key, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids[objectKey(kind, key)] = id
}

// seedFromPlan records the live ids the plan carries: its declared live
// top-level objects, the parents of its changes, and the objects it updates
// (a top-level one it does not delete).
func (r *resolver) seedFromPlan(tp *plan.TargetPlan) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for kind, names := range tp.Live {
		for name, id := range names {
			r.ids[objectKey(kind, plan.Key{{Kind: kind, Name: name}})] = id
		}
	}
	for _, rd := range tp.Reads {
		r.ids[objectKey(rd.Kind, rd.Key)] = rd.ID
	}
	for _, c := range tp.Changes {
		if pk := c.ParentKey(); c.ParentID != "" && len(pk) > 0 {
			r.ids[objectKey(pk[len(pk)-1].Kind, pk)] = c.ParentID
		}
		if !c.Named() || c.ID == "" {
			continue
		}
		topLevel := len(c.Key) == 1
		if c.Op == plan.OpUpdate || (topLevel && c.Op == plan.OpReplace) {
			r.ids[objectKey(c.Kind, c.Key)] = c.ID
		}
	}
}

// seedLive records live objects of kind under the object at parent (nil
// for top-level ones) whose names are unique among them and not already
// mapped.
func (r *resolver) seedLive(kind string, parent plan.Key, lives []*provider.Live) {
	r.mu.Lock()
	defer r.mu.Unlock()
	count := map[string]int{}
	for _, o := range lives {
		count[o.Name]++
	}
	for _, o := range lives {
		k := objectKey(kind, parent.Child(kind, o.Name))
		if _, ok := r.ids[k]; ok || count[o.Name] > 1 {
			continue
		}
		r.ids[k] = o.ID
	}
}
