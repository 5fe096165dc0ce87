package apply

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/agentform/agentform/internal/jsonobj"
	"github.com/agentform/agentform/pkg/plan"
)

// ReportFormatVersion is the version of the JSON form of a Report.
// Version 2: steps name their object by fields called after its kinds, and
// targets their id by "<targetKind>Id", as plans do.
const ReportFormatVersion = 2

// Report is the account of one apply run: every target, every step.
type Report struct {
	FormatVersion int       `json:"formatVersion"`
	StartedAt     time.Time `json:"startedAt"`
	// Duration is the wall time of the run, in nanoseconds in JSON.
	Duration time.Duration `json:"durationNs"`
	// Interrupted is true when the run was cancelled (Ctrl-C) before it ended.
	Interrupted bool   `json:"interrupted,omitempty"`
	Counts      Counts `json:"counts"`
	// Targets are the targets of the plan, in plan order; JSON "locations".
	Targets []TargetReport `json:"locations"`
}

// Counts are the step outcomes of a run, added over its targets.
type Counts struct {
	Created  int `json:"created"`
	Updated  int `json:"updated"`
	Deleted  int `json:"deleted"`
	Replaced int `json:"replaced"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
	// Targets is how many targets had at least one change to apply.
	Targets int `json:"locations"`
	// FailedTargets, StaleTargets and InterruptedTargets count the targets
	// with those outcomes (skipped ones count as failed).
	FailedTargets      int `json:"failedLocations"`
	StaleTargets       int `json:"staleLocations"`
	InterruptedTargets int `json:"interruptedLocations"`
}

// TargetOutcome is what happened to a target.
type TargetOutcome string

// Target outcomes.
const (
	// TargetApplied: every step succeeded (or there was nothing to do).
	TargetApplied TargetOutcome = "applied"
	// TargetFailed: the connection, a pre-flight read or a step failed.
	TargetFailed TargetOutcome = "failed"
	// TargetStale: the live state moved since the plan; nothing was written.
	TargetStale TargetOutcome = "stale"
	// TargetSkipped: the target could not be planned; nothing was written.
	TargetSkipped TargetOutcome = "skipped"
	// TargetInterrupted: the run was cancelled before the target finished.
	TargetInterrupted TargetOutcome = "interrupted"
)

// TargetReport is the account of one target. Its JSON form names the id by
// the target kind ("locationId").
type TargetReport struct {
	Kind    string
	ID      string
	Name    string
	Outcome TargetOutcome
	// Error says why the target did not reach "applied".
	Error string
	// Stale names every object that moved (for TargetStale).
	Stale []string
	// Duration of the target's run, in nanoseconds in JSON.
	Duration time.Duration
	// Steps has one entry per change of the target's plan, in plan order.
	Steps []StepResult
}

// MarshalJSON writes the target's report.
func (t TargetReport) MarshalJSON() ([]byte, error) {
	var w jsonobj.Writer
	w.Field(t.Kind+"Id", t.ID)
	if t.Name != "" {
		w.Field("name", t.Name)
	}
	w.Field("outcome", t.Outcome)
	if t.Error != "" {
		w.Field("error", t.Error)
	}
	if len(t.Stale) > 0 {
		w.Field("stale", t.Stale)
	}
	w.Field("durationNs", t.Duration)
	w.Field("steps", t.Steps)
	return w.Bytes()
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
	// Index is the change's index in the target's plan.
	Index int
	Op    plan.Op
	Kind  string
	// Key names the object, as the change does.
	Key     plan.Key
	Outcome StepOutcome
	// Status is the HTTP status of the API answer that failed the step (0 when
	// there was none, for example a lost connection).
	Status int
	// Error says why the step failed or was skipped.
	Error string
	// NewID is the id of the object a create or replace made (or adopted).
	NewID string
	// Adopted is true when a create's answer was lost and the object was then
	// found by name and taken as the result.
	Adopted bool
	// Duration of the step, in nanoseconds in JSON.
	Duration time.Duration
}

// MarshalJSON writes the step with its key as fields named after kinds.
func (s StepResult) MarshalJSON() ([]byte, error) {
	var w jsonobj.Writer
	w.Field("index", s.Index)
	w.Field("op", s.Op)
	w.Field("kind", s.Kind)
	for _, p := range s.Key {
		if p.Name != "" {
			w.Field(p.Kind, p.Name)
		}
	}
	w.Field("outcome", s.Outcome)
	if s.Status != 0 {
		w.Field("status", s.Status)
	}
	if s.Error != "" {
		w.Field("error", s.Error)
	}
	if s.NewID != "" {
		w.Field("newId", s.NewID)
	}
	if s.Adopted {
		w.Field("adopted", true)
	}
	w.Field("durationNs", s.Duration)
	return w.Bytes()
}

// Object names the step's object as its change does: `action "A"/"B"`.
func (s StepResult) Object() string {
	return plan.Change{Op: s.Op, Kind: s.Kind, Key: s.Key}.Object()
}

// OK reports whether every target was applied.
func (r *Report) OK() bool {
	for _, t := range r.Targets {
		if t.Outcome != TargetApplied {
			return false
		}
	}
	return true
}

// Failed reports whether any target failed, was skipped or was interrupted
// (stale targets aside).
func (r *Report) Failed() bool {
	for _, t := range r.Targets {
		switch t.Outcome {
		case TargetFailed, TargetSkipped, TargetInterrupted:
			return true
		}
	}
	return false
}

// Stale reports whether any target was refused as stale.
func (r *Report) Stale() bool {
	for _, t := range r.Targets {
		if t.Outcome == TargetStale {
			return true
		}
	}
	return false
}

// count fills r.Counts from the targets.
func (r *Report) count() {
	var c Counts
	for _, t := range r.Targets {
		changed := false
		for _, s := range t.Steps {
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
		if changed || t.Outcome != TargetApplied {
			c.Targets++
		}
		switch t.Outcome {
		case TargetFailed, TargetSkipped:
			c.FailedTargets++
		case TargetStale:
			c.StaleTargets++
		case TargetInterrupted:
			c.InterruptedTargets++
		}
	}
	r.Counts = c
}

// WriteJSON writes r as indented JSON (the --report file).
func WriteJSON(w interface{ Write([]byte) (int, error) }, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// stepName names a step in words: `create action "Front Desk"/"Book"`.
func stepName(s StepResult) string {
	return strings.TrimSpace(string(s.Op) + " " + s.Object())
}
