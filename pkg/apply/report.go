package apply

import (
	"time"

	"github.com/agentform/agentform/pkg/plan"
)

// ReportFormatVersion is the version of the JSON form of a Report.
const ReportFormatVersion = 1

// Report is the account of one apply run: every location, every step.
type Report struct {
	FormatVersion int       `json:"formatVersion"`
	StartedAt     time.Time `json:"startedAt"`
	// Duration is the wall time of the run, in nanoseconds in JSON.
	Duration time.Duration `json:"durationNs"`
	// Interrupted is true when the run was cancelled (Ctrl-C) before it ended.
	Interrupted bool             `json:"interrupted,omitempty"`
	Counts      Counts           `json:"counts"`
	Locations   []LocationReport `json:"locations"`
}

// Counts are the step outcomes of a run, added over its locations.
type Counts struct {
	Created  int `json:"created"`
	Updated  int `json:"updated"`
	Deleted  int `json:"deleted"`
	Replaced int `json:"replaced"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
	// Locations is how many locations had at least one change to apply.
	Locations int `json:"locations"`
	// FailedLocations, StaleLocations and InterruptedLocations count the
	// locations with those outcomes (skipped ones count as failed).
	FailedLocations      int `json:"failedLocations"`
	StaleLocations       int `json:"staleLocations"`
	InterruptedLocations int `json:"interruptedLocations"`
}

// LocationOutcome is what happened to a location.
type LocationOutcome string

// Location outcomes.
const (
	// LocationApplied: every step succeeded (or there was nothing to do).
	LocationApplied LocationOutcome = "applied"
	// LocationFailed: the connection, a pre-flight read or a step failed.
	LocationFailed LocationOutcome = "failed"
	// LocationStale: the live state moved since the plan; nothing was written.
	LocationStale LocationOutcome = "stale"
	// LocationSkipped: the location could not be planned; nothing was written.
	LocationSkipped LocationOutcome = "skipped"
	// LocationInterrupted: the run was cancelled before the location finished.
	LocationInterrupted LocationOutcome = "interrupted"
)

// LocationReport is the account of one location.
type LocationReport struct {
	LocationID string          `json:"locationId"`
	Name       string          `json:"name,omitempty"`
	Outcome    LocationOutcome `json:"outcome"`
	// Error says why the location did not reach "applied".
	Error string `json:"error,omitempty"`
	// Stale names every object that moved (for LocationStale).
	Stale []string `json:"stale,omitempty"`
	// Duration of the location's run, in nanoseconds in JSON.
	Duration time.Duration `json:"durationNs"`
	// Steps has one entry per change of the location's plan, in plan order.
	Steps []StepResult `json:"steps"`
}

// StepOutcome is what happened to one change.
type StepOutcome string

// Step outcomes.
const (
	StepCreated   StepOutcome = "created"
	StepUpdated   StepOutcome = "updated"
	StepDeleted   StepOutcome = "deleted"
	StepReplaced  StepOutcome = "replaced"
	StepFailed    StepOutcome = "failed"
	StepSkipped   StepOutcome = "skipped"
	StepUnchanged StepOutcome = "unchanged" // report-only changes: nothing to do
)

// StepResult is the account of one change.
type StepResult struct {
	// Index is the change's index in the location's plan.
	Index   int         `json:"index"`
	Op      plan.Op     `json:"op"`
	Kind    plan.Kind   `json:"kind"`
	Agent   string      `json:"agent"`
	Action  string      `json:"action,omitempty"`
	Outcome StepOutcome `json:"outcome"`
	// Status is the HTTP status of the API answer that failed the step (0 when
	// there was none, for example a lost connection).
	Status int `json:"status,omitempty"`
	// Error says why the step failed or was skipped.
	Error string `json:"error,omitempty"`
	// NewID is the id of the object a create or replace made (or adopted).
	NewID string `json:"newId,omitempty"`
	// Adopted is true when a create's answer was lost and the object was then
	// found by name and taken as the result.
	Adopted bool `json:"adopted,omitempty"`
	// Duration of the step, in nanoseconds in JSON.
	Duration time.Duration `json:"durationNs"`
}

// OK reports whether every location was applied.
func (r *Report) OK() bool {
	for _, l := range r.Locations {
		if l.Outcome != LocationApplied {
			return false
		}
	}
	return true
}

// Failed reports whether any location failed, was skipped or was interrupted
// (stale locations aside).
func (r *Report) Failed() bool {
	for _, l := range r.Locations {
		switch l.Outcome {
		case LocationFailed, LocationSkipped, LocationInterrupted:
			return true
		}
	}
	return false
}

// Stale reports whether any location was refused as stale.
func (r *Report) Stale() bool {
	for _, l := range r.Locations {
		if l.Outcome == LocationStale {
			return true
		}
	}
	return false
}

// count fills r.Counts from the locations.
func (r *Report) count() {
	var c Counts
	for _, l := range r.Locations {
		changed := false
		for _, s := range l.Steps {
			if s.Op != plan.OpReport {
				changed = true
			}
			switch s.Outcome {
			case StepCreated:
				c.Created++
			case StepUpdated:
				c.Updated++
			case StepDeleted:
				c.Deleted++
			case StepReplaced:
				c.Replaced++
			case StepFailed:
				c.Failed++
			case StepSkipped:
				c.Skipped++
			}
		}
		if changed || l.Outcome != LocationApplied {
			c.Locations++
		}
		switch l.Outcome {
		case LocationFailed, LocationSkipped:
			c.FailedLocations++
		case LocationStale:
			c.StaleLocations++
		case LocationInterrupted:
			c.InterruptedLocations++
		}
	}
	r.Counts = c
}
