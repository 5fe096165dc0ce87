package provider

import (
	"context"
	"fmt"
)

// The With functions adapt a kind's calls written against a provider's own
// session type S (and body type B) to the Kind's fields: the session and
// the body are asserted once, here, with a clear error when they are not
// what the calls expect.

// session asserts a session to S.
func session[S any](s Session) (S, error) {
	v, ok := s.(S)
	if !ok {
		var want S
		return want, fmt.Errorf("provider: session %T cannot make these calls (want %T)", s, &want)
	}
	return v, nil
}

// ListWith adapts a typed List.
func ListWith[S any](f func(ctx context.Context, s S, parentID string) ([]*Live, error)) func(context.Context, Session, string) ([]*Live, error) {
	return func(ctx context.Context, s Session, parentID string) ([]*Live, error) {
		v, err := session[S](s)
		if err != nil {
			return nil, err
		}
		return f(ctx, v, parentID)
	}
}

// GetWith adapts a typed Get (or any call taking one string, such as Find's
// name with its parent bound).
func GetWith[S any](f func(ctx context.Context, s S, id string) (*Live, error)) func(context.Context, Session, string) (*Live, error) {
	return func(ctx context.Context, s Session, id string) (*Live, error) {
		v, err := session[S](s)
		if err != nil {
			return nil, err
		}
		return f(ctx, v, id)
	}
}

// FindWith adapts a typed Find.
func FindWith[S any](f func(ctx context.Context, s S, parentID, name string) ([]*Live, error)) func(context.Context, Session, string, string) ([]*Live, error) {
	return func(ctx context.Context, s Session, parentID, name string) ([]*Live, error) {
		v, err := session[S](s)
		if err != nil {
			return nil, err
		}
		return f(ctx, v, parentID, name)
	}
}

// CreateWith adapts a typed Create whose body Encode made a B.
func CreateWith[S, B any](f func(ctx context.Context, s S, parentID string, body B) (string, error)) func(context.Context, Session, string, any) (string, error) {
	return func(ctx context.Context, s Session, parentID string, body any) (string, error) {
		v, err := session[S](s)
		if err != nil {
			return "", err
		}
		b, ok := body.(B)
		if !ok {
			return "", fmt.Errorf("provider: create body %T, want %T", body, b)
		}
		return f(ctx, v, parentID, b)
	}
}

// UpdateWith adapts a typed Update whose body Encode made a B.
func UpdateWith[S, B any](f func(ctx context.Context, s S, parentID, id string, body B) error) func(context.Context, Session, string, string, any) error {
	return func(ctx context.Context, s Session, parentID, id string, body any) error {
		v, err := session[S](s)
		if err != nil {
			return err
		}
		b, ok := body.(B)
		if !ok {
			return fmt.Errorf("provider: update body %T, want %T", body, b)
		}
		return f(ctx, v, parentID, id, b)
	}
}

// DeleteWith adapts a typed Delete.
func DeleteWith[S any](f func(ctx context.Context, s S, parentID, id string) error) func(context.Context, Session, string, string) error {
	return func(ctx context.Context, s Session, parentID, id string) error {
		v, err := session[S](s)
		if err != nil {
			return err
		}
		return f(ctx, v, parentID, id)
	}
}
