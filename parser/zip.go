package parser

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// ooxmlPackage is an opened OOXML package (a zip archive) with the read budget of
// one document. Every part goes through open, which refuses a part before
// inflating it when its declared size breaks a limit, and counts the bytes
// actually inflated, since declared sizes can lie.
type ooxmlPackage struct {
	path   string
	zr     *zip.Reader
	lim    Limits
	budget int64 // uncompressed bytes still allowed across all parts read
}

// ratioFloor is the uncompressed size below which MaxRatio is not applied:
// small XML parts compress well and cannot hurt.
const ratioFloor = 1 << 20

func openPackage(p string, data []byte, lim Limits) (*ooxmlPackage, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &Error{Path: p, Where: "zip", Err: fmt.Errorf("%w: not a readable zip archive (%s)", ErrCorrupt, zipReason(err))}
	}
	if n := len(zr.File); n > lim.MaxParts {
		return nil, &Error{Path: p, Where: "zip", Err: fmt.Errorf("%w: %d entries in the archive, limit %d", ErrTooLarge, n, lim.MaxParts)}
	}
	return &ooxmlPackage{path: p, zr: zr, lim: lim, budget: lim.MaxTotalBytes}, nil
}

// zipReason turns an archive/zip error into words a user can act on.
func zipReason(err error) string {
	switch {
	case errors.Is(err, zip.ErrFormat):
		return "no valid central directory: the file is truncated or damaged"
	case errors.Is(err, zip.ErrAlgorithm):
		return "unsupported compression method"
	case errors.Is(err, zip.ErrChecksum):
		return "checksum mismatch: the part is damaged"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end of data: the file is truncated"
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return "damaged compressed data: " + ce.Error()
	}
	return err.Error()
}

// find returns the part named name (part names compare case-insensitively,
// without a leading slash), or nil.
func (k *ooxmlPackage) find(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, f := range k.zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return f
		}
	}
	return nil
}

// open checks f against the limits and returns a reader of its inflated
// bytes that fails with ErrTooLarge past the limits.
func (k *ooxmlPackage) open(f *zip.File) (io.ReadCloser, error) {
	name := f.Name
	if f.Flags&0x1 != 0 {
		return nil, &Error{Path: k.path, Where: name, Err: fmt.Errorf("%w: zip entry is encrypted", ErrEncrypted)}
	}
	size := int64(f.UncompressedSize64)
	if f.UncompressedSize64 > uint64(k.lim.MaxPartBytes) {
		return nil, &Error{Path: k.path, Where: name, Err: fmt.Errorf("%w: part declares %d bytes uncompressed, limit %d", ErrTooLarge, f.UncompressedSize64, k.lim.MaxPartBytes)}
	}
	if size > k.budget {
		return nil, &Error{Path: k.path, Where: name, Err: fmt.Errorf("%w: parts read would exceed %d bytes uncompressed in total", ErrTooLarge, k.lim.MaxTotalBytes)}
	}
	if size > ratioFloor {
		c := int64(f.CompressedSize64)
		if c <= 0 || size/c > k.lim.MaxRatio {
			return nil, &Error{Path: k.path, Where: name, Err: fmt.Errorf("%w: compression ratio %d:1 (%d bytes from %d), limit %d:1", ErrTooLarge, size/max(c, 1), size, c, k.lim.MaxRatio)}
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Path: k.path, Where: name, Err: fmt.Errorf("%w: %s", ErrCorrupt, zipReason(err))}
	}
	n := min(k.lim.MaxPartBytes, k.budget)
	return &limitedPart{rc: rc, k: k, name: name, n: n, limit: n}, nil
}

// readAll reads a whole (small) part.
func (k *ooxmlPackage) readAll(f *zip.File) ([]byte, error) {
	rc, err := k.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, 0, min(int64(f.UncompressedSize64), k.lim.MaxPartBytes)+1)
	b := bytes.NewBuffer(buf)
	if _, err := b.ReadFrom(rc); err != nil {
		return nil, k.readErr(f.Name, err)
	}
	return b.Bytes(), nil
}

// readErr wraps an error met while inflating a part.
func (k *ooxmlPackage) readErr(part string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Path: k.path, Where: part, Err: fmt.Errorf("%w: %s", ErrCorrupt, zipReason(err))}
}

// limitedPart counts inflated bytes against the part and total limits.
type limitedPart struct {
	rc    io.ReadCloser
	k     *ooxmlPackage
	name  string
	n     int64 // bytes still allowed
	limit int64
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Allow a clean EOF exactly at the limit.
		var one [1]byte
		if m, err := l.rc.Read(one[:]); m == 0 && err == io.EOF {
			return 0, io.EOF
		}
		return 0, &Error{Path: l.k.path, Where: l.name, Err: fmt.Errorf("%w: part inflates past %d bytes", ErrTooLarge, l.limit)}
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	m, err := l.rc.Read(p)
	l.n -= int64(m)
	l.k.budget -= int64(m)
	return m, err
}

func (l *limitedPart) Close() error { return l.rc.Close() }

// ooxmlRel is one relationship of a .rels part.
type ooxmlRel struct {
	ID, Type, Target, Mode string
}

// readRels parses the relationships part for source part src ("" for the
// package). A missing rels part is no error.
func (k *ooxmlPackage) readRels(src string) ([]ooxmlRel, error) {
	dir, base := path.Split(src)
	f := k.find(dir + "_rels/" + base + ".rels")
	if f == nil {
		return nil, nil
	}
	data, err := k.readAll(f)
	if err != nil {
		return nil, err
	}
	var rels []ooxmlRel
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return rels, &Error{Path: k.path, Where: f.Name, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			continue
		}
		var r ooxmlRel
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.ID = a.Value
			case "Type":
				r.Type = a.Value
			case "Target":
				r.Target = a.Value
			case "TargetMode":
				r.Mode = a.Value
			}
		}
		rels = append(rels, r)
	}
}

// resolvePart turns a relationship target into a part name.
func resolvePart(src, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(path.Dir(src), target), "/")
}

// relOfType returns the first relationship whose type ends in suffix
// (transitional and strict type URIs differ only before the last slash).
func relOfType(rels []ooxmlRel, suffix string) (ooxmlRel, bool) {
	for _, r := range rels {
		if strings.HasSuffix(r.Type, suffix) && !strings.EqualFold(r.Mode, "External") {
			return r, true
		}
	}
	return ooxmlRel{}, false
}
