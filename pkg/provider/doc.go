// Package provider is the seam between agentform's engine (pkg/plan,
// pkg/apply) and the vendors whose objects it manages. The engine knows
// objects only through a provider's Kind descriptors; everything
// vendor-specific (kinds, fields, references, API calls, credentials) lives
// in a package under pkg/provider/<vendor>. HighLevel (pkg/provider/highlevel)
// is the worked example below.
//
// # Adding a kind
//
// A kind is one Kind value: what its objects are called (Name, Plural;
// Title for a singleton), where they live (Parent), how their fields compare
// (Normalize: set-like lists and ordered lists; ForceNew: fields whose change
// replaces the object; RequiredForCreate), the references their fields hold
// (Refs: a field path and the kind it names), and its calls (List, Get,
// Find, Encode, Create, Update, Delete). Objects carry their name in the
// field "name". HighLevel's three kinds:
//
//   - agent (top-level): List is the agent search (partial items: Get reads
//     one agent in full); Find searches by name after a create whose answer
//     was lost; RequiredForCreate personality, goal, instructions; set-like
//     channels and knowledgeBaseIds.
//   - action (Parent agent): List is an agent's action list (complete, no
//     Get); ForceNew type (an action's type cannot change in place); Refs:
//     details.transferToBot of transferBot and details.transferAgent of
//     appointmentBooking name an agent.
//   - followup (Parent agent, Singleton, Derived from action): the API has no
//     read for follow-up settings; they live on advancedFollowup actions.
//     Plan compares the declared block with those actions' settings; Refs:
//     actions names actions of the same agent; Update is one PATCH for all
//     named actions.
//
// Steps to add a kind: write the descriptor, add it to the provider's Kinds
// (parents before children; the order is also the create order), build its
// Desired objects from the manifests, and test that apply, then plan, shows
// no changes, through a sandbox.
//
// # Adding a provider
//
// Implement Provider (Name, TargetKind, Kinds, Classify for its errors,
// AccessHint) and call Register from an init function. Turn its manifest
// documents into Targets (HighLevel: highlevel.Targets from spec.Set
// locations), give the CLI a connector that opens a Session (the provider's
// API client with the target's credential; HighLevel's token rules are
// highlevel.Credentials), and pass both to plan.Make and apply.Apply. The
// target kind names the target's id in plan JSON ("<targetKind>Id"), so it
// must be unique; kind names name key fields, so they must be lower-case
// words that are not the change's own fields (op, kind, id, ...).
//
// Nothing in pkg/plan or pkg/apply changes for a new kind or provider.
package provider
