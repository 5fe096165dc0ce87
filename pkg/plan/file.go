package plan

import (
	"encoding/json"
	"fmt"
	"io"
)

// Save writes p as indented JSON (the plan file format). A Plan holds token
// variable names only, never their values.
func Save(w io.Writer, p *Plan) error {
	if p == nil {
		return fmt.Errorf("save plan: no plan")
	}
	out := *p
	if out.FormatVersion == 0 {
		out.FormatVersion = FormatVersion
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// Load reads a plan file, refusing other format versions and files that
// do not meet the published schema.
func Load(r io.Reader) (*Plan, error) {
	dec := json.NewDecoder(r)
	var head struct {
		FormatVersion *int `json:"formatVersion"`
	}
	raw := json.RawMessage{}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	if head.FormatVersion == nil {
		return nil, fmt.Errorf("load plan: not a plan file (no formatVersion)")
	}
	switch v := *head.FormatVersion; {
	case v < FormatVersion:
		return nil, fmt.Errorf("load plan: format version %d is not supported (this agentform reads version %d): the file comes from an older agentform; plan again", v, FormatVersion)
	case v > FormatVersion:
		return nil, fmt.Errorf("load plan: format version %d is not supported (this agentform reads version %d): the file comes from a newer agentform; plan again with this one, or upgrade it", v, FormatVersion)
	}
	if err := CheckSchema(raw); err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	return &p, nil
}
