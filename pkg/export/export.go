// Package export turns the live state of a location into a manifest: the way
// to adopt a location that was configured by hand. A manifest written by
// Location plans with no changes against the state it was read from.
//
// The manifest pins every agent to its live id (`id:`), names the agents
// that actions transfer to, and names the location's workflows, calendars,
// custom fields, users and knowledge bases that actions and agents hold by
// id ({name: ...}; a user by {email: ...} when names repeat), wherever an id
// is the only object with its name (see names.go). Lookup lists are read
// only for kinds whose ids the agents hold, once each per location.
package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/provider/highlevel"
	"github.com/agentform/agentform/pkg/spec"
)

// Reader is what export needs from the API: the planner's reads of agents
// and actions, and the lookup lists; *api.Location implements it.
type Reader interface {
	highlevel.Reader
	highlevel.Lookups
}

var _ Reader = (*api.Location)(nil)

// Options describe the location being exported.
type Options struct {
	LocationID string
	Name       string // location.name, for humans; defaults to the location id
	// TokenEnv is the manifest's tokenEnv; "" declares none (agency mode
	// then mints the location's token from the agency credential).
	TokenEnv string
	// SchemaPath is written in the yaml-language-server comment on top.
	SchemaPath string
	// RawIDs keeps the ids of workflows, calendars, custom fields, users and
	// knowledge bases as they are, reading no lookup list.
	RawIDs bool
}

// Result is one exported manifest.
type Result struct {
	YAML []byte
	// Warnings are things the manifest cannot say exactly (for example two
	// follow-up actions of one agent with different settings).
	Warnings []string
}

// agentFieldOrder is the order of agent fields in a manifest: the order of
// CreateEmployeeDto. isPrimary is left out: the service owns it.
var agentFieldOrder = []string{
	"businessName", "mode", "channels", "waitTime", "waitTimeUnit", "sleepEnabled",
	"sleepTime", "sleepTimeUnit", "personality", "goal", "instructions",
	"autoPilotMaxMessages", "knowledgeBaseIds", "respondToImages", "respondToAudio",
	"sleepOnManualMessage", "sleepOnWorkflowMessage",
}

// followupFieldOrder is the order of follow-up settings fields.
var followupFieldOrder = []string{"dynamicChannelSwitching", "followUpHours", "timezoneToUse", "workingHours"}

// Location reads every agent of a location with its actions and follow-up
// settings and renders them as a manifest.
func Location(ctx context.Context, r Reader, opts Options) (*Result, error) {
	summaries, err := r.AllAgents(ctx)
	if err != nil {
		return nil, fmt.Errorf("list agents of location %s: %w", opts.LocationID, err)
	}
	sort.SliceStable(summaries, func(i, j int) bool { return summaries[i].Name < summaries[j].Name })
	names := make(map[string]string, len(summaries))
	byName := map[string][]string{}
	for _, s := range summaries {
		names[s.ID] = s.Name
		byName[s.Name] = append(byName[s.Name], s.ID)
	}
	for _, s := range summaries {
		if problem := spec.NameProblem(s.Name); problem != "" {
			return nil, fmt.Errorf("location %s: agent %q (%s): %s; rename it in HighLevel first", opts.LocationID, s.Name, s.ID, problem)
		}
		if ids := byName[s.Name]; len(ids) > 1 {
			return nil, fmt.Errorf("location %s: %d agents are named %q (ids %s); a manifest knows agents by name, so rename all but one in HighLevel first",
				opts.LocationID, len(ids), s.Name, strings.Join(ids, ", "))
		}
	}
	res := &Result{}
	read := make([]*liveAgent, 0, len(summaries))
	for _, s := range summaries {
		agent, err := r.GetAgent(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("read agent %q (%s): %w", s.Name, s.ID, err)
		}
		actions, err := r.ListActions(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("list actions of agent %q (%s): %w", s.Name, s.ID, err)
		}
		la, err := decodeAgent(agent, actions)
		if err != nil {
			return nil, fmt.Errorf("agent %q (%s): %w", s.Name, s.ID, err)
		}
		read = append(read, la)
	}
	if !opts.RawIDs {
		warnings, err := nameLookups(ctx, r, read)
		if err != nil {
			return nil, fmt.Errorf("location %s: %w", opts.LocationID, err)
		}
		res.Warnings = append(res.Warnings, warnings...)
	}
	agents := &yaml.Node{Kind: yaml.SequenceNode}
	for _, la := range read {
		node, warnings := agentNode(la, names)
		res.Warnings = append(res.Warnings, warnings...)
		agents.Content = append(agents.Content, node)
	}
	doc := locationNode(opts, agents)
	var buf bytes.Buffer
	if opts.SchemaPath != "" {
		fmt.Fprintf(&buf, "# yaml-language-server: $schema=%s\n", opts.SchemaPath)
	}
	fmt.Fprintf(&buf, "# Exported by agentform from location %s. Review before committing.\n", opts.LocationID)
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

func locationNode(opts Options, agents *yaml.Node) *yaml.Node {
	name := opts.Name
	if name == "" {
		name = opts.LocationID
	}
	loc := mapping(
		"id", str(opts.LocationID),
		"name", text(name),
	)
	if opts.TokenEnv != "" {
		loc.Content = append(loc.Content, str("tokenEnv"), str(opts.TokenEnv))
	}
	return mapping(
		"apiVersion", str(spec.APIVersion),
		"kind", str(spec.KindLocation),
		"location", loc,
		"prune", scalar("false", "!!bool"),
		"agents", agents,
	)
}

// liveAgent is one live agent as export works on it: its settings and its
// actions' details in JSON types, which nameLookups rewrites in place.
type liveAgent struct {
	agent    *api.Agent
	settings map[string]any
	actions  []liveAction // sorted by name
}

// liveAction is one live action with its details decoded.
type liveAction struct {
	action  api.Action
	details map[string]any
}

// decodeAgent decodes an agent's settings and its actions' details, and
// refuses names a manifest cannot hold.
func decodeAgent(agent *api.Agent, actions []api.Action) (*liveAgent, error) {
	settings, err := toMap(agent.AgentSettings)
	if err != nil {
		return nil, err
	}
	la := &liveAgent{agent: agent, settings: settings}
	sort.SliceStable(actions, func(i, j int) bool { return actions[i].Name < actions[j].Name })
	for _, a := range actions {
		if problem := spec.NameProblem(a.Name); problem != "" {
			return nil, fmt.Errorf("action %q (%s): %s; rename it in HighLevel first", a.Name, a.ID, problem)
		}
		details := map[string]any{}
		if len(a.Details) > 0 {
			if err := json.Unmarshal(a.Details, &details); err != nil {
				return nil, fmt.Errorf("action %q: decode details: %w", a.Name, err)
			}
			if details == nil {
				details = map[string]any{}
			}
		}
		delete(details, "actionId") // server-owned
		la.actions = append(la.actions, liveAction{action: a, details: details})
	}
	return la, nil
}

// agentNode renders one agent, pinned to its live id, with its actions and
// follow-up block. names maps the location's agent ids to their names.
func agentNode(la *liveAgent, names map[string]string) (*yaml.Node, []string) {
	agent := la.agent
	node := mapping("name", text(agent.Name), "id", str(agent.ID))
	for _, key := range agentFieldOrder {
		v, ok := la.settings[key]
		if !ok {
			continue
		}
		if key == "sleepEnabled" && v == false {
			continue // deprecated; only worth saying when on
		}
		node.Content = append(node.Content, str(key), valueNode(key, v))
	}
	list := &yaml.Node{Kind: yaml.SequenceNode}
	var warnings []string
	type followup struct {
		settings map[string]any
		actions  []string
	}
	var groups []*followup
	for _, act := range la.actions {
		a, details := act.action, act.details
		if ref, ok := api.AgentReferenceKey(a.Type); ok {
			if id, ok := details[ref].(string); ok && id != "" {
				if name, known := names[id]; known {
					details[ref] = name
				} else {
					warnings = append(warnings, fmt.Sprintf("agent %q action %q: %s names unknown agent id %s", agent.Name, a.Name, ref, id))
				}
			}
		}
		if fs, ok := details["followupSettings"].(map[string]any); ok {
			delete(details, "followupSettings")
			placed := false
			for _, g := range groups {
				if equalJSON(g.settings, fs) {
					g.actions = append(g.actions, a.Name)
					placed = true
					break
				}
			}
			if !placed {
				groups = append(groups, &followup{settings: fs, actions: []string{a.Name}})
			}
		}
		list.Content = append(list.Content, mapping(
			"name", text(a.Name),
			"type", str(a.Type),
			"details", valueNode("details", details),
		))
	}
	node.Content = append(node.Content, str("actions"), list)
	if len(groups) > 0 {
		sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].actions) > len(groups[j].actions) })
		g := groups[0]
		for _, other := range groups[1:] {
			warnings = append(warnings, fmt.Sprintf("agent %q: follow-up actions %s have other settings than %s; only the latter are exported",
				agent.Name, strings.Join(other.actions, ", "), strings.Join(g.actions, ", ")))
		}
		fu := mapping("actions", valueNode("actions", stringsToAny(g.actions)))
		for _, key := range followupFieldOrder {
			if v, ok := g.settings[key]; ok {
				fu.Content = append(fu.Content, str(key), valueNode(key, v))
			}
		}
		node.Content = append(node.Content, str("followup"), fu)
	}
	return node, warnings
}

// valueNode renders a JSON value; long or multi-line strings become literal
// block scalars, integral numbers are written without a fraction.
func valueNode(key string, v any) *yaml.Node {
	switch t := v.(type) {
	case nil:
		return scalar("null", "!!null")
	case string:
		n := text(t)
		if strings.Contains(t, "\n") && !strings.ContainsAny(t, "\t") && !hasTrailingSpace(t) {
			n.Style = yaml.LiteralStyle
		}
		return n
	case bool:
		return scalar(strconv.FormatBool(t), "!!bool")
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return scalar(strconv.FormatInt(int64(t), 10), "!!int")
		}
		return scalar(strconv.FormatFloat(t, 'g', -1, 64), "!!float")
	case selector:
		m := mapping(t.field, text(t.value))
		m.Style = yaml.FlowStyle
		return m
	case []any:
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		flow := true
		for _, item := range t {
			switch item.(type) {
			case string, selector:
			default:
				flow = false
			}
			seq.Content = append(seq.Content, valueNode(key, item))
		}
		if flow && len(t) > 0 && len(t) <= 8 {
			seq.Style = yaml.FlowStyle
		}
		return seq
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range keys {
			m.Content = append(m.Content, str(k), valueNode(k, t[k]))
		}
		return m
	default:
		return str(fmt.Sprint(t))
	}
}

func hasTrailingSpace(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") {
			return true
		}
	}
	return false
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

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func scalar(v, tag string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}
