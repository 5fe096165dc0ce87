package plan

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// schemaPlan is a plan with every field of the JSON form set.
func schemaPlan() *Plan {
	return &Plan{
		FormatVersion: FormatVersion, ToolVersion: "test", CreatedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		ManifestDigest: "d", TotalTargets: 3, Shard: "1/2", Baseline: true, BaselineDigest: "b",
		Targets: []TargetPlan{
			{Kind: "location", ID: "loc-a", Name: "A", TokenEnv: "TOK", File: "a.yaml", Prune: true, LiveObjects: 3,
				Live: map[string]map[string]string{"agent": {"Desk": "ag1"}},
				Changes: []Change{
					{Op: OpCreate, Kind: "agent", Key: Key{{"agent", "Sales"}}, After: map[string]any{"name": "Sales"}, Reason: "r"},
					{Op: OpUpdate, Kind: "action", Key: Key{{"agent", "Desk"}, {"action", "Book"}}, ID: "act1", ParentID: "ag1",
						Before: map[string]any{"name": "Book"}, After: map[string]any{"name": "Book"},
						Diffs: []FieldDiff{{Path: "details.x", Before: 1.0, After: 2.0, Drift: true}}, Reason: "r", Drift: true,
						Fingerprint: strings.Repeat("a", 64), DependsOn: []int{0}, KeepIDs: []string{"ag9"}},
					{Op: OpDelete, Kind: "agent", Key: Key{{"agent", "Old"}}, ID: "ag2", Cascade: 2, Reason: "r", DependsOn: []int{0, 1}},
					{Op: OpReport, Kind: "action", Key: Key{{"agent", "Desk"}}, ParentID: "ag1", Reason: "r"},
				}},
			{Kind: "location", ID: "loc-b", TokenEnv: "TOK_B", Error: "no token"},
		},
	}
}

func TestSavedPlansMeetTheSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := Save(&buf, schemaPlan()); err != nil {
		t.Fatal(err)
	}
	if err := CheckSchema(buf.Bytes()); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	p, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Targets[0].Changes[1]; !got.Key.Equal(Key{{"agent", "Desk"}, {"action", "Book"}}) || got.ParentID != "ag1" {
		t.Errorf("round trip lost the key or parent id: %+v", got)
	}
}

func TestSchemaRefusesBrokenPlans(t *testing.T) {
	var buf bytes.Buffer
	if err := Save(&buf, schemaPlan()); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	tests := []struct{ name, from, to string }{
		{"old format version", `"formatVersion": 2`, `"formatVersion": 1`},
		{"unknown op", `"op": "report"`, `"op": "rename"`},
		{"key part that is not a string", `"agent": "Old"`, `"agent": 7`},
		{"before that is not an object", `"before": {`, `"before": "x", "x": {`},
		{"fingerprint that is not a string", `"fingerprint": "aaaa`, `"fingerprint": 7, "x": "aaaa`},
		{"target without tokenEnv", `"tokenEnv": "TOK_B",`, ``},
		{"unknown top-level field", `"toolVersion": "test",`, `"toolVersion": "test", "prune": true,`},
		{"field named like no kind", `"reason": "r",`, `"reason": "r", "Bad-Name": "x",`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(good, tt.from) {
				t.Fatalf("fixture lacks %q", tt.from)
			}
			bad := strings.Replace(good, tt.from, tt.to, 1)
			if err := CheckSchema([]byte(bad)); err == nil {
				t.Fatalf("schema accepted a plan with %s", tt.name)
			}
		})
	}
}

func TestLoadRefusesOtherFormatVersions(t *testing.T) {
	tests := []struct{ version, want string }{
		{"1", "format version 1 is not supported (this agentform reads version 2): the file comes from an older agentform; plan again"},
		{"3", "from a newer agentform"},
	}
	for _, tt := range tests {
		_, err := Load(strings.NewReader(`{"formatVersion": ` + tt.version + `, "locations": []}`))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("version %s: error %v, want %q", tt.version, err, tt.want)
		}
	}
}
