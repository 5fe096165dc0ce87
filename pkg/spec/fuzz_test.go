package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary manifests (with a fixed base beside them) to the
// loader: it must never panic, and must return either a set or diagnostics.
func FuzzLoad(f *testing.F) {
	root := filepath.Join("..", "..", "examples", "locations")
	_ = filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && isManifestName(p) {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	f.Add([]byte(agentA + "    base: desk\n    businessName: ${x} $${y}\n"))
	f.Add([]byte(withActions(stopBot("S") + transferBot("T", "A"))))
	base := []byte("base: desk\npersonality: p\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"loc.yaml":        {Data: data},
			"bases/desk.yaml": {Data: []byte("personality: p\ngoal: ${g}\ninstructions: i\n")},
			"bases/loop.yaml": {Data: base},
		}
		set, err := LoadFS(fsys, ".")
		var ds Diagnostics
		switch {
		case err == nil && set == nil:
			t.Fatal("nil set without error")
		case err != nil && !errors.As(err, &ds):
			t.Fatalf("error is not Diagnostics: %v", err)
		case err != nil && len(ds) == 0:
			t.Fatal("empty Diagnostics")
		}
	})
}
