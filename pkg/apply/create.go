package apply

import (
	"context"
	"fmt"
	"slices"
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
			kept, err := l.converge(ctx, k, c, parentID, id, body)
			if err != nil {
				return fmt.Errorf("create %s: %w", obj, err)
			}
			l.res.set(c.Kind, c.Key, kept)
			res.NewID, res.Adopted = kept, kept != id
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
		if len(found) == 0 {
			continue // it was not created: try again
		}
		kept, err := l.keepOldest(ctx, k, c, parentID, found, "", body)
		if err != nil {
			return fmt.Errorf("create %s: answer lost, and %w", obj, err)
		}
		l.res.set(c.Kind, c.Key, kept)
		res.NewID, res.Adopted = kept, true
		return nil
	}
	return fmt.Errorf("create %s: answer lost %d times and the %s does not exist: %w", obj, maxCreateAttempts, k.Name, lost)
}

// converge makes writers that race (two applies at once; the service has
// no lock and no idempotency key) end with one object of a name. After its
// create, each writer lists the objects of that name, oldest first: the
// oldest stays. A writer whose object is younger deletes its own and adopts
// the oldest, provided the oldest is a twin (equal on what the body
// declares); every writer follows the same rule, so they converge on the
// oldest. A listing that fails keeps the object just made (the next plan
// shows any twin left and removes it).
func (l *targetRun) converge(ctx context.Context, k *provider.Kind, c plan.Change, parentID, mine string, body any) (string, error) {
	if k.Delete == nil {
		return mine, nil // nothing could be undone
	}
	found, err := l.find(ctx, k, parentID, c.Name())
	if err != nil || len(found) < 2 || found[0].ID == mine {
		return mine, nil
	}
	if !slices.ContainsFunc(found, func(o *provider.Live) bool { return o.ID == mine }) {
		return mine, nil // the listing does not show ours yet: keep it
	}
	return l.keepOldest(ctx, k, c, parentID, found, mine, body)
}

// keepOldest keeps the oldest of found, objects named like the change's:
// when it is a twin of the body, the younger ones are deleted (only mine
// when mine is set, else every younger twin) and the oldest adopted. When
// the oldest is not a twin, or a younger one to delete is not, nothing is
// deleted and the step fails naming the ids.
func (l *targetRun) keepOldest(ctx context.Context, k *provider.Kind, c plan.Change, parentID string, found []*provider.Live, mine string, body any) (string, error) {
	oldest := found[0]
	if len(found) == 1 {
		return oldest.ID, l.adopt(ctx, k, c, parentID, oldest, body)
	}
	ids := make([]string, len(found))
	for i, o := range found {
		ids[i] = o.ID
	}
	differ := fmt.Errorf("%d %s now have this name (ids %s), oldest first, and they differ: remove the extra ones by hand, or pin the one to keep with id:",
		len(found), k.Plural, strings.Join(ids, ", "))
	if k.Delete == nil {
		return "", differ
	}
	want, err := value.MapOf(body)
	if err != nil {
		return "", fmt.Errorf("encode body: %w", err)
	}
	twin := func(o *provider.Live) (bool, error) {
		if o.Partial && k.Get != nil {
			full, err := k.Get(ctx, l.sess, o.ID)
			if err != nil {
				return false, fmt.Errorf("read %s: %w", o.ID, err)
			}
			o = full
		}
		return value.SameDeclared(o.Fields, want), nil
	}
	var drop []*provider.Live
	for _, o := range found {
		if mine != "" && o.ID != mine && o != oldest {
			continue // another writer's: it removes its own
		}
		ok, err := twin(o)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", differ
		}
		if o != oldest {
			drop = append(drop, o)
		}
	}
	for _, o := range drop {
		if err := k.Delete(ctx, l.sess, parentID, o.ID); err != nil && !l.prov.Classify(err).NotFound {
			return "", fmt.Errorf("another apply created it at the same time (id %s, the oldest, stays); deleting the duplicate %s failed: %w",
				oldest.ID, o.ID, err)
		}
	}
	return oldest.ID, nil
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
	if k.Update == nil {
		return fmt.Errorf("it differs from what the plan creates, and the API cannot update %s: fix it by hand", k.Plural)
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
