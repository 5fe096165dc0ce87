package spec

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
)

// scanned is what Set.Expand needs to build a location Scan kept as a
// header: the loader of the Scan, with its parsed bases and vars files and
// the content hash of every file it read. A mutex serializes Expand: the
// loader's caches and diagnostics are not safe to share, and building one
// location takes about a millisecond.
type scanned struct {
	mu sync.Mutex
	l  *loader
	// parsed keeps the parsed documents of files holding more than one, so
	// a file of many locations is not parsed again for each of them. The
	// loader never modifies a parsed tree (bases are shared the same way).
	parsed map[string][]*node
}

// ErrChanged is returned by Expand when a manifest changed after Scan read
// it: the plan would mix two versions of the manifests.
var ErrChanged = errors.New("changed since the manifests were loaded; plan again")

// Expand returns loc with its agents: loc itself when it has them (a Set
// from Load, or an account-only set), else a new Location built again from
// its file, which must be byte for byte what Scan read (ErrChanged
// otherwise). It is safe for concurrent use.
func (s *Set) Expand(loc *Location) (*Location, error) {
	if !loc.headerOnly {
		return loc, nil
	}
	if s.scanned == nil {
		return nil, fmt.Errorf("location %s: not loaded by this set's Scan", loc.ID)
	}
	return s.scanned.expand(loc)
}

func (s *scanned) expand(loc *Location) (*Location, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.l
	file := loc.Pos.File
	// The loader's diagnostics and variable bookkeeping start empty: the
	// file was valid when scanned, and what is reported now is about this
	// location only.
	l.d, l.warn, l.varDecls, l.varUsed = diags{}, diags{}, nil, map[*varDecl]bool{}
	// The file is what Scan validated (parse checks its hash), and so are
	// the bases and vars files cached since: only the building is redone.
	l.checked = true
	raws, err := s.parse(file)
	if err != nil {
		return nil, err
	}
	var full *Location
	if loc.nth < len(raws) {
		if doc := l.loadDocument(file, raws[loc.nth]); doc != nil && doc.kind == KindLocation {
			full = l.buildLocation(doc.doc)
			full.nth = loc.nth
		}
	}
	if len(l.d.list) > 0 {
		return nil, l.d.list.sortAndDedupe()
	}
	if full == nil || full.ID != loc.ID {
		return nil, fmt.Errorf("%s: location %s: %w", file, loc.ID, ErrChanged)
	}
	return full, nil
}

// parse returns the documents of file, read again (and checked unchanged)
// unless kept.
func (s *scanned) parse(file string) ([]*node, error) {
	if raws, ok := s.parsed[file]; ok {
		return raws, nil
	}
	l := s.l
	if err := l.src.linkProblem(file, l.trees); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	data, err := l.src.readFile(file, MaxManifestSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", file, describeFSError(err))
	}
	if sha256.Sum256(data) != l.files[file] {
		return nil, fmt.Errorf("%s: %w", file, ErrChanged)
	}
	raws := l.parse(file, data)
	if len(raws) > 1 {
		if s.parsed == nil {
			s.parsed = map[string][]*node{}
		}
		s.parsed[file] = raws
	}
	return raws, nil
}
