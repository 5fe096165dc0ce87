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
// paths, maps merged, actions merged by name, other lists and scalars
// replaced), variable expansion (vars files, base defaults, whole values)
// and a KrosAI account (bases, vars, documents read and hashed).
func TestGolden(t *testing.T) {
	for _, tc := range []struct{ name, file string }{{"merge", "location.yaml"}, {"vars", "location.yaml"}, {"krosai", "account.yaml"}} {
		name := tc.name
		t.Run(name, func(t *testing.T) {
			t.Chdir(filepath.Join("testdata", "golden", name))
			set, err := Load(tc.file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var model any = set.Locations
			if name == "krosai" {
				model = set
			}
			got, err := json.MarshalIndent(model, "", "  ")
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
