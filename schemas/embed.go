// Package schemas embeds agentform's JSON Schemas (draft 2020-12) so the binary
// validates manifests offline with exactly the schemas editors use.
package schemas

import "embed"

// FS holds location.schema.json (one Location document) and
// agent.schema.json (one agent: a base file, and the agent definitions the
// location schema refers to).
//
//go:embed *.schema.json
var FS embed.FS

// Names of the embedded schema files.
const (
	Location = "location.schema.json"
	Agent    = "agent.schema.json"
)
