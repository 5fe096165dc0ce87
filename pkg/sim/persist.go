package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// fileStamp identifies a version of the state file cheaply.
type fileStamp struct {
	mod  time.Time
	size int64
}

func statFile(path string) (fileStamp, bool, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{}, false, nil
	}
	if err != nil {
		return fileStamp{}, false, fmt.Errorf("stat state file: %w", err)
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size()}, true, nil
}

// readStore reads the state file; a missing file is an empty store.
func readStore(path string) (*store, fileStamp, error) {
	stamp, ok, err := statFile(path)
	if err != nil || !ok {
		return newStore(), stamp, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, stamp, fmt.Errorf("read state file: %w", err)
	}
	st := newStore()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, stamp, fmt.Errorf("decode state file %s: %w", path, err)
	}
	if st.FormatVersion != formatVersion {
		return nil, stamp, fmt.Errorf("state file %s: formatVersion %d, want %d", path, st.FormatVersion, formatVersion)
	}
	if st.Tokens == nil {
		st.Tokens = map[string]tokenInfo{}
	}
	if st.Locations == nil {
		st.Locations = map[string]*locationS{}
	}
	for id, l := range st.Locations {
		if l == nil || l.Agents == nil {
			st.Locations[id] = &locationS{Agents: map[string]*AgentState{}}
		}
	}
	return st, stamp, nil
}

// writeFileAtomic writes b to a temporary file beside path and renames it
// over path, so readers see the old or the new state, never half of one.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary state file: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("chmod temporary state file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write temporary state file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync temporary state file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close temporary state file: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("replace state file: %w", err)
	}
	return nil
}

// Save writes the state file now (a no-op without StatePath).
func (s *Server) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked()
}

// saveLocked merges what other processes added to the file, then replaces it.
func (s *Server) saveLocked() error {
	path := s.opts.StatePath
	if path == "" {
		return nil
	}
	stamp, ok, err := statFile(path)
	if err != nil {
		return err
	}
	if ok && stamp != s.stamp {
		disk, _, err := readStore(path)
		if err != nil {
			return err
		}
		s.absorbLocked(disk)
	}
	b, err := json.MarshalIndent(s.st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	if err := writeFileAtomic(path, b); err != nil {
		return err
	}
	stamp, _, err = statFile(path)
	if err != nil {
		return err
	}
	s.stamp, s.dirty = stamp, false
	return nil
}

// absorbLocked takes what another process wrote to the state file: the tokens
// it added, and its agents when this server changed none since it last read.
func (s *Server) absorbLocked(disk *store) {
	for tok, info := range disk.Tokens {
		if _, mine := s.st.Tokens[tok]; !mine {
			s.st.Tokens[tok] = info
		}
	}
	if !s.dirty {
		s.st.Locations = disk.Locations
		s.reindexLocked()
	}
}

// reloadTokensLocked adds tokens another process wrote to the state file, if
// the file changed since it was last read or written. It reports whether it
// read the file.
func (s *Server) reloadTokensLocked() (bool, error) {
	if s.opts.StatePath == "" {
		return false, nil
	}
	stamp, ok, err := statFile(s.opts.StatePath)
	if err != nil || !ok || stamp == s.stamp {
		return false, err
	}
	disk, stamp, err := readStore(s.opts.StatePath)
	if err != nil {
		return false, err
	}
	s.absorbLocked(disk)
	s.stamp = stamp
	return true, nil
}
