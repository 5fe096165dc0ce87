// Package credential hands out the credentials of a run's targets from the
// environment, with the rules every provider shares: the credential, not the
// manifest, decides the target on the server, so a wrong or shared one would
// read and write another target's objects.
package credential

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/agentform/agentform/internal/redact"
)

// Words are how messages name a provider's targets and credentials.
type Words struct {
	// Target is the target kind ("location", "KrosAI account"); Short its
	// short form after a variable ("location", "account").
	Target, Short string
	// Secret is the credential ("token", "API key"); Held what a variable
	// must hold ("the location's token").
	Secret, Held string
	// Alone is the word in "store the X alone" ("token", "key").
	Alone string
}

// Binding names a target and the variable holding its credential.
type Binding struct{ Target, Env string }

// Rules read each target's credential from its variable and refuse one
// that is missing, padded with a "Bearer " prefix or inner white space, or
// held by another target of the run. It is safe for concurrent use; one
// value serves one run.
type Rules struct {
	Words Words
	// LookupEnv reads a variable (os.LookupEnv in the CLI).
	LookupEnv func(string) (string, bool)
	// Secrets, when not nil, learns every credential read, so output masks
	// it.
	Secrets *redact.Redactor
	// Check, when set, refuses a credential for reasons of the provider's
	// own (HighLevel: an OAuth token claiming another location).
	Check func(target, env, secret string) error

	mu        sync.Mutex
	owners    map[[32]byte]Binding // the first target each credential served
	conflicts map[string]string    // targets refused by Reserve, with why
}

// Get reads and checks the credential of target from env. Messages name
// variables and targets, never a credential.
func (r *Rules) Get(target, env string) (string, error) {
	w := r.Words
	raw, ok := r.LookupEnv(env)
	secret := strings.TrimSpace(raw)
	if r.Secrets != nil {
		r.Secrets.Add(secret, raw)
	}
	switch {
	case !ok || secret == "":
		return "", fmt.Errorf("%s %s: environment variable %s is not set (it must hold %s)", w.Target, target, env, w.Held)
	case strings.HasPrefix(strings.ToLower(secret), "bearer "):
		return "", fmt.Errorf("%s %s: %s starts with \"Bearer \": store the %s alone", w.Target, target, env, w.Alone)
	case strings.ContainsAny(secret, " \t\r\n"):
		return "", fmt.Errorf("%s %s: %s holds white space inside the %s: store the %s alone", w.Target, target, env, w.Alone, w.Alone)
	}
	r.mu.Lock()
	conflict := r.conflicts[target]
	r.mu.Unlock()
	if conflict != "" {
		return "", fmt.Errorf("%s %s: %s", w.Target, target, conflict)
	}
	if r.Check != nil {
		if err := r.Check(target, env, secret); err != nil {
			return "", fmt.Errorf("%s %s: %w", w.Target, target, err)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.owners == nil {
		r.owners = map[[32]byte]Binding{}
	}
	key := sha256.Sum256([]byte(secret))
	if owner, seen := r.owners[key]; seen && owner.Target != target {
		return "", fmt.Errorf("%s %s: %s holds the same %s as %s of %s %s; a %s serves one %s only",
			w.Target, target, env, w.Secret, owner.Env, w.Short, owner.Target, w.Alone, w.Short)
	}
	r.owners[key] = Binding{Target: target, Env: env}
	return secret, nil
}

// Reserve looks at the credentials of every target the run may touch
// before any is used, and marks every target whose credential another
// target of the run also holds: Get refuses all of them. (Refusing only the
// second would let the first read and write the other's objects.)
func (r *Rules) Reserve(bindings []Binding) {
	w := r.Words
	byKey := map[[32]byte][]Binding{}
	var order [][32]byte
	for _, b := range bindings {
		raw, _ := r.LookupEnv(b.Env)
		secret := strings.TrimSpace(raw)
		if secret == "" {
			continue
		}
		key := sha256.Sum256([]byte(secret))
		if _, seen := byKey[key]; !seen {
			order = append(order, key)
		}
		byKey[key] = append(byKey[key], b)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conflicts == nil {
		r.conflicts = map[string]string{}
	}
	for _, key := range order {
		users := byKey[key]
		targets := map[string]bool{}
		var labels []string
		for _, u := range users {
			targets[u.Target] = true
			labels = append(labels, u.Env+" ("+w.Short+" "+u.Target+")")
		}
		if len(targets) < 2 {
			continue
		}
		sort.Strings(labels)
		msg := fmt.Sprintf("one %s serves %s; a %s belongs to one %s, so none of them is used",
			w.Secret, strings.Join(labels, ", "), w.Alone, w.Short)
		for t := range targets {
			r.conflicts[t] = msg
		}
	}
}
