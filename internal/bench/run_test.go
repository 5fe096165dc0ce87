package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for agentform (fakeAgentform) when
// the harness runs it.
func TestMain(m *testing.M) {
	if os.Getenv("BENCH_FAKE_AGENTFORM") == "1" {
		os.Exit(fakeAgentform(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fakeAgentform searches the agents of every location whose token is in
// the environment, holds fakeMemory bytes, prints a line and exits with
// BENCH_FAKE_EXIT (default 0).
func fakeAgentform(args []string) int {
	endpoint := os.Getenv("AGENTFORM_ENDPOINT")
	var n int
	for _, kv := range os.Environ() {
		name, token, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HL_TOKEN_") {
			continue
		}
		req, _ := http.NewRequest("GET", endpoint+"/conversation-ai/agents/search", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Version", "2021-04-15")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		res.Body.Close()
		n++
	}
	held := make([]byte, fakeMemory)
	for i := range held {
		held[i] = byte(i)
	}
	fmt.Printf("%s: %d locations, %d bytes\n", args[0], n, len(held))
	code := 0
	fmt.Sscan(os.Getenv("BENCH_FAKE_EXIT"), &code)
	return code
}

const fakeMemory = 64 << 20

// TestRun runs the harness with the test binary as agentform: it counts the
// requests the command sent, measures its memory and checks its exit
// status.
func TestRun(t *testing.T) {
	t.Setenv("BENCH_FAKE_AGENTFORM", "1")
	cfg := Config{Binary: os.Args[0], Dir: t.TempDir(), Fleet: Fleet{Locations: 3, TokenEnvs: true}, Scenarios: []string{ScenarioApply}}
	rs, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Command != "apply" || rs[1].Command != "plan" {
		t.Fatalf("results %+v, want apply then plan", rs)
	}
	for _, r := range rs {
		if r.Requests["GET"] != 3 || r.Total() != 3 {
			t.Errorf("%s: requests %v, want 3 GET", r.Command, r.Requests)
		}
		if r.Exit != 0 || r.Wall <= 0 || r.Output == 0 || r.Locations != 3 || r.Parallelism != 16 {
			t.Errorf("%s: %+v", r.Command, r)
		}
		if runtime.GOOS != "linux" {
			continue
		}
		if r.PeakRSS < fakeMemory {
			t.Errorf("%s: peak RSS %d, want at least the %d bytes it held", r.Command, r.PeakRSS, fakeMemory)
		}
		if len(r.RSS) == 0 {
			t.Errorf("%s: no RSS samples", r.Command)
		}
	}

	cfg.Scenarios = []string{ScenarioValidate}
	rs, err = Run(context.Background(), cfg)
	if err != nil || len(rs) != 1 || rs[0].Command != "validate" || rs[0].Total() != 0 || rs[0].Exit != 0 {
		t.Errorf("validate: %v, %+v", err, rs)
	}

	t.Setenv("BENCH_FAKE_EXIT", "3")
	cfg.Scenarios = []string{ScenarioPlan}
	rs, err = Run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "exited 3, want 0") || len(rs) != 1 || rs[0].Exit != 3 {
		t.Errorf("a failing command: %v, %+v", err, rs)
	}
	if _, err := Run(context.Background(), Config{Binary: os.Args[0], Dir: t.TempDir(), Fleet: Fleet{Locations: 1}, Scenarios: []string{"nap"}}); err == nil {
		t.Error("an unknown scenario is accepted")
	}
}

// TestPeakRSS: a child's maxrss above the harness's own peak is the
// child's; at or below it, it may be the harness's memory the child was
// forked with, and the sampled peaks decide.
func TestPeakRSS(t *testing.T) {
	const mb = 1 << 20
	samples := []RSSSample{{RSS: 40 * mb, Peak: 60 * mb}, {RSS: 150 * mb, Peak: 150 * mb}, {RSS: 90 * mb, Peak: 150 * mb}}
	tests := []struct {
		name            string
		samples         []RSSSample
		maxrss, harness int64
		want            int64
	}{
		{"command above the harness", samples, 400 * mb, 100 * mb, 400 * mb},
		{"maxrss is the harness's", samples, 973 * mb, 973 * mb, 150 * mb},
		{"maxrss below the harness's peak", samples, 500 * mb, 973 * mb, 150 * mb},
		{"nothing sampled", nil, 973 * mb, 973 * mb, 973 * mb},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := peakRSS(tc.samples, tc.maxrss, tc.harness); got != tc.want {
				t.Errorf("peakRSS = %d MB, want %d MB", got/mb, tc.want/mb)
			}
		})
	}
}
