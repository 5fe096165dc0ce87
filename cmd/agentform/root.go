package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/agentform/agentform/internal/redact"
	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/spf13/cobra"
)

// Exit codes CI relies on.
const (
	exitOK      = 0 // success, or no changes
	exitError1  = 1 // error
	exitChanges = 2 // changes present (with --detailed-exitcode)
	exitSafety  = 3 // refused by a safety guard
	exitStale   = 4 // refused as a stale plan
)

// exitError carries an exit code through cobra. A nil err prints nothing more.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// withCode wraps err so the process exits with code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// globals are the flags and streams every command shares.
type globals struct {
	stdin          io.Reader
	stdout, stderr io.Writer // redacting writers over the real streams
	lookupEnv      func(string) (string, bool)
	// secrets holds every credential the run has read or minted; stdout,
	// stderr, logs and the API clients mask them.
	secrets *redact.Redactor
	// tty says which of the real streams are terminals.
	tty terminals

	endpoint  string
	sandbox   string // state file of the in-process sandbox; "" when not used
	logLevel  string
	logFormat string
	noColor   bool

	logger *slog.Logger

	// readOnly is set by commands that only read (plan, export, generations):
	// with --sandbox they get a read-only token.
	readOnly  bool
	api       *api.Client
	sim       *sim.Server
	simServer *http.Server
	// sandboxNew is true when this run created the sandbox's state; it is
	// then seeded from sandboxSeeds (see seedSandbox).
	sandboxNew    bool
	sandboxSeeds  []string
	sandboxSeeded map[string]bool

	// agency mints location tokens in agency mode (see agencyTokens).
	agencyOnce sync.Once
	agency     *api.AgencyTokens
	agencyErr  error
	// creds are the run's token rules (see credentials).
	credsOnce sync.Once
	creds     *highlevel.Credentials

	// kros is the KrosAI side of the run (krosai.go).
	kros krosaiState
}

// defaultSandboxState is where --sandbox keeps its state when no file is named.
const defaultSandboxState = ".agentform/sandbox.db"

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use: "agentform",
		Example: `  agentform validate examples/locations
  agentform plan --sandbox examples/locations
  agentform apply --sandbox --auto-approve examples/locations`,
		Short:         "Manage HighLevel Conversation AI agents as code",
		Long:          "agentform keeps HighLevel Conversation AI agents, actions and follow-up settings in git:\nvalidate manifests, plan changes against live state, apply them safely.",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return g.setup()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	pf.StringVar(&g.logFormat, "log-format", "text", "log format: text or json")
	pf.BoolVar(&g.noColor, "no-color", false, "disable colours (NO_COLOR is honoured too)")
	pf.StringVar(&g.sandbox, "sandbox", "", "run against an in-process sandbox whose state persists in FILE (default "+defaultSandboxState+"); tokens are arranged automatically")
	pf.Lookup("sandbox").NoOptDefVal = defaultSandboxState

	versionFlag(root)
	for _, add := range commandAdders {
		root.AddCommand(add(g))
	}
	return root
}

// commandAdders are filled by the files that define each command, so every
// command lives in a file of its own.
var commandAdders []func(*globals) *cobra.Command

func (g *globals) setup() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(g.logFormat) {
	case "text":
		g.logger = slog.New(slog.NewTextHandler(g.stderr, opts))
	case "json":
		g.logger = slog.New(slog.NewJSONHandler(g.stderr, opts))
	default:
		return fmt.Errorf("--log-format %q: want text or json", g.logFormat)
	}
	if _, ok := g.lookupEnv("NO_COLOR"); ok {
		g.noColor = true
	}
	return nil
}

// terminals says which standard streams are terminals (read before they are
// wrapped).
type terminals struct{ stdin, stdout, stderr bool }

// flush passes on output the redacting writers hold back (an unfinished
// line, such as a prompt).
func (g *globals) flush() {
	for _, w := range []io.Writer{g.stdout, g.stderr} {
		if f, ok := w.(interface{ Flush() error }); ok {
			_ = f.Flush()
		}
	}
}
