package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/spf13/cobra"
)

// addEndpointFlags adds the flags of commands that talk to the API.
func (g *globals) addEndpointFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.endpoint, "endpoint", "", "API base URL (env AGENTFORM_ENDPOINT; default "+api.DefaultBaseURL+")")
}

// apiClient returns the API client for the chosen endpoint: the in-process
// sandbox with --sandbox, else --endpoint, AGENTFORM_ENDPOINT or HighLevel.
func (g *globals) apiClient() (*api.Client, error) {
	if g.api != nil {
		return g.api, nil
	}
	endpoint := g.endpoint
	if endpoint == "" {
		endpoint, _ = g.lookupEnv("AGENTFORM_ENDPOINT")
	}
	if g.sandbox != "" {
		if g.endpoint != "" {
			return nil, errors.New("--sandbox and --endpoint exclude each other")
		}
		url, err := g.startSandbox()
		if err != nil {
			return nil, err
		}
		endpoint = url
	}
	c, err := api.New(api.Options{BaseURL: endpoint, UserAgent: "agentform/" + version, Logger: g.logger})
	if err != nil {
		return nil, err
	}
	g.api = c
	return c, nil
}

// location returns an API handle for a location, with the token read from the
// environment variable tokenEnv. Errors name the variable, never its value.
// With --sandbox the token is minted in the sandbox instead: read-only when
// the command only reads (g.readOnly), so plan proves it needs no write scope.
func (g *globals) location(ctx context.Context, c *api.Client, locationID, tokenEnv string) (*api.Location, error) {
	if g.sim != nil {
		scopes := []string{api.ScopeReadonly}
		if !g.readOnly {
			scopes = append(scopes, api.ScopeWrite)
		}
		token, err := g.sim.MintToken(locationID, scopes...)
		if err != nil {
			return nil, fmt.Errorf("location %s: sandbox token: %w", locationID, err)
		}
		return c.Location(locationID, token), nil
	}
	token, err := g.tokenFor(locationID, tokenEnv)
	if err != nil {
		return nil, err
	}
	return c.Location(locationID, token), nil
}

// tokenFor reads and checks the token of a location from tokenEnv. It refuses,
// naming only variables and ids, a token that is missing, padded with a
// "Bearer " prefix or inner white space, that claims another location (OAuth
// JWTs say which location they belong to), or that another location of the
// same run already uses: the token decides the location on the server, so a
// wrong one would read and write another location's agents.
func (g *globals) tokenFor(locationID, tokenEnv string) (string, error) {
	raw, ok := g.lookupEnv(tokenEnv)
	token := strings.TrimSpace(raw)
	switch {
	case !ok || token == "":
		return "", fmt.Errorf("location %s: environment variable %s is not set (it must hold the location's token)", locationID, tokenEnv)
	case strings.HasPrefix(strings.ToLower(token), "bearer "):
		return "", fmt.Errorf("location %s: %s starts with \"Bearer \": store the token alone", locationID, tokenEnv)
	case strings.ContainsAny(token, " \t\r\n"):
		return "", fmt.Errorf("location %s: %s holds white space inside the token: store the token alone", locationID, tokenEnv)
	}
	g.tokensMu.Lock()
	conflict := g.tokenConflicts[locationID]
	g.tokensMu.Unlock()
	if conflict != "" {
		return "", fmt.Errorf("location %s: %s", locationID, conflict)
	}
	if claimed, ok := api.TokenLocation(token); ok && claimed != locationID {
		return "", fmt.Errorf("location %s: the token in %s belongs to location %s, not %s", locationID, tokenEnv, claimed, locationID)
	}
	g.tokensMu.Lock()
	defer g.tokensMu.Unlock()
	if g.tokenOwners == nil {
		g.tokenOwners = map[[32]byte]tokenOwner{}
	}
	key := sha256.Sum256([]byte(token))
	if owner, seen := g.tokenOwners[key]; seen && owner.location != locationID {
		return "", fmt.Errorf("location %s: %s holds the same token as %s of location %s; a token serves one location only",
			locationID, tokenEnv, owner.env, owner.location)
	}
	g.tokenOwners[key] = tokenOwner{location: locationID, env: tokenEnv}
	return token, nil
}

// locationToken names a location and the variable holding its token.
type locationToken struct{ location, env string }

// reserveTokens looks at the tokens of every location the run may touch
// before any of them is used, and marks every location whose token another
// location of the run also holds: tokenFor refuses all of them. (Refusing only
// the second one would let the first read and write the other's agents: the
// token, not the id, decides the location.)
func (g *globals) reserveTokens(locs []locationToken) {
	if g.sim != nil || g.sandbox != "" {
		return // sandbox tokens are minted per location
	}
	byToken := map[[32]byte][]locationToken{}
	var order [][32]byte
	for _, l := range locs {
		raw, _ := g.lookupEnv(l.env)
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
	g.tokensMu.Lock()
	defer g.tokensMu.Unlock()
	if g.tokenConflicts == nil {
		g.tokenConflicts = map[string]string{}
	}
	for _, key := range order {
		users := byToken[key]
		ids := map[string]bool{}
		var names []string
		for _, u := range users {
			if !ids[u.location] {
				ids[u.location] = true
			}
			names = append(names, u.env+" (location "+u.location+")")
		}
		if len(ids) < 2 {
			continue
		}
		msg := "one token serves " + strings.Join(names, ", ") + "; a token belongs to one location, so none of them is used"
		for id := range ids {
			g.tokenConflicts[id] = msg
		}
	}
}

// tokenOwner is the first location (and variable) a token was used for.
type tokenOwner struct{ location, env string }

// startSandbox serves an in-process sandbox on a loopback port, with state in
// g.sandbox, and returns its base URL. closeSandbox stops it and saves state.
func (g *globals) startSandbox() (string, error) {
	if dir := filepath.Dir(g.sandbox); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("sandbox state folder: %w", err)
		}
	}
	s, err := sim.New(sim.Options{StatePath: g.sandbox})
	if err != nil {
		return "", fmt.Errorf("start sandbox: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("start sandbox: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	g.sim = s
	g.simServer = srv
	g.logger.Info("sandbox started", "state", g.sandbox, "addr", ln.Addr().String())
	return "http://" + ln.Addr().String(), nil
}

// closeSandbox stops the in-process sandbox, if any, and saves its state.
func (g *globals) closeSandbox() error {
	if g.sim == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = g.simServer.Shutdown(ctx)
	err := g.sim.Close()
	g.sim, g.simServer = nil, nil
	if err != nil {
		return fmt.Errorf("save sandbox state: %w", err)
	}
	return nil
}
