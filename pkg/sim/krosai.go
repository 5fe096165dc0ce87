package sim

import (
	"database/sql"
	"fmt"
	"net/http"
	"strings"

	"github.com/agentform/agentform/pkg/sim/krosai"
)

// krosaiDB hands a transaction to package krosai.
type krosaiDB struct{ t *tx }

func (d krosaiDB) Exec(q string, args ...any)                             { d.t.exec(q, args...) }
func (d krosaiDB) Query(q string, args []any, scan func(*sql.Rows) error) { d.t.query(q, args, scan) }
func (d krosaiDB) Row(q string, args []any, dest ...any) bool             { return d.t.row(q, args, dest...) }
func (d krosaiDB) Fail(err error)                                         { d.t.fail(err) }
func (d krosaiDB) Err() error                                             { return d.t.err }

// krosaiFail is an error answer in KrosAI's shape, {"detail": "..."}.
func krosaiFail(status int, message string) answer {
	return fromKrosAI(krosai.Errorf(status, "%s", message))
}

func fromKrosAI(a krosai.Answer) answer { return answer{status: a.Status, body: a.Body} }

// krosaiRateKey is the rate-limit bucket of a KrosAI account.
func krosaiRateKey(account string) string { return "krosai:" + account }

// checkedKrosAILocked is handleLocked's body for KrosAI paths: the checks
// in the documented order (see the package documentation), then the
// endpoint.
func (s *Server) checkedKrosAILocked(t *tx, r *http.Request, body []byte, readErr error, hdr http.Header, entry *AuditEntry, dice roll, f Faults) (ans answer, fault string, reached bool) {
	db := krosaiDB{t}
	acct, unauthorized := krosai.Authenticate(db, r.Header)
	entry.Account = acct.Name // for the audit log, before any check
	if dice.reset < f.Reset {
		return answer{}, FaultReset, false
	}
	if dice.err5xx < f.Error5xx {
		codes := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
		return fromKrosAI(krosai.ServerError(codes[int(dice.err5xx/f.Error5xx*3)%3])), Fault5xx, false
	}
	ep, allow, found := krosai.Route(r.Method, r.URL.Path)
	if !found {
		if len(allow) > 0 {
			hdr.Set("Allow", strings.Join(allow, ", "))
			return fromKrosAI(krosai.MethodNotAllowed()), "", false
		}
		return fromKrosAI(krosai.NotFound()), "", false
	}
	if unauthorized != nil {
		hdr.Set("WWW-Authenticate", "Bearer")
		return fromKrosAI(*unauthorized), "", false
	}
	// KrosAI documents no rate-limit headers: only a 429 says Retry-After.
	if admitted, wait := s.admitLocked(krosaiRateKey(acct.Name), entry.Time, http.Header{}); !admitted {
		hdr.Set("Retry-After", retryAfter(wait))
		return fromKrosAI(krosai.TooManyRequests(retryAfter(wait))), "", false
	}
	if dice.r429 < f.RateLimit429 {
		hdr.Set("Retry-After", "1")
		return fromKrosAI(krosai.TooManyRequests("1")), Fault429, false
	}
	if readErr != nil {
		return fromKrosAI(krosai.BodyTooLarge()), "", false
	}
	ans = fromKrosAI(ep.Serve(krosai.Request{DB: db, Account: acct, Now: entry.Time, Header: r.Header, Body: body,
		Config: krosai.Config{IndexDelay: s.opts.KrosAIIndexDelay}}))
	return ans, "", true
}

// MintKrosAIKey returns a KrosAI API key of account (a name; the account is
// created when missing). Like MintToken it returns a key the account
// already has, whichever process stored it, so repeated --sandbox runs and
// "agentform sandbox token --krosai" do not pile up keys. Keys start with
// krosai.KeyPrefix and never expire.
func (s *Server) MintKrosAIKey(account string) (string, error) {
	var key string
	err := s.update(func(t *tx) error {
		var err error
		key, err = krosai.MintKey(krosaiDB{t}, account, s.opts.Now())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("sandbox: mint KrosAI key: %w", err)
	}
	return key, nil
}
