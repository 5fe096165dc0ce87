package krosai

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Document statuses.
const (
	DocumentProcessing = "processing"
	DocumentReady      = "ready"
	DocumentError      = "error"
)

// documentTypes maps the accepted file extensions (lower case) to the
// content type a document of that kind is recorded with (see the package
// documentation, 14).
var documentTypes = map[string]string{
	".pdf":  "application/pdf",
	".txt":  "text/plain",
	".md":   "text/markdown",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

type knowledgeBase struct {
	ID, Account, Name    string
	Description          *string
	CreatedAt, UpdatedAt time.Time
	Documents            int
}

// knowledgeBaseJSON is the KnowledgeBase schema.
type knowledgeBaseJSON struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Description   *string `json:"description"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
	CreatedBy     string  `json:"created_by"`
	DocumentCount int     `json:"document_count"`
}

func (k *knowledgeBase) json(createdBy string) knowledgeBaseJSON {
	return knowledgeBaseJSON{ID: k.ID, Name: k.Name, Description: k.Description, CreatedAt: stamp(k.CreatedAt),
		UpdatedAt: stamp(k.UpdatedAt), CreatedBy: createdBy, DocumentCount: k.Documents}
}

const knowledgeBaseQuery = `SELECT k.id, k.account, k.name, k.description, k.created_at, k.updated_at,
	(SELECT count(*) FROM krosai_documents d WHERE d.knowledge_base_id = k.id)
	FROM krosai_knowledge_bases k `

func scanKnowledgeBase(r *sql.Rows) (*knowledgeBase, error) {
	k := &knowledgeBase{}
	var desc sql.NullString
	var created, updated int64
	err := r.Scan(&k.ID, &k.Account, &k.Name, &desc, &created, &updated, &k.Documents)
	k.Description, k.CreatedAt, k.UpdatedAt = nullable(desc), fromNanos(created), fromNanos(updated)
	return k, err
}

func loadKnowledgeBase(db DB, id string) *knowledgeBase {
	var out *knowledgeBase
	db.Query(knowledgeBaseQuery+"WHERE k.id = ?", []any{id}, func(r *sql.Rows) error {
		k, err := scanKnowledgeBase(r)
		out = k
		return err
	})
	return out
}

// ownsKnowledgeBase reports whether account has knowledge base id.
func ownsKnowledgeBase(db DB, account, id string) bool {
	var one int
	return db.Row("SELECT 1 FROM krosai_knowledge_bases WHERE id = ? AND account = ?", []any{id, account}, &one)
}

func insertKnowledgeBase(db DB, k *knowledgeBase) {
	db.Exec("INSERT INTO krosai_knowledge_bases (id, account, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
		k.ID, k.Account, k.Name, column(k.Description), k.CreatedAt.UnixNano(), k.UpdatedAt.UnixNano())
}

func (c *call) ownedKnowledgeBase(id string) (*knowledgeBase, *Answer) {
	k := loadKnowledgeBase(c.DB, id)
	switch {
	case k == nil:
		a := notFound("Knowledge base")
		return nil, &a
	case k.Account != c.Account.Name:
		a := denied("knowledge base")
		return nil, &a
	}
	return k, nil
}

// readKnowledgeBase checks a create body.
func readKnowledgeBase(body map[string]any) (name string, description *string, bad *Answer) {
	f := fields{m: body, create: true}
	f.only("name", "description")
	n, _ := f.text("name", strRule{max: maxName, required: true, nonEmpty: true})
	description, _ = f.text("description", strRule{max: maxDescription})
	if bad := f.answer(); bad != nil {
		return "", nil, bad
	}
	return *n, description, nil
}

func (c *call) createKnowledgeBase() Answer {
	body, bad := decodeBody(c.Body)
	if bad != nil {
		return *bad
	}
	name, description, bad := readKnowledgeBase(body)
	if bad != nil {
		return *bad
	}
	k := &knowledgeBase{ID: "kb-" + newUUID(), Account: c.Account.Name, Name: name, Description: description,
		CreatedAt: c.Now, UpdatedAt: c.Now}
	insertKnowledgeBase(c.DB, k)
	return ok(k.json(c.Account.UserID))
}

// listKnowledgeBases answers the account's knowledge bases, oldest first.
func (c *call) listKnowledgeBases() Answer {
	out := []knowledgeBaseJSON{}
	c.DB.Query(knowledgeBaseQuery+"WHERE k.account = ? ORDER BY k.seq", []any{c.Account.Name}, func(r *sql.Rows) error {
		k, err := scanKnowledgeBase(r)
		if err == nil {
			out = append(out, k.json(c.Account.UserID))
		}
		return err
	})
	return ok(out)
}

// document is a stored upload: its metadata and the outcome of indexing,
// shown once the sandbox clock reaches ReadyAt.
type document struct {
	ID, KnowledgeBaseID, Name, ContentType string
	Size                                   int64
	SHA256                                 string
	CreatedAt, ReadyAt                     time.Time
	Outcome                                string  // DocumentReady or DocumentError
	OutcomeError                           *string // the reason of DocumentError
}

// documentJSON is the Document schema.
type documentJSON struct {
	ID              string  `json:"id"`
	KnowledgeBaseID string  `json:"knowledge_base_id"`
	Name            string  `json:"name"`
	ContentType     string  `json:"content_type"`
	Size            int64   `json:"size"`
	CreatedAt       string  `json:"created_at"`
	Status          string  `json:"status"`
	Error           *string `json:"error"`
}

// json renders the document as it is at now: processing until ReadyAt,
// then its outcome.
func (d *document) json(now time.Time) documentJSON {
	out := documentJSON{ID: d.ID, KnowledgeBaseID: d.KnowledgeBaseID, Name: d.Name, ContentType: d.ContentType,
		Size: d.Size, CreatedAt: stamp(d.CreatedAt), Status: DocumentProcessing}
	if !now.Before(d.ReadyAt) {
		out.Status, out.Error = d.Outcome, d.OutcomeError
	}
	return out
}

// newDocument describes content uploaded as name at now, and decides the
// outcome of its indexing: what a reader of that kind of file would make of
// it.
func newDocument(kb, name string, content []byte, now time.Time, cfg Config) *document {
	ext := strings.ToLower(filepath.Ext(name))
	sum := sha256.Sum256(content)
	d := &document{ID: "doc-" + newUUID(), KnowledgeBaseID: kb, Name: name, ContentType: documentTypes[ext],
		Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: now,
		ReadyAt: now.Add(cfg.indexDelay()), Outcome: DocumentReady}
	if reason := unreadable(ext, content); reason != "" {
		d.Outcome, d.OutcomeError = DocumentError, &reason
	}
	return d
}

// unreadable says why indexing fails for content, or "".
func unreadable(ext string, content []byte) string {
	switch {
	case len(content) == 0:
		return "The document is empty"
	case ext == ".pdf" && !bytes.HasPrefix(content, []byte("%PDF-")):
		return "The file is not a readable PDF document"
	case ext == ".docx" && !bytes.HasPrefix(content, []byte("PK\x03\x04")):
		return "The file is not a readable DOCX document"
	case (ext == ".txt" || ext == ".md") && !utf8.Valid(content):
		return "The file is not UTF-8 text"
	}
	return ""
}

const documentColumns = "id, knowledge_base_id, name, content_type, size, sha256, created_at, ready_at, outcome, outcome_error"

func insertDocument(db DB, d *document) {
	db.Exec("INSERT INTO krosai_documents ("+documentColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		d.ID, d.KnowledgeBaseID, d.Name, d.ContentType, d.Size, d.SHA256, d.CreatedAt.UnixNano(),
		d.ReadyAt.UnixNano(), d.Outcome, column(d.OutcomeError))
}

func scanDocument(r *sql.Rows) (*document, error) {
	d := &document{}
	var created, ready int64
	var reason sql.NullString
	err := r.Scan(&d.ID, &d.KnowledgeBaseID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &created, &ready,
		&d.Outcome, &reason)
	d.CreatedAt, d.ReadyAt, d.OutcomeError = fromNanos(created), fromNanos(ready), nullable(reason)
	return d, err
}

// uploadDocument takes one file in the multipart part "file" and answers it
// "processing" whatever the delay: indexing runs after the answer.
func (c *call) uploadDocument(kbID string) Answer {
	if _, bad := c.ownedKnowledgeBase(kbID); bad != nil {
		return *bad
	}
	name, content, bad := readUpload(c.Header.Get("Content-Type"), c.Body)
	if bad != nil {
		return *bad
	}
	d := newDocument(kbID, name, content, c.Now, c.Config)
	insertDocument(c.DB, d)
	c.DB.Exec("UPDATE krosai_knowledge_bases SET updated_at = ? WHERE id = ?", c.Now.UnixNano(), kbID)
	out := d.json(c.Now)
	out.Status, out.Error = DocumentProcessing, nil
	return ok(out)
}

// readUpload reads a multipart/form-data body holding exactly one part, the
// file "file" with a name of an accepted type of at most MaxDocumentSize
// bytes.
func readUpload(contentType string, body []byte) (name string, content []byte, bad *Answer) {
	refuse := func(status int, format string, a ...any) (string, []byte, *Answer) {
		ans := Errorf(status, format, a...)
		return "", nil, &ans
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return refuse(http.StatusBadRequest, "Expected a multipart/form-data body with the file in a part named file")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	files := 0
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return refuse(http.StatusBadRequest, "Malformed multipart body: %v", err)
		}
		if p.FormName() != "file" {
			return refuse(http.StatusBadRequest, "Unexpected form field %q: send only the part named file", p.FormName())
		}
		if files++; files > 1 {
			return refuse(http.StatusBadRequest, "Upload one file per request")
		}
		name = p.FileName()
		content, err = io.ReadAll(io.LimitReader(p, MaxDocumentSize+1))
		if err != nil {
			return refuse(http.StatusBadRequest, "Malformed multipart body: %v", err)
		}
		if len(content) > MaxDocumentSize {
			return refuse(http.StatusRequestEntityTooLarge, "File too large: a document may have at most %d bytes (10 MiB)", MaxDocumentSize)
		}
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case files == 0:
		return refuse(http.StatusBadRequest, "No file: send the document in a part named file")
	case strings.TrimSpace(name) == "" || name == "." || name == "/":
		return refuse(http.StatusBadRequest, "The file part needs a file name")
	case utf8.RuneCountInString(name) > 255:
		return refuse(http.StatusBadRequest, "The file name must be at most 255 characters")
	case documentTypes[ext] == "":
		return refuse(http.StatusBadRequest, "Unsupported file type %q: upload a PDF, TXT, DOCX or MD file", ext)
	}
	return name, content, nil
}

// listDocuments answers a knowledge base's documents, newest first, each
// as it is on the sandbox clock now.
func (c *call) listDocuments(kbID string) Answer {
	if _, bad := c.ownedKnowledgeBase(kbID); bad != nil {
		return *bad
	}
	out := []documentJSON{}
	c.DB.Query("SELECT "+documentColumns+" FROM krosai_documents WHERE knowledge_base_id = ? ORDER BY seq DESC",
		[]any{kbID}, func(r *sql.Rows) error {
			d, err := scanDocument(r)
			if err == nil {
				out = append(out, d.json(c.Now))
			}
			return err
		})
	return ok(out)
}
