package plan

// This file fixes the planner's entry points so pkg/apply and the CLI can be
// written against them; the pkg/plan work fills in the bodies.

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/spec"
)

// Reader is what the planner needs from the API to read one location's live
// state. *api.Location implements it.
type Reader interface {
	AllAgents(ctx context.Context) ([]api.AgentSummary, error)
	GetAgent(ctx context.Context, agentID string) (*api.Agent, error)
	ListActions(ctx context.Context, agentID string) ([]api.Action, error)
}

// Connector opens a Reader for a location (resolving its token). An error
// fails that location only.
type Connector func(ctx context.Context, loc *spec.Location) (Reader, error)

// Options tune Make.
type Options struct {
	Parallelism int    // locations read at once (default 16)
	ToolVersion string // recorded in the plan
	Now         func() time.Time
	// Locations, when not empty, selects these location ids only.
	Locations []string
	// ShardIndex/ShardCount select the locations whose stable hash falls in shard
	// ShardIndex (0-based) of ShardCount; ShardCount 0 or 1 selects all.
	ShardIndex, ShardCount int
}

// Make reads the live state of every selected location and returns the plan.
// A location that fails to read gets its Error set; the others are planned.
func Make(ctx context.Context, set *spec.Set, connect Connector, opts Options) (*Plan, error) {
	return nil, errors.New("TODO")
}

// SafetyOptions are the delete guards, set by flags outside the manifests.
type SafetyOptions struct {
	// MaxDeletes is the most deletes allowed across the plan; 0 means deletes are
	// allowed (in any number) only in locations with prune set, plus the removal of
	// undeclared actions of declared agents.
	MaxDeletes int
	// MaxDeletePercent is the most deletes, as a percentage of a location's
	// managed objects, allowed in any location with at least MinObjects objects
	// (0 disables).
	MaxDeletePercent float64
	MinObjects       int
}

// SafetyError is returned by CheckSafety; the CLI exits 3 with it.
type SafetyError struct{ Problems []string }

func (e *SafetyError) Error() string { return "TODO" }

// CheckSafety checks the delete guards over the whole plan before anything is
// applied.
func (p *Plan) CheckSafety(o SafetyOptions) error { return errors.New("TODO") }

// Save writes p as indented JSON (the plan file format).
func Save(w io.Writer, p *Plan) error { return errors.New("TODO") }

// Load reads a plan file, refusing unknown format versions.
func Load(r io.Reader) (*Plan, error) { return nil, errors.New("TODO") }

// Counts are the numbers of changes by operation.
type Counts struct {
	Create, Update, Delete, Replace, Report int
	// Locations is how many locations have at least one change (reports aside).
	Locations int
}

// Count counts p's changes.
func (p *Plan) Count() Counts { return Counts{} }
