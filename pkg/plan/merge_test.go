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

func TestMergeShards(t *testing.T) {
	shard := func(s, loc string) *Plan {
		return &Plan{ManifestDigest: "d", Shard: s, Locations: []LocationPlan{{LocationID: loc}}}
	}
	tests := []struct {
		name  string
		plans []*Plan
		want  string // error substring; "" means merged
	}{
		{"every shard once", []*Plan{shard("2/3", "b"), shard("1/3", "a"), shard("3/3", "c")}, ""},
		{"a shard missing", []*Plan{shard("1/3", "a"), shard("2/3", "b")}, "shard 3/3 missing"},
		{"a shard twice", []*Plan{shard("1/2", "a"), shard("1/2", "b")}, "shard 1/2 is given twice"},
		{"different splits", []*Plan{shard("1/2", "a"), shard("2/3", "b")}, "split the run in 2"},
		{"shard and whole plan", []*Plan{shard("1/2", "a"), {ManifestDigest: "d", Locations: []LocationPlan{{LocationID: "b"}}}}, "not a shard plan"},
		{"whole plan then shard", []*Plan{{ManifestDigest: "d"}, shard("1/2", "a")}, "plan 1 is not"},
		{"bad shard", []*Plan{shard("4/3", "a"), shard("1/3", "b")}, "bad shard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Merge(tt.plans...)
			if tt.want == "" {
				if err != nil || m.Shard != "" || len(m.Locations) != len(tt.plans) {
					t.Fatalf("Merge = %+v, %v; want every location and no shard", m, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}
