package value

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Fingerprint returns the hex SHA-256 of v's canonical JSON (object keys
// sorted, numbers as JSON numbers). Equal values always give equal
// fingerprints; "" means v cannot be encoded.
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
