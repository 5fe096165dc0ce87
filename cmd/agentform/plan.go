package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/spec"
)

func init() { commandAdders = append(commandAdders, newPlanCmd) }

// planFlags are the flags of the plan command.
type planFlags struct {
	parallelism      int
	locations        []string
	shard            string
	format           string
	out              string
	detailedExitcode bool
	maxDeletes       int
	maxDeletePercent float64
}

func newPlanCmd(g *globals) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use: "plan PATH...",
		Example: `  agentform plan examples/locations
  agentform plan --sandbox examples/locations            # against the in-process sandbox
  agentform plan locations/ --format markdown --shard 2/4 --out plan-2.json
  agentform plan locations/ --detailed-exitcode          # exit 2 when there are changes`,
		Short: "Show what apply would change, reading live state with read-only tokens",
		Long: "plan loads the manifests, reads every selected location's live agents, actions and follow-up\n" +
			"settings (GET requests only: a conversation-ai.readonly token is enough) and prints the changes.\n\n" +
			"--shard I/N is 1-based: --shard 1/4 .. --shard 4/4 split the locations by a stable hash of their\n" +
			"id, so N CI jobs cover every location exactly once.\n\n" +
			"Exit status: 0 success; 1 error (a location that failed is reported, the others are still planned);\n" +
			"2 with --detailed-exitcode when there are changes; 3 when a delete guard refuses the plan.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runPlan(cmd.Context(), g, f, args) },
	}
	g.addEndpointFlags(cmd)
	fl := cmd.Flags()
	fl.IntVar(&f.parallelism, "parallelism", plan.DefaultParallelism, "locations read at once")
	fl.StringArrayVar(&f.locations, "location", nil, "plan only this location id (repeatable)")
	fl.StringVar(&f.shard, "shard", "", "plan only shard I of N (1-based), e.g. 2/4")
	fl.StringVar(&f.format, "format", "text", "output format: text, json or markdown")
	fl.StringVar(&f.out, "out", "", "save the plan to this file (for apply and show)")
	fl.BoolVar(&f.detailedExitcode, "detailed-exitcode", false, "exit 2 when the plan has changes")
	fl.IntVar(&f.maxDeletes, "max-deletes", 0, "most deletes allowed across the plan (0: deletes only where prune or the actions: list asks for them)")
	fl.Float64Var(&f.maxDeletePercent, "max-delete-percent", 0, "most deletes allowed per location, in percent of its managed objects (locations with 10 or more; 0 disables)")
	return cmd
}

func runPlan(ctx context.Context, g *globals, f planFlags, args []string) error {
	g.readOnly = true // with --sandbox: plan gets a read-only token
	render, err := renderer(f.format, g)
	if err != nil {
		return err
	}
	shardIndex, shardCount, err := parseShard(f.shard)
	if err != nil {
		return err
	}
	set, err := g.loadManifests(args)
	if err != nil {
		return err
	}
	client, err := g.apiClient()
	if err != nil {
		return fmt.Errorf("api client: %w", err)
	}
	connect := func(ctx context.Context, loc *spec.Location) (plan.Reader, error) {
		tokenEnv := loc.TokenEnv
		if tokenEnv == "" {
			tokenEnv = spec.DefaultTokenEnv
		}
		l, err := g.location(ctx, client, loc.ID, tokenEnv)
		if err != nil {
			return nil, err
		}
		return l, nil
	}
	p, err := plan.Make(ctx, set, connect, plan.Options{
		Parallelism: f.parallelism, ToolVersion: version,
		Locations: f.locations, ShardIndex: shardIndex, ShardCount: shardCount,
	})
	if err != nil {
		return err
	}
	if err := render(g.stdout, p); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	if err := p.CheckSafety(plan.SafetyOptions{MaxDeletes: f.maxDeletes, MaxDeletePercent: f.maxDeletePercent}); err != nil {
		return withCode(exitSafety, fmt.Errorf("%w (plan not saved)", err))
	}
	if f.out != "" {
		if err := savePlan(f.out, p); err != nil {
			return err
		}
	}
	if n := p.Count().Failed; n > 0 {
		return withCode(exitError1, fmt.Errorf("%d of %d locations could not be planned", n, len(p.Locations)))
	}
	if f.detailedExitcode && p.HasChanges() {
		return withCode(exitChanges, nil)
	}
	return nil
}

// savePlan writes the plan file.
func savePlan(path string, p *plan.Plan) error {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := plan.Save(file, p); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// parseShard reads --shard I/N (1-based) into a 0-based index and a count.
func parseShard(s string) (index, count int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || cnt < 1 || idx < 1 || idx > cnt {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 ≤ I ≤ N, e.g. 1/4", s)
	}
	return idx - 1, cnt, nil
}

// renderer picks the output function of --format.
func renderer(format string, g *globals) (func(io.Writer, *plan.Plan) error, error) {
	switch format {
	case "text":
		color := !g.noColor && isTerminal(g.stdout)
		return func(w io.Writer, p *plan.Plan) error { return plan.RenderText(w, p, plan.RenderOptions{Color: color}) }, nil
	case "json":
		return plan.RenderJSON, nil
	case "markdown":
		return func(w io.Writer, p *plan.Plan) error { return plan.RenderMarkdown(w, p, 0) }, nil
	}
	return nil, fmt.Errorf("--format %q: want text, json or markdown", format)
}

// isTerminal reports whether w is a character device (a TTY).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
