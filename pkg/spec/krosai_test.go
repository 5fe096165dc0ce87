package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestKrosAIDocumentOutsideTheTree: a document is uploaded to a third
// party, so it must lie inside the folders being loaded.
func TestKrosAIDocumentOutsideTheTree(t *testing.T) {
	fsys := fstest.MapFS{
		"t/acct.yaml": {Data: []byte(krosHead(krosAccount + "knowledgeBases:\n  - name: FAQ\n    documents: [../secret.md]\n"))},
		"secret.md":   {Data: []byte("SECRETCONTENT")},
	}
	_, err := LoadFS(fsys, "t")
	var ds Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("LoadFS = %v, want Diagnostics", err)
	}
	want := "t/acct.yaml:7:17: knowledgeBases[0].documents[0]: secret.md is outside the folders being loaded; documents must be inside them"
	if got := ds.String(); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
}

// TestKrosAIAccountWithLocations: both kinds load from one folder, even one
// file; the account's documents count in Files and the digest, and Read
// returns a document's content only while it is unchanged.
func TestKrosAIAccountWithLocations(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "fleet/acme.yaml", head+"---\n"+krosHead(krosAccount+"knowledgeBases:\n  - name: FAQ\n    documents: [docs/faq.md]\n"))
	write(t, dir, "fleet/docs/faq.md", "# FAQ\n")
	t.Chdir(dir)
	set, err := Load("fleet")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(set.Locations) != 1 || len(set.Accounts) != 1 {
		t.Fatalf("%d locations, %d accounts; want 1 and 1", len(set.Locations), len(set.Accounts))
	}
	doc := set.Accounts[0].KnowledgeBases[0].Documents[0]
	path := filepath.Join("fleet", "docs", "faq.md")
	if doc.Path != path || doc.Name != "faq.md" || doc.Size != 6 || len(doc.SHA256) != 64 {
		t.Errorf("document = %+v", doc)
	}
	if !strings.Contains(strings.Join(set.Files, " "), path) {
		t.Errorf("Files = %v, want %s among them", set.Files, path)
	}
	if data, err := doc.Read(); err != nil || string(data) != "# FAQ\n" {
		t.Errorf("Read = %q, %v", data, err)
	}
	if err := os.WriteFile(path, []byte("# FAQ, edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Read(); err == nil || !strings.Contains(err.Error(), "changed since the manifests were loaded") {
		t.Errorf("Read of a changed document = %v, want a refusal", err)
	}
	again, err := Load("fleet")
	if err != nil {
		t.Fatal(err)
	}
	if again.Digest == set.Digest {
		t.Error("digest did not change when a document changed")
	}
}

// TestKrosAIReferenceTypoWarns: a name reference close to a declared
// knowledge base is probably a typo; it may still exist live, so it warns.
func TestKrosAIReferenceTypoWarns(t *testing.T) {
	fsys := fstest.MapFS{"acct.yaml": {Data: []byte(krosHead(krosAccount + "knowledgeBases: [{name: Product FAQ}]\nagents:\n  - name: A\n    knowledge_base_ids: [{name: Product FQA}, {name: Elsewhere}]\n"))}}
	set, err := LoadFS(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	want := `acct.yaml:8:26: agents[0].knowledge_base_ids[0]: no knowledge base named "Product FQA" in this document (did you mean "Product FAQ"?); plan looks it up among the account's live knowledge bases`
	if got := set.Warnings.String(); got != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", got, want)
	}
}
