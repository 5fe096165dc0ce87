// Package bench measures agentform on generated fleets: the figures of the
// README's performance section come from it, and scripts/bench.sh runs it.
//
// # The fleet
//
// Fleet writes N locations of 5 agents x 4 actions (stopBot, humanHandOver,
// triggerWorkflow naming the location's workflow, transferBot naming the
// next agent): 25 objects. Manifests go to DIR/locations, one file per
// location by default (Fleet.PerFile puts several documents in a file), the
// agents from five shared bases (DIR/bases/bench) filled with each
// location's variables, or written out in full (Fleet.Inline). Seed files
// hold the company (CompanyID) and its locations with their workflow, and
// optionally the agents and actions as the API answers them, equal to the
// manifests, or with drift in every DriftEvery-th location (its first
// agent's mode, a missing action, an undeclared agent).
//
// # A run
//
// Run writes the manifests, then for each scenario seeds a fresh SQLite
// sandbox database from a seed file (what "agentform sandbox seed" does)
// and serves it on a loopback port (the handler and server "agentform
// sandbox serve" runs, in the harness process, so the harness reads the
// audit log: the requests by method and route), with rate limits off and
// the given latency. It runs the agentform binary as a subprocess with
// AGENTFORM_ENDPOINT pointing at it and credentials in its environment:
// every location's own token (its manifest's tokenEnv), or one agency token
// (HIGHLEVEL_AGENCY_TOKEN, HIGHLEVEL_COMPANY_ID) from which agentform mints
// each location's token. It records the command's wall time, CPU time,
// peak resident set size (its own, not the harness's: see Result.PeakRSS;
// the RSS over time is sampled from /proc on Linux), exit status and
// output size, and the CPU the sandbox used meanwhile.
//
//   - apply: locations seeded without agents; `agentform apply
//     --auto-approve` (its plan, then 25 creates per location), then `plan
//     --detailed-exitcode`, which must exit 0.
//   - plan: locations seeded with their agents; `plan --detailed-exitcode`
//     must exit 0.
//   - drift: the drifted seed; `plan --detailed-exitcode --out` must exit
//     2 and the saved plan must change exactly the drifted locations.
//   - validate: `agentform validate` of the manifests, the loader alone (no
//     sandbox).
//
// # Bounds
//
// With latency L and P locations at once (--parallelism, 16 by default):
//
//   - Bound is requests x L / P, the yardstick.
//   - Floor is the least time the engine's structure allows if every request
//     took exactly L and nothing else took time. Locations run P at a time,
//     so in ceil(N/P) waves. Inside a location, plan searches the agents,
//     then reads each agent and lists its actions 4 at a time: 1 +
//     ceil(10/4) = 4 requests in sequence. Apply runs up to 4 steps at once,
//     and each create is two requests in sequence (the create, then the list
//     of namesakes that makes racing applies converge): 1 (pre-flight
//     search) + 2 x ceil(25/4) = 15 requests in sequence, after its plan's
//     search (1). In agency mode every location first mints its token
//     (+1), and the first location's token is minted once up front (+1).
//     Floor is waves x that x L.
package bench
