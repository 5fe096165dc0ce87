package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/agentform/agentform/pkg/plan"
)

func init() { commandAdders = append(commandAdders, newShowCmd) }

func newShowCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use: "show FILE...",
		Example: `  agentform show plan.json
  agentform show plan-*.json --format markdown > comment.md   # merge shard plans`,
		Short: "Render saved plans; several shard plans are merged into one report",
		Long: "show reads plan files written by plan --out and renders them as text, json or markdown.\n" +
			"Plans of several shards of one run are merged (they must come from the same manifests and\n" +
			"must not share a location).",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			render, err := renderer(format, g)
			if err != nil {
				return err
			}
			var plans []*plan.Plan
			for _, path := range args {
				p, err := loadPlan(path)
				if err != nil {
					return err
				}
				plans = append(plans, p)
			}
			p, err := plan.Merge(plans...)
			if err != nil {
				return err
			}
			if err := render(g.stdout, p); err != nil {
				return fmt.Errorf("write plan: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// loadPlan reads one plan file (show, apply --plan).
func loadPlan(path string) (*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open plan: %w", err)
	}
	defer f.Close()
	p, err := plan.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
