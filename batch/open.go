package batch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
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
