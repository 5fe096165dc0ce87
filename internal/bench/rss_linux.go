//go:build linux

package bench

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// residentSize is a running process's resident set size (VmRSS) and its
// peak since it started its program (VmHWM), in bytes; 0 when they cannot
// be read.
func residentSize(pid int) (rss, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for line := range bytes.Lines(b) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			rss = kilobytes(rest)
		} else if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			peak = kilobytes(rest)
		}
	}
	return rss, peak
}

// kilobytes reads "  123456 kB" as bytes.
func kilobytes(field []byte) int64 {
	f := bytes.Fields(field)
	if len(f) == 0 {
		return 0
	}
	kb, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil {
		return 0
	}
	return kb * 1024
}
