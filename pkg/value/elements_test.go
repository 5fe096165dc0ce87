package value

import (
	"reflect"
	"testing"
)

// keyed names the keys of HighLevel's lists of objects, as its provider does.
var keyed = Normalizer{
	SortBy: map[string]string{"workingHours": "dayOfTheWeek"},
	Keys:   map[string]string{"followupSequence": "id", "workingHours": "dayOfTheWeek", "steps": "name"},
}

func step3(id float64, msg string) Map {
	return Map{"id": id, "followupTime": 1.0, "customMessage": msg}
}

func TestNormalizerDiffNamesItemsByKey(t *testing.T) {
	hours := func(day, end float64) Map {
		return Map{"dayOfTheWeek": day, "intervals": []any{Map{"startHour": 8.0, "endHour": end}}}
	}
	tests := []struct {
		name          string
		live, desired Map
		want          []FieldDiff
	}{
		{
			name:    "one field of one item",
			live:    Map{"details": Map{"followupSequence": []any{step3(1, "a"), step3(2, "b")}}},
			desired: Map{"details": Map{"followupSequence": []any{step3(1, "a"), step3(2, "B")}}},
			want:    []FieldDiff{{Path: "details.followupSequence[id=2].customMessage", Before: "b", After: "B"}},
		},
		{
			name:    "working hours by day, inner list whole",
			live:    Map{"workingHours": []any{hours(1, 18), hours(5, 12)}},
			desired: Map{"workingHours": []any{hours(1, 18), hours(5, 17)}},
			want: []FieldDiff{{Path: "workingHours[dayOfTheWeek=5].intervals",
				Before: []any{Map{"startHour": 8.0, "endHour": 12.0}}, After: []any{Map{"startHour": 8.0, "endHour": 17.0}}}},
		},
		{
			name:    "added and removed items in list order",
			live:    Map{"followupSequence": []any{step3(1, "a"), step3(2, "b")}},
			desired: Map{"followupSequence": []any{step3(2, "b"), step3(3, "c")}},
			want: []FieldDiff{
				{Path: "followupSequence[id=1]", Before: step3(1, "a")},
				{Path: "followupSequence[id=3]", After: step3(3, "c")},
			},
		},
		{
			name:    "undeclared fields of a common item do not count when the list grows",
			live:    Map{"followupSequence": []any{Map{"id": 1.0, "aiEnabledMessage": true}}},
			desired: Map{"followupSequence": []any{Map{"id": 1.0}, Map{"id": 2.0}}},
			want:    []FieldDiff{{Path: "followupSequence[id=2]", After: Map{"id": 2.0}}},
		},
		{
			name:    "string keys are quoted",
			live:    Map{"steps": []any{Map{"name": "a.b", "x": 1.0}}},
			desired: Map{"steps": []any{Map{"name": "a.b", "x": 2.0}}},
			want:    []FieldDiff{{Path: `steps[name="a.b"].x`, Before: 1.0, After: 2.0}},
		},
		{
			name:    "reordered items: the order is a change, reported whole",
			live:    Map{"followupSequence": []any{step3(1, "a"), step3(2, "b")}},
			desired: Map{"followupSequence": []any{step3(2, "b"), step3(1, "a")}},
			want: []FieldDiff{{Path: "followupSequence",
				Before: []any{step3(1, "a"), step3(2, "b")}, After: []any{step3(2, "b"), step3(1, "a")}}},
		},
		{
			name:    "a repeated key: reported whole",
			live:    Map{"followupSequence": []any{step3(1, "a")}},
			desired: Map{"followupSequence": []any{step3(1, "a"), step3(1, "b")}},
			want: []FieldDiff{{Path: "followupSequence",
				Before: []any{step3(1, "a")}, After: []any{step3(1, "a"), step3(1, "b")}}},
		},
		{
			name:    "a list missing live: reported whole",
			live:    Map{},
			desired: Map{"followupSequence": []any{step3(1, "a")}},
			want:    []FieldDiff{{Path: "followupSequence", After: []any{step3(1, "a")}}},
		},
		{
			name:    "lists without a key compare whole",
			live:    Map{"other": []any{Map{"id": 1.0, "t": 1.0}}},
			desired: Map{"other": []any{Map{"id": 1.0, "t": 2.0}}},
			want:    []FieldDiff{{Path: "other", Before: []any{Map{"id": 1.0, "t": 1.0}}, After: []any{Map{"id": 1.0, "t": 2.0}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := keyed.DiffDeclared(keyed.NormalizeMap(tt.live), keyed.NormalizeMap(tt.desired))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestElementsKeepsSourceAndDrift(t *testing.T) {
	d := FieldDiff{Path: "followupSequence", Before: []any{step3(1, "a")}, After: []any{step3(1, "b")},
		Source: "bases/desk.yaml:9", Drift: true}
	got := keyed.Elements(d)
	want := []FieldDiff{{Path: "followupSequence[id=1].customMessage", Before: "a", After: "b", Source: "bases/desk.yaml:9", Drift: true}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	scalar := FieldDiff{Path: "goal", Before: "a", After: "b"}
	if got := keyed.Elements(scalar); !reflect.DeepEqual(got, []FieldDiff{scalar}) {
		t.Fatalf("a scalar diff changed: %#v", got)
	}
}

func TestMarkDriftElementPaths(t *testing.T) {
	base := Map{"followupSequence": []any{step3(2, "b")}}
	diffs := []FieldDiff{
		{Path: "followupSequence[id=2].customMessage", Before: "changed by hand", After: "b"}, // base wants b: drift
		{Path: "followupSequence[id=1]", Before: step3(1, "a")},                               // base lacks 1 too: added by hand
		{Path: "followupSequence[id=3]", After: step3(3, "c")},                                // intended
		{Path: "missing[id=1]", Before: step3(1, "a")},                                        // base has no such list
	}
	if !MarkDrift(diffs, base) {
		t.Fatal("no drift found")
	}
	got := []bool{diffs[0].Drift, diffs[1].Drift, diffs[2].Drift, diffs[3].Drift}
	if want := []bool{true, true, false, false}; !reflect.DeepEqual(got, want) {
		t.Fatalf("drift %v, want %v", got, want)
	}
}

func TestLookupPathAndPositional(t *testing.T) {
	m := Map{"details": Map{"followupSequence": []any{step3(7, "a"), step3(2, "b")}},
		"steps": []any{Map{"name": `x]"y`, "v": 1.0}}, "flags": []any{Map{"on": true}}}
	tests := []struct {
		path       string
		want       any
		ok         bool
		positional string
	}{
		{"details.followupSequence[id=2].customMessage", "b", true, "details.followupSequence[1].customMessage"},
		{"details.followupSequence[1].id", 2.0, true, "details.followupSequence[1].id"},
		{"details.followupSequence[id=9].customMessage", nil, false, "details.followupSequence"},
		{`steps[name="x]\"y"].v`, 1.0, true, "steps[0].v"},
		{"flags[on=true].on", true, true, "flags[0].on"},
		{"details.calendarId", nil, false, "details.calendarId"},
		{"details..x", nil, false, "details..x"},
		{"details.followupSequence[id=2", nil, false, "details.followupSequence[id=2"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := LookupPath(m, tt.path)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LookupPath = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
			if p := Positional(m, tt.path); p != tt.positional {
				t.Errorf("Positional = %q, want %q", p, tt.positional)
			}
		})
	}
	for path, want := range map[string]bool{"a[id=1]": true, `a[name="b]"]`: true, "a[id=1].b": false, "a": false, "a[0]": true} {
		if got := IsElementPath(path); got != want {
			t.Errorf("IsElementPath(%q) = %v", path, got)
		}
	}
}
