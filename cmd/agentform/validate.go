package main

import (
	"encoding/json"
	"errors"
	"fmt"

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
	Files     int             `json:"files"`
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
  agentform validate locations/acme.yaml --format json`,
		Short: "Check manifests offline: shape, limits, references (no token, no network)",
		Long: "validate loads the manifests (files, or directories searched for *.yaml and *.yml outside bases/),\n" +
			"merges bases, expands variables and checks them against the JSON Schema and the semantic rules.\n" +
			"Every problem is printed as FILE:LINE:COL: message. Exit status 0 when valid, 1 otherwise.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			set, err := spec.Load(args...)
			var diags spec.Diagnostics
			if err != nil && !errors.As(err, &diags) {
				return fmt.Errorf("load manifests: %w", err)
			}
			report := summarize(set, diags)
			if format == "json" {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(report); err != nil {
					return fmt.Errorf("write report: %w", err)
				}
			} else {
				printValidateText(g, report, set, diags)
			}
			if !report.Valid {
				return withCode(exitError1, nil)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
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
		fmt.Fprintf(g.stdout, "%d %s, %d %s, %d %s: valid\n",
			r.Locations, plural(r.Locations, "location"), r.Agents, plural(r.Agents, "agent"), r.Actions, plural(r.Actions, "action"))
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
