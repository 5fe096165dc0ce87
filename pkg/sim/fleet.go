package sim

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultTokenTTL is how long a token minted by POST /oauth/locationToken
// lives (expires_in 86399, as the document's example).
const DefaultTokenTTL = 86399 * time.Second

// LocationScopes returns the scopes of a location token as "agentform
// sandbox token --location ID --scope readonly|write" mints it: Conversation
// AI read (and write), and the read scopes of the lookups (workflows,
// calendars, custom fields, users), as a private integration created with
// those scopes would have. Knowledge bases need no scope.
func LocationScopes(write bool) []string {
	out := []string{ScopeReadonly, ScopeWorkflowsReadonly, ScopeCalendarsReadonly, ScopeCustomFieldsReadonly, ScopeUsersReadonly}
	if write {
		out = append(out, ScopeWrite)
	}
	return normalScopes(out)
}

// AgencyScopes returns the scopes of an agency token as "agentform sandbox
// token --company ID --scope readonly|write" mints it: oauth.readonly and
// oauth.write (to list installations and mint location tokens, even
// read-only), locations.readonly (to list sub-accounts), and
// LocationScopes(write), which the location tokens it mints carry.
func AgencyScopes(write bool) []string {
	return normalScopes(append(LocationScopes(write), ScopeOAuthReadonly, ScopeOAuthWrite, ScopeLocationsReadonly))
}

// locationLevel reports whether a location token may carry scope: every
// scope but the oauth ones.
func locationLevel(scope string) bool { return !strings.HasPrefix(scope, "oauth.") }

// MintAgencyToken returns an agency token of companyID, which must have been
// seeded (LoadSeed), with the given scopes (AgencyScopes gives the CLI's
// sets). Like MintToken it reuses a token with exactly that company and
// scope set, and never expires.
func (s *Server) MintAgencyToken(companyID string, scopes ...string) (string, error) {
	if err := checkID("company", companyID); err != nil {
		return "", fmt.Errorf("sandbox: mint agency token: %w", err)
	}
	if err := checkScopes(scopes); err != nil {
		return "", fmt.Errorf("sandbox: mint agency token: %w", err)
	}
	want := tokenInfo{Kind: kindAgency, Company: companyID, Scopes: normalScopes(scopes)}
	var tok string
	err := s.update(func(t *tx) error {
		var one int
		if !t.row("SELECT 1 FROM companies WHERE id = ?", []any{companyID}, &one) {
			if t.err != nil {
				return t.err
			}
			return fmt.Errorf("company %s is not in the sandbox: seed it first (agentform sandbox seed)", companyID)
		}
		if found, ok := t.reusableToken(want); ok {
			tok = found
			return nil
		}
		tok = "agency-sandbox-" + randomID(32)
		t.insertToken(tok, want)
		return t.err
	})
	if err != nil {
		return "", fmt.Errorf("sandbox: mint agency token: %w", err)
	}
	return tok, nil
}

// rateKey is the rate-limit bucket of a token: its location, or its company
// for agency tokens.
func (i tokenInfo) rateKey() string {
	if i.Kind == kindAgency {
		return "company:" + i.Company
	}
	return i.Location
}

// routeFleet routes the agency and lookup endpoints.
func routeFleet(method string, path []string) (endpoint, bool) {
	if method != http.MethodGet && !(method == http.MethodPost && slices.Equal(path, []string{"oauth", "locationToken"})) {
		return endpoint{}, false
	}
	switch {
	case slices.Equal(path, []string{"oauth", "locationToken"}):
		return endpoint{handle: (*call).locationToken, scope: ScopeOAuthWrite, auth: kindAgency}, true
	case slices.Equal(path, []string{"oauth", "installedLocations"}):
		return endpoint{handle: (*call).installedLocations, scope: ScopeOAuthReadonly, auth: kindAgency}, true
	case slices.Equal(path, []string{"locations", "search"}):
		return endpoint{handle: (*call).searchLocations, scope: ScopeLocationsReadonly, auth: "any"}, true
	case len(path) == 3 && path[0] == "locations" && path[2] == "customFields":
		id := path[1]
		return endpoint{handle: func(c *call) answer { return c.customFields(id) }, scope: ScopeCustomFieldsReadonly}, true
	case slices.Equal(path, []string{"workflows"}):
		return endpoint{handle: (*call).listWorkflows, scope: ScopeWorkflowsReadonly}, true
	case slices.Equal(path, []string{"calendars"}):
		return endpoint{handle: (*call).listCalendars, scope: ScopeCalendarsReadonly}, true
	case slices.Equal(path, []string{"users"}):
		return endpoint{handle: (*call).listUsers, scope: ScopeUsersReadonly}, true
	case slices.Equal(path, []string{"knowledge-bases"}):
		return endpoint{handle: (*call).listKnowledgeBases}, true
	}
	return endpoint{}, false
}

// authorize checks the token's kind and scope for ep.
func authorize(ep endpoint, info tokenInfo) *answer {
	want := ep.auth
	if want == "" {
		want = kindLocation
	}
	if want != "any" && info.Kind != want {
		ans := wrongAuthClass()
		return &ans
	}
	if ep.scope != "" && !info.has(ep.scope) {
		ans := missingScope()
		return &ans
	}
	return nil
}

// wrongAuthClass answers an agency token on a location endpoint, or a
// location token on an agency one.
func wrongAuthClass() answer {
	return fail(http.StatusUnauthorized, "This authClass type is not allowed to access this scope. Please reach out to the Platform team to get it added.")
}

// expiredToken answers a token past its expiry.
func expiredToken() answer { return fail(http.StatusUnauthorized, "Invalid JWT") }

// wrongCompany answers an agency request naming another company.
func wrongCompany(id string) answer {
	return fail(http.StatusUnauthorized, "The token does not have access to company "+id)
}

// formBody reads a form-encoded body (or a JSON object, which the service's
// body parser takes too) as strings.
func formBody(r *http.Request, body []byte) (map[string]string, *answer) {
	out := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		m, bad := decodeObject(body)
		if bad != nil {
			return nil, bad
		}
		for k, v := range m {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
		return out, nil
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		ans := badRequest("Unexpected request body: %v", err)
		return nil, &ans
	}
	for k := range vals {
		out[k] = vals.Get(k)
	}
	return out, nil
}

// locationRow is a seeded location.
type locationRow struct {
	id, company, name, address, email string
	installed                         bool
}

func scanLocation(r interface{ Scan(...any) error }) (locationRow, error) {
	var l locationRow
	err := r.Scan(&l.id, &l.company, &l.name, &l.address, &l.email, &l.installed)
	return l, err
}

const locationColumns = "id, company_id, name, address, email, installed"

func (t *tx) location(id string) (locationRow, bool) {
	var l locationRow
	ok := t.row("SELECT "+locationColumns+" FROM locations WHERE id = ?", []any{id},
		&l.id, &l.company, &l.name, &l.address, &l.email, &l.installed)
	return l, ok
}

// companyLocations returns a company's locations in seed order.
func (t *tx) companyLocations(company string) []locationRow {
	var out []locationRow
	t.query("SELECT "+locationColumns+" FROM locations WHERE company_id = ? ORDER BY seq", []any{company},
		func(r *sql.Rows) error {
			l, err := scanLocation(r)
			out = append(out, l)
			return err
		})
	return out
}

// sandboxUserID is the stable id of the user who "installed" the app.
func sandboxUserID(company string) string {
	sum := sha256.Sum256([]byte("user\x00" + company))
	return hex.EncodeToString(sum[:])[:20]
}

// locationToken answers POST /oauth/locationToken.
func (c *call) locationToken() answer {
	form, bad := formBody(c.r, c.body)
	if bad != nil {
		return *bad
	}
	var msgs []string
	companyID, locationID := form["companyId"], form["locationId"]
	if companyID == "" {
		msgs = append(msgs, "companyId should not be empty")
	}
	if locationID == "" {
		msgs = append(msgs, "locationId should not be empty")
	}
	if len(msgs) > 0 {
		return unprocessable(msgs)
	}
	if companyID != c.tok.Company {
		return wrongCompany(companyID)
	}
	l, ok := c.t.location(locationID)
	if !ok || l.company != companyID {
		return badRequest("Location %s is not a sub-account of company %s", locationID, companyID)
	}
	if !l.installed {
		return badRequest("The app is not installed on location %s", locationID)
	}
	var scopes []string
	for _, sc := range c.tok.Scopes {
		if locationLevel(sc) {
			scopes = append(scopes, sc)
		}
	}
	now := c.s.opts.Now()
	ttl := c.s.opts.TokenTTL
	tok := "loc-sandbox-" + randomID(32)
	c.t.exec("DELETE FROM tokens WHERE expires_at > 0 AND expires_at < ?", now.UnixNano())
	c.t.insertToken(tok, tokenInfo{Kind: kindLocation, Location: locationID, Company: companyID,
		Scopes: scopes, Expires: now.Add(ttl)})
	return reply(http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "Bearer", "expires_in": float64(int64(ttl / time.Second)),
		"scope": joinScopes(scopes), "locationId": locationID, "companyId": companyID,
		"userType": "Location", "userId": sandboxUserID(companyID),
	})
}

// intParam reads an integer query parameter within lo..hi.
func intParam(q url.Values, name string, def, lo, hi int) (int, string) {
	raw := q.Get(name)
	if raw == "" {
		return def, ""
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, name + " must be an integer number"
	case n < lo:
		return 0, fmt.Sprintf("%s must not be less than %d", name, lo)
	case n > hi:
		return 0, fmt.Sprintf("%s must not be greater than %d", name, hi)
	}
	return n, ""
}

// Location list limits (the documents are silent on maxima).
const (
	MaxLocationsLimit = 100
)

// companyOf returns the company a request may list: the companyId
// parameter, which must be the token's, or the token's own.
func (c *call) companyOf(q url.Values) (string, *answer) {
	company := q.Get("companyId")
	if company == "" {
		company = c.tok.Company
	}
	if company != c.tok.Company || company == "" {
		ans := wrongCompany(company)
		return "", &ans
	}
	return company, nil
}

// searchLocations answers GET /locations/search: the company's locations in
// seed order (order=desc reverses it), skip and limit applied.
func (c *call) searchLocations() answer {
	q := c.r.URL.Query()
	var msgs []string
	skip, m1 := intParam(q, "skip", 0, 0, 1<<31-1)
	limit, m2 := intParam(q, "limit", 10, 1, MaxLocationsLimit)
	for _, m := range []string{m1, m2} {
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	order := q.Get("order")
	if order != "" && order != "asc" && order != "desc" {
		msgs = append(msgs, "order must be one of the following values: asc, desc")
	}
	if len(msgs) > 0 {
		return unprocessable(msgs)
	}
	var all []locationRow
	if c.tok.Kind == kindAgency {
		company, bad := c.companyOf(q)
		if bad != nil {
			return *bad
		}
		all = c.t.companyLocations(company)
	} else if l, ok := c.t.location(c.location); ok && (q.Get("companyId") == "" || q.Get("companyId") == l.company) {
		all = []locationRow{l} // a location token sees its own location
	}
	if email := q.Get("email"); email != "" {
		all = slices.DeleteFunc(all, func(l locationRow) bool { return !strings.EqualFold(l.email, email) })
	}
	if order == "desc" {
		slices.Reverse(all)
	}
	page := []map[string]any{}
	for i := skip; i < len(all) && len(page) < limit; i++ {
		l := all[i]
		item := map[string]any{"id": l.id, "name": l.name}
		if l.address != "" {
			item["address"] = l.address
		}
		if l.email != "" {
			item["email"] = l.email
		}
		page = append(page, item)
	}
	return reply(http.StatusOK, map[string]any{"locations": page})
}

// installedLocations answers GET /oauth/installedLocations for the
// sandbox's one app (any appId).
func (c *call) installedLocations() answer {
	q := c.r.URL.Query()
	var msgs []string
	if q.Get("companyId") == "" {
		msgs = append(msgs, "companyId should not be empty")
	}
	if q.Get("appId") == "" {
		msgs = append(msgs, "appId should not be empty")
	}
	skip, m1 := intParam(q, "skip", 0, 0, 1<<31-1)
	limit, m2 := intParam(q, "limit", 20, 1, MaxLocationsLimit)
	for _, m := range []string{m1, m2} {
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	var isInstalled *bool
	if raw := q.Get("isInstalled"); raw != "" {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			msgs = append(msgs, "isInstalled must be a boolean value")
		}
		isInstalled = &b
	}
	if len(msgs) > 0 {
		return unprocessable(msgs)
	}
	company, bad := c.companyOf(q)
	if bad != nil {
		return *bad
	}
	all := c.t.companyLocations(company)
	total := len(all)
	needle := strings.ToLower(q.Get("query"))
	only := q.Get("locationId")
	page := []map[string]any{}
	matched := 0
	for _, l := range all {
		if (isInstalled != nil && l.installed != *isInstalled) || (only != "" && l.id != only) ||
			!strings.Contains(strings.ToLower(l.name), needle) {
			continue
		}
		matched++
		if matched <= skip || len(page) == limit {
			continue
		}
		page = append(page, map[string]any{"_id": l.id, "name": l.name, "address": l.address, "isInstalled": l.installed})
	}
	return reply(http.StatusOK, map[string]any{"locations": page, "count": float64(total), "installToFutureLocations": false})
}
