package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
)

// Save writes p as indented JSON (the plan file format), sealed with its
// digest (see Seal) when it has none. A Plan holds token variable names
// only, never their values.
func Save(w io.Writer, p *Plan) error {
	if p == nil {
		return fmt.Errorf("save plan: no plan")
	}
	out := *p
	if out.FormatVersion == 0 {
		out.FormatVersion = FormatVersion
	}
	if out.Digest == "" {
		d, err := out.digest()
		if err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
		out.Digest = d
	}
	return encode(w, &out)
}

// encode writes p's JSON form.
func encode(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// Seal sets p.Digest to the SHA-256 of p's JSON form without a digest. Load
// refuses a file whose content no longer matches its digest (an edit after
// the plan was made); apply --plan also checks the plan against the
// manifests (Bind).
func (p *Plan) Seal() error {
	p.Digest = ""
	d, err := p.digest()
	if err != nil {
		return err
	}
	p.Digest = d
	return nil
}

// digest is the hex SHA-256 of p's JSON form with an empty Digest.
func (p *Plan) digest() (string, error) {
	q := *p
	q.Digest = ""
	if q.FormatVersion == 0 {
		q.FormatVersion = FormatVersion
	}
	var buf bytes.Buffer
	if err := encode(&buf, &q); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), nil
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
	want, err := p.digest()
	if err != nil {
		return nil, fmt.Errorf("load plan: %w", err)
	}
	if p.Digest != want {
		return nil, fmt.Errorf("load plan: the file was changed after the plan was made (its content no longer matches its digest): plan again")
	}
	return &p, nil
}
