// Package highlevel is agentform's provider for HighLevel Conversation AI
// (and its white-label brands): agents, their actions and their follow-up
// settings, in locations (sub-accounts). It describes each kind once for the
// generic engine (pkg/plan, pkg/apply), turns Location documents into
// targets, and holds HighLevel's token rules.
//
// # Reading a location
//
// One search (every page: 1 request per 100 agents), then, for each declared
// agent that exists live, GetAgent (search items lack personality and
// instructions) and ListActions (it carries every action's details, so no
// per-action GET); for each agent prune deletes, GetAgent (for the
// fingerprint and the number of actions deleted with it). Only GETs: a
// conversation-ai.readonly token suffices. This is the minimum the API
// allows: 1 + 2 requests per managed agent for a location under 100 agents.
//
// # Kinds
//
//   - agent: identity by name or pinned id (`id:`); channels and
//     knowledgeBaseIds compare as sets; creating one needs personality,
//     goal and instructions. An update sends the live settings overlaid with
//     the declared ones, so the service's handling of omitted fields cannot
//     wipe anything.
//   - action: identity by name inside its agent; a changed type is a replace;
//     workflowIds and tags compare as sets; transferBot.transferToBot and
//     appointmentBooking.transferAgent name another agent of the location
//     (api.AgentReferenceKey). details.followupSettings belong to the agent's
//     follow-up block, never to the action diff. An agent with an `actions:`
//     list owns its actions.
//   - followup: the follow-up settings of one agent. The API has no GET for
//     them: they live on advancedFollowup actions and one PATCH sets them for
//     a list of action ids. A change is planned when a named action is
//     created or replaced, lacks settings or has other ones; it is a create
//     when none has settings yet. workingHours are ordered by day. An action
//     taken out of the list keeps the settings it has (the API cannot clear
//     them). Drift: the settings diff is drift when the baseline's block
//     lists that action with the settings the manifest wants; missing
//     settings are drift when the baseline wanted them on that action; a
//     named action rebuilt by a drift change makes the change drift.
//
// # Tokens
//
// The token decides the location on the server. Credentials reads each
// location's token from its tokenEnv variable, refuses a missing one, a
// "Bearer " prefix, inner white space, an OAuth JWT claiming another
// location, and one token for two locations of a run (Reserve, before
// anything is read).
package highlevel
