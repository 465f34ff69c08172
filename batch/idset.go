package batch

import (
	"slices"
	"sort"
)

// idSet maps the 64-bit content keys of a run's distinct files to the
// ordinal of the first file seen with each (its place in firstPaths), in
// about 13 bytes a key: a Go map of the same keys takes 24 to 38 bytes a
// key, depending on how full its tables happen to be. The keys are kept
// sorted in shards by their top bits, each shard a pair of packed arrays
// grown by an eighth at a time; when the shards fill up on average they
// are split in two by the next bit. No step ever copies more than one
// shard at once, so the set never needs twice its size while it grows.
type idSet struct {
	bits   uint      // a key's shard is its top bits bits
	shards []idShard // nil until the first put
	n      int
}

// idShard holds keys sorted, with ords[i] the value of keys[i].
type idShard struct {
	keys []uint64
	ords []uint32
}

// The number of shards at first (1<<idShardBitsMin) and the average keys
// a shard holds before they are all split in two: at most this many keys
// are moved to insert one, and one shard's slice headers (48 bytes) are
// spread over a thousand keys or more.
const (
	idShardBitsMin = 6
	idShardAvgMax  = 2048
	idShardBitsMax = 20 // a million shards: past two billion keys they only grow
)

func (s *idSet) shard(key uint64) *idShard {
	return &s.shards[key>>(64-s.bits)]
}

// get is the ordinal stored for key, if any.
func (s *idSet) get(key uint64) (uint32, bool) {
	if s.shards == nil {
		return 0, false
	}
	sh := s.shard(key)
	if i, ok := slices.BinarySearch(sh.keys, key); ok {
		return sh.ords[i], true
	}
	return 0, false
}

// put stores ord for key, replacing what it held.
func (s *idSet) put(key uint64, ord uint32) {
	if s.shards == nil {
		s.bits = idShardBitsMin
		s.shards = make([]idShard, 1<<s.bits)
	}
	sh := s.shard(key)
	i, ok := slices.BinarySearch(sh.keys, key)
	if ok {
		sh.ords[i] = ord
		return
	}
	if len(sh.keys) == cap(sh.keys) || len(sh.ords) == cap(sh.ords) {
		c := len(sh.keys) + max(8, len(sh.keys)/8)
		sh.keys = append(make([]uint64, 0, c), sh.keys...)
		sh.ords = append(make([]uint32, 0, c), sh.ords...)
	}
	sh.keys = slices.Insert(sh.keys, i, key)
	sh.ords = slices.Insert(sh.ords, i, ord)
	s.n++
	if s.n > len(s.shards)*idShardAvgMax && s.bits < idShardBitsMax {
		s.split()
	}
}

// split doubles the shards: each is cut in two at the first key whose next
// bit is set, into arrays of just the size needed.
func (s *idSet) split() {
	old := s.shards
	s.bits++
	s.shards = make([]idShard, 2*len(old))
	bit := uint64(1) << (64 - s.bits)
	for j := range old {
		sh := &old[j]
		cut := sort.Search(len(sh.keys), func(i int) bool { return sh.keys[i]&bit != 0 })
		s.shards[2*j] = idShard{keys: slices.Clone(sh.keys[:cut]), ords: slices.Clone(sh.ords[:cut])}
		s.shards[2*j+1] = idShard{keys: slices.Clone(sh.keys[cut:]), ords: slices.Clone(sh.ords[cut:])}
		*sh = idShard{} // the old arrays go one at a time
	}
}
