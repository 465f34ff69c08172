package batch

import (
	"bufio"
	"os"
)

// firstPaths keeps the path of the first file of each distinct content,
// so a later copy can name it, without holding every path in memory: the
// paths are appended to an unlinked temporary file (gone with the process,
// even after kill -9) and read back only for a duplicate. If no temporary
// file can be made they are kept in memory instead.
type firstPaths struct {
	f    *os.File
	w    *bufio.Writer
	size int64
	mem  []byte
	err  bool // the temporary file could not be made
}

// pathLenBits is how many low bits of a handle hold the path's length
// (PATH_MAX is 4096; a longer name is cut in the message); the rest is
// its offset.
const pathLenBits = 16

// add stores p and returns a handle for name.
func (fp *firstPaths) add(p string) uint64 {
	if len(p) >= 1<<pathLenBits {
		p = p[:1<<pathLenBits-1]
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
	at := uint64(fp.size)<<pathLenBits | uint64(len(p))
	if fp.w != nil {
		if _, err := fp.w.WriteString(p); err != nil {
			// Disk full: the handle points at nothing readable, and the
			// message falls back to saying so (see name).
			return at
		}
	} else {
		fp.mem = append(fp.mem, p...)
	}
	fp.size += int64(len(p))
	return at
}

// name is the path behind a handle from add.
func (fp *firstPaths) name(at uint64) string {
	off, n := int64(at>>pathLenBits), int(at&(1<<pathLenBits-1))
	if fp.w == nil {
		return string(fp.mem[off : off+int64(n)])
	}
	b := make([]byte, n)
	if fp.w.Flush() != nil {
		return "an earlier file"
	}
	if _, err := fp.f.ReadAt(b, off); err != nil {
		return "an earlier file"
	}
	return string(b)
}

func (fp *firstPaths) close() {
	if fp.f != nil {
		fp.f.Close()
	}
}
