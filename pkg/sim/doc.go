// Package sim is a sandbox that behaves like HighLevel's API: an
// http.Handler serving the 12 endpoints of apps/conversation-ai.json, the
// agency endpoints of apps/oauth.json and apps/locations.json (location
// tokens from an agency token, sub-account lists) and the lookup lists
// agents' actions refer to (workflows, calendars, custom fields, users,
// knowledge bases), with its own storage (an embedded SQLite database),
// tokens, rate limits, fault injection and audit log, so the tool can be
// tried and tested with no token and no network. Seed files (LoadSeed) load
// companies, locations, lookups, agents and known messages in bulk.
//
// The same server answers KrosAI's API (every path under /v1, which no
// HighLevel path uses): agents, voice sessions, conversations, knowledge
// bases and documents, with API keys bound to KrosAI accounts
// (MintKrosAIKey), from the same database and under the same faults,
// latency, rate limits (per account) and audit log (AuditEntry.Account).
// Package krosai holds it, and its documentation every KrosAI choice; the
// rest of this documentation is about HighLevel's paths.
//
// The sandbox follows the OpenAPI documents, not agentform's client: it
// decodes request bodies itself and answers with the documented shapes.
//
// # Choices where the documents are silent
//
// Routing and headers
//   - An unknown path or method answers 404 {"statusCode":404,"message":"Cannot GET /x","error":"Not Found"}
//     (NestJS' wording), before authentication.
//   - The checks run in this order: fault "reset", fault "5xx", route (404),
//     token (401), rate limit (429), Version header (400), fault "429",
//     scope (401), the endpoint itself, then faults "drop" and "truncated".
//     The audit log names the token's location whenever the token is known.
//   - The Version header: the service accepts more values than each document
//     lists (HighLevel's SDKs send one value for every module), so the
//     sandbox accepts DefaultAPIVersions (2021-04-15, 2021-07-28, 2023-02-21,
//     v3) whatever the endpoint; Options.APIVersions (CLI: --api-versions)
//     sets the list. A missing or other value answers 400 {"statusCode":400,
//     "message":"Version header must be one of: 2021-04-15, 2021-07-28,
//     2023-02-21, v3","error":"Bad Request"}.
//
// Tokens and scopes
//   - A token is bound to one location and a set of scopes. Missing or unknown
//     token: 401 {"statusCode":401,"message":"Invalid token: access token is invalid","error":"Unauthorized"}.
//   - MintToken reuses tokens: asked for a location and scope set that an
//     existing token has exactly (the order and repeats of scopes do not
//     matter; tokens another process wrote to the database count), it
//     returns that token and writes nothing, so repeated --sandbox runs and
//     "agentform sandbox token" do not grow the database. A different
//     scope set, such as read-only versus read and write, gets its own token.
//   - GET needs conversation-ai.readonly; POST, PUT, PATCH and DELETE need
//     conversation-ai.write. The scopes are independent: a write-only token
//     cannot read. Missing scope: 401 {"statusCode":401,"message":"The token is
//     not authorized for this scope."} as observed in the wild. The CLI's
//     "--scope write" mints both scopes.
//   - An agent id of another location: 403 {"statusCode":403,"message":"The
//     token does not have access to this location","error":"Forbidden"}.
//   - An unknown agent id: 400 {"message":"No Agent found for the id: <id>",
//     "error":"Bad Request","statusCode":400} (observed). An unknown action id,
//     or an action of another agent: 400 "No Action found for the id: <id>",
//     the same shape, so both unknown-id cases look alike to clients.
//   - Any location id is valid for a location token; its agents start empty.
//
// Agencies (companies) and their tokens
//   - Companies and their locations exist once seeded (LoadSeed, "agentform
//     sandbox seed"); a location can be marked as not having the app
//     installed (installed: false).
//   - MintAgencyToken (CLI: sandbox token --company) mints an agency token of
//     a seeded company; AgencyScopes(write) is the CLI's set: oauth.readonly,
//     oauth.write, locations.readonly and LocationScopes(write). A location
//     token (MintToken, sandbox token --location) from the CLI gets
//     LocationScopes(write): conversation-ai.readonly (and .write),
//     workflows.readonly, calendars.readonly, locations/customFields.readonly
//     and users.readonly. --scopes lists exact scopes instead.
//   - POST /oauth/locationToken (agency token with oauth.write; form body,
//     or JSON) answers {access_token, token_type: "Bearer", expires_in,
//     scope, locationId, companyId, userType: "Location", userId}. The new
//     token carries the agency token's location-level scopes (all but
//     oauth.*): a read-only agency credential mints tokens that only read.
//     Every call mints a new token; it expires after Options.TokenTTL (CLI:
//     sandbox serve --token-ttl; default 86399 s, the document's example),
//     and then answers 401 {"statusCode":401,"message":"Invalid JWT",
//     "error":"Unauthorized"}, the service's answer to an expired OAuth
//     token. Expired tokens are deleted at the next mint.
//   - Its errors: companyId or locationId missing, 422 ["companyId should
//     not be empty", ...]; companyId not the token's company, 401 "The token
//     does not have access to company <id>"; a location that is unknown or
//     of another company, 400 "Location <id> is not a sub-account of company
//     <companyId>"; a location without the app, 400 "The app is not
//     installed on location <id>" (HighLevel's OAuth endpoints answer 400
//     with a message for a location they refuse).
//   - An agency token on a location endpoint (Conversation AI, lookups), or
//     a location token on an agency one (locationToken, installedLocations):
//     401 {"statusCode":401,"message":"This authClass type is not allowed to
//     access this scope. Please reach out to the Platform team to get it
//     added.","error":"Unauthorized"}.
//   - GET /locations/search (agency or location token, locations.readonly):
//     the company's locations in seed order (order=desc reverses), skip
//     (default 0) and limit (default 10, 1..100, else 422); companyId
//     defaults to the token's and another answers 401 as above; email
//     filters on a seeded email. A location token sees its own location.
//     Items are {id, name} plus address and email when seeded.
//   - GET /oauth/installedLocations (agency token, oauth.readonly): any appId
//     (the sandbox has one app); companyId and appId required (422);
//     isInstalled, query (name substring) and locationId filter; skip
//     (default 0) and limit (default 20, 1..100); count is the company's
//     location count; installToFutureLocations is false.
//   - Rate limits of agency tokens are counted per company.
//
// Lookups (workflows, calendars, custom fields, users, knowledge bases)
//   - Seeded per location; served at GET /workflows/?locationId= ({workflows}),
//     GET /calendars/?locationId= ({calendars}), GET /locations/{id}/customFields
//     ({customFields}; model contact, opportunity or all), GET /users/?locationId=
//     ({users}) and GET /knowledge-bases/?locationId= ({success, data:
//     {knowledgeBases, activeCount, hasMore, lastKnowledgeBaseId}}), in the
//     documents' shapes, in seed order. Scopes: workflows.readonly,
//     calendars.readonly, locations/customFields.readonly, users.readonly;
//     the knowledge-base document declares no scope, so any location token
//     lists knowledge bases.
//   - locationId (or the path's location) must be the token's location, else
//     403 as above; a missing locationId answers 422 for workflows (whose
//     document lists 422) and 400 for the others. Knowledge bases: limit
//     default 20, 1..100, else 400; an unknown lastKnowledgeBaseId answers 400
//     "No Knowledge Base found for the id: <id>"; query filters names.
//   - References are checked only for a kind the location has seeded (a seed
//     list, even an empty one, marks the kind seeded): ids of an unseeded
//     kind are accepted as before, so locations that were never seeded keep
//     taking any id. For a seeded kind, an id the location does not have is
//     refused with 422, in the style of the other validation messages:
//     "details.calendarId must be the id of a calendar of this location: <id>",
//     "details.workflowIds must name workflows of this location: <id>",
//     "details.followupSequence.<i>.workflowId must be the id of a workflow
//     of this location: <id>", "details.contactFieldId must be the id of a
//     custom field of this location: <id>", "details.assignToUserId must be
//     the id of a user of this location: <id>", "knowledgeBaseIds must name
//     knowledge bases of this location: <id>". The checks run on POST and
//     PUT action, and on POST agent and on PUT agent when knowledgeBaseIds is
//     given. Objects deleted from a later seed do not invalidate stored
//     actions.
//
// Seed files (LoadSeed, ReadSeedFile, "agentform sandbox seed")
//   - YAML, or JSON when the file starts with "{" (faster for big fleets):
//     companies: [{id, name, locations: [{id, name, address, email,
//     installed, workflows: [{id, name, status}], calendars: [{id, name}],
//     customFields: [{id, name, fieldKey, dataType, model}], users: [{id,
//     name, firstName, lastName, email}], knowledgeBases: [{id, name}],
//     agents: [...], generations: [{messageId, ...record}]}]}]. Unknown
//     fields are errors; errors name the file, the line (YAML; for JSON the
//     line of syntax errors) and the path (companies[0].locations[2]...).
//   - Agents are as GET agent answers them, with "actions" holding whole
//     actions as GET actions/list answers them ({id, name, type, details},
//     follow-up settings inside details). They pass the same validation as
//     POST agent and POST action, reference checks included. Ids are
//     optional: an agent or action with an id replaces the stored one (an
//     agent's id may not belong to another location); without, it is added
//     with a new id. An isPrimary agent becomes the only primary; a location
//     left without a primary gets its oldest agent as primary.
//   - A seed is one transaction: loaded whole or not at all. Companies and
//     locations are created or updated (a location may move to another
//     company); a lookup list replaces that kind's objects of the location;
//     generations with only a messageId get a derived record.
//
// Validation (422 {"statusCode":422,"message":[...],"error":"Unprocessable Entity"})
//   - Malformed JSON or a body that is not an object: 400.
//   - Properties the DTO does not declare are rejected ("property x should not
//     exist", NestJS' whitelist), in agent bodies and in action details alike.
//   - null is accepted only for an agent's sleepTime and sleepTimeUnit, where
//     it clears the value. Every other field must have its documented type.
//   - name must be non-empty. Numbers must be finite and not negative;
//     autoPilotMaxMessages, dayOfTheWeek, hours and minutes must be integers.
//   - sleepEnabled true with sleepTime null (or never set) is an indefinite
//     sleep and is accepted, as the document says ("Set to null for
//     indefinite sleep"); the agent answers without sleepTime.
//   - Silent in the document, kept: a set sleepTime needs a sleepTimeUnit
//     ("sleepTimeUnit should not be empty when sleepTime is set"), and
//     sleepTime > 0.
//   - Channels must be unique.
//   - stopBotExamples: at least 2, for both detection types (the schema says
//     "minimum 2 required" without a condition). transferBot Custom needs
//     transferBotTriggerCondition and ≥ 2 transferBotExamples. humanHandOver
//     custom and contactRequest need ≥ 1 example. Action sleepTime/Unit are
//     required with reactivateEnabled (stopBot, humanHandOver) and
//     sleepAfterBooking (appointmentBooking), and sleepTime must be > 0.
//   - triggerWorkflow needs ≥ 1 workflowId (silent in the document: an empty
//     workflowIds is refused, as a trigger with nothing to trigger). A follow-up step with
//     aiEnabledMessage false needs customMessage; with triggerWorkflow true,
//     workflowId. Step ids are unique within a sequence.
//   - transferToBot and transferAgent must name an agent of the location other
//     than the action's own agent.
//   - workingHours: dayOfTheWeek 0..6 and unique; intervals within 00:00..24:00
//     with start before end.
//
// Agents
//   - Ids are 20-character alphanumerics; timestamps are RFC 3339 UTC with
//     milliseconds.
//   - The first agent of a location is primary. Creating or updating an agent
//     with isPrimary true makes it the only primary. Deleting the primary
//     promotes the oldest remaining agent.
//   - PUT agent is a partial update: omitted fields are kept. It requires
//     autoPilotMaxMessages (as documented) and mode when isPrimary is true.
//   - Agent answers also carry respondToImages and respondToAudio (settable
//     fields the response schema does not list) so a client can read back what
//     it wrote.
//   - Names need not be unique (as in HighLevel: no idempotency key).
//   - Deleting an agent deletes its actions. transferBot actions of other agents
//     that point at it are left as they are.
//
// Search
//   - Sorted by createdAt, then id. limit defaults to 10; 1..100, else 422.
//     query is a case-insensitive substring of the name.
//   - startAfter must be an agent id of the location, else 400 "No Agent found
//     for the id: <id>". It positions the page even when that agent does not
//     match the query.
//   - totalCount is the location's unfiltered agent count, as the schema says
//     ("Total number of agents in the location (unfiltered count)"); count is
//     the number of agents in this page.
//   - Items are EmployeeListItemDTO: no personality or instructions; goal is
//     the document's example shape {"prompt": "<goal>", "type": "custom",
//     "actionId": null}; actions are [{id,type}].
//   - limit above 100 answers 422 (the document is silent on a maximum).
//
// Actions and follow-up settings
//   - PUT action replaces name, type and details. Names need not be unique.
//   - PATCH followup-settings sets details.followupSettings on every listed
//     action (which must all be advancedFollowup actions of that agent, else
//     422) and answers {data: <the first listed action>, success: true}.
//   - Follow-up settings live on the action: deleting an action deletes its
//     settings and changes no other action.
//   - Defaults the schema declares are filled in stored details
//     (contactUpdateExamples [], aiEnabledMessage true, triggerWorkflow false).
//
// Generations
//   - Only known messages have a record: Server.AddGeneration (or a seed
//     file's generations) stores one per location and message id. Any other
//     messageId, including a message of another location, answers 400
//     {"statusCode":400,"message":"No AI generation found for the messageId:
//     <id>","error":"Bad Request"}, in the shape of the observed "No Agent
//     found" answer (the document lists 400, not 404). The source parameter
//     is validated but does not select the record.
//   - Records use the document's example shapes: faqs [{id, content, title}],
//     website [{id, content, url}], actionLogs [{"contactUpdateAction":
//     [{fieldId, value}]}], history [{role, content}]. AddGeneration with a
//     nil record derives one from sha256(location, messageId) and the
//     location's agents (an actionLog when an agent has an updateContactField
//     action).
//
// Rate limits and faults
//   - A fixed window per location: RateLimit requests per RateWindow, plus
//     DailyLimit per UTC day. Every authenticated request counts once, one
//     refused for its Version header or by validation included; requests
//     refused with 429 do not count. Every answer to
//     an authenticated request carries the X-RateLimit-* headers; 429 carries
//     Retry-After in whole seconds (at least 1). RateLimit < 0 disables both.
//   - Faults are drawn per request from a RNG seeded with Options.Seed, five
//     draws per request whatever happens, so a seed replays exactly.
//   - "drop" applies to write requests that reached their endpoint: the write
//     is done and saved, then the connection is closed without an answer.
//     "truncated" applies to successful searches: the answer keeps totalCount
//     and count but loses agents (a contract violation on purpose).
//
// State
//   - An embedded SQLite database (modernc.org/sqlite: pure Go, no cgo) at
//     Options.StatePath (the CLI's --state FILE), or an in-memory one when
//     StatePath is "". Its tables mirror the service: companies, locations,
//     tokens, agents, actions, lookups and generation messages; agents and
//     actions keep their API fields as JSON. KrosAI's tables (krosai_*:
//     accounts, keys, agents, knowledge bases, documents, conversations,
//     messages) live in the same database; a database from before KrosAI
//     gains them when it is opened.
//   - Every request runs in one transaction, committed before the answer is
//     written (a request answered 4xx or 5xx is rolled back and writes
//     nothing); no request rewrites the whole state. Write-ahead logging
//     (WAL) with synchronous=NORMAL: a kill -9 loses no acknowledged write
//     (a power cut may lose the last ones).
//   - Several processes may use one database at once: "agentform sandbox
//     token" and "sandbox seed" write to the database a "sandbox serve" is
//     serving, and it sees their tokens and data at its next request. A
//     process waits up to 30 s for another's lock (busy timeout). A new file
//     is created with mode 0600.
//   - A file that is not a SQLite database is refused, and an old JSON state
//     file (formatVersion 1) is refused with a message saying to delete it or
//     name another file: it is not migrated (it held only sandbox tokens and
//     test agents, and tokens are minted again in one command).
//   - Close checkpoints the log into the database file and closes it;
//     requests after Close answer 500.
package sim
