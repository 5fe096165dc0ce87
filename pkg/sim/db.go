package sim

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/agentform/agentform/pkg/sim/krosai"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite": pure Go, no cgo
)

// schemaVersion is the version of the tables below, kept in meta. Adding
// tables (as krosai.Schema did) keeps the version: every statement is
// idempotent, so an older database gains them on its next open.
const schemaVersion = "1"

// schema mirrors the service: companies and their locations (sub-accounts),
// tokens, agents, actions, the per-location lookups (workflows, calendars,
// custom fields, users, knowledge bases) and known generation messages.
// Agents and actions keep their API fields as JSON in data; the columns are
// what queries select and order on. KrosAI's tables are krosai.Schema.
const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS companies (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS locations (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, company_id TEXT NOT NULL, name TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', installed INTEGER NOT NULL DEFAULT 1);
CREATE INDEX IF NOT EXISTS locations_company ON locations(company_id, seq);
CREATE TABLE IF NOT EXISTS tokens (
	token TEXT PRIMARY KEY, kind TEXT NOT NULL, location_id TEXT NOT NULL DEFAULT '',
	company_id TEXT NOT NULL DEFAULT '', scopes TEXT NOT NULL, expires_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_subject ON tokens(kind, location_id, company_id, scopes);
CREATE INDEX IF NOT EXISTS tokens_expiry ON tokens(expires_at) WHERE expires_at > 0;
CREATE TABLE IF NOT EXISTS agents (
	id TEXT PRIMARY KEY, location_id TEXT NOT NULL, created_at INTEGER NOT NULL,
	is_primary INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS agents_location ON agents(location_id, created_at, id);
CREATE TABLE IF NOT EXISTS actions (
	seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, agent_id TEXT NOT NULL,
	location_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS actions_agent ON actions(agent_id, seq);
CREATE INDEX IF NOT EXISTS actions_location ON actions(location_id, seq);
CREATE TABLE IF NOT EXISTS lookups (
	seq INTEGER PRIMARY KEY, location_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
	name TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (location_id, kind, id));
CREATE TABLE IF NOT EXISTS lookup_kinds (
	location_id TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (location_id, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations (
	location_id TEXT NOT NULL, message_id TEXT NOT NULL, data TEXT NOT NULL,
	PRIMARY KEY (location_id, message_id)) WITHOUT ROWID;
`

// busyTimeoutMS is how long a statement waits for another process's lock
// ("agentform sandbox seed" beside a serving sandbox) before failing.
const busyTimeoutMS = 30000

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// database is the sandbox's one connection and its prepared statements.
// Every use holds Server.mu.
type database struct {
	db    *sql.DB
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

// openDatabase opens (creating if needed) the state database at path, or an
// in-memory one when path is "".
func openDatabase(path string) (*database, error) {
	dsn := ":memory:"
	if path != "" {
		if err := checkStateFile(path); err != nil {
			return nil, err
		}
		dsn = path
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open state database: %w", err)
	}
	// One connection: an in-memory database lives in it, and the Server's
	// lock already serialises every request.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open state database %s: %w", path, err)
	}
	d := &database{db: db, conn: conn, stmts: map[string]*sql.Stmt{}}
	pragmas := []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMS),
		// 64 MiB of page cache: a 10,000-location seed keeps its indexes hot.
		"PRAGMA cache_size = -65536",
	}
	if path != "" {
		// WAL: readers never block the writer, and a commit is one append.
		// synchronous NORMAL: a committed transaction survives the process
		// being killed (kill -9); only a power loss may undo the last ones.
		pragmas = append(pragmas, "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL")
	}
	for _, p := range pragmas {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			d.close()
			return nil, fmt.Errorf("state database %s: %s: %w", path, p, err)
		}
	}
	if err := d.migrate(); err != nil {
		d.close()
		return nil, fmt.Errorf("state database %s: %w", path, err)
	}
	return d, nil
}

// checkStateFile refuses a file that is not a sandbox database, such as the
// JSON state file of older versions, before SQLite touches it. A missing
// file is created with mode 0600.
func checkStateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create state database: %w", err)
		}
		if f != nil {
			f.Close()
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("open state file: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file becomes a new database
	}
	if n == len(head) && bytes.Equal(head, sqliteMagic) {
		return nil
	}
	if strings.HasPrefix(strings.TrimSpace(string(head[:n])), "{") {
		return fmt.Errorf("state file %s is a JSON state file of an older agentform sandbox: the sandbox now keeps its state in a SQLite database; "+
			"delete the file (or name another with --state) and mint tokens and seed again", path)
	}
	return fmt.Errorf("state file %s is not a sandbox database (SQLite)", path)
}

// migrate creates the tables, or checks that an existing database has the
// version this code knows.
func (d *database) migrate() error {
	ctx := context.Background()
	if _, err := d.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	err := func() error {
		if _, err := d.conn.ExecContext(ctx, schema+krosai.Schema); err != nil {
			return fmt.Errorf("create tables: %w", err)
		}
		var v string
		err := d.conn.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'schema'").Scan(&v)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = d.conn.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('schema', ?)", schemaVersion)
			return err
		case err != nil:
			return err
		case v != schemaVersion:
			return fmt.Errorf("schema version %s, this agentform knows %s", v, schemaVersion)
		}
		return nil
	}()
	if err != nil {
		d.conn.ExecContext(ctx, "ROLLBACK")
		return err
	}
	if _, err := d.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (d *database) close() error {
	if d == nil || d.conn == nil {
		return nil
	}
	for _, st := range d.stmts {
		st.Close()
	}
	d.stmts = nil
	err := d.conn.Close()
	if cerr := d.db.Close(); err == nil {
		err = cerr
	}
	d.conn = nil
	return err
}

// stmt returns the prepared statement for q.
func (d *database) stmt(q string) (*sql.Stmt, error) {
	if st, ok := d.stmts[q]; ok {
		return st, nil
	}
	st, err := d.conn.PrepareContext(context.Background(), q)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", q, err)
	}
	d.stmts[q] = st
	return st, nil
}

// errClosed is the error of a Server used after Close.
var errClosed = errors.New("sandbox: closed")

// tx is one transaction on the database. Its methods record the first error
// and turn later calls into no-ops, so handlers read straight; end commits,
// or rolls back after an error.
type tx struct {
	d   *database
	err error
}

// begin starts a transaction; write takes the database's write lock at once
// (BEGIN IMMEDIATE), so a write never fails half-way for a lock.
func (d *database) begin(write bool) (*tx, error) {
	if d == nil || d.conn == nil {
		return nil, errClosed
	}
	q := "BEGIN"
	if write {
		q = "BEGIN IMMEDIATE"
	}
	if _, err := d.conn.ExecContext(context.Background(), q); err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	return &tx{d: d}, nil
}

func (t *tx) fail(err error) {
	if t.err == nil && err != nil {
		t.err = err
	}
}

func (t *tx) exec(q string, args ...any) {
	if t.err != nil {
		return
	}
	st, err := t.d.stmt(q)
	if err != nil {
		t.fail(err)
		return
	}
	if _, err := st.Exec(args...); err != nil {
		t.fail(fmt.Errorf("%s: %w", firstLine(q), err))
	}
}

// query runs q and calls scan for every row.
func (t *tx) query(q string, args []any, scan func(*sql.Rows) error) {
	if t.err != nil {
		return
	}
	st, err := t.d.stmt(q)
	if err != nil {
		t.fail(err)
		return
	}
	rows, err := st.Query(args...)
	if err != nil {
		t.fail(fmt.Errorf("%s: %w", firstLine(q), err))
		return
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.fail(fmt.Errorf("%s: %w", firstLine(q), err))
			return
		}
	}
	t.fail(rows.Err())
}

// row scans the first row of q into dest and reports whether there was one.
func (t *tx) row(q string, args []any, dest ...any) bool {
	if t.err != nil {
		return false
	}
	st, err := t.d.stmt(q)
	if err != nil {
		t.fail(err)
		return false
	}
	err = st.QueryRow(args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false
	}
	if err != nil {
		t.fail(fmt.Errorf("%s: %w", firstLine(q), err))
		return false
	}
	return true
}

// end commits the transaction, or rolls it back after an error; it returns
// the first error.
func (t *tx) end() error {
	ctx := context.Background()
	if t.err != nil {
		t.d.conn.ExecContext(ctx, "ROLLBACK")
		return t.err
	}
	if _, err := t.d.conn.ExecContext(ctx, "COMMIT"); err != nil {
		t.d.conn.ExecContext(ctx, "ROLLBACK")
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// rollback abandons the transaction (a refused request writes nothing).
func (t *tx) rollback() {
	t.d.conn.ExecContext(context.Background(), "ROLLBACK")
}

func firstLine(q string) string {
	q = strings.TrimSpace(q)
	if i := strings.IndexByte(q, '\n'); i >= 0 {
		return q[:i]
	}
	return q
}
