package apply

import (
	"sync"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/plan"
)

// resolver maps names to ids in one location; it implements plan.Resolver and
// is safe for concurrent use. A name seen with two different live ids is
// ambiguous and never resolved (unless a change of this run sets it).
type resolver struct {
	mu        sync.Mutex
	agents    map[string]string
	actions   map[actionKey]string
	ambiguous map[string]bool // agent names held by several live agents
}

type actionKey struct{ agent, action string }

var _ plan.Resolver = (*resolver)(nil)

func newResolver() *resolver {
	return &resolver{
		agents:    map[string]string{},
		actions:   map[actionKey]string{},
		ambiguous: map[string]bool{},
	}
}

// AgentID returns the id of the agent named name.
func (r *resolver) AgentID(name string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.agents[name]
	return id, ok && id != ""
}

// ActionID returns the id of the action named action of agent.
func (r *resolver) ActionID(agent, action string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.actions[actionKey{agent, action}]
	return id, ok && id != ""
}

// seedFromPlan records the live ids the plan carries: its declared live
// agents and the ids of its changes.
func (r *resolver) seedFromPlan(lp *plan.LocationPlan) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, id := range lp.LiveAgents {
		r.agents[name] = id
	}
	for _, c := range lp.Changes {
		switch c.Kind {
		case plan.KindAgent:
			if c.ID != "" && c.Op != plan.OpDelete && c.Op != plan.OpReport {
				r.agents[c.Agent] = c.ID
			}
		case plan.KindAction, plan.KindFollowup:
			if c.AgentID != "" {
				r.agents[c.Agent] = c.AgentID
			}
			if c.Kind == plan.KindAction && c.ID != "" && c.Op == plan.OpUpdate {
				r.actions[actionKey{c.Agent, c.Action}] = c.ID
			}
		}
	}
}

// seedLiveAgents records live agents whose names the plan did not already map.
func (r *resolver) seedLiveAgents(agents []api.AgentSummary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]string{}
	for _, a := range agents {
		if prev, ok := seen[a.Name]; ok && prev != a.ID {
			r.ambiguous[a.Name] = true
		}
		seen[a.Name] = a.ID
	}
	for name, id := range seen {
		if _, ok := r.agents[name]; ok || r.ambiguous[name] {
			continue
		}
		r.agents[name] = id
	}
}

// seedLiveActions records the live actions of agent whose names are unique
// and not already mapped.
func (r *resolver) seedLiveActions(agent string, actions []api.Action) {
	r.mu.Lock()
	defer r.mu.Unlock()
	count := map[string]int{}
	for _, a := range actions {
		count[a.Name]++
	}
	for _, a := range actions {
		k := actionKey{agent, a.Name}
		if _, ok := r.actions[k]; ok || count[a.Name] > 1 {
			continue
		}
		r.actions[k] = a.ID
	}
}

func (r *resolver) setAgent(name, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.agents[name] = id
	delete(r.ambiguous, name)
}

func (r *resolver) setAction(agent, action, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.actions[actionKey{agent, action}] = id
}
