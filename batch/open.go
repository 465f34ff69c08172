package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"ogi/parser"
)

var (
	// ErrNotRegular is a path that names a FIFO, a device, a socket or a
	// directory: reading one could block forever or never end, so it is
	// refused before it is opened.
	ErrNotRegular = errors.New("not a regular file")
	// ErrNotFound is a path that does not exist.
	ErrNotFound = errors.New("not found")
)

// CheckRegular reports, without opening it, whether path (symlinks
// followed) is a regular file: ErrNotFound when it does not exist,
// ErrNotRegular when it is anything else, each naming the path.
func CheckRegular(path string) (fs.FileInfo, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
		}
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, modeKind(fi.Mode()))
	}
	return fi, nil
}

func modeKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return m.Type().String()
}

// openRegular opens a regular file for reading. The path is checked
// before opening, and opened non-blocking so that a FIFO swapped in after
// the check cannot block the open; the opened file is checked again.
func openRegular(path string) (*os.File, error) {
	if _, err := CheckRegular(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, modeKind(fi.Mode()))
	}
	return f, nil
}

// ctxReader stops a long read when the run is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readLimited reads a whole regular file, never more than max bytes: the
// read goes one byte past the limit, so a file that yields more than stat
// said (a growing file, a file under /proc) fails with ErrTooLarge
// instead of exhausting memory.
func readLimited(ctx context.Context, path string, max int64) ([]byte, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, tooLarge(path, fi.Size(), max)
	}
	// The stat size is only a hint for the first buffer.
	buf := make([]byte, 0, min(fi.Size(), max)+512)
	data, err := readAllInto(buf, ctxReader{ctx, io.LimitReader(f, max+1)})
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, tooLarge(path, -1, max)
	}
	return data, nil
}

func tooLarge(path string, size, max int64) error {
	if size < 0 {
		return &parser.Error{Path: path, Err: fmt.Errorf("%w: file yields more than %d bytes (--max-file-size)", parser.ErrTooLarge, max)}
	}
	return &parser.Error{Path: path, Err: fmt.Errorf("%w: file is %d bytes, limit %d (--max-file-size)", parser.ErrTooLarge, size, max)}
}

// readAllInto is io.ReadAll appending to buf.
func readAllInto(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
	}
}
