//go:build !unix

package bench

import (
	"os"
	"time"
)

// maxRSS is 0 where the platform does not say.
func maxRSS(*os.ProcessState) int64 { return 0 }

// selfCPU is 0 where the platform does not say.
func selfCPU() time.Duration { return 0 }
