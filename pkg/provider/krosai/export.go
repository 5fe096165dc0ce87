package krosai

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/spec"
)

// ExportOptions describe the account being exported.
type ExportOptions struct {
	// Account is the manifest's account.name (the API has no account name).
	Account string
	// TokenEnv is the manifest's account.tokenEnv (default
	// spec.DefaultKrosAITokenEnv).
	TokenEnv string
	// SchemaPath is written in the yaml-language-server comment on top.
	SchemaPath string
}

// ExportResult is one exported manifest.
type ExportResult struct {
	YAML []byte
	// Warnings are what the manifest cannot say (documents, whose contents
	// the API cannot download).
	Warnings []string
}

// Export reads the knowledge bases (with their documents) and voice agents
// of an account and renders them as a KrosAIAccount manifest that plans to
// no changes against the state it was read from: knowledge bases by name
// and description, agents with every field the API returns (null ones left
// out) and knowledge_base_ids as {name: ...}.
//
// The API cannot download a document, so a manifest cannot list one (a
// listed document is a file to upload). Each knowledge base says its live
// documents in a comment instead, and lists no documents: such a knowledge
// base leaves its documents alone (plan reports them). Names the manifest
// could not hold apart (two knowledge bases or agents with one name, names
// with doubled spaces or line breaks) and agents naming a knowledge base
// the account does not list are errors: the manifest would not plan.
func Export(ctx context.Context, r Reader, opts ExportOptions) (*ExportResult, error) {
	if opts.Account == "" {
		return nil, fmt.Errorf("export: an account name is needed")
	}
	if opts.TokenEnv == "" {
		opts.TokenEnv = spec.DefaultKrosAITokenEnv
	}
	kbs, err := r.ListKnowledgeBases(ctx)
	if err != nil {
		return nil, fmt.Errorf("list knowledge bases: %w", err)
	}
	agents, err := r.ListAgents(ctx)
	if err != nil {
		return nil, fmt.Errorf("list voice agents: %w", err)
	}
	sort.SliceStable(kbs, func(i, j int) bool { return kbs[i].Name < kbs[j].Name })
	sort.SliceStable(agents, func(i, j int) bool { return agents[i].Name < agents[j].Name })
	kbNames := map[string]string{}
	var kbPairs, agentPairs []namedID
	for _, kb := range kbs {
		kbNames[kb.ID] = kb.Name
		kbPairs = append(kbPairs, namedID{kb.Name, kb.ID})
	}
	for _, a := range agents {
		agentPairs = append(agentPairs, namedID{a.Name, a.ID})
	}
	if err := checkNames("knowledge base", kbPairs, "the API cannot rename knowledge bases: rename them in KrosAI first"); err != nil {
		return nil, err
	}
	if err := checkNames("voice agent", agentPairs, "rename them in KrosAI first"); err != nil {
		return nil, err
	}

	res := &ExportResult{}
	kbList := &yaml.Node{Kind: yaml.SequenceNode}
	for _, kb := range kbs {
		docs, err := r.ListDocuments(ctx, kb.ID)
		if err != nil {
			return nil, fmt.Errorf("list documents of knowledge base %q (%s): %w", kb.Name, kb.ID, err)
		}
		node := mapping("name", text(kb.Name))
		if kb.Description != nil {
			node.Content = append(node.Content, str("description"), text(*kb.Description))
		}
		if len(docs) > 0 {
			node.Content[len(node.Content)-1].FootComment = documentsComment(docs)
			res.Warnings = append(res.Warnings, fmt.Sprintf("knowledge base %q: %d %s not exported: the API cannot download their contents (listed in a comment)",
				kb.Name, len(docs), plural(len(docs), "document", "documents")))
		}
		kbList.Content = append(kbList.Content, node)
	}
	agentList := &yaml.Node{Kind: yaml.SequenceNode}
	for i := range agents {
		node, err := agentNode(&agents[i], kbNames)
		if err != nil {
			return nil, err
		}
		agentList.Content = append(agentList.Content, node)
	}

	doc := mapping(
		"apiVersion", str(spec.APIVersion),
		"kind", str(spec.KindKrosAIAccount),
		"account", mapping("name", text(opts.Account), "tokenEnv", str(opts.TokenEnv)),
		"prune", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"},
		"knowledgeBases", kbList,
		"agents", agentList,
	)
	var buf bytes.Buffer
	if opts.SchemaPath != "" {
		fmt.Fprintf(&buf, "# yaml-language-server: $schema=%s\n", opts.SchemaPath)
	}
	fmt.Fprintf(&buf, "# Exported by agentform from KrosAI account %s. Review before committing.\n", strings.ReplaceAll(opts.Account, "\n", " "))
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	res.YAML = buf.Bytes()
	return res, nil
}

// namedID is a live object's name and id.
type namedID struct{ name, id string }

// checkNames refuses names a manifest cannot hold apart: shared by two
// objects, or with doubled spaces, tabs or line breaks.
func checkNames(what string, all []namedID, fix string) error {
	ids := map[string][]string{}
	for _, o := range all {
		if problem := spec.NameProblem(o.name); problem != "" {
			return fmt.Errorf("%s %q (%s): %s; %s", what, o.name, o.id, strings.Replace(problem, "HighLevel", "a manifest", 1), fix)
		}
		ids[o.name] = append(ids[o.name], o.id)
	}
	for _, o := range all {
		if n := len(ids[o.name]); n > 1 {
			return fmt.Errorf("%d %ss are named %q (ids %s); a manifest knows them by name, so %s",
				n, what, o.name, strings.Join(ids[o.name], ", "), fix)
		}
	}
	return nil
}

// documentsComment says a knowledge base's live documents, which the
// manifest cannot list.
func documentsComment(docs []kapi.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d live %s, not exported (the API cannot download them). To manage a\n", len(docs), plural(len(docs), "document", "documents"))
	b.WriteString("knowledge base's documents, list their files under documents: (each is\n")
	b.WriteString("uploaded as <name>.<digest>.<ext>; live ones not listed stay):\n")
	for _, d := range docs {
		fmt.Fprintf(&b, "  %s (%d bytes, %s)\n", strings.ReplaceAll(d.Name, "\n", " "), d.Size, d.Status)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// agentNode renders one agent: its API fields in create order, null ones
// left out, knowledge bases by name.
func agentNode(a *kapi.Agent, kbNames map[string]string) (*yaml.Node, error) {
	fields := AgentFields(a)
	node := mapping("name", text(a.Name))
	for _, key := range agentFields[1:] {
		v, ok := fields[key]
		if !ok {
			continue
		}
		if key == "knowledge_base_ids" {
			ids := a.KnowledgeBaseIDs
			seq := &yaml.Node{Kind: yaml.SequenceNode}
			for _, id := range ids {
				name, known := kbNames[id]
				if !known {
					return nil, fmt.Errorf("voice agent %q (%s): knowledge base %s is not among the account's knowledge bases", a.Name, a.ID, id)
				}
				ref := mapping("name", text(name))
				ref.Style = yaml.FlowStyle
				seq.Content = append(seq.Content, ref)
			}
			if len(ids) <= 4 {
				seq.Style = yaml.FlowStyle
			}
			node.Content = append(node.Content, str(key), seq)
			continue
		}
		node.Content = append(node.Content, str(key), block(v.(string)))
	}
	return node, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i < len(kv); i += 2 {
		m.Content = append(m.Content, str(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}

// text is a string from live state: "${" is written "$${" so the loader does
// not read it as a variable.
func text(s string) *yaml.Node { return str(strings.ReplaceAll(s, "${", "$${")) }

// block is text, as a literal block scalar when it holds line breaks and
// reads back the same.
func block(s string) *yaml.Node {
	n := text(s)
	if strings.Contains(s, "\n") && !strings.ContainsAny(s, "\t\r") && !hasTrailingSpace(s) {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func hasTrailingSpace(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") {
			return true
		}
	}
	return false
}

func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
