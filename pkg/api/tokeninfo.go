package api

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// TokenLocation returns the location id a HighLevel OAuth access token (a JWT)
// says it belongs to, read from its claims without verifying the signature:
// authClassId when authClass is "Location", else a locationId claim. ok is
// false for tokens that carry no such claim, such as Private Integration
// Tokens, which are opaque. It lets callers refuse a token of another location
// before it is used; the server stays the authority.
func TokenLocation(token string) (locationID string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", false
	}
	var claims struct {
		AuthClass   string `json:"authClass"`
		AuthClassID string `json:"authClassId"`
		LocationID  string `json:"locationId"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return "", false
	}
	switch {
	case strings.EqualFold(claims.AuthClass, "Location") && claims.AuthClassID != "":
		return claims.AuthClassID, true
	case claims.LocationID != "":
		return claims.LocationID, true
	}
	return "", false
}
