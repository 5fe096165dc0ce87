package schemas

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestREADMEDocumentsEveryField keeps the manifest reference in README.md in
// step with the schemas: every property a schema defines must be named there.
func TestREADMEDocumentsEveryField(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "## Manifest reference")
	if start < 0 {
		t.Fatal("README.md has no \"## Manifest reference\" section")
	}
	reference := string(readme[start:])
	if end := strings.Index(reference[3:], "\n## "); end >= 0 {
		reference = reference[:end+3]
	}
	fields := map[string]bool{}
	for _, name := range All {
		raw, err := FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		collectProperties(doc, fields)
	}
	if len(fields) < 50 {
		t.Fatalf("found only %d properties in the schemas; the walk is broken", len(fields))
	}
	var missing []string
	for f := range fields {
		if !strings.Contains(reference, "`"+f+"`") && !strings.Contains(reference, "`"+f+"`,") {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("README.md's manifest reference does not name these schema fields: %s", strings.Join(missing, ", "))
	}
}

// collectProperties adds the names of every "properties" map found in v.
func collectProperties(v any, into map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		if props, ok := t["properties"].(map[string]any); ok {
			for name := range props {
				into[name] = true
			}
		}
		for _, child := range t {
			collectProperties(child, into)
		}
	case []any:
		for _, child := range t {
			collectProperties(child, into)
		}
	}
}
