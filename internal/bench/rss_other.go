//go:build !linux

package bench

// residentSize is 0 where /proc is not there.
func residentSize(int) (rss, peak int64) { return 0, 0 }
