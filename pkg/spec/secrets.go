package spec

import (
	"fmt"
	"regexp"
	"strings"
)

// secretKeys are key names (lower-case) that would hold a credential.
var secretKeys = map[string]bool{
	"token": true, "accesstoken": true, "apikey": true, "secret": true, "authorization": true,
	"refreshtoken": true, "clientsecret": true, "password": true, "privateintegrationtoken": true,
}

// tokenLike matches values shaped like HighLevel credentials: Private
// Integration Tokens (pit-<uuid>), JWTs (OAuth access tokens) and bearer
// headers.
// No word boundaries around the first two: a token glued to other text
// ("tok_pit-…", "pit-…x") is still a token.
var tokenLike = regexp.MustCompile(`(?i)pit-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` +
	`|eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*` +
	`|\bbearer\s+[A-Za-z0-9._~+/=-]{16,}`)

// redacted replaces token-shaped text in diagnostics.
const redacted = "[REDACTED]"

// redact replaces every token-shaped part of s by redacted.
func redact(s string) string { return tokenLike.ReplaceAllLiteralString(s, redacted) }

// scanSecrets reports credential-named keys and token-shaped strings anywhere
// under n. Messages never repeat the value.
func scanSecrets(n *node, path string, d *diags) {
	if n == nil {
		return
	}
	switch n.kind {
	case mapKind:
		for _, f := range n.fields {
			p := joinPath(path, f.key)
			if tokenLike.MatchString(f.key) {
				d.add(f.keyPos, p, "key looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in location.tokenEnv")
			}
			if secretKeys[strings.ToLower(f.key)] {
				d.add(f.keyPos, p, "a literal token is not allowed in a manifest: put it in an environment variable and name that variable in location.tokenEnv")
				continue
			}
			scanSecrets(f.value, p, d)
		}
	case seqKind:
		for i, it := range n.items {
			scanSecrets(it, fmt.Sprintf("%s[%d]", path, i), d)
		}
	default:
		if s, ok := n.str(); ok && tokenLike.MatchString(s) {
			d.add(n.pos, path, "value looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in location.tokenEnv")
		}
	}
}
