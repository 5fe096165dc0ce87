package scripts

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// runInstall runs install.sh with env added to the test's environment.
func runInstall(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	cmd := exec.Command("bash", append([]string{"install.sh"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

func TestInstallResolve(t *testing.T) {
	tests := []struct {
		version, mirror, want, wantErr string
	}{
		{version: "v1.2.3", want: "v1.2.3"},
		{version: "1.2.3", want: "v1.2.3"},
		{version: "v1.3.0-rc.1", want: "v1.3.0-rc.1"},
		{version: "v1", wantErr: `version "v1": want latest or a release tag such as v1.2.3`},
		{version: "main", wantErr: `version "main": want latest`},
		{version: "1.2.3; rm -rf /", wantErr: "want latest or a release tag"},
		{version: "latest", mirror: "http://127.0.0.1:1", wantErr: "version latest cannot be resolved on a mirror"},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			code, out, errOut := runInstall(t, []string{"AGENTFORM_MIRROR=" + tt.mirror}, "resolve", tt.version)
			if tt.wantErr != "" {
				if code != 1 || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, tt.wantErr)
				}
				return
			}
			if code != 0 || strings.TrimSpace(out) != tt.want {
				t.Errorf("exit %d, %q (stderr %q); want %q", code, out, errOut, tt.want)
			}
		})
	}
}

func TestInstallPlatform(t *testing.T) {
	code, out, _ := runInstall(t, []string{"AGENTFORM_PLATFORM=windows_arm64"}, "platform")
	if code != 0 || out != "windows_arm64\n" {
		t.Errorf("override: exit %d, %q", code, out)
	}
	code, out, errOut := runInstall(t, []string{"AGENTFORM_PLATFORM="}, "platform")
	if code != 0 || !slices.Contains([]string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"}, strings.TrimSpace(out)) {
		t.Errorf("this machine: exit %d, %q (stderr %q)", code, out, errOut)
	}
}

// release is a fake release site: TAG/FILE as GitHub serves them.
type release map[string][]byte

func (r release) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, ok := r[strings.TrimPrefix(req.URL.Path, "/")]
	if !ok {
		http.NotFound(w, req)
		return
	}
	w.Write(body)
}

func tarGz(t *testing.T, name string, content []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		body []byte
	}{{"README.md", []byte("readme")}, {name, content}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.body)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func zipOf(t *testing.T, name string, content []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(content)
	zw.Close()
	return buf.Bytes()
}

func sumLine(name string, body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:]) + "  " + name + "\n"
}

// TestInstallDownload: install.sh installs only an archive whose SHA-256
// matches the release's checksum file.
func TestInstallDownload(t *testing.T) {
	binary := []byte("#!/bin/sh\necho agentform v1.2.3\n")
	good := tarGz(t, "agentform", binary)
	tampered := append(slices.Clone(good), 'x')
	win := zipOf(t, "agentform.exe", binary)
	sums := sumLine("agentform_1.2.3_linux_amd64.tar.gz", good) + sumLine("agentform_1.2.3_windows_amd64.zip", win)

	tests := []struct {
		name     string
		platform string
		site     release
		wantErr  string
		wantBin  string
	}{
		{name: "verified", platform: "linux_amd64", wantBin: "agentform",
			site: release{"v1.2.3/agentform_1.2.3_checksums.txt": []byte(sums), "v1.2.3/agentform_1.2.3_linux_amd64.tar.gz": good}},
		{name: "windows zip", platform: "windows_amd64", wantBin: "agentform.exe",
			site: release{"v1.2.3/agentform_1.2.3_checksums.txt": []byte(sums), "v1.2.3/agentform_1.2.3_windows_amd64.zip": win}},
		{name: "tampered archive", platform: "linux_amd64", wantErr: "checksum mismatch for agentform_1.2.3_linux_amd64.tar.gz",
			site: release{"v1.2.3/agentform_1.2.3_checksums.txt": []byte(sums), "v1.2.3/agentform_1.2.3_linux_amd64.tar.gz": tampered}},
		{name: "archive not in the checksum file", platform: "darwin_arm64", wantErr: "agentform_1.2.3_checksums.txt lists no agentform_1.2.3_darwin_arm64.tar.gz",
			site: release{"v1.2.3/agentform_1.2.3_checksums.txt": []byte(sums), "v1.2.3/agentform_1.2.3_darwin_arm64.tar.gz": good}},
		{name: "no checksum file", platform: "linux_amd64", wantErr: "cannot download",
			site: release{"v1.2.3/agentform_1.2.3_linux_amd64.tar.gz": good}},
		{name: "archive missing", platform: "linux_amd64", wantErr: "cannot download",
			site: release{"v1.2.3/agentform_1.2.3_checksums.txt": []byte(sums)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.HasSuffix(tt.wantBin, ".exe") {
				if _, err := exec.LookPath("unzip"); err != nil {
					t.Skip("no unzip")
				}
			}
			srv := httptest.NewServer(tt.site)
			defer srv.Close()
			dir := filepath.Join(t.TempDir(), "bin")
			code, out, errOut := runInstall(t, []string{"AGENTFORM_MIRROR=" + srv.URL, "AGENTFORM_PLATFORM=" + tt.platform}, "download", "v1.2.3", dir)
			if tt.wantErr != "" {
				if code != 1 || !strings.Contains(errOut, tt.wantErr) {
					t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, tt.wantErr)
				}
				if entries, _ := os.ReadDir(dir); len(entries) > 0 {
					t.Errorf("refused, yet %s holds %v", dir, entries)
				}
				return
			}
			want := filepath.Join(dir, tt.wantBin)
			if code != 0 || strings.TrimSpace(out) != want {
				t.Fatalf("exit %d, stdout %q, stderr %q; want the path %s", code, out, errOut, want)
			}
			got, err := os.ReadFile(want)
			if err != nil || !bytes.Equal(got, binary) {
				t.Fatalf("installed %q (%v), want the archive's binary", got, err)
			}
			if fi, _ := os.Stat(want); fi.Mode()&0o100 == 0 {
				t.Errorf("%s is not executable: %v", want, fi.Mode())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("%s holds %v, want only the binary", dir, entries)
			}
		})
	}
}

// TestReleaseNamesMatchInstall: the archives and checksum file GoReleaser
// publishes are the ones install.sh (and so action.yml) downloads, for every
// platform the action supports.
func TestReleaseNamesMatchInstall(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ProjectName string `yaml:"project_name"`
		Builds      []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
		Archives []struct {
			Formats         []string `yaml:"formats"`
			NameTemplate    string   `yaml:"name_template"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("want one build and one archive, got %d and %d", len(cfg.Builds), len(cfg.Archives))
	}
	b, a := cfg.Builds[0], cfg.Archives[0]
	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("project_name", cfg.ProjectName, "agentform")
	check("builds.main", b.Main, "./cmd/agentform")
	check("builds.binary", b.Binary, "agentform")
	check("builds.goos", b.Goos, []string{"linux", "darwin", "windows"})
	check("builds.goarch", b.Goarch, []string{"amd64", "arm64"})
	if !strings.Contains(strings.Join(b.Ldflags, " "), "-X main.version=v{{ .Version }}") {
		t.Errorf("ldflags %q do not stamp main.version", b.Ldflags)
	}
	// install.sh: agentform_${tag#v}_${plat}.${ext}, agentform_${tag#v}_checksums.txt
	check("archives.name_template", a.NameTemplate, "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}")
	check("archives.formats", a.Formats, []string{"tar.gz"})
	check("archives.format_overrides", len(a.FormatOverrides) == 1 && a.FormatOverrides[0].Goos == "windows" && fmt.Sprint(a.FormatOverrides[0].Formats) == "[zip]", true)
	check("checksum.name_template", cfg.Checksum.NameTemplate, "{{ .ProjectName }}_{{ .Version }}_checksums.txt")
	check("checksum.algorithm", cfg.Checksum.Algorithm, "sha256")

	script, err := os.ReadFile("install.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{`archive="agentform_${tag#v}_${plat}.${ext}"`, `sums="agentform_${tag#v}_checksums.txt"`} {
		if !strings.Contains(string(script), line) {
			t.Errorf("install.sh lacks %s", line)
		}
	}
}
