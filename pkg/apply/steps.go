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

// step runs change i and returns its result. The API calls use a context
// that ctx's cancellation does not reach, so a step once started finishes.
func (l *targetRun) step(ctx context.Context, i int) StepResult {
	c := l.tp.Changes[i]
	start := l.opts.Now()
	res := StepResult{Index: i, Op: c.Op, Kind: c.Kind, Key: c.Key}
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.opts.StepTimeout)
	defer cancel()

	outcome, err := l.do(callCtx, c, &res)
	res.Duration = l.opts.Now().Sub(start)
	if err != nil {
		res.Outcome, res.Error, res.Status = StepFailed, err.Error(), l.prov.Classify(err).Status
		return res
	}
	res.Outcome = outcome
	return res
}

// do performs one change through its kind's calls.
func (l *targetRun) do(ctx context.Context, c plan.Change, res *StepResult) (StepOutcome, error) {
	k := l.kind(c)
	obj := c.Object()
	parentID, err := l.parentID(k, c)
	if err != nil {
		return "", err
	}
	var body any
	if c.Op != plan.OpDelete {
		// Built before any call, so a replace never deletes what it cannot recreate.
		if body, err = l.body(k, c); err != nil {
			return "", fmt.Errorf("%s payload: %w", obj, err)
		}
	}
	switch c.Op {
	case plan.OpCreate:
		if k.Create == nil { // a derived kind: set for the first time
			return StepCreated, l.update(ctx, k, c, parentID, body)
		}
		return StepCreated, l.create(ctx, k, c, parentID, body, res)
	case plan.OpUpdate:
		return StepUpdated, l.update(ctx, k, c, parentID, body)
	case plan.OpDelete:
		return StepDeleted, l.delete(ctx, k, c, parentID)
	case plan.OpReplace:
		if err := l.delete(ctx, k, c, parentID); err != nil {
			return "", err
		}
		return StepReplaced, l.create(ctx, k, c, parentID, body, res)
	}
	return "", fmt.Errorf("%s: unknown op %q", obj, c.Op)
}

func (l *targetRun) update(ctx context.Context, k *provider.Kind, c plan.Change, parentID string, body any) error {
	if k.Update == nil {
		return fmt.Errorf("%s cannot be changed: the API has no update for %s", c.Object(), k.Plural)
	}
	if err := k.Update(ctx, l.sess, parentID, c.ID, body); err != nil {
		if c.ID != "" {
			return fmt.Errorf("update %s (id %s): %w", c.Object(), c.ID, err)
		}
		return fmt.Errorf("update %s: %w", c.Object(), err)
	}
	return nil
}

// delete removes the change's live object. An object not found counts as
// deleted: pre-flight saw it, so an earlier attempt that lost its answer
// removed it.
func (l *targetRun) delete(ctx context.Context, k *provider.Kind, c plan.Change, parentID string) error {
	if k.Delete == nil {
		return fmt.Errorf("%s cannot be deleted: the API has no delete for %s", c.Object(), k.Plural)
	}
	if err := k.Delete(ctx, l.sess, parentID, c.ID); err != nil && !l.prov.Classify(err).NotFound {
		return fmt.Errorf("delete %s (id %s): %w", c.Object(), c.ID, err)
	}
	return nil
}

// parentID is the live id of the change's parent: created by this run, or
// live when the plan was made. It is "" for a top-level object.
func (l *targetRun) parentID(k *provider.Kind, c plan.Change) (string, error) {
	if k.Parent == "" {
		return "", nil
	}
	pk := c.ParentKey()
	if id, ok := l.res.ID(k.Parent, pk); ok {
		return id, nil
	}
	if c.ParentID != "" {
		return c.ParentID, nil
	}
	return "", fmt.Errorf("%s %s has no id: it was not created", k.Parent, pk)
}

// body is the body to send for a create, update or replace: After with its
// references resolved to ids, encoded by the kind.
func (l *targetRun) body(k *provider.Kind, c plan.Change) (any, error) {
	after := value.Clone(c.After)
	if after == nil {
		after = value.Map{}
	}
	if k.Refs != nil {
		for _, ref := range k.Refs(after) {
			rk := provider.KindNamed(l.prov, ref.Kind)
			if rk == nil || rk.ReadOnly { // plans hold the ids of read-only objects
				continue
			}
			path := strings.Join(ref.Path, ".")
			scope, _ := c.Key.Scope(rk)
			err := value.MapAt(after, ref.Path, func(v any) (any, error) {
				return provider.MapRefs(v, func(name string) (string, error) {
					if id, ok := l.res.ID(rk.Name, scope.Child(rk.Name, name)); ok {
						return id, nil
					}
					if slices.Contains(c.KeepIDs, name) {
						return name, nil
					}
					where := l.tp.Kind
					if rk.Parent != "" {
						where = rk.Parent
					}
					return "", fmt.Errorf("%s: %s %q is not known in the %s", path, rk.Name, name, where)
				})
			})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Object(), err)
			}
		}
	}
	return k.Encode(after, c.Name())
}
