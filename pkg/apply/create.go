package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/agentform/agentform/pkg/plan"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// maxCreateAttempts bounds the creates of one object whose answers get lost.
const maxCreateAttempts = 3

// create creates the change's object under parentID. When the answer is
// lost it looks the object up by name before it tries again (see the
// package doc).
func (l *targetRun) create(ctx context.Context, k *provider.Kind, c plan.Change, parentID string, body any, res *StepResult) error {
	obj := c.Object()
	var lost error
	for range maxCreateAttempts {
		id, err := k.Create(ctx, l.sess, parentID, body)
		if err == nil {
			l.res.set(c.Kind, c.Key, id)
			res.NewID = id
			return nil
		}
		if !l.prov.Classify(err).Ambiguous {
			return fmt.Errorf("create %s: %w", obj, err)
		}
		lost = err
		found, err := l.find(ctx, k, parentID, c.Name())
		if err != nil {
			return fmt.Errorf("create %s: answer lost (%v); looking it up by name failed: %w", obj, lost, err)
		}
		switch len(found) {
		case 0:
			continue // it was not created: try again
		case 1:
			if err := l.adopt(ctx, k, c, parentID, found[0], body); err != nil {
				return fmt.Errorf("create %s: adopted id %s: %w", obj, found[0].ID, err)
			}
			l.res.set(c.Kind, c.Key, found[0].ID)
			res.NewID, res.Adopted = found[0].ID, true
			return nil
		default:
			ids := make([]string, len(found))
			for i, f := range found {
				ids[i] = f.ID
			}
			return fmt.Errorf("create %s: answer lost and %d %s now have this name (ids %s): remove the extra ones by hand",
				obj, len(ids), k.Plural, strings.Join(ids, ", "))
		}
	}
	return fmt.Errorf("create %s: answer lost %d times and the %s does not exist: %w", obj, maxCreateAttempts, k.Name, lost)
}

// find returns the live objects under parentID named exactly name.
func (l *targetRun) find(ctx context.Context, k *provider.Kind, parentID, name string) ([]*provider.Live, error) {
	if k.Find != nil {
		return k.Find(ctx, l.sess, parentID, name)
	}
	all, err := k.List(ctx, l.sess, parentID)
	if err != nil {
		return nil, err
	}
	var found []*provider.Live
	for _, o := range all {
		if o.Name == name {
			found = append(found, o)
		}
	}
	return found, nil
}

// adopt brings an object found by name after a lost answer in line with
// the body of the create: when its live fields differ from the body's on
// what the body declares, it is updated with its live fields overlaid with
// the body's.
func (l *targetRun) adopt(ctx context.Context, k *provider.Kind, c plan.Change, parentID string, found *provider.Live, body any) error {
	if found.Partial && k.Get != nil {
		full, err := k.Get(ctx, l.sess, found.ID)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		found = full
	}
	want, err := value.MapOf(body)
	if err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	if value.SameDeclared(found.Fields, want) {
		return nil
	}
	merged := value.Clone(found.Fields)
	if merged == nil {
		merged = value.Map{}
	}
	for key, v := range want {
		merged[key] = v
	}
	update, err := k.Encode(merged, c.Name())
	if err != nil {
		return fmt.Errorf("encode update: %w", err)
	}
	if err := k.Update(ctx, l.sess, parentID, found.ID, update); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	return nil
}
