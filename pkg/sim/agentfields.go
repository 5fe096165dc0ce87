package sim

import "slices"

var (
	modes         = []string{"off", "suggestive", "auto-pilot"}
	channelNames  = []string{"IG", "FB", "SMS", "WebChat", "WhatsApp", "Live_Chat"}
	waitUnits     = []string{"minutes", "seconds"}
	sleepUnits    = []string{"hours", "minutes", "seconds"}
	agentFieldSet = []string{
		"name", "businessName", "mode", "channels", "isPrimary", "waitTime", "waitTimeUnit",
		"sleepEnabled", "sleepTime", "sleepTimeUnit", "personality", "goal", "instructions",
		"autoPilotMaxMessages", "knowledgeBaseIds", "respondToImages", "respondToAudio",
		"sleepOnManualMessage", "sleepOnWorkflowMessage",
	}
	// maxima per unit from the documents.
	maxWait  = map[string]float64{"minutes": 5, "seconds": 300}
	maxSleep = map[string]float64{"hours": 48, "minutes": 2880, "seconds": 172800}
)

// newAgentDefaults is an agent with the CreateEmployeeDto defaults.
func newAgentDefaults() *AgentState {
	return &AgentState{
		Mode:                 "off",
		Channels:             []string{},
		WaitTime:             2,
		WaitTimeUnit:         "seconds",
		AutoPilotMaxMessages: 75,
		KnowledgeBaseIDs:     []string{},
		Actions:              []ActionState{},
	}
}

// applyAgentFields validates the fields present in body and writes them to a.
// create selects CreateEmployeeDto's required set, else UpdateEmployeeDto's.
func applyAgentFields(c *checker, body map[string]any, a *AgentState, create bool) {
	o := obj{c: c, m: body}
	o.only(agentFieldSet...)
	if v, ok := o.nonEmpty("name", create); ok {
		a.Name = v
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"personality", &a.Personality}, {"goal", &a.Goal}, {"instructions", &a.Instructions}, {"businessName", &a.BusinessName}} {
		required := create && f.key != "businessName"
		if v, ok := o.str(f.key, required); ok {
			*f.dst = v
		}
	}
	if v, ok := o.enum("mode", false, modes...); ok {
		a.Mode = v
	}
	if list, ok := o.strs("channels", false); ok {
		valid := true
		for _, ch := range list {
			if !slices.Contains(channelNames, ch) {
				c.addf("each value in channels must be one of the following values: IG, FB, SMS, WebChat, WhatsApp, Live_Chat")
				valid = false
				break
			}
		}
		if len(slices.Compact(slices.Sorted(slices.Values(list)))) != len(list) {
			c.addf("All channels's elements must be unique")
			valid = false
		}
		if valid {
			a.Channels = list
		}
	}
	if v, ok := o.boolean("isPrimary", false); ok {
		a.IsPrimary = v
	}
	if v, ok := o.num("waitTime", false); ok {
		a.WaitTime = v
	}
	if v, ok := o.enum("waitTimeUnit", false, waitUnits...); ok {
		a.WaitTimeUnit = v
	}
	if v, ok := o.boolean("sleepEnabled", false); ok {
		a.SleepEnabled = v
	}
	if o.isNull("sleepTime") {
		a.SleepTime = nil
	} else if v, ok := o.num("sleepTime", false); ok {
		if v == 0 {
			c.addf("sleepTime must be a positive number")
		} else {
			a.SleepTime = &v
		}
	}
	if o.isNull("sleepTimeUnit") {
		a.SleepTimeUnit = ""
	} else if v, ok := o.enum("sleepTimeUnit", false, sleepUnits...); ok {
		a.SleepTimeUnit = v
	}
	if v, ok := o.integer("autoPilotMaxMessages", !create, 1, 100); ok {
		a.AutoPilotMaxMessages = v
	}
	if v, ok := o.strs("knowledgeBaseIds", false); ok {
		a.KnowledgeBaseIDs = v
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"respondToImages", &a.RespondToImages}, {"respondToAudio", &a.RespondToAudio}} {
		if v, ok := o.boolean(f.key, false); ok {
			*f.dst = v
		}
	}
	if v, ok := o.boolean("sleepOnManualMessage", false); ok {
		a.SleepOnManualMessage = &v
	}
	if v, ok := o.boolean("sleepOnWorkflowMessage", false); ok {
		a.SleepOnWorkflowMessage = &v
	}
	if !create {
		if b, _ := body["isPrimary"].(bool); b && !o.has("mode") {
			c.addf("mode should not be empty when isPrimary is true")
		}
	}
	checkAgentRules(c, a)
}

// checkAgentRules checks the cross-field limits on the resulting agent.
func checkAgentRules(c *checker, a *AgentState) {
	if limit := maxWait[a.WaitTimeUnit]; a.WaitTime > limit {
		c.addf("waitTime must not be greater than %g when waitTimeUnit is %s", limit, a.WaitTimeUnit)
	}
	if a.SleepTime != nil {
		// Silent in the document (kept choice, see the package doc): a
		// sleepTime without its unit cannot be read, so it is refused.
		if a.SleepTimeUnit == "" {
			c.addf("sleepTimeUnit should not be empty when sleepTime is set")
		} else if limit := maxSleep[a.SleepTimeUnit]; *a.SleepTime > limit {
			c.addf("sleepTime must not be greater than %g when sleepTimeUnit is %s", limit, a.SleepTimeUnit)
		}
	}
	// sleepEnabled true with sleepTime null (or never set) is an indefinite
	// sleep, as the document says; a set sleepTime needs its unit.
	if a.SleepEnabled && a.SleepTime != nil && a.SleepTimeUnit == "" {
		c.addf("sleepTimeUnit should not be empty when sleepEnabled is true")
	}
}
