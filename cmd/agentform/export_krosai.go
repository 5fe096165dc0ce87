package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/agentform/agentform/pkg/provider/krosai"
	"github.com/agentform/agentform/pkg/spec"
)

// exportKrosAIFlags are export's flags for --krosai.
type exportKrosAIFlags struct {
	account, tokenEnv, outDir string
	tokenEnvSet               bool // --token-env was given
	locations                 bool // --location or --locations-file was given
}

// defaultExportAccount names the exported account when --account is not
// given: the account "sandbox token --krosai" mints a key of by default.
const defaultExportAccount = defaultKrosAIAccount

// runExportKrosAI is "export --krosai": one KrosAI account (the one the key
// in --token-env belongs to) written as a KrosAIAccount manifest.
func (g *globals) runExportKrosAI(ctx context.Context, f exportKrosAIFlags) error {
	g.readOnly = true
	if f.locations {
		return errors.New("--krosai exports the KrosAI account of one API key: --location and --locations-file are for HighLevel")
	}
	if !f.tokenEnvSet {
		f.tokenEnv = spec.DefaultKrosAITokenEnv
	}
	if !envNamePattern.MatchString(f.tokenEnv) {
		return errors.New("--token-env must name an environment variable (such as KROSAI_API_KEY), not hold the key itself")
	}
	if strings.TrimSpace(f.account) == "" {
		return errors.New("--account: the KrosAI account's name is empty")
	}
	acct, err := g.krosaiAccount(f.account, f.tokenEnv)
	if err != nil {
		return err
	}
	res, err := krosai.Export(ctx, acct, krosai.ExportOptions{Account: f.account, TokenEnv: f.tokenEnv,
		SchemaPath: "../schemas/krosai-account.schema.json"})
	if err != nil {
		return withCode(exitError1, fmt.Errorf("KrosAI account %s: %w", f.account, err))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(g.stderr, "warning: KrosAI account %s: %s\n", f.account, w)
	}
	if f.outDir == "" {
		_, err := g.stdout.Write(res.YAML)
		return err
	}
	path := filepath.Join(f.outDir, fileSlug(f.account)+".yaml")
	if err := writeFileAtomic(path, res.YAML); err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "wrote %s\n", path)
	return nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// fileSlug turns an account name into a file name: lower case, runs of
// other characters as one "-" ("Acme Voice" → "acme-voice").
func fileSlug(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		return "krosai-account"
	}
	return s
}
