package api

import (
	"fmt"
	"log/slog"
)

// String names the location; the token never shows.
func (l Location) String() string { return "location " + l.id }

// Format prints the location for every verb (%v, %+v, %#v, %s, ...) without
// its token, so that no debug dump of a Location can leak it.
func (l Location) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", l.String())
		return
	}
	fmt.Fprint(f, l.String())
}

// LogValue logs the location as its id only.
func (l Location) LogValue() slog.Value { return slog.StringValue(l.id) }
