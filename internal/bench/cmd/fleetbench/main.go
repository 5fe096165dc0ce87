// Command fleetbench measures agentform on a generated fleet against a
// seeded sandbox and prints, per command, its requests, seconds, CPU and
// peak memory (see package internal/bench). scripts/bench.sh builds and
// runs it:
//
//	fleetbench -bin ./agentform -locations 100 -latency 20ms -scenarios apply,plan
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/agentform/agentform/internal/bench"
)

func main() {
	var (
		cfg       bench.Config
		scenarios string
		keep      bool
	)
	flag.StringVar(&cfg.Binary, "bin", "agentform", "the agentform binary to measure")
	flag.StringVar(&cfg.Dir, "dir", "", "work folder for manifests, seeds, databases and outputs (default: a temporary folder, removed afterwards)")
	flag.IntVar(&cfg.Fleet.Locations, "locations", 100, "locations in the fleet (5 agents x 4 actions each)")
	flag.IntVar(&cfg.Fleet.PerFile, "per-file", 1, "Location documents per manifest file")
	flag.BoolVar(&cfg.Fleet.Inline, "inline", false, "write every agent in full in every location instead of naming shared bases")
	flag.IntVar(&cfg.Fleet.DriftEvery, "drift-every", 100, "drift scenario: every Nth location's live state differs")
	flag.DurationVar(&cfg.Latency, "latency", 0, "latency the sandbox adds to every request")
	flag.IntVar(&cfg.Parallelism, "parallelism", 16, "agentform --parallelism (locations at once)")
	flag.StringVar(&scenarios, "scenarios", "apply,plan", "comma-separated: apply, plan, drift, validate")
	tokens := flag.String("tokens", "location", "location: every location's own token in its tokenEnv variable; agency: one agency token (HIGHLEVEL_AGENCY_TOKEN) mints them")
	flag.BoolVar(&keep, "keep", false, "keep the temporary work folder")
	flag.Parse()
	cfg.Scenarios = strings.Split(scenarios, ",")
	switch *tokens {
	case "location":
		cfg.Fleet.TokenEnvs = true
	case "agency":
	default:
		fail(fmt.Errorf("-tokens %q: want location or agency", *tokens))
	}
	cfg.Log = os.Stderr
	if cfg.Dir == "" {
		dir, err := os.MkdirTemp("", "agentform-bench-")
		if err != nil {
			fail(err)
		}
		cfg.Dir = dir
		if !keep {
			defer os.RemoveAll(dir)
		} else {
			fmt.Fprintf(os.Stderr, "work folder: %s\n", dir)
		}
	} else if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	results, err := bench.Run(ctx, cfg)
	printTable(results)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleetbench:", err)
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fleetbench:", err)
	os.Exit(1)
}

// printTable prints the results as a Markdown table.
func printTable(rs []bench.Result) {
	fmt.Println("| scenario | command | locations | latency | parallelism | requests | seconds | cpu s | sandbox cpu s | peak RSS MB | bound s | x bound | floor s | x floor |")
	fmt.Println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rs {
		bound, xb, floor, xf := "-", "-", "-", "-"
		if r.Bound > 0 {
			bound, xb = secs(r.Bound), fmt.Sprintf("%.2f", r.Wall.Seconds()/r.Bound.Seconds())
			floor, xf = secs(r.Floor), fmt.Sprintf("%.2f", r.Wall.Seconds()/r.Floor.Seconds())
		}
		fmt.Printf("| %s | %s | %d | %s | %d | %d | %s | %s | %s | %.0f | %s | %s | %s | %s |\n",
			r.Scenario, r.Command, r.Locations, r.Latency, r.Parallelism, r.Total(), secs(r.Wall), secs(r.CPU),
			secs(r.SandboxCPU), float64(r.PeakRSS)/(1<<20), bound, xb, floor, xf)
	}
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }
