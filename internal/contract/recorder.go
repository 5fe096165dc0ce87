package contract

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// Recorder is an http.RoundTripper that validates every request and response
// passing through it against the API documents and records the violations.
// It never changes what passes through. The zero value uses
// http.DefaultTransport; it is safe for concurrent use.
type Recorder struct {
	// Base carries the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// ResponsesOnly skips request checks, for tests that send requests
	// breaking the contract on purpose and still want every answer checked.
	ResponsesOnly bool

	mu         sync.Mutex
	violations []string
	exchanges  int
}

// NewRecorder returns a Recorder sending requests through base.
func NewRecorder(base http.RoundTripper) *Recorder { return &Recorder{Base: base} }

// RoundTrip validates req, sends it, then validates the answer. A transport
// error (reset, dropped connection) is returned as is with nothing to check.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	doc, err := Load()
	if err != nil {
		return nil, fmt.Errorf("contract recorder: %w", err)
	}
	body, err := readRequestBody(req)
	if err != nil {
		return nil, fmt.Errorf("contract recorder: %w", err)
	}
	if !r.ResponsesOnly {
		r.note(doc.ValidateRequest(req, body))
	}

	base := r.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("contract recorder: read response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	r.note(doc.ValidateResponse(req, resp.StatusCode, resp.Header, respBody))
	r.mu.Lock()
	r.exchanges++
	r.mu.Unlock()
	return resp, nil
}

// readRequestBody returns the request body and leaves req with a fresh,
// identical body for the base transport.
func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("copy request body: %w", err)
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

func (r *Recorder) note(err error) {
	if err == nil {
		return
	}
	r.mu.Lock()
	r.violations = append(r.violations, err.Error())
	r.mu.Unlock()
}

// Violations returns a copy of every violation recorded so far.
func (r *Recorder) Violations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.violations...)
}

// Exchanges returns how many request/response pairs were validated, so a test
// can prove the recorder saw its traffic.
func (r *Recorder) Exchanges() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exchanges
}
