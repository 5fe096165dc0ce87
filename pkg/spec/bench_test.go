package spec

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// BenchmarkLoadExamples measures loading and validating examples/locations.
func BenchmarkLoadExamples(b *testing.B) {
	dir := filepath.Join("..", "..", "examples", "locations")
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSyntaxError measures locating a syntax error at the end of a
// long file (the re-parsing in syntaxErrorLine).
func BenchmarkLoadSyntaxError(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "locations", "acme-dental-austin.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	data = append(data, []byte("  - name: X\n   bad: indent\n")...)
	fsys := fstest.MapFS{"l.yaml": {Data: data}}
	for b.Loop() {
		if _, err := LoadFS(fsys, "l.yaml"); err == nil {
			b.Fatal("no error")
		}
	}
}
