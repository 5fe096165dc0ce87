package value

import (
	"reflect"
	"testing"
)

// testNormalizer has the sets and ordered lists of the HighLevel provider
// (pkg/provider/highlevel), which this test was written against.
var testNormalizer = Normalizer{
	Sets:   []string{"channels", "knowledgeBaseIds", "workflowIds", "tags"},
	SortBy: map[string]string{"workingHours": "dayOfTheWeek"},
}

func TestFieldDiffs(t *testing.T) {
	tests := []struct {
		name          string
		live, desired map[string]any
		want          []FieldDiff
	}{
		{
			name:    "equal after normalization",
			live:    map[string]any{"channels": []any{"SMS", "IG"}, "waitTime": 2.0, "extra": "server"},
			desired: map[string]any{"channels": []any{"IG", "SMS"}, "waitTime": 2},
		},
		{
			name:    "missing equals zero",
			live:    map[string]any{"mode": "off"},
			desired: map[string]any{"sleepEnabled": false, "tags": []any{}, "goal": ""},
		},
		{
			name:    "scalar change",
			live:    map[string]any{"mode": "off", "name": "A"},
			desired: map[string]any{"mode": "auto-pilot", "name": "A"},
			want:    []FieldDiff{{Path: "mode", Before: "off", After: "auto-pilot"}},
		},
		{
			name:    "type change",
			live:    map[string]any{"waitTime": "2"},
			desired: map[string]any{"waitTime": 2},
			want:    []FieldDiff{{Path: "waitTime", Before: "2", After: 2.0}},
		},
		{
			name:    "added field",
			live:    map[string]any{},
			desired: map[string]any{"personality": "calm"},
			want:    []FieldDiff{{Path: "personality", After: "calm"}},
		},
		{
			name:    "nested objects recurse, declared keys only",
			live:    map[string]any{"details": map[string]any{"enabled": true, "sleepTime": 3.0, "serverOnly": "x"}},
			desired: map[string]any{"details": map[string]any{"sleepTime": 4.0}},
			want:    []FieldDiff{{Path: "details.sleepTime", Before: 3.0, After: 4.0}},
		},
		{
			name:    "lists of objects compare whole",
			live:    map[string]any{"steps": []any{map[string]any{"id": 1.0, "t": 1.0}, map[string]any{"id": 2.0, "t": 2.0}}},
			desired: map[string]any{"steps": []any{map[string]any{"id": 1.0, "t": 5.0}, map[string]any{"id": 2.0, "t": 6.0}}},
			want: []FieldDiff{{Path: "steps",
				Before: []any{map[string]any{"id": 1.0, "t": 1.0}, map[string]any{"id": 2.0, "t": 2.0}},
				After:  []any{map[string]any{"id": 1.0, "t": 5.0}, map[string]any{"id": 2.0, "t": 6.0}}}},
		},
		{
			name:    "defaults filled into list items are not a difference",
			live:    map[string]any{"steps": []any{map[string]any{"id": 1.0, "aiEnabledMessage": true}}},
			desired: map[string]any{"steps": []any{map[string]any{"id": 1.0}}},
		},
		{
			name:    "a list item of another length compares whole",
			live:    map[string]any{"steps": []any{map[string]any{"id": 1.0, "ai": true}}},
			desired: map[string]any{"steps": []any{map[string]any{"id": 1.0}, map[string]any{"id": 2.0}}},
			want: []FieldDiff{{Path: "steps", Before: []any{map[string]any{"id": 1.0, "ai": true}},
				After: []any{map[string]any{"id": 1.0}, map[string]any{"id": 2.0}}}},
		},
		{
			name:    "set lists inside details",
			live:    map[string]any{"details": map[string]any{"workflowIds": []any{"b", "a"}}},
			desired: map[string]any{"details": map[string]any{"workflowIds": []any{"a", "b"}}},
		},
		{
			name:    "ordered lists keep order",
			live:    map[string]any{"examples": []any{"b", "a"}},
			desired: map[string]any{"examples": []any{"a", "b"}},
			want:    []FieldDiff{{Path: "examples", Before: []any{"b", "a"}, After: []any{"a", "b"}}},
		},
		{
			name:    "working hours compared by day",
			live:    map[string]any{"workingHours": []any{map[string]any{"dayOfTheWeek": 2.0}, map[string]any{"dayOfTheWeek": 1.0}}},
			desired: map[string]any{"workingHours": []any{map[string]any{"dayOfTheWeek": 1}, map[string]any{"dayOfTheWeek": 2}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live, _ := MapOf(tt.live)
			desired, _ := MapOf(tt.desired)
			testNormalizer.Normalize(live)
			testNormalizer.Normalize(desired)
			got, err := Diff(Project(live, desired), desired)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestDeepMerge(t *testing.T) {
	base := map[string]any{"a": 1.0, "m": map[string]any{"x": 1.0, "y": 2.0}, "l": []any{1.0, 2.0}}
	over := map[string]any{"m": map[string]any{"y": 3.0}, "l": []any{9.0}, "n": "new"}
	got := DeepMerge(base, over)
	want := map[string]any{"a": 1.0, "m": map[string]any{"x": 1.0, "y": 3.0}, "l": []any{9.0}, "n": "new"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if base["m"].(map[string]any)["y"] != 2.0 {
		t.Fatal("deepMerge changed its base")
	}
}
