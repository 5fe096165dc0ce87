package apply

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

// preflight re-reads what the location's changes were computed from and
// returns one message per object that moved, vanished or appeared since the
// plan was made. It writes nothing. It also seeds the resolver with live ids.
func (l *locationRun) preflight(ctx context.Context) ([]string, error) {
	need := l.reads()
	var (
		mu      sync.Mutex
		agents  = map[string]*api.Agent{} // by id; nil when not found
		actions = map[string][]api.Action{}
		gone    = map[string]bool{} // agent ids whose action list is not found
		live    []api.AgentSummary
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(l.opts.StepParallelism)
	if need.all {
		g.Go(func() error {
			all, err := l.w.AllAgents(gctx)
			if err != nil {
				return fmt.Errorf("list agents: %w", err)
			}
			mu.Lock()
			live = all
			mu.Unlock()
			return nil
		})
	}
	for _, id := range need.agents {
		g.Go(func() error {
			a, err := l.w.GetAgent(gctx, id)
			if err != nil && !api.IsNotFound(err) {
				return fmt.Errorf("get agent %s: %w", id, err)
			}
			mu.Lock()
			agents[id] = a
			mu.Unlock()
			return nil
		})
	}
	for _, id := range need.actions {
		g.Go(func() error {
			list, err := l.w.ListActions(gctx, id)
			if err != nil && !api.IsNotFound(err) {
				return fmt.Errorf("list actions of agent %s: %w", id, err)
			}
			mu.Lock()
			actions[id], gone[id] = list, err != nil
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	l.res.seedLiveAgents(live)
	for _, c := range l.lp.Changes {
		if c.AgentID != "" && (c.Kind == plan.KindFollowup || c.Kind == plan.KindAction) {
			l.res.seedLiveActions(c.Agent, actions[c.AgentID])
		}
	}
	return l.compare(live, agents, actions, gone), nil
}

// reads are the live reads the pre-flight needs.
type reads struct {
	all     bool     // AllAgents: creates and references need the live names
	agents  []string // GetAgent ids
	actions []string // ListActions agent ids
}

func (l *locationRun) reads() reads {
	var r reads
	agentIDs, actionIDs := map[string]bool{}, map[string]bool{}
	for _, c := range l.lp.Changes {
		switch c.Kind {
		case plan.KindAgent:
			switch c.Op {
			case plan.OpCreate:
				r.all = true
			case plan.OpUpdate, plan.OpDelete, plan.OpReplace:
				if c.ID != "" && c.Fingerprint != "" {
					agentIDs[c.ID] = true
				}
				if c.Op == plan.OpReplace {
					r.all = true
				}
			}
		case plan.KindAction:
			if c.Op == plan.OpReport {
				continue
			}
			if c.Op != plan.OpDelete {
				r.all = true // the payload may name other agents
			}
			if c.AgentID != "" {
				actionIDs[c.AgentID] = true
			}
		case plan.KindFollowup:
			if c.Op != plan.OpReport && c.AgentID != "" {
				actionIDs[c.AgentID] = true
			}
		}
	}
	r.agents, r.actions = sortedKeys(agentIDs), sortedKeys(actionIDs)
	return r
}

// compare checks every change against the live reads.
func (l *locationRun) compare(live []api.AgentSummary, agents map[string]*api.Agent, actions map[string][]api.Action, gone map[string]bool) []string {
	var moved []string
	liveByName := map[string][]string{}
	for _, a := range live {
		liveByName[a.Name] = append(liveByName[a.Name], a.ID)
	}
	for _, c := range l.lp.Changes {
		switch {
		case c.Op == plan.OpReport:
		case c.Kind == plan.KindAgent && c.Op == plan.OpCreate:
			if ids := liveByName[c.Agent]; len(ids) > 0 {
				moved = append(moved, fmt.Sprintf("agent %q (id %s) was created since the plan was made", c.Agent, ids[0]))
			}
		case c.Kind == plan.KindAgent:
			if c.ID == "" || c.Fingerprint == "" {
				continue
			}
			a := agents[c.ID]
			if a == nil {
				moved = append(moved, fmt.Sprintf("agent %q (id %s) was deleted since the plan was made", c.Agent, c.ID))
			} else if plan.FingerprintAgent(a) != c.Fingerprint {
				moved = append(moved, fmt.Sprintf("agent %q (id %s) changed since the plan was made", c.Agent, c.ID))
			}
		case c.Kind == plan.KindAction:
			if c.AgentID == "" {
				continue // its agent is created by this plan
			}
			if gone[c.AgentID] {
				moved = append(moved, fmt.Sprintf("agent %q (id %s) was deleted since the plan was made", c.Agent, c.AgentID))
				continue
			}
			if msg := compareAction(c, actions[c.AgentID]); msg != "" {
				moved = append(moved, msg)
			}
		case c.Kind == plan.KindFollowup:
			if c.AgentID == "" || c.Fingerprint == "" {
				continue
			}
			if gone[c.AgentID] {
				moved = append(moved, fmt.Sprintf("agent %q (id %s) was deleted since the plan was made", c.Agent, c.AgentID))
			} else if plan.FingerprintFollowup(actions[c.AgentID]) != c.Fingerprint {
				moved = append(moved, fmt.Sprintf("follow-up settings of agent %q (id %s) changed since the plan was made", c.Agent, c.AgentID))
			}
		}
	}
	return dedupe(moved)
}

// compareAction checks one action change against its agent's live actions.
func compareAction(c plan.Change, live []api.Action) string {
	if c.Op == plan.OpCreate {
		for _, a := range live {
			if a.Name == c.Action {
				return fmt.Sprintf("action %q/%q (id %s) was created since the plan was made", c.Agent, c.Action, a.ID)
			}
		}
		return ""
	}
	if c.ID == "" || c.Fingerprint == "" {
		return ""
	}
	for _, a := range live {
		if a.ID == c.ID {
			if plan.FingerprintAction(a) != c.Fingerprint {
				return fmt.Sprintf("action %q/%q (id %s) changed since the plan was made", c.Agent, c.Action, c.ID)
			}
			return ""
		}
	}
	return fmt.Sprintf("action %q/%q (id %s) was deleted since the plan was made", c.Agent, c.Action, c.ID)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
