package api

import "context"

// TokenSource supplies the token of a location at every request of a
// Location made with Client.LocationFrom. It must be safe for concurrent
// use.
//
// The renewal rule: when a request sent with a token from a TokenSource is
// answered 401 and the message does not speak of scope, the Location calls
// Renew with that token once and sends the same request once more, at once
// (a 401 means the server did not act, so this holds for a POST too). A
// second 401 is the call's error, and so is a Renew error. A 401 about scope
// ("The token is not authorized for this scope.") is never renewed: a fresh
// token has the same scopes. HighLevel answers an expired token with 401;
// the sandbox does the same for a minted token past its lifetime.
type TokenSource interface {
	// Token returns the token to send for locationID.
	Token(ctx context.Context, locationID string) (string, error)
	// Renew is called after failed, a token Token gave, was answered 401:
	// it returns a token to send instead. Concurrent requests that fail
	// with the same token should share one renewal.
	Renew(ctx context.Context, locationID, failed string) (string, error)
}
