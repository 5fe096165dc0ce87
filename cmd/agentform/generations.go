package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/agentform/agentform/pkg/api"
	"github.com/agentform/agentform/pkg/generations"
	"github.com/agentform/agentform/pkg/spec"
)

func init() { commandAdders = append(commandAdders, newGenerationsCmd) }

func newGenerationsCmd(g *globals) *cobra.Command {
	var (
		location, messageID, idsFile, source, tokenEnv string
		parallelism                                    int
	)
	cmd := &cobra.Command{
		Use:   "generations --location ID (--message-id ID | --message-ids-file FILE) [--source conversation|workflow]",
		Short: "Print what the AI saw and answered for messages (QA and compliance exports)",
		Long: `generations fetches the generation details of one message and prints them as JSON,
or of every message id in a file (one per line) and prints JSON Lines: one
record per message, failures as records with the message id and the error.`,
		Example: `  agentform generations --location ve9EPM428h8vShlRW1KT --message-id msg123
  agentform generations --location ve9EPM428h8vShlRW1KT --message-ids-file ids.txt > generations.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			g.readOnly = true
			if location == "" {
				return fmt.Errorf("--location is required")
			}
			if (messageID == "") == (idsFile == "") {
				return fmt.Errorf("give exactly one of --message-id and --message-ids-file")
			}
			if source != api.SourceConversation && source != api.SourceWorkflow {
				return fmt.Errorf("--source %q: want conversation or workflow", source)
			}
			if !envNamePattern.MatchString(tokenEnv) {
				return errTokenEnvName
			}
			client, err := g.apiClient()
			if err != nil {
				return err
			}
			loc, err := g.location(cmd.Context(), client, location, tokenEnv)
			if err != nil {
				return err
			}
			if messageID != "" {
				gen, err := loc.GetGeneration(cmd.Context(), messageID, source)
				if err != nil {
					return fmt.Errorf("message %s: %w", messageID, err)
				}
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(gen)
			}
			ids, err := readIDs(idsFile)
			if err != nil {
				return err
			}
			records := generations.Fetch(cmd.Context(), loc, ids, source, parallelism)
			if err := generations.WriteJSONLines(json.NewEncoder(g.stdout), records); err != nil {
				return err
			}
			failed := 0
			for _, r := range records {
				if r.Error != "" {
					failed++
				}
			}
			fmt.Fprintf(g.stderr, "%d messages, %d failed\n", len(records), failed)
			if failed > 0 {
				return withCode(exitError1, nil)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&location, "location", "", "location id (its token comes from --token-env)")
	f.StringVar(&messageID, "message-id", "", "message id")
	f.StringVar(&idsFile, "message-ids-file", "", "file with one message id per line")
	f.StringVar(&source, "source", api.SourceConversation, "where the message came from: conversation or workflow")
	f.StringVar(&tokenEnv, "token-env", spec.DefaultTokenEnv, "environment variable holding the location's token")
	f.IntVar(&parallelism, "parallelism", 8, "messages fetched at once (within the location's rate limit)")
	g.addEndpointFlags(cmd)
	return cmd
}

// readIDs reads a message-ids file: one id per line.
func readIDs(path string) ([]string, error) {
	lines, err := readListFile(path, "--message-ids-file")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.text
	}
	return ids, nil
}
