package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// source is where manifests are read from: the operating system's files
// (Load) or an fs.FS (LoadFS). It also knows its path syntax.
type source interface {
	readFile(name string) ([]byte, error)
	stat(name string) (fs.FileInfo, error)
	walkDir(root string, fn fs.WalkDirFunc) error
	// dir returns the folder holding name.
	dir(name string) string
	// ancestors returns dir and every folder above it, nearest first.
	ancestors(dir string) []string
	join(elem ...string) string
	isAbs(name string) bool
	// clean normalises a user-supplied path.
	clean(name string) string
}

// osSource reads the operating system's files. Relative paths are relative
// to the working directory and reported as given.
type osSource struct{}

func (osSource) readFile(name string) ([]byte, error)         { return os.ReadFile(name) }
func (osSource) stat(name string) (fs.FileInfo, error)        { return os.Stat(name) }
func (osSource) walkDir(root string, fn fs.WalkDirFunc) error { return filepath.WalkDir(root, fn) }
func (osSource) join(elem ...string) string                   { return filepath.Join(elem...) }
func (osSource) isAbs(name string) bool                       { return filepath.IsAbs(name) }
func (osSource) clean(name string) string                     { return filepath.Clean(name) }
func (osSource) dir(name string) string                       { return filepath.Dir(name) }

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

func (s fsSource) readFile(name string) ([]byte, error)         { return fs.ReadFile(s.fsys, name) }
func (s fsSource) stat(name string) (fs.FileInfo, error)        { return fs.Stat(s.fsys, name) }
func (s fsSource) walkDir(root string, fn fs.WalkDirFunc) error { return fs.WalkDir(s.fsys, root, fn) }
func (fsSource) join(elem ...string) string                     { return path.Join(elem...) }
func (fsSource) isAbs(string) bool                              { return false }
func (fsSource) clean(name string) string                       { return path.Clean(filepath.ToSlash(name)) }
func (fsSource) dir(name string) string                         { return path.Dir(name) }

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
func discover(src source, paths []string, d *diags) []string {
	var files []string
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
			addFile(p)
			continue
		}
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
	return files
}

// describeFSError words a file-system error without repeating the path, which
// the diagnostic already names.
func describeFSError(err error) string {
	switch {
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
