package krosai

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Account is a KrosAI account: the unit of tenancy. Its one user (the owner
// of its keys) is the created_by of everything made with them.
type Account struct {
	Name   string
	UserID string
}

// KeyPrefix starts every sandbox API key: nothing like HighLevel's tokens
// (pit-..., agency-sandbox-...) nor KrosAI's real kros_live_/kros_test_ keys.
const KeyPrefix = "kros_sandbox_"

// maxAccountName bounds account names.
const maxAccountName = 100

// CheckAccountName refuses an account name that is blank, too long or holds
// control characters.
func CheckAccountName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("KrosAI account name is empty")
	case utf8.RuneCountInString(name) > maxAccountName:
		return fmt.Errorf("KrosAI account name %q is longer than %d characters", name, maxAccountName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("KrosAI account name %q holds control characters", name)
	}
	return nil
}

// ensureAccount returns the account name, creating it if needed.
func ensureAccount(db DB, name string, now time.Time) Account {
	a := Account{Name: name}
	if db.Row("SELECT user_id FROM krosai_accounts WHERE name = ?", []any{name}, &a.UserID) {
		return a
	}
	a.UserID = "user-" + randomString("0123456789", 10)
	db.Exec("INSERT INTO krosai_accounts (name, user_id, created_at) VALUES (?, ?, ?)", name, a.UserID, now.UnixNano())
	return a
}

// MintKey returns an API key of account, creating the account if needed. A
// key the account already has is returned again (the smallest, whichever
// process stored it), so repeated runs do not pile up keys.
func MintKey(db DB, account string, now time.Time) (string, error) {
	if err := CheckAccountName(account); err != nil {
		return "", err
	}
	ensureAccount(db, account, now)
	var key string
	if db.Row("SELECT key FROM krosai_keys WHERE account = ? ORDER BY key LIMIT 1", []any{account}, &key) {
		return key, nil
	}
	key = KeyPrefix + randomString(alnum, 32)
	db.Exec("INSERT INTO krosai_keys (key, account) VALUES (?, ?)", key, account)
	return key, db.Err()
}

// keyOf returns the key a request carries: the Authorization header's bearer
// when that header is present (even when it is malformed: "" then), else
// the X-API-Key header.
func keyOf(h http.Header) (key string, given bool) {
	if auth, present := h["Authorization"]; present {
		scheme, tok, found := strings.Cut(strings.TrimSpace(strings.Join(auth, " ")), " ")
		if !found || !strings.EqualFold(scheme, "Bearer") {
			return "", true
		}
		return strings.TrimSpace(tok), true
	}
	if k, present := h["X-Api-Key"]; present {
		return strings.TrimSpace(strings.Join(k, " ")), true
	}
	return "", false
}

// Authenticate resolves the API key of a request in its transaction (a key
// another process minted is seen at once). It returns the key's account, or
// the 401 to answer.
func Authenticate(db DB, h http.Header) (Account, *Answer) {
	key, given := keyOf(h)
	if !given {
		a := Errorf(http.StatusUnauthorized, "Not authenticated")
		return Account{}, &a
	}
	var acct Account
	if key == "" || !db.Row(`SELECT a.name, a.user_id FROM krosai_keys k JOIN krosai_accounts a ON a.name = k.account
		WHERE k.key = ?`, []any{key}, &acct.Name, &acct.UserID) {
		a := Errorf(http.StatusUnauthorized, "Invalid API key")
		return Account{}, &a
	}
	return acct, nil
}
