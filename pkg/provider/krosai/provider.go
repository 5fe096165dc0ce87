package krosai

import (
	"context"
	"fmt"
	"net/http"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// TargetKind is the kind of KrosAI's targets: accounts (the owner of one API
// key). Plans name a target's id "krosaiAccountId"; the id is the account's
// name in the manifest.
const TargetKind = "krosaiAccount"

// The kinds of KrosAI objects, by name.
const (
	KindKnowledgeBase = "knowledgeBase"
	KindDocument      = "document" // a file uploaded to a knowledge base
	KindAgent         = "voiceAgent"
)

// Reader is the part of the API that plan and export use: reads only.
// *kapi.Account implements it.
type Reader interface {
	ListAgents(ctx context.Context) ([]kapi.Agent, error)
	ListKnowledgeBases(ctx context.Context) ([]kapi.KnowledgeBase, error)
	ListDocuments(ctx context.Context, knowledgeBaseID string) ([]kapi.Document, error)
}

// API is what the provider's kinds call for one account: the reads of plan
// and export and the writes of apply. *kapi.Account implements it.
type API interface {
	Reader
	CreateAgent(ctx context.Context, in kapi.AgentInput) (*kapi.Agent, error)
	UpdateAgent(ctx context.Context, agentID string, in kapi.AgentInput) (*kapi.Agent, error)
	DeleteAgent(ctx context.Context, agentID string) error
	CreateKnowledgeBase(ctx context.Context, in kapi.KnowledgeBaseInput) (*kapi.KnowledgeBase, error)
	UploadDocument(ctx context.Context, knowledgeBaseID, name string, content []byte) (*kapi.Document, error)
}

var _ API = (*kapi.Account)(nil)

// Upload is the content of one document to upload; *spec.Document
// implements it (Read reads the file again and refuses a file that changed
// since the manifests were loaded).
type Upload interface {
	Read() ([]byte, error)
}

// Session is the connection to one account that apply passes to the kinds:
// the account's API and the documents the plan may upload, by upload name
// (see UploadName and Uploads). Plan and export may pass a bare Reader (a
// *kapi.Account) instead: they upload nothing.
type Session struct {
	API API
	// Uploads are the documents' contents by upload name; a document
	// create whose name is missing fails (nothing is sent).
	Uploads map[string]Upload
}

// reader returns the reads of a session.
func reader(s provider.Session) (Reader, error) {
	switch t := s.(type) {
	case *Session:
		if t.API == nil {
			return nil, fmt.Errorf("krosai: session has no API")
		}
		return t.API, nil
	case Reader:
		return t, nil
	}
	return nil, fmt.Errorf("krosai: session %T cannot read the KrosAI API", s)
}

// writer returns the API of a session that may write.
func writer(s provider.Session) (API, error) {
	switch t := s.(type) {
	case *Session:
		if t.API == nil {
			return nil, fmt.Errorf("krosai: session has no API")
		}
		return t.API, nil
	case API:
		return t, nil
	}
	return nil, fmt.Errorf("krosai: session %T cannot write to the KrosAI API", s)
}

// normalizer is how KrosAI values compare: an agent's knowledge bases are a
// set.
var normalizer = value.Normalizer{Sets: []string{"knowledge_base_ids"}}

// Provider is KrosAI's agents platform: knowledge bases, their documents and
// voice agents, in accounts.
type Provider struct{}

// Name implements provider.Provider.
func (Provider) Name() string { return "krosai" }

// TargetKind implements provider.Provider.
func (Provider) TargetKind() string { return TargetKind }

// Kinds implements provider.Provider: knowledge bases first (agents name
// them), then their documents, then agents.
func (Provider) Kinds() []*provider.Kind { return kinds }

var kinds = []*provider.Kind{knowledgeBaseKind, documentKind, agentKind}

// Classify implements provider.Provider with pkg/api/krosai's error types.
func (Provider) Classify(err error) provider.Failure {
	return provider.Failure{NotFound: kapi.IsNotFound(err), Ambiguous: kapi.IsAmbiguous(err), Status: kapi.StatusOf(err)}
}

// AccessHint implements provider.Provider: which variable and account to
// check after a 401 or 403. KrosAI keys have no scopes: write does not
// change the hint.
func (Provider) AccessHint(status int, account, tokenEnv string, _ bool) string {
	switch status {
	case http.StatusUnauthorized:
		return fmt.Sprintf("check that %s holds a valid API key of KrosAI account %s", tokenEnv, account)
	case http.StatusForbidden:
		return fmt.Sprintf("the key in %s may not use this object: a pinned id may name another KrosAI user's agent, or %s holds another account's key", tokenEnv, tokenEnv)
	}
	return ""
}

func init() { provider.Register(Provider{}) }
