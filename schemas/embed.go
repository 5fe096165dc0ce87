// Package schemas embeds agentform's JSON Schemas (draft 2020-12) so the binary
// validates manifests offline with exactly the schemas editors use.
package schemas

import "embed"

// FS holds the schemas: location.schema.json (one Location document),
// agent.schema.json (one HighLevel agent: a base file, and the agent
// definitions the location schema refers to), krosai-account.schema.json
// (one KrosAIAccount document), krosai-agent.schema.json (one KrosAI agent:
// a base file, and the agent definitions the account schema refers to) and
// vars.schema.json (a vars file, and the vars definitions every document
// kind uses).
//
//go:embed *.schema.json
var FS embed.FS

// Names of the embedded schema files.
const (
	Location = "location.schema.json"
	Agent    = "agent.schema.json"
	Vars     = "vars.schema.json"
	// KrosAIAccount and KrosAIAgent are the KrosAI document and agent.
	KrosAIAccount = "krosai-account.schema.json"
	KrosAIAgent   = "krosai-agent.schema.json"
)

// All lists every embedded schema file.
var All = []string{Location, Agent, Vars, KrosAIAccount, KrosAIAgent}
