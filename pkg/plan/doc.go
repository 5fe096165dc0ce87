// Package plan computes what apply would change, for any provider, and holds
// the result as plain, versioned data. It knows objects only through their
// kinds' descriptors (pkg/provider): it names no vendor, kind or field.
//
// # Reading a target
//
// For each top-level kind, one List; then, concurrently (4 at a time), a Get
// for every declared or pruned object whose list item is partial, and one
// List per child kind for every declared object that exists live. Derived
// kinds (state kept on their parent's children) read nothing of their own.
// Nothing else, and only reads: a read-only credential suffices. Targets are
// read concurrently (Options.Parallelism). Kinds nest one level: top-level
// kinds and their children.
//
// # Identity and ownership
//
// An object is its name among its parent's children of its kind; a pinned
// id (Desired.PinnedID) selects that live top-level object whatever its name
// (a changed name is then an update, a rename; a pinned id not found live
// fails the target). Two live objects with a declared name fail the target
// with an error naming both ids; the other targets are still planned. Live
// top-level objects no manifest declares are reported (OpReport), or deleted
// when the target prunes. A declared object owns the children of the kinds
// in its Desired.Owns: the live ones it does not declare are deleted; other
// kinds' undeclared children are left alone (one OpReport says how many).
//
// # Diffing
//
// Only declared fields are compared (the kind's Normalizer.DiffDeclared),
// normalized the same way on both sides: a missing live field equals a
// declared zero value, objects compare declared keys only at any depth,
// lists of objects the Normalizer keys (Normalizer.Keys: follow-up steps by
// id) diff item by item, named by their key (followupSequence[id=2].
// customMessage), other lists of objects of the same length compare item by
// item on declared keys, other lists whole. A change of a ForceNew field is a
// replace. A create lacking a RequiredForCreate field fails the target.
//
// # References
//
// A kind's Refs name fields that hold the names of other objects (of a
// top-level kind anywhere in the target, of a child kind under the same
// parent). Before and After show names: live ids are translated to the name
// of the one object holding them, an id no object holds is kept as it is
// (Change.KeepIDs). A declared reference must name an object the plan keeps.
// Apply resolves names to ids.
//
// # Payloads
//
// After is the full body to send: for an update, the live object deep-merged
// with the declared fields (objects merge, lists and scalars replace); for a
// create, the declared fields.
//
// # Drift
//
// With Options.Baseline (the manifests of the base branch, `plan
// --baseline`), every change says whether it is intended (the manifests
// being planned change it) or drift (it undoes an edit made outside
// agentform, assuming the base branch was applied). The baseline object is
// the one pinning the same id, else the one with the same name under the
// same baseline parent; it is normalized and compared like the desired one.
//
//   - A field diff is drift (FieldDiff.Drift) when the baseline declares the
//     field with the value the manifest wants: live moved away from what was
//     merged. Otherwise it is intended.
//   - An update or replace is drift when any of its diffs is.
//   - A create is drift when the baseline declares the object: it was
//     deleted by hand.
//   - A child delete is drift when the baseline parent also owns that kind
//     and does not declare the child: it was added by hand.
//   - A top-level delete (prune) is drift when the baseline target also
//     prunes and declares no object of that name or pinned id.
//   - A derived kind's Plan says itself (see its provider).
//   - Reports are never drift; without a baseline nothing is.
//
// Counts.Drift counts drift changes and DriftLine words them; the renderers
// label them.
//
// # Order
//
// Inside a target: creates, updates and replaces kind by kind in the
// provider's order (top-level objects referenced by others first, then by
// name); deletes, the deepest kinds first; reports. DependsOn is the
// complete execution order, which apply follows and never extends: a child
// waits for its parent's create; a change referencing an object waits for
// that object's earlier changes (its create, replace, rename or update); a
// top-level delete waits for every earlier change but the other top-level
// deletes, so nothing destructive runs once a step failed. Targets are
// sorted by kind and id. Shards (Options.ShardIndex/ShardCount) are FNV-1a
// 32 of the target id modulo the count; the CLI's --shard I/N is 1-based.
//
// # JSON form (FormatVersion 2)
//
// The plan file and `plan --format json` meet schemas/plan.schema.json
// (CheckSchema); Load refuses other versions and files that do not meet it.
// Fields are only added; a change of meaning increments FormatVersion. Top
// level: formatVersion, toolVersion, createdAt (RFC 3339, UTC),
// manifestDigest, totalLocations, locations[] (the targets), shard, baseline,
// baselineDigest. A target: "<targetKind>Id" (locationId), name, tokenEnv
// (the variable's name, never a credential), file, prune, changes[], error,
// "live<Kind>s" (liveAgents), liveObjects. A change: op
// (create|update|delete|replace|report), kind, the names of its key as
// fields called after their kinds ("agent", "action"), id,
// "<parentKind>Id" (agentId), before, after, diffs[{path, before, after,
// drift}], reason, drift, fingerprint, cascade, dependsOn[], keepIds[]. The
// drift flags are omitted when false.
package plan
