package plan

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	p := &Plan{
		FormatVersion: FormatVersion, ToolVersion: "1.2.3", CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		ManifestDigest: "abc", TotalTargets: 3,
		Targets: []TargetPlan{{Kind: "location", ID: "loc1", TokenEnv: "TOKEN_1", Prune: true, LiveObjects: 4, Changes: []Change{
			{Op: OpUpdate, Kind: "agent", Key: Key{{Kind: "agent", Name: "A"}}, ID: "id1", Before: map[string]any{"mode": "off"},
				After: map[string]any{"mode": "auto-pilot", "waitTime": 2.0}, Diffs: []FieldDiff{{Path: "mode", Before: "off", After: "auto-pilot"}},
				Reason: "settings differ", Fingerprint: "ff", DependsOn: []int{0}},
		}}},
	}
	if err := p.Seal(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Save(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\n  \"formatVersion\": 2,") {
		t.Fatalf("plan file is not indented JSON:\n%s", buf.String())
	}
	got, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip changed the plan:\ngot  %+v\nwant %+v", got, p)
	}
}

func TestLoadRefuses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"future version", `{"formatVersion": 3, "locations": []}`, "format version 3 is not supported"},
		{"no version", `{"locations": []}`, "not a plan file"},
		{"not JSON", `plan`, "load plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestLoadRefusesAnEditedPlan: a saved plan is bound to its content; a
// value edited in the file (a payload, a prune flag, an id) is refused.
func TestLoadRefusesAnEditedPlan(t *testing.T) {
	p := &Plan{FormatVersion: FormatVersion, ToolVersion: "t", ManifestDigest: "m",
		Targets: []TargetPlan{{Kind: "location", ID: "loc1", TokenEnv: "T", Changes: []Change{
			{Op: OpUpdate, Kind: "agent", Key: Key{{Kind: "agent", Name: "A"}}, ID: "id1",
				After: map[string]any{"mode": "auto-pilot"}, Reason: "r"}}}}}
	var buf bytes.Buffer
	if err := Save(&buf, p); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	if _, err := Load(strings.NewReader(good)); err != nil {
		t.Fatalf("the saved plan: %v", err)
	}
	for _, edit := range [][2]string{
		{`"mode": "auto-pilot"`, `"mode": "off"`},
		{`"prune": false`, `"prune": true`},
		{`"id": "id1"`, `"id": "id2"`},
	} {
		bad := strings.Replace(good, edit[0], edit[1], 1)
		if bad == good {
			t.Fatalf("fixture lacks %s", edit[0])
		}
		if _, err := Load(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "changed after the plan was made") {
			t.Errorf("edit %s → %s: error %v", edit[0], edit[1], err)
		}
	}
}
