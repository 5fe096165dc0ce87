package plan

import (
	"strings"
	"testing"
	"time"
)

func TestMerge(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a := &Plan{ManifestDigest: "d", CreatedAt: t0, TotalTargets: 3, Targets: []TargetPlan{loc(TargetPlan{ID: "z"}), loc(TargetPlan{ID: "b"})}}
	b := &Plan{ManifestDigest: "d", CreatedAt: t0.Add(time.Minute), TotalTargets: 3, Targets: []TargetPlan{loc(TargetPlan{ID: "a"})}}
	t.Run("union sorted by id", func(t *testing.T) {
		m, err := Merge(a, b)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, lp := range m.Targets {
			ids = append(ids, lp.ID)
		}
		if strings.Join(ids, ",") != "a,b,z" || !m.CreatedAt.Equal(b.CreatedAt) || m.TotalTargets != 3 {
			t.Fatalf("merged %v created %v total %d", ids, m.CreatedAt, m.TotalTargets)
		}
		if len(a.Targets) != 2 || a.Targets[0].ID != "z" {
			t.Fatal("Merge changed its input")
		}
	})
	t.Run("overlap refused", func(t *testing.T) {
		_, err := Merge(a, &Plan{ManifestDigest: "d", Targets: []TargetPlan{loc(TargetPlan{ID: "b"})}})
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
	shard := func(s, id string) *Plan {
		return &Plan{ManifestDigest: "d", Shard: s, Targets: []TargetPlan{loc(TargetPlan{ID: id})}}
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
		{"shard and whole plan", []*Plan{shard("1/2", "a"), {ManifestDigest: "d", Targets: []TargetPlan{loc(TargetPlan{ID: "b"})}}}, "not a shard plan"},
		{"whole plan then shard", []*Plan{{ManifestDigest: "d"}, shard("1/2", "a")}, "plan 1 is not"},
		{"bad shard", []*Plan{shard("4/3", "a"), shard("1/3", "b")}, "bad shard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Merge(tt.plans...)
			if tt.want == "" {
				if err != nil || m.Shard != "" || len(m.Targets) != len(tt.plans) {
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

func TestMergeRefusesOtherBaseline(t *testing.T) {
	a := &Plan{Shard: "1/2", Baseline: true, BaselineDigest: "x", Targets: []TargetPlan{loc(TargetPlan{ID: "a"})}}
	b := &Plan{Shard: "2/2", Targets: []TargetPlan{loc(TargetPlan{ID: "b"})}}
	if _, err := Merge(a, b); err == nil || !strings.Contains(err.Error(), "another baseline") {
		t.Fatalf("err %v", err)
	}
	b.Baseline, b.BaselineDigest = true, "x"
	m, err := Merge(a, b)
	if err != nil || !m.Baseline {
		t.Fatalf("merge %v, baseline %v", err, m != nil && m.Baseline)
	}
}
