package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/agentform/agentform/pkg/sim"
)

// The scenarios Run knows.
const (
	// ScenarioApply seeds the fleet's company and locations without agents
	// and runs `agentform apply --auto-approve` (plan, then apply: 25
	// creates per location), then a plan that must show no changes.
	ScenarioApply = "apply"
	// ScenarioPlan seeds the fleet with its agents, equal to the manifests,
	// and runs `agentform plan`, which must show no changes.
	ScenarioPlan = "plan"
	// ScenarioValidate runs `agentform validate` on the manifests: the
	// loader alone (no sandbox, no request).
	ScenarioValidate = "validate"
	// ScenarioDrift seeds the fleet with drift in every DriftEvery-th
	// location and runs `agentform plan --detailed-exitcode`, which must
	// exit 2 and show exactly those changes.
	ScenarioDrift = "drift"
)

// Config is one harness run.
type Config struct {
	// Binary is the agentform binary to measure.
	Binary string
	// Dir holds the manifests, seed files, databases and outputs; it is
	// reused as it is when it already holds this fleet's manifests.
	Dir string
	// Fleet is the generated fleet.
	Fleet Fleet
	// Latency is added by the sandbox to every request.
	Latency time.Duration
	// Parallelism is agentform's --parallelism (locations at once; 16 when
	// 0). Steps inside a location run 4 at a time (apply's default), reads
	// 4 at a time (plan's).
	Parallelism int
	// Scenarios to run, in order (Scenario*).
	Scenarios []string
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Result is the measure of one agentform command.
type Result struct {
	Scenario  string
	Command   string // "plan" or "apply"
	Locations int
	Latency   time.Duration
	// Parallelism is --parallelism.
	Parallelism int
	// Requests counts the requests the sandbox received during the command,
	// by method.
	Requests map[string]int
	// Wall is the command's elapsed time; CPU its user and system time.
	Wall, CPU time.Duration
	// SandboxCPU is the CPU time of the harness process (the sandbox
	// serving the command) while the command ran.
	SandboxCPU time.Duration
	// PeakRSS is the command's maximum resident set size, in bytes (0 where
	// the platform does not say): its rusage maxrss, unless that may be the
	// harness's (see peakRSS).
	PeakRSS int64
	// RSS is the command's resident set size over time, sampled every
	// rssInterval (Linux only).
	RSS []RSSSample
	// Output is the size of the command's standard output.
	Output int64
	// Exit is the command's exit status.
	Exit int
	// Bound is requests x latency / parallelism (0 without latency); Floor
	// is the least time the engine's per-location structure allows (see
	// the package documentation).
	Bound, Floor time.Duration
}

// Total is the number of requests.
func (r Result) Total() int {
	n := 0
	for _, c := range r.Requests {
		n += c
	}
	return n
}

// Run runs cfg's scenarios and returns one result per agentform command.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Fleet.Locations < 1 {
		return nil, fmt.Errorf("a fleet of %d locations: want at least 1", cfg.Fleet.Locations)
	}
	if cfg.Parallelism <= 0 {
		cfg.Parallelism = 16
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	bin, err := filepath.Abs(cfg.Binary)
	if err != nil {
		return nil, err
	}
	cfg.Binary = bin
	manifests := filepath.Join(cfg.Dir, "manifests")
	start := time.Now()
	if err := os.RemoveAll(manifests); err != nil {
		return nil, err
	}
	if err := cfg.Fleet.WriteManifests(manifests); err != nil {
		return nil, err
	}
	fmt.Fprintf(cfg.Log, "generated %d location manifests in %s\n", cfg.Fleet.Locations, since(start))
	var out []Result
	for _, sc := range cfg.Scenarios {
		rs, err := runScenario(ctx, cfg, sc, filepath.Join(manifests, "locations"))
		out = append(out, rs...)
		if err != nil {
			return out, fmt.Errorf("%s: %w", sc, err)
		}
	}
	return out, nil
}

// runScenario seeds a fresh sandbox database for scenario sc, serves it and
// runs the scenario's commands against it.
func runScenario(ctx context.Context, cfg Config, sc, manifests string) ([]Result, error) {
	fleet := cfg.Fleet
	if sc == ScenarioValidate {
		r := Result{Scenario: sc, Command: "validate", Locations: fleet.Locations, Parallelism: cfg.Parallelism, Requests: map[string]int{}}
		outPath := filepath.Join(cfg.Dir, "validate.out")
		if err := measure(ctx, &r, cfg.Binary, []string{"validate", manifests}, os.Environ(), outPath); err != nil {
			return nil, err
		}
		if err := writeRSS(outPath+".rss.csv", r.RSS); err != nil {
			return nil, err
		}
		fmt.Fprintf(cfg.Log, "%s: %s\n", sc, r)
		if r.Exit != 0 {
			return []Result{r}, fmt.Errorf("agentform validate exited %d, want 0 (output in %s)", r.Exit, outPath)
		}
		return []Result{r}, nil
	}
	withAgents := true
	switch sc {
	case ScenarioApply:
		withAgents = false
	case ScenarioPlan:
		fleet.DriftEvery = 0
	case ScenarioDrift:
		if fleet.DriftEvery <= 0 {
			fleet.DriftEvery = 100
		}
	default:
		return nil, fmt.Errorf("unknown scenario (want %s, %s, %s or %s)", ScenarioApply, ScenarioPlan, ScenarioDrift, ScenarioValidate)
	}
	seedPath := filepath.Join(cfg.Dir, sc+"-seed.json")
	start := time.Now()
	if err := fleet.WriteSeed(seedPath, withAgents); err != nil {
		return nil, err
	}
	db := filepath.Join(cfg.Dir, sc+".db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	s, err := sim.New(sim.Options{StatePath: db, RateLimit: -1, Latency: cfg.Latency})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	seed, err := sim.ReadSeedFile(seedPath)
	if err != nil {
		return nil, err
	}
	st, err := s.LoadSeed(seed)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(cfg.Log, "%s: seeded %s in %s\n", sc, st, since(start))
	write := sc == ScenarioApply
	var creds []string
	if fleet.TokenEnvs {
		for i := range fleet.Locations {
			tok, err := s.MintToken(LocationID(i), sim.LocationScopes(write)...)
			if err != nil {
				return nil, err
			}
			creds = append(creds, TokenEnv(i)+"="+tok)
		}
	} else {
		agency, err := s.MintAgencyToken(CompanyID, sim.AgencyScopes(write)...)
		if err != nil {
			return nil, err
		}
		creds = append(creds, "HIGHLEVEL_AGENCY_TOKEN="+agency, "HIGHLEVEL_COMPANY_ID="+CompanyID)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "HIGHLEVEL_") || strings.HasPrefix(kv, "HL_TOKEN_") || strings.HasPrefix(kv, "AGENTFORM_ENDPOINT=")
	})
	env = append(env, "AGENTFORM_ENDPOINT=http://"+ln.Addr().String(), "NO_COLOR=1")
	env = append(env, creds...)
	cmd := func(command string, want int, args ...string) (Result, error) {
		r := Result{Scenario: sc, Command: command, Locations: fleet.Locations, Latency: cfg.Latency, Parallelism: cfg.Parallelism}
		s.ResetAudit()
		outPath := filepath.Join(cfg.Dir, fmt.Sprintf("%s-%s.out", sc, command))
		full := append([]string{command, manifests, "--parallelism", fmt.Sprint(cfg.Parallelism)}, args...)
		if err := measure(ctx, &r, cfg.Binary, full, env, outPath); err != nil {
			return r, err
		}
		r.Requests = map[string]int{}
		routes := map[string]int{}
		for _, e := range s.Audit() {
			r.Requests[e.Method]++
			routes[e.Method+" "+routeOf(e.Path)]++
		}
		if err := writeRoutes(outPath+".requests", routes); err != nil {
			return r, err
		}
		if err := writeRSS(outPath+".rss.csv", r.RSS); err != nil {
			return r, err
		}
		r.Bound, r.Floor = bounds(r, fleet)
		fmt.Fprintf(cfg.Log, "%s: %s %s\n", sc, command, r)
		if r.Exit != want {
			return r, fmt.Errorf("agentform %s exited %d, want %d (output in %s)", command, r.Exit, want, outPath)
		}
		return r, nil
	}
	var out []Result
	switch sc {
	case ScenarioApply:
		r, err := cmd("apply", 0, "--auto-approve")
		out = append(out, r)
		if err != nil {
			return out, err
		}
		r, err = cmd("plan", 0, "--detailed-exitcode")
		r.Scenario = "plan after apply"
		out = append(out, r)
		return out, err
	case ScenarioPlan:
		r, err := cmd("plan", 0, "--detailed-exitcode")
		return append(out, r), err
	default:
		r, err := cmd("plan", 2, "--detailed-exitcode", "--out", filepath.Join(cfg.Dir, "drift-plan.json"))
		out = append(out, r)
		if err != nil {
			return out, err
		}
		return out, checkDrift(filepath.Join(cfg.Dir, "drift-plan.json"), fleet)
	}
}

// measure runs the binary with args, its standard output to outPath, and
// fills r's time, memory and exit status.
func measure(ctx context.Context, r *Result, bin string, args, env []string, outPath string) error {
	outFile, err := os.Create(outPath)
	if err != nil {
		return err
	}
	defer outFile.Close()
	var stderr bytes.Buffer
	c := exec.CommandContext(ctx, bin, args...)
	c.Env, c.Stdout, c.Stderr = env, outFile, &stderr
	selfBefore := selfCPU()
	start := time.Now()
	if err := c.Start(); err != nil {
		return fmt.Errorf("run %s: %w", filepath.Base(bin), err)
	}
	_, harnessPeak := residentSize(os.Getpid()) // after the exec: see peakRSS
	done := make(chan struct{})
	sampled := make(chan []RSSSample, 1)
	go func() { sampled <- sampleRSS(c.Process.Pid, start, done) }()
	err = c.Wait()
	r.Wall = time.Since(start)
	close(done)
	r.RSS = <-sampled
	r.SandboxCPU = selfCPU() - selfBefore
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return fmt.Errorf("run %s: %w", filepath.Base(bin), err)
	}
	ps := c.ProcessState
	r.Exit = ps.ExitCode()
	r.CPU = ps.UserTime() + ps.SystemTime()
	r.PeakRSS = peakRSS(r.RSS, maxRSS(ps), harnessPeak)
	if info, err := outFile.Stat(); err == nil {
		r.Output = info.Size()
	}
	if stderr.Len() > 0 {
		_ = os.WriteFile(outPath+".stderr", stderr.Bytes(), 0o644)
	}
	return nil
}

// rssInterval is how often a running command's resident set size is read.
const rssInterval = 50 * time.Millisecond

// RSSSample is a command's resident set size (bytes) at an elapsed time,
// and its peak so far.
type RSSSample struct {
	At   time.Duration
	RSS  int64
	Peak int64
}

// sampleRSS reads pid's resident set size every rssInterval until done.
func sampleRSS(pid int, start time.Time, done <-chan struct{}) []RSSSample {
	var out []RSSSample
	t := time.NewTicker(rssInterval)
	defer t.Stop()
	for {
		if rss, peak := residentSize(pid); rss > 0 {
			out = append(out, RSSSample{time.Since(start), rss, peak})
		}
		select {
		case <-done:
			return out
		case <-t.C:
		}
	}
}

// peakRSS is a command's peak resident set size from its rusage maxrss,
// its samples and the harness's own peak when it started the command. On
// Linux a child's maxrss also counts the address space it was forked with
// until its exec, the harness's: the kernel keeps the high-water mark of
// the memory exec replaced. So a maxrss above the harness's peak is the
// command's own; otherwise the command stayed below the harness (a
// sandbox of 10,000 locations holds about a gigabyte) and its peak is the
// highest VmHWM sampled, its own since the exec, exact but for growth in
// its last sampling interval.
func peakRSS(samples []RSSSample, maxrss, harness int64) int64 {
	if maxrss > harness {
		return maxrss
	}
	var peak int64
	for _, s := range samples {
		peak = max(peak, s.Peak, s.RSS)
	}
	if peak == 0 {
		return maxrss // nothing sampled: the best there is
	}
	return peak
}

// PeakAt is when the sampled resident set size was highest (0 without
// samples).
func (r Result) PeakAt() time.Duration {
	var best RSSSample
	for _, s := range r.RSS {
		if s.RSS > best.RSS {
			best = s
		}
	}
	return best.At
}

// writeRSS writes the samples as CSV: seconds, megabytes.
func writeRSS(path string, samples []RSSSample) error {
	var b strings.Builder
	b.WriteString("seconds,rss_mb\n")
	for _, s := range samples {
		fmt.Fprintf(&b, "%.2f,%.1f\n", s.At.Seconds(), mb(s.RSS))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }

// String is one line of a result.
func (r Result) String() string {
	var methods []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if n := r.Requests[m]; n > 0 {
			methods = append(methods, fmt.Sprintf("%s %d", m, n))
		}
	}
	line := fmt.Sprintf("%d requests (%s), %.2f s, cpu %.2f s (sandbox %.2f s), peak RSS %.1f MB (at %.1f s), exit %d",
		r.Total(), strings.Join(methods, ", "), r.Wall.Seconds(), r.CPU.Seconds(), r.SandboxCPU.Seconds(), mb(r.PeakRSS),
		r.PeakAt().Seconds(), r.Exit)
	if r.Bound > 0 {
		line += fmt.Sprintf("; bound %.2f s (x%.2f), floor %.2f s (x%.2f)", r.Bound.Seconds(), ratio(r.Wall, r.Bound),
			r.Floor.Seconds(), ratio(r.Wall, r.Floor))
	}
	return line
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return a.Seconds() / b.Seconds()
}

// routeOf is a request path with its ids replaced by {id}.
func routeOf(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if len(s) >= 20 {
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

// writeRoutes writes the request counts by route, most first.
func writeRoutes(path string, routes map[string]int) error {
	keys := make([]string, 0, len(routes))
	for k := range routes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if routes[a] != routes[b] {
			return routes[b] - routes[a]
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%8d %s\n", routes[k], k)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
