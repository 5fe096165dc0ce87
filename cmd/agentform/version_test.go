package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestReadBuild(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "-trimpath", Value: "true"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	modified := append(vcs[:len(vcs)-1:len(vcs)-1], debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	info := func(version string, settings []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/agentform/agentform", Version: version}, Settings: settings}
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH

	tests := []struct {
		name    string
		info    *debug.BuildInfo
		ok      bool
		stamped string
		want    build
		text    string
	}{
		{
			name: "release build: module version and commit",
			info: info("v1.2.3", vcs), ok: true, stamped: "v1.2.3",
			want: build{Version: "v1.2.3", Revision: "0123456789abcdef0123456789abcdef01234567", Time: "2026-01-02T03:04:05Z", Go: "go1.26.8", Platform: platform},
			text: "agentform v1.2.3\ncommit 0123456789abcdef0123456789abcdef01234567 (2026-01-02T03:04:05Z)\ngo1.26.8 " + platform + "\n",
		},
		{
			name: "build from a checkout with changes: pseudo-version, modified",
			info: info("v0.0.0-20260102030405-0123456789ab+dirty", modified), ok: true,
			want: build{Version: "v0.0.0-20260102030405-0123456789ab+dirty", Revision: "0123456789abcdef0123456789abcdef01234567", Time: "2026-01-02T03:04:05Z", Modified: true, Go: "go1.26.8", Platform: platform},
			text: "agentform v0.0.0-20260102030405-0123456789ab+dirty\ncommit 0123456789abcdef0123456789abcdef01234567 (2026-01-02T03:04:05Z, with uncommitted changes)\ngo1.26.8 " + platform + "\n",
		},
		{
			name: "(devel) falls back to the -ldflags stamp",
			info: info("(devel)", nil), ok: true, stamped: "v1.2.3",
			want: build{Version: "v1.2.3", Go: "go1.26.8", Platform: platform},
			text: "agentform v1.2.3\ncommit unknown (built without VCS information)\ngo1.26.8 " + platform + "\n",
		},
		{
			name: "go install module@version: version, no commit",
			info: info("v1.4.0", nil), ok: true,
			want: build{Version: "v1.4.0", Go: "go1.26.8", Platform: platform},
		},
		{
			name: "(devel) and no stamp",
			info: info("(devel)", nil), ok: true,
			want: build{Version: "devel", Go: "go1.26.8", Platform: platform},
		},
		{
			name: "no build info at all",
			ok:   false, stamped: " v2.0.0\n",
			want: build{Version: "v2.0.0", Go: runtime.Version(), Platform: platform},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readBuild(tt.info, tt.ok, tt.stamped)
			if got != tt.want {
				t.Errorf("readBuild = %+v\nwant         %+v", got, tt.want)
			}
			if tt.text != "" && got.String() != tt.text {
				t.Errorf("String() = %q\nwant       %q", got.String(), tt.text)
			}
		})
	}
}

// TestVersionCommand checks that "version" and "--version" print the same
// text, and that --format json carries the same build.
func TestVersionCommand(t *testing.T) {
	runOut := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(string) (string, bool) { return "", false })
		return code, out.String(), errOut.String()
	}
	want := currentBuild().String()
	if !strings.HasPrefix(want, "agentform "+version+"\n") {
		t.Fatalf("text %q does not start with the version %q", want, version)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runOut(args...)
		if code != 0 || out != want || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0, %q, nothing", args, code, out, errOut, want)
		}
	}

	code, out, _ := runOut("version", "--format", "json")
	var got build
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("version --format json: exit %d, %v: %q", code, err, out)
	}
	if got != currentBuild() {
		t.Errorf("json %+v, want %+v", got, currentBuild())
	}

	code, _, errOut := runOut("version", "--format", "xml")
	if code != 1 || !strings.Contains(errOut, `--format "xml": want text or json`) {
		t.Errorf("--format xml: exit %d, stderr %q", code, errOut)
	}
}

// TestVersionOfBuiltBinary builds the command as the release and CI builds
// do and runs it: the -ldflags stamp must survive init, and a build from a
// git checkout must name its commit.
func TestVersionOfBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	buildAndRun := func(t *testing.T, flags ...string) build {
		t.Helper()
		bin := filepath.Join(dir, "agentform")
		args := append([]string{"build", "-o", bin}, flags...)
		cmd := exec.Command("go", append(args, ".")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		out, err := exec.Command(bin, "version", "--format", "json").Output()
		if err != nil {
			t.Fatalf("agentform version: %v", err)
		}
		var b build
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("version json %q: %v", out, err)
		}
		return b
	}

	t.Run("release stamp", func(t *testing.T) {
		b := buildAndRun(t, "-buildvcs=false", "-ldflags", "-X main.version=v9.8.7")
		if b.Version != "v9.8.7" || b.Revision != "" {
			t.Errorf("got %+v, want version v9.8.7 and no revision", b)
		}
	})

	t.Run("commit of the checkout", func(t *testing.T) {
		head, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err != nil {
			t.Skipf("not a git checkout: %v", err)
		}
		// Go stamps VCS information only where .git is a directory: a
		// "git worktree" checkout (.git is a file) builds without it.
		top, _ := exec.Command("git", "rev-parse", "--show-toplevel").Output()
		if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err != nil || !fi.IsDir() {
			t.Skip("a git worktree: the Go toolchain records no VCS information here")
		}
		b := buildAndRun(t, "-buildvcs=true")
		if want := strings.TrimSpace(string(head)); b.Revision != want || b.Time == "" {
			t.Errorf("got %+v, want revision %s and a commit time", b, want)
		}
		if b.Version == develVersion {
			t.Errorf("version %q: a build from a checkout has a pseudo-version", b.Version)
		}
	})
}
