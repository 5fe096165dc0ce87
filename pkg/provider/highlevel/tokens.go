package highlevel

import (
	"fmt"
	"sync"

	"github.com/agentform/agentform/internal/credential"
	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/pkg/api"
)

// Credentials hands out each location's token from the environment and
// enforces HighLevel's token rules: the token decides the location on the
// server, so a wrong one would read and write another location's agents.
// Besides the rules every provider shares (internal/credential), an OAuth
// token (a JWT) claiming another location is refused. It is safe for
// concurrent use; one value serves one run.
type Credentials struct {
	// LookupEnv reads a variable (os.LookupEnv in the CLI).
	LookupEnv func(string) (string, bool)
	// Secrets, when not nil, learns every token handed out, so output
	// masks it.
	Secrets *redact.Redactor

	once  sync.Once
	rules *credential.Rules
}

// Binding names a location and the variable holding its token.
type Binding struct{ Location, Env string }

func (c *Credentials) init() *credential.Rules {
	c.once.Do(func() {
		c.rules = &credential.Rules{
			Words: credential.Words{Target: "location", Short: "location", Secret: "token",
				Held: "the location's token", Alone: "token"},
			LookupEnv: c.LookupEnv, Secrets: c.Secrets,
			Check: func(location, env, token string) error {
				if claimed, ok := api.TokenLocation(token); ok && claimed != location {
					return fmt.Errorf("the token in %s belongs to location %s, not %s", env, claimed, location)
				}
				return nil
			},
		}
	})
	return c.rules
}

// Token reads and checks the token of a location from tokenEnv. It refuses,
// naming only variables and ids, a token that is missing, padded with a
// "Bearer " prefix or inner white space, that claims another location (OAuth
// JWTs say which location they belong to), or that another location of the
// same run already uses.
func (c *Credentials) Token(locationID, tokenEnv string) (string, error) {
	return c.init().Get(locationID, tokenEnv)
}

// Reserve looks at the tokens of every location the run may touch before
// any of them is used, and marks every location whose token another
// location of the run also holds: Token refuses all of them.
func (c *Credentials) Reserve(locs []Binding) {
	bs := make([]credential.Binding, len(locs))
	for i, l := range locs {
		bs[i] = credential.Binding{Target: l.Location, Env: l.Env}
	}
	c.init().Reserve(bs)
}
