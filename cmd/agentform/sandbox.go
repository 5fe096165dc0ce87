package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/krosai"
	"github.com/spf13/cobra"
)

func init() { commandAdders = append(commandAdders, newSandboxCmd) }

// newSandboxCmd is "agentform sandbox": a local stand-in for HighLevel's
// Conversation AI API and KrosAI's agents API.
func newSandboxCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a local stand-in for the Conversation AI and KrosAI APIs",
		Long: "The sandbox serves the 12 Conversation AI endpoints as HighLevel's OpenAPI documents describe them,\n" +
			"with tokens bound to locations, rate limits and fault injection, so agentform can be tried with no\n" +
			"HighLevel account. The same server answers KrosAI's agents API under /v1 (agents, voice sessions,\n" +
			"conversations, knowledge bases and documents), with API keys bound to KrosAI accounts.",
	}
	cmd.AddCommand(newSandboxServeCmd(g), newSandboxTokenCmd(g), newSandboxSeedCmd(g))
	return cmd
}

// shutdownGrace bounds how long serve waits for in-flight requests.
const shutdownGrace = 30 * time.Second

func newSandboxServeCmd(g *globals) *cobra.Command {
	var (
		addr, state, rateLimit, faults, versions string
		latency, tokenTTL, indexDelay            time.Duration
		seed                                     int64
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox until interrupted",
		Example: `  agentform sandbox serve --state sandbox.db
  agentform sandbox serve --addr 127.0.0.1:0 --latency 20ms --faults 5xx=0.1,429=0.05,drop=0.03,reset=0.02`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := sim.Options{StatePath: state, Latency: latency, Seed: seed, TokenTTL: tokenTTL}
			if tokenTTL <= 0 {
				return fmt.Errorf("--token-ttl %s: want a positive duration", tokenTTL)
			}
			switch {
			case indexDelay < 0:
				return fmt.Errorf("--krosai-index-delay %s: want 0 or a positive duration", indexDelay)
			case indexDelay == 0:
				opts.KrosAIIndexDelay = -1 // Options' zero value means the default
			default:
				opts.KrosAIIndexDelay = indexDelay
			}
			var err error
			if opts.RateLimit, opts.RateWindow, err = sim.ParseRateLimit(rateLimit); err != nil {
				return fmt.Errorf("--rate-limit: %w", err)
			}
			if opts.Faults, err = sim.ParseFaults(faults); err != nil {
				return fmt.Errorf("--faults: %w", err)
			}
			if opts.APIVersions, err = sim.ParseAPIVersions(versions); err != nil {
				return fmt.Errorf("--api-versions: %w", err)
			}
			return serveSandbox(cmd.Context(), g, addr, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:4010", "address to listen on (port 0 picks a free port)")
	f.StringVar(&state, "state", "", "state database (SQLite; created if missing): every write is committed before it is answered (default: memory only)")
	f.DurationVar(&latency, "latency", 0, "latency added to every request, such as 20ms")
	f.StringVar(&rateLimit, "rate-limit", "100/10s", "requests per window per location and per KrosAI account, or off (the daily cap is 200000)")
	f.StringVar(&faults, "faults", "", "share of requests hit by each fault: 5xx, 429, drop, reset, truncated (e.g. 5xx=0.1,drop=0.03)")
	f.Int64Var(&seed, "seed", 0, "seed of the fault generator, to replay a run")
	f.DurationVar(&tokenTTL, "token-ttl", sim.DefaultTokenTTL, "lifetime of location tokens minted by POST /oauth/locationToken (then they answer 401 Invalid JWT)")
	f.StringVar(&versions, "api-versions", strings.Join(sim.DefaultAPIVersions, ","), "accepted Version header values, comma-separated (a missing or other value answers 400)")
	f.DurationVar(&indexDelay, "krosai-index-delay", krosai.DefaultIndexDelay, "how long an uploaded KrosAI document stays processing before it is ready (0: ready at the first read)")
	return cmd
}

// serveSandbox serves until ctx ends, then lets in-flight requests finish
// and saves the state.
func serveSandbox(ctx context.Context, g *globals, addr string, opts sim.Options) error {
	s, err := sim.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		fmt.Fprintf(g.stderr, "warning: the sandbox listens on %s, beyond this machine\n", ln.Addr())
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(g.stdout, "sandbox listening on http://%s\n", ln.Addr())
	g.logger.Info("sandbox started", "addr", ln.Addr().String(), "state", opts.StatePath,
		"latency", opts.Latency, "faults", opts.Faults.String())

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	shutdownErr := srv.Shutdown(shutdownCtx)
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	if err := s.Close(); err != nil {
		return err
	}
	if serveErr != nil {
		return fmt.Errorf("sandbox: %w", serveErr)
	}
	if shutdownErr != nil {
		return fmt.Errorf("sandbox: shutdown: %w", shutdownErr)
	}
	g.logger.Info("sandbox stopped", "state", opts.StatePath)
	return nil
}

// defaultKrosAIAccount is the KrosAI account "sandbox token --krosai" mints
// a key of when --account is not given.
const defaultKrosAIAccount = "default"

func newSandboxTokenCmd(g *globals) *cobra.Command {
	var state, location, company, scope, scopeList, account string
	var krosAI bool
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Mint a sandbox location, agency or KrosAI token and print it",
		Long: "token prints, and nothing else, on stdout a token with the scope: the existing one, or a new one it adds to the sandbox state database.\n" +
			"A sandbox serving that database accepts it at once.\n\n" +
			"--location ID mints a location (sub-account) token: --scope readonly grants conversation-ai.readonly and the read scopes of\n" +
			"the lookups (workflows.readonly, calendars.readonly, locations/customFields.readonly, users.readonly); write adds\n" +
			"conversation-ai.write. --company ID mints an agency token of a seeded company: the same scopes plus oauth.readonly,\n" +
			"oauth.write and locations.readonly, so even a read-only agency token mints (read-only) location tokens.\n" +
			"--scopes a,b,... grants exactly the listed scopes instead.\n\n" +
			"--krosai mints a KrosAI API key of the account --account names (default \"default\"; created if missing): the\n" +
			"account's existing key, or a new one. A key sees only its own account's agents, knowledge bases and conversations.",
		Example: `  export TOKEN_MAIN=$(agentform sandbox token --state sandbox.db --location ve9EPM428h8vShlRW1KT --scope write)
  export HIGHLEVEL_AGENCY_TOKEN=$(agentform sandbox token --state sandbox.db --company compAcme --scope readonly)
  export KROSAI_API_KEY=$(agentform sandbox token --state sandbox.db --krosai --account "Acme Voice")`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if krosAI || cmd.Flags().Changed("account") {
				return mintKrosAIKey(cmd, g, state, account, krosAI, location != "" || company != "")
			}
			if (location == "") == (company == "") {
				return errors.New("give either --location (a location token) or --company (an agency token)")
			}
			var write bool
			switch scope {
			case "readonly":
			case "write":
				write = true
			default:
				return fmt.Errorf("--scope %q: want readonly or write", scope)
			}
			scopes := sim.LocationScopes(write)
			if company != "" {
				scopes = sim.AgencyScopes(write)
			}
			if cmd.Flags().Changed("scopes") {
				scopes = nil
				for _, sc := range strings.Split(scopeList, ",") {
					if sc = strings.TrimSpace(sc); sc != "" {
						scopes = append(scopes, sc)
					}
				}
			}
			s, err := sim.New(sim.Options{StatePath: state})
			if err != nil {
				return err
			}
			defer s.Close()
			var tok string
			if company != "" {
				tok, err = s.MintAgencyToken(company, scopes...)
			} else {
				tok, err = s.MintToken(location, scopes...)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(g.stdout, tok)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&state, "state", "", "sandbox state database (created if missing)")
	f.StringVar(&location, "location", "", "location id a location token is bound to")
	f.StringVar(&company, "company", "", "company id of an agency token (seed the company first)")
	f.StringVar(&scope, "scope", "readonly", "readonly or write")
	f.StringVar(&scopeList, "scopes", "", "exact scopes to grant, comma-separated (instead of --scope's set)")
	f.BoolVar(&krosAI, "krosai", false, "mint a KrosAI API key instead of a HighLevel token")
	f.StringVar(&account, "account", defaultKrosAIAccount, "KrosAI account the --krosai key belongs to (created if missing)")
	_ = cmd.MarkFlagRequired("state")
	return cmd
}

// mintKrosAIKey is "sandbox token --krosai": it prints a KrosAI API key of
// account and nothing else.
func mintKrosAIKey(cmd *cobra.Command, g *globals, state, account string, krosAI, highLevel bool) error {
	switch {
	case !krosAI:
		return errors.New("--account names a KrosAI account: give --krosai too")
	case highLevel || cmd.Flags().Changed("scope") || cmd.Flags().Changed("scopes"):
		return errors.New("--krosai mints a KrosAI key: --location, --company, --scope and --scopes are for HighLevel tokens")
	}
	s, err := sim.New(sim.Options{StatePath: state})
	if err != nil {
		return err
	}
	defer s.Close()
	key, err := s.MintKrosAIKey(account)
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, key)
	return nil
}

func newSandboxSeedCmd(g *globals) *cobra.Command {
	var state string
	cmd := &cobra.Command{
		Use:   "seed SEED.yaml",
		Short: "Load companies, locations, lookups, agents and KrosAI accounts into the sandbox",
		Long: "seed loads a seed file (YAML, or JSON for big fleets) into the sandbox state database in one transaction: all of it or,\n" +
			"on an error naming the file, line and field, nothing. A sandbox serving that database sees it at once.\n\n" +
			"  companies:\n" +
			"    - id: compAcme\n" +
			"      locations:\n" +
			"        - id: locA\n" +
			"          name: Acme Dental Austin\n" +
			"          installed: true          # the app is installed (default)\n" +
			"          workflows: [{id: wf1, name: Confirm booking}]\n" +
			"          calendars: [{id: cal1, name: Cleanings}]\n" +
			"          customFields: [{id: cf1, name: Insurance provider, fieldKey: contact.insurance_provider}]\n" +
			"          users: [{id: u1, name: Dana Smith, email: dana@acme.test}]\n" +
			"          knowledgeBases: [{id: kb1, name: Clinic FAQ}]\n" +
			"          agents: [...]            # as GET agent answers them, actions as GET actions/list does\n" +
			"          generations: [{messageId: m1}]\n" +
			"  krosaiAccounts:\n" +
			"    - name: Acme Voice\n" +
			"      knowledgeBases:\n" +
			"        - {id: kb-faq, name: Product FAQ, documents: [{file: docs/faq.md}, {name: notes.txt, content: Open 9-5}]}\n" +
			"      agents: [{name: Support, system_prompt: Be brief., knowledge_base_ids: [kb-faq]}]\n\n" +
			"See go doc ./pkg/sim and go doc ./pkg/sim/krosai for the whole format.",
		Example: `  agentform sandbox seed --state sandbox.db fleet.yaml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			seed, err := sim.ReadSeedFile(args[0])
			if err != nil {
				return err
			}
			s, err := sim.New(sim.Options{StatePath: state})
			if err != nil {
				return err
			}
			start := time.Now()
			st, err := s.LoadSeed(seed)
			if cerr := s.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "seeded %s in %s\n", st, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "sandbox state database (created if missing)")
	_ = cmd.MarkFlagRequired("state")
	return cmd
}
