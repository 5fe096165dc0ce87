// Package api is a typed client for HighLevel's Conversation AI API: one method
// per endpoint of apps/conversation-ai.json, on a Location handle that carries
// the location's token.
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
// Time: every wait (limiter, backoff, Retry-After) goes through
// Options.Clock, so tests make them instant with apitest.Clock. The retry
// loop, limiters and base-URL rules live in internal/rest, shared with the
// KrosAI client.
//
// A Client and its Locations are safe for concurrent use. Every call takes a
// context; cancelling it stops waits, backoff and the request in flight.
package api
