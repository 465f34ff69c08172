package batch

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"os"
)

// firstPaths keeps the path of the first file of each distinct content,
// so a later copy can name it, without holding every path in memory: the
// paths are appended, each after its length, to an unlinked temporary
// file (gone with the process, even after kill -9) and read back only for
// a duplicate. A path is known by its ordinal; memory holds the offset of
// every pathsPerMark-th path only, and a name is found by skipping from
// the mark before it. If no temporary file can be made the paths are kept
// in memory instead.
type firstPaths struct {
	f      *os.File
	w      *bufio.Writer
	size   int64   // bytes written
	n      uint32  // paths added
	marks  []int64 // offset of path k*pathsPerMark
	mem    []byte
	err    bool // the temporary file could not be made
	broken bool // a write failed (disk full): names are not at hand
}

// pathsPerMark is how many paths one remembered offset covers: naming a
// duplicate reads at most this many paths from the file, and memory
// holds 8 bytes for each this many files.
const pathsPerMark = 64

// noPath is the ordinal add gives once the ordinals are used up; name
// says "an earlier file" for it.
const noPath = math.MaxUint32

// add stores p and returns its ordinal for name.
func (fp *firstPaths) add(p string) uint32 {
	if fp.n == noPath {
		return noPath
	}
	if fp.f == nil && !fp.err {
		f, err := os.CreateTemp("", "ogi-paths-*")
		if err != nil {
			fp.err = true
		} else {
			fp.f, fp.w = f, bufio.NewWriterSize(f, 32<<10)
			if os.Remove(f.Name()) != nil {
				fp.f.Close()
				fp.f, fp.w, fp.err = nil, nil, true
			}
		}
	}
	ord := fp.n
	fp.n++
	if ord%pathsPerMark == 0 {
		fp.marks = append(fp.marks, fp.size)
	}
	var head [binary.MaxVarintLen64]byte
	h := binary.PutUvarint(head[:], uint64(len(p)))
	if fp.w == nil {
		fp.mem = append(fp.mem, head[:h]...)
		fp.mem = append(fp.mem, p...)
	} else if !fp.broken {
		if _, err := fp.w.Write(head[:h]); err != nil {
			fp.broken = true
		} else if _, err := fp.w.WriteString(p); err != nil {
			fp.broken = true
		}
	}
	fp.size += int64(h + len(p))
	return ord
}

// name is the path added with ordinal ord.
func (fp *firstPaths) name(ord uint32) string {
	const unknown = "an earlier file"
	if ord >= fp.n || fp.broken {
		return unknown
	}
	var src io.ReaderAt = bytes.NewReader(fp.mem)
	if fp.w != nil {
		if fp.w.Flush() != nil {
			fp.broken = true
			return unknown
		}
		src = fp.f
	}
	off := fp.marks[ord/pathsPerMark]
	r := bufio.NewReaderSize(io.NewSectionReader(src, off, fp.size-off), 4<<10)
	for k := ord % pathsPerMark; ; k-- {
		n, err := binary.ReadUvarint(r)
		if err != nil || n > uint64(fp.size-off) {
			return unknown
		}
		if k == 0 {
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return unknown
			}
			return string(b)
		}
		if _, err := r.Discard(int(n)); err != nil {
			return unknown
		}
	}
}

func (fp *firstPaths) close() {
	if fp.f != nil {
		fp.f.Close()
	}
}
