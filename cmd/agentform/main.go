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
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr, lookupEnv: lookupEnv}
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
			fmt.Fprintln(stderr, "Error:", ec.err)
		}
		return ec.code
	}
	fmt.Fprintln(stderr, "Error:", err)
	return exitError1
}
