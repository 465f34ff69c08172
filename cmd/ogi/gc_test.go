package main

import "testing"

// The heap goal GOGC gives stays at gcHeapTarget while the live heap is
// small, whatever its size, and is twice the live heap once it is large.
func TestGCPercentFixedHeapTarget(t *testing.T) {
	goal := func(live uint64) uint64 { return live + live*uint64(gcPercent(live))/100 }
	for _, live := range []uint64{gcHeapTarget / 5, 5 << 20, 6 << 20, 8 << 20, 10 << 20, gcHeapTarget/2 - 1} {
		if g := goal(live); g > gcHeapTarget || g < gcHeapTarget-gcHeapTarget/50 {
			t.Errorf("live heap %d: goal %d (GOGC %d), want about %d", live, g, gcPercent(live), gcHeapTarget)
		}
	}
	for _, live := range []uint64{gcHeapTarget / 2, gcHeapTarget, 100 << 20} {
		if p := gcPercent(live); p != gcPercentMin {
			t.Errorf("live heap %d: GOGC %d, want %d", live, p, gcPercentMin)
		}
	}
	for _, live := range []uint64{0, 1, 1 << 20} {
		if p := gcPercent(live); p != gcPercentMax {
			t.Errorf("live heap %d: GOGC %d, want %d", live, p, gcPercentMax)
		}
	}
}
