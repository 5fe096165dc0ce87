//go:build unix

package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadWithin runs Load in a goroutine and fails the test if it has not
// returned within 5 seconds: a hostile file must never hang a load.
func loadWithin(t *testing.T, paths ...string) (*Set, error) {
	t.Helper()
	type result struct {
		set *Set
		err error
	}
	done := make(chan result, 1)
	go func() {
		set, err := Load(paths...)
		done <- result{set, err}
	}()
	select {
	case r := <-done:
		return r.set, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("Load(%v) still running after 5s", paths)
		return nil, nil
	}
}

// TestLoadRefusesHostileFiles: files that are not regular, too large, or
// symbolic links leaving the tree are refused by name, quickly, and their
// content is never read into a message.
func TestLoadRefusesHostileFiles(t *testing.T) {
	const secret = "apiVersion: agentform/v1\nkind: Location\nlocation: {id: SECRETCONTENT}\nnope: SECRETCONTENT\n"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // dir is the tree; its parent is outside
		arg   string                         // relative to dir's parent
		want  string
	}{
		{"FIFO among the manifests", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "tree", "tree/pipe.yaml: is a named pipe (FIFO), not a regular file; agentform reads only regular files"},
		{"FIFO given by name", func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "tree/pipe.yaml", "tree/pipe.yaml: is a named pipe (FIFO), not a regular file; agentform reads only regular files"},
		{"link to /dev/zero", func(t *testing.T, dir string) {
			symlink(t, "/dev/zero", filepath.Join(dir, "evil.yaml"))
		}, "tree", "tree/evil.yaml: is a symbolic link leading outside the folders being loaded; links are followed only inside them"},
		{"/dev/zero given by name", nil, "/dev/zero", "/dev/zero: is a device, not a regular file; agentform reads only regular files"},
		{"link leaving the tree", func(t *testing.T, dir string) {
			write(t, filepath.Dir(dir), "outside.yaml", secret)
			symlink(t, "../outside.yaml", filepath.Join(dir, "evil.yaml"))
		}, "tree", "tree/evil.yaml: is a symbolic link leading outside the folders being loaded; links are followed only inside them"},
		{"link leaving a file argument's folder", func(t *testing.T, dir string) {
			write(t, filepath.Dir(dir), "outside.yaml", secret)
			symlink(t, "../outside.yaml", filepath.Join(dir, "evil.yaml"))
		}, "tree/evil.yaml", "tree/evil.yaml: is a symbolic link leading outside the folders being loaded; links are followed only inside them"},
		{"folder link leaving the tree", func(t *testing.T, dir string) {
			write(t, filepath.Dir(dir), "elsewhere/bases/desk.yaml", secret)
			symlink(t, "../elsewhere/bases", filepath.Join(dir, "bases"))
			write(t, dir, "loc.yaml", agentA+"    base: desk\n")
		}, "tree", "tree/bases/desk.yaml: passes through symbolic link tree/bases, which leads outside the folders being loaded; links are followed only inside them"},
		{"over-size manifest", func(t *testing.T, dir string) {
			write(t, dir, "big.yaml", head+"# "+strings.Repeat("x", MaxManifestSize)+"\n")
		}, "tree", "tree/big.yaml: file is larger than 4 MB, the most agentform reads here"},
		{"base that is a FIFO", func(t *testing.T, dir string) {
			write(t, dir, "loc.yaml", agentA+"    base: desk\n")
			if err := os.MkdirAll(filepath.Join(dir, "bases"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(filepath.Join(dir, "bases", "desk.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "tree", "tree/bases/desk.yaml: is a named pipe (FIFO), not a regular file; agentform reads only regular files"},
		{"KrosAI document linked outside the tree", func(t *testing.T, dir string) {
			write(t, filepath.Dir(dir), "secret.md", "SECRETCONTENT")
			write(t, dir, "acct.yaml", krosHead(krosAccount+"knowledgeBases:\n  - name: FAQ\n    documents: [faq.md]\n"))
			symlink(t, "../secret.md", filepath.Join(dir, "faq.md"))
		}, "tree", "tree/acct.yaml:7:17: knowledgeBases[0].documents[0]: tree/faq.md: is a symbolic link leading outside the folders being loaded"},
		{"KrosAI document that is a FIFO", func(t *testing.T, dir string) {
			write(t, dir, "acct.yaml", krosHead(krosAccount+"knowledgeBases:\n  - name: FAQ\n    documents: [faq.md]\n"))
			if err := syscall.Mkfifo(filepath.Join(dir, "faq.md"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "tree", "tree/acct.yaml:7:17: knowledgeBases[0].documents[0]: tree/faq.md: is a named pipe (FIFO), not a regular file"},
		{"base linked to /dev/zero", func(t *testing.T, dir string) {
			write(t, dir, "loc.yaml", agentA+"    base: ./zero.yaml\n")
			symlink(t, "/dev/zero", filepath.Join(dir, "zero.yaml"))
		}, "tree", "tree/zero.yaml: is a symbolic link leading outside the folders being loaded; links are followed only inside them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "tree")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			t.Chdir(root)
			_, err := loadWithin(t, tt.arg)
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("Load = %v, want Diagnostics", err)
			}
			got := ds.String()
			if !strings.Contains(got, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant among them:\n%s", got, tt.want)
			}
			if strings.Contains(got, "SECRETCONTENT") {
				t.Errorf("diagnostics echo the content of a file outside the tree:\n%s", got)
			}
		})
	}
}

// TestLoadFollowsLinksInsideTheTree: a link that stays inside the tree is
// an ordinary way to share a file and keeps working.
func TestLoadFollowsLinksInsideTheTree(t *testing.T) {
	root := t.TempDir()
	write(t, root, "tree/shared/desk.yaml", "personality: p\ngoal: g\ninstructions: i\n")
	write(t, root, "tree/loc.yaml", agentA+"    base: desk\n")
	if err := os.MkdirAll(filepath.Join(root, "tree", "bases"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlink(t, "../shared/desk.yaml", filepath.Join(root, "tree", "bases", "desk.yaml"))
	symlink(t, "loc.yaml", filepath.Join(root, "tree", "alias.yml"))
	t.Chdir(root)
	_, err := loadWithin(t, filepath.Join("tree", "loc.yaml"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	// The folder: alias.yml and loc.yaml declare the same location.
	_, err = loadWithin(t, "tree")
	if err == nil || !strings.Contains(err.Error(), "duplicate location id") {
		t.Errorf("Load(tree) = %v, want the linked file read as a duplicate location", err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
