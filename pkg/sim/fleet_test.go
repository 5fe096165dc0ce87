package sim_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

const fleetSeed = `
companies:
  - id: compAcme
    name: Acme Dental
    locations:
      - {id: locA, name: Acme Dental Austin, address: 1 Main St}
      - {id: locB, name: Acme Dental Dallas, installed: false}
  - id: compOther
    locations:
      - {id: locX, name: Other Clinic}
`

// v2 is the Version the oauth, locations, workflows, users and custom
// field documents declare.
func v2() reqOpt { return withVersion("2021-07-28") }

func form() reqOpt {
	return func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }
}

// mintLocation exchanges an agency token for a location token.
func (e *env) mintLocation(agency, company, location string) resp {
	e.t.Helper()
	return e.do("POST", "/oauth/locationToken", agency, "companyId="+company+"&locationId="+location, v2(), form())
}

func TestAgencyTokenMintsLocationTokens(t *testing.T) {
	clock := newClock()
	e := newEnv(t, sim.Options{Now: clock.Now})
	simtest.Seed(t, e.s, fleetSeed)
	ro := simtest.AgencyToken(t, e.s, "compAcme", false)
	rw := simtest.AgencyToken(t, e.s, "compAcme", true)

	r := e.mintLocation(ro, "compAcme", "locA").must(t, 200)
	tok := r.str("access_token")
	if r.str("locationId") != "locA" || r.body["expires_in"] != 86399.0 || r.str("token_type") != "Bearer" || tok == "" {
		t.Errorf("answer %s", r.raw)
	}
	if scope := r.str("scope"); strings.Contains(scope, "oauth.") || strings.Contains(scope, sim.ScopeWrite) ||
		!strings.Contains(scope, sim.ScopeReadonly) || !strings.Contains(scope, sim.ScopeWorkflowsReadonly) {
		t.Errorf("read-only agency credential minted scope %q", scope)
	}
	// The minted token reads Conversation AI and the lookups, and cannot write.
	e.do("GET", "/conversation-ai/agents/search", tok, nil).must(t, 200)
	e.do("GET", "/workflows/?locationId=locA", tok, nil, v2()).must(t, 200)
	e.do("POST", "/conversation-ai/agents", tok, agentBody("x", nil)).must(t, 401)

	w := e.mintLocation(rw, "compAcme", "locA").must(t, 200)
	e.do("POST", "/conversation-ai/agents", w.str("access_token"), agentBody("x", nil)).must(t, 201)
	if w.str("access_token") == tok {
		t.Error("two mints answered the same token")
	}

	// Expiry: 401 Invalid JWT once the TTL has passed, and a new mint works.
	clock.Advance(sim.DefaultTokenTTL)
	exp := e.do("GET", "/conversation-ai/agents/search", tok, nil).must(t, 401)
	if exp.messages() != "Invalid JWT" || exp.str("error") != "Unauthorized" {
		t.Errorf("expired token answer %s", exp.raw)
	}
	again := e.mintLocation(ro, "compAcme", "locA").must(t, 200)
	e.do("GET", "/conversation-ai/agents/search", again.str("access_token"), nil).must(t, 200)
}

func TestLocationTokenErrors(t *testing.T) {
	e := newEnv(t, sim.Options{TokenTTL: time.Minute})
	simtest.Seed(t, e.s, fleetSeed)
	agency := simtest.AgencyToken(t, e.s, "compAcme", true)
	noOAuth, err := e.s.MintAgencyToken("compAcme", sim.ScopeLocationsReadonly)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		token   string
		body    string
		loose   bool // the request breaks the contract on purpose
		status  int
		message string
	}{
		{"ttl", agency, "companyId=compAcme&locationId=locA", false, 200, ""},
		{"not installed", agency, "companyId=compAcme&locationId=locB", false, 400, "The app is not installed on location locB"},
		{"other company's location", agency, "companyId=compAcme&locationId=locX", false, 400, "Location locX is not a sub-account of company compAcme"},
		{"unknown location", agency, "companyId=compAcme&locationId=nope", false, 400, "Location nope is not a sub-account of company compAcme"},
		{"other company", agency, "companyId=compOther&locationId=locX", false, 401, "The token does not have access to company compOther"},
		{"missing fields", agency, "", true, 422, "companyId should not be empty | locationId should not be empty"},
		{"without oauth.write", noOAuth, "companyId=compAcme&locationId=locA", false, 401, "The token is not authorized for this scope."},
		{"location token", e.rw, "companyId=compAcme&locationId=locA", false, 401, "This authClass type is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			send := e.do
			if tt.loose {
				send = e.bad
			}
			r := send("POST", "/oauth/locationToken", tt.token, tt.body, v2(), form()).must(t, tt.status)
			if !strings.Contains(r.messages(), tt.message) {
				t.Errorf("message %q, want %q", r.messages(), tt.message)
			}
			if tt.status == 200 && r.body["expires_in"] != 60.0 {
				t.Errorf("expires_in %v, want 60 (Options.TokenTTL)", r.body["expires_in"])
			}
		})
	}
	t.Run("agency token on a location endpoint", func(t *testing.T) {
		r := e.do("GET", "/conversation-ai/agents/search", agency, nil).must(t, 401)
		if !strings.Contains(r.messages(), "authClass") {
			t.Errorf("answer %s", r.raw)
		}
	})
	t.Run("mint for an unseeded company", func(t *testing.T) {
		if _, err := e.s.MintAgencyToken("compNope", sim.AgencyScopes(false)...); err == nil || !strings.Contains(err.Error(), "seed it first") {
			t.Errorf("error %v", err)
		}
	})
}

func TestSearchLocations(t *testing.T) {
	e := newEnv(t, sim.Options{})
	var sb strings.Builder
	sb.WriteString("companies:\n  - id: compBig\n    locations:\n")
	for i := range 15 {
		fmt.Fprintf(&sb, "      - {id: loc%02d, name: Clinic %02d}\n", i, i)
	}
	simtest.Seed(t, e.s, sb.String())
	agency := simtest.AgencyToken(t, e.s, "compBig", false)
	ids := func(r resp) []string {
		var out []string
		for _, l := range r.body["locations"].([]any) {
			out = append(out, l.(map[string]any)["id"].(string))
		}
		return out
	}
	first := ids(e.do("GET", "/locations/search?companyId=compBig", agency, nil, v2()).must(t, 200))
	if len(first) != 10 || first[0] != "loc00" {
		t.Errorf("first page %v", first)
	}
	rest := ids(e.do("GET", "/locations/search?companyId=compBig&skip=10&limit=10", agency, nil, v2()).must(t, 200))
	if len(rest) != 5 || rest[0] != "loc10" {
		t.Errorf("second page %v", rest)
	}
	desc := ids(e.do("GET", "/locations/search?companyId=compBig&order=desc&limit=1", agency, nil, v2()).must(t, 200))
	if len(desc) != 1 || desc[0] != "loc14" {
		t.Errorf("desc %v", desc)
	}
	e.do("GET", "/locations/search?companyId=compBig&limit=101", agency, nil, v2()).must(t, 422)
	e.do("GET", "/locations/search?companyId=compOther", agency, nil, v2()).must(t, 401)
	// A location token with locations.readonly sees its own location.
	own, err := e.s.MintToken("loc03", sim.ScopeLocationsReadonly)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(e.do("GET", "/locations/search", own, nil, v2()).must(t, 200)); len(got) != 1 || got[0] != "loc03" {
		t.Errorf("location token sees %v", got)
	}
}

func TestInstalledLocations(t *testing.T) {
	e := newEnv(t, sim.Options{})
	simtest.Seed(t, e.s, fleetSeed)
	agency := simtest.AgencyToken(t, e.s, "compAcme", false)
	r := e.do("GET", "/oauth/installedLocations?companyId=compAcme&appId=app1", agency, nil, v2()).must(t, 200)
	if r.body["count"] != 2.0 || len(r.body["locations"].([]any)) != 2 {
		t.Errorf("answer %s", r.raw)
	}
	r = e.do("GET", "/oauth/installedLocations?companyId=compAcme&appId=app1&isInstalled=false", agency, nil, v2()).must(t, 200)
	locs := r.body["locations"].([]any)
	if len(locs) != 1 || locs[0].(map[string]any)["_id"] != "locB" || locs[0].(map[string]any)["isInstalled"] != false {
		t.Errorf("not installed: %s", r.raw)
	}
	e.bad("GET", "/oauth/installedLocations?companyId=compAcme", agency, nil, v2()).must(t, 422)
	e.do("GET", "/oauth/installedLocations?companyId=compOther&appId=a", agency, nil, v2()).must(t, 401)
	e.do("GET", "/oauth/installedLocations?companyId=compAcme&appId=a", e.ro, nil, v2()).must(t, 401)
}
