package krosai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"strings"
)

// API paths.
const (
	agentsPath         = "/v1/agents"
	conversationsPath  = "/v1/conversations"
	knowledgeBasesPath = "/v1/knowledge-bases"
)

// idPath is prefix/{id}, or an error for an empty id.
func idPath(prefix, id string) (string, error) {
	if id == "" {
		return "", errEmptyID
	}
	return prefix + "/" + url.PathEscape(id), nil
}

// list runs a GET of a bare JSON array. An answer that is not an array
// (null, an object) is an inconsistent answer, never an empty list.
func list[T any](ctx context.Context, a *Account, path string) ([]T, error) {
	var raw json.RawMessage
	var items []T
	c := call{method: http.MethodGet, path: path, out: &raw}
	c.check = func() error {
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '[' {
			return fmt.Errorf("%w: the answer is not a list", ErrInconsistentAnswer)
		}
		items = nil
		return json.Unmarshal(raw, &items)
	}
	if err := a.do(ctx, c); err != nil {
		return nil, err
	}
	if items == nil {
		items = []T{}
	}
	return items, nil
}

// create runs a POST whose answer is an object with an id. A 2xx answer
// without an id is ambiguous: something was made, but what is unknown.
func create[T any](ctx context.Context, a *Account, c call, out *T, id func(*T) string) (*T, error) {
	c.out = out
	c.check = func() error {
		if id(out) == "" {
			return fmt.Errorf("%w: the created object has no id", ErrInconsistentAnswer)
		}
		return nil
	}
	if err := a.do(ctx, c); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateAgent calls POST /v1/agents; in.Name is required. It is never
// blindly retried: a failure that may have created the agent is an
// *AmbiguousError, and the caller must list agents by name before creating
// again.
func (a *Account) CreateAgent(ctx context.Context, in AgentInput) (*Agent, error) {
	if in.Name == nil || *in.Name == "" {
		return nil, fmt.Errorf("POST %s (KrosAI account %s): an agent needs a name", agentsPath, a.name)
	}
	c, err := jsonCall(http.MethodPost, agentsPath, in, nil)
	if err != nil {
		return nil, err
	}
	return create(ctx, a, c, &Agent{}, func(x *Agent) string { return x.ID })
}

// ListAgents calls GET /v1/agents: every agent the key's user created.
func (a *Account) ListAgents(ctx context.Context) ([]Agent, error) {
	return list[Agent](ctx, a, agentsPath)
}

// GetAgent calls GET /v1/agents/{agent_id}.
func (a *Account) GetAgent(ctx context.Context, agentID string) (*Agent, error) {
	path, err := idPath(agentsPath, agentID)
	if err != nil {
		return nil, err
	}
	var out Agent
	if err := a.do(ctx, call{method: http.MethodGet, path: path, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateAgent calls PUT /v1/agents/{agent_id} with the fields set in in.
// Whether the server keeps or clears omitted fields is undocumented: send
// every field the caller manages.
func (a *Account) UpdateAgent(ctx context.Context, agentID string, in AgentInput) (*Agent, error) {
	path, err := idPath(agentsPath, agentID)
	if err != nil {
		return nil, err
	}
	var out Agent
	c, err := jsonCall(http.MethodPut, path, in, &out)
	if err != nil {
		return nil, err
	}
	if err := a.do(ctx, c); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAgent calls DELETE /v1/agents/{agent_id}. When an attempt may have
// deleted the agent and the retry finds it gone, the delete succeeded.
func (a *Account) DeleteAgent(ctx context.Context, agentID string) error {
	path, err := idPath(agentsPath, agentID)
	if err != nil {
		return err
	}
	err = a.do(ctx, call{method: http.MethodDelete, path: path})
	if errors.Is(err, errDeletedEarlier) {
		return nil
	}
	return err
}

// StartVoiceSession calls POST /v1/agents/{agent_id}/voice and returns the
// room to join; its Token never prints. It is a POST: a lost answer is an
// *AmbiguousError (a room may have been opened).
func (a *Account) StartVoiceSession(ctx context.Context, agentID string) (*VoiceSession, error) {
	path, err := idPath(agentsPath, agentID)
	if err != nil {
		return nil, err
	}
	out, err := create(ctx, a, call{method: http.MethodPost, path: path + "/voice"}, &VoiceSession{},
		func(v *VoiceSession) string { return v.RoomName })
	if out != nil {
		a.client.red.Add(out.Token.Reveal())
	}
	return out, err
}

// CreateConversation calls POST /v1/conversations, which also opens the
// conversation's LiveKit room. Its Token never prints. A lost answer is an
// *AmbiguousError.
func (a *Account) CreateConversation(ctx context.Context, in ConversationInput) (*Conversation, error) {
	if in.AgentID == "" {
		return nil, errEmptyID
	}
	c, err := jsonCall(http.MethodPost, conversationsPath, in, nil)
	if err != nil {
		return nil, err
	}
	out, err := create(ctx, a, c, &Conversation{}, func(x *Conversation) string { return x.ID })
	if out != nil {
		a.client.red.Add(out.Token.Reveal())
	}
	return out, err
}

// ListConversations calls GET /v1/conversations.
func (a *Account) ListConversations(ctx context.Context) ([]Conversation, error) {
	out, err := list[Conversation](ctx, a, conversationsPath)
	for _, c := range out {
		a.client.red.Add(c.Token.Reveal())
	}
	return out, err
}

// GetConversation calls GET /v1/conversations/{conversation_id}; reading an
// active conversation re-issues its room token.
func (a *Account) GetConversation(ctx context.Context, conversationID string) (*Conversation, error) {
	path, err := idPath(conversationsPath, conversationID)
	if err != nil {
		return nil, err
	}
	var out Conversation
	err = a.do(ctx, call{method: http.MethodGet, path: path, out: &out})
	a.client.red.Add(out.Token.Reveal())
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ListMessages calls GET /v1/conversations/{conversation_id}/messages: the
// transcript, oldest first.
func (a *Account) ListMessages(ctx context.Context, conversationID string) ([]Message, error) {
	path, err := idPath(conversationsPath, conversationID)
	if err != nil {
		return nil, err
	}
	return list[Message](ctx, a, path+"/messages")
}

// CreateKnowledgeBase calls POST /v1/knowledge-bases; in.Name is required.
// A lost answer is an *AmbiguousError: list knowledge bases by name before
// creating again.
func (a *Account) CreateKnowledgeBase(ctx context.Context, in KnowledgeBaseInput) (*KnowledgeBase, error) {
	if in.Name == "" {
		return nil, fmt.Errorf("POST %s (KrosAI account %s): a knowledge base needs a name", knowledgeBasesPath, a.name)
	}
	c, err := jsonCall(http.MethodPost, knowledgeBasesPath, in, nil)
	if err != nil {
		return nil, err
	}
	return create(ctx, a, c, &KnowledgeBase{}, func(x *KnowledgeBase) string { return x.ID })
}

// ListKnowledgeBases calls GET /v1/knowledge-bases.
func (a *Account) ListKnowledgeBases(ctx context.Context) ([]KnowledgeBase, error) {
	return list[KnowledgeBase](ctx, a, knowledgeBasesPath)
}

// UploadDocument calls POST /v1/knowledge-bases/{kb_id}/documents with one
// file in the multipart part "file", named name (its base name is sent),
// typed by its extension (.pdf, .txt, .md, .docx; others as
// application/octet-stream). The answer's status is usually "processing":
// poll ListDocuments. Files over MaxDocumentSize are refused unsent. A lost
// answer is an *AmbiguousError: list the documents before uploading again.
func (a *Account) UploadDocument(ctx context.Context, knowledgeBaseID, name string, content []byte) (*Document, error) {
	path, err := idPath(knowledgeBasesPath, knowledgeBaseID)
	if err != nil {
		return nil, err
	}
	path += "/documents"
	base := filepath.Base(name)
	switch {
	case name == "" || base == "." || base == "/":
		return nil, fmt.Errorf("POST %s (KrosAI account %s): a document needs a file name", path, a.name)
	case len(content) > MaxDocumentSize:
		return nil, fmt.Errorf("POST %s (KrosAI account %s): %s is %d bytes, more than the %d KrosAI accepts",
			path, a.name, base, len(content), MaxDocumentSize)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteEscaper.Replace(base)+`"`)
	h.Set("Content-Type", DocumentContentType(base))
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("POST %s (KrosAI account %s): build the upload: %w", path, a.name, err)
	}
	c := call{method: http.MethodPost, path: path, body: body.Bytes(), contentType: mw.FormDataContentType()}
	return create(ctx, a, c, &Document{}, func(d *Document) string { return d.ID })
}

// ListDocuments calls GET /v1/knowledge-bases/{kb_id}/documents: every
// document whatever its status, newest first.
func (a *Account) ListDocuments(ctx context.Context, knowledgeBaseID string) ([]Document, error) {
	path, err := idPath(knowledgeBasesPath, knowledgeBaseID)
	if err != nil {
		return nil, err
	}
	return list[Document](ctx, a, path+"/documents")
}

// quoteEscaper escapes a file name for a Content-Disposition header, as
// mime/multipart does.
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// DocumentContentType is the MIME type an upload of name is sent with,
// chosen by its extension among the types KrosAI accepts.
func DocumentContentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return "application/pdf"
	case ".txt":
		return "text/plain"
	case ".md", ".markdown":
		return "text/markdown"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	}
	return "application/octet-stream"
}
