package index

import (
	"sync/atomic"
	"testing"
)

// TestForEach: every index is called exactly once, for small and large n.
func TestForEach(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 1000} {
		calls := make([]atomic.Int32, n)
		ForEach(n, 16, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d called %d times", n, i, c)
			}
		}
	}
}
