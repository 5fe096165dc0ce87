package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func init() {
	commandAdders = append(commandAdders, newVersionCmd)
	version = currentBuild().Version
}

// version is the release version. The release build stamps it with
// -ldflags "-X main.version=v1.2.3"; init then replaces it with the resolved
// version (see readBuild), so the User-Agent names the same version that
// "agentform version" prints.
var version string

// develVersion is printed when neither the build info nor the release build
// names a version (go build -buildvcs=false outside a module download).
const develVersion = "devel"

// build describes the running binary: the version and the commit it was
// built from, as recorded by the Go toolchain (runtime/debug.BuildInfo).
type build struct {
	// Version is the main module's version ("v1.2.3", or a pseudo-version
	// such as "v0.0.0-20260102030405-0123456789ab+dirty" for a build from a
	// git checkout), else the release build's stamp, else "devel".
	Version string `json:"version"`
	// Revision is the commit (vcs.revision); "" when the binary was built
	// without VCS information (go install module@version, -buildvcs=false).
	Revision string `json:"revision,omitempty"`
	// Time is the commit's time (vcs.time, RFC 3339).
	Time string `json:"time,omitempty"`
	// Modified is true when the working tree had uncommitted changes.
	Modified bool `json:"modified"`
	// Go is the toolchain version; Platform is GOOS/GOARCH.
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// readBuild resolves the version of a binary from its build info (ok is
// false when the binary has none) and the value stamped by -ldflags
// "-X main.version=..." ("" when not set). The module version wins; Go
// reports "(devel)" when it knows none, and then the stamp is used.
func readBuild(info *debug.BuildInfo, ok bool, stamped string) build {
	b := build{Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if ok && info != nil {
		if v := info.Main.Version; v != "" && v != "(devel)" {
			b.Version = v
		}
		if info.GoVersion != "" {
			b.Go = info.GoVersion
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = strings.TrimSpace(stamped)
	}
	if b.Version == "" {
		b.Version = develVersion
	}
	return b
}

// currentBuild is the build of the running binary.
func currentBuild() build {
	info, ok := debug.ReadBuildInfo()
	return readBuild(info, ok, version)
}

// String is the text "agentform version" and "agentform --version" print:
//
//	agentform v1.2.3
//	commit 0123456789abcdef0123456789abcdef01234567 (2026-01-02T03:04:05Z)
//	go1.26.8 linux/amd64
func (b build) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "agentform %s\n", b.Version)
	switch {
	case b.Revision == "":
		s.WriteString("commit unknown (built without VCS information)\n")
	default:
		var notes []string
		if b.Time != "" {
			notes = append(notes, b.Time)
		}
		if b.Modified {
			notes = append(notes, "with uncommitted changes")
		}
		s.WriteString("commit " + b.Revision)
		if len(notes) > 0 {
			s.WriteString(" (" + strings.Join(notes, ", ") + ")")
		}
		s.WriteString("\n")
	}
	fmt.Fprintf(&s, "%s %s\n", b.Go, b.Platform)
	return s.String()
}

// newVersionCmd is "agentform version". The root command's --version flag
// prints the same text (see versionFlag).
func newVersionCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the agentform version and the commit it was built from",
		Example: `  agentform version
  agentform version --format json   # {"version": "v1.2.3", "revision": "...", ...}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b := currentBuild()
			switch format {
			case "text":
				fmt.Fprint(g.stdout, b.String())
			case "json":
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(b); err != nil {
					return fmt.Errorf("write version: %w", err)
				}
			default:
				return fmt.Errorf("--format %q: want text or json", format)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// versionFlag makes "agentform --version" print what "agentform version"
// prints.
func versionFlag(root *cobra.Command) {
	root.Version = strings.TrimSuffix(currentBuild().String(), "\n")
	root.SetVersionTemplate("{{.Version}}\n")
}
