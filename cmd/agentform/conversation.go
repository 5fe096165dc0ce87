package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	kapi "github.com/agentform/agentform/pkg/api/krosai"
	"github.com/agentform/agentform/pkg/provider/krosai"
)

func init() { commandAdders = append(commandAdders, newConversationCmd) }

// conversationOutput is what conversation prints: never the room token.
type conversationOutput struct {
	Account  string `json:"account"`
	Agent    string `json:"agent"`
	ID       string `json:"id"`
	AgentID  string `json:"agent_id"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	RoomName string `json:"room_name"`
	RoomURL  string `json:"room_url"`
}

func newConversationCmd(g *globals) *cobra.Command {
	var agent, account, title, format string
	cmd := &cobra.Command{
		Use:   "conversation PATH... --agent NAME",
		Short: "Open a conversation with a managed KrosAI voice agent (a deploy's smoke test)",
		Long: "conversation loads the manifests at PATH, finds the KrosAI voice agent named --agent (in the\n" +
			"account --account names, when several declare it), looks up its live id and opens a conversation\n" +
			"with it (POST /v1/conversations). It prints the conversation's id, agent_id, status and LiveKit room\n" +
			"name and URL, never the room's token.\n\n" +
			"Exit status: 0 the conversation is active; 1 otherwise (no such agent, not live, an API error, or a\n" +
			"conversation that is not active).",
		Example: `  agentform conversation examples/krosai --agent "Front Desk Voice" --sandbox
  KROSAI_API_KEY_ACME=... agentform conversation accounts/ --agent Support --title "Deploy check" --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if agent == "" {
				return fmt.Errorf("name the voice agent with --agent NAME")
			}
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			set, err := g.loadManifests(args)
			if err != nil {
				return err
			}
			acct, declared, err := krosai.DeclaredAgent(set, account, agent)
			if err != nil {
				return err
			}
			api, err := g.krosaiAccount(acct.Name, acct.TokenEnv)
			if err != nil {
				return err
			}
			conv, err := krosai.OpenConversation(cmd.Context(), api, declared, title)
			if conv != nil {
				g.secrets.Add(conv.Token.Reveal())
				if perr := g.printConversation(format, acct.Name, declared.Name, conv); perr != nil {
					return perr
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&agent, "agent", "", "name of the voice agent, as the manifests declare it (required)")
	f.StringVar(&account, "account", "", "name of the KrosAI account, when several declare the agent")
	f.StringVar(&title, "title", "", "the conversation's title (default: the API's, \"New Conversation\")")
	f.StringVar(&format, "format", "text", "output format: text or json")
	g.addKrosAIEndpointFlag(cmd)
	return cmd
}

// printConversation writes a conversation without its token.
func (g *globals) printConversation(format, account, agent string, c *kapi.Conversation) error {
	out := conversationOutput{Account: account, Agent: agent, ID: c.ID, AgentID: c.AgentID, Title: c.Title,
		Status: c.Status, RoomName: c.RoomName, RoomURL: c.RoomURL}
	if format == "json" {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	_, err := fmt.Fprintf(g.stdout, "Conversation %s with voice agent %q (KrosAI account %s)\n"+
		"  id:        %s\n  agent_id:  %s\n  title:     %s\n  status:    %s\n  room_name: %s\n  room_url:  %s\n",
		out.ID, out.Agent, out.Account, out.ID, out.AgentID, out.Title, out.Status, out.RoomName, out.RoomURL)
	return err
}
