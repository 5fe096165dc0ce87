package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// errMethodNotAllowed is the error of a request whose path a document has,
// for other methods only.
var errMethodNotAllowed = errors.New("method not allowed by the API documents")

// route finds the operation a request addresses in any of the documents,
// and the index of the document. For errMethodNotAllowed the index is the
// document that has the path.
func (d *Doc) route(req *http.Request) (*routers.Route, map[string]string, int, error) {
	for i, r := range d.routers {
		route, params, err := r.FindRoute(req)
		if err == nil {
			return route, params, i, nil
		}
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			return nil, nil, i, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, errMethodNotAllowed)
		}
	}
	return nil, nil, -1, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, ErrNoRoute)
}

// requestInput builds the kin-openapi input for req with body as its body,
// and returns the index of the document routing it (see route). The
// caller's request is not modified.
func (d *Doc) requestInput(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, int, error) {
	route, params, i, err := d.route(req)
	if err != nil {
		return nil, i, err
	}
	clone := req.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	return &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			AuthenticationFunc:  checkAuth,
		},
	}, i, nil
}

// checkAuth checks the presence of one security scheme's credential: a
// non-empty "Authorization: Bearer" header for http bearer schemes, the
// named header for apiKey header schemes (KrosAI's X-API-Key). A request
// passes when one of its operation's alternatives does. The credential
// itself never appears in the error.
func checkAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header
	if s := in.SecurityScheme; s != nil && s.Type == "apiKey" && s.In == "header" {
		if strings.TrimSpace(h.Get(s.Name)) == "" {
			return fmt.Errorf("missing %s header", s.Name)
		}
		return nil
	}
	scheme, token, ok := strings.Cut(h.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errors.New("missing or malformed Authorization: Bearer header")
	}
	return nil
}

// ValidateRequest checks req (whose body is given separately, so the caller
// keeps its own) against the operation it addresses: path, query and header
// parameters (including the Version enum), the bearer header and the body.
func (d *Doc) ValidateRequest(req *http.Request, body []byte) error {
	in, _, err := d.requestInput(req, body)
	if err != nil {
		return err
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("request %s %s: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

// ValidateResponse checks an answer to req against the document: documented
// statuses against their schema, and the statuses a service sends without
// documenting them (errorShape) against its error shape. Any other
// undocumented status is an error.
//
// A 404 to a request no operation matches is checked against the error
// shape of the document owning the path's first segment (HighLevel's when
// none does): that is how a server answers an unknown route. A 405 to a
// method a document does not list for a path it has is accepted, with the
// document's error shape, when that shape allows 405 (KrosAI's).
func (d *Doc) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	in, i, err := d.requestInput(req, nil)
	switch {
	case errors.Is(err, ErrNoRoute) && status == http.StatusNotFound:
		if err := d.shapes[d.ownerOf(req.URL.Path)].check(status, body); err != nil {
			return fmt.Errorf("response 404 to %s %s: %w", req.Method, req.URL.Path, err)
		}
		return nil
	case status == http.StatusMethodNotAllowed && (errors.Is(err, ErrNoRoute) || errors.Is(err, errMethodNotAllowed)):
		owner, known := d.pathOwner(req)
		if !known || !d.shapes[owner].undocumented(status) {
			return err
		}
		if err := d.shapes[owner].check(status, body); err != nil {
			return fmt.Errorf("response 405 to %s %s: %w", req.Method, req.URL.Path, err)
		}
		return nil
	case err != nil:
		return err
	}
	where := fmt.Sprintf("response %d to %s %s", status, req.Method, req.URL.Path)
	if in.Route.Operation.Responses.Status(status) == nil && in.Route.Operation.Responses.Default() == nil {
		shape := d.shapes[i]
		if !shape.undocumented(status) {
			return fmt.Errorf("%s: status is not documented", where)
		}
		if err := shape.check(status, body); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		return nil
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	return nil
}

// pathOwner returns the index of the document with an operation on req's
// path for another method.
func (d *Doc) pathOwner(req *http.Request) (int, bool) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == req.Method {
			continue
		}
		other := req.Clone(context.Background())
		other.Method = m
		if _, _, i, err := d.route(other); err == nil {
			return i, true
		}
	}
	return 0, false
}

// ownerOf returns the index of the document with a path sharing the first
// segment of path, or 0 (HighLevel's Conversation AI document).
func (d *Doc) ownerOf(path string) int {
	first := firstSegment(path)
	for i, spec := range d.specs {
		if spec.Paths == nil {
			continue
		}
		for _, p := range spec.Paths.InMatchingOrder() {
			if firstSegment(p) == first {
				return i
			}
		}
	}
	return 0
}

func firstSegment(path string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return seg
}

// errorShape is how a document's service answers the statuses its
// operations do not list: which statuses, and the body they carry.
type errorShape struct {
	undocumented func(status int) bool
	check        func(status int, body []byte) error
}

// highLevelErrors: 403, 404, 429 and every 5xx, with the common error shape.
var highLevelErrors = errorShape{undocumented: commonErrorStatus, check: checkCommonError}

// krosaiErrors is an overlay, in code, on krosai.openapi.json (the document
// itself stays as written): its operations list no 429 and no 5xx but 500,
// yet the service rate-limits (the Authentication page says so) and sits
// behind proxies that answer 502 and 503; its unknown routes answer 404, a
// known path with another method 405, and an oversized body 413. Those
// answers carry the document's Error schema, checked strictly here:
// {"detail": "<string>"}.
var krosaiErrors = errorShape{undocumented: krosaiErrorStatus, check: checkDetailError}

// commonErrorStatus reports whether status is one the documents omit but the
// service sends with the common error shape.
func commonErrorStatus(status int) bool {
	switch {
	case status == http.StatusForbidden, status == http.StatusNotFound, status == http.StatusTooManyRequests:
		return true
	case status >= 500 && status <= 599:
		return true
	}
	return false
}

// krosaiErrorStatus reports whether status is one KrosAI's document omits
// but the service sends with its error shape.
func krosaiErrorStatus(status int) bool {
	switch status {
	case http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge:
		return true
	}
	return commonErrorStatus(status)
}

// checkDetailError checks KrosAI's error shape: a JSON object whose detail
// is a string.
func checkDetailError(_ int, body []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return fmt.Errorf("error body is not a JSON object: %w", err)
	}
	raw, ok := obj["detail"]
	if !ok {
		return errors.New("error body lacks detail")
	}
	var detail string
	if err := json.Unmarshal(raw, &detail); err != nil {
		return fmt.Errorf("error body detail is not a string: %w", err)
	}
	return nil
}

// checkCommonError checks the common error shape: a JSON object with a
// numeric statusCode equal to the HTTP status and a string message.
func checkCommonError(status int, body []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return fmt.Errorf("error body is not a JSON object: %w", err)
	}
	var code float64
	raw, ok := obj["statusCode"]
	if !ok {
		return errors.New("error body lacks statusCode")
	}
	if err := json.Unmarshal(raw, &code); err != nil {
		return fmt.Errorf("error body statusCode is not a number: %w", err)
	}
	if int(code) != status || float64(int(code)) != code {
		return fmt.Errorf("error body statusCode %v differs from HTTP status %d", code, status)
	}
	var msg string
	raw, ok = obj["message"]
	if !ok {
		return errors.New("error body lacks message")
	}
	if err := json.Unmarshal(raw, &msg); err != nil {
		return fmt.Errorf("error body message is not a string: %w", err)
	}
	return nil
}
