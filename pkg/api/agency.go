package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/agentform/agentform/internal/redact"
)

// Versions of the API families besides Conversation AI, as their documents
// require them (the Version header of each request).
const (
	VersionOAuth          = "2021-07-28" // apps/oauth.json
	VersionLocations      = "2021-07-28" // apps/locations.json (search, custom fields)
	VersionWorkflows      = "2021-07-28" // apps/workflows.json
	VersionCalendars      = "2021-04-15" // apps/calendars.json
	VersionUsers          = "2021-07-28" // apps/users.json
	VersionKnowledgeBases = "2021-04-15" // apps/knowledge-base.json
)

// Scopes of the agency and lookup calls.
const (
	ScopeOAuthWrite         = "oauth.write"        // POST /oauth/locationToken
	ScopeOAuthReadonly      = "oauth.readonly"     // GET /oauth/installedLocations
	ScopeLocationsReadonly  = "locations.readonly" // GET /locations/search
	ScopeWorkflowsReadonly  = "workflows.readonly"
	ScopeCalendarsReadonly  = "calendars.readonly"
	ScopeCustomFieldsRead   = "locations/customFields.readonly"
	ScopeUsersReadonly      = "users.readonly"
	ScopeKnowledgeBasesRead = "" // apps/knowledge-base.json names no scope
)

// Agency paths.
const (
	locationTokenPath      = "/oauth/locationToken"
	installedLocationsPath = "/oauth/installedLocations"
	locationsSearchPath    = "/locations/search"
)

// locationsPageSize is the page size of AllLocations and InstalledLocations.
const locationsPageSize = 100

// Agency calls the API with an agency (company) token: it lists the
// company's sub-accounts and mints location tokens. Its requests share one
// rate limiter per company. Printing it never shows the token.
type Agency struct {
	caller
}

// Agency returns a handle for the agency companyID whose token is token (an
// agency Private Integration Token or an OAuth access token of user type
// Company). The token is taught to Options.Redactor.
func (c *Client) Agency(companyID, token string) *Agency {
	c.red.Add(token)
	return &Agency{newCaller(caller{client: c, id: companyID, company: true, token: token, auth: []string{"Bearer " + token}})}
}

// CompanyID is the company this handle was made for.
func (a *Agency) CompanyID() string { return a.id }

// String names the company; the token never shows.
func (a Agency) String() string { return "company " + a.id }

// Format prints the agency for every verb without its token.
func (a Agency) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", a.String())
		return
	}
	fmt.Fprint(f, a.String())
}

// LocationInfo is a sub-account as GET /locations/search lists it
// (GetLocationSchema); fields agentform does not use are left out.
type LocationInfo struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Email     string `json:"email,omitempty"`
	Timezone  string `json:"timezone,omitempty"`
	CompanyID string `json:"companyId,omitempty"`
}

// locationsAnswer is the search answer; a missing list is told apart from an
// empty one.
type locationsAnswer struct {
	Locations *[]LocationInfo `json:"locations"`
}

// SearchLocations calls GET /locations/search?companyId=&skip=&limit= for
// one page of the company's sub-accounts (limit 0 lets the server choose;
// it documents 10).
func (a *Agency) SearchLocations(ctx context.Context, skip, limit int) ([]LocationInfo, error) {
	q := url.Values{"companyId": {a.id}, "skip": {strconv.Itoa(skip)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var wire locationsAnswer
	c := call{method: http.MethodGet, path: locationsSearchPath, query: q, out: &wire,
		version: VersionLocations, scope: ScopeLocationsReadonly}
	c.check = func() error {
		if wire.Locations == nil {
			return fmt.Errorf("%w: answer has no locations list", ErrInconsistentAnswer)
		}
		return nil
	}
	if err := a.do(ctx, c); err != nil {
		return nil, err
	}
	return *wire.Locations, nil
}

// AllLocations returns every sub-account of the company, reading pages of
// 100 until an empty page. The document gives no total and the server may
// cap the page size, so a short page does not end the listing; skip moves by
// what each page held. An id listed twice is an error.
func (a *Agency) AllLocations(ctx context.Context) ([]LocationInfo, error) {
	var all []LocationInfo
	seen := map[string]bool{}
	for {
		page, err := a.SearchLocations(ctx, len(all), locationsPageSize)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return all, nil
		}
		for _, l := range page {
			if err := checkListed(seen, l.ID, "location"); err != nil {
				return nil, fmt.Errorf("GET %s (company %s): %w", locationsSearchPath, a.id, err)
			}
		}
		all = append(all, page...)
	}
}

// checkListed records id as listed, or fails if it is empty or was listed.
func checkListed(seen map[string]bool, id, what string) error {
	if id == "" {
		return fmt.Errorf("%w: a %s without id", ErrInconsistentAnswer, what)
	}
	if seen[id] {
		return fmt.Errorf("%w: %s %s listed twice", ErrInconsistentAnswer, what, id)
	}
	seen[id] = true
	return nil
}

// InstalledLocation is a location as GET /oauth/installedLocations lists it
// (InstalledLocationSchema).
type InstalledLocation struct {
	ID          string `json:"_id"`
	Name        string `json:"name"`
	Address     string `json:"address"`
	IsInstalled bool   `json:"isInstalled"`
}

// installedAnswer is GetInstalledLocationsSuccessfulResponseDto.
type installedAnswer struct {
	Locations *[]InstalledLocation `json:"locations"`
	Count     *float64             `json:"count"`
}

// InstalledLocations calls GET /oauth/installedLocations?companyId=&appId=
// page by page and returns every location listed, with IsInstalled telling
// whether the marketplace app appID is installed there. It stops at an empty
// page or once the answer's count of locations was read.
func (a *Agency) InstalledLocations(ctx context.Context, appID string) ([]InstalledLocation, error) {
	if appID == "" {
		return nil, fmt.Errorf("GET %s (company %s): app id is empty", installedLocationsPath, a.id)
	}
	var all []InstalledLocation
	seen := map[string]bool{}
	for {
		q := url.Values{"companyId": {a.id}, "appId": {appID},
			"skip": {strconv.Itoa(len(all))}, "limit": {strconv.Itoa(locationsPageSize)}}
		var wire installedAnswer
		c := call{method: http.MethodGet, path: installedLocationsPath, query: q, out: &wire,
			version: VersionOAuth, scope: ScopeOAuthReadonly}
		c.check = func() error {
			if wire.Locations == nil {
				return fmt.Errorf("%w: answer has no locations list", ErrInconsistentAnswer)
			}
			return nil
		}
		if err := a.do(ctx, c); err != nil {
			return nil, err
		}
		page := *wire.Locations
		for _, l := range page {
			if err := checkListed(seen, l.ID, "location"); err != nil {
				return nil, fmt.Errorf("GET %s (company %s): %w", installedLocationsPath, a.id, err)
			}
		}
		all = append(all, page...)
		if len(page) == 0 || (wire.Count != nil && len(all) >= int(*wire.Count)) {
			return all, nil
		}
	}
}

// LocationToken is the answer of POST /oauth/locationToken
// (GetLocationAccessTokenSuccessfulResponseDto). AccessToken never prints.
type LocationToken struct {
	AccessToken redact.Secret `json:"access_token"`
	TokenType   string        `json:"token_type,omitempty"`
	ExpiresIn   float64       `json:"expires_in,omitempty"` // seconds; 0 when not said
	Scope       string        `json:"scope,omitempty"`      // space-separated
	LocationID  string        `json:"locationId,omitempty"`
	UserID      string        `json:"userId,omitempty"`
	PlanID      string        `json:"planId,omitempty"`
	AppID       string        `json:"appId,omitempty"`
}

// Scopes returns the token's scopes.
func (t *LocationToken) Scopes() []string { return strings.Fields(t.Scope) }

// MintLocationToken calls POST /oauth/locationToken (form body companyId,
// locationId; Version 2021-07-28; the agency token needs oauth.write) and
// returns a token of locationID. The minted token is taught to
// Options.Redactor before anything else happens to it.
//
// Minting twice does no harm, so the POST is retried like a GET. An answer
// naming another location (locationId, or the location claim of a JWT) is
// refused. Failures are *MintError values: see IsNotInCompany,
// IsAppNotInstalled and IsMissingScope.
func (a *Agency) MintLocationToken(ctx context.Context, locationID string) (*LocationToken, error) {
	if locationID == "" {
		return nil, &MintError{CompanyID: a.id, Reason: MintFailed, Err: errors.New("location id is empty")}
	}
	var out LocationToken
	c := call{method: http.MethodPost, path: locationTokenPath, out: &out, retrySafe: true,
		form:    url.Values{"companyId": {a.id}, "locationId": {locationID}},
		version: VersionOAuth, scope: ScopeOAuthWrite}
	err := a.do(ctx, c)
	a.client.red.Add(out.AccessToken.Reveal())
	if err != nil {
		return nil, &MintError{CompanyID: a.id, LocationID: locationID, Reason: mintReason(err), Err: err}
	}
	wrong := func(got string) error {
		return &MintError{CompanyID: a.id, LocationID: locationID, Reason: MintWrongLocation,
			Err: fmt.Errorf("POST %s (company %s): the token minted for location %s is for %s", locationTokenPath, a.id, locationID, got)}
	}
	switch {
	case out.AccessToken == "":
		return nil, &MintError{CompanyID: a.id, LocationID: locationID, Reason: MintFailed,
			Err: fmt.Errorf("POST %s (company %s): %w: answer has no access_token", locationTokenPath, a.id, ErrInconsistentAnswer)}
	case out.LocationID != locationID:
		if out.LocationID == "" {
			return nil, wrong("no location (the answer has no locationId)")
		}
		return nil, wrong("location " + out.LocationID)
	}
	if claimed, ok := TokenLocation(out.AccessToken.Reveal()); ok && claimed != locationID {
		return nil, wrong("location " + claimed + " (by its claims)")
	}
	return &out, nil
}

// MintReason says why a location token could not be minted.
type MintReason int

const (
	// MintFailed: no usable answer (transport failures and 5xx after
	// retries, an unreadable answer, a 429 that outlasted the retries).
	MintFailed MintReason = iota
	// MintNotInCompany: the location is unknown or not a sub-account of the
	// company (a 400, 403, 404 or 422 answer not about installation).
	MintNotInCompany
	// MintAppNotInstalled: the answer says the app (the marketplace app or
	// private integration behind the agency token) is not installed in the
	// location (its message mentions "install").
	MintAppNotInstalled
	// MintWrongLocation: the answer is a token of another location.
	MintWrongLocation
	// MintAgencyRejected: a 401: the agency token is invalid or expired, or
	// lacks oauth.write (then IsMissingScope reports it too). It fails every
	// location alike.
	MintAgencyRejected
)

// MintError reports a location token that could not be minted from the
// agency token. It never holds a token.
type MintError struct {
	CompanyID, LocationID string
	Reason                MintReason
	Err                   error // the API's answer or the failure behind it
}

// Error says which location failed and why, in words a user can act on.
func (e *MintError) Error() string {
	var why string
	switch e.Reason {
	case MintNotInCompany:
		why = fmt.Sprintf("location %s is not a sub-account of company %s, or does not exist", e.LocationID, e.CompanyID)
	case MintAppNotInstalled:
		why = fmt.Sprintf("the app behind the agency token is not installed in location %s", e.LocationID)
	case MintWrongLocation:
		why = fmt.Sprintf("the service answered a token of another location for location %s", e.LocationID)
	case MintAgencyRejected:
		if IsMissingScope(e.Err) {
			why = fmt.Sprintf("the agency token of company %s lacks the %s scope needed to mint location tokens", e.CompanyID, ScopeOAuthWrite)
		} else {
			why = fmt.Sprintf("the agency token of company %s was refused", e.CompanyID)
		}
	default:
		why = fmt.Sprintf("no token could be minted for location %s of company %s", e.LocationID, e.CompanyID)
	}
	return why + ": " + e.Err.Error()
}

// Unwrap returns the failure behind the error.
func (e *MintError) Unwrap() error { return e.Err }

// mintReason classifies a failed mint call.
func mintReason(err error) MintReason {
	e, ok := statusOf(err)
	if !ok {
		return MintFailed
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		return MintAgencyRejected
	case e.Status == http.StatusForbidden && isScopeMessage(e.Message):
		return MintAgencyRejected
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return MintFailed
	case strings.Contains(strings.ToLower(e.Message), "install"):
		return MintAppNotInstalled
	case e.Status >= 400:
		return MintNotInCompany
	}
	return MintFailed
}

// mintReasonOf returns the reason of the *MintError in err's chain.
func mintReasonOf(err error) (MintReason, bool) {
	var m *MintError
	if errors.As(err, &m) {
		return m.Reason, true
	}
	return 0, false
}

// IsNotInCompany reports a location that is not a sub-account of the
// agency's company (or does not exist).
func IsNotInCompany(err error) bool {
	r, ok := mintReasonOf(err)
	return ok && r == MintNotInCompany
}

// IsAppNotInstalled reports a location where the app behind the agency
// token is not installed.
func IsAppNotInstalled(err error) bool {
	r, ok := mintReasonOf(err)
	return ok && r == MintAppNotInstalled
}

// IsWrongLocation reports a minted token that belongs to another location.
func IsWrongLocation(err error) bool {
	r, ok := mintReasonOf(err)
	return ok && r == MintWrongLocation
}

// IsAgencyRejected reports an agency token the service refused (invalid,
// expired or without oauth.write): every location fails alike, so a caller
// stops at the first one.
func IsAgencyRejected(err error) bool {
	r, ok := mintReasonOf(err)
	return ok && r == MintAgencyRejected
}
