package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/spec"
)

func init() { commandAdders = append(commandAdders, newPlanCmd) }

// planFlags are the flags of the plan command.
type planFlags struct {
	planSelection
	format           string
	out              string
	detailedExitcode bool
	baselinePaths    []string
}

func newPlanCmd(g *globals) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use: "plan PATH...",
		Example: `  agentform plan examples/locations
  agentform plan --sandbox examples/locations            # against the in-process sandbox
  agentform plan locations/ --format markdown --shard 2/4 --out plan-2.json
  agentform plan locations/ --detailed-exitcode          # exit 2 when there are changes
  agentform plan locations/ --baseline base/locations    # label drift against the base branch`,
		Short: "Show what apply would change, reading live state with read-only tokens",
		Long: "plan loads the manifests, reads every selected location's live agents, actions and follow-up\n" +
			"settings (GET requests only: a conversation-ai.readonly token is enough) and prints the changes.\n\n" +
			"--shard I/N is 1-based: --shard 1/4 .. --shard 4/4 split the locations by a stable hash of their\n" +
			"id, so N CI jobs cover every location exactly once.\n\n" +
			"--baseline PATH (repeatable) loads the base branch's manifests (say, a checkout of main) the same\n" +
			"way and labels every change intended (the manifests change it) or drift (it undoes an edit made\n" +
			"outside agentform: the base already declares what the manifests want, live differs).\n\n" +
			"Exit status: 0 success; 1 error (a location that failed is reported, the others are still planned);\n" +
			"2 with --detailed-exitcode when there are changes; 3 when a delete guard refuses the plan.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runPlan(cmd.Context(), g, f, args) },
	}
	g.addEndpointFlags(cmd)
	g.addKrosAIEndpointFlag(cmd)
	fl := cmd.Flags()
	f.addFlags(fl)
	fl.StringVar(&f.format, "format", "text", "output format: text, json or markdown")
	fl.StringVar(&f.out, "out", "", "save the plan to this file (for apply and show)")
	fl.BoolVar(&f.detailedExitcode, "detailed-exitcode", false, "exit 2 when the plan has changes")
	fl.StringArrayVar(&f.baselinePaths, "baseline", nil, "manifests of the base branch, to label drift (repeatable)")
	return cmd
}

func runPlan(ctx context.Context, g *globals, f planFlags, args []string) error {
	g.readOnly = true // with --sandbox: plan gets a read-only token
	render, err := renderer(f.format, g)
	if err != nil {
		return err
	}
	set, err := g.loadManifests(args)
	if err != nil {
		return err
	}
	if f.baseline, err = loadBaseline(g, f.baselinePaths); err != nil {
		return err
	}
	client, err := g.apiClient()
	if err != nil {
		return fmt.Errorf("api client: %w", err)
	}
	p, err := f.makePlan(ctx, g, client, set)
	if err != nil {
		return err
	}
	if err := render(g.stdout, p); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	if err := p.CheckSafety(f.safety()); err != nil {
		if f.out != "" {
			err = fmt.Errorf("%w (plan not saved to %s)", err, f.out)
		}
		return withCode(exitSafety, err)
	}
	if f.out != "" {
		if err := savePlan(f.out, p); err != nil {
			return err
		}
	}
	if n := p.Count().Failed; n > 0 {
		return withCode(exitError1, fmt.Errorf("%d of %d locations could not be planned", n, len(p.Targets)))
	}
	if f.detailedExitcode && p.HasChanges() {
		return withCode(exitChanges, nil)
	}
	return nil
}

// loadBaseline loads the --baseline manifests with the loader of the main
// ones (nil when none is given); its errors say they are the baseline's and
// keep their exit code.
func loadBaseline(g *globals, paths []string) (*spec.Set, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	set, err := spec.Scan(paths...)
	if err != nil {
		// A broken base branch must not block the pull request that fixes
		// it: plan without drift labels and say so.
		why := err.Error()
		var diags spec.Diagnostics
		if errors.As(err, &diags) {
			why = fmt.Sprintf("%d %s in the manifests", len(diags), plural(len(diags), "problem"))
		}
		fmt.Fprintf(g.stderr, "warning: --baseline %s cannot be loaded (%s); planning without drift labels\n", strings.Join(paths, " "), why)
		return nil, nil
	}
	return set, nil
}

// savePlan writes the plan file (through a temporary file and a rename, so a
// failed write never leaves half a plan).
func savePlan(path string, p *plan.Plan) error {
	var buf bytes.Buffer
	if err := plan.Save(&buf, p); err != nil {
		return err
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// renderer picks the output function of --format.
func renderer(format string, g *globals) (func(io.Writer, *plan.Plan) error, error) {
	switch format {
	case "text":
		color := !g.noColor && g.tty.stdout
		return func(w io.Writer, p *plan.Plan) error { return plan.RenderText(w, p, plan.RenderOptions{Color: color}) }, nil
	case "json":
		return plan.RenderJSON, nil
	case "markdown":
		return func(w io.Writer, p *plan.Plan) error { return plan.RenderMarkdown(w, p, 0) }, nil
	}
	return nil, fmt.Errorf("--format %q: want text, json or markdown", format)
}
