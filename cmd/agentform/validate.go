package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/agentform/agentform/pkg/spec"
	"github.com/spf13/cobra"
)

func init() { commandAdders = append(commandAdders, newValidateCmd) }

// validateReport is the --format json output of validate.
type validateReport struct {
	Valid     bool            `json:"valid"`
	Errors    []validateError `json:"errors"`
	Warnings  []validateError `json:"warnings"`
	Locations int             `json:"locations"`
	Agents    int             `json:"agents"`
	Actions   int             `json:"actions"`
	// KrosAI accounts, their voice agents and knowledge bases.
	Accounts       int `json:"accounts"`
	VoiceAgents    int `json:"voiceAgents"`
	KnowledgeBases int `json:"knowledgeBases"`
	Files          int `json:"files"`
}

// validateError is one diagnostic in the JSON output.
type validateError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

func newValidateCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use: "validate PATH...",
		Example: `  agentform validate examples/locations
  agentform validate locations/acme.yaml --format json
  agentform validate --format github locations/   # annotations in a GitHub Actions job`,
		Short: "Check manifests offline: shape, limits, references (no token, no network)",
		Long: "validate loads the manifests (files, or directories searched for *.yaml and *.yml outside bases/),\n" +
			"merges bases, expands variables and checks them against the JSON Schema and the semantic rules.\n" +
			"Every problem is printed as FILE:LINE:COL: message (--format github: as ::error workflow commands,\n" +
			"which GitHub Actions shows as annotations on the file and line). Unused variables are warnings.\n" +
			"Exit status 0 when valid, 1 otherwise.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "github" {
				return fmt.Errorf("--format %q: want text, json or github", format)
			}
			set, err := spec.Load(args...)
			var diags spec.Diagnostics
			if err != nil && !errors.As(err, &diags) {
				return fmt.Errorf("load manifests: %w", err)
			}
			report := summarize(set, diags)
			switch format {
			case "json":
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(report); err != nil {
					return fmt.Errorf("write report: %w", err)
				}
			case "github":
				printValidateGitHub(g, report, set, diags)
			default:
				printValidateText(g, report, set, diags)
			}
			if !report.Valid {
				return withCode(exitError1, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or github (workflow-command annotations)")
	return cmd
}

// summarize counts what was loaded, or lists the problems.
func summarize(set *spec.Set, diags spec.Diagnostics) validateReport {
	r := validateReport{Valid: len(diags) == 0, Errors: toValidateErrors(diags), Warnings: []validateError{}}
	if set == nil {
		return r
	}
	r.Warnings = toValidateErrors(set.Warnings)
	r.Files = len(set.Files)
	r.Locations = len(set.Locations)
	for _, loc := range set.Locations {
		r.Agents += len(loc.Agents)
		for _, a := range loc.Agents {
			r.Actions += len(a.Actions)
		}
	}
	r.Accounts = len(set.Accounts)
	for _, acct := range set.Accounts {
		r.VoiceAgents += len(acct.Agents)
		r.KnowledgeBases += len(acct.KnowledgeBases)
	}
	return r
}

func toValidateErrors(diags spec.Diagnostics) []validateError {
	out := make([]validateError, 0, len(diags))
	for _, d := range diags {
		out = append(out, validateError{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Path: d.Path, Message: d.Message})
	}
	return out
}

// printValidateText writes one line per problem on stdout (for CI
// annotations) and the count on stderr, or the summary when valid.
func printValidateText(g *globals, r validateReport, set *spec.Set, diags spec.Diagnostics) {
	if r.Valid {
		for _, w := range set.Warnings {
			fmt.Fprintln(g.stdout, warningLine(w))
		}
		fmt.Fprintln(g.stdout, validSummary(r))
		return
	}
	for _, d := range diags {
		fmt.Fprintln(g.stdout, d.String())
	}
	fmt.Fprintf(g.stderr, "%d %s\n", len(diags), plural(len(diags), "error"))
}

// warningLine formats a warning as FILE:LINE:COL: warning: PATH: MESSAGE.
func warningLine(w spec.Diagnostic) string {
	if w.Path != "" {
		w.Message = w.Path + ": " + w.Message
	}
	w.Path = "warning"
	return w.String()
}

// printValidateGitHub writes each problem as a GitHub Actions workflow
// command (::error file=F,line=L,col=C::message, warnings as ::warning), so
// a job shows them as annotations on the manifest lines; the count goes to
// stderr, the summary to stdout when valid.
func printValidateGitHub(g *globals, r validateReport, set *spec.Set, diags spec.Diagnostics) {
	if r.Valid {
		for _, w := range set.Warnings {
			fmt.Fprintln(g.stdout, workflowCommand("warning", w))
		}
		fmt.Fprintln(g.stdout, validSummary(r))
		return
	}
	for _, d := range diags {
		fmt.Fprintln(g.stdout, workflowCommand("error", d))
	}
	fmt.Fprintf(g.stderr, "%d %s\n", len(diags), plural(len(diags), "error"))
}

// workflowCommand formats a diagnostic as a GitHub Actions workflow command
// of the given level (error or warning). Property values and the message
// are escaped as the runner expects, so a colon, comma or line break in a
// file name or message cannot end the command early or inject another.
func workflowCommand(level string, d spec.Diagnostic) string {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(level)
	b.WriteString(" file=")
	b.WriteString(escapeProperty(d.Pos.File))
	if d.Pos.Line > 0 {
		fmt.Fprintf(&b, ",line=%d,col=%d", d.Pos.Line, d.Pos.Col)
	}
	b.WriteString("::")
	msg := d.Message
	if d.Path != "" {
		msg = d.Path + ": " + msg
	}
	b.WriteString(escapeData(msg))
	return b.String()
}

// escapeData escapes a workflow command's message: %, CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value: as data, and
// also : and , which separate properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// validSummary is the line printed for valid manifests: locations, and
// KrosAI accounts when there are any.
func validSummary(r validateReport) string {
	var parts []string
	if r.Locations > 0 || r.Accounts == 0 {
		parts = append(parts, fmt.Sprintf("%d %s, %d %s, %d %s",
			r.Locations, plural(r.Locations, "location"), r.Agents, plural(r.Agents, "agent"), r.Actions, plural(r.Actions, "action")))
	}
	if r.Accounts > 0 {
		parts = append(parts, fmt.Sprintf("%d KrosAI %s, %d voice %s, %d knowledge %s",
			r.Accounts, plural(r.Accounts, "account"), r.VoiceAgents, plural(r.VoiceAgents, "agent"),
			r.KnowledgeBases, plural(r.KnowledgeBases, "base")))
	}
	return strings.Join(parts, ", ") + ": valid"
}
