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

// route finds the operation a request addresses in any of the documents.
func (d *Doc) route(req *http.Request) (*routers.Route, map[string]string, error) {
	for _, r := range d.routers {
		route, params, err := r.FindRoute(req)
		if err == nil {
			return route, params, nil
		}
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			return nil, nil, fmt.Errorf("%s %s: method not allowed by the API documents", req.Method, req.URL.Path)
		}
	}
	return nil, nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, ErrNoRoute)
}

// requestInput builds the kin-openapi input for req with body as its body.
// The caller's request is not modified.
func (d *Doc) requestInput(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := d.route(req)
	if err != nil {
		return nil, err
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
			AuthenticationFunc:  checkBearer,
		},
	}, nil
}

// checkBearer accepts any non-empty bearer token; the token itself never
// appears in the error.
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errors.New("missing or malformed Authorization: Bearer header")
	}
	return nil
}

// ValidateRequest checks req (whose body is given separately, so the caller
// keeps its own) against the operation it addresses: path, query and header
// parameters (including the Version enum), the bearer header and the body.
func (d *Doc) ValidateRequest(req *http.Request, body []byte) error {
	in, err := d.requestInput(req, body)
	if err != nil {
		return err
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("request %s %s: %w", req.Method, req.URL.Path, err)
	}
	return nil
}

// ValidateResponse checks an answer to req against the document: documented
// statuses against their schema, and 403, 404, 429 and 5xx against the common
// error shape. Any other undocumented status is an error.
//
// A 404 to a request no operation matches is checked against the common
// error shape too: that is how a server answers an unknown route.
func (d *Doc) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	in, err := d.requestInput(req, nil)
	if errors.Is(err, ErrNoRoute) && status == http.StatusNotFound {
		if err := checkCommonError(status, body); err != nil {
			return fmt.Errorf("response 404 to %s %s: %w", req.Method, req.URL.Path, err)
		}
		return nil
	}
	if err != nil {
		return err
	}
	where := fmt.Sprintf("response %d to %s %s", status, req.Method, req.URL.Path)
	if in.Route.Operation.Responses.Status(status) == nil && in.Route.Operation.Responses.Default() == nil {
		if !commonErrorStatus(status) {
			return fmt.Errorf("%s: status is not documented", where)
		}
		if err := checkCommonError(status, body); err != nil {
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
