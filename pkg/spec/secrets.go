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

// tokenLike matches values shaped like credentials: HighLevel Private
// Integration Tokens (pit-<uuid>), JWTs (OAuth access tokens, KrosAI room
// tokens), KrosAI API keys (kros_live_..., kros_test_...) and bearer headers.
// No word boundaries around the first two: a token glued to other text
// ("tok_pit-…", "pit-…x") is still a token.
var tokenLike = regexp.MustCompile(`(?i)pit-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` +
	`|eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*` +
	`|kros_(?:live|test)_[A-Za-z0-9]{8,}` +
	`|\bbearer\s+[A-Za-z0-9._~+/=-]{16,}`)

// redacted replaces token-shaped text in diagnostics.
const redacted = "[REDACTED]"

// redact replaces every token-shaped part of s by redacted.
func redact(s string) string { return tokenLike.ReplaceAllLiteralString(s, redacted) }

// scanSecrets reports credential-named keys and token-shaped strings anywhere
// under n. Messages never repeat the value.
func scanSecrets(n *node, path string, d *diags) { scanSecretsFor(n, path, "location.tokenEnv", d) }

// scanSecretsFor is scanSecrets for a document whose token variable is named
// at tokenField (location.tokenEnv, account.tokenEnv).
func scanSecretsFor(n *node, path, tokenField string, d *diags) {
	if n == nil {
		return
	}
	switch n.kind {
	case mapKind:
		for _, f := range n.fields {
			p := joinPath(path, f.key)
			if tokenLike.MatchString(f.key) {
				d.add(f.keyPos, p, "key looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in %s", tokenField)
			}
			if secretKeys[strings.ToLower(f.key)] {
				d.add(f.keyPos, p, "a literal token is not allowed in a manifest: put it in an environment variable and name that variable in %s", tokenField)
				continue
			}
			scanSecretsFor(f.value, p, tokenField, d)
		}
	case seqKind:
		for i, it := range n.items {
			scanSecretsFor(it, fmt.Sprintf("%s[%d]", path, i), tokenField, d)
		}
	default:
		if s, ok := n.str(); ok && tokenLike.MatchString(s) {
			d.add(n.pos, path, "value looks like a literal access token, which is not allowed in a manifest: tokens come only from the environment variable named in %s", tokenField)
		}
	}
}
