// Package krosai is a typed client for the KrosAI agents platform
// (https://api.krosai.com): every endpoint of the contract we wrote from its
// public pages, internal/contract/openapi/krosai/krosai.openapi.json —
// agents (create, list, get, update, delete), voice sessions, conversations
// and their messages, knowledge bases (create, list) and their documents
// (multipart upload, list).
//
// It shares pkg/api's machinery (internal/rest): a limiter per account,
// retries with exponential backoff and full jitter on the shared api.Clock,
// Retry-After honoured, the same base-URL rule (https, or http for a
// loopback host only) and a default HTTP client that follows no redirect.
//
// # Choices where the KrosAI pages are silent
//
// These follow the "Suggested choices" of the contract notes
// (internal/contract/openapi/krosai/NOTES.md):
//
//   - Auth: "Authorization: Bearer <key>", as every agent page shows;
//     Options.Auth selects the "X-API-Key" header the Authentication page's
//     example uses instead.
//   - Every 2xx is success (the pages never state 200 or 201). List
//     endpoints answer bare JSON arrays, read whole: no pagination is
//     documented. An answer that is not an array is an error, never an
//     empty list.
//   - Optional strings (description, system_prompt, voice_id, a document's
//     error) are pointers: null and absent read as nil. Status and role stay
//     plain strings with constants for the documented values. Timestamps are
//     RFC 3339 with or without fractional seconds; an unreadable one is kept
//     as text, not an error.
//   - Errors: a non-2xx answer is an *Error whose Detail is the body's
//     "detail" (a string, or the messages of a list of validation errors),
//     else its "message", else the first line of the body.
//   - Rate limits: no numbers, headers or 429 body are documented. The
//     client paces 10 requests per second per account with a burst of 20
//     (Options.RateLimit/RateBurst), retries a 429 after its Retry-After and
//     obeys X-RateLimit-* headers should they appear.
//   - Retries: GET, PUT and DELETE are retried on 429, 5xx except 501 and
//     lost connections. A POST (create agent, conversation, knowledge base,
//     upload, voice session) is retried only when it certainly did not act
//     (a 429, or a connection that failed before the request was written);
//     when it may have acted it returns an *api.AmbiguousError, so that the
//     caller lists by name before it creates again: the API has no
//     idempotency key. A DELETE whose retry finds the agent gone succeeded.
//   - Uploads larger than 10 MiB (MaxDocumentSize) are refused before they
//     are sent; the server stays the authority (413).
//
// # Secrets
//
// The API key is sent in one header only and never appears in an error, a
// log line or a printed Account. The LiveKit room token of a conversation
// or voice session is a redact.Secret: it prints, logs and marshals as
// [REDACTED], and it is taught to Options.Redactor the moment it arrives;
// Token.Reveal() is for the one place that connects to the room. Request
// and answer bodies (which hold system prompts) are never logged.
package krosai
