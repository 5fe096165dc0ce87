package krosai

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// DB is one open transaction on the sandbox's database, as package sim hands
// it to a request, a key mint or a seed. Its methods record the first error
// and turn later calls into no-ops, so callers read straight and check Err
// once; the owner commits or rolls back.
type DB interface {
	// Exec runs a statement.
	Exec(query string, args ...any)
	// Query runs query and calls scan for every row.
	Query(query string, args []any, scan func(*sql.Rows) error)
	// Row scans the first row of query into dest and reports whether there
	// was one.
	Row(query string, args []any, dest ...any) bool
	// Fail records err (the first one wins).
	Fail(err error)
	// Err is the first error recorded.
	Err() error
}

// Schema creates the KrosAI tables. Package sim runs it with its own tables
// when it opens a database; every statement is idempotent, so databases
// created before KrosAI existed gain the tables on their next open.
//
// Accounts are the unit of tenancy: keys, agents, knowledge bases and
// conversations belong to one. seq columns keep insertion order, which the
// list orders use (timestamps may tie under a frozen test clock). Documents
// keep their file name, content type, size and SHA-256, not their bytes; the
// outcome of indexing is decided at upload and shown from ready_at on.
const Schema = `
CREATE TABLE IF NOT EXISTS krosai_accounts (
	name TEXT PRIMARY KEY, user_id TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS krosai_keys (key TEXT PRIMARY KEY, account TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS krosai_keys_account ON krosai_keys(account, key);
CREATE TABLE IF NOT EXISTS krosai_agents (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, name TEXT NOT NULL,
	description TEXT, system_prompt TEXT, language TEXT NOT NULL, voice_id TEXT,
	tts_provider TEXT NOT NULL, stt_provider TEXT NOT NULL, llm_model TEXT NOT NULL,
	knowledge_base_ids TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS krosai_agents_account ON krosai_agents(account, seq);
CREATE TABLE IF NOT EXISTS krosai_knowledge_bases (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, name TEXT NOT NULL,
	description TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS krosai_knowledge_bases_account ON krosai_knowledge_bases(account, seq);
CREATE TABLE IF NOT EXISTS krosai_documents (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, knowledge_base_id TEXT NOT NULL,
	name TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
	created_at INTEGER NOT NULL, ready_at INTEGER NOT NULL, outcome TEXT NOT NULL, outcome_error TEXT);
CREATE INDEX IF NOT EXISTS krosai_documents_kb ON krosai_documents(knowledge_base_id, seq);
CREATE TABLE IF NOT EXISTS krosai_conversations (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, agent_id TEXT NOT NULL,
	title TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS krosai_conversations_account ON krosai_conversations(account, seq);
CREATE INDEX IF NOT EXISTS krosai_conversations_agent ON krosai_conversations(agent_id);
CREATE TABLE IF NOT EXISTS krosai_messages (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, conversation_id TEXT NOT NULL,
	role TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS krosai_messages_conversation ON krosai_messages(conversation_id, seq);
`

// stamp formats t as the sandbox answers datetimes: RFC 3339, UTC,
// microseconds (the documented example has none; clients accept both).
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// nullable turns a scanned nullable column into an optional string.
func nullable(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	s := n.String
	return &s
}

// column is the value stored for an optional string.
func column(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func encodeList(db DB, list []string) string {
	if list == nil {
		list = []string{}
	}
	b, err := json.Marshal(list)
	if err != nil {
		db.Fail(fmt.Errorf("encode list: %w", err))
	}
	return string(b)
}

func decodeList(s string) ([]string, error) {
	out := []string{}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("decode list: %w", err)
	}
	return out, nil
}

// newUUID returns a random version 4 UUID. Agent ids look like that in the
// documents' examples; other objects prefix it with their kind (conv-, kb-,
// doc-, msg-), as the examples' conv-... and kb-... ids do.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString returns n random characters of alphabet (crypto/rand,
// unbiased: draws past the largest multiple of len(alphabet) are dropped).
func randomString(alphabet string, n int) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}
