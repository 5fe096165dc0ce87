package spec

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadFSRefusesHostileFiles covers the same rules for LoadFS.
func TestLoadFSRefusesHostileFiles(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		arg  string
		want string
	}{
		{"named pipe", fstest.MapFS{"t/pipe.yaml": {Mode: fs.ModeNamedPipe}}, "t",
			"t/pipe.yaml: is a named pipe (FIFO), not a regular file; agentform reads only regular files"},
		{"link leaving the tree", fstest.MapFS{
			"t/evil.yaml": {Mode: fs.ModeSymlink, Data: []byte("../secret.yaml")},
			"secret.yaml": {Data: []byte(head)},
		}, "t", "t/evil.yaml: is a symbolic link leading outside the folders being loaded; links are followed only inside them"},
		{"folder link leaving the tree", fstest.MapFS{
			"t/loc.yaml":        {Data: []byte(agentA + "    base: desk\n")},
			"t/bases":           {Mode: fs.ModeSymlink, Data: []byte("../other")},
			"other/desk.yaml":   {Data: []byte("mode: off\n")},
			"t/unrelated.yml.x": {},
		}, "t", "t/bases/desk.yaml: passes through symbolic link t/bases, which leads outside the folders being loaded; links are followed only inside them"},
		{"over-size manifest", fstest.MapFS{"big.yaml": {Data: make([]byte, MaxManifestSize+1)}}, "big.yaml",
			"big.yaml: file is larger than 4 MB, the most agentform reads here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(tt.fsys, tt.arg)
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("LoadFS = %v, want Diagnostics", err)
			}
			if got := ds.String(); !strings.Contains(got, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant among them:\n%s", got, tt.want)
			}
		})
	}
}
