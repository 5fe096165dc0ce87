package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/apply"
	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/spec"
	"github.com/spf13/cobra"
)

func init() { commandAdders = append(commandAdders, newApplyCmd) }

// applyFlags are the flags of the apply command.
type applyFlags struct {
	autoApprove bool
	planFile    string
	reportFile  string
	planSelection
}

// applyPrompt is the confirmation question asked on a terminal.
const applyPrompt = "Do you want to apply these changes? Only 'yes' will be accepted: "

func newApplyCmd(g *globals) *cobra.Command {
	var f applyFlags
	cmd := &cobra.Command{
		Use: "apply [PATH...]",
		Example: `  agentform apply examples/locations                     # plan, confirm, apply
  agentform apply --sandbox --auto-approve examples/locations
  agentform apply --plan plan.json locations/ --auto-approve --report report.json`,
		Short: "Apply the changes a plan shows (or a saved plan with --plan)",
		Long: "apply plans the manifests at PATH against live state, shows the plan and applies it after\n" +
			"confirmation ('yes' on a terminal, or --auto-approve). With --plan FILE it applies exactly that\n" +
			"saved plan; PATHs given with --plan must be the manifests the plan was made from.\n\n" +
			"Before writing, each location's live objects are compared with the plan's fingerprints: a\n" +
			"location whose objects moved is refused as stale and the others are applied.\n\n" +
			"Exit status: 0 every step succeeded (or no changes), 1 a step or location failed, the run was\n" +
			"interrupted or confirmation was refused, 3 refused by a safety guard, 4 a location was refused as\n" +
			"stale (and nothing failed).",
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.runApply(cmd.Context(), f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking for confirmation (required when stdin is not a terminal)")
	fl.StringVar(&f.planFile, "plan", "", "apply this saved plan FILE (written by agentform plan --out FILE)")
	fl.StringVar(&f.reportFile, "report", "", "write the apply report as JSON to this file")
	f.addFlags(fl)
	g.addEndpointFlags(cmd)
	g.addKrosAIEndpointFlag(cmd)
	return cmd
}

// runApply is the apply command.
func (g *globals) runApply(ctx context.Context, f applyFlags, args []string) error {
	if f.planFile == "" && len(args) == 0 {
		return errors.New("give manifest paths, or a saved plan with --plan FILE")
	}
	if f.parallelism < 1 {
		return fmt.Errorf("--parallelism %d: want at least 1", f.parallelism)
	}
	client, err := g.apiClient()
	if err != nil {
		return fmt.Errorf("api client: %w", err)
	}
	p, set, err := g.applyPlan(ctx, client, f, args)
	if err != nil {
		return err
	}
	if err := plan.RenderText(g.stdout, p, plan.RenderOptions{Color: !g.noColor && g.tty.stdout}); err != nil {
		return fmt.Errorf("render plan: %w", err)
	}
	if err := p.CheckSafety(f.safety()); err != nil {
		return withCode(exitSafety, err)
	}
	if !p.HasChanges() {
		fmt.Fprintln(g.stdout, "No changes to apply.")
		if n := p.Count().Failed; n > 0 {
			return withCode(exitError1, fmt.Errorf("%d %s could not be planned", n, plural(n, "location")))
		}
		return nil
	}
	if !f.autoApprove {
		if err := g.confirmApply(); err != nil {
			return err
		}
	}

	connect := func(ctx context.Context, tp *plan.TargetPlan) (provider.Session, error) {
		return g.session(ctx, tp.Kind, tp.ID, tp.TokenEnv, set, true)
	}
	progress, finish := g.applyProgress()
	rep := apply.Apply(ctx, p, connect, apply.Options{Parallelism: f.parallelism, Progress: progress})
	finish()
	if err := apply.RenderText(g.stdout, rep); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	if f.reportFile != "" {
		if err := writeApplyReport(f.reportFile, rep); err != nil {
			return withCode(exitError1, err)
		}
	}
	return applyExit(rep)
}

// applyPlan loads the saved plan (checking the manifests' digest when PATHs
// are given), or plans the manifests at args. It also returns the manifests
// (nil for a saved plan given alone): KrosAI document uploads read their
// files.
func (g *globals) applyPlan(ctx context.Context, client *api.Client, f applyFlags, args []string) (*plan.Plan, *spec.Set, error) {
	if f.planFile != "" {
		p, err := loadPlan(f.planFile)
		if err != nil {
			return nil, nil, err
		}
		if len(args) == 0 {
			return nil, nil, withCode(exitError1, fmt.Errorf("apply --plan %s needs the manifests the plan was made from: agentform apply --plan %s PATH... (a plan file alone is not trusted)",
				f.planFile, f.planFile))
		}
		set, err := g.loadManifests(args)
		if err != nil {
			return nil, nil, err
		}
		if set.Digest != p.ManifestDigest {
			return nil, nil, withCode(exitError1, fmt.Errorf("%s was made from other manifests than %s (digest %.12s, now %.12s): plan again",
				f.planFile, strings.Join(args, " "), p.ManifestDigest, set.Digest))
		}
		m, err := g.manifests(set)
		if err != nil {
			return nil, nil, err
		}
		if err := plan.Bind(p, m); err != nil {
			return nil, nil, withCode(exitError1, fmt.Errorf("%s: %w", f.planFile, err))
		}
		var ids, envs, kinds, allIDs, allEnvs []string
		for _, tp := range p.Targets {
			kinds, allIDs, allEnvs = append(kinds, tp.Kind), append(allIDs, tp.ID), append(allEnvs, tp.TokenEnv)
			if tp.Kind == highlevel.TargetKind {
				ids, envs = append(ids, tp.ID), append(envs, tp.TokenEnv)
			}
		}
		if err := g.prepareKrosAI(kinds, allIDs, allEnvs); err != nil {
			return nil, nil, err
		}
		if err := g.prepareLocations(ctx, client, ids, envs); err != nil {
			return nil, nil, err
		}
		return p, set, nil
	}
	set, err := g.loadManifests(args)
	if err != nil {
		return nil, nil, err
	}
	p, err := f.makePlan(ctx, g, client, set)
	return p, set, err
}

// confirmApply asks for "yes" on a terminal; it refuses when stdin is not one.
func (g *globals) confirmApply() error {
	if !g.tty.stdin {
		return withCode(exitError1, errors.New("stdin is not a terminal, so apply cannot ask for confirmation: pass --auto-approve to apply unattended"))
	}
	fmt.Fprint(g.stdout, "\n"+applyPrompt)
	g.flush() // the prompt has no newline
	line, err := bufio.NewReader(g.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read confirmation: %w", err)
	}
	if strings.TrimSpace(line) != "yes" {
		return withCode(exitError1, errors.New("apply cancelled: only 'yes' is accepted"))
	}
	return nil
}

// writeApplyReport writes the JSON report to path.
func writeApplyReport(path string, rep *apply.Report) error {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := apply.WriteJSON(file, rep); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// applyExit maps a report to the exit status: 1 when anything failed or the
// run was interrupted, else 4 when a location was stale, else 0.
func applyExit(rep *apply.Report) error {
	c := rep.Counts
	switch {
	case rep.Interrupted:
		return withCode(exitError1, errors.New("interrupted: steps in flight finished, no new step was started; run apply again"))
	case rep.Failed():
		return withCode(exitError1, fmt.Errorf("%d %s failed", c.FailedTargets+c.InterruptedTargets,
			plural(c.FailedTargets+c.InterruptedTargets, "location")))
	case rep.Stale():
		return withCode(exitStale, fmt.Errorf("%d %s refused as stale (the others were applied): plan again",
			c.StaleTargets, plural(c.StaleTargets, "location")))
	}
	return nil
}
