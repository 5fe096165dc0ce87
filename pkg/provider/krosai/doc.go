// Package krosai is agentform's provider for KrosAI's agents platform
// (https://api.krosai.com): the knowledge bases, documents and voice
// agents of KrosAI accounts. It describes each kind once for the generic
// engine (pkg/plan, pkg/apply), turns KrosAIAccount documents into targets,
// holds KrosAI's key rules, exports an account as a manifest and opens the
// conversation a deploy's smoke test uses. Calls go through
// pkg/api/krosai's client.
//
// # Targets
//
// A target is one account (target kind "krosaiAccount"; plan JSON names it
// "krosaiAccountId"), its id the account.name of its manifest: the API key,
// not the name, decides the account on the server.
//
// # Reading an account
//
// One list of knowledge bases, one of agents (complete: no per-agent GET),
// and one list of documents per declared knowledge base that exists live.
// Only GETs. That is the minimum the API allows: 2 + 1 per declared
// knowledge base.
//
// # Kinds
//
//   - knowledgeBase (top-level): known by name; fields name and
//     description. The API creates and lists them, nothing else, so the kind
//     has no Update or Delete: a changed description, and an undeclared
//     knowledge base of a pruned account, are reports that say the API
//     cannot change or delete it.
//   - document (child of knowledgeBase): a file uploaded to a knowledge
//     base (multipart). The API returns no digest, so identity needs no
//     state only if the name carries it: a document is uploaded under its
//     file name with the first 8 hex digits of its SHA-256 before the
//     extension (UploadName: "faq.md" → "faq.3f2a9c1b.md") and is known by
//     that name; fields name and size. A changed file therefore has a new
//     name: a create (upload), while the old document becomes a live
//     document the knowledge base does not declare. A knowledge base that
//     lists documents owns its documents, so that old one is reported as
//     staying (the API cannot delete documents); one that lists none leaves
//     its live documents alone (one report counts them). Documents uploaded
//     by hand under plain names are never taken for declared ones. Two live
//     documents with one name (a digest name holds one content) stand as
//     one, the first ready one, else the newest; the others show under
//     their name and id. Apply uploads the manifest's file, read again, and
//     refuses content whose digest or size is not the planned one. An
//     upload answers "processing"; indexing is not waited for.
//   - voiceAgent (top-level): known by name or a pinned id (id:); full
//     CRUD; knowledge_base_ids names knowledge bases of the account by
//     name ({name: ...} in manifests; a literal id is refused), compared
//     as a set: plans show names, apply sends ids, and an agent waits for
//     the knowledge bases it names to be created. An update sends the live
//     fields overlaid with the declared ones, so the service's handling of
//     omitted fields cannot clear anything.
//
// A create whose answer was lost is looked up by name (the kinds' List)
// before it is sent again, as the engine does for every kind. The bodies of
// knowledge base and document creates compare by name alone when the
// engine adopts what it found: they cannot be updated.
//
// # Keys
//
// Credentials reads each account's key from its tokenEnv variable
// (KROSAI_API_KEY by default), refuses a missing one, a "Bearer " prefix,
// inner white space, and one key for two accounts of a run (Reserve,
// before anything is read).
//
// # Export and smoke test
//
// Export writes a manifest that plans to no changes; documents, whose
// contents the API cannot download, are listed in a comment.
// OpenConversation opens a conversation with a declared agent's live twin
// and checks that it is active; its room token is a redact.Secret.
package krosai
