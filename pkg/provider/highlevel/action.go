package highlevel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// actionKind is an action of an agent, known by its name inside the agent.
// Its type cannot change in place. Listing an agent's actions returns every
// action's details, so no per-action read is needed.
var actionKind = &provider.Kind{
	Name:       KindAction,
	Plural:     "actions",
	Parent:     KindAgent,
	FieldsNoun: "details",
	Normalize:  normalizer,
	ForceNew:   []string{"type"},
	Refs: func(fields value.Map) []provider.Ref {
		typ, _ := fields["type"].(string)
		refs := actionLookupRefs[typ]
		if key, ok := api.AgentReferenceKey(typ); ok {
			refs = append(refs[:len(refs):len(refs)], provider.Ref{Path: []string{"details", key}, Kind: KindAgent})
		}
		return refs
	},
	List: provider.ListWith(func(ctx context.Context, r Reader, agentID string) ([]*provider.Live, error) {
		acts, err := r.ListActions(ctx, agentID)
		if err != nil {
			return nil, err
		}
		out := make([]*provider.Live, 0, len(acts))
		for _, a := range acts {
			l, err := liveAction(a)
			if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
		return out, nil
	}),
	Encode: func(payload value.Map, name string) (any, error) {
		typ, _ := payload["type"].(string)
		if n, ok := payload["name"].(string); ok && n != "" {
			name = n
		}
		details := value.Map{}
		if d, ok := payload["details"].(value.Map); ok {
			details = value.Clone(d)
		}
		return api.ActionInput{Type: typ, Name: name, Details: details}, nil
	},
	Create: provider.CreateWith(func(ctx context.Context, w API, agentID string, in api.ActionInput) (string, error) {
		a, err := w.CreateAction(ctx, agentID, in)
		if err != nil {
			return "", err
		}
		return a.ID, nil
	}),
	Update: provider.UpdateWith(func(ctx context.Context, w API, agentID, id string, in api.ActionInput) error {
		_, err := w.UpdateAction(ctx, agentID, id, in)
		return err
	}),
	Delete: provider.DeleteWith(func(ctx context.Context, w API, agentID, id string) error {
		return w.DeleteAction(ctx, agentID, id)
	}),
}

// liveAction is a live action as the engine compares it: name, type and
// details in JSON types. The details are decoded once, for the fields and
// the fingerprint both.
func liveAction(a api.Action) (*provider.Live, error) {
	details, err := decodeDetails(a.Details)
	if err != nil {
		return nil, fmt.Errorf("action %q (%s): live details: %w", a.Name, a.ID, err)
	}
	fields := details
	if fields == nil {
		fields = value.Map{}
	}
	return &provider.Live{ID: a.ID, Name: a.Name, Fingerprint: actionFingerprint(a, details), Raw: a,
		Fields: value.Map{"name": a.Name, "type": a.Type, "details": fields}}, nil
}

// decodeDetails decodes an action's details: nil for JSON null (or none),
// an error for anything but an object.
func decodeDetails(raw json.RawMessage) (value.Map, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	switch m := v.(type) {
	case value.Map:
		return m, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("%T is not an object", v)
}

// FingerprintAction fingerprints a live action: value.Fingerprint of the
// action as the API answered it.
func FingerprintAction(a api.Action) string {
	details, err := decodeDetails(a.Details)
	if err != nil {
		return value.Fingerprint(a)
	}
	return actionFingerprint(a, details)
}

// actionFingerprint is FingerprintAction with the details already decoded
// (nil for null): value.Fingerprint encodes the action, decodes that into
// JSON types and hashes their encoding; the decoded form is built here
// directly from the decoded details, and hashed (fingerprintJSON).
func actionFingerprint(a api.Action, details value.Map) string {
	m := value.Map{"id": a.ID, "name": a.Name, "type": a.Type, "details": details} // nil details: null
	if a.AgentID != "" {                                                           // omitempty
		m["agentId"] = a.AgentID
	}
	return fingerprintJSON(m)
}

// fingerprintJSON is value.Fingerprint of a value already in JSON types, as
// decoded from JSON (so its strings are valid UTF-8): encoding/json sorts
// object keys, so its encoding is the canonical one, in one pass instead of
// three.
func fingerprintJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
