package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExportAllSandbox: export --all with --sandbox lists the company named
// by --company, names files after the sub-accounts (same names get their
// ids appended), and the export plans with no changes.
func TestExportAllSandbox(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.db")
	seed := filepath.Join(dir, "seed.yaml")
	writeFile(t, seed, `companies:
  - id: compDup
    locations:
      - id: dupLocB
        name: Acme Dental
        calendars: [{id: calB, name: Cleanings}]
        agents:
          - name: Desk
            personality: Kind.
            goal: Help.
            instructions: Answer.
            actions:
              - name: Book
                type: appointmentBooking
                details: {calendarId: calB, onlySendLink: true, triggerWorkflow: false, sleepAfterBooking: false, transferBot: false, rescheduleEnabled: false, cancelEnabled: false}
      - {id: dupLocA, name: "Acme  Dental!"}
      - {id: glowLoc, name: "Glow Med Spa / Miami"}
  - id: compEmpty
    locations: []
`)
	runSandboxCmd(t, "sandbox", "seed", "--state", state, seed)
	out := filepath.Join(dir, "out")
	env := map[string]string{"HIGHLEVEL_COMPANY_ID": "compDup"}
	r := runCLI(t, env, "export", "--sandbox="+state, "--all", "--out", out)
	if r.code != exitOK {
		t.Fatalf("export --all: exit %d\n%s", r.code, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.yaml"))
	for i := range files {
		files[i] = filepath.Base(files[i])
	}
	if want := []string{"acme-dental-dupLocA.yaml", "acme-dental-dupLocB.yaml", "glow-med-spa-miami.yaml"}; !slices.Equal(files, want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	got, err := os.ReadFile(filepath.Join(out, "acme-dental-dupLocB.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  id: dupLocB\n  name: Acme Dental\nprune", "calendarId: {name: Cleanings}", "  - name: Desk\n    id: "} {
		if !strings.Contains(string(got), want) {
			t.Errorf("export lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "tokenEnv") {
		t.Errorf("an --all export declares a tokenEnv:\n%s", got)
	}
	if r := runCLI(t, env, "plan", "--sandbox="+state, "--detailed-exitcode", out); r.code != exitOK {
		t.Fatalf("plan of the export: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// locations with --company instead of the variable.
	r = runCLI(t, nil, "locations", "--sandbox="+state, "--company", "compDup", "--format", "json", out)
	var rows []inventoryRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); r.code != exitOK || err != nil || len(rows) != 3 {
		t.Fatalf("locations: exit %d, %v, %d rows\n%s\n%s", r.code, err, len(rows), r.stdout, r.stderr)
	}
	if rows[0].ID != "dupLocA" || rows[0].Name != "Acme  Dental!" || !rows[0].Managed || rows[0].Manifest != filepath.Join(out, "acme-dental-dupLocA.yaml") {
		t.Errorf("first row %+v", rows[0])
	}

	r = runCLI(t, nil, "export", "--sandbox="+state, "--all", "--company", "compEmpty", "--out", out)
	if r.code != exitError1 || !strings.Contains(r.stderr, "company compEmpty lists no sub-accounts") {
		t.Errorf("empty company: exit %d, %q", r.code, r.stderr)
	}
}

func TestLocationsAndExportAllErrors(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "s.db")
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, "apiVersion: agentform/v1\nkind: Location\nlocation: {id: loc1}\nagents:\n  - name: A\n    mode: sometimes\n")
	agency := map[string]string{"HIGHLEVEL_AGENCY_TOKEN": "pit-abc", "HIGHLEVEL_COMPANY_ID": "compX"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"format", agency, []string{"locations", "--format", "yaml"}, `--format "yaml": want text or json`},
		{"no agency credential", map[string]string{"HIGHLEVEL_COMPANY_ID": "compX"}, []string{"locations", "--endpoint", "http://127.0.0.1:1"},
			"needs the agency credential: set HIGHLEVEL_AGENCY_TOKEN and HIGHLEVEL_COMPANY_ID"},
		{"bearer prefix", map[string]string{"HIGHLEVEL_AGENCY_TOKEN": "Bearer pit-abc", "HIGHLEVEL_COMPANY_ID": "compX"},
			[]string{"locations", "--endpoint", "http://127.0.0.1:1"}, `starts with "Bearer "`},
		{"company without sandbox", agency, []string{"locations", "--company", "compX", "--endpoint", "http://127.0.0.1:1"}, "--company is for --sandbox"},
		{"sandbox without company", nil, []string{"locations", "--sandbox=" + state}, "name the sandbox company with --company or HIGHLEVEL_COMPANY_ID"},
		{"sandbox company not seeded", nil, []string{"locations", "--sandbox=" + state, "--company", "nope"}, "seed it first"},
		{"invalid manifest", agency, []string{"locations", "--endpoint", "http://127.0.0.1:1", bad}, "1 problem in the manifests"},
		{"all with location", agency, []string{"export", "--all", "--location", "x", "--out", dir}, "give no --location or --locations-file with it"},
		{"all with token env", agency, []string{"export", "--all", "--out", dir, "--token-env", "TOK"}, "--token-env does not apply to --all"},
		{"all without out", agency, []string{"export", "--all"}, "--all needs --out DIR"},
		{"company without all", nil, []string{"export", "--sandbox=" + state, "--company", "c", "--location", "x"}, "--company names the sandbox company of --all"},
		{"all without agency credential", nil, []string{"export", "--all", "--out", dir, "--endpoint", "http://127.0.0.1:1"}, "needs the agency credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.env, tt.args...)
			if r.code != exitError1 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, tt.want)
			}
			if strings.Contains(r.stdout+r.stderr, "pit-abc") {
				t.Errorf("the agency token reached the output: %q", r.stdout+r.stderr)
			}
		})
	}
}

// TestExportAllLocationFailsAlone: with the agency credential, a
// sub-account whose token cannot be minted (the app is not installed there)
// fails alone; the others are written.
func TestExportAllLocationFailsAlone(t *testing.T) {
	f := newFleetSandbox(t, `companies:
  - id: compMix
    locations:
      - {id: mixOk, name: Open Clinic}
      - {id: mixNoApp, name: Closed Clinic, installed: false}
`)
	out := filepath.Join(f.dir, "out")
	r := f.run(t, f.agencyEnv(t, "compMix", "--scope", "readonly"), "export", "--all", "--out", out)
	if r.code != exitError1 || !strings.Contains(r.stderr, "location mixNoApp: ") || !strings.Contains(r.stderr, "not installed") ||
		!strings.Contains(r.stderr, "1 of 2 locations could not be exported") {
		t.Fatalf("exit %d, want 1 naming mixNoApp's missing app\n%s", r.code, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.yaml"))
	if len(files) != 1 || filepath.Base(files[0]) != "open-clinic.yaml" {
		t.Errorf("files %v, want open-clinic.yaml only", files)
	}
	if c := f.counts(); c.mints != 2 || c.writes != 0 {
		t.Errorf("%d mints, %d writes; want 2 and 0", c.mints, c.writes)
	}
}
