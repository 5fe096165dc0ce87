package krosai

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/agentform/agentform/pkg/provider"
	"github.com/agentform/agentform/pkg/spec"
	"github.com/agentform/agentform/pkg/value"
)

// Targets turns the KrosAIAccount documents of a manifest set into targets:
// knowledge bases with their documents, and voice agents.
func Targets(set *spec.Set) ([]*provider.Target, error) {
	out := make([]*provider.Target, 0, len(set.Accounts))
	for _, a := range set.Accounts {
		t, err := Target(a)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Target turns one KrosAIAccount document into a target whose id is the
// account's name. A knowledge base that lists documents owns its documents
// (the live ones it does not list are reported: the API cannot delete
// them); one that lists none leaves them alone.
func Target(a *spec.KrosAIAccount) (*provider.Target, error) {
	tokenEnv := a.TokenEnv
	if tokenEnv == "" {
		tokenEnv = spec.DefaultKrosAITokenEnv
	}
	t := &provider.Target{Kind: TargetKind, ID: a.Name, TokenEnv: tokenEnv, Pos: a.Pos, Prune: a.Prune}
	for _, kb := range a.KnowledgeBases {
		t.Objects = append(t.Objects, desiredKnowledgeBase(kb))
	}
	for _, ag := range a.Agents {
		d, err := desiredAgent(ag)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: KrosAI account %s: agent %q: %w", a.Pos.File, ag.Pos.Line, a.Name, ag.Name, err)
		}
		t.Objects = append(t.Objects, d)
	}
	return t, nil
}

// desiredKnowledgeBase is a declared knowledge base with its documents.
func desiredKnowledgeBase(kb *spec.KnowledgeBase) *provider.Desired {
	fields := value.Map{"name": kb.Name}
	if kb.Description != "" {
		fields["description"] = kb.Description
	}
	d := &provider.Desired{Kind: KindKnowledgeBase, Name: kb.Name, Fields: fields, Pos: kb.Pos,
		Owns: map[string]bool{KindDocument: kb.DocumentsDeclared}, Sources: spec.NewSources(map[string]spec.Pos{"name": kb.Pos})}
	for _, doc := range kb.Documents {
		name := UploadName(doc.Name, doc.SHA256)
		d.Children = append(d.Children, &provider.Desired{Kind: KindDocument, Name: name, Pos: doc.Pos,
			Fields:  value.Map{"name": name, "size": float64(doc.Size)},
			Sources: spec.NewSources(map[string]spec.Pos{"name": doc.Pos, "size": doc.Pos})})
	}
	return d
}

// desiredAgent is a declared voice agent: its settings in JSON types, with
// the knowledge bases named ({name: ...} becomes the name the engine
// resolves).
func desiredAgent(a *spec.KrosAgent) (*provider.Desired, error) {
	fields, err := value.MapOf(a.Settings)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	fields["name"] = a.Name
	if raw, ok := fields["knowledge_base_ids"]; ok {
		names, err := knowledgeBaseNames(raw)
		if err != nil {
			return nil, err
		}
		fields["knowledge_base_ids"] = names
	}
	return &provider.Desired{Kind: KindAgent, Name: a.Name, PinnedID: a.PinnedID, Fields: fields, Pos: a.Pos, Sources: a.Sources}, nil
}

// knowledgeBaseNames turns a declared knowledge_base_ids list into the
// names it references. A literal id is refused: agentform manages the
// account's knowledge bases by name, and plans show and resolve names.
func knowledgeBaseNames(raw any) ([]any, error) {
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("knowledge_base_ids: want a list, got %T", raw)
	}
	out := make([]any, len(list))
	for i, item := range list {
		switch v := item.(type) {
		case value.Map:
			name, _ := v["name"].(string)
			if name == "" {
				return nil, fmt.Errorf("knowledge_base_ids[%d]: want {name: ...}", i)
			}
			out[i] = name
		case string:
			return nil, fmt.Errorf("knowledge_base_ids[%d]: %q is a literal id; name the knowledge base instead ({name: ...}): "+
				"agentform knows the account's knowledge bases by name", i, v)
		default:
			return nil, fmt.Errorf("knowledge_base_ids[%d]: want {name: ...}, got %T", i, item)
		}
	}
	return out, nil
}

// digestLen is how many hex digits of a document's SHA-256 its upload name
// carries: enough that a changed file gets a new name (a clash is one in
// four billion per change), short enough to read.
const digestLen = 8

// maxUploadName is the longest file name KrosAI accepts (in characters).
const maxUploadName = 255

// UploadName is the name a document is uploaded under, and so known by:
// its file name with the first digestLen hex digits of its SHA-256 before
// the extension ("faq.md" with digest 3f2a9c1b... is "faq.3f2a9c1b.md"). The
// API returns no digest, so the name is what carries it: a live document
// with this name holds this content, and a changed file has a new name. A
// long name is shortened before the digest to stay within 255 characters.
func UploadName(fileName, sha256Hex string) string {
	ext := path.Ext(fileName)
	stem := strings.TrimSuffix(fileName, ext)
	tag := "." + strings.ToLower(sha256Hex[:min(digestLen, len(sha256Hex))])
	for utf8.RuneCountInString(stem)+len(tag)+utf8.RuneCountInString(ext) > maxUploadName && stem != "" {
		_, size := utf8.DecodeLastRuneInString(stem)
		stem = stem[:len(stem)-size]
	}
	return stem + tag + ext
}

// uploadNamePattern matches an upload name: a stem, the digest, an
// extension.
var uploadNamePattern = regexp.MustCompile(`^.*\.([0-9a-f]{8})\.[^.]+$`)

// digestTag returns the digest an upload name carries.
func digestTag(name string) (string, bool) {
	m := uploadNamePattern.FindStringSubmatch(name)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// checkUpload refuses content that is not what the plan named: its digest
// must start with the name's and its size must be the planned one.
func checkUpload(name string, size int64, content []byte) error {
	tag, ok := digestTag(name)
	if !ok {
		return fmt.Errorf("document %s: not an upload name", name)
	}
	sum := sha256.Sum256(content)
	if !strings.HasPrefix(hex.EncodeToString(sum[:]), tag) || int64(len(content)) != size {
		return fmt.Errorf("document %s: the file's content is not the one planned (plan again)", name)
	}
	return nil
}

// Uploads returns the documents of the account named account in set, by
// upload name: the Session's Uploads for apply.
func Uploads(set *spec.Set, account string) map[string]Upload {
	out := map[string]Upload{}
	for _, a := range set.Accounts {
		if a.Name != account {
			continue
		}
		for _, kb := range a.KnowledgeBases {
			for _, d := range kb.Documents {
				out[UploadName(d.Name, d.SHA256)] = d
			}
		}
	}
	return out
}
