package plan

import (
	"strings"
	"testing"
	"time"
)

func TestMerge(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a := &Plan{ManifestDigest: "d", CreatedAt: t0, TotalLocations: 3, Locations: []LocationPlan{{LocationID: "z"}, {LocationID: "b"}}}
	b := &Plan{ManifestDigest: "d", CreatedAt: t0.Add(time.Minute), TotalLocations: 3, Locations: []LocationPlan{{LocationID: "a"}}}
	t.Run("union sorted by id", func(t *testing.T) {
		m, err := Merge(a, b)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, lp := range m.Locations {
			ids = append(ids, lp.LocationID)
		}
		if strings.Join(ids, ",") != "a,b,z" || !m.CreatedAt.Equal(b.CreatedAt) || m.TotalLocations != 3 {
			t.Fatalf("merged %v created %v total %d", ids, m.CreatedAt, m.TotalLocations)
		}
		if len(a.Locations) != 2 || a.Locations[0].LocationID != "z" {
			t.Fatal("Merge changed its input")
		}
	})
	t.Run("overlap refused", func(t *testing.T) {
		_, err := Merge(a, &Plan{ManifestDigest: "d", Locations: []LocationPlan{{LocationID: "b"}}})
		if err == nil || !strings.Contains(err.Error(), "location b is in plan 1 and plan 2") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("other manifests refused", func(t *testing.T) {
		_, err := Merge(a, &Plan{ManifestDigest: "e"})
		if err == nil || !strings.Contains(err.Error(), "other manifests") {
			t.Fatalf("error %v", err)
		}
	})
}
