package export

import (
	"maps"
	"slices"
	"testing"

	"github.com/agentform/agentform/pkg/api"
)

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Acme Dental Austin":                "acme-dental-austin",
		"Northwind Heating & Cooling, Inc.": "northwind-heating-cooling-inc",
		"  --Glow/Med Spa: Miami!  ":        "glow-med-spa-miami",
		"Café Olé #2":                       "café-olé-2",
		"../../etc/passwd":                  "etc-passwd",
		"C:\\Windows\\x":                    "c-windows-x",
		"!!!":                               "",
		"":                                  "",
		"Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd Eeeeeeeeee Ffffffffff Gggg": "aaaaaaaaaa-bbbbbbbbbb-cccccccccc-dddddddddd-eeeeeeeeee-fffff",
		"Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd Eeeeeeeeee Ffff Gggg":       "aaaaaaaaaa-bbbbbbbbbb-cccccccccc-dddddddddd-eeeeeeeeee-ffff",
	}
	for name, want := range tests {
		if got := Slug(name); got != want {
			t.Errorf("Slug(%q) = %q, want %q", name, got, want)
		}
		if got := Slug(name); len([]rune(got)) > maxSlug {
			t.Errorf("Slug(%q) has %d characters", name, len([]rune(got)))
		}
	}
}

func TestFileNames(t *testing.T) {
	locs := []api.LocationInfo{
		{ID: "locB", Name: "Acme Dental"},
		{ID: "locA", Name: "acme dental!"},
		{ID: "locC", Name: "Glow Med Spa"},
		{ID: "locD", Name: "???"},
		{ID: "locE", Name: "CON"},
		{ID: "locF", Name: "Acme Dental locA"}, // the slug another gets after its collision
		{ID: "locG", Name: "Acme Dental-locA"},
	}
	want := map[string]string{
		"locA": "acme-dental-locA.yaml",
		"locB": "acme-dental-locB.yaml",
		"locC": "glow-med-spa.yaml",
		"locD": "locD.yaml",
		"locE": "con-locE.yaml",
		"locF": "acme-dental-loca-locF.yaml",
		"locG": "acme-dental-loca-locG.yaml",
	}
	got := FileNames(locs)
	if !maps.Equal(got, want) {
		t.Fatalf("FileNames = %v\nwant %v", got, want)
	}
	// The same whatever the order.
	rev := slices.Clone(locs)
	slices.Reverse(rev)
	if again := FileNames(rev); !maps.Equal(again, got) {
		t.Errorf("reversed input: %v, want %v", again, got)
	}
	// Names that still coincide (ignoring case) are numbered by id.
	odd := FileNames([]api.LocationInfo{{ID: "x", Name: "Shop x"}, {ID: "X", Name: "Shop X"}, {ID: "y", Name: "shop-x"}})
	seen := map[string]bool{}
	for _, f := range odd {
		if seen[f] {
			t.Errorf("file %s given twice: %v", f, odd)
		}
		seen[f] = true
	}
}
