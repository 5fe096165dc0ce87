package krosai

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/agentform/agentform/internal/redact"
)

// Credentials hands out each account's API key from the environment and
// enforces KrosAI's key rules: the key, not the manifest's account name,
// decides the account on the server, so a wrong one would read and write
// another account's agents. It is safe for concurrent use; one value serves
// one run.
type Credentials struct {
	// LookupEnv reads a variable (os.LookupEnv in the CLI).
	LookupEnv func(string) (string, bool)
	// Secrets, when not nil, learns every key handed out, so output masks
	// it.
	Secrets *redact.Redactor

	mu sync.Mutex
	// owners remembers which account each key (by hash) served in this run.
	owners map[[32]byte]Binding
	// conflicts are accounts refused because another account of the run
	// holds the same key (see Reserve).
	conflicts map[string]string
}

// Binding names an account and the variable holding its key.
type Binding struct{ Account, Env string }

// Key reads and checks the API key of account from tokenEnv. It refuses,
// naming only variables and accounts, a key that is missing, padded with a
// "Bearer " prefix or inner white space, or that another account of the run
// already uses.
func (c *Credentials) Key(account, tokenEnv string) (string, error) {
	raw, ok := c.LookupEnv(tokenEnv)
	key := strings.TrimSpace(raw)
	if c.Secrets != nil {
		c.Secrets.Add(key, raw)
	}
	switch {
	case !ok || key == "":
		return "", fmt.Errorf("KrosAI account %s: environment variable %s is not set (it must hold the account's API key)", account, tokenEnv)
	case strings.HasPrefix(strings.ToLower(key), "bearer "):
		return "", fmt.Errorf("KrosAI account %s: %s starts with \"Bearer \": store the key alone", account, tokenEnv)
	case strings.ContainsAny(key, " \t\r\n"):
		return "", fmt.Errorf("KrosAI account %s: %s holds white space inside the key: store the key alone", account, tokenEnv)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if conflict := c.conflicts[account]; conflict != "" {
		return "", fmt.Errorf("KrosAI account %s: %s", account, conflict)
	}
	if c.owners == nil {
		c.owners = map[[32]byte]Binding{}
	}
	h := sha256.Sum256([]byte(key))
	if owner, seen := c.owners[h]; seen && owner.Account != account {
		return "", fmt.Errorf("KrosAI account %s: %s holds the same API key as %s of account %s; a key serves one account only",
			account, tokenEnv, owner.Env, owner.Account)
	}
	c.owners[h] = Binding{Account: account, Env: tokenEnv}
	return key, nil
}

// Reserve looks at the keys of every account the run may touch before any
// of them is used, and marks every account whose key another account of the
// run also holds: Key refuses all of them (refusing only the second would
// let the first read and write the other's agents).
func (c *Credentials) Reserve(accounts []Binding) {
	byKey := map[[32]byte][]Binding{}
	for _, b := range accounts {
		raw, _ := c.LookupEnv(b.Env)
		if key := strings.TrimSpace(raw); key != "" {
			h := sha256.Sum256([]byte(key))
			byKey[h] = append(byKey[h], b)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conflicts == nil {
		c.conflicts = map[string]string{}
	}
	for _, users := range byKey {
		names := map[string]bool{}
		var labels []string
		for _, u := range users {
			names[u.Account] = true
			labels = append(labels, u.Env+" (account "+u.Account+")")
		}
		if len(names) < 2 {
			continue
		}
		sort.Strings(labels)
		msg := "one API key serves " + strings.Join(labels, ", ") + "; a key belongs to one account, so none of them is used"
		for name := range names {
			c.conflicts[name] = msg
		}
	}
}
