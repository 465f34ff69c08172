package parser

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
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
	zr, err := zip.NewReader(memReaderAt(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &Error{Path: p, Where: "zip", Err: fmt.Errorf("%w: not a readable zip archive (%s)", ErrCorrupt, zipReason(err))}
	}
	if n := len(zr.File); n > lim.MaxParts {
		return nil, &Error{Path: p, Where: "zip", Err: fmt.Errorf("%w: %d entries in the archive, limit %d", ErrTooLarge, n, lim.MaxParts)}
	}
	zr.RegisterDecompressor(zip.Deflate, inflater)
	return &ooxmlPackage{path: p, zr: zr, lim: lim, budget: lim.MaxTotalBytes}, nil
}

// memReaderAt is a package held in memory. Its type lets inflater find
// the compressed bytes of a part and read them in place.
type memReaderAt []byte

func (m memReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if off >= int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// inflaters recycles DEFLATE decompressors, whose window and tables are
// costly to allocate for every part.
var inflaters sync.Pool

// inflater is the zip.Decompressor for DEFLATE parts. Given the part's
// bytes in memory it reads them through a bytes.Reader, which the
// decompressor uses as is, instead of through a new bufio.Reader.
func inflater(r io.Reader) io.ReadCloser {
	if sr, ok := r.(*io.SectionReader); ok {
		if m, ok := reflectMem(sr); ok {
			r = bytes.NewReader(m)
		}
	}
	if fr, ok := inflaters.Get().(io.ReadCloser); ok {
		if err := fr.(flate.Resetter).Reset(r, nil); err == nil {
			return &pooledInflater{fr: fr}
		}
	}
	return &pooledInflater{fr: flate.NewReader(r)}
}

// reflectMem returns the bytes under sr when they are in memory.
func reflectMem(sr *io.SectionReader) ([]byte, bool) {
	ra, off, n := sr.Outer()
	m, ok := ra.(memReaderAt)
	if !ok || off < 0 || n < 0 || off > int64(len(m)) || n > int64(len(m))-off {
		return nil, false
	}
	return m[off : off+n : off+n], true
}

type pooledInflater struct{ fr io.ReadCloser }

func (p *pooledInflater) Read(b []byte) (int, error) {
	if p.fr == nil {
		return 0, errors.New("read of a closed part")
	}
	return p.fr.Read(b)
}

func (p *pooledInflater) Close() error {
	if p.fr == nil {
		return nil
	}
	err := p.fr.Close()
	inflaters.Put(p.fr)
	p.fr = nil
	return err
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
		return nil, &Error{Path: k.path, Part: name, Where: name, Err: fmt.Errorf("%w: zip entry is encrypted", ErrEncrypted)}
	}
	size := int64(f.UncompressedSize64)
	if f.UncompressedSize64 > uint64(k.lim.MaxPartBytes) {
		return nil, &Error{Path: k.path, Part: name, Where: name, Err: fmt.Errorf("%w: part declares %d bytes uncompressed, limit %d", ErrTooLarge, f.UncompressedSize64, k.lim.MaxPartBytes)}
	}
	if size > k.budget {
		return nil, &Error{Path: k.path, Part: name, Where: name, Err: fmt.Errorf("%w: parts read would exceed %d bytes uncompressed in total", ErrTooLarge, k.lim.MaxTotalBytes)}
	}
	if size > ratioFloor {
		c := int64(f.CompressedSize64)
		if c <= 0 || size/c > k.lim.MaxRatio {
			return nil, &Error{Path: k.path, Part: name, Where: name, Err: fmt.Errorf("%w: compression ratio %d:1 (%d bytes from %d), limit %d:1", ErrTooLarge, size/max(c, 1), size, c, k.lim.MaxRatio)}
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Path: k.path, Part: name, Where: name, Err: fmt.Errorf("%w: %s", ErrCorrupt, zipReason(err))}
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
	return &Error{Path: k.path, Part: part, Where: part, Err: fmt.Errorf("%w: %s", ErrCorrupt, zipReason(err))}
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
		return 0, &Error{Path: l.k.path, Part: l.name, Where: l.name, Err: fmt.Errorf("%w: part inflates past %d bytes", ErrTooLarge, l.limit)}
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
	corrupt := func(msg string) error {
		return &Error{Path: k.path, Part: f.Name, Where: f.Name, Err: fmt.Errorf("%w: %s", ErrCorrupt, msg)}
	}
	if err := checkSmallPart(data); err != nil {
		return nil, corrupt(err.Error())
	}
	var rels []ooxmlRel
	var s xmlScanner
	s.reset(data)
	for {
		kind, err := s.next()
		if err == io.EOF {
			return rels, nil
		}
		if err != nil {
			return rels, corrupt("XML: " + err.Error())
		}
		if kind != tokStart || string(s.local) != "Relationship" {
			continue
		}
		var r ooxmlRel
		if v, ok := s.attr("Id"); ok {
			r.ID = string(v)
		}
		if v, ok := s.attr("Type"); ok {
			r.Type = string(v)
		}
		if v, ok := s.attr("Target"); ok {
			r.Target = string(v)
		}
		if v, ok := s.attr("TargetMode"); ok {
			r.Mode = string(v)
		}
		rels = append(rels, r)
	}
}

// checkSmallPart refuses a small XML part the scanner cannot read: one
// that is not UTF-8 or declares another encoding.
func checkSmallPart(data []byte) error {
	if !utf8.Valid(data) {
		return errors.New("XML is not valid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return nil
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return nil // the scanner reports it
	}
	decl := data[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return nil
	}
	v := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(v) == 0 || v[0] != '=' {
		return nil
	}
	v = bytes.TrimLeft(v[1:], " \t\r\n")
	if len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
		return nil
	}
	q := bytes.IndexByte(v[1:], v[0])
	if q < 0 {
		return nil
	}
	switch label := strings.ToLower(string(v[1 : 1+q])); label {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return nil
	default:
		return fmt.Errorf("XML declares encoding %q", label)
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
