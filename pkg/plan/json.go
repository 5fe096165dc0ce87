package plan

// This file holds the JSON form of targets and changes. An object is named
// by fields called after the kinds of its key ({"agent": "Front Desk",
// "action": "Book"}), its parent's id by "<parentKind>Id" and a target's id
// by "<targetKind>Id", so a plan of format 1 reads as it always did and other
// providers' plans read in their own words. schemas/plan.schema.json
// describes the result.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/agentform/agentform/internal/jsonobj"
)

// reservedChange are the fixed fields of a change; no kind may use these
// names.
var reservedChange = []string{"op", "kind", "id", "before", "after", "diffs", "reason", "drift",
	"fingerprint", "cascade", "essential", "duplicateOf", "dependsOn", "keepIds", "sources"}

// MarshalJSON writes the change with its key as fields named after kinds.
func (c Change) MarshalJSON() ([]byte, error) {
	var w jsonobj.Writer
	w.Field("op", c.Op)
	w.Field("kind", c.Kind)
	for _, p := range c.Key {
		if p.Name != "" {
			w.Field(p.Kind, p.Name)
		}
	}
	if c.ID != "" {
		w.Field("id", c.ID)
	}
	if c.ParentID != "" {
		w.Field(c.ParentKind()+"Id", c.ParentID)
	}
	if len(c.Before) > 0 {
		w.Field("before", c.Before)
	}
	if len(c.After) > 0 {
		w.Field("after", c.After)
	}
	if len(c.Diffs) > 0 {
		w.Field("diffs", c.Diffs)
	}
	w.Field("reason", c.Reason)
	if c.Drift {
		w.Field("drift", true)
	}
	if c.Fingerprint != "" {
		w.Field("fingerprint", c.Fingerprint)
	}
	if c.Cascade != 0 {
		w.Field("cascade", c.Cascade)
	}
	if c.Essential != "" {
		w.Field("essential", c.Essential)
	}
	if c.DuplicateOf != "" {
		w.Field("duplicateOf", c.DuplicateOf)
	}
	if len(c.DependsOn) > 0 {
		w.Field("dependsOn", c.DependsOn)
	}
	if len(c.KeepIDs) > 0 {
		w.Field("keepIds", c.KeepIDs)
	}
	if len(c.Sources) > 0 {
		w.Field("sources", c.Sources)
	}
	return w.Bytes()
}

// UnmarshalJSON reads a change: every field that is not a fixed one is a
// key part (in document order), but for the one ending in "Id", the
// parent's id.
func (c *Change) UnmarshalJSON(data []byte) error {
	var out Change
	parentField := ""
	err := jsonobj.Decode(data, func(name string, raw json.RawMessage) error {
		var dst any
		switch name {
		case "op":
			dst = &out.Op
		case "kind":
			dst = &out.Kind
		case "id":
			dst = &out.ID
		case "before":
			dst = &out.Before
		case "after":
			dst = &out.After
		case "diffs":
			dst = &out.Diffs
		case "reason":
			dst = &out.Reason
		case "drift":
			dst = &out.Drift
		case "fingerprint":
			dst = &out.Fingerprint
		case "cascade":
			dst = &out.Cascade
		case "essential":
			dst = &out.Essential
		case "duplicateOf":
			dst = &out.DuplicateOf
		case "dependsOn":
			dst = &out.DependsOn
		case "keepIds":
			dst = &out.KeepIDs
		case "sources":
			dst = &out.Sources
		default:
			if !isKindName(strings.TrimSuffix(name, "Id")) {
				return fmt.Errorf("unknown field %q", name)
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return fmt.Errorf("field %s: want a string", name)
			}
			if strings.HasSuffix(name, "Id") {
				if parentField != "" {
					return fmt.Errorf("two parent ids (%s, %s)", parentField, name)
				}
				parentField, out.ParentID = name, s
				return nil
			}
			out.Key = append(out.Key, KeyPart{Kind: name, Name: s})
			return nil
		}
		return json.Unmarshal(raw, dst)
	})
	if err != nil {
		return fmt.Errorf("change: %w", err)
	}
	if parentField != "" && parentField != out.ParentKind()+"Id" {
		return fmt.Errorf("change: %s names the parent, but the parent kind is %q", parentField, out.ParentKind())
	}
	*c = out
	return nil
}

// isKindName reports whether s can name a kind: a lower-case letter, then
// letters and digits, and not one of the fixed fields.
func isKindName(s string) bool {
	if s == "" || slices.Contains(reservedChange, s) {
		return false
	}
	for i, r := range s {
		switch {
		case i == 0 && !unicode.IsLower(r):
			return false
		case r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)):
			return false
		}
	}
	return true
}

// liveField is the JSON name of the live ids of top-level kind k
// ("liveAgents").
func liveField(k string) string {
	return "live" + strings.ToUpper(k[:1]) + k[1:] + "s"
}

// MarshalJSON writes the target with its id named after its kind.
func (t TargetPlan) MarshalJSON() ([]byte, error) {
	var w jsonobj.Writer
	w.Field(t.Kind+"Id", t.ID)
	if t.Name != "" {
		w.Field("name", t.Name)
	}
	w.Field("tokenEnv", t.TokenEnv)
	if t.File != "" {
		w.Field("file", t.File)
	}
	w.Field("prune", t.Prune)
	w.Field("changes", t.Changes)
	if t.Error != "" {
		w.Field("error", t.Error)
	}
	if len(t.LiveCounts) > 0 {
		w.Field("liveCounts", t.LiveCounts)
	}
	if len(t.Reads) > 0 {
		w.Field("reads", t.Reads)
	}
	kinds := make([]string, 0, len(t.Live))
	for k, ids := range t.Live {
		if len(ids) > 0 {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		w.Field(liveField(k), t.Live[k])
	}
	w.Field("liveObjects", t.LiveObjects)
	return w.Bytes()
}

// UnmarshalJSON reads a target.
func (t *TargetPlan) UnmarshalJSON(data []byte) error {
	var out TargetPlan
	err := jsonobj.Decode(data, func(name string, raw json.RawMessage) error {
		var dst any
		switch name {
		case "name":
			dst = &out.Name
		case "tokenEnv":
			dst = &out.TokenEnv
		case "file":
			dst = &out.File
		case "prune":
			dst = &out.Prune
		case "changes":
			dst = &out.Changes
		case "error":
			dst = &out.Error
		case "liveObjects":
			dst = &out.LiveObjects
		case "reads":
			dst = &out.Reads
		case "liveCounts":
			dst = &out.LiveCounts
		default:
			if k, ok := strings.CutSuffix(name, "Id"); ok && isKindName(k) && out.Kind == "" {
				out.Kind = k
				dst = &out.ID
				break
			}
			if k, ok := strings.CutPrefix(name, "live"); ok && len(k) > 1 && strings.HasSuffix(k, "s") {
				kind := strings.ToLower(k[:1]) + strings.TrimSuffix(k[1:], "s")
				if isKindName(kind) {
					var ids map[string]string
					if err := json.Unmarshal(raw, &ids); err != nil {
						return fmt.Errorf("field %s: %w", name, err)
					}
					if out.Live == nil {
						out.Live = map[string]map[string]string{}
					}
					out.Live[kind] = ids
					return nil
				}
			}
			return fmt.Errorf("unknown field %q", name)
		}
		return json.Unmarshal(raw, dst)
	})
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	if out.Kind == "" {
		return fmt.Errorf("target: no id field (such as locationId)")
	}
	*t = out
	return nil
}

// MarshalJSON writes the read with its key as fields named after kinds.
func (r Read) MarshalJSON() ([]byte, error) {
	var w jsonobj.Writer
	w.Field("kind", r.Kind)
	for _, p := range r.Key {
		w.Field(p.Kind, p.Name)
	}
	w.Field("id", r.ID)
	if r.ParentID != "" && len(r.Key) > 1 {
		w.Field(r.Key[len(r.Key)-2].Kind+"Id", r.ParentID)
	}
	if r.Fingerprint != "" {
		w.Field("fingerprint", r.Fingerprint)
	}
	return w.Bytes()
}

// UnmarshalJSON reads a read: every field but kind, id and fingerprint is a
// key part.
func (r *Read) UnmarshalJSON(data []byte) error {
	var out Read
	err := jsonobj.Decode(data, func(name string, raw json.RawMessage) error {
		switch name {
		case "kind":
			return json.Unmarshal(raw, &out.Kind)
		case "id":
			return json.Unmarshal(raw, &out.ID)
		case "fingerprint":
			return json.Unmarshal(raw, &out.Fingerprint)
		}
		if !isKindName(strings.TrimSuffix(name, "Id")) {
			return fmt.Errorf("unknown field %q", name)
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("field %s: want a string", name)
		}
		if strings.HasSuffix(name, "Id") {
			out.ParentID = s
			return nil
		}
		out.Key = append(out.Key, KeyPart{Kind: name, Name: s})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read: %w", err)
	}
	*r = out
	return nil
}
