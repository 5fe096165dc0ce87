package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider/highlevel"
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
		g.kros.sandboxURL = url // it serves KrosAI's paths too
	}
	c, err := api.New(api.Options{BaseURL: endpoint, UserAgent: "agentform/" + version, Logger: g.logger, Redactor: g.secrets})
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
		token, err := g.sim.MintToken(locationID, sim.LocationScopes(!g.readOnly)...)
		if err != nil {
			return nil, fmt.Errorf("location %s: sandbox token: %w", locationID, err)
		}
		return c.Location(locationID, token), nil
	}
	if tokenEnv == "" {
		if !g.agencyMode() {
			return nil, fmt.Errorf("location %s: its token is minted from an agency credential: set %s and %s", locationID, envAgencyToken, envCompanyID)
		}
		return g.agencyLocation(ctx, c, locationID, !g.readOnly)
	}
	token, err := g.credentials().Token(locationID, tokenEnv)
	if err != nil {
		return nil, err
	}
	return c.Location(locationID, token), nil
}

// reserveTokens looks at the tokens of every location the run may touch
// before any is used (see highlevel.Credentials.Reserve); sandbox tokens are
// minted per location, so there is nothing to look at with --sandbox.
func (g *globals) reserveTokens(locs []highlevel.Binding) {
	if g.sim != nil || g.sandbox != "" {
		return
	}
	g.credentials().Reserve(locs)
}

// credentials are the run's token rules, reading g's environment.
func (g *globals) credentials() *highlevel.Credentials {
	g.credsOnce.Do(func() { g.creds = &highlevel.Credentials{LookupEnv: g.lookupEnv, Secrets: g.secrets} })
	return g.creds
}

// startSandbox serves an in-process sandbox on a loopback port, with state in
// g.sandbox, and returns its base URL. closeSandbox stops it and saves state.
func (g *globals) startSandbox() (string, error) {
	if dir := filepath.Dir(g.sandbox); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("sandbox state folder: %w", err)
		}
	}
	_, statErr := os.Stat(g.sandbox)
	g.sandboxNew = errors.Is(statErr, fs.ErrNotExist)
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
	if err := g.seedSandbox(); err != nil {
		return "", err
	}
	return "http://" + ln.Addr().String(), nil
}

// sandboxSeedFile is the seed file --sandbox loads into a new sandbox: the
// nearest one above the manifests given (examples/sandbox-seed.yaml for
// examples/locations), so the examples' names resolve with no account.
const sandboxSeedFile = "sandbox-seed.yaml"

// findSandboxSeeds returns, for the manifest paths, the nearest
// sandbox-seed.yaml in each one's parent folder or above (a manifest folder
// itself is not searched: every YAML file there is a manifest).
func findSandboxSeeds(paths []string) []string {
	var out []string
	for _, p := range paths {
		dir := filepath.Dir(filepath.Clean(p))
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			dir = filepath.Dir(dir)
		}
		for {
			candidate := filepath.Join(dir, sandboxSeedFile)
			if info, err := os.Stat(candidate); err == nil && info.Mode().IsRegular() {
				if !slices.Contains(out, candidate) {
					out = append(out, candidate)
				}
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir || dir == "." || dir == ".." {
				break
			}
			dir = parent
		}
	}
	return out
}

// seedSandbox loads the seed files found for the manifests into the
// in-process sandbox when this run created its state (a sandbox in use is
// never seeded again). It runs when both the sandbox and the manifests are
// known, in whichever order they come.
func (g *globals) seedSandbox() error {
	if g.sim == nil || !g.sandboxNew {
		return nil
	}
	for _, file := range g.sandboxSeeds {
		if g.sandboxSeeded[file] {
			continue
		}
		seed, err := sim.ReadSeedFile(file)
		if err != nil {
			return fmt.Errorf("sandbox seed: %w", err)
		}
		stats, err := g.sim.LoadSeed(seed)
		if err != nil {
			return fmt.Errorf("sandbox seed %s: %w", file, err)
		}
		if g.sandboxSeeded == nil {
			g.sandboxSeeded = map[string]bool{}
		}
		g.sandboxSeeded[file] = true
		g.logger.Info("sandbox seeded", "file", file, "locations", stats.Locations)
	}
	return nil
}

// closeSandbox stops the in-process sandbox, if any, and saves its state.
// The command is done with the API when it runs, so the server closes at
// once: Shutdown would wait, up to seconds, for the client's keep-alive
// connections to turn idle.
func (g *globals) closeSandbox() error {
	if g.sim == nil {
		return nil
	}
	_ = g.simServer.Close()
	err := g.sim.Close()
	g.sim, g.simServer = nil, nil
	if err != nil {
		return fmt.Errorf("save sandbox state: %w", err)
	}
	return nil
}
