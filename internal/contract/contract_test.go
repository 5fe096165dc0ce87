package contract

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEmbeddedDocumentsAreTheVendors checks every embedded document against
// openapi/SHA256SUMS, the digests of ../shared/api recorded when they were
// copied (sha256sum -c in that folder checks the other side), so an edited
// vendor document is caught in any checkout.
func TestEmbeddedDocumentsAreTheVendors(t *testing.T) {
	sums, err := fs.ReadFile(Files(), "SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		want, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q: want \"<sha256>  <path>\"", line)
		}
		listed[name] = true
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(Files(), name)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%x", sha256.Sum256(data)); got != want {
				t.Errorf("embedded %s has digest %s, SHA256SUMS says %s: copy it again from ../shared/api", name, got, want)
			}
		})
	}
	for _, name := range Documents {
		if !listed[name] {
			t.Errorf("document %s is not in SHA256SUMS", name)
		}
	}
}

func TestLoadIsCached(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("Load returned two different documents")
	}
}

const base = "http://127.0.0.1:4010"

func newReq(method, path, version, auth string) *http.Request {
	r := httptest.NewRequest(method, base+path, nil)
	if version != "" {
		r.Header.Set("Version", version)
	}
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestValidateRequest(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const v, auth = "2021-04-15", "Bearer tok"
	tests := []struct {
		name          string
		method, path  string
		version, auth string
		body          string
		wantErr       string // "" = valid
	}{
		{"get agent", "GET", "/conversation-ai/agents/abc", v, auth, "", ""},
		{"search routes before {agentId}", "GET", "/conversation-ai/agents/search?limit=5&query=x", v, auth, "", ""},
		{"search limit must be a number", "GET", "/conversation-ai/agents/search?limit=many", v, auth, "", "limit"},
		{"missing Version", "GET", "/conversation-ai/agents/abc", "", auth, "", "Version"},
		{"other Version", "GET", "/conversation-ai/agents/abc", "2021-07-28", auth, "", "Version"},
		{"missing bearer", "GET", "/conversation-ai/agents/abc", v, "", "", "Authorization"},
		{"basic auth is not bearer", "GET", "/conversation-ai/agents/abc", v, "Basic eDp5", "", "Authorization"},
		{"unknown path", "GET", "/contacts/abc", v, auth, "", ErrNoRoute.Error()},
		{"method not in documents", "PATCH", "/conversation-ai/agents/abc", v, auth, "{}", ErrNoRoute.Error()},
		{"create agent", "POST", "/conversation-ai/agents", v, auth,
			`{"name":"a","personality":"p","goal":"g","instructions":"i","mode":"auto-pilot","channels":["SMS"]}`, ""},
		{"create agent lacks name", "POST", "/conversation-ai/agents", v, auth,
			`{"personality":"p","goal":"g","instructions":"i"}`, "name"},
		{"create agent bad mode", "POST", "/conversation-ai/agents", v, auth,
			`{"name":"a","personality":"p","goal":"g","instructions":"i","mode":"AUTO_PILOT"}`, "mode"},
		{"create action triggerWorkflow", "POST", "/conversation-ai/agents/abc/actions", v, auth,
			`{"type":"triggerWorkflow","name":"wf","details":{"workflowIds":["w1"],"triggerCondition":"asks"}}`, ""},
		{"create action humanHandOver", "POST", "/conversation-ai/agents/abc/actions", v, auth,
			`{"type":"humanHandOver","name":"h","details":{"enabled":true,"triggerCondition":"c","reactivateEnabled":false,"finalMessage":"bye","handoverType":"custom","examples":["a","b"]}}`, ""},
		{"details padded with another type's fields match two DTOs", "POST", "/conversation-ai/agents/abc/actions", v, auth,
			`{"type":"humanHandOver","name":"h","details":{"enabled":true,"triggerCondition":"c","reactivateEnabled":false,"finalMessage":"bye","handoverType":"custom","workflowIds":["w"]}}`, "more than one"},
		{"details matching no DTO", "POST", "/conversation-ai/agents/abc/actions", v, auth,
			`{"type":"stopBot","name":"s","details":{"foo":1}}`, "details"},
		{"generations needs source", "GET", "/conversation-ai/generations?messageId=m1", v, auth, "", "source"},
		{"generations", "GET", "/conversation-ai/generations?messageId=m1&source=workflow", v, auth, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(tt.method, tt.path, tt.version, tt.auth)
			err := doc.ValidateRequest(req, []byte(tt.body))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
			if strings.Contains(err.Error(), "eDp5") {
				t.Errorf("credential leaked into error: %v", err)
			}
		})
	}
}

func TestValidateRequestUnknownPathIsErrNoRoute(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	err = doc.ValidateRequest(newReq("GET", "/nope", "2021-04-15", "Bearer x"), nil)
	if !errors.Is(err, ErrNoRoute) {
		t.Fatalf("want ErrNoRoute, got %v", err)
	}
}

func TestValidateResponse(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	agent := `{"id":"a1","name":"n","mode":"off","channels":[],"waitTime":2,"waitTimeUnit":"seconds","sleepEnabled":false,"actions":[],"isPrimary":true,"autoPilotMaxMessages":75}`
	tests := []struct {
		name    string
		method  string
		path    string
		status  int
		body    string
		wantErr string
	}{
		{"agent", "GET", "/conversation-ai/agents/a1", 200, agent, ""},
		{"agent lacks actions", "GET", "/conversation-ai/agents/a1", 200, strings.Replace(agent, `"actions":[],`, "", 1), "actions"},
		{"agent bad mode", "GET", "/conversation-ai/agents/a1", 200, strings.Replace(agent, `"off"`, `"OFF"`, 1), "mode"},
		{"400 documented", "GET", "/conversation-ai/agents/a1", 400, `{"statusCode":400,"message":"No Agent found for the id: a1","error":"Bad Request"}`, ""},
		{"422 documented", "POST", "/conversation-ai/agents", 422, `{"statusCode":422,"message":["name must be a string"],"error":"Unprocessable Entity"}`, ""},
		{"422 message must be a list", "POST", "/conversation-ai/agents", 422, `{"statusCode":422,"message":"x"}`, "message"},
		{"search without agents", "GET", "/conversation-ai/agents/search", 200, `{"totalCount":5,"count":5}`, "agents"},
		{"403 common shape", "GET", "/conversation-ai/agents/a1", 403, `{"statusCode":403,"message":"The token does not have access to this location"}`, ""},
		{"404 common shape", "GET", "/conversation-ai/agents/a1/actions/x", 404, `{"statusCode":404,"message":"No Action found"}`, ""},
		{"429 common shape", "GET", "/conversation-ai/agents/a1", 429, `{"statusCode":429,"message":"Too Many Requests"}`, ""},
		{"503 common shape", "DELETE", "/conversation-ai/agents/a1", 503, `{"statusCode":503,"message":"Service Unavailable"}`, ""},
		{"429 lacks statusCode", "GET", "/conversation-ai/agents/a1", 429, `{"message":"slow down"}`, "statusCode"},
		{"500 statusCode differs", "GET", "/conversation-ai/agents/a1", 500, `{"statusCode":502,"message":"x"}`, "differs"},
		{"500 message not a string", "GET", "/conversation-ai/agents/a1", 500, `{"statusCode":500,"message":["x"]}`, "message"},
		{"502 not JSON", "GET", "/conversation-ai/agents/a1", 502, `<html>bad gateway</html>`, "JSON"},
		{"404 to an unknown route", "GET", "/nowhere", 404, `{"statusCode":404,"message":"Cannot GET /nowhere","error":"Not Found"}`, ""},
		{"404 to an unknown route, bad shape", "GET", "/nowhere", 404, `Not Found`, "JSON"},
		{"200 to an unknown route", "GET", "/nowhere", 200, `{}`, ErrNoRoute.Error()},
		{"418 undocumented", "GET", "/conversation-ai/agents/a1", 418, `{"statusCode":418,"message":"teapot"}`, "not documented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(tt.method, tt.path, "2021-04-15", "Bearer t")
			h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
			err := doc.ValidateResponse(req, tt.status, h, []byte(tt.body))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
		})
	}
}

func TestRecorder(t *testing.T) {
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/conversation-ai/agents/good":
			w.Write([]byte(`{"success":true,"id":"good"}`))
		default:
			w.Write([]byte(`{"success":"yes"}`)) // id missing, success not a boolean
		}
	}))
	defer srv.Close()

	rec := NewRecorder(srv.Client().Transport)
	client := &http.Client{Transport: rec}
	do := func(path, version, body string) string {
		t.Helper()
		req, err := http.NewRequest("DELETE", srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Version", version)
		req.Header.Set("Authorization", "Bearer secret-token")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	if got := do("/conversation-ai/agents/good", "2021-04-15", "ping"); got != `{"success":true,"id":"good"}` {
		t.Errorf("caller got body %q: the recorder must pass the response through", got)
	}
	if gotBody != "ping" {
		t.Errorf("server got body %q: the recorder must pass the request body through", gotBody)
	}
	if v := rec.Violations(); len(v) != 0 {
		t.Fatalf("valid exchange recorded violations: %v", v)
	}

	do("/conversation-ai/agents/bad", "v3", "")
	v := rec.Violations()
	if len(v) != 2 {
		t.Fatalf("want 2 violations (request Version, response body), got %d: %v", len(v), v)
	}
	if !strings.Contains(v[0], "Version") || !strings.Contains(v[1], "response 200") {
		t.Errorf("unexpected violations: %v", v)
	}
	for _, s := range v {
		if strings.Contains(s, "secret-token") {
			t.Errorf("token leaked into violation: %s", s)
		}
	}
	if n := rec.Exchanges(); n != 2 {
		t.Errorf("Exchanges() = %d, want 2", n)
	}
}

func TestRecorderResponsesOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"success":"yes"}`))
	}))
	defer srv.Close()
	rec := &Recorder{Base: srv.Client().Transport, ResponsesOnly: true}
	req, err := http.NewRequest("DELETE", srv.URL+"/conversation-ai/agents/x", nil) // no Version, no token
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rec.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	v := rec.Violations()
	if len(v) != 1 || !strings.HasPrefix(v[0], "response 200") {
		t.Fatalf("want only the response violation, got %v", v)
	}
}

func TestRecorderPassesTransportErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	rec := &Recorder{}
	req := newReq("GET", "/conversation-ai/agents/a", "2021-04-15", "Bearer t")
	req.URL.Host = strings.TrimPrefix(srv.URL, "http://")
	req.RequestURI = ""
	if _, err := rec.RoundTrip(req); err == nil {
		t.Fatal("want the transport error, got a response")
	}
	if n := rec.Exchanges(); n != 0 {
		t.Errorf("Exchanges() = %d after a failed round trip, want 0", n)
	}
}

// TestValidateRequestKrosAI: KrosAI operations take a bearer key or the
// X-API-Key header their document declares; HighLevel's keep Bearer only.
func TestValidateRequestKrosAI(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	upload := func(ct, body string) (*http.Request, string) {
		r := httptest.NewRequest("POST", base+"/v1/knowledge-bases/kb-1/documents", nil)
		r.Header.Set("Authorization", "Bearer kros_sandbox_x")
		r.Header.Set("Content-Type", ct)
		return r, body
	}
	const boundary = "XyZ"
	part := func(name, filename, ct, content string) string {
		h := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=%q; filename=%q\r\n", boundary, name, filename)
		if ct != "" {
			h += "Content-Type: " + ct + "\r\n"
		}
		return h + "\r\n" + content + "\r\n"
	}
	end := "--" + boundary + "--\r\n"
	mp := "multipart/form-data; boundary=" + boundary
	tests := []struct {
		name    string
		req     func() (*http.Request, string)
		wantErr string
	}{
		{"bearer", func() (*http.Request, string) { return newReq("GET", "/v1/agents", "", "Bearer kros_sandbox_x"), "" }, ""},
		{"X-API-Key", func() (*http.Request, string) {
			r := newReq("GET", "/v1/agents", "", "")
			r.Header.Set("X-API-Key", "kros_sandbox_x")
			return r, ""
		}, ""},
		{"no key", func() (*http.Request, string) { return newReq("GET", "/v1/agents", "", ""), "" }, "X-API-Key"},
		{"empty X-API-Key", func() (*http.Request, string) {
			r := newReq("GET", "/v1/agents", "", "")
			r.Header.Set("X-API-Key", " ")
			return r, ""
		}, "X-API-Key"},
		{"X-API-Key is not HighLevel's", func() (*http.Request, string) {
			r := newReq("GET", "/conversation-ai/agents/abc", "2021-04-15", "")
			r.Header.Set("X-API-Key", "tok")
			return r, ""
		}, "Authorization"},
		{"create agent", func() (*http.Request, string) {
			return newReq("POST", "/v1/agents", "", "Bearer k"), `{"name":"Support","knowledge_base_ids":["kb-1"]}`
		}, ""},
		{"create agent lacks name", func() (*http.Request, string) {
			return newReq("POST", "/v1/agents", "", "Bearer k"), `{"language":"en"}`
		}, "name"},
		{"upload", func() (*http.Request, string) {
			return upload(mp, part("file", "faq.md", "text/markdown", "# FAQ")+end)
		}, ""},
		{"upload of a PDF", func() (*http.Request, string) {
			return upload(mp, part("file", "a.pdf", "application/pdf", "%PDF-1.4")+end)
		}, ""},
		{"upload of another type", func() (*http.Request, string) {
			return upload(mp, part("file", "a.png", "image/png", "png")+end)
		}, "image/png"},
		{"upload with another part", func() (*http.Request, string) {
			return upload(mp, part("file", "faq.md", "text/markdown", "# FAQ")+part("title", "", "", "x")+end)
		}, "title"},
		{"upload without file", func() (*http.Request, string) { return upload(mp, end) }, "file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, body := tt.req()
			err := doc.ValidateRequest(req, []byte(body))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
			if strings.Contains(err.Error(), "kros_sandbox_x") {
				t.Errorf("key leaked into error: %v", err)
			}
		})
	}
}

// TestValidateResponseKrosAI: KrosAI's undocumented statuses carry
// {"detail": string}, not HighLevel's common shape, and HighLevel's keep
// theirs.
func TestValidateResponseKrosAI(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	agent := `{"id":"a1","name":"n","description":null,"system_prompt":null,"language":"en","voice_id":null,` +
		`"tts_provider":"krosaimlingual","stt_provider":"krosaimlingual","llm_model":"krosaimlingual",` +
		`"knowledge_base_ids":[],"created_at":"2025-03-01T12:00:00Z","updated_at":"2025-03-01T12:00:00Z","created_by":"user-1"}`
	tests := []struct {
		name    string
		method  string
		path    string
		status  int
		body    string
		wantErr string
	}{
		{"agent", "GET", "/v1/agents/a1", 200, agent, ""},
		{"agent lacks knowledge_base_ids", "GET", "/v1/agents/a1", 200, strings.Replace(agent, `"knowledge_base_ids":[],`, "", 1), "knowledge_base_ids"},
		{"agents are a bare array", "GET", "/v1/agents", 200, `{"agents":[]}`, "array"},
		{"404 documented", "GET", "/v1/agents/a1", 404, `{"detail":"Agent not found"}`, ""},
		{"429 detail", "GET", "/v1/agents", 429, `{"detail":"Rate limit exceeded"}`, ""},
		{"429 in HighLevel's shape", "GET", "/v1/agents", 429, `{"statusCode":429,"message":"Too Many Requests"}`, "detail"},
		{"429 detail not a string", "GET", "/v1/agents", 429, `{"detail":[{"msg":"x"}]}`, "detail is not a string"},
		{"503 detail", "POST", "/v1/agents", 503, `{"detail":"Service Unavailable"}`, ""},
		{"502 not JSON", "POST", "/v1/agents", 502, `<html>bad gateway</html>`, "JSON"},
		{"403 on an operation that lists none", "GET", "/v1/conversations", 403, `{"detail":"no"}`, ""},
		{"413 on create", "POST", "/v1/agents", 413, `{"detail":"Request body too large"}`, ""},
		{"418 undocumented", "GET", "/v1/agents", 418, `{"detail":"teapot"}`, "not documented"},
		{"404 to an unknown /v1 route", "GET", "/v1/knowledge-bases/kb1", 404, `{"detail":"Not Found"}`, ""},
		{"404 to an unknown /v1 route in HighLevel's shape", "GET", "/v1/knowledge-bases/kb1", 404, `{"statusCode":404,"message":"Not Found"}`, "detail"},
		{"405 to a known /v1 path", "PUT", "/v1/conversations/c1", 405, `{"detail":"Method Not Allowed"}`, ""},
		{"405 without detail", "PUT", "/v1/conversations/c1", 405, `{}`, "detail"},
		{"200 to a method not listed", "PUT", "/v1/conversations/c1", 200, `{}`, ErrNoRoute.Error()},
		{"405 to an unknown /v1 path", "PUT", "/v1/nothing", 405, `{"detail":"Method Not Allowed"}`, ErrNoRoute.Error()},
		{"HighLevel 405 stays a violation", "PATCH", "/conversation-ai/agents/a1", 405, `{"statusCode":405,"message":"x"}`, ErrNoRoute.Error()},
		{"HighLevel 429 keeps its shape", "GET", "/conversation-ai/agents/a1", 429, `{"detail":"slow down"}`, "statusCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(tt.method, tt.path, "", "Bearer k")
			h := http.Header{"Content-Type": {"application/json"}}
			err := doc.ValidateResponse(req, tt.status, h, []byte(tt.body))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
		})
	}
}
