package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/agentform/agentform/pkg/sim"
)

// End-to-end tests of agency mode (issue 11) from the CLI: a sandbox serves
// a state file on a loopback port in this process (its audit log at hand),
// the CLI seeds it and mints its agency tokens through that file, and every
// other command sees only --endpoint and the two agency variables.

// fleetSandbox is a served sandbox with a seeded state file.
type fleetSandbox struct {
	s     *sim.Server
	url   string
	state string
	dir   string
}

// newFleetSandbox serves a new sandbox and loads seed into it with
// "agentform sandbox seed".
func newFleetSandbox(t *testing.T, seed string) *fleetSandbox {
	t.Helper()
	dir := t.TempDir()
	f := &fleetSandbox{state: filepath.Join(dir, "sandbox.db"), dir: dir}
	s, err := sim.New(sim.Options{StatePath: f.state})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
	f.s, f.url = s, ts.URL
	seedFile := filepath.Join(dir, "seed.yaml")
	writeFile(t, seedFile, seed)
	runSandboxCmd(t, "sandbox", "seed", "--state", f.state, seedFile)
	return f
}

// agencyEnv mints an agency token of company with "agentform sandbox token"
// (tokenArgs: --scope readonly|write, or --scopes a,b) and returns the only
// variables the commands under test get.
func (f *fleetSandbox) agencyEnv(t *testing.T, company string, tokenArgs ...string) map[string]string {
	t.Helper()
	tok := strings.TrimSpace(runSandboxCmd(t, append([]string{"sandbox", "token", "--state", f.state, "--company", company}, tokenArgs...)...))
	return map[string]string{"HIGHLEVEL_AGENCY_TOKEN": tok, "HIGHLEVEL_COMPANY_ID": company}
}

// run runs a command against the served sandbox, with a fresh audit log,
// and checks that no token reached its output.
func (f *fleetSandbox) run(t *testing.T, env map[string]string, args ...string) cliResult {
	t.Helper()
	f.s.ResetAudit()
	r := runCLI(t, env, append(args, "--endpoint", f.url)...)
	if sandboxToken.MatchString(r.stdout + r.stderr) {
		t.Fatalf("%v: a token reached the output:\n%s\n%s", args, r.stdout, r.stderr)
	}
	return r
}

// sandboxToken matches the sandbox's agency, minted and location tokens.
var sandboxToken = regexp.MustCompile(`(agency|loc|pit)-sandbox-[A-Za-z0-9]{8}`)

// auditCounts are the requests of one run, by what they did.
type auditCounts struct {
	mints, writes, agentReads, lookups int
	lookupsByLocation                  map[string]int
}

func (f *fleetSandbox) counts() auditCounts {
	c := auditCounts{lookupsByLocation: map[string]int{}}
	for _, e := range f.s.Audit() {
		switch {
		case e.Method == "POST" && e.Path == "/oauth/locationToken":
			c.mints++
		case e.Method != "GET":
			c.writes++
		case strings.HasPrefix(e.Path, "/conversation-ai/"):
			c.agentReads++
		case isLookupPath(e.Path):
			c.lookups++
			c.lookupsByLocation[e.Location]++
		}
	}
	return c
}

// isLookupPath reports the lookup lists: workflows, calendars, custom
// fields, users and knowledge bases.
func isLookupPath(p string) bool {
	switch p {
	case "/workflows/", "/calendars/", "/users/", "/knowledge-bases/":
		return true
	}
	return strings.HasPrefix(p, "/locations/") && strings.HasSuffix(p, "/customFields")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// acmeSeed is company compAcme with 20 sub-accounts (acmeLoc00..19), and
// company compGlow with one (glowLoc01), outside compAcme.
func acmeSeed() string {
	var b strings.Builder
	b.WriteString("companies:\n  - id: compAcme\n    locations:\n")
	for i := range 20 {
		fmt.Fprintf(&b, "      - {id: acmeLoc%02d, name: Acme Dental %02d}\n", i, i)
	}
	b.WriteString("  - id: compGlow\n    locations:\n      - {id: glowLoc01, name: Glow Med Spa}\n")
	return b.String()
}

// fleetManifest is a location whose manifest names no tokenEnv, with one
// agent and one action.
func fleetManifest(id, name string) string {
	return fmt.Sprintf(`apiVersion: agentform/v1
kind: Location
location:
  id: %s
  name: %s
agents:
  - name: Front Desk
    mode: suggestive
    personality: Kind.
    goal: Help.
    instructions: Answer.
    actions:
      - name: Done talking
        type: stopBot
        details: {stopBotDetectionType: Goodbye, stopBotTriggerCondition: The customer says goodbye., reactivateEnabled: false, enabled: true, stopBotExamples: [bye, thanks], finalMessage: Bye!}
`, id, name)
}

// writeFleet writes the manifests of the 20 compAcme locations: 12 under
// fleet/texas, 8 under fleet/ohio, and the compGlow one under foreign.
func writeFleet(t *testing.T, dir string) (fleet, texas, foreign string) {
	t.Helper()
	fleet, texas, foreign = filepath.Join(dir, "fleet"), filepath.Join(dir, "fleet", "texas"), filepath.Join(dir, "foreign")
	for i := range 20 {
		sub := "texas"
		if i >= 12 {
			sub = "ohio"
		}
		writeFile(t, filepath.Join(fleet, sub, fmt.Sprintf("acme-%02d.yaml", i)), fleetManifest(fmt.Sprintf("acmeLoc%02d", i), fmt.Sprintf("Acme Dental %02d", i)))
	}
	writeFile(t, filepath.Join(foreign, "glow.yaml"), fleetManifest("glowLoc01", "Glow Med Spa"))
	return fleet, texas, foreign
}

// TestFleetAgencyCredential: 20 locations planned and applied with only the
// two agency variables; a read-only agency credential plans and writes
// nothing; one without oauth.write fails once before anything is read;
// locations lists managed and unmanaged sub-accounts.
func TestFleetAgencyCredential(t *testing.T) {
	f := newFleetSandbox(t, acmeSeed())
	fleet, texas, foreign := writeFleet(t, f.dir)
	readonly := f.agencyEnv(t, "compAcme", "--scope", "readonly")
	write := f.agencyEnv(t, "compAcme", "--scope", "write")

	t.Run("read-only credential plans, apply writes nothing", func(t *testing.T) {
		r := f.run(t, readonly, "plan", fleet)
		if r.code != exitOK || !strings.Contains(r.stdout, "Plan: 40 to create, 0 to update, 0 to delete across 20 of 20 locations.") {
			t.Fatalf("plan: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		c := f.counts()
		t.Logf("plan, read-only credential, 20 locations: %d mint calls, %d agent reads", c.mints, c.agentReads)
		if c.mints != 20 || c.writes != 0 {
			t.Errorf("plan: %d mints, %d writes; want 20, 0", c.mints, c.writes)
		}

		r = f.run(t, readonly, "apply", "--auto-approve", fleet)
		c = f.counts()
		t.Logf("apply, read-only credential: %d mint calls, %d writes", c.mints, c.writes)
		if r.code != exitError1 || c.writes != 0 {
			t.Fatalf("apply: exit %d with %d writes, want 1 and none\n%s\n%s", r.code, c.writes, r.stdout, r.stderr)
		}
		if want := "mints tokens that cannot write"; !strings.Contains(r.stdout+r.stderr, want) || !strings.Contains(r.stdout+r.stderr, "conversation-ai.write") {
			t.Errorf("apply output does not say why (%q, conversation-ai.write):\n%s\n%s", want, r.stdout, r.stderr)
		}
		if c.mints != 20 || c.agentReads != 0 {
			t.Errorf("apply: %d mints, %d agent reads; want 20 (one per location) and none", c.mints, c.agentReads)
		}
		if n := len(f.s.AgentsOf("acmeLoc00")); n != 0 {
			t.Errorf("acmeLoc00 has %d agents after a read-only apply", n)
		}
	})

	t.Run("credential without oauth.write fails once before any read", func(t *testing.T) {
		noMint := f.agencyEnv(t, "compAcme", "--scopes", "oauth.readonly,locations.readonly,conversation-ai.readonly,conversation-ai.write")
		for _, cmd := range [][]string{{"plan", fleet}, {"apply", "--auto-approve", fleet}} {
			r := f.run(t, noMint, cmd...)
			c := f.counts()
			if r.code != exitError1 || c.mints != 1 || c.agentReads != 0 || c.writes != 0 {
				t.Fatalf("%s: exit %d, %d mints, %d agent reads, %d writes; want 1, 1, 0, 0\n%s\n%s", cmd[0], r.code, c.mints, c.agentReads, c.writes, r.stdout, r.stderr)
			}
			if n := strings.Count(r.stderr, "lacks the scope oauth.write"); n != 1 || !strings.Contains(r.stderr, "nothing was read") {
				t.Errorf("%s: the scope is named %d times, want one error saying nothing was read:\n%s", cmd[0], n, r.stderr)
			}
		}
	})

	t.Run("20 locations applied with the agency variables only", func(t *testing.T) {
		r := f.run(t, write, "apply", "--auto-approve", fleet)
		c := f.counts()
		t.Logf("apply, write credential, 20 locations: %d mint calls, %d writes", c.mints, c.writes)
		if r.code != exitOK {
			t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if c.mints != 20 || c.writes != 40 {
			t.Errorf("apply: %d mints, %d writes; want 20 and 40 (an agent and an action each)", c.mints, c.writes)
		}
		for i := range 20 {
			id := fmt.Sprintf("acmeLoc%02d", i)
			if a := f.s.AgentsOf(id); len(a) != 1 || a[0].Name != "Front Desk" || len(a[0].Actions) != 1 {
				t.Errorf("%s: agents %+v, want Front Desk with its action", id, a)
			}
		}
		r = f.run(t, readonly, "plan", "--detailed-exitcode", fleet)
		c = f.counts()
		t.Logf("plan after apply: %d mint calls", c.mints)
		if r.code != exitOK || !strings.Contains(r.stdout, "20 locations are up to date") || c.mints != 20 {
			t.Fatalf("plan after apply: exit %d, %d mints; want 0 (no changes) and 20\n%s\n%s", r.code, c.mints, r.stdout, r.stderr)
		}
	})

	t.Run("locations lists managed and unmanaged sub-accounts", func(t *testing.T) {
		r := f.run(t, readonly, "locations", texas, foreign)
		if r.code != exitOK {
			t.Fatalf("locations: exit %d\n%s", r.code, r.stderr)
		}
		lines := strings.Split(r.stdout, "\n")
		var managed, unmanaged int
		for _, l := range lines {
			fields := strings.Fields(l)
			if len(fields) < 4 || !strings.HasPrefix(fields[0], "acmeLoc") {
				continue
			}
			switch fields[len(fields)-2] { // MANAGED, before MANIFEST
			case "yes":
				managed++
			case "no":
				unmanaged++
			}
		}
		if managed != 12 || unmanaged != 8 {
			t.Errorf("table: %d managed, %d not; want 12 and 8\n%s", managed, unmanaged, r.stdout)
		}
		for _, want := range []string{
			"acmeLoc00  Acme Dental 00  yes      " + filepath.Join(texas, "acme-00.yaml"),
			"acmeLoc19  Acme Dental 19  no       -",
			"Declared in the manifests, not sub-accounts of company compAcme:",
			"glowLoc01  Glow Med Spa  " + filepath.Join(foreign, "glow.yaml") + "  minted: fails (no tokenEnv)",
			"20 sub-accounts of company compAcme: 12 managed, 8 not managed; 1 declared location not a sub-account.",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("locations output lacks %q:\n%s", want, r.stdout)
			}
		}
		if !strings.Contains(r.stderr, "warning: location glowLoc01") {
			t.Errorf("no warning about glowLoc01: %q", r.stderr)
		}
		if c := f.counts(); c.mints != 0 || c.agentReads != 0 {
			t.Errorf("locations minted %d tokens and read %d agent lists; want none", c.mints, c.agentReads)
		}

		r = f.run(t, readonly, "locations", "--format", "json", fleet, foreign)
		var rows []inventoryRow
		if err := json.Unmarshal([]byte(r.stdout), &rows); r.code != exitOK || err != nil {
			t.Fatalf("locations --format json: exit %d, %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
		}
		if len(rows) != 21 {
			t.Fatalf("%d rows, want 21", len(rows))
		}
		for _, row := range rows[:20] {
			if !row.Managed || !row.SubAccount || row.Manifest == "" {
				t.Errorf("row %+v: want a managed sub-account with its manifest", row)
			}
		}
		if last := rows[20]; last.ID != "glowLoc01" || !last.Managed || last.SubAccount {
			t.Errorf("last row %+v: want glowLoc01, managed, not a sub-account", last)
		}
		// Without PATH every sub-account is listed, none managed.
		r = f.run(t, readonly, "locations", "--format", "json")
		rows = nil
		if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 20 || rows[0].ID != "acmeLoc00" || rows[0].Managed {
			t.Errorf("locations without PATH: %v, %d rows: %+v", err, len(rows), rows)
		}
	})
}

// TestFleetForeignLocationFailsAlone: a location of another company fails,
// naming the company; the 20 others are planned and applied.
func TestFleetForeignLocationFailsAlone(t *testing.T) {
	f := newFleetSandbox(t, acmeSeed())
	fleet, _, foreign := writeFleet(t, f.dir)
	write := f.agencyEnv(t, "compAcme", "--scope", "write")

	r := f.run(t, write, "plan", fleet, foreign)
	if r.code != exitError1 || !strings.Contains(r.stdout, "Plan: 40 to create, 0 to update, 0 to delete across 20 of 21 locations") {
		t.Fatalf("plan: exit %d, want 1 with the 20 planned\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = f.run(t, write, "apply", "--auto-approve", fleet, foreign)
	c := f.counts()
	t.Logf("apply of 20 locations and a foreign one: %d mint calls", c.mints)
	if r.code != exitError1 || c.writes != 40 || c.mints != 21 {
		t.Fatalf("apply: exit %d, %d writes, %d mints; want 1, 40, 21\n%s\n%s", r.code, c.writes, c.mints, r.stdout, r.stderr)
	}
	if want := "location glowLoc01 is not a sub-account of company compAcme"; !strings.Contains(r.stdout+r.stderr, want) {
		t.Errorf("output lacks %q:\n%s\n%s", want, r.stdout, r.stderr)
	}
	if n := len(f.s.AgentsOf("glowLoc01")); n != 0 {
		t.Errorf("glowLoc01 has %d agents", n)
	}
	for i := range 20 {
		if n := len(f.s.AgentsOf(fmt.Sprintf("acmeLoc%02d", i))); n != 1 {
			t.Errorf("acmeLoc%02d has %d agents, want 1", i, n)
		}
	}
}
