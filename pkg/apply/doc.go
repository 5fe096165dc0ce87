// Package apply executes a plan.Plan through its providers' kind descriptors
// and reports what happened to every change. It names no vendor, kind or
// field.
//
// # Design
//
// Apply runs the targets of a plan concurrently (errgroup with SetLimit,
// Options.Parallelism, default 16). Each target's result is written at its
// index, so the report lists targets in plan order. One target's failure
// never stops or changes another: the group is never cancelled on error.
//
// Inside a target:
//
//  1. Check: every change's kind is known to the target's provider and
//     every dependency points at an earlier change; otherwise nothing is done.
//  2. Connect: the Connector opens a session (it resolves the credential). An
//     error fails that target and nothing is written there.
//  3. Pre-flight (reads only): every change that carries a Fingerprint is
//     checked against the live object (Get when its kind has one, else its
//     parent's List; a derived kind's state from its parent's children).
//     Every create is checked against the live names (a List): an object
//     that appeared under the same name since the plan was made would
//     otherwise be duplicated. If anything moved, vanished or appeared, the
//     target is refused as stale, naming each object
//     (`agent "Front Desk" (id X) changed since the plan was made`), and
//     nothing is written there. The same reads, and the lists of objects that
//     payloads reference, seed the resolver.
//  4. Execute: a step starts once every change it depends on has succeeded
//     (Change.DependsOn, the plan's complete order: apply adds no edges of
//     its own); independent steps run concurrently, at most
//     Options.StepParallelism (default 4) at once, inside the client's
//     per-target rate limit. The first failed step stops the target: no new
//     step starts, steps in flight finish, every step not run is reported
//     as skipped with the reason.
//
// # Ids
//
// The resolver maps objects (kind and key) to ids per target: seeded from the
// plan (the ids of live objects it changes, the parents of its changes, its
// declared live top-level objects) and the pre-flight reads, and updated
// with the id of every object created. A name held by two live objects is
// never resolved. A step's payload has its references (the kind's Refs)
// resolved to ids before any call, so a replace never deletes what it
// cannot recreate.
//
// # Faults
//
// Retries of idempotent requests come from the providers' clients. A create
// whose answer was lost (Failure.Ambiguous) is never sent again blindly: the
// object is looked up by name first (the kind's Find, else its List). Exactly
// one match is adopted (StepResult.Adopted), then updated if it differs from
// the desired payload on what the payload declares; none is created once
// more (at most 3 attempts in all); more than one fails the step naming the
// ids. A delete answering not-found counts as deleted: pre-flight saw the
// object, so an earlier attempt that lost its answer removed it.
//
// # Interruption
//
// When ctx is cancelled no new step (or target) starts; steps in flight
// finish with a context that is not cancelled (context.WithoutCancel plus
// Options.StepTimeout), and the report is complete: the steps not run are
// skipped with the reason "interrupted".
package apply
