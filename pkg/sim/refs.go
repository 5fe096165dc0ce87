package sim

// checkAgentRefs and checkActionRefs check the ids of location-owned objects
// against the location's lookups (filled in by the lookups step).
func (c *call) checkAgentRefs(chk *checker, a *AgentState) {}

func (c *call) checkActionRefs(chk *checker, typ string, details map[string]any) {}
