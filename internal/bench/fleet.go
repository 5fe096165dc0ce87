package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CompanyID is the agency (company) every generated location belongs to.
const CompanyID = "benchAgency"

// AgentsPerLocation and ActionsPerAgent are the shape of a generated
// location: 5 agents x 4 actions, 25 objects.
const (
	AgentsPerLocation = 5
	ActionsPerAgent   = 4
)

// Fleet describes a generated fleet: Locations locations of
// AgentsPerLocation agents with ActionsPerAgent actions each, written as
// manifests and as sandbox seed files that match them.
type Fleet struct {
	Locations int
	// PerFile is how many Location documents one manifest file holds (1:
	// one file per location; more: files of that many documents separated
	// by ---). The loader refuses files over 4 MiB, about 8,000 documents
	// with bases, 1,000 inline.
	PerFile int
	// Inline writes every agent in full in every location instead of
	// naming a shared base (bases/bench/*.yaml) with the location's
	// variables: more bytes for the loader, the same desired state.
	Inline bool
	// TokenEnvs names a token variable in every location (TokenEnv), so
	// each location reads its own token; without, the locations name none
	// and agency mode mints their tokens from one agency credential.
	TokenEnvs bool
	// DriftEvery, when positive, makes every DriftEvery-th location's seeded
	// live state differ from its manifest (DriftedSeed): its first agent's
	// mode, a missing action of its third agent, and an agent no manifest
	// declares.
	DriftEvery int
}

// LocationID is the id of the i-th generated location (20 alphanumerics,
// as HighLevel's).
func LocationID(i int) string { return fmt.Sprintf("bench%015d", i) }

// TokenEnv is the variable holding the i-th location's token when the
// fleet names token variables (Fleet.TokenEnvs).
func TokenEnv(i int) string { return fmt.Sprintf("HL_TOKEN_%05d", i) }

func locationName(i int) string { return fmt.Sprintf("Bench Clinic %05d", i) }

func workflowID(i int) string { return fmt.Sprintf("wf%018d", i) }

func agentID(loc, a int) string { return fmt.Sprintf("ag%013d%05d", loc, a) }

func actionID(loc, a, k int) string { return fmt.Sprintf("ac%013d%03d%02d", loc, a, k) }

// template is one agent of every location: its fields and actions as the
// manifest declares them, with ${business} and ${formsFlow} for the
// location's variables.
type template struct {
	name, slug string
	fields     map[string]any
	actions    []action
}

type action struct {
	name, typ string
	details   map[string]any
}

var roles = []struct{ name, slug, goal string }{
	{"Front Desk", "front-desk", "Answer questions about ${business} and book visits."},
	{"Scheduler", "scheduler", "Move and cancel appointments at ${business}."},
	{"Billing", "billing", "Explain bills, payment plans and insurance coverage at ${business}."},
	{"After Hours", "after-hours", "Take clear messages for ${business} outside opening hours."},
	{"Intake", "intake", "Collect a new patient's details and send the intake forms of ${business}."},
}

// templates returns the five agent templates.
func templates() []template {
	out := make([]template, len(roles))
	for a, r := range roles {
		next := roles[(a+1)%len(roles)].name
		out[a] = template{name: r.name, slug: r.slug,
			fields: map[string]any{
				"businessName": "${business}",
				"mode":         "auto-pilot",
				"channels":     []any{"SMS", "Live_Chat"},
				"personality":  "Warm, brief and precise. You speak for ${business} and never invent prices.",
				"goal":         r.goal,
				"instructions": "Greet the contact by name when you know it.\n" +
					"Answer in at most three sentences and ask one question at a time.\n" +
					"Opening hours of ${business}: Monday to Friday, 8am to 6pm.\n" +
					"Never give medical advice; offer a visit instead.\n",
				"autoPilotMaxMessages": 20,
				"waitTime":             30,
				"waitTimeUnit":         "seconds",
			},
			actions: []action{
				{"Stop when done", "stopBot", map[string]any{
					"stopBotDetectionType": "Goodbye", "stopBotTriggerCondition": "The contact says goodbye or has nothing more to ask.",
					"reactivateEnabled": false, "enabled": true, "stopBotExamples": []any{"thanks, bye", "that's all"},
					"finalMessage": "Thanks for contacting ${business}."}},
				{"Hand over", "humanHandOver", map[string]any{
					"enabled": true, "triggerCondition": "The contact asks for a person.", "handoverType": "contactRequest",
					"examples": []any{"can I talk to a person"}, "skipAssignToUser": true, "reactivateEnabled": false,
					"finalMessage": "A colleague will reply shortly."}},
				{"Send forms", "triggerWorkflow", map[string]any{
					"workflowIds": []any{"${formsFlow}"}, "triggerCondition": "The contact asks for the forms."}},
				{"Transfer to " + next, "transferBot", map[string]any{
					"transferBotType": "Default", "transferToBot": next, "enabled": true}},
			},
		}
	}
	return out
}

// vars are a location's variables.
func vars(i int) map[string]string {
	return map[string]string{"business": locationName(i), "formsFlow": workflowID(i)}
}

// expand replaces ${name} in every string of v by vars[name].
func expand(v any, vars map[string]string) any {
	switch x := v.(type) {
	case string:
		for k, val := range vars {
			x = strings.ReplaceAll(x, "${"+k+"}", val)
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = expand(e, vars)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = expand(e, vars)
		}
		return out
	}
	return v
}

// manifestAgent is an agent as a manifest declares it (without its name).
func (t template) manifestAgent() map[string]any {
	m := map[string]any{}
	for k, v := range t.fields {
		m[k] = v
	}
	var acts []any
	for _, a := range t.actions {
		acts = append(acts, map[string]any{"name": a.name, "type": a.typ, "details": a.details})
	}
	m["actions"] = acts
	return m
}

// WriteManifests writes the fleet's manifests under dir: dir/locations/
// (the Location documents) and, unless Inline, dir/bases/bench/ (one base
// per agent). Plan and apply take dir/locations; the loader finds the
// bases above it.
func (f Fleet) WriteManifests(dir string) error {
	locDir := filepath.Join(dir, "locations")
	if err := os.MkdirAll(locDir, 0o755); err != nil {
		return fmt.Errorf("manifests: %w", err)
	}
	tpls := templates()
	var agentsYAML string // the location's agents list, with ${...} placeholders when Inline
	if f.Inline {
		var list []any
		for _, t := range tpls {
			m := t.manifestAgent()
			m["name"] = t.name
			list = append(list, m)
		}
		b, err := yaml.Marshal(map[string]any{"agents": list})
		if err != nil {
			return fmt.Errorf("manifests: %w", err)
		}
		agentsYAML = string(b)
	} else {
		baseDir := filepath.Join(dir, "bases", "bench")
		if err := os.MkdirAll(baseDir, 0o755); err != nil {
			return fmt.Errorf("manifests: %w", err)
		}
		var b strings.Builder
		b.WriteString("agents:\n")
		for _, t := range tpls {
			raw, err := yaml.Marshal(t.manifestAgent())
			if err != nil {
				return fmt.Errorf("manifests: %w", err)
			}
			if err := os.WriteFile(filepath.Join(baseDir, t.slug+".yaml"), raw, 0o644); err != nil {
				return fmt.Errorf("manifests: %w", err)
			}
			fmt.Fprintf(&b, "  - {name: %s, base: bench/%s}\n", t.name, t.slug)
		}
		agentsYAML = b.String()
	}
	per := max(f.PerFile, 1)
	var w *bufio.Writer
	var file *os.File
	closeFile := func() error {
		if file == nil {
			return nil
		}
		err := w.Flush()
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		file = nil
		return err
	}
	for i := range f.Locations {
		if i%per == 0 {
			if err := closeFile(); err != nil {
				return fmt.Errorf("manifests: %w", err)
			}
			name := fmt.Sprintf("loc-%05d.yaml", i)
			if per > 1 {
				name = fmt.Sprintf("fleet-%05d.yaml", i/per)
			}
			var err error
			if file, err = os.Create(filepath.Join(locDir, name)); err != nil {
				return fmt.Errorf("manifests: %w", err)
			}
			w = bufio.NewWriterSize(file, 1<<16)
		} else {
			w.WriteString("---\n")
		}
		v := vars(i)
		fmt.Fprintf(w, "apiVersion: agentform/v1\nkind: Location\nlocation:\n  id: %s\n  name: %s\n", LocationID(i), v["business"])
		if f.TokenEnvs {
			fmt.Fprintf(w, "  tokenEnv: %s\n", TokenEnv(i))
		}
		if f.Inline {
			w.WriteString(expandText(agentsYAML, v))
			continue
		}
		fmt.Fprintf(w, "vars:\n  business: %s\n  formsFlow: %s\n", v["business"], v["formsFlow"])
		w.WriteString(agentsYAML)
	}
	if err := closeFile(); err != nil {
		return fmt.Errorf("manifests: %w", err)
	}
	return nil
}

func expandText(s string, vars map[string]string) string {
	for k, v := range vars {
		s = strings.ReplaceAll(s, "${"+k+"}", v)
	}
	return s
}

// WriteSeed writes a sandbox seed file (JSON) of the fleet's company and
// locations, each with the workflow its actions name. With agents, every
// location also holds its agents and actions as the API answers them, equal
// to what the manifests declare (so a plan shows no changes), except in the
// locations DriftEvery picks (see Fleet.DriftEvery).
func (f Fleet) WriteSeed(path string, agents bool) error {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	w := bufio.NewWriterSize(file, 1<<16)
	fmt.Fprintf(w, `{"companies":[{"id":%q,"name":"Bench Agency","locations":[`, CompanyID)
	tpls := templates()
	enc := json.NewEncoder(w)
	for i := range f.Locations {
		if i > 0 {
			w.WriteByte(',')
		}
		loc := map[string]any{"id": LocationID(i), "name": locationName(i),
			"workflows": []any{map[string]any{"id": workflowID(i), "name": "Intake forms"}}}
		if agents {
			loc["agents"] = f.liveAgents(i, tpls)
		}
		if err := enc.Encode(loc); err != nil {
			file.Close()
			return fmt.Errorf("seed: %w", err)
		}
	}
	w.WriteString("]}]}\n")
	err = w.Flush()
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// Drifted reports whether location i's seeded state differs from its
// manifest.
func (f Fleet) Drifted(i int) bool { return f.DriftEvery > 0 && i%f.DriftEvery == 0 }

// DriftChanges is what a plan shows for one drifted location: an update
// (the first agent's mode) and a create (the third agent's "Send forms"
// action), plus a report (the undeclared agent).
const DriftChanges = 2

// liveAgents is location i's agents as GET agent answers them, with their
// actions as GET actions/list does, ids given.
func (f Fleet) liveAgents(i int, tpls []template) []any {
	v := vars(i)
	ids := map[string]string{}
	for a, t := range tpls {
		ids[t.name] = agentID(i, a)
	}
	var out []any
	for a, t := range tpls {
		m := expand(t.fields, v).(map[string]any)
		m["id"], m["name"] = agentID(i, a), t.name
		var acts []any
		for k, ac := range t.actions {
			if f.Drifted(i) && a == 2 && ac.typ == "triggerWorkflow" {
				continue
			}
			d := expand(ac.details, v).(map[string]any)
			if ac.typ == "transferBot" {
				d["transferToBot"] = ids[d["transferToBot"].(string)]
			}
			acts = append(acts, map[string]any{"id": actionID(i, a, k), "name": ac.name, "type": ac.typ, "details": d})
		}
		m["actions"] = acts
		if f.Drifted(i) && a == 0 {
			m["mode"] = "off"
		}
		out = append(out, m)
	}
	if f.Drifted(i) {
		out = append(out, map[string]any{"id": agentID(i, 99), "name": "Old bot", "personality": "p", "goal": "g",
			"instructions": "i", "mode": "off"})
	}
	return out
}
