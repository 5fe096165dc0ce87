package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider/highlevel"
)

// The variables of agency mode: one agency (company) credential from which
// every location whose manifest names no tokenEnv gets a location token
// minted at run time.
const (
	envAgencyToken = highlevel.AgencyTokenEnv
	envCompanyID   = "HIGHLEVEL_COMPANY_ID"
)

// agencyMode reports whether the agency credential is set (both variables).
// The in-process sandbox arranges its tokens itself.
func (g *globals) agencyMode() bool {
	if g.sandbox != "" {
		return false
	}
	token, _ := g.lookupEnv(envAgencyToken)
	company, _ := g.lookupEnv(envCompanyID)
	return strings.TrimSpace(token) != "" && strings.TrimSpace(company) != ""
}

// agencyTokens returns the run's minter of location tokens (one per run, so
// each location's token is minted at most once).
func (g *globals) agencyTokens(c *api.Client) (*api.AgencyTokens, error) {
	g.agencyOnce.Do(func() {
		raw, _ := g.lookupEnv(envAgencyToken)
		companyRaw, _ := g.lookupEnv(envCompanyID)
		token, company := strings.TrimSpace(raw), strings.TrimSpace(companyRaw)
		g.secrets.Add(token, raw)
		switch {
		case token == "" || company == "":
			g.agencyErr = fmt.Errorf("agency mode needs both %s and %s", envAgencyToken, envCompanyID)
		case strings.HasPrefix(strings.ToLower(token), "bearer "):
			g.agencyErr = fmt.Errorf("%s starts with \"Bearer \": store the token alone", envAgencyToken)
		case strings.ContainsAny(token, " \t\r\n"):
			g.agencyErr = fmt.Errorf("%s holds white space inside the token: store the token alone", envAgencyToken)
		default:
			g.agency = api.NewAgencyTokens(c.Agency(company, token))
		}
	})
	return g.agency, g.agencyErr
}

// agencyLocation returns a handle for a location whose token is minted from
// the agency credential. The token is minted here, so a location outside
// the company, or without the app, fails with a message saying so before
// anything is read. With write, a credential that mints read-only tokens
// fails the location before any write.
func (g *globals) agencyLocation(ctx context.Context, c *api.Client, locationID string, write bool) (*api.Location, error) {
	tokens, err := g.agencyTokens(c)
	if err != nil {
		return nil, fmt.Errorf("location %s: %w", locationID, err)
	}
	scopes, err := tokens.Scopes(ctx, locationID)
	if err != nil {
		return nil, fmt.Errorf("location %s: %w", locationID, err)
	}
	if write && len(scopes) > 0 && !slices.Contains(scopes, api.ScopeWrite) {
		return nil, fmt.Errorf("location %s: the agency credential in %s mints tokens that cannot write (their scopes: %s): apply needs %s, so use the write credential",
			locationID, envAgencyToken, strings.Join(scopes, " "), api.ScopeWrite)
	}
	return tokens.Location(locationID), nil
}

// checkAgency mints the first agency location's token before any location
// is read, so that an agency credential that cannot mint (rejected, or
// without oauth.write) is one error, not one per location. Other mint
// failures belong to that location and are left to it.
func (g *globals) checkAgency(ctx context.Context, c *api.Client, locationIDs []string) error {
	if !g.agencyMode() || len(locationIDs) == 0 {
		return nil
	}
	tokens, err := g.agencyTokens(c)
	if err != nil {
		return withCode(exitError1, err)
	}
	_, err = tokens.Token(ctx, locationIDs[0])
	switch {
	case err == nil:
		return nil
	case api.IsAgencyRejected(err), api.IsMissingScope(err):
		why := "it was rejected"
		if scope, ok := api.MissingScope(err); ok && scope != "" {
			why = "it lacks the scope " + scope
		}
		return withCode(exitError1, fmt.Errorf("the agency credential in %s cannot mint location tokens for company %s (%s); nothing was read: %w",
			envAgencyToken, g.companyID(), why, err))
	case errors.Is(err, context.Canceled):
		return err
	}
	return nil // the first location's own problem: it fails alone
}

func (g *globals) companyID() string {
	v, _ := g.lookupEnv(envCompanyID)
	return strings.TrimSpace(v)
}

// agencyLocations lists the ids of targets whose tokens are minted (their
// manifests name no tokenEnv).
func agencyLocations(ids, tokenEnvs []string) []string {
	var out []string
	for i, id := range ids {
		if tokenEnvs[i] == "" {
			out = append(out, id)
		}
	}
	return out
}
