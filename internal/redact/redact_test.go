package redact

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

const pit = "pit-7f3c9e1a-4b2d-4c8e-9a1f-0d2e3f4a5b6c"

func TestString(t *testing.T) {
	r := New(pit, "kros_live_ABCDEFGHIJKLMNOP", "short8ch", "tiny")
	tests := []struct {
		name, in, want string
	}{
		{"whole token", "token " + pit + " used", "token " + Mask + " used"},
		{"without its pit- prefix", "token 7f3c9e1a-4b2d-4c8e-9a1f-0d2e3f4a5b6c", "token " + Mask},
		{"twelve-byte fragment", "x4b2d-4c8e-9ay", "x" + Mask + "y"},
		{"eleven-byte fragment stays", "x4b2d-4c8e-9y", "x4b2d-4c8e-9y"},
		{"glued to other text", "Bearer" + pit + "!", "Bearer" + Mask + "!"},
		{"at both ends", pit + " and " + pit, Mask + " and " + Mask},
		{"twice in a row is one mask", pit + pit, Mask},
		{"two secrets adjacent", pit + "kros_live_ABCDEFGHIJKLMNOP", Mask},
		{"overlapping fragments of two secrets", "live_ABCDEFGHIJ", Mask},
		{"short secret whole", "a short8ch b", "a " + Mask + " b"},
		{"short secret fragment stays", "short8c", "short8c"},
		{"secret under MinSecret is not learned", "tiny", "tiny"},
		{"nothing", "nothing to hide", "nothing to hide"},
		{"empty", "", ""},
		{"many lines", strings.Repeat("ok\n", 3) + pit[10:30] + "\n", "ok\nok\nok\n" + Mask + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := string(r.Bytes([]byte(tt.in))); got != tt.want {
				t.Errorf("Bytes(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if r.Leaks(tt.in) != (tt.in != tt.want) {
				t.Errorf("Leaks(%q) = %v", tt.in, r.Leaks(tt.in))
			}
		})
	}
}

func TestNoCopyWithoutMatch(t *testing.T) {
	r := New(pit)
	in := strings.Repeat("harmless text ", 100)
	if n := testing.AllocsPerRun(10, func() { _ = r.String(in) }); n != 0 {
		t.Errorf("%v allocations for text without a secret", n)
	}
	b := []byte(pit)
	out := r.Bytes(b)
	if string(b) != pit || string(out) != Mask {
		t.Errorf("Bytes changed its input or missed: %q %q", b, out)
	}
}

func TestNilAndEmpty(t *testing.T) {
	var r *Redactor
	r.Add(pit)
	if r.String(pit) != pit || r.Leaks(pit) || r.Len() != 0 || r.Error(nil) != nil {
		t.Error("a nil Redactor should mask nothing")
	}
	e := New()
	if e.String(pit) != pit {
		t.Error("an empty Redactor masked")
	}
	e.Add("", "short", pit, pit)
	if e.Len() != 1 {
		t.Errorf("Len %d, want 1", e.Len())
	}
}

func TestError(t *testing.T) {
	r := New(pit)
	base := fmt.Errorf("open: %w (token %s)", fs.ErrNotExist, pit)
	err := r.Error(base)
	if strings.Contains(err.Error(), pit[4:]) || !strings.Contains(err.Error(), Mask) {
		t.Errorf("error text %q", err)
	}
	if !errors.Is(err, fs.ErrNotExist) || !IsMasked(err) {
		t.Error("masked error lost its chain")
	}
	clean := errors.New("no secret here")
	if r.Error(clean) != clean || IsMasked(clean) {
		t.Error("a clean error was wrapped")
	}
	if r.Error(nil) != nil {
		t.Error("nil error")
	}
}

// naive is the reference: mask every byte covered by an occurrence of a
// substring (at least MinFragment long) of a long secret, or of a whole
// short secret.
func naive(secrets []string, s string) string {
	covered := make([]bool, len(s))
	for _, sec := range secrets {
		if len(sec) < MinSecret {
			continue
		}
		if len(sec) < MinFragment {
			for i := 0; i+len(sec) <= len(s); i++ {
				if s[i:i+len(sec)] == sec {
					for k := i; k < i+len(sec); k++ {
						covered[k] = true
					}
				}
			}
			continue
		}
		for i := range s {
			for off := range sec {
				n := 0
				for i+n < len(s) && off+n < len(sec) && s[i+n] == sec[off+n] {
					n++
				}
				if n >= MinFragment {
					for k := i; k < i+n; k++ {
						covered[k] = true
					}
				}
			}
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !covered[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Mask)
		for i < len(s) && covered[i] {
			i++
		}
	}
	return b.String()
}

// TestAgainstNaive compares String with the naive reference on random
// texts built from fragments of random secrets over a small alphabet (so
// that accidental near-matches are common).
func TestAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcd-"[rng.IntN(5)]
		}
		return string(b)
	}
	for iter := range 2000 {
		var secrets []string
		for range 1 + rng.IntN(4) {
			secrets = append(secrets, word(4+rng.IntN(40)))
		}
		var b strings.Builder
		for range rng.IntN(8) {
			if rng.IntN(2) == 0 {
				b.WriteString(word(rng.IntN(20)))
				continue
			}
			sec := secrets[rng.IntN(len(secrets))]
			from := rng.IntN(len(sec))
			to := from + rng.IntN(len(sec)-from+1)
			b.WriteString(sec[from:to])
		}
		in := b.String()
		r := New(secrets...)
		if got, want := r.String(in), naive(secrets, in); got != want {
			t.Fatalf("iteration %d: secrets %q\nin   %q\ngot  %q\nwant %q", iter, secrets, in, got, want)
		}
	}
}

func TestConcurrentAddAndMask(t *testing.T) {
	r := New()
	var wg sync.WaitGroup
	tokens := make([]string, 200)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("pit-%08d-aaaa-bbbb-cccc-%012d", i, i*7)
	}
	for i := range 4 {
		wg.Go(func() {
			for k := i; k < len(tokens); k += 4 {
				r.Add(tokens[k])
				if out := r.String("t=" + tokens[k]); out != "t="+Mask {
					t.Errorf("a token added by this goroutine leaked: %q", out)
					return
				}
			}
		})
	}
	wg.Wait()
	all := strings.Join(tokens, " ")
	if out := r.String(all); strings.Contains(out, "pit-") {
		t.Errorf("leak after concurrent adds: %.80q", out)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret(pit)
	type holder struct {
		Token Secret `json:"token"`
	}
	h := holder{Token: s}
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %X %d", s, s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", h, h, &h), s.String(), s.GoString(),
	}
	js, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js))
	txt, _ := s.MarshalText()
	outs = append(outs, string(txt), s.LogValue().String())
	for _, out := range outs {
		if strings.Contains(out, "7f3c9e1a") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if string(js) != `{"token":"[REDACTED]"}` {
		t.Errorf("json %s", js)
	}
	var back holder
	if err := json.Unmarshal([]byte(`{"token":"`+pit+`"}`), &back); err != nil || back.Token.Reveal() != pit {
		t.Errorf("decoding lost the value: %v", err)
	}
	if Secret("").String() != "" || fmt.Sprint(Secret("")) != "" {
		t.Error("an empty secret should print empty")
	}
}
