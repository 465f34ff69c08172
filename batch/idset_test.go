package batch

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"ogi/parser"
)

// checkIDSet compares s with the map it should equal, and checks the
// shards are sorted and hold only keys of their own prefix.
func checkIDSet(t *testing.T, s *idSet, want map[uint64]uint32) {
	t.Helper()
	if s.n != len(want) {
		t.Fatalf("idSet holds %d keys, want %d", s.n, len(want))
	}
	total := 0
	for j, sh := range s.shards {
		if len(sh.keys) != len(sh.ords) {
			t.Fatalf("shard %d: %d keys, %d ordinals", j, len(sh.keys), len(sh.ords))
		}
		if !slices.IsSorted(sh.keys) {
			t.Fatalf("shard %d not sorted", j)
		}
		for i, k := range sh.keys {
			if int(k>>(64-s.bits)) != j {
				t.Fatalf("key %#x in shard %d of %d bits", k, j, s.bits)
			}
			if i > 0 && sh.keys[i-1] == k {
				t.Fatalf("key %#x twice in shard %d", k, j)
			}
		}
		total += len(sh.keys)
	}
	if total != len(want) {
		t.Fatalf("shards hold %d keys, want %d", total, len(want))
	}
	for k, v := range want {
		if got, ok := s.get(k); !ok || got != v {
			t.Fatalf("get(%#x) = %d, %v; want %d, true", k, got, ok, v)
		}
	}
}

func TestIDSetAgainstMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s idSet
	if _, ok := s.get(42); ok {
		t.Fatal("empty idSet has a key")
	}
	want := map[uint64]uint32{}
	var keys []uint64
	// Keys of every kind: random ones, a dense cluster in one shard (so a
	// shard fills far beyond the average), keys next to those already
	// stored, the extremes, and keys stored again with a new value.
	next := func() uint64 {
		switch r := rng.IntN(100); {
		case r < 60:
			return rng.Uint64()
		case r < 80:
			return 0x5a00_0000_0000_0000 | rng.Uint64N(1<<20)
		case r < 90 && len(keys) > 0:
			return keys[rng.IntN(len(keys))] + uint64(rng.IntN(3)) - 1
		case r < 92:
			return []uint64{0, 1, math.MaxUint64, math.MaxUint64 - 1, 1 << 63, 1<<63 - 1}[rng.IntN(6)]
		case len(keys) > 0:
			return keys[rng.IntN(len(keys))]
		}
		return rng.Uint64()
	}
	for i := 0; i < 400_000; i++ {
		k := next()
		got, ok := s.get(k)
		w, wok := want[k]
		if ok != wok || got != w {
			t.Fatalf("op %d: get(%#x) = %d, %v; want %d, %v", i, k, got, ok, w, wok)
		}
		if rng.IntN(4) == 0 {
			continue // a lookup only
		}
		v := rng.Uint32()
		if !wok {
			keys = append(keys, k)
		}
		s.put(k, v)
		want[k] = v
		if i%50_000 == 0 {
			checkIDSet(t, &s, want)
		}
	}
	checkIDSet(t, &s, want)
	if s.bits <= idShardBitsMin {
		t.Fatalf("%d keys in %d shards: never split", s.n, len(s.shards))
	}
	for i := 0; i < 10_000; i++ {
		k := rng.Uint64()
		got, ok := s.get(k)
		w, wok := want[k]
		if ok != wok || got != w {
			t.Fatalf("get(%#x) = %d, %v; want %d, %v", k, got, ok, w, wok)
		}
	}
}

func TestIDSetCompact(t *testing.T) {
	const n = 300_000
	rng := rand.New(rand.NewPCG(3, 4))
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	var s idSet
	for i := 0; i < n; i++ {
		s.put(rng.Uint64(), uint32(i))
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	perKey := float64(int64(ms.HeapAlloc)-int64(before)) / n
	runtime.KeepAlive(&s)
	// 12 bytes of key and ordinal, plus the arrays' room to grow; a map
	// takes twice that or more.
	if perKey > 15 {
		t.Errorf("idSet takes %.1f bytes a key, want at most 15", perKey)
	}
	t.Logf("%.1f bytes a key", perKey)
}

func TestFirstPaths(t *testing.T) {
	for _, inMemory := range []bool{false, true} {
		t.Run(fmt.Sprintf("in memory %v", inMemory), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			var fp firstPaths
			defer fp.close()
			fp.err = inMemory // as if no temporary file could be made
			var paths []string
			for i := 0; i < 1000; i++ {
				var p string
				switch i % 5 {
				case 0:
					p = fmt.Sprintf("/data/%d/报告-%d.docx", i/100, i)
				case 1:
					p = strings.Repeat("长", rng.IntN(2000)) // past one read buffer
				case 2:
					p = "" // nothing stops an empty name
				default:
					p = fmt.Sprintf("r%d.html", i)
				}
				if ord := fp.add(p); int(ord) != i {
					t.Fatalf("add %d gave ordinal %d", i, ord)
				}
				paths = append(paths, p)
				// Names asked for while paths are still being added, so the
				// writer is flushed mid-stream.
				if i%37 == 0 {
					k := rng.IntN(len(paths))
					if got := fp.name(uint32(k)); got != paths[k] {
						t.Fatalf("after %d paths, name(%d) = %.40q, want %.40q", i+1, k, got, paths[k])
					}
				}
			}
			if (fp.f == nil) != inMemory {
				t.Fatalf("temporary file %v, want in memory %v", fp.f, inMemory)
			}
			for _, k := range rng.Perm(len(paths)) {
				if got := fp.name(uint32(k)); got != paths[k] {
					t.Fatalf("name(%d) = %.40q, want %.40q", k, got, paths[k])
				}
			}
			for _, k := range []uint32{uint32(len(paths)), noPath} {
				if got := fp.name(k); got != "an earlier file" {
					t.Errorf("name(%d) of %d paths = %q, want the fallback", k, len(paths), got)
				}
			}
			if len(fp.marks) != (len(paths)+pathsPerMark-1)/pathsPerMark {
				t.Errorf("%d marks for %d paths", len(fp.marks), len(paths))
			}
		})
	}
}

// Many distinct files and their copies in another order: each copy names
// its own first file.
func TestRunDuplicatesNameTheirFirst(t *testing.T) {
	dir := t.TempDir()
	const n = 3*pathsPerMark + 5
	var files []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("first-%03d.html", i))
		if err := os.WriteFile(p, fmt.Appendf(nil, "<p>page %d</p>", i), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	for i := n - 1; i >= 0; i -= 3 {
		p := filepath.Join(dir, fmt.Sprintf("copy-%03d.html", i))
		if err := os.WriteFile(p, fmt.Appendf(nil, "<p>page %d</p>", i), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	read := func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		return &parser.Document{Path: path}, nil
	}
	res := run(t, files, Config{Jobs: 3, Read: read})
	for _, r := range res[:n] {
		if r.Outcome == Duplicate {
			t.Fatalf("%s: duplicate of %v", r.Path, r.Err)
		}
	}
	for _, r := range res[n:] {
		first := strings.Replace(r.Path, "copy-", "first-", 1)
		if r.Outcome != Duplicate || r.Err == nil || !strings.Contains(r.Err.Error(), fmt.Sprintf("%q", first)) {
			t.Errorf("%s: outcome %s, error %v; want a duplicate of %s", filepath.Base(r.Path), r.Outcome, r.Err, first)
		}
	}
}
