package highlevel

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/pkg/api"
)

// Credentials hands out each location's token from the environment and
// enforces HighLevel's token rules: the token decides the location on the
// server, so a wrong one would read and write another location's agents.
// It is safe for concurrent use; one value serves one run.
type Credentials struct {
	// LookupEnv reads a variable (os.LookupEnv in the CLI).
	LookupEnv func(string) (string, bool)
	// Secrets, when not nil, learns every token handed out, so output
	// masks it.
	Secrets *redact.Redactor

	mu sync.Mutex
	// owners remembers which location each token (by hash) served in this
	// run, so one token cannot be used for two locations.
	owners map[[32]byte]binding
	// conflicts are locations refused because another location of the run
	// holds the same token (see Reserve).
	conflicts map[string]string
}

// Binding names a location and the variable holding its token.
type Binding struct{ Location, Env string }

// binding is the first location (and variable) a token was used for.
type binding = Binding

// Token reads and checks the token of a location from tokenEnv. It refuses,
// naming only variables and ids, a token that is missing, padded with a
// "Bearer " prefix or inner white space, that claims another location (OAuth
// JWTs say which location they belong to), or that another location of the
// same run already uses.
func (c *Credentials) Token(locationID, tokenEnv string) (string, error) {
	raw, ok := c.LookupEnv(tokenEnv)
	token := strings.TrimSpace(raw)
	if c.Secrets != nil {
		c.Secrets.Add(token, raw)
	}
	switch {
	case !ok || token == "":
		return "", fmt.Errorf("location %s: environment variable %s is not set (it must hold the location's token)", locationID, tokenEnv)
	case strings.HasPrefix(strings.ToLower(token), "bearer "):
		return "", fmt.Errorf("location %s: %s starts with \"Bearer \": store the token alone", locationID, tokenEnv)
	case strings.ContainsAny(token, " \t\r\n"):
		return "", fmt.Errorf("location %s: %s holds white space inside the token: store the token alone", locationID, tokenEnv)
	}
	c.mu.Lock()
	conflict := c.conflicts[locationID]
	c.mu.Unlock()
	if conflict != "" {
		return "", fmt.Errorf("location %s: %s", locationID, conflict)
	}
	if claimed, ok := api.TokenLocation(token); ok && claimed != locationID {
		return "", fmt.Errorf("location %s: the token in %s belongs to location %s, not %s", locationID, tokenEnv, claimed, locationID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.owners == nil {
		c.owners = map[[32]byte]binding{}
	}
	key := sha256.Sum256([]byte(token))
	if owner, seen := c.owners[key]; seen && owner.Location != locationID {
		return "", fmt.Errorf("location %s: %s holds the same token as %s of location %s; a token serves one location only",
			locationID, tokenEnv, owner.Env, owner.Location)
	}
	c.owners[key] = binding{Location: locationID, Env: tokenEnv}
	return token, nil
}

// Reserve looks at the tokens of every location the run may touch before
// any of them is used, and marks every location whose token another
// location of the run also holds: Token refuses all of them. (Refusing only
// the second one would let the first read and write the other's agents: the
// token, not the id, decides the location.)
func (c *Credentials) Reserve(locs []Binding) {
	byToken := map[[32]byte][]Binding{}
	var order [][32]byte
	for _, l := range locs {
		raw, _ := c.LookupEnv(l.Env)
		token := strings.TrimSpace(raw)
		if token == "" {
			continue
		}
		key := sha256.Sum256([]byte(token))
		if _, seen := byToken[key]; !seen {
			order = append(order, key)
		}
		byToken[key] = append(byToken[key], l)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conflicts == nil {
		c.conflicts = map[string]string{}
	}
	for _, key := range order {
		users := byToken[key]
		ids := map[string]bool{}
		var names []string
		for _, u := range users {
			ids[u.Location] = true
			names = append(names, u.Env+" (location "+u.Location+")")
		}
		if len(ids) < 2 {
			continue
		}
		msg := "one token serves " + strings.Join(names, ", ") + "; a token belongs to one location, so none of them is used"
		for id := range ids {
			c.conflicts[id] = msg
		}
	}
}
