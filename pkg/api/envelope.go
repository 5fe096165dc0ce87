package api

import (
	"context"
	"errors"
	"fmt"
)

// envelope is the {data, success} wrapper of every action endpoint. Data is a
// pointer so that a missing key is told apart from an empty value.
type envelope[T any] struct {
	Data    *T    `json:"data"`
	Success *bool `json:"success"`
}

// deletedAction is the data of the delete-action answer (DeleteActionDataDTO).
type deletedAction struct {
	ID string `json:"id"`
}

// doData runs c and unwraps its {data, success} answer. success=false is an
// error; so is an answer without data.
func doData[T any](ctx context.Context, l *Location, c call) (*T, error) {
	var env envelope[T]
	c.out = &env
	if err := l.do(ctx, c); err != nil {
		return nil, err
	}
	if env.Success != nil && !*env.Success {
		return nil, l.unusable(&c, errors.New("server answered success=false"))
	}
	if env.Data == nil {
		return nil, l.unusable(&c, fmt.Errorf("%w: answer has no data", ErrInconsistentAnswer))
	}
	return env.Data, nil
}
