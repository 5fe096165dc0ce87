package krosai

import (
	"sync"

	"github.com/agentform/agentform/internal/credential"
	"github.com/agentform/agentform/internal/redact"
)

// Credentials hands out each account's API key from the environment and
// enforces KrosAI's key rules (those every provider shares,
// internal/credential): the key, not the manifest's account name, decides
// the account on the server, so a wrong one would read and write another
// account's agents. It is safe for concurrent use; one value serves one run.
type Credentials struct {
	// LookupEnv reads a variable (os.LookupEnv in the CLI).
	LookupEnv func(string) (string, bool)
	// Secrets, when not nil, learns every key handed out, so output masks
	// it.
	Secrets *redact.Redactor

	once  sync.Once
	rules *credential.Rules
}

// Binding names an account and the variable holding its key.
type Binding struct{ Account, Env string }

func (c *Credentials) init() *credential.Rules {
	c.once.Do(func() {
		c.rules = &credential.Rules{
			Words: credential.Words{Target: "KrosAI account", Short: "account", Secret: "API key",
				Held: "the account's API key", Alone: "key"},
			LookupEnv: c.LookupEnv, Secrets: c.Secrets,
		}
	})
	return c.rules
}

// Key reads and checks the API key of account from tokenEnv. It refuses,
// naming only variables and accounts, a key that is missing, padded with a
// "Bearer " prefix or inner white space, or that another account of the run
// already uses.
func (c *Credentials) Key(account, tokenEnv string) (string, error) {
	return c.init().Get(account, tokenEnv)
}

// Reserve looks at the keys of every account the run may touch before any
// of them is used, and marks every account whose key another account of the
// run also holds: Key refuses all of them.
func (c *Credentials) Reserve(accounts []Binding) {
	bs := make([]credential.Binding, len(accounts))
	for i, a := range accounts {
		bs[i] = credential.Binding{Target: a.Account, Env: a.Env}
	}
	c.init().Reserve(bs)
}
