package krosai

import (
	"database/sql"
	"net/http"
	"time"
)

// Documented defaults of an agent's optional fields.
const (
	DefaultLanguage = "en"
	DefaultProvider = "krosaimlingual" // tts_provider, stt_provider and llm_model
)

// agent is a stored agent. nil optional strings are unset (answered null).
type agent struct {
	ID, Account                             string
	Name                                    string
	Description, SystemPrompt, VoiceID      *string
	Language, TTSProvider, STTProvider, LLM string
	KnowledgeBaseIDs                        []string
	CreatedAt, UpdatedAt                    time.Time
}

// agentJSON is the Agent schema: every documented key, always.
type agentJSON struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Description      *string  `json:"description"`
	SystemPrompt     *string  `json:"system_prompt"`
	Language         string   `json:"language"`
	VoiceID          *string  `json:"voice_id"`
	TTSProvider      string   `json:"tts_provider"`
	STTProvider      string   `json:"stt_provider"`
	LLMModel         string   `json:"llm_model"`
	KnowledgeBaseIDs []string `json:"knowledge_base_ids"`
	CreatedAt        string   `json:"created_at"`
	UpdatedAt        string   `json:"updated_at"`
	CreatedBy        string   `json:"created_by"`
}

func (a *agent) json(createdBy string) agentJSON {
	kb := a.KnowledgeBaseIDs
	if kb == nil {
		kb = []string{}
	}
	return agentJSON{ID: a.ID, Name: a.Name, Description: a.Description, SystemPrompt: a.SystemPrompt,
		Language: a.Language, VoiceID: a.VoiceID, TTSProvider: a.TTSProvider, STTProvider: a.STTProvider,
		LLMModel: a.LLM, KnowledgeBaseIDs: kb, CreatedAt: stamp(a.CreatedAt), UpdatedAt: stamp(a.UpdatedAt),
		CreatedBy: createdBy}
}

// newAgent is an agent with the documented defaults.
func newAgent() *agent {
	return &agent{Language: DefaultLanguage, TTSProvider: DefaultProvider, STTProvider: DefaultProvider,
		LLM: DefaultProvider, KnowledgeBaseIDs: []string{}}
}

// agentFieldNames are the fields of AgentCreateRequest and AgentUpdateRequest.
var agentFieldNames = []string{"name", "description", "system_prompt", "language", "voice_id",
	"tts_provider", "stt_provider", "llm_model", "knowledge_base_ids"}

// applyAgent checks a create (create set) or update body and writes its
// fields into a: on update, omitted fields are kept and null clears the
// optional strings. Every knowledge base id must name a knowledge base of
// account.
func applyAgent(db DB, account string, body map[string]any, a *agent, create bool) *Answer {
	f := fields{m: body, create: create}
	f.only(agentFieldNames...)
	if v, given := f.text("name", strRule{max: maxName, required: true, nonEmpty: true}); given {
		a.Name = *v
	}
	for _, o := range []struct {
		k   string
		max int
		dst **string
	}{{"description", maxDescription, &a.Description}, {"system_prompt", maxPrompt, &a.SystemPrompt}} {
		if v, given := f.text(o.k, strRule{max: o.max, nullable: true}); given {
			*o.dst = v
		}
	}
	if v, given := f.text("voice_id", strRule{max: maxShort, nonEmpty: true, nullable: true}); given {
		a.VoiceID = v
	}
	if v, given := f.text("language", strRule{max: maxShort, nonEmpty: true}); given {
		if languageCode.MatchString(*v) {
			a.Language = *v
		} else {
			f.addf("language must be a language code such as en or pt-BR")
		}
	}
	for _, o := range []struct {
		k   string
		dst *string
	}{{"tts_provider", &a.TTSProvider}, {"stt_provider", &a.STTProvider}, {"llm_model", &a.LLM}} {
		if v, given := f.text(o.k, strRule{max: maxShort, nonEmpty: true}); given {
			*o.dst = *v
		}
	}
	if ids, given := f.ids("knowledge_base_ids"); given {
		for _, id := range ids {
			if !ownsKnowledgeBase(db, account, id) {
				f.addf("knowledge_base_ids: no knowledge base %s in this account", id)
			}
		}
		a.KnowledgeBaseIDs = ids
	}
	return f.answer()
}

const agentColumns = `id, account, name, description, system_prompt, language, voice_id,
	tts_provider, stt_provider, llm_model, knowledge_base_ids, created_at, updated_at`

func scanAgent(r interface{ Scan(...any) error }) (*agent, error) {
	a := &agent{}
	var desc, prompt, voice sql.NullString
	var kb string
	var created, updated int64
	if err := r.Scan(&a.ID, &a.Account, &a.Name, &desc, &prompt, &a.Language, &voice,
		&a.TTSProvider, &a.STTProvider, &a.LLM, &kb, &created, &updated); err != nil {
		return nil, err
	}
	a.Description, a.SystemPrompt, a.VoiceID = nullable(desc), nullable(prompt), nullable(voice)
	a.CreatedAt, a.UpdatedAt = fromNanos(created), fromNanos(updated)
	var err error
	a.KnowledgeBaseIDs, err = decodeList(kb)
	return a, err
}

// loadAgent returns the agent id, of whichever account; nil when none.
func loadAgent(db DB, id string) *agent {
	var out *agent
	db.Query("SELECT "+agentColumns+" FROM krosai_agents WHERE id = ?", []any{id}, func(r *sql.Rows) error {
		a, err := scanAgent(r)
		out = a
		return err
	})
	return out
}

func agentsOf(db DB, account string) []*agent {
	var out []*agent
	db.Query("SELECT "+agentColumns+" FROM krosai_agents WHERE account = ? ORDER BY seq", []any{account},
		func(r *sql.Rows) error {
			a, err := scanAgent(r)
			out = append(out, a)
			return err
		})
	return out
}

func insertAgent(db DB, a *agent) {
	db.Exec(`INSERT INTO krosai_agents (`+agentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Account, a.Name, column(a.Description), column(a.SystemPrompt), a.Language, column(a.VoiceID),
		a.TTSProvider, a.STTProvider, a.LLM, encodeList(db, a.KnowledgeBaseIDs), a.CreatedAt.UnixNano(), a.UpdatedAt.UnixNano())
}

func updateAgentRow(db DB, a *agent) {
	db.Exec(`UPDATE krosai_agents SET name = ?, description = ?, system_prompt = ?, language = ?, voice_id = ?,
		tts_provider = ?, stt_provider = ?, llm_model = ?, knowledge_base_ids = ?, updated_at = ? WHERE id = ?`,
		a.Name, column(a.Description), column(a.SystemPrompt), a.Language, column(a.VoiceID),
		a.TTSProvider, a.STTProvider, a.LLM, encodeList(db, a.KnowledgeBaseIDs), a.UpdatedAt.UnixNano(), a.ID)
}

// ownedAgent loads agent id for the caller: 404 when unknown, 403 when it
// belongs to another account.
func (c *call) ownedAgent(id string) (*agent, *Answer) {
	a := loadAgent(c.DB, id)
	switch {
	case a == nil:
		ans := notFound("Agent")
		return nil, &ans
	case a.Account != c.Account.Name:
		ans := denied("agent")
		return nil, &ans
	}
	return a, nil
}

func (c *call) createAgent() Answer {
	body, bad := decodeBody(c.Body)
	if bad != nil {
		return *bad
	}
	a := newAgent()
	if bad := applyAgent(c.DB, c.Account.Name, body, a, true); bad != nil {
		return *bad
	}
	a.ID, a.Account, a.CreatedAt, a.UpdatedAt = newUUID(), c.Account.Name, c.Now, c.Now
	insertAgent(c.DB, a)
	return ok(a.json(c.Account.UserID))
}

func (c *call) listAgents() Answer {
	out := []agentJSON{}
	for _, a := range agentsOf(c.DB, c.Account.Name) {
		out = append(out, a.json(c.Account.UserID))
	}
	return ok(out)
}

func (c *call) getAgent(id string) Answer {
	a, bad := c.ownedAgent(id)
	if bad != nil {
		return *bad
	}
	return ok(a.json(c.Account.UserID))
}

func (c *call) updateAgent(id string) Answer {
	a, bad := c.ownedAgent(id)
	if bad != nil {
		return *bad
	}
	body, bad := decodeBody(c.Body)
	if bad != nil {
		return *bad
	}
	if bad := applyAgent(c.DB, c.Account.Name, body, a, false); bad != nil {
		return *bad
	}
	a.UpdatedAt = c.Now
	updateAgentRow(c.DB, a)
	return ok(a.json(c.Account.UserID))
}

// messageBody is MessageResponse.
type messageBody struct {
	Message string `json:"message"`
}

// deleteAgent removes the agent for good. Its past conversations stay
// readable (agent_id unchanged) and the active ones are completed: deleting
// ends any live session. Linked knowledge bases stay.
func (c *call) deleteAgent(id string) Answer {
	if _, bad := c.ownedAgent(id); bad != nil {
		return *bad
	}
	c.DB.Exec("DELETE FROM krosai_agents WHERE id = ?", id)
	c.DB.Exec("UPDATE krosai_conversations SET status = ?, updated_at = ? WHERE agent_id = ? AND status = ?",
		StatusCompleted, c.Now.UnixNano(), id, StatusActive)
	return ok(messageBody{Message: "Agent deleted successfully"})
}

// voiceBody is VoiceSession.
type voiceBody struct {
	RoomName string `json:"room_name"`
	RoomURL  string `json:"room_url"`
	Token    string `json:"token"`
}

// startVoiceSession opens an ad-hoc room with the agent. Nothing is stored:
// the answer carries no conversation, and the sandbox has no LiveKit server.
// A body, if any, is ignored.
func (c *call) startVoiceSession(id string) Answer {
	if _, bad := c.ownedAgent(id); bad != nil {
		return *bad
	}
	room := "voice-" + newUUID()
	return Answer{Status: http.StatusOK, Body: voiceBody{RoomName: room, RoomURL: VoiceRoomHost + room, Token: roomToken()}}
}
