package main

import (
	"errors"
	"fmt"

	"github.com/agentform/agentform/pkg/spec"
)

// loadManifests loads the manifests for plan and apply. Invalid manifests are
// printed one problem per line (FILE:LINE:COL: message, the form CI turns into
// annotations) on stderr, and the command fails with a count.
func (g *globals) loadManifests(paths []string) (*spec.Set, error) {
	if g.sandbox != "" {
		g.sandboxSeeds = findSandboxSeeds(paths)
		if err := g.seedSandbox(); err != nil {
			return nil, err
		}
	}
	// Scan keeps each location's header only; the planner expands a
	// location's agents when it plans it (see spec.Scan).
	set, err := spec.Scan(paths...)
	var diags spec.Diagnostics
	if errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Fprintln(g.stderr, d.String())
		}
		return nil, withCode(exitError1, fmt.Errorf("%d %s in the manifests; nothing was read or changed (agentform validate lists them too)",
			len(diags), plural(len(diags), "problem")))
	}
	if err != nil {
		return nil, fmt.Errorf("load manifests: %w", err)
	}
	return set, nil
}
