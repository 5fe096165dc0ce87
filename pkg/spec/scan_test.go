package spec

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// scanFleet is the examples' fleet: files of one location and a file of
// several, agents from bases with defaults, vars files and variables.
var scanFleet = os.DirFS(filepath.Join("..", "..", "examples"))

// TestScanExpandsAsLoadBuilds checks that Scan keeps headers only and that
// Expand builds each location exactly as Load does, for a file of one
// location and a file of several.
func TestScanExpandsAsLoadBuilds(t *testing.T) {
	full, err := LoadFS(scanFleet, "locations")
	if err != nil {
		t.Fatal(err)
	}
	scanned, err := ScanFS(scanFleet, "locations")
	if err != nil {
		t.Fatal(err)
	}
	if scanned.Digest != full.Digest || !reflect.DeepEqual(scanned.Files, full.Files) {
		t.Errorf("Scan read %v (%s), Load %v (%s)", scanned.Files, scanned.Digest, full.Files, full.Digest)
	}
	if len(scanned.Locations) != len(full.Locations) || len(full.Locations) < 4 {
		t.Fatalf("Scan has %d locations, Load %d, want the same, at least 4", len(scanned.Locations), len(full.Locations))
	}
	for i, header := range scanned.Locations {
		want := full.Locations[i]
		t.Run(want.ID, func(t *testing.T) {
			if header.Agents != nil {
				t.Errorf("Scan kept %d agents, want none until Expand", len(header.Agents))
			}
			if header.ID != want.ID || header.Name != want.Name || header.TokenEnv != want.TokenEnv ||
				header.TokenEnvDeclared != want.TokenEnvDeclared || header.Prune != want.Prune || header.Pos != want.Pos {
				t.Errorf("header %+v, want the header of %+v", header, want)
			}
			got, err := scanned.Expand(header)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Expand built\n%+v\nLoad built\n%+v", got, want)
			}
			if again, err := full.Expand(want); err != nil || again != want {
				t.Errorf("Expand of a loaded location = %p, %v; want the location itself", again, err)
			}
		})
	}
}

// TestExpandConcurrently expands every location from many goroutines (run
// with -race): plan workers expand the locations they plan at once.
func TestExpandConcurrently(t *testing.T) {
	set, err := ScanFS(scanFleet, "locations")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*len(set.Locations))
	for range 8 {
		for _, loc := range set.Locations {
			wg.Go(func() {
				full, err := set.Expand(loc)
				if err == nil && len(full.Agents) == 0 {
					err = errors.New(loc.ID + " expanded without agents")
				}
				if err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestExpandRefusesChangedFile edits a manifest between Scan and Expand:
// the plan must not mix two versions of the manifests.
func TestExpandRefusesChangedFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, scanFleet); err != nil {
		t.Fatal(err)
	}
	set, err := Scan(filepath.Join(dir, "locations"))
	if err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(dir, "locations", "home-services.yaml") // two locations
	data, err := os.ReadFile(one)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(one, append(data, "# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := 0
	for _, loc := range set.Locations {
		_, err := set.Expand(loc)
		if loc.Pos.File == one {
			edited++
		}
		switch changed := loc.Pos.File == one; {
		case changed && !errors.Is(err, ErrChanged):
			t.Errorf("Expand(%s) after an edit = %v, want ErrChanged", loc.ID, err)
		case !changed && err != nil:
			t.Errorf("Expand(%s) of an unchanged file: %v", loc.ID, err)
		}
	}
	if edited < 2 {
		t.Errorf("%d locations in the edited file, want several", edited)
	}
}

// TestScanReportsAsLoad checks that Scan refuses what Load refuses, with
// the same diagnostics.
func TestScanReportsAsLoad(t *testing.T) {
	bad := fstest.MapFS{"loc.yaml": {Data: []byte(head + "agents:\n  - name: A\n    base: missing\n  - {name: A}\n")}}
	_, loadErr := LoadFS(bad, "loc.yaml")
	_, scanErr := ScanFS(bad, "loc.yaml")
	if loadErr == nil || scanErr == nil || loadErr.Error() != scanErr.Error() {
		t.Errorf("Load: %v\nScan: %v\nwant the same error", loadErr, scanErr)
	}
}

// TestExpandRefusesNewBase creates, between Scan and Expand, a base file
// nearer the manifest than the one Scan used: Expand must not build the
// location over a base nobody validated.
func TestExpandRefusesNewBase(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bases/desk.yaml", "mode: suggestive\n")
	write("clinics/loc.yaml", head+"agents:\n  - {name: A, base: desk}\n")
	set, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if full, err := set.Expand(set.Locations[0]); err != nil || full.Agents[0].Settings["mode"] != "suggestive" {
		t.Fatalf("Expand before the new base: %v, %v", full, err)
	}
	write("clinics/bases/desk.yaml", "mode: off\n")
	if _, err := set.Expand(set.Locations[0]); err == nil || !strings.Contains(err.Error(), ErrChanged.Error()) {
		t.Errorf("Expand over a base created since Scan: %v, want %q", err, ErrChanged)
	}
}
