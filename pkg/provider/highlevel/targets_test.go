package highlevel

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/agentform/agentform/pkg/spec"
)

// TestTargetsOfScannedSet: the targets of a scanned set hold no objects
// until Declared, which builds what the targets of a loaded set hold; in
// agency mode both leave out the token variables no manifest names.
func TestTargetsOfScannedSet(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "examples", "locations")
	loaded, err := spec.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	scanned, err := spec.Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, agency := range []bool{false, true} {
		want, err := Targets(loaded, agency)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Targets(scanned, agency)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d targets, want %d", len(got), len(want))
		}
		for i, tg := range got {
			if tg.Objects != nil || tg.Expand == nil {
				t.Errorf("%s: scanned target holds %d objects (Expand set: %v); want none until Declared", tg.ID, len(tg.Objects), tg.Expand != nil)
			}
			full, err := tg.Declared()
			if err != nil {
				t.Fatal(err)
			}
			w := *want[i]
			if full.TokenEnv != w.TokenEnv || full.ID != w.ID || full.Prune != w.Prune || full.Pos != w.Pos {
				t.Errorf("agency %v: header %+v, want %+v", agency, *full, w)
			}
			if !reflect.DeepEqual(full.Objects, w.Objects) {
				t.Errorf("%s: Declared built other objects than Target", tg.ID)
			}
		}
	}
}
