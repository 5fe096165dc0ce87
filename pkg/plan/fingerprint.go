package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"

	"github.com/agentform/agentform/pkg/api"
)

// Fingerprint returns the hex SHA-256 of v's canonical JSON (object keys sorted,
// numbers as JSON numbers). Equal values always give equal fingerprints.
func Fingerprint(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return ""
	}
	// encoding/json sorts map keys, so marshalling the generic form is canonical.
	canon, err := json.Marshal(generic)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// FingerprintAgent fingerprints a live agent's id and settings (not its action
// list, which action changes track on their own).
func FingerprintAgent(a *api.Agent) string {
	return Fingerprint(struct {
		ID string `json:"id"`
		api.AgentSettings
	}{a.ID, a.AgentSettings})
}

// FingerprintAction fingerprints a live action.
func FingerprintAction(a api.Action) string {
	return Fingerprint(a)
}

// FingerprintFollowup fingerprints the follow-up state of an agent: the ids and
// follow-up settings of its advancedFollowup actions, in id order.
func FingerprintFollowup(actions []api.Action) string {
	type entry struct {
		ID       string          `json:"id"`
		Settings json.RawMessage `json:"followupSettings,omitempty"`
	}
	var entries []entry
	for _, a := range actions {
		if a.Type != api.ActionAdvancedFollowup {
			continue
		}
		var d struct {
			FollowupSettings json.RawMessage `json:"followupSettings"`
		}
		_ = json.Unmarshal(a.Details, &d)
		entries = append(entries, entry{a.ID, d.FollowupSettings})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return Fingerprint(entries)
}
