package krosai

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/agentform/agentform/internal/redact"
)

// Conversation statuses.
const (
	StatusActive    = "active"
	StatusCompleted = "completed"
)

// Document statuses.
const (
	DocumentProcessing = "processing" // being indexed
	DocumentReady      = "ready"      // agents can use it
	DocumentError      = "error"      // indexing failed; Document.Error says why
)

// Message roles.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Defaults KrosAI documents for an agent's optional fields.
const (
	DefaultLanguage = "en"
	DefaultProvider = "krosaimlingual" // tts_provider, stt_provider, llm_model
)

// MaxDocumentSize is the largest document the client uploads (the pages say
// "at most 10MB").
const MaxDocumentSize = 10 << 20

// AgentInput is the body of create (AgentCreateRequest; Name required) and
// update (AgentUpdateRequest; every field optional). Unset fields are left
// out; an empty, non-nil KnowledgeBaseIDs is sent as [].
type AgentInput struct {
	Name             *string  `json:"name,omitzero"`
	Description      *string  `json:"description,omitzero"`
	SystemPrompt     *string  `json:"system_prompt,omitzero"`
	Language         *string  `json:"language,omitzero"`
	VoiceID          *string  `json:"voice_id,omitzero"`
	TTSProvider      *string  `json:"tts_provider,omitzero"`
	STTProvider      *string  `json:"stt_provider,omitzero"`
	LLMModel         *string  `json:"llm_model,omitzero"`
	KnowledgeBaseIDs []string `json:"knowledge_base_ids,omitzero"`
}

// Agent is a voice agent (Agent).
type Agent struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	Description      *string   `json:"description"`
	SystemPrompt     *string   `json:"system_prompt"`
	Language         string    `json:"language"`
	VoiceID          *string   `json:"voice_id"`
	TTSProvider      string    `json:"tts_provider"`
	STTProvider      string    `json:"stt_provider"`
	LLMModel         string    `json:"llm_model"`
	KnowledgeBaseIDs []string  `json:"knowledge_base_ids"`
	CreatedAt        Timestamp `json:"created_at"`
	UpdatedAt        Timestamp `json:"updated_at"`
	CreatedBy        string    `json:"created_by"`
}

// VoiceSession is the answer of POST /v1/agents/{agent_id}/voice. Token is
// the LiveKit room credential: it never prints.
type VoiceSession struct {
	RoomName string        `json:"room_name"`
	RoomURL  string        `json:"room_url"`
	Token    redact.Secret `json:"token"`
}

// ConversationInput is the body of POST /v1/conversations.
type ConversationInput struct {
	AgentID string `json:"agent_id"`
	Title   string `json:"title,omitempty"` // default "New Conversation"
}

// Conversation is a conversation with an agent and its LiveKit room. Token
// is the room credential: it never prints.
type Conversation struct {
	ID        string        `json:"id"`
	AgentID   string        `json:"agent_id"`
	Title     string        `json:"title"`
	Status    string        `json:"status"` // StatusActive or StatusCompleted
	RoomName  string        `json:"room_name"`
	RoomURL   string        `json:"room_url"`
	Token     redact.Secret `json:"token"`
	CreatedAt Timestamp     `json:"created_at"`
	UpdatedAt Timestamp     `json:"updated_at"`
	CreatedBy string        `json:"created_by"`
}

// Message is one message of a conversation's transcript.
type Message struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	Role           string    `json:"role"` // RoleSystem, RoleUser or RoleAssistant
	Content        string    `json:"content"`
	CreatedAt      Timestamp `json:"created_at"`
}

// KnowledgeBaseInput is the body of POST /v1/knowledge-bases.
type KnowledgeBaseInput struct {
	Name        string  `json:"name"`
	Description *string `json:"description,omitzero"`
}

// KnowledgeBase is a knowledge base (KnowledgeBase).
type KnowledgeBase struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Description   *string   `json:"description"`
	DocumentCount int       `json:"document_count"`
	CreatedAt     Timestamp `json:"created_at"`
	UpdatedAt     Timestamp `json:"updated_at"`
	CreatedBy     string    `json:"created_by"`
}

// Document is an uploaded file of a knowledge base.
type Document struct {
	ID              string    `json:"id"`
	KnowledgeBaseID string    `json:"knowledge_base_id"`
	Name            string    `json:"name"` // the original file name
	ContentType     string    `json:"content_type"`
	Size            int64     `json:"size"`
	Status          string    `json:"status"` // DocumentProcessing, DocumentReady or DocumentError
	Error           *string   `json:"error"`
	CreatedAt       Timestamp `json:"created_at"`
}

// Timestamp is a KrosAI datetime: RFC 3339, with or without fractional
// seconds. An unreadable value leaves Time zero and keeps the text in Raw
// instead of failing the whole answer.
type Timestamp struct {
	time.Time
	Raw string
}

// timestampLayouts are tried in order after RFC 3339.
var timestampLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

// UnmarshalJSON reads a JSON string or null.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	*t = Timestamp{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		t.Raw = string(b)
		return nil
	}
	t.Raw = s
	if v, err := time.Parse(time.RFC3339Nano, s); err == nil {
		t.Time = v
		return nil
	}
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return nil
}

// MarshalJSON writes the text the server sent (RFC 3339 when it was read
// from a Time alone).
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.Raw == "" && !t.IsZero() {
		return json.Marshal(t.Time.Format(time.RFC3339Nano))
	}
	if t.Raw == "" {
		return []byte("null"), nil
	}
	return json.Marshal(t.Raw)
}
