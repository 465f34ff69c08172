package main

import (
	"hash/maphash"

	"ogi/extract"
	"ogi/index"
)

// Loading a record file in report order.
//
// A store decides a report's current record among all its files, and a
// file stored in one batch whose report gains a file in a later batch is
// written again with its new version flags. A crawl's records of one
// report are often far apart in its JSONL file (the DOCX and the web page
// of a report extracted from different folders): loaded in file order,
// about half the documents of such a file were indexed twice, and
// Elasticsearch did twice the work a plain bulk load does.
//
// So a regular file is read in two passes over windows of lines: the
// first reads only each line's report key and source (extract.RecordKeys, without
// decoding the record) and groups lines that share either; the second
// reads the lines group by group, in the order each group first appears,
// and the writer keeps a group in one batch. Within a group the file's
// order is kept, and records of different groups decide nothing about
// each other, so the versions decided are those of file order.

// groupWindow is how many lines are grouped at once: about 40 bytes each
// are kept, so a window holds some 4 MB however large the file.
const groupWindow = 100_000

// lineRef is where a line is in the file.
type lineRef struct {
	off  int64
	n    int // bytes, without the newline
	no   int // line number, from 1
	long bool
}

// groupOrder returns the indices of refs in report order, and for each
// position whether the next one belongs to the same group. keys[i] are
// the grouping keys of refs[i] (none for a line whose keys could not be
// read: a group of its own).
func groupOrder(keys [][2]uint64) (order []int32, more []bool) {
	n := len(keys)
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := make(map[uint64]int32, n)
	for i, ks := range keys {
		for _, k := range ks {
			if k == 0 {
				continue
			}
			j, ok := first[k]
			if !ok {
				first[k] = int32(i)
				continue
			}
			// The smaller index is the root, so a group's root is its
			// first line.
			a, b := find(int32(i)), find(j)
			if a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
	}
	// Members of each group in file order, as lists through next.
	next := make([]int32, n)
	tail := make([]int32, n)
	for i := range next {
		next[i], tail[i] = -1, -1
	}
	for i := 0; i < n; i++ {
		r := find(int32(i))
		if t := tail[r]; t >= 0 {
			next[t] = int32(i)
		}
		tail[r] = int32(i)
	}
	order = make([]int32, 0, n)
	more = make([]bool, 0, n)
	for i := 0; i < n; i++ {
		if find(int32(i)) != int32(i) {
			continue // not a group's first line
		}
		for m := int32(i); m >= 0; m = next[m] {
			order = append(order, m)
			more = append(more, next[m] >= 0)
		}
	}
	return order, more
}

var groupSeed = maphash.MakeSeed()

// groupKeys are the hashed keys that group a line: its report key and its
// source key (index.SourceKeyOf). A line whose keys cannot be read has
// none.
func groupKeys(line []byte) [2]uint64 {
	report, url, path, ok := extract.RecordKeys(line)
	if !ok {
		return [2]uint64{}
	}
	var ks [2]uint64
	if report != "" {
		ks[0] = maphash.String(groupSeed, "r\x00"+report) | 1
	}
	if url != "" || path != "" {
		ks[1] = maphash.String(groupSeed, "s\x00"+index.SourceKeyOf(url, path)) | 1
	}
	return ks
}
