// Package generations fetches the generation details of many messages (what
// the AI saw and answered) for QA and compliance exports.
package generations

import (
	"context"
	"encoding/json"
	"errors"

	"golang.org/x/sync/errgroup"

	"github.com/agentform/agentform/pkg/api"
)

// Getter is what Fetch needs; *api.Location implements it.
type Getter interface {
	GetGeneration(ctx context.Context, messageID, source string) (*api.Generation, error)
}

// Record is one line of the JSON Lines export: the generation of one message,
// or the error that stopped it from being read.
type Record struct {
	MessageID  string          `json:"messageId"`
	Source     string          `json:"source"`
	Generation *api.Generation `json:"generation,omitempty"`
	Error      string          `json:"error,omitempty"`
	Status     int             `json:"status,omitempty"`
}

// Fetch reads the generation of every message id, at most parallelism at a
// time (the client's limiter keeps them within the location's rate limit).
// Records come back in the order of ids; a failed id becomes an error record
// and does not stop the others. Only a cancelled ctx ends Fetch early, and
// then the ids not read carry the context's error.
func Fetch(ctx context.Context, g Getter, ids []string, source string, parallelism int) []Record {
	if parallelism < 1 {
		parallelism = 1
	}
	records := make([]Record, len(ids))
	group := errgroup.Group{}
	group.SetLimit(parallelism)
	for i, id := range ids {
		records[i] = Record{MessageID: id, Source: source}
		group.Go(func() error {
			if err := ctx.Err(); err != nil {
				records[i].Error = err.Error()
				return nil
			}
			gen, err := g.GetGeneration(ctx, id, source)
			if err != nil {
				records[i].Error = err.Error()
				var apiErr *api.Error
				if errors.As(err, &apiErr) {
					records[i].Status = apiErr.Status
				}
				return nil
			}
			records[i].Generation = gen
			return nil
		})
	}
	_ = group.Wait()
	return records
}

// WriteJSONLines writes one JSON object per record and line.
func WriteJSONLines(enc *json.Encoder, records []Record) error {
	for _, r := range records {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}
