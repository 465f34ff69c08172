package index

import (
	"runtime"
	"sync"
)

// ForEach calls fn(i) for i in [0, n), spread over up to GOMAXPROCS
// goroutines with at least minPer calls each (one goroutine for a small
// n), and returns when all calls have. fn must be safe to call so; calls
// with different i may run at once.
func ForEach(n, minPer int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/max(minPer, 1)))
	if workers == 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}
