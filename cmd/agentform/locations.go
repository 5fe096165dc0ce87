package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/spec"
)

func init() { commandAdders = append(commandAdders, newLocationsCmd) }

// inventoryRow is one line of the inventory: a sub-account of the agency,
// or a location the manifests declare that the agency does not list.
type inventoryRow struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Managed: a manifest at the paths given declares the location.
	Managed bool `json:"managed"`
	// SubAccount: the agency lists the location among its sub-accounts.
	SubAccount bool `json:"subAccount"`
	// Manifest is the file declaring the location, when one does.
	Manifest string `json:"manifest,omitempty"`
	// TokenEnv is the variable the manifest names for the location's token
	// (its name, never its value); "" when its token is minted.
	TokenEnv string `json:"tokenEnv,omitempty"`
}

func newLocationsCmd(g *globals) *cobra.Command {
	var format, company string
	cmd := &cobra.Command{
		Use:   "locations [PATH...]",
		Short: "List the agency's sub-accounts and whether the manifests at PATH manage them",
		Long: `locations lists the sub-accounts of the agency (GET /locations/search with the
agency credential: HIGHLEVEL_AGENCY_TOKEN with locations.readonly, and
HIGHLEVEL_COMPANY_ID), each with its id, its name and whether a manifest at
PATH declares it (managed). Locations the manifests declare that the agency
does not list follow, marked as not sub-accounts: their tokens cannot be
minted from the agency credential, so each needs its own tokenEnv.

--format json writes a JSON array of objects: id, name, managed, subAccount,
and manifest and tokenEnv where a manifest declares the location.

With --sandbox the in-process sandbox lists the company named by --company
(or HIGHLEVEL_COMPANY_ID), which must be seeded (agentform sandbox seed, or a
sandbox-seed.yaml above the manifests).`,
		Example: `  agentform locations locations/
  agentform locations --format json locations/ | jq -r '.[] | select(.managed | not) | .id'
  agentform locations --sandbox --company compExampleAgency examples/locations`,
		RunE: func(cmd *cobra.Command, args []string) error {
			g.readOnly = true
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			var set *spec.Set
			if len(args) > 0 {
				var err error
				if set, err = g.loadManifests(args); err != nil {
					return err
				}
			}
			client, err := g.apiClient()
			if err != nil {
				return fmt.Errorf("api client: %w", err)
			}
			companyID, subs, err := g.subAccounts(cmd.Context(), client, company)
			if err != nil {
				return err
			}
			rows := inventory(subs, set)
			for _, r := range rows {
				if !r.SubAccount && r.TokenEnv == "" {
					fmt.Fprintf(g.stderr, "warning: location %s (%s) is not a sub-account of company %s and names no tokenEnv: agency mode cannot mint its token\n",
						r.ID, r.Manifest, companyID)
				}
			}
			if format == "json" {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if rows == nil {
					rows = []inventoryRow{}
				}
				return enc.Encode(rows)
			}
			return writeInventory(g, rows, companyID, set != nil)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&company, "company", "", "with --sandbox: the sandbox company to list (default HIGHLEVEL_COMPANY_ID)")
	g.addEndpointFlags(cmd)
	return cmd
}

// inventory joins the agency's sub-accounts with the locations set declares
// (nil: none given): the sub-accounts sorted by name and id, then the
// declared locations the agency does not list, sorted by id.
func inventory(subs []api.LocationInfo, set *spec.Set) []inventoryRow {
	declared := map[string]*spec.Location{}
	if set != nil {
		for _, loc := range set.Locations {
			declared[loc.ID] = loc
		}
	}
	fill := func(r *inventoryRow, loc *spec.Location) {
		r.Managed, r.Manifest = true, loc.Pos.File
		if loc.TokenEnvDeclared {
			r.TokenEnv = loc.TokenEnv
		}
	}
	var rows []inventoryRow
	listed := map[string]bool{}
	for _, s := range subs {
		r := inventoryRow{ID: s.ID, Name: s.Name, SubAccount: true}
		if loc := declared[s.ID]; loc != nil {
			fill(&r, loc)
		}
		listed[s.ID] = true
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b inventoryRow) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	var extra []inventoryRow
	for id, loc := range declared {
		if !listed[id] {
			r := inventoryRow{ID: id, Name: loc.Name}
			fill(&r, loc)
			extra = append(extra, r)
		}
	}
	slices.SortFunc(extra, func(a, b inventoryRow) int { return cmp.Compare(a.ID, b.ID) })
	return append(rows, extra...)
}

// writeInventory prints the inventory as a table and a summary.
func writeInventory(g *globals, rows []inventoryRow, companyID string, withManifests bool) error {
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tMANAGED\tMANIFEST")
	var subs, managed, outside int
	for _, r := range rows {
		if !r.SubAccount {
			outside++
			continue
		}
		subs++
		file := "-"
		if r.Managed {
			managed++
			file = r.Manifest
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, oneLine(r.Name), yesNo(r.Managed), file)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if outside > 0 {
		fmt.Fprintf(g.stdout, "\nDeclared in the manifests, not sub-accounts of company %s:\n", companyID)
		tw = tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tMANIFEST\tTOKEN")
		for _, r := range rows {
			if r.SubAccount {
				continue
			}
			token := "minted: fails (no tokenEnv)"
			if r.TokenEnv != "" {
				token = "from " + r.TokenEnv
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, oneLine(r.Name), r.Manifest, token)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(g.stdout, "\n%d %s of company %s", subs, plural(subs, "sub-account"), companyID)
	if withManifests {
		fmt.Fprintf(g.stdout, ": %d managed, %d not managed", managed, subs-managed)
		if outside > 0 {
			fmt.Fprintf(g.stdout, "; %d declared %s not a sub-account", outside, plural(outside, "location"))
		}
	}
	fmt.Fprintln(g.stdout, ".")
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// oneLine keeps a name from breaking the table.
func oneLine(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Join(strings.Fields(s), " ")
}

// subAccounts lists the sub-accounts of the agency: with the agency
// credential (HIGHLEVEL_AGENCY_TOKEN, HIGHLEVEL_COMPANY_ID), or with
// --sandbox, the seeded company named by company (else
// HIGHLEVEL_COMPANY_ID) with an agency token minted in the sandbox.
func (g *globals) subAccounts(ctx context.Context, client *api.Client, company string) (string, []api.LocationInfo, error) {
	agency, err := g.agencyHandle(client, company)
	if err != nil {
		return "", nil, err
	}
	subs, err := agency.AllLocations(ctx)
	switch {
	case err == nil:
		return agency.CompanyID(), subs, nil
	case api.IsMissingScope(err):
		return "", nil, fmt.Errorf("listing the sub-accounts of company %s needs the scope %s, which the agency credential in %s lacks: %w",
			agency.CompanyID(), api.ScopeLocationsReadonly, envAgencyToken, err)
	case api.StatusOf(err) == 401:
		return "", nil, fmt.Errorf("the agency credential in %s was refused listing the sub-accounts of company %s (is %s its company?): %w",
			envAgencyToken, agency.CompanyID(), envCompanyID, err)
	}
	return "", nil, fmt.Errorf("list the sub-accounts of company %s: %w", agency.CompanyID(), err)
}

// agencyHandle returns the API handle of the agency credential, checked as
// agency mode checks it; with --sandbox, of an agency token minted in the
// sandbox for company (default HIGHLEVEL_COMPANY_ID).
func (g *globals) agencyHandle(client *api.Client, company string) (*api.Agency, error) {
	if g.sim != nil {
		if company == "" {
			company = g.companyID()
		}
		if company == "" {
			return nil, fmt.Errorf("--sandbox: name the sandbox company with --company or %s", envCompanyID)
		}
		token, err := g.sim.MintAgencyToken(company, sim.AgencyScopes(false)...)
		if err != nil {
			return nil, err
		}
		g.secrets.Add(token)
		return client.Agency(company, token), nil
	}
	if company != "" {
		return nil, fmt.Errorf("--company is for --sandbox: the agency credential's company is %s", envCompanyID)
	}
	if !g.agencyMode() {
		return nil, fmt.Errorf("listing the agency's sub-accounts needs the agency credential: set %s and %s", envAgencyToken, envCompanyID)
	}
	if _, err := g.agencyTokens(client); err != nil {
		return nil, err
	}
	raw, _ := g.lookupEnv(envAgencyToken)
	return client.Agency(g.companyID(), strings.TrimSpace(raw)), nil
}
