package spec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// Size limits of the files a load reads. A manifest, base or vars file is
// YAML a person writes: 4 MB is far beyond any real one and bounds what a
// hostile file (a link to /dev/zero, a huge file) can make agentform hold.
const (
	// MaxManifestSize is the largest manifest, base or vars file read.
	MaxManifestSize = 4 << 20
	// MaxDocumentSize is the largest KrosAI knowledge-base document: the
	// service refuses more than 10 MB, read here as 10 MiB.
	MaxDocumentSize = 10 << 20
)

// source is where manifests are read from: the operating system's files
// (Load) or an fs.FS (LoadFS). It also knows its path syntax.
//
// Every file is read through readFile, which refuses what is not a regular
// file (a FIFO would block forever, a device never ends) and what exceeds the
// limit, and through linkProblem, which refuses symbolic links leaving the
// trees being loaded.
type source interface {
	// readFile reads a regular file of at most limit bytes.
	readFile(name string, limit int64) ([]byte, error)
	stat(name string) (fs.FileInfo, error)
	walkDir(root string, fn fs.WalkDirFunc) error
	// linkProblem returns a *linkError when name passes through a symbolic
	// link that resolves outside every tree: a link at or below a tree's
	// folder, or name itself when it is a link. Folders above the trees are
	// the user's own and not checked. Other errors are left to readFile.
	linkProblem(name string, trees []string) error
	// within reports whether name lies lexically inside the tree folder.
	within(tree, name string) bool
	// dir returns the folder holding name.
	dir(name string) string
	// ancestors returns dir and every folder above it, nearest first.
	ancestors(dir string) []string
	join(elem ...string) string
	isAbs(name string) bool
	// clean normalises a user-supplied path.
	clean(name string) string
}

// notRegularError refuses a file that is not a regular file.
type notRegularError struct{ mode fs.FileMode }

func (e *notRegularError) Error() string {
	what := "not a regular file"
	switch t := e.mode.Type(); {
	case t&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		what = "a socket"
	case t&fs.ModeDevice != 0:
		what = "a device"
	case t&fs.ModeDir != 0:
		what = "a folder"
	}
	return fmt.Sprintf("is %s, not a regular file; agentform reads only regular files", what)
}

// tooLargeError refuses a file over its size limit.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("file is larger than %s, the most agentform reads here", formatSize(e.limit))
}

// linkError refuses a path through a symbolic link that leaves the trees.
// link is empty when the file itself is the link.
type linkError struct{ link string }

func (e *linkError) Error() string {
	if e.link == "" {
		return "is a symbolic link leading outside the folders being loaded; links are followed only inside them"
	}
	return fmt.Sprintf("passes through symbolic link %s, which leads outside the folders being loaded; links are followed only inside them", e.link)
}

// formatSize writes a byte limit as MB (binary), the way the limits are set.
func formatSize(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// readLimited reads r to its end, refusing more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &tooLargeError{limit}
	}
	return data, nil
}

// osSource reads the operating system's files. Relative paths are relative
// to the working directory and reported as given.
type osSource struct{}

// readFile opens name without blocking (a FIFO without a writer would block
// the open itself), then checks on the open file that it is regular, so no
// swap between a check and the open can slip a device in.
func (osSource) readFile(name string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &notRegularError{info.Mode()}
	}
	if info.Size() > limit {
		return nil, &tooLargeError{limit}
	}
	return readLimited(f, limit)
}

func (osSource) stat(name string) (fs.FileInfo, error)        { return os.Stat(name) }
func (osSource) walkDir(root string, fn fs.WalkDirFunc) error { return filepath.WalkDir(root, fn) }
func (osSource) join(elem ...string) string                   { return filepath.Join(elem...) }
func (osSource) isAbs(name string) bool                       { return filepath.IsAbs(name) }
func (osSource) clean(name string) string                     { return filepath.Clean(name) }
func (osSource) dir(name string) string                       { return filepath.Dir(name) }

func (osSource) within(tree, name string) bool {
	t, err1 := filepath.Abs(tree)
	n, err2 := filepath.Abs(name)
	return err1 == nil && err2 == nil && insideOS(t, n)
}

// insideOS reports whether child is parent or below it (both absolute, clean).
func insideOS(parent, child string) bool {
	rel, err := filepath.Rel(parent, child)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (osSource) linkProblem(name string, trees []string) error {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil
	}
	var real []string // the trees with their own links resolved
	for _, t := range trees {
		at, err := filepath.Abs(t)
		if err != nil {
			continue
		}
		if rt, err := filepath.EvalSymlinks(at); err == nil {
			at = rt
		}
		real = append(real, at)
	}
	check := func(p string) error {
		info, err := os.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return nil
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil // a broken link: opening it reports that
		}
		if !slices.ContainsFunc(real, func(r string) bool { return insideOS(r, target) }) {
			if p == abs {
				return &linkError{}
			}
			return &linkError{link: relativeTo(name, abs, p)}
		}
		return nil
	}
	for _, t := range trees {
		at, err := filepath.Abs(t)
		if err != nil || !insideOS(at, abs) {
			continue
		}
		rel, _ := filepath.Rel(at, abs)
		cur := at
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			if part == "." {
				continue
			}
			cur = filepath.Join(cur, part)
			if err := check(cur); err != nil {
				return err
			}
		}
		return nil
	}
	return check(abs)
}

// relativeTo names the link p, a folder above name (whose absolute form is
// abs), the way the user wrote name: the matching prefix of name.
func relativeTo(name, abs, p string) string {
	rest, err := filepath.Rel(p, abs)
	if err != nil {
		return p
	}
	// name ends with rest; strip it.
	if trimmed, ok := strings.CutSuffix(filepath.Clean(name), string(filepath.Separator)+rest); ok {
		return trimmed
	}
	return p
}

// ancestors returns dir and each folder above it up to the root. A relative
// dir stays relative ("a" → "a", ".", "..", "../.." ...).
func (osSource) ancestors(dir string) []string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return []string{dir}
	}
	out := []string{dir}
	for filepath.Dir(abs) != abs {
		abs = filepath.Dir(abs)
		dir = filepath.Join(dir, "..")
		out = append(out, dir)
	}
	return out
}

// fsSource reads an fs.FS; paths are slash-separated and relative to its root.
type fsSource struct{ fsys fs.FS }

// readFile stats before opening: an fs.FS offers no non-blocking open, and
// os.DirFS would block on a FIFO.
func (s fsSource) readFile(name string, limit int64) ([]byte, error) {
	info, err := fs.Stat(s.fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &notRegularError{info.Mode()}
	}
	if info.Size() > limit {
		return nil, &tooLargeError{limit}
	}
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit)
}

func (s fsSource) stat(name string) (fs.FileInfo, error)        { return fs.Stat(s.fsys, name) }
func (s fsSource) walkDir(root string, fn fs.WalkDirFunc) error { return fs.WalkDir(s.fsys, root, fn) }
func (fsSource) join(elem ...string) string                     { return path.Join(elem...) }
func (fsSource) isAbs(string) bool                              { return false }
func (fsSource) clean(name string) string                       { return path.Clean(filepath.ToSlash(name)) }
func (fsSource) dir(name string) string                         { return path.Dir(name) }
func (fsSource) within(tree, name string) bool                  { return insideFS(tree, name) }

// insideFS reports whether child is parent or below it (clean slash paths
// relative to the file system's root; "." is the root).
func insideFS(parent, child string) bool {
	if child == ".." || strings.HasPrefix(child, "../") {
		return false
	}
	return parent == "." || child == parent || strings.HasPrefix(child, parent+"/")
}

// maxLinkHops bounds link chains, as operating systems do.
const maxLinkHops = 40

func (s fsSource) linkProblem(name string, trees []string) error {
	rl, ok := s.fsys.(fs.ReadLinkFS)
	if !ok {
		return nil // no links in this file system
	}
	check := func(p string) error {
		info, err := rl.Lstat(p)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return nil
		}
		target, ok := s.resolve(rl, p, 0)
		if !ok || !slices.ContainsFunc(trees, func(t string) bool { return insideFS(t, target) }) {
			if p == name {
				return &linkError{}
			}
			return &linkError{link: p}
		}
		return nil
	}
	for _, t := range trees {
		if !insideFS(t, name) {
			continue
		}
		cur := t
		rest := strings.TrimPrefix(strings.TrimPrefix(name, t), "/")
		if t == "." {
			cur, rest = "", name
		}
		for _, part := range strings.Split(rest, "/") {
			if part == "" || part == "." {
				continue
			}
			cur = path.Join(cur, part)
			if err := check(cur); err != nil {
				return err
			}
		}
		return nil
	}
	return check(name)
}

// resolve returns p with every link on it followed, lexically inside the
// file system; ok is false when a link leaves it or the chain is too long.
func (s fsSource) resolve(rl fs.ReadLinkFS, p string, hops int) (string, bool) {
	cur := "."
	parts := strings.Split(p, "/")
	for i, part := range parts {
		next := path.Join(cur, part)
		info, err := rl.Lstat(next)
		if err != nil {
			return path.Join(append([]string{next}, parts[i+1:]...)...), true
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > maxLinkHops {
			return "", false
		}
		target, err := rl.ReadLink(next)
		if err != nil || path.IsAbs(target) {
			return "", false
		}
		target = path.Join(cur, target)
		if !insideFS(".", target) {
			return "", false
		}
		resolved, ok := s.resolve(rl, target, hops)
		if !ok {
			return "", false
		}
		cur = resolved
	}
	return cur, true
}

// ancestors returns dir and each folder above it up to the root ".".
func (fsSource) ancestors(dir string) []string {
	out := []string{dir}
	for dir != "." && dir != "/" {
		dir = path.Dir(dir)
		out = append(out, dir)
	}
	return out
}

// isManifestName reports whether a file name has a YAML extension.
func isManifestName(name string) bool {
	ext := strings.ToLower(path.Ext(filepath.ToSlash(name)))
	return ext == ".yaml" || ext == ".yml"
}

// basesDir is the folder name holding base files; manifests are never
// searched for below it.
const basesDir = "bases"

// discover expands the command-line paths into the manifest files to load:
// files as given, directories walked for *.yaml and *.yml outside bases/.
// It also returns the trees: each folder given, and the folder of each file
// given. Symbolic links are followed only into them.
func discover(src source, paths []string, d *diags) (files, trees []string) {
	seen := map[string]bool{}
	addFile := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		p = src.clean(p)
		info, err := src.stat(p)
		if err != nil {
			d.add(Pos{File: p}, "", "%s", describeFSError(err))
			continue
		}
		if !info.IsDir() {
			trees = append(trees, src.dir(p))
			addFile(p)
			continue
		}
		trees = append(trees, p)
		before := len(files)
		err = src.walkDir(p, func(name string, e fs.DirEntry, err error) error {
			if err != nil {
				d.add(Pos{File: name}, "", "%s", describeFSError(err))
				return nil
			}
			if e.IsDir() {
				if e.Name() == basesDir && name != p {
					return fs.SkipDir
				}
				return nil
			}
			if isManifestName(name) {
				addFile(name)
			}
			return nil
		})
		if err != nil {
			d.add(Pos{File: p}, "", "%s", describeFSError(err))
		}
		if len(files) == before {
			d.add(Pos{File: p}, "", "no *.yaml or *.yml manifests in this folder (bases/ folders are not searched)")
		}
	}
	slices.Sort(files)
	return files, trees
}

// describeFSError words a file-system error without repeating the path, which
// the diagnostic already names.
func describeFSError(err error) string {
	var nr *notRegularError
	var tl *tooLargeError
	var le *linkError
	switch {
	case errors.As(err, &nr), errors.As(err, &tl), errors.As(err, &le):
		return err.Error()
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("cannot %s: %v", pe.Op, pe.Err)
	}
	return err.Error()
}
