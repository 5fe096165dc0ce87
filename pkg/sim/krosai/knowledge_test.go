package krosai_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/krosai"
)

// TestKnowledgeBases: create with defaults, list oldest first, validation.
func TestKnowledgeBases(t *testing.T) {
	e := newEnv(t, sim.Options{})
	a := e.do("POST", "/v1/knowledge-bases", e.key, map[string]any{"name": "FAQ"}).must(t, 200).obj(t)
	if len(a) != 7 || a["description"] != nil || a["document_count"] != 0.0 || a["name"] != "FAQ" ||
		!strings.HasPrefix(a["id"].(string), "kb-") || !strings.HasPrefix(a["created_by"].(string), "user-") {
		t.Errorf("new knowledge base %v: want the 7 documented keys, description null, document_count 0", a)
	}
	b := e.do("POST", "/v1/knowledge-bases", e.key, map[string]any{"name": "FAQ", "description": "Same name"}).must(t, 200).obj(t)
	if b["description"] != "Same name" || b["id"] == a["id"] {
		t.Errorf("second knowledge base %v: names need not be unique", b)
	}
	if l := e.do("GET", "/v1/knowledge-bases", e.key, nil).must(t, 200).list(t); !slices.Equal(ids(l), []string{a["id"].(string), b["id"].(string)}) {
		t.Errorf("list %v, want oldest first", ids(l))
	}
	for _, tt := range []struct{ body, want string }{
		{`{}`, "name is required"},
		{`{"name":""}`, "name must not be empty"},
		{`{"name":"x","description":5}`, "description must be a string"},
		{`{"name":"x","description":"` + strings.Repeat("d", 1001) + `"}`, "description must be at most 1000 characters"},
		{`{"name":"x","documents":[]}`, "Unknown field: documents"},
	} {
		if d := e.bad("POST", "/v1/knowledge-bases", e.key, tt.body).must(t, 400).detail(t); !strings.Contains(d, tt.want) {
			t.Errorf("%s: detail %q, want %q", tt.body, d, tt.want)
		}
	}
	if l := e.do("GET", "/v1/knowledge-bases", e.key, nil).list(t); len(l) != 2 {
		t.Errorf("refused creates stored knowledge bases: %d", len(l))
	}
}

// TestDocumentStatusProgression: an upload answers "processing"; lists show
// it processing until the index delay has passed on the sandbox clock, then
// its outcome. Documents list newest first and count in document_count.
func TestDocumentStatusProgression(t *testing.T) {
	e := newEnv(t, sim.Options{KrosAIIndexDelay: 5 * time.Second})
	kb := e.createKB(e.key, "FAQ")
	faq := []byte("# FAQ\nWe open at 9.")
	first := e.upload(kb, e.key, "faq.md", faq).must(t, 200).obj(t)
	if first["status"] != "processing" || first["error"] != nil || first["name"] != "faq.md" ||
		first["content_type"] != "text/markdown" || first["size"] != float64(len(faq)) || first["knowledge_base_id"] != kb || len(first) != 8 {
		t.Errorf("upload answer %v", first)
	}
	e.clock.Advance(2 * time.Second)
	second := e.upload(kb, e.key, "pricing.pdf", []byte("not a pdf")).must(t, 200).obj(t)
	status := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		l := e.do("GET", "/v1/knowledge-bases/"+kb+"/documents", e.key, nil).must(t, 200).list(t)
		if !slices.Equal(ids(l), []string{second["id"].(string), first["id"].(string)}) {
			t.Fatalf("documents %v, want newest first", ids(l))
		}
		for _, d := range l {
			s := d["status"].(string)
			if d["error"] != nil {
				s += ": " + d["error"].(string)
			}
			out[d["name"].(string)] = s
		}
		return out
	}
	if got := status(); got["faq.md"] != "processing" || got["pricing.pdf"] != "processing" {
		t.Errorf("at 2 s: %v", got)
	}
	e.clock.Advance(3 * time.Second) // faq.md is 5 s old
	if got := status(); got["faq.md"] != "ready" || got["pricing.pdf"] != "processing" {
		t.Errorf("at 5 s: %v", got)
	}
	e.clock.Advance(2 * time.Second)
	if got := status(); got["faq.md"] != "ready" || got["pricing.pdf"] != "error: The file is not a readable PDF document" {
		t.Errorf("at 7 s: %v", got)
	}
	l := e.do("GET", "/v1/knowledge-bases", e.key, nil).list(t)
	if l[0]["document_count"] != 2.0 || l[0]["updated_at"] == l[0]["created_at"] {
		t.Errorf("knowledge base after two uploads: %v", l[0])
	}
}

// TestIndexingOutcomes: what a reader of each type makes of the content;
// a negative delay shows the outcome at the first read.
func TestIndexingOutcomes(t *testing.T) {
	e := newEnv(t, sim.Options{KrosAIIndexDelay: -1})
	kb := e.createKB(e.key, "Docs")
	tests := []struct {
		name    string
		content []byte
		ct      string
		want    string
	}{
		{"a.pdf", []byte("%PDF-1.7\n..."), "application/pdf", "ready"},
		{"B.PDF", []byte("%PDF-1.4"), "application/pdf", "ready"},
		{"c.docx", []byte("PK\x03\x04rest"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ready"},
		{"d.docx", []byte("plain text"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "error: The file is not a readable DOCX document"},
		{"e.txt", []byte("hello"), "text/plain", "ready"},
		{"f.txt", []byte{0xff, 0xfe, 0x00}, "text/plain", "error: The file is not UTF-8 text"},
		{"g.md", []byte{}, "text/markdown", "error: The document is empty"},
	}
	for _, tt := range tests {
		up := e.upload(kb, e.key, tt.name, tt.content).must(t, 200).obj(t)
		if up["status"] != "processing" || up["content_type"] != tt.ct {
			t.Errorf("%s: upload answer %v, want processing as %s", tt.name, up, tt.ct)
		}
	}
	got := map[string]string{}
	for _, d := range e.do("GET", "/v1/knowledge-bases/"+kb+"/documents", e.key, nil).list(t) {
		s := d["status"].(string)
		if d["error"] != nil {
			s += ": " + d["error"].(string)
		}
		got[d["name"].(string)] = s
	}
	for _, tt := range tests {
		if got[tt.name] != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got[tt.name], tt.want)
		}
	}
}

// TestUploadRefusals: the refused uploads and their statuses; nothing is
// stored.
func TestUploadRefusals(t *testing.T) {
	e := newEnv(t, sim.Options{})
	kb := e.createKB(e.key, "FAQ")
	path := "/v1/knowledge-bases/" + kb + "/documents"
	md := part{"file", "faq.md", "text/markdown", []byte("# FAQ")}
	t.Run("largest accepted, one byte more refused", func(t *testing.T) {
		big := bytes.Repeat([]byte("a"), krosai.MaxDocumentSize)
		if r := e.upload(kb, e.key, "big.txt", big).must(t, 200).obj(t); r["size"] != float64(krosai.MaxDocumentSize) {
			t.Errorf("size %v", r["size"])
		}
		d := e.upload(kb, e.key, "big.txt", append(big, 'a')).must(t, 413).detail(t)
		if !strings.Contains(d, "at most 10485760 bytes") {
			t.Errorf("detail %q", d)
		}
	})
	t.Run("body over the read limit", func(t *testing.T) {
		huge := bytes.Repeat([]byte("a"), krosai.MaxRequestBody+1)
		e.upload(kb, e.key, "huge.txt", huge).must(t, 413).detail(t)
	})
	tests := []struct {
		name   string
		parts  []part
		ct     string // "" = the multipart content type
		status int
		want   string
	}{
		{"unsupported type", []part{{"file", "logo.png", "image/png", []byte("png")}}, "", 400, `Unsupported file type ".png"`},
		{"no extension", []part{{"file", "README", "text/plain", []byte("x")}}, "", 400, `Unsupported file type ""`},
		{"no file part", nil, "", 400, "No file"},
		{"other part", []part{md, {"title", "", "", []byte("FAQ")}}, "", 400, `Unexpected form field "title"`},
		{"two files", []part{md, md}, "", 400, "Upload one file per request"},
		{"no file name", []part{{"file", "", "text/plain", []byte("x")}}, "", 400, "needs a file name"},
		{"JSON body", nil, "application/json", 400, "Expected a multipart/form-data body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(t, tt.parts...)
			if tt.ct != "" {
				ct, body = tt.ct, []byte(`{"file":"x"}`)
			}
			d := e.bad("POST", path, e.key, body, withContentType(ct)).must(t, tt.status).detail(t)
			if !strings.Contains(d, tt.want) {
				t.Errorf("detail %q, want %q", d, tt.want)
			}
		})
	}
	if l := e.do("GET", path, e.key, nil).list(t); len(l) != 1 {
		t.Errorf("%d documents stored, want only the largest accepted one", len(l))
	}
	t.Run("unknown knowledge base", func(t *testing.T) {
		if d := e.upload("kb-nope", e.key, "faq.md", []byte("x")).must(t, 404).detail(t); d != "Knowledge base not found" {
			t.Errorf("detail %q", d)
		}
		e.do("GET", "/v1/knowledge-bases/kb-nope/documents", e.key, nil).must(t, 404)
	})
	t.Run("same name twice is a new document", func(t *testing.T) {
		a := e.upload(kb, e.key, "faq.md", []byte("v1")).must(t, 200).str(t, "id")
		b := e.upload(kb, e.key, "faq.md", []byte("v2")).must(t, 200).str(t, "id")
		if a == b {
			t.Error("the second upload replaced the first")
		}
	})
}
