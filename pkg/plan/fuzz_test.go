package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadPlan feeds plan files to Load: it never panics, and a plan it
// accepts saves and loads again to the same value (and the same bytes).
func FuzzLoadPlan(f *testing.F) {
	var buf bytes.Buffer
	if err := Save(&buf, schemaPlan()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	goldens, _ := filepath.Glob(filepath.Join("..", "provider", "highlevel", "testdata", "*.json.golden"))
	for _, g := range goldens {
		if data, err := os.ReadFile(g); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"formatVersion": 2, "locations": []}`))
	f.Add([]byte(`{"formatVersion": 1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Save(&out, p); err != nil {
			t.Fatalf("a loaded plan does not save: %v", err)
		}
		again, err := Load(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("a saved plan does not load: %v\n%s", err, out.Bytes())
		}
		var second bytes.Buffer
		if err := Save(&second, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), second.Bytes()) {
			t.Fatalf("save → load → save changed the plan:\n%s\n%s", out.Bytes(), second.Bytes())
		}
	})
}
