// Package api is a typed client for HighLevel's API as agentform uses it:
// one method per endpoint of apps/conversation-ai.json on a Location handle
// that carries the location's token, the agency calls of apps/oauth.json and
// apps/locations.json on an Agency handle, and read-only lookups of the
// workflows, calendars, custom fields, users and knowledge bases that
// actions name.
//
// # What the client does for the caller
//
//   - Pacing: one token-bucket limiter per location (default 100 requests per
//     10 s, burst 100). When an answer says X-RateLimit-Remaining: 0, every
//     request of that location waits X-RateLimit-Interval-Milliseconds; a 429's
//     Retry-After (seconds or HTTP date) holds the location the same way.
//   - Retries, with exponential backoff and full jitter: GET, PUT, PATCH and
//     DELETE are retried on 429, on 5xx except 501, on dropped connections and
//     on answers cut short. A POST is retried only when it certainly did not
//     act: on 429, and when the connection failed before its headers were
//     written. A POST that may have acted (5xx, a connection lost after
//     sending, a cancelled wait, a 2xx answer that cannot be read) returns an
//     *AmbiguousError: HighLevel has no idempotency key, so the caller must
//     look before it creates again. A Retry-After longer than two minutes (a
//     spent daily cap) ends the call with the 429 instead of waiting.
//   - A DELETE whose attempt may have acted and whose retry finds the object
//     gone has succeeded, and returns nil.
//   - Consistency: a search page whose counts disagree with its list, or that
//     has no list at all (as HighLevel once answered during an outage), is
//     retried like a failure and then is an error wrapping
//     ErrInconsistentAnswer, never an empty page; so is an id listed twice
//     while paginating.
//   - Errors: non-2xx answers are *Error values; IsNotFound, IsUnauthorized,
//     IsForbidden, IsValidation, IsRateLimited and IsAmbiguous classify them,
//     HighLevel's 400 "No Agent found for the id" counting as not found.
//   - Secrets: the token is sent in the Authorization header only. It never
//     appears in an error, in the debug log (method, path, location, status,
//     duration, attempt) or in a printed Location. Every token the client is
//     given or mints is taught to Options.Redactor (internal/redact), which
//     masks it, and any 12-byte fragment of it (a token echoed without its
//     "pit-" prefix), in error messages and logs; the CLI wraps its output
//     in the same Redactor. The default HTTP client follows no redirect.
//
// # Agencies and fleets
//
// Client.Agency makes a handle for an agency (company) token: AllLocations
// lists the company's sub-accounts (GET /locations/search),
// InstalledLocations where a marketplace app is installed (GET
// /oauth/installedLocations), and MintLocationToken turns the agency token
// into a location token (POST /oauth/locationToken, form body, oauth.write).
// AgencyTokens wraps the mint as a TokenSource for Client.LocationFrom: one
// mint per location per run shared by concurrent callers, tokens in memory
// only, a fresh mint on a 401 that does not speak of scope (once per
// request; a second 401 is final) and shortly before expires_in. Mint
// failures are *MintError values classified by IsNotInCompany,
// IsAppNotInstalled, IsWrongLocation and IsAgencyRejected; IsMissingScope
// and MissingScope name a scope a token lacks (oauth.write for the agency
// token).
//
// # Lookups
//
// ListWorkflows, ListCalendars, ListCustomFields, ListUsers and
// ListKnowledgeBases read, for one location, the objects that agent actions
// name by id, so that names can be resolved to ids. Each reads the whole
// list (knowledge bases page by page), and an answer without its list or
// with an id twice is an error, never an empty list. Their scopes:
// workflows.readonly, calendars.readonly, locations/customFields.readonly,
// users.readonly; the knowledge-base document names none.
//
// # Version header
//
// Every HighLevel request carries a Version header; the values agentform
// sends, per API family:
//
//	Conversation AI   Options.Version, default 2021-04-15 (DefaultVersion)
//	OAuth             2021-07-28 (VersionOAuth)
//	Locations         2021-07-28 (VersionLocations; search and custom fields)
//	Workflows         2021-07-28 (VersionWorkflows)
//	Users             2021-07-28 (VersionUsers)
//	Calendars         2021-04-15 (VersionCalendars)
//	Knowledge bases   2021-04-15 (VersionKnowledgeBases)
//
// Each is the one value its document's enum allows. Options.Version accepts
// any value, for HighLevel's other editions: the v3 documents send "v3",
// and HighLevel's official Node SDK (@gohighlevel/api-client 3.1.0) sends
// one value for every module, 2023-02-21 by default (its README shows
// 2021-07-28); the service accepts all four (2021-04-15, 2021-07-28,
// 2023-02-21, v3). Answers are read the same whatever was sent: unknown
// fields are ignored and a search item's goal may be a string or an object.
//
// # Retries compared with the official SDK
//
// HighLevel's Node SDK retries a 429 only when asked (its rateLimitRetry
// option) and otherwise hands the 429 to the caller. agentform always
// retries 429s, waiting out Retry-After and holding every request of the
// location meanwhile, because a plan or apply across hundreds of locations
// meets the burst limit as a matter of course.
//
// # Time and shared machinery
//
// Every wait (limiter, backoff, Retry-After) goes through
// Options.Clock, so tests make them instant with apitest.Clock. The retry
// loop, limiters and base-URL rules live in internal/rest, shared with the
// KrosAI client.
//
// A Client and its Locations are safe for concurrent use. Every call takes a
// context; cancelling it stops waits, backoff and the request in flight.
package api
