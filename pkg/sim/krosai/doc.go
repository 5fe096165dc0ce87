// Package krosai is the KrosAI half of the sandbox: the 14 operations of
// the AGENT section of KrosAI's API as internal/contract's
// krosai/krosai.openapi.json describes them (agents CRUD, voice sessions,
// conversations and their messages, knowledge bases and their documents),
// with API keys bound to accounts, its error shape, its validation and its
// tables.
//
// Package sim serves it beside HighLevel's API from the same server and
// the same SQLite database: every path under /v1 is KrosAI's (HighLevel's
// paths never start with /v1). Package sim runs the shared machinery —
// faults, latency, rate limits, the audit log, one transaction per request
// committed before the answer — and hands each request to Route and
// Endpoint.Serve with its transaction (DB), its account and the sandbox
// clock. Keys come from sim's Server.MintKrosAIKey ("agentform sandbox
// token --krosai"); seed files load accounts through LoadSeed.
//
// The sandbox follows the document, not agentform's client.
//
// # The order of the checks (KrosAI paths)
//
// Fault "reset", fault "5xx", route (404 Not Found, or 405 Method Not
// Allowed with Allow for a known path), key (401), rate limit (429), fault
// "429", body size (413), the operation, then fault "drop" for a POST, PUT
// or DELETE that succeeded (the write is committed, the connection closed
// unanswered). A refused request writes nothing. The audit log records the
// key's account (AuditEntry.Account) whenever the key is known.
//
// # Choices where the documents are silent (numbered as the notes' list)
//
//  1. Auth header. A key is taken from "Authorization: Bearer <key>" (the
//     scheme in any case) or, when no Authorization header is sent, from
//     "X-API-Key: <key>"; a present but malformed or unknown Authorization
//     header is refused even beside a good X-API-Key. A missing key answers
//     401 {"detail": "Not authenticated"}, any other 401 {"detail": "Invalid
//     API key"}, both with WWW-Authenticate: Bearer. Keys are the only
//     credential: no "user authentication token", no kros_live_/kros_test_
//     formats, x-organization-id is ignored. Sandbox keys are
//     "kros_sandbox_" and 32 letters and digits (KeyPrefix), like neither
//     HighLevel's tokens nor KrosAI's real keys. A key belongs to one
//     account, the unit of tenancy, named freely (1..100 characters, no
//     control characters); each account has one user, "user-" and 10
//     digits, the created_by of everything made with its keys. Minting
//     reuses the account's key (the smallest, whichever process stored it)
//     and creates the account when missing.
//  2. Success status codes. 200 for every success, creates, the upload, the
//     voice session and the delete included: the document lists 200 only,
//     and the delete's documented body implies 200, not 204.
//  3. Pagination. None: every list answers the whole bare array. Orders:
//     agents and knowledge bases oldest first (creation order), messages
//     oldest first and documents newest first (as documented),
//     conversations newest first (like documents, records that accumulate).
//     Ties are broken by insertion order, never by id.
//  4. PUT semantics. A merge: omitted fields are kept; knowledge_base_ids,
//     when given, replaces the list (in the order given). An empty object
//     is accepted and changes nothing but updated_at, which every
//     successful PUT sets. null clears description, system_prompt and
//     voice_id (answered null again) and is refused (400) for name,
//     language, the providers and knowledge_base_ids (send [] to detach
//     every knowledge base). On create null equals omitted.
//  5. Delete. 200 {"message": "Agent deleted successfully"}, a stable text.
//     Deleting again, or reading, updating or opening a session or a
//     conversation with the deleted agent, answers 404. Its conversations
//     keep its agent_id and stay readable with their messages; the active
//     ones become completed, as deleting ends any live session. Its
//     knowledge bases stay.
//  6. Error body. Always {"detail": "<string>"}, never a list. Invalid input
//     answers 400 (the documents list 400, no 422), every problem of a body
//     in one detail joined by "; ". An unknown id answers 404 "<Kind> not
//     found" (Agent, Conversation, Knowledge base); another account's id
//     answers 403 "Not allowed to access this <kind>", and 403 "Not allowed
//     to use this agent" when a conversation names another account's agent
//     (the pages list 403 for exactly these). Unknown paths under /v1
//     answer 404 {"detail": "Not Found"} and known paths with another method
//     405 {"detail": "Method Not Allowed"} with Allow, before the key is
//     checked. Bodies over MaxRequestBody answer 413.
//  7. Rate limits. None are documented, so the sandbox applies its
//     --rate-limit (default 100 requests per 10 s, and 200,000 a day) per
//     account, its own window apart from HighLevel's locations. A 429 answers
//     {"detail": "Rate limit exceeded: retry in N s"} with Retry-After
//     (whole seconds); no X-RateLimit-* headers, which KrosAI never
//     documents.
//  8. Provider and model values. Any non-empty string of at most 100
//     characters is accepted and echoed as sent (krosaimlingual,
//     "KrosMLingual 0.1" and KrosMLingual1.0.1 alike); the defaults are
//     "krosaimlingual". language must be a language tag (two or three
//     letters, then -subtags: en, pt-BR), default "en". voice_id is any
//     non-empty string.
//  9. Unset optional fields. Every documented key is always sent: an unset
//     description, system_prompt, voice_id (and a knowledge base's
//     description, a document's error) is null; knowledge_base_ids defaults
//     to []. "" is kept as "" where it is allowed (description,
//     system_prompt).
//  10. Validation limits. name at most 100 characters and not blank,
//     description 1000, system_prompt 32,000, title 200 and not blank,
//     language/voice_id/providers/ids 100, an uploaded file's name 255. Names of agents and knowledge
//     bases need not be unique (no 409; like HighLevel, no idempotency key).
//     Every knowledge_base_ids entry must name a knowledge base of the
//     caller's account: an unknown one, or another account's, answers 400
//     "knowledge_base_ids: no knowledge base <id> in this account"; an id
//     listed twice answers 400. Unknown body fields answer 400 "Unknown
//     field: <name>" (stricter than a service that may ignore them: a
//     misspelt field would otherwise go unnoticed).
//  11. Conversation lifecycle. A conversation starts active and becomes
//     completed only when its agent is deleted (the API has no close
//     call; a seed may load completed ones). Every read of an active
//     conversation, a list included, issues a new room token; a completed
//     one keeps room_name and room_url and answers token "". The room is
//     named after the conversation id, at ConversationRoomHost
//     (wss://livekit.krosai.invalid/room/...: the example's host under
//     .invalid, which never resolves). A title, when given, must not be
//     blank; omitted or null it is "New Conversation". A new conversation's
//     transcript holds one system message with the agent's system_prompt
//     ("" when unset).
//  12. Voice sessions. POST /v1/agents/{id}/voice creates no conversation
//     and stores nothing; any body is ignored. It answers a room
//     "voice-<uuid>" at VoiceRoomHost (wss://agent.krosai.invalid/room/...)
//     and a token. The sandbox runs no LiveKit server: no token lifetime,
//     no second user. Tokens are RoomTokenPrefix
//     ("not-a-credential.sandbox-room-token.") and 12 hex digits: obviously
//     fake, never stored, never logged (the audit log holds no bodies).
//  13. Messages. No pagination; roles are system, user or assistant only;
//     there is no REST call to post one. Beyond the leading system message,
//     transcripts come from seed files.
//  14. Uploads. 10MB is 10 MiB: a file of 10,485,760 bytes is accepted, one
//     byte more answers 413 (as does a body over MaxRequestBody). The type
//     is judged by the file name's extension, in any case: .pdf, .txt,
//     .docx or .md, else 400; the part's Content-Type is ignored and the
//     document's content_type is the extension's (application/pdf,
//     text/plain, the DOCX type, text/markdown). The body
//     must be multipart/form-data with exactly one part, "file", carrying a
//     file name (another part, a second file or none answer 400). The same
//     name twice makes a second document. The answer says "processing";
//     from Config.IndexDelay later on the sandbox clock (default 2 s;
//     sim.Options.KrosAIIndexDelay, negative for none) reads show the
//     outcome decided at upload from the content: ready, or error with a
//     reason for an empty file, a .pdf not starting with %PDF-, a .docx not
//     starting with a ZIP header, or .txt/.md that is not UTF-8. The name,
//     content type, size and SHA-256 are stored, not the bytes. An upload
//     sets the knowledge base's updated_at; document_count counts every
//     document whatever its status.
//  15. Missing CRUD. Not served: get, update or delete of a knowledge base
//     (404: no such path), get or delete of a document (404), update or
//     delete of a conversation (405). document_count therefore never
//     falls.
//  16. Currency of the docs. The sandbox serves the GitBook AGENT section as
//     the document describes it, nothing of docs.krosai.com.
//
// # Other choices
//
//   - Ids: agents are random UUIDs (as in the examples); conversations,
//     knowledge bases, documents and messages are "conv-", "kb-", "doc-"
//     and "msg-" and a UUID. Clients must treat ids as opaque.
//   - Datetimes are RFC 3339 in UTC with microseconds
//     (2025-03-01T12:00:00.000000Z).
//   - Answers are application/json.
//
// # Seed files
//
// A seed file (sim.Seed; YAML or JSON) lists KrosAI accounts under
// krosaiAccounts, beside companies. The seed's own keys are camelCase
// (krosaiAccounts, knowledgeBases, documents, agents, conversations); the
// objects take the API's field names:
//
//	krosaiAccounts:
//	  - name: Acme Voice                 # created when missing
//	    knowledgeBases:
//	      - id: kb-faq                   # optional, as every id below
//	        name: Product FAQ
//	        description: What customers ask most
//	        documents:
//	          - {name: faq.md, content: "# FAQ"}   # text content, or
//	          - {file: docs/pricing.pdf}            # a file relative to the seed file
//	    agents:                           # as POST /v1/agents takes them
//	      - id: ag-support
//	        name: Support
//	        system_prompt: You answer product questions briefly.
//	        knowledge_base_ids: [kb-faq]
//	    conversations:
//	      - agent_id: ag-support
//	        title: Smoke test
//	        status: completed             # active (default) or completed
//	        messages: [{role: user, content: Hello}]
//
// Knowledge bases load first, then agents, then conversations, so later
// ones may refer to earlier ones by id. Agents pass the checks and
// defaults of POST /v1/agents (their knowledge_base_ids must name
// knowledge bases of the account, seeded or stored); documents have a name
// of an accepted type and are already indexed (ready, or error as in 14);
// transcripts are loaded as listed. An object with an id replaces the
// stored object of that id (which must belong to the same account; a
// replaced agent takes only the seed's fields, a knowledge base keeps its
// documents, a conversation gets the seed's messages); without an id it
// is added. Errors name the file, line and path
// (krosaiAccounts[0].agents[1]); the seed loads whole or not at all.
package krosai
