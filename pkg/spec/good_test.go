package spec

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestLoadGoodManifests holds manifests validate used to refuse wrongly, with
// a check of what they load as.
func TestLoadGoodManifests(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		check func(t *testing.T, set *Set)
	}{
		{"agent with only a name and a mode", loc(head + "agents:\n  - name: Front Desk\n    mode: off\n"),
			func(t *testing.T, set *Set) {
				a := set.Locations[0].Agents[0]
				if a.Name != "Front Desk" || len(a.Settings) != 1 || a.Settings["mode"] != "off" {
					t.Errorf("agent = %q %v, want Front Desk with only mode", a.Name, a.Settings)
				}
			}},
		{"number and boolean vars used as written", loc(head + "vars:\n  zip: 78701\n  open: true\n  code: 01234\n  rate: 1.50\n" +
			"agents:\n  - name: A\n    businessName: ${zip}-${open}-${code}-${rate}\n"),
			func(t *testing.T, set *Set) {
				if got := set.Locations[0].Agents[0].Settings["businessName"]; got != "78701-true-01234-1.50" {
					t.Errorf("businessName = %v, want 78701-true-01234-1.50", got)
				}
			}},
		{"null vars and agents", loc(head + "vars:\nagents:\n"),
			func(t *testing.T, set *Set) {
				if n := len(set.Locations[0].Agents); n != 0 {
					t.Errorf("%d agents, want none", n)
				}
			}},
		{"relative base path without extension", map[string]string{
			"loc.yaml":              head + "agents:\n  - name: A\n    base: ./shared/minimal\n",
			"shared/minimal.yml":    "mode: suggestive\n",
			"shared/minimal/x.yaml": "not: used\n",
		}, func(t *testing.T, set *Set) {
			if got := set.Locations[0].Agents[0].Settings["mode"]; got != "suggestive" {
				t.Errorf("mode = %v, want suggestive from shared/minimal.yml", got)
			}
		}},
		{"integers written as whole floats", loc(agentA + "    autoPilotMaxMessages: 10.0\n"),
			func(t *testing.T, set *Set) {
				if got := set.Locations[0].Agents[0].Settings["autoPilotMaxMessages"]; got != 10.0 {
					t.Errorf("autoPilotMaxMessages = %v, want 10", got)
				}
			}},
		{"step ids reused across actions, days ending at 24:00", loc(agentA +
			"    followup:\n      actions: [F, G]\n      workingHours: [{dayOfTheWeek: 1, intervals: [{startHour: 9, startMinute: 0, endHour: 24, endMinute: 0}]}, {dayOfTheWeek: 2}]\n" +
			"    actions:\n" + followup("F", "{id: 1, followupTimeUnit: hours, followupTime: 2}, {id: 2, followupTimeUnit: days, followupTime: 1}") +
			followup("G", "{id: 1, followupTimeUnit: minutes, followupTime: 30}")),
			func(t *testing.T, set *Set) {
				acts := set.Locations[0].Agents[0].Actions
				if len(acts) != 2 || acts[1].Name != "G" {
					t.Fatalf("actions = %+v, want F and G", acts)
				}
				if steps, _ := acts[0].Details["followupSequence"].([]any); len(steps) != 2 {
					t.Errorf("F has %d steps, want 2", len(steps))
				}
			}},
		{"variables inside variables", loc(head + "vars:\n  city: Austin\n  zip: 78701\n  place: ${city} ${zip}\n  greeting: Welcome to ${place}, $${not a var}\n" +
			"agents:\n  - name: A\n    businessName: ${greeting}\n"),
			func(t *testing.T, set *Set) {
				if got := set.Locations[0].Agents[0].Settings["businessName"]; got != "Welcome to Austin 78701, ${not a var}" {
					t.Errorf("businessName = %v", got)
				}
				if len(set.Warnings) != 0 {
					t.Errorf("warnings: %v", set.Warnings)
				}
			}},
		{"unused variables are warnings", loc(head + "vars:\n  city: Austin\n  spare: x\n  chained: ${city}\nagents:\n  - name: A\n    businessName: ${city}\n"),
			func(t *testing.T, set *Set) {
				want := "loc.yaml:6:3: vars.spare: variable spare is declared but never used\n" +
					"loc.yaml:7:3: vars.chained: variable chained is declared but never used"
				if got := set.Warnings.String(); got != want {
					t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
				}
			}},
		{"declared tokenEnv", loc("apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc1, tokenEnv: HL_TOKEN_A}\n"),
			func(t *testing.T, set *Set) {
				if l := set.Locations[0]; l.TokenEnv != "HL_TOKEN_A" || !l.TokenEnvDeclared {
					t.Errorf("TokenEnv = %q declared=%v, want HL_TOKEN_A declared", l.TokenEnv, l.TokenEnvDeclared)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, content := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(content)}
			}
			set, err := LoadFS(fsys, "loc.yaml")
			if err != nil {
				t.Fatalf("LoadFS: %v", err)
			}
			tt.check(t, set)
		})
	}
}

// TestUnusedVariableWarnings: a base's default or a vars file's variable is
// reported once, when nothing that could use it does.
func TestUnusedVariableWarnings(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, content := range map[string]string{
		"loc.yaml":         head + "agents:\n  - name: A\n    base: desk\n",
		"other.yaml":       "apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc2}\nvarsFiles: [groups/tx.yaml]\n",
		"third.yaml":       "apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc3}\nvarsFiles: [groups/tx.yaml]\nvars: {b: 1}\nagents: [{name: X, goal: '${a} ${b}'}]\n",
		"groups/tx.yaml":   "apiVersion: agentform/v1\nkind: Vars\nvars:\n  a: used by third\n  b: overridden by third\n  c: used by nobody\n",
		"groups/lone.yaml": "apiVersion: agentform/v1\nkind: Vars\nvars: {d: listed nowhere}\n",
		"bases/desk.yaml":  "vars: {tone: warm, spare: x}\ngoal: ${tone}\n",
	} {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	set, err := LoadFS(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	want := "bases/desk.yaml:1:20: vars.spare: default variable spare is never used by this base or the agents built on it\n" +
		"groups/lone.yaml:3:8: vars.d: variable d is never used: no document lists this file under varsFiles:\n" +
		"groups/tx.yaml:6:3: vars.c: variable c is not used by any document that lists this file (other.yaml:4:13, third.yaml:4:13)"
	if got := set.Warnings.String(); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
	if !slices.Contains(set.Files, "groups/tx.yaml") || !slices.Contains(set.Files, "groups/lone.yaml") {
		t.Errorf("Files = %v, want the vars files among them", set.Files)
	}
}
