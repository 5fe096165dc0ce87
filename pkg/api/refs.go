package api

// agentReferenceKeys are the details keys, by action type, whose values are
// the id of another agent of the same location.
var agentReferenceKeys = map[string]string{
	ActionTransferBot:        "transferToBot",
	ActionAppointmentBooking: "transferAgent",
}

// AgentReferenceKey returns the details key of an action type whose value is
// the id of another agent of the location (transferBot.transferToBot,
// appointmentBooking.transferAgent), if the type has one. It is the one
// place that knows them: manifests, plans and exports write such a
// reference as the agent's name.
func AgentReferenceKey(actionType string) (key string, ok bool) {
	key, ok = agentReferenceKeys[actionType]
	return key, ok
}
