// Command agentform keeps HighLevel Conversation AI configuration in git: it
// validates manifests, plans changes against live state and applies them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/agentform/agentform/internal/redact"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv)
	stop()
	os.Exit(code)
}

// run executes the CLI with the given arguments and streams and returns the
// process exit code. Tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	// Every credential the run reads or mints is added to one redactor, and
	// everything the run prints goes through it: no token can reach stdout
	// or stderr, whatever message carries it.
	secrets := redact.New()
	out, errOut := redact.NewWriter(stdout, secrets), redact.NewWriter(stderr, secrets)
	defer out.Flush()
	defer errOut.Flush()
	g := &globals{stdin: stdin, stdout: out, stderr: errOut, lookupEnv: lookupEnv, secrets: secrets,
		tty: terminals{stdin: isTerminal(stdin), stdout: isTerminal(stdout), stderr: isTerminal(stderr)}}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if cerr := g.closeSandbox(); cerr != nil && err == nil {
		err = cerr
	}
	if err == nil {
		return exitOK
	}
	var ec *exitError
	if errors.As(err, &ec) {
		if ec.err != nil {
			fmt.Fprintln(errOut, "Error:", ec.err)
		}
		return ec.code
	}
	fmt.Fprintln(errOut, "Error:", err)
	return exitError1
}
