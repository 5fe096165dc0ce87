package krosai

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// SeedAccount is a KrosAI account of a seed file and what it holds. The
// account is created when missing; objects with an id replace the stored
// object of that id (which must belong to the same account), objects
// without one are added with a new id.
type SeedAccount struct {
	Name           string              `json:"name" yaml:"name"`
	KnowledgeBases []SeedKnowledgeBase `json:"knowledgeBases,omitempty" yaml:"knowledgeBases"`
	Agents         []SeedAgent         `json:"agents,omitempty" yaml:"agents"`
	Conversations  []SeedConversation  `json:"conversations,omitempty" yaml:"conversations"`
}

// SeedKnowledgeBase is a knowledge base with the API's fields and its
// documents.
type SeedKnowledgeBase struct {
	ID          string         `json:"id,omitempty" yaml:"id"`
	Name        string         `json:"name" yaml:"name"`
	Description *string        `json:"description,omitempty" yaml:"description"`
	Documents   []SeedDocument `json:"documents,omitempty" yaml:"documents"`
}

// SeedDocument is an uploaded document, already indexed: ready, or error
// when its content is not readable as its type. Its content is given as
// text (content) or as a file (file: a path relative to the seed file);
// name is the file name (default: the base name of file).
type SeedDocument struct {
	ID      string  `json:"id,omitempty" yaml:"id"`
	Name    string  `json:"name,omitempty" yaml:"name"`
	Content *string `json:"content,omitempty" yaml:"content"`
	File    string  `json:"file,omitempty" yaml:"file"`
}

// SeedAgent is an agent as POST /v1/agents takes it (the same checks and
// defaults), with an optional id.
type SeedAgent struct {
	ID               string   `json:"id,omitempty" yaml:"id"`
	Name             *string  `json:"name,omitempty" yaml:"name"`
	Description      *string  `json:"description,omitempty" yaml:"description"`
	SystemPrompt     *string  `json:"system_prompt,omitempty" yaml:"system_prompt"`
	Language         *string  `json:"language,omitempty" yaml:"language"`
	VoiceID          *string  `json:"voice_id,omitempty" yaml:"voice_id"`
	TTSProvider      *string  `json:"tts_provider,omitempty" yaml:"tts_provider"`
	STTProvider      *string  `json:"stt_provider,omitempty" yaml:"stt_provider"`
	LLMModel         *string  `json:"llm_model,omitempty" yaml:"llm_model"`
	KnowledgeBaseIDs []string `json:"knowledge_base_ids,omitempty" yaml:"knowledge_base_ids"`
}

// SeedConversation is a conversation with an agent of the account (by id)
// and its transcript, exactly as listed (no leading system message is
// added).
type SeedConversation struct {
	ID       string        `json:"id,omitempty" yaml:"id"`
	AgentID  string        `json:"agent_id" yaml:"agent_id"`
	Title    string        `json:"title,omitempty" yaml:"title"`   // default DefaultTitle
	Status   string        `json:"status,omitempty" yaml:"status"` // active (default) or completed
	Messages []SeedMessage `json:"messages,omitempty" yaml:"messages"`
}

// SeedMessage is one message of a seeded transcript.
type SeedMessage struct {
	Role    string `json:"role" yaml:"role"` // system, user or assistant
	Content string `json:"content" yaml:"content"`
}

// SeedStats counts what LoadSeed wrote.
type SeedStats struct {
	Accounts, KnowledgeBases, Documents, Agents, Conversations, Messages int
}

// SeedEnv is where a seed is loaded: the clock, the folder document files
// are relative to, and how to name a place in the seed file in an error
// (path below the list of accounts: 0, "agents", 2, "name").
type SeedEnv struct {
	Now   time.Time
	Dir   string
	Where func(path ...any) string
}

// LoadSeed writes accounts into db. The first error names the place in the
// seed; the caller rolls the transaction back.
func LoadSeed(db DB, accounts []SeedAccount, env SeedEnv) (SeedStats, error) {
	var st SeedStats
	names := map[string]bool{}
	for ai, sa := range accounts {
		at := func(p ...any) string { return env.Where(append([]any{ai}, p...)...) }
		if err := CheckAccountName(sa.Name); err != nil {
			return st, fmt.Errorf("%s: %w", at("name"), err)
		}
		if names[sa.Name] {
			return st, fmt.Errorf("%s: account %q is listed twice", at("name"), sa.Name)
		}
		names[sa.Name] = true
		acct := ensureAccount(db, sa.Name, env.Now)
		st.Accounts++
		l := seedLoader{db: db, acct: acct, env: env, at: at, st: &st}
		if err := l.load(&sa); err != nil {
			return st, err
		}
		if err := db.Err(); err != nil {
			return st, err
		}
	}
	return st, db.Err()
}

// seedLoader loads one account.
type seedLoader struct {
	db   DB
	acct Account
	env  SeedEnv
	at   func(p ...any) string
	st   *SeedStats
}

// checkSeedID refuses an id a path could not carry.
func checkSeedID(id string) error {
	if strings.TrimSpace(id) == "" || len(id) > maxShort || strings.ContainsAny(id, " \t\r\n/?#%") {
		return fmt.Errorf("id %q is not valid (no spaces, slashes, ?, # or %%; at most %d characters)", id, maxShort)
	}
	return nil
}

// claim checks a seeded id against the ids of table: free, or the
// account's own (to replace), and listed once in the seed (seen is keyed by
// table and id). It reports whether the id is stored.
func (l *seedLoader) claim(table, id string, seen map[string]bool, p ...any) (stored bool, err error) {
	if err := checkSeedID(id); err != nil {
		return false, fmt.Errorf("%s: %w", l.at(p...), err)
	}
	if seen[table+":"+id] {
		return false, fmt.Errorf("%s: id %s is listed twice", l.at(p...), id)
	}
	seen[table+":"+id] = true
	var owner string
	if !l.db.Row("SELECT account FROM "+table+" WHERE id = ?", []any{id}, &owner) {
		return false, nil
	}
	if owner != l.acct.Name {
		return false, fmt.Errorf("%s: id %s belongs to another KrosAI account", l.at(p...), id)
	}
	return true, nil
}

func (l *seedLoader) load(sa *SeedAccount) error {
	seen := map[string]bool{}
	for i := range sa.KnowledgeBases {
		if err := l.knowledgeBase(&sa.KnowledgeBases[i], seen, "knowledgeBases", i); err != nil {
			return err
		}
	}
	for i := range sa.Agents {
		if err := l.agent(&sa.Agents[i], seen, "agents", i); err != nil {
			return err
		}
	}
	for i := range sa.Conversations {
		if err := l.conversation(&sa.Conversations[i], seen, "conversations", i); err != nil {
			return err
		}
	}
	return nil
}

func (l *seedLoader) knowledgeBase(sk *SeedKnowledgeBase, seen map[string]bool, p ...any) error {
	body := map[string]any{"name": sk.Name}
	if sk.Description != nil {
		body["description"] = *sk.Description
	}
	name, description, bad := readKnowledgeBase(body)
	if bad != nil {
		return fmt.Errorf("%s: %s", l.at(p...), bad.Body.(errorBody).Detail)
	}
	k := &knowledgeBase{ID: sk.ID, Account: l.acct.Name, Name: name, Description: description,
		CreatedAt: l.env.Now, UpdatedAt: l.env.Now}
	stored := false
	if k.ID == "" {
		k.ID = "kb-" + newUUID()
	} else {
		var err error
		if stored, err = l.claim("krosai_knowledge_bases", k.ID, seen, append(p, "id")...); err != nil {
			return err
		}
	}
	if stored {
		l.db.Exec("UPDATE krosai_knowledge_bases SET name = ?, description = ?, updated_at = ? WHERE id = ?",
			k.Name, column(k.Description), k.UpdatedAt.UnixNano(), k.ID)
	} else {
		insertKnowledgeBase(l.db, k)
	}
	l.st.KnowledgeBases++
	for i := range sk.Documents {
		if err := l.document(k.ID, &sk.Documents[i], seen, append(p, "documents", i)...); err != nil {
			return err
		}
	}
	return nil
}

func (l *seedLoader) document(kb string, sd *SeedDocument, seen map[string]bool, p ...any) error {
	var content []byte
	switch {
	case sd.Content != nil && sd.File != "":
		return fmt.Errorf("%s: give content or file, not both", l.at(p...))
	case sd.Content != nil:
		content = []byte(*sd.Content)
	case sd.File != "":
		path := sd.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(l.env.Dir, path)
		}
		info, err := os.Stat(path)
		if err == nil && info.Size() > MaxDocumentSize {
			return fmt.Errorf("%s: %s has %d bytes, more than the %d a document may have", l.at(append(p, "file")...), sd.File, info.Size(), MaxDocumentSize)
		}
		if content, err = os.ReadFile(path); err != nil {
			return fmt.Errorf("%s: %w", l.at(append(p, "file")...), err)
		}
	default:
		return fmt.Errorf("%s: give the document's content or file", l.at(p...))
	}
	name := sd.Name
	if name == "" {
		name = filepath.Base(sd.File)
	}
	ext := strings.ToLower(filepath.Ext(name))
	if strings.TrimSpace(name) == "" || name == "." || documentTypes[ext] == "" {
		return fmt.Errorf("%s: file name %q: want a .pdf, .txt, .docx or .md file", l.at(append(p, "name")...), name)
	}
	if len(content) > MaxDocumentSize {
		return fmt.Errorf("%s: %d bytes, more than the %d a document may have", l.at(p...), len(content), MaxDocumentSize)
	}
	d := newDocument(kb, name, content, l.env.Now, Config{IndexDelay: -1})
	if sd.ID != "" {
		if err := checkSeedID(sd.ID); err != nil {
			return fmt.Errorf("%s: %w", l.at(append(p, "id")...), err)
		}
		if seen["krosai_documents:"+sd.ID] {
			return fmt.Errorf("%s: id %s is listed twice", l.at(append(p, "id")...), sd.ID)
		}
		seen["krosai_documents:"+sd.ID] = true
		var owner string
		if l.db.Row(`SELECT k.account FROM krosai_documents d JOIN krosai_knowledge_bases k ON k.id = d.knowledge_base_id
			WHERE d.id = ?`, []any{sd.ID}, &owner) && owner != l.acct.Name {
			return fmt.Errorf("%s: id %s belongs to another KrosAI account", l.at(append(p, "id")...), sd.ID)
		}
		l.db.Exec("DELETE FROM krosai_documents WHERE id = ?", sd.ID)
		d.ID = sd.ID
	}
	insertDocument(l.db, d)
	l.st.Documents++
	return nil
}

func (l *seedLoader) agent(sa *SeedAgent, seen map[string]bool, p ...any) error {
	body := map[string]any{}
	for k, v := range map[string]*string{"name": sa.Name, "description": sa.Description, "system_prompt": sa.SystemPrompt,
		"language": sa.Language, "voice_id": sa.VoiceID, "tts_provider": sa.TTSProvider, "stt_provider": sa.STTProvider,
		"llm_model": sa.LLMModel} {
		if v != nil {
			body[k] = *v
		}
	}
	if sa.KnowledgeBaseIDs != nil {
		ids := make([]any, len(sa.KnowledgeBaseIDs))
		for i, id := range sa.KnowledgeBaseIDs {
			ids[i] = id
		}
		body["knowledge_base_ids"] = ids
	}
	a := newAgent()
	if bad := applyAgent(l.db, l.acct.Name, body, a, true); bad != nil {
		return fmt.Errorf("%s: %s", l.at(p...), bad.Body.(errorBody).Detail)
	}
	a.ID, a.Account, a.CreatedAt, a.UpdatedAt = sa.ID, l.acct.Name, l.env.Now, l.env.Now
	stored := false
	if a.ID == "" {
		a.ID = newUUID()
	} else {
		var err error
		if stored, err = l.claim("krosai_agents", a.ID, seen, append(p, "id")...); err != nil {
			return err
		}
	}
	if stored {
		updateAgentRow(l.db, a)
	} else {
		insertAgent(l.db, a)
	}
	l.st.Agents++
	return nil
}

var roles = []string{RoleSystem, RoleUser, RoleAssistant}

func (l *seedLoader) conversation(sc *SeedConversation, seen map[string]bool, p ...any) error {
	var owner string
	if !l.db.Row("SELECT account FROM krosai_agents WHERE id = ?", []any{sc.AgentID}, &owner) || owner != l.acct.Name {
		return fmt.Errorf("%s: no agent %q in this account (give the agent an id to refer to it)", l.at(append(p, "agent_id")...), sc.AgentID)
	}
	v := &conversation{ID: sc.ID, Account: l.acct.Name, AgentID: sc.AgentID, Title: sc.Title, Status: sc.Status,
		CreatedAt: l.env.Now, UpdatedAt: l.env.Now}
	if v.Title == "" {
		v.Title = DefaultTitle
	}
	if v.Status == "" {
		v.Status = StatusActive
	}
	if v.Status != StatusActive && v.Status != StatusCompleted {
		return fmt.Errorf("%s: status %q: want active or completed", l.at(append(p, "status")...), sc.Status)
	}
	for i, m := range sc.Messages {
		if !slices.Contains(roles, m.Role) {
			return fmt.Errorf("%s: role %q: want system, user or assistant", l.at(append(p, "messages", i, "role")...), m.Role)
		}
	}
	if v.ID == "" {
		v.ID = "conv-" + newUUID()
	} else {
		stored, err := l.claim("krosai_conversations", v.ID, seen, append(p, "id")...)
		if err != nil {
			return err
		}
		if stored {
			l.db.Exec("DELETE FROM krosai_messages WHERE conversation_id = ?", v.ID)
			l.db.Exec("DELETE FROM krosai_conversations WHERE id = ?", v.ID)
		}
	}
	insertConversation(l.db, v)
	for i, m := range sc.Messages {
		insertMessage(l.db, v.ID, m.Role, m.Content, l.env.Now.Add(time.Duration(i)*time.Microsecond))
	}
	l.st.Conversations++
	l.st.Messages += len(sc.Messages)
	return nil
}
