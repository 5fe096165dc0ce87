package krosai

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/value"
)

// knowledgeBaseKind is a knowledge base: top-level in its account, known by
// its name. The API creates and lists knowledge bases and nothing else, so
// the kind has no Update and no Delete: the engine reports what it cannot
// change instead of planning it.
var knowledgeBaseKind = &provider.Kind{
	Name:   KindKnowledgeBase,
	Plural: "knowledge bases",
	List: func(ctx context.Context, s provider.Session, _ string) ([]*provider.Live, error) {
		r, err := reader(s)
		if err != nil {
			return nil, err
		}
		all, err := r.ListKnowledgeBases(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]*provider.Live, len(all))
		for i, kb := range all {
			out[i] = liveKnowledgeBase(kb)
		}
		return out, nil
	},
	Encode: func(payload value.Map, name string) (any, error) {
		var in kapi.KnowledgeBaseInput
		if err := decodeStrict(payload, &in); err != nil {
			return nil, fmt.Errorf("decode knowledge base: %w", err)
		}
		if in.Name == "" {
			in.Name = name
		}
		return kbBody{in}, nil
	},
	Create: func(ctx context.Context, s provider.Session, _ string, body any) (string, error) {
		w, err := writer(s)
		if err != nil {
			return "", err
		}
		kb, err := w.CreateKnowledgeBase(ctx, body.(kbBody).in)
		if err != nil {
			return "", err
		}
		return kb.ID, nil
	},
}

// kbBody is the body of a knowledge base create. Its JSON form is the name
// alone: after a lost answer apply adopts the knowledge base it finds by
// name when that form matches, and updates it otherwise, which the API
// cannot do; the name is all that may decide (a differing description is
// reported by the next plan).
type kbBody struct{ in kapi.KnowledgeBaseInput }

// MarshalJSON writes the name alone (see kbBody).
func (b kbBody) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"name": b.in.Name})
}

// liveKnowledgeBase is a live knowledge base as the engine compares it:
// name and description (absent when null). document_count is left out: it
// moves with every upload.
func liveKnowledgeBase(kb kapi.KnowledgeBase) *provider.Live {
	fields := value.Map{"name": kb.Name}
	if kb.Description != nil {
		fields["description"] = *kb.Description
	}
	return &provider.Live{ID: kb.ID, Name: kb.Name, Fields: fields, Raw: kb,
		Fingerprint: value.Fingerprint(value.Map{"id": kb.ID, "fields": fields})}
}

// documentKind is a document of a knowledge base, known by its upload name:
// the file's name with a short digest of its content (UploadName), so a
// changed file is a new document. The API uploads and lists documents and
// nothing else: no Update, no Delete.
var documentKind = &provider.Kind{
	Name:   KindDocument,
	Plural: "documents",
	Parent: KindKnowledgeBase,
	List: func(ctx context.Context, s provider.Session, kbID string) ([]*provider.Live, error) {
		r, err := reader(s)
		if err != nil {
			return nil, err
		}
		all, err := r.ListDocuments(ctx, kbID)
		if err != nil {
			return nil, err
		}
		return liveDocuments(all), nil
	},
	Encode: func(payload value.Map, name string) (any, error) {
		var b struct {
			Name string  `json:"name"`
			Size float64 `json:"size"`
		}
		if err := decodeStrict(payload, &b); err != nil {
			return nil, fmt.Errorf("decode document: %w", err)
		}
		if b.Name == "" {
			b.Name = name
		}
		if _, ok := digestTag(b.Name); !ok {
			return nil, fmt.Errorf("document %q: not an upload name (file name with a content digest)", b.Name)
		}
		if b.Size < 0 || b.Size != float64(int64(b.Size)) {
			return nil, fmt.Errorf("document %q: size %v is not a byte count", b.Name, b.Size)
		}
		return docBody{Name: b.Name, Size: int64(b.Size)}, nil
	},
	Create: func(ctx context.Context, s provider.Session, kbID string, body any) (string, error) {
		sess, ok := s.(*Session)
		if !ok {
			return "", fmt.Errorf("krosai: session %T holds no document contents", s)
		}
		b := body.(docBody)
		up, ok := sess.Uploads[b.Name]
		if !ok || up == nil {
			return "", fmt.Errorf("document %s: its content is not among the manifests' documents (apply a saved plan with the manifests it was made from)", b.Name)
		}
		content, err := up.Read()
		if err != nil {
			return "", err
		}
		if err := checkUpload(b.Name, b.Size, content); err != nil {
			return "", err
		}
		w, err := writer(s)
		if err != nil {
			return "", err
		}
		d, err := w.UploadDocument(ctx, kbID, b.Name, content)
		if err != nil {
			return "", err
		}
		return d.ID, nil
	},
}

// docBody is the body of a document upload: the upload name and the
// planned size; the content comes from the session. Its JSON form is the
// name alone, for the same reason as kbBody's.
type docBody struct {
	Name string
	Size int64
}

// MarshalJSON writes the name alone (see docBody).
func (b docBody) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"name": b.Name})
}

// liveDocuments turns a knowledge base's documents into live objects: name,
// size, content type and status. Documents cannot be deleted, so two live
// documents with one name (an upload made twice by hand) would stop every
// plan of the account; the name carries the content's digest, so they hold
// the same content and one stands for both: the first ready one, else the
// newest (the list is newest first). The others are shown under their name
// and id, as live documents no manifest declares.
func liveDocuments(all []kapi.Document) []*provider.Live {
	keep := map[string]int{} // name → index of the document known by it
	for i, d := range all {
		j, seen := keep[d.Name]
		if !seen || (all[j].Status != kapi.DocumentReady && d.Status == kapi.DocumentReady) {
			keep[d.Name] = i
		}
	}
	out := make([]*provider.Live, len(all))
	for i, d := range all {
		fields := value.Map{"name": d.Name, "size": float64(d.Size), "content_type": d.ContentType, "status": d.Status}
		name := d.Name
		if keep[d.Name] != i {
			name = fmt.Sprintf("%s (another copy, id %s)", d.Name, d.ID)
		}
		out[i] = &provider.Live{ID: d.ID, Name: name, Fields: fields, Raw: d,
			Fingerprint: value.Fingerprint(value.Map{"id": d.ID, "name": d.Name, "size": d.Size})}
	}
	return out
}

// agentKind is a voice agent: top-level in its account, known by its name
// or a pinned id. The agent list carries every field, so no Get is needed.
// knowledge_base_ids names knowledge bases of the account (a set). An
// update sends the live fields overlaid with the declared ones, so the
// service's handling of omitted fields (a merge in the sandbox, undocumented
// by KrosAI) cannot clear anything.
var agentKind = &provider.Kind{
	Name:       KindAgent,
	Plural:     "voice agents",
	FieldsNoun: "settings",
	Normalize:  normalizer,
	Refs: func(value.Map) []provider.Ref {
		return []provider.Ref{{Path: []string{"knowledge_base_ids"}, Kind: KindKnowledgeBase}}
	},
	List: func(ctx context.Context, s provider.Session, _ string) ([]*provider.Live, error) {
		r, err := reader(s)
		if err != nil {
			return nil, err
		}
		all, err := r.ListAgents(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]*provider.Live, len(all))
		for i := range all {
			out[i] = liveAgent(&all[i])
		}
		return out, nil
	},
	Encode: func(payload value.Map, name string) (any, error) {
		var in kapi.AgentInput
		if err := decodeStrict(payload, &in); err != nil {
			return nil, fmt.Errorf("decode settings: %w", err)
		}
		if in.Name == nil || *in.Name == "" {
			in.Name = &name
		}
		if _, declared := payload["knowledge_base_ids"]; declared && in.KnowledgeBaseIDs == nil {
			in.KnowledgeBaseIDs = []string{} // sent as []: detach every knowledge base
		}
		return in, nil
	},
	Create: func(ctx context.Context, s provider.Session, _ string, body any) (string, error) {
		w, err := writer(s)
		if err != nil {
			return "", err
		}
		a, err := w.CreateAgent(ctx, body.(kapi.AgentInput))
		if err != nil {
			return "", err
		}
		return a.ID, nil
	},
	Update: func(ctx context.Context, s provider.Session, _, id string, body any) error {
		w, err := writer(s)
		if err != nil {
			return err
		}
		_, err = w.UpdateAgent(ctx, id, body.(kapi.AgentInput))
		return err
	},
	Delete: func(ctx context.Context, s provider.Session, _, id string) error {
		w, err := writer(s)
		if err != nil {
			return err
		}
		return w.DeleteAgent(ctx, id)
	},
}

// agentFields are the API fields of an agent, in the order of its create
// body.
var agentFields = []string{"name", "description", "system_prompt", "language", "voice_id", "tts_provider",
	"stt_provider", "llm_model", "knowledge_base_ids"}

// liveAgent is a live agent as the engine compares it: its nine API fields
// (null ones left out) in JSON types, knowledge bases as ids.
func liveAgent(a *kapi.Agent) *provider.Live {
	fields := AgentFields(a)
	return &provider.Live{ID: a.ID, Name: a.Name, Fields: fields, Raw: *a,
		Fingerprint: value.Fingerprint(value.Map{"id": a.ID, "fields": fields})}
}

// AgentFields returns an agent's API fields in JSON types, null ones left
// out and knowledge_base_ids always present (ids).
func AgentFields(a *kapi.Agent) value.Map {
	m := value.Map{"name": a.Name, "language": a.Language, "tts_provider": a.TTSProvider,
		"stt_provider": a.STTProvider, "llm_model": a.LLMModel}
	for key, p := range map[string]*string{"description": a.Description, "system_prompt": a.SystemPrompt, "voice_id": a.VoiceID} {
		if p != nil {
			m[key] = *p
		}
	}
	ids := slices.Clone(a.KnowledgeBaseIDs)
	if ids == nil {
		ids = []string{}
	}
	m["knowledge_base_ids"] = value.List(ids)
	return m
}

// decodeStrict converts a payload into out, refusing fields out does not
// have: a misspelt field is an error here, not a 400 from the service.
func decodeStrict(payload value.Map, out any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(out)
}
