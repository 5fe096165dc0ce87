package redact

import (
	"fmt"
	"log/slog"
)

// Secret is a credential held as a string that never prints: fmt (every
// verb), slog, encoding/json and encoding.TextMarshaler users (YAML) see
// Mask, or nothing when it is empty. Decoding JSON into a Secret keeps the
// real value. Reveal returns it, for the one place that must send it.
type Secret string

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// shown is what every printer sees.
func (s Secret) shown() string {
	if s == "" {
		return ""
	}
	return Mask
}

// String returns Mask (or "" for an empty secret).
func (s Secret) String() string { return s.shown() }

// GoString returns Mask quoted, for %#v.
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.shown()) }

// Format prints Mask for every verb, %x and %q included.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", s.shown())
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, s.GoString())
			return
		}
		fmt.Fprint(f, s.shown())
	default:
		fmt.Fprint(f, s.shown())
	}
}

// LogValue logs Mask.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.shown()) }

// MarshalText encodes Mask, so that JSON, YAML and other text encoders never
// write the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.shown()), nil }
