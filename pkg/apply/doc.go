// Package apply executes a plan.Plan against the Conversation AI API and
// reports what happened to every change.
//
// # Design
//
// Apply runs the locations of a plan concurrently (errgroup with SetLimit,
// Options.Parallelism, default 16). Each location's result is written at its
// index, so the report lists locations in plan order. One location's failure
// never stops or changes another: the group is never cancelled on error.
//
// Inside a location:
//
//  1. Connect: the Connector opens a Writer (it resolves the token). An error
//     fails that location and nothing is written there.
//  2. Pre-flight (reads only): every update, delete, replace and follow-up
//     change that carries a Fingerprint is checked against the live object
//     (GetAgent per agent, ListActions once per agent). Every create is checked
//     against the live names (AllAgents once, ListActions for actions of live
//     agents): an object that appeared under the same name since the plan was
//     made would otherwise be duplicated. If anything moved, vanished or
//     appeared, the location is refused as stale, naming each object
//     (`agent "Front Desk" (id X) changed since the plan was made`), and
//     nothing is written there. The same reads seed the Resolver.
//  3. Execute: a step starts once every change it depends on has succeeded
//     (Change.DependsOn, plus the implicit order below); independent steps run
//     concurrently, at most Options.StepParallelism (default 4) at once, inside
//     the client's per-location rate limit. The first failed step stops the
//     location: no new step starts, steps in flight finish, every step not run
//     is reported as skipped with the reason.
//
// Implicit order, on top of DependsOn: a follow-up change waits for every
// earlier action change of the same agent (an action PUT carries the action's
// details and could otherwise overwrite the follow-up settings just set); an
// agent delete waits for every earlier step (deletes come last in the plan).
//
// # Ids
//
// The Resolver maps names to ids per location: seeded from the plan (the ids
// of live objects it changes) and the pre-flight reads (live agents, which
// transfer references to unchanged agents need; live actions, which follow-up
// changes naming unchanged actions need), and updated with the id of every
// object created. A name held by two live objects is never resolved.
//
// # Faults
//
// Retries of idempotent requests come from pkg/api. A create whose answer was
// lost (api.IsAmbiguous) is never sent again blindly: the object is looked up
// by name first (agents: SearchAgents with the lower-case name, exact match;
// actions: ListActions of the agent, exact match). Exactly one match is
// adopted (StepResult.Adopted), then updated if its content differs from the
// desired payload; none is created once more (at most 3 attempts in all);
// more than one fails the step naming the ids. A delete answering not-found
// counts as deleted: pre-flight saw the object, so an earlier attempt that
// lost its answer removed it.
//
// # Interruption
//
// When ctx is cancelled no new step (or location) starts; steps in flight
// finish with a context that is not cancelled (context.WithoutCancel plus
// Options.StepTimeout), and the report is complete: the steps not run are
// skipped with the reason "interrupted".
package apply
