package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/internal/atomicfile"
	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/export"
	"github.com/agentform/agentform/pkg/spec"
)

func init() { commandAdders = append(commandAdders, newExportCmd) }

var envNamePattern = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// errTokenEnvName refuses a --token-env that is not a variable name without
// repeating it: the usual mistake is passing the token itself.
var errTokenEnvName = errors.New("--token-env must name an environment variable (such as HIGHLEVEL_TOKEN), not hold the token itself")

// exportTarget is one location to export and the variable holding its token.
type exportTarget struct{ id, tokenEnv string }

func newExportCmd(g *globals) *cobra.Command {
	var (
		locations     []string
		locationsFile string
		outDir        string
		tokenEnv      string
		parallelism   int
		all           bool
		company       string
		rawIDs        bool
		krosAI        bool
		account       string
	)
	cmd := &cobra.Command{
		Use:   "export (--location ID... | --locations-file FILE | --all) [--out DIR] | export --krosai [--token-env VAR] [--account NAME] [--out DIR]",
		Short: "Write manifests from the live state of locations (adopt what exists)",
		Long: `export reads every agent, action and follow-up setting of the named locations
and writes one manifest per location. A plan on the result shows no changes.

The token of a location named with --location comes from the variable named
by --token-env; the token decides the location, so one --location per run.
For many locations use a --locations-file: one location id per line, followed
by the name of the variable holding that location's token (default
--token-env); blank lines and lines starting with # are ignored. Locations
whose variables hold the same token are refused.

--all exports every sub-account of the agency (HIGHLEVEL_AGENCY_TOKEN and
HIGHLEVEL_COMPANY_ID; with --sandbox, the seeded company named by --company or
HIGHLEVEL_COMPANY_ID), with tokens minted from the agency credential: the
manifests declare no tokenEnv, location.name is the sub-account's name, and
each file is named after it (lower case, letters and digits joined by "-";
sub-accounts whose names give the same file name get their id appended).

Every agent is pinned to its live id (id:). The ids of workflows, calendars,
custom fields, users and knowledge bases that actions and agents hold are
written as names ({name: ...}; a user as {email: ...} when names repeat)
wherever exactly one object of the location has that name; the lists are
read only for kinds the agents hold ids of. --raw-ids keeps the ids. A token
that may not read a list keeps that kind's ids, with a warning naming the
scope.

With --krosai it exports the KrosAI account whose API key is in --token-env
(default KROSAI_API_KEY) as a KrosAIAccount manifest named after --account:
knowledge bases, voice agents (knowledge bases by name) and, in comments,
the documents, whose contents the API cannot download.`,
		Example: `  HIGHLEVEL_TOKEN=... agentform export --location ve9EPM428h8vShlRW1KT --out locations/
  agentform export --locations-file fleet.txt --out locations/   # lines: "<id> HL_TOKEN_<NAME>"
  agentform export --sandbox --location ve9EPM428h8vShlRW1KT
  agentform export --all --out locations/                       # every sub-account, agency credential
  KROSAI_API_KEY=... agentform export --krosai --account "Acme Voice" --out accounts/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if krosAI || cmd.Flags().Changed("account") {
				if !krosAI {
					return errors.New("--account names a KrosAI account: give --krosai too")
				}
				return g.runExportKrosAI(cmd.Context(), exportKrosAIFlags{account: account, tokenEnv: tokenEnv, outDir: outDir,
					tokenEnvSet: cmd.Flags().Changed("token-env"), locations: len(locations) > 0 || locationsFile != ""})
			}
			g.readOnly = true
			if !envNamePattern.MatchString(tokenEnv) {
				return errTokenEnvName
			}
			if all && (len(locations) > 0 || locationsFile != "") {
				return errors.New("--all exports every sub-account of the agency: give no --location or --locations-file with it")
			}
			if all && outDir == "" {
				return errors.New("--all needs --out DIR")
			}
			if all && cmd.Flags().Changed("token-env") {
				return errors.New("--token-env does not apply to --all: its tokens are minted from the agency credential")
			}
			if company != "" && !all {
				return errors.New("--company names the sandbox company of --all")
			}
			targets := make([]exportTarget, 0, len(locations))
			for _, id := range locations {
				targets = append(targets, exportTarget{id, tokenEnv})
			}
			if locationsFile != "" {
				more, err := readLocationsFile(locationsFile, tokenEnv)
				if err != nil {
					return err
				}
				targets = append(targets, more...)
			}
			if len(targets) == 0 && !all {
				return fmt.Errorf("name at least one location with --location, --locations-file or --all")
			}
			if len(targets) > 1 && outDir == "" {
				return fmt.Errorf("exporting %d locations needs --out DIR", len(targets))
			}
			if len(locations) > 1 && g.sandbox == "" {
				return fmt.Errorf("%d --location flags would share the token in %s, but the token decides the location: export one location per run, or give each its own variable in a --locations-file", len(locations), tokenEnv)
			}
			client, err := g.apiClient()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			// Sub-accounts of --all: their names, and the files named after them.
			var subNames, subFiles map[string]string
			if all {
				var more []exportTarget
				if more, subNames, subFiles, err = g.exportAllTargets(ctx, client, company); err != nil {
					return err
				}
				targets = append(targets, more...)
			}
			ids, envs := make([]string, len(targets)), make([]string, len(targets))
			for i, t := range targets {
				ids[i], envs[i] = t.id, t.tokenEnv
			}
			if err := g.prepareLocations(ctx, client, ids, envs); err != nil {
				return err
			}
			results := make([]*export.Result, len(targets))
			errs := make([]error, len(targets))
			group := errgroup.Group{}
			group.SetLimit(max(parallelism, 1))
			for i, t := range targets {
				group.Go(func() error {
					loc, err := g.location(ctx, client, t.id, t.tokenEnv)
					if err != nil {
						errs[i] = err
						return nil
					}
					schema := "../schemas/location.schema.json"
					results[i], errs[i] = export.Location(ctx, loc, export.Options{LocationID: t.id, Name: subNames[t.id],
						TokenEnv: t.tokenEnv, SchemaPath: schema, RawIDs: rawIDs})
					return nil
				})
			}
			_ = group.Wait()
			failed := 0
			for i, t := range targets {
				if errs[i] != nil {
					failed++
					fmt.Fprintf(g.stderr, "location %s: %v\n", t.id, errs[i])
					continue
				}
				for _, w := range results[i].Warnings {
					fmt.Fprintf(g.stderr, "warning: location %s: %s\n", t.id, w)
				}
				if outDir == "" {
					if _, err := g.stdout.Write(results[i].YAML); err != nil {
						return err
					}
					continue
				}
				file := t.id + ".yaml"
				if f, ok := subFiles[t.id]; ok {
					file = f
				}
				if err := writeFileAtomic(filepath.Join(outDir, file), results[i].YAML); err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "wrote %s\n", filepath.Join(outDir, file))
			}
			if failed > 0 {
				return withCode(exitError1, fmt.Errorf("%d of %d locations could not be exported", failed, len(targets)))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&locations, "location", nil, "location id to export (repeatable)")
	f.StringVar(&locationsFile, "locations-file", "", "file with one location id per line (optionally followed by its token variable)")
	f.StringVar(&outDir, "out", "", "folder to write <location id>.yaml files (with --all, <sub-account name>.yaml) into (default: standard output, one location only)")
	f.StringVar(&tokenEnv, "token-env", spec.DefaultTokenEnv, "environment variable holding the token of the --location locations")
	f.IntVar(&parallelism, "parallelism", 16, "locations exported at once")
	f.BoolVar(&all, "all", false, "export every sub-account of the agency (agency credential; needs --out)")
	f.StringVar(&company, "company", "", "with --sandbox --all: the sandbox company (default HIGHLEVEL_COMPANY_ID)")
	f.BoolVar(&rawIDs, "raw-ids", false, "keep the ids of workflows, calendars, custom fields, users and knowledge bases instead of writing their names")
	f.BoolVar(&krosAI, "krosai", false, "export the KrosAI account of the API key in --token-env (default KROSAI_API_KEY) instead")
	f.StringVar(&account, "account", defaultExportAccount, "with --krosai: the account's name in the manifest (and the sandbox account with --sandbox)")
	g.addEndpointFlags(cmd)
	g.addKrosAIEndpointFlag(cmd)
	return cmd
}

// exportAllTargets lists the agency's sub-accounts for export --all: their
// targets (tokens minted), names and file names, by id.
func (g *globals) exportAllTargets(ctx context.Context, client *api.Client, company string) (targets []exportTarget, names, files map[string]string, err error) {
	companyID, subs, err := g.subAccounts(ctx, client, company)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(subs) == 0 {
		return nil, nil, nil, fmt.Errorf("company %s lists no sub-accounts: nothing to export", companyID)
	}
	names = make(map[string]string, len(subs))
	for _, sub := range subs {
		targets = append(targets, exportTarget{id: sub.ID})
		names[sub.ID] = sub.Name
	}
	return targets, names, export.FileNames(subs), nil
}

// readLocationsFile reads "ID [TOKEN_ENV]" lines.
func readLocationsFile(path, defaultEnv string) ([]exportTarget, error) {
	lines, err := readListFile(path, "--locations-file")
	if err != nil {
		return nil, err
	}
	out := make([]exportTarget, 0, len(lines))
	for _, l := range lines {
		fields := strings.Fields(l.text)
		t := exportTarget{id: fields[0], tokenEnv: defaultEnv}
		if len(fields) > 1 {
			t.tokenEnv = fields[1]
		}
		if len(fields) > 2 || !envNamePattern.MatchString(t.tokenEnv) {
			return nil, fmt.Errorf("%s:%d: want \"LOCATION_ID [TOKEN_ENV]\"", path, l.n)
		}
		out = append(out, t)
	}
	return out, nil
}

// listLine is one meaningful line of a list file, with its line number.
type listLine struct {
	n    int
	text string
}

// readListFile reads a list file given with flag: one entry per line, blank
// lines and lines starting with # skipped, white space trimmed.
func readListFile(path, flag string) ([]listLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	defer f.Close()
	var out []listLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, listLine{n, line})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return out, nil
}

// writeFileAtomic writes data to path through a temporary file and a rename.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, data, 0o644)
}
