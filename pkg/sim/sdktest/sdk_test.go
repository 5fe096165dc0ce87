// Package sdktest runs HighLevel's official Node SDK (@gohighlevel/api-client
// 3.1.0, from the npm registry) against the sandbox: every Conversation AI
// operation through the SDK's own methods and default settings (its default
// Version header is 2023-02-21). It needs node and npm; without them the test
// is skipped with a message. Set AGENTFORM_SKIP_SDKTEST=1 to skip it.
//
// The SDK is installed once into the user cache folder
// (agentform-sdktest/<version>), so later runs need no network.
package sdktest

import (
	"bytes"
	"context"
	_ "embed"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/agentform/agentform/internal/contract"
	"github.com/agentform/agentform/pkg/sim"
	"github.com/agentform/agentform/pkg/sim/simtest"
)

//go:embed sdk.js
var script []byte

//go:embed package.json
var packageJSON []byte

const sdkVersion = "3.1.0"

func TestOfficialSDK(t *testing.T) {
	if os.Getenv("AGENTFORM_SKIP_SDKTEST") != "" {
		t.Skip("AGENTFORM_SKIP_SDKTEST is set")
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		t.Skip("node and npm are needed to run HighLevel's official SDK against the sandbox; skipping")
	}
	dir := installSDK(t, npm)

	s, ts := simtest.Start(t, sim.Options{})
	const location = "LocSDKxxxxxxxxxxxxxx"
	token := simtest.Token(t, s, location, true)
	if _, err := s.AddGeneration(location, "msgSDK", nil); err != nil {
		t.Fatal(err)
	}
	// The SDK talks to a proxy that checks every answer against the
	// documents (requests too would be flagged for the SDK's Version value).
	target, _ := url.Parse(ts.URL)
	rec := &contract.Recorder{Base: ts.Client().Transport, ResponsesOnly: true}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = rec
	front := httptest.NewServer(proxy)
	defer front.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "sdk.js"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SANDBOX_URL="+front.URL, "TOKEN="+token, "MESSAGE_ID=msgSDK")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("the official SDK failed against the sandbox: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "sdk: 12 operations ok") {
		t.Fatalf("the SDK script did not run every operation:\n%s", out.String())
	}
	if v := rec.Violations(); len(v) > 0 {
		t.Errorf("answers breaking the contract:\n%s", strings.Join(v, "\n"))
	}
	if rec.Exchanges() < 12 {
		t.Errorf("%d exchanges checked, want at least 12", rec.Exchanges())
	}
}

// installSDK installs the SDK once into the user cache and returns the
// folder holding sdk.js beside its node_modules.
func installSDK(t *testing.T, npm string) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "agentform-sdktest", sdkVersion)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"sdk.js": script, "package.json": packageJSON} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@gohighlevel", "api-client", "package.json")); err == nil {
		return dir
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "--no-audit", "--no-fund", "--no-package-lock")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install of @gohighlevel/api-client %s: %v\n%s", sdkVersion, err, out)
	}
	return dir
}
