package krosai

import (
	"database/sql"
	"net/http"
	"time"
)

// Conversation statuses.
const (
	StatusActive    = "active"
	StatusCompleted = "completed"
)

// Message roles.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// DefaultTitle is the title of a conversation created without one.
const DefaultTitle = "New Conversation"

// Room hosts: the documents' example hosts under .invalid, which never
// resolves, so nothing ever connects to a sandbox room by mistake.
const (
	ConversationRoomHost = "wss://livekit.krosai.invalid/room/"
	VoiceRoomHost        = "wss://agent.krosai.invalid/room/"
)

// RoomTokenPrefix starts every room token the sandbox issues: an obviously
// fake value that no secret scanner takes for a credential. Each read of an
// active conversation issues a new one; none is stored or logged.
const RoomTokenPrefix = "not-a-credential.sandbox-room-token."

func roomToken() string { return RoomTokenPrefix + randomString("0123456789abcdef", 12) }

type conversation struct {
	ID, Account, AgentID, Title, Status string
	CreatedAt, UpdatedAt                time.Time
}

// conversationJSON is the Conversation schema.
type conversationJSON struct {
	ID        string `json:"id"`
	AgentID   string `json:"agent_id"`
	Title     string `json:"title"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	CreatedBy string `json:"created_by"`
	Status    string `json:"status"`
	RoomName  string `json:"room_name"`
	RoomURL   string `json:"room_url"`
	Token     string `json:"token"`
}

// json renders a conversation with a fresh room token when it is active; a
// completed one keeps its room details and has an empty token.
func (v *conversation) json(createdBy string) conversationJSON {
	tok := ""
	if v.Status == StatusActive {
		tok = roomToken()
	}
	return conversationJSON{ID: v.ID, AgentID: v.AgentID, Title: v.Title, CreatedAt: stamp(v.CreatedAt),
		UpdatedAt: stamp(v.UpdatedAt), CreatedBy: createdBy, Status: v.Status, RoomName: v.ID,
		RoomURL: ConversationRoomHost + v.ID, Token: tok}
}

const conversationColumns = "id, account, agent_id, title, status, created_at, updated_at"

func scanConversation(r *sql.Rows) (*conversation, error) {
	v := &conversation{}
	var created, updated int64
	err := r.Scan(&v.ID, &v.Account, &v.AgentID, &v.Title, &v.Status, &created, &updated)
	v.CreatedAt, v.UpdatedAt = fromNanos(created), fromNanos(updated)
	return v, err
}

func loadConversation(db DB, id string) *conversation {
	var out *conversation
	db.Query("SELECT "+conversationColumns+" FROM krosai_conversations WHERE id = ?", []any{id}, func(r *sql.Rows) error {
		v, err := scanConversation(r)
		out = v
		return err
	})
	return out
}

func insertConversation(db DB, v *conversation) {
	db.Exec("INSERT INTO krosai_conversations ("+conversationColumns+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		v.ID, v.Account, v.AgentID, v.Title, v.Status, v.CreatedAt.UnixNano(), v.UpdatedAt.UnixNano())
}

func insertMessage(db DB, conversationID, role, content string, at time.Time) {
	db.Exec("INSERT INTO krosai_messages (id, conversation_id, role, content, created_at) VALUES (?, ?, ?, ?, ?)",
		"msg-"+newUUID(), conversationID, role, content, at.UnixNano())
}

func (c *call) ownedConversation(id string) (*conversation, *Answer) {
	v := loadConversation(c.DB, id)
	switch {
	case v == nil:
		a := notFound("Conversation")
		return nil, &a
	case v.Account != c.Account.Name:
		a := denied("conversation")
		return nil, &a
	}
	return v, nil
}

// createConversation opens a conversation and its room. The transcript
// starts with a system message holding the agent's prompt ("" when it has
// none).
func (c *call) createConversation() Answer {
	body, bad := decodeBody(c.Body)
	if bad != nil {
		return *bad
	}
	f := fields{m: body, create: true}
	f.only("agent_id", "title")
	agentID, _ := f.text("agent_id", strRule{max: maxShort, required: true, nonEmpty: true})
	title, titled := f.text("title", strRule{max: maxTitle, nonEmpty: true})
	if bad := f.answer(); bad != nil {
		return *bad
	}
	a := loadAgent(c.DB, *agentID)
	switch {
	case a == nil:
		return notFound("Agent")
	case a.Account != c.Account.Name:
		return Errorf(http.StatusForbidden, "Not allowed to use this agent")
	}
	v := &conversation{ID: "conv-" + newUUID(), Account: c.Account.Name, AgentID: a.ID, Title: DefaultTitle,
		Status: StatusActive, CreatedAt: c.Now, UpdatedAt: c.Now}
	if titled {
		v.Title = *title
	}
	insertConversation(c.DB, v)
	prompt := ""
	if a.SystemPrompt != nil {
		prompt = *a.SystemPrompt
	}
	insertMessage(c.DB, v.ID, RoleSystem, prompt, c.Now)
	return ok(v.json(c.Account.UserID))
}

// listConversations answers the account's conversations, newest first.
func (c *call) listConversations() Answer {
	out := []conversationJSON{}
	c.DB.Query("SELECT "+conversationColumns+" FROM krosai_conversations WHERE account = ? ORDER BY seq DESC",
		[]any{c.Account.Name}, func(r *sql.Rows) error {
			v, err := scanConversation(r)
			if err == nil {
				out = append(out, v.json(c.Account.UserID))
			}
			return err
		})
	return ok(out)
}

func (c *call) getConversation(id string) Answer {
	v, bad := c.ownedConversation(id)
	if bad != nil {
		return *bad
	}
	return ok(v.json(c.Account.UserID))
}

// messageJSON is the Message schema.
type messageJSON struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	Role           string `json:"role"`
	Content        string `json:"content"`
	CreatedAt      string `json:"created_at"`
}

// listMessages answers a conversation's transcript, oldest first.
func (c *call) listMessages(id string) Answer {
	if _, bad := c.ownedConversation(id); bad != nil {
		return *bad
	}
	out := []messageJSON{}
	c.DB.Query("SELECT id, conversation_id, role, content, created_at FROM krosai_messages WHERE conversation_id = ? ORDER BY seq",
		[]any{id}, func(r *sql.Rows) error {
			var m messageJSON
			var at int64
			err := r.Scan(&m.ID, &m.ConversationID, &m.Role, &m.Content, &at)
			m.CreatedAt = stamp(fromNanos(at))
			out = append(out, m)
			return err
		})
	return ok(out)
}
