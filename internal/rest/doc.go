// Package rest is the HTTP machinery shared by agentform's API clients
// (pkg/api for HighLevel, pkg/api/krosai for KrosAI): the clock they wait
// on, backoff with full jitter, Retry-After parsing, per-key rate limiters
// that also obey the server's X-RateLimit-* headers, the retry loop that
// decides what may be sent again, base-URL checks and the default HTTP
// client.
//
// It knows nothing of either vendor's paths, bodies or error shapes: a
// client describes one attempt as a function returning an Outcome, and Run
// waits, retries and gives up by the client's Policy.
package rest
