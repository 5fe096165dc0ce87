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
// kind uses); and plan.schema.json, the JSON form of a plan.
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
	// Plan is the JSON form of a plan (plan --format json, plan --out).
	Plan = "plan.schema.json"
)

// All lists the schemas of manifest files (not the plan's).
var All = []string{Location, Agent, Vars, KrosAIAccount, KrosAIAgent}
