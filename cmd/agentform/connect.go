package main

import (
	"context"
	"fmt"

	"github.com/agentform/agentform/pkg/api"
	"github.com/spf13/cobra"
)

// addEndpointFlags adds the flags of commands that talk to the API.
func (g *globals) addEndpointFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.endpoint, "endpoint", "", "API base URL (env AGENTFORM_ENDPOINT; default "+api.DefaultBaseURL+")")
}

// apiClient returns the API client for the chosen endpoint.
// TODO(integration): --sandbox starts an in-process sandbox here.
func (g *globals) apiClient() (*api.Client, error) {
	endpoint := g.endpoint
	if endpoint == "" {
		endpoint, _ = g.lookupEnv("AGENTFORM_ENDPOINT")
	}
	return api.New(api.Options{BaseURL: endpoint, UserAgent: "agentform/" + version, Logger: g.logger})
}

// location returns an API handle for a location, with the token read from the
// environment variable tokenEnv. Errors name the variable, never its value.
func (g *globals) location(ctx context.Context, c *api.Client, locationID, tokenEnv string) (*api.Location, error) {
	token, ok := g.lookupEnv(tokenEnv)
	if !ok || token == "" {
		return nil, fmt.Errorf("location %s: environment variable %s is not set", locationID, tokenEnv)
	}
	return c.Location(locationID, token), nil
}
