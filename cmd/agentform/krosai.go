package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/spf13/cobra"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/provider/krosai"
	"github.com/agentform/agentform/pkg/spec"
)

// envKrosAIEndpoint names the KrosAI API base URL when --krosai-endpoint is
// not given.
const envKrosAIEndpoint = "AGENTFORM_KROSAI_ENDPOINT"

// krosaiState is the KrosAI side of a run: the endpoint flag, the client and
// the key rules.
type krosaiState struct {
	endpoint string // --krosai-endpoint
	// sandboxURL is the in-process sandbox's base URL once --sandbox
	// started it: it serves KrosAI's paths too.
	sandboxURL string
	mu         sync.Mutex // guards client: targets connect concurrently
	client     *kapi.Client
	credsOnce  sync.Once
	creds      *krosai.Credentials
}

// addKrosAIEndpointFlag adds --krosai-endpoint to a command that talks to
// KrosAI.
func (g *globals) addKrosAIEndpointFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.kros.endpoint, "krosai-endpoint", "",
		"KrosAI API base URL (env "+envKrosAIEndpoint+"; default "+kapi.DefaultBaseURL+")")
}

// krosaiClient returns the KrosAI client for the chosen endpoint: the
// in-process sandbox with --sandbox, else --krosai-endpoint,
// AGENTFORM_KROSAI_ENDPOINT or KrosAI.
func (g *globals) krosaiClient() (*kapi.Client, error) {
	g.kros.mu.Lock()
	defer g.kros.mu.Unlock()
	if g.kros.client != nil {
		return g.kros.client, nil
	}
	endpoint := g.kros.endpoint
	if endpoint == "" {
		endpoint, _ = g.lookupEnv(envKrosAIEndpoint)
	}
	if g.sandbox != "" {
		if g.kros.endpoint != "" {
			return nil, errors.New("--sandbox and --krosai-endpoint exclude each other")
		}
		if _, err := g.apiClient(); err != nil { // starts the sandbox
			return nil, err
		}
		endpoint = g.kros.sandboxURL
	}
	c, err := kapi.New(kapi.Options{BaseURL: endpoint, UserAgent: "agentform/" + version, Logger: g.logger, Redactor: g.secrets})
	if err != nil {
		return nil, fmt.Errorf("KrosAI client: %w", err)
	}
	g.kros.client = c
	return c, nil
}

// krosaiAccount returns an API handle for a KrosAI account, with the key read
// from tokenEnv (see krosai.Credentials). With --sandbox the key is minted in
// the sandbox instead.
func (g *globals) krosaiAccount(account, tokenEnv string) (*kapi.Account, error) {
	c, err := g.krosaiClient()
	if err != nil {
		return nil, err
	}
	if g.sim != nil {
		key, err := g.sim.MintKrosAIKey(account)
		if err != nil {
			return nil, fmt.Errorf("KrosAI account %s: sandbox key: %w", account, err)
		}
		g.secrets.Add(key)
		return c.Account(account, key), nil
	}
	key, err := g.krosaiCredentials().Key(account, tokenEnv)
	if err != nil {
		return nil, err
	}
	return c.Account(account, key), nil
}

// krosaiCredentials are the run's key rules, reading g's environment.
func (g *globals) krosaiCredentials() *krosai.Credentials {
	g.kros.credsOnce.Do(func() { g.kros.creds = &krosai.Credentials{LookupEnv: g.lookupEnv, Secrets: g.secrets} })
	return g.kros.creds
}

// prepareKrosAI runs the checks due before any KrosAI account among the
// targets (by kind, id and key variable) is read: the endpoint options, and
// the keys of every account the run may touch (see
// krosai.Credentials.Reserve; sandbox keys are minted per account, so there
// is nothing to look at with --sandbox).
func (g *globals) prepareKrosAI(kinds, ids, envs []string) error {
	var binds []krosai.Binding
	for i, k := range kinds {
		if k == krosai.TargetKind {
			binds = append(binds, krosai.Binding{Account: ids[i], Env: envs[i]})
		}
	}
	if len(binds) == 0 {
		return nil
	}
	if _, err := g.krosaiClient(); err != nil {
		return err
	}
	if g.sim == nil && g.sandbox == "" {
		g.krosaiCredentials().Reserve(binds)
	}
	return nil
}

// session opens the session of a target of any provider: read-only for plan
// (uploads nil), with the documents of set to upload for apply.
func (g *globals) session(ctx context.Context, kind, id, tokenEnv string, set *spec.Set, write bool) (provider.Session, error) {
	switch kind {
	case highlevel.TargetKind:
		client, err := g.apiClient()
		if err != nil {
			return nil, err
		}
		loc, err := g.location(ctx, client, id, tokenEnv)
		if err != nil {
			return nil, err
		}
		return loc, nil
	case krosai.TargetKind:
		acct, err := g.krosaiAccount(id, tokenEnv)
		if err != nil {
			return nil, err
		}
		if !write {
			return acct, nil
		}
		s := &krosai.Session{API: acct}
		if set != nil {
			s.Uploads = krosai.Uploads(set, id)
		}
		return s, nil
	}
	return nil, fmt.Errorf("no connector for %s targets", kind)
}
