package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

// TestGolden loads each testdata/golden/<case> folder and compares the loaded
// model, as JSON, with testdata/<case>.golden: base merge (chains, relative
// paths, maps merged, lists and scalars replaced) and variable expansion.
func TestGolden(t *testing.T) {
	for _, name := range []string{"merge", "vars"} {
		t.Run(name, func(t *testing.T) {
			t.Chdir(filepath.Join("testdata", "golden", name))
			set, err := Load("location.yaml")
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			got, err := json.MarshalIndent(set.Locations, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("..", "..", name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("model differs from %s (run go test -update to accept):\n%s", golden, got)
			}
		})
	}
}
