package export

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/agentform/agentform/pkg/api"
)

// maxSlug is the longest file name stem Slug writes, in characters.
const maxSlug = 60

// windowsReserved are file name stems Windows refuses whatever the
// extension.
var windowsReserved = []string{"con", "prn", "aux", "nul",
	"com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
	"lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"}

// Slug turns a sub-account's name into a file name stem that is safe on
// every common file system: lower-case letters and digits (of any script),
// runs of anything else turned into one "-", at most 60 characters. It is
// "" when the name holds no letter or digit.
func Slug(name string) string {
	var b strings.Builder
	n, dash := 0, false
	for _, r := range name {
		if n == maxSlug {
			break
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			n++
			dash = false
			if n == maxSlug {
				break
			}
		}
		b.WriteRune(unicode.ToLower(r))
		n++
	}
	return strings.TrimSuffix(b.String(), "-")
}

// FileNames names the manifest file of each sub-account (by id) after its
// name: Slug(name) + ".yaml". Deterministically, whatever the order of
// locs: every sub-account whose slug another one shares, or whose slug is
// empty or a name Windows reserves, gets "-<id>" appended (the id alone
// when the slug is empty); names that still coincide, ignoring case, get
// "-2", "-3", ... in the order of their ids.
func FileNames(locs []api.LocationInfo) map[string]string {
	slugs := make(map[string]string, len(locs))
	count := map[string]int{}
	for _, l := range locs {
		s := Slug(l.Name)
		slugs[l.ID] = s
		count[s]++
	}
	stems := make(map[string]string, len(locs))
	for _, l := range locs {
		s := slugs[l.ID]
		switch {
		case s == "":
			s = l.ID
		case count[s] > 1 || slices.Contains(windowsReserved, s):
			s += "-" + l.ID
		}
		stems[l.ID] = s
	}
	ids := make([]string, 0, len(locs))
	for _, l := range locs {
		ids = append(ids, l.ID)
	}
	slices.Sort(ids)
	used := map[string]bool{}
	out := make(map[string]string, len(locs))
	for _, id := range ids {
		stem := stems[id]
		for n := 2; used[strings.ToLower(stem)]; n++ {
			stem = fmt.Sprintf("%s-%d", stems[id], n)
		}
		used[strings.ToLower(stem)] = true
		out[id] = stem + ".yaml"
	}
	return out
}
