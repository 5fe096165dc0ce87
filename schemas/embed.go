// Package schemas embeds agentform's JSON Schemas (draft 2020-12) so the binary
// validates manifests offline with exactly the schemas editors use.
package schemas

import "embed"

// FS holds location.schema.json (one Location document),
// agent.schema.json (one agent: a base file, and the agent definitions the
// location schema refers to) and plan.schema.json (the JSON form of a plan).
//
//go:embed *.schema.json
var FS embed.FS

// Names of the embedded schema files.
const (
	Location = "location.schema.json"
	Agent    = "agent.schema.json"
	// Plan is the JSON form of a plan (plan --format json, plan --out).
	Plan = "plan.schema.json"
)
