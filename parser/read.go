package parser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// ReadFile reads the file at path and parses it with Read. A file larger
// than Limits.MaxFileBytes is refused before it is read.
func ReadFile(ctx context.Context, path string, opts Options) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	defer f.Close()
	data, err := Load(f, path, opts.Limits)
	if err != nil {
		return nil, err
	}
	return Read(ctx, path, data, opts)
}

// Load reads all of f, the file opened at path, within lim.MaxFileBytes
// (zero fields of lim take DefaultLimits): a larger file is refused with
// ErrTooLarge, before it is read when its size shows it. This is the one
// place the file size limit is applied.
func Load(f fs.File, path string, lim Limits) ([]byte, error) {
	lim = lim.WithDefaults()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	if st.IsDir() {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: is a directory", ErrFormat)}
	}
	if st.Size() > lim.MaxFileBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: file is %d bytes, limit %d", ErrTooLarge, st.Size(), lim.MaxFileBytes)}
	}
	// The file may grow between Stat and Read: read one byte past the limit.
	// The buffer starts at the size Stat gave (and one byte more, to see
	// the end), so a file is read without growing and copying it.
	r := io.LimitReader(f, lim.MaxFileBytes+1)
	data := make([]byte, 0, min(st.Size(), lim.MaxFileBytes)+1)
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &Error{Path: path, Err: err}
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // more than Stat said: grow
		}
	}
	if int64(len(data)) > lim.MaxFileBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: file is over %d bytes", ErrTooLarge, lim.MaxFileBytes)}
	}
	return data, nil
}

// oleMagic starts every OLE compound file: legacy .doc/.wps, and the
// container Office wraps an encrypted .docx in.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptedPackage is the stream name "EncryptedPackage" in UTF-16LE, as
// it appears in an OLE directory entry.
var encryptedPackage = utf16le("EncryptedPackage")

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// Read parses data, the content of the file at path, after finding its real
// type from its bytes: the extension is believed only for text files named
// .html or .htm. Every error is an *Error naming path. A panic in a reader
// becomes an error too, so one hostile file cannot stop a batch.
func Read(ctx context.Context, path string, data []byte, opts Options) (doc *Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc = nil
			err = &Error{Path: path, Err: fmt.Errorf("%w: reader failed on this input: %v", ErrCorrupt, r)}
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: %w", ErrCanceled, err)}
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case len(bytes.TrimLeft(data, " \t\r\n\f\v")) == 0 || isBOMOnly(data):
		return nil, &Error{Path: path, Err: fmt.Errorf("%w (%d bytes, nothing but whitespace)", ErrEmpty, len(data))}
	case bytes.HasPrefix(data, oleMagic):
		if bytes.Contains(data, encryptedPackage) {
			return nil, &Error{Path: path, Err: fmt.Errorf("%w: an OLE container holding an EncryptedPackage stream (a .docx saved with a password)", ErrEncrypted)}
		}
		return nil, &Error{Path: path, Err: ErrLegacyDoc}
	case looksPDF(data):
		return wrapReadErr(path)(ReadPDF(ctx, path, data, opts))
	case looksZip(data):
		return ReadDOCX(ctx, path, data, opts)
	case looksHTML(data):
		return wrapReadErr(path)(ReadHTML(ctx, path, data, opts))
	case looksMIME(data):
		return wrapReadErr(path)(ReadMHT(ctx, path, data, opts))
	}
	if what, binary := sniffBinary(data); binary {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: content is %s", ErrFormat, what)}
	}
	switch ext {
	case ".html", ".htm", ".shtml", ".xhtml":
		return wrapReadErr(path)(ReadHTML(ctx, path, data, opts))
	case ".mht", ".mhtml":
		return wrapReadErr(path)(ReadMHT(ctx, path, data, opts))
	}
	return nil, &Error{Path: path, Err: fmt.Errorf("%w: content is %s", ErrFormat, describeBytes(data))}
}

// wrapReadErr makes sure an error from another reader is an *Error naming path.
func wrapReadErr(path string) func(*Document, error) (*Document, error) {
	return func(doc *Document, err error) (*Document, error) {
		if err == nil {
			return doc, nil
		}
		var e *Error
		if errors.As(err, &e) {
			return doc, err
		}
		return doc, &Error{Path: path, Err: err}
	}
}

func isBOMOnly(data []byte) bool {
	for _, bom := range [][]byte{{0xEF, 0xBB, 0xBF}, {0xFF, 0xFE}, {0xFE, 0xFF}} {
		if bytes.HasPrefix(data, bom) {
			rest := data[len(bom):]
			if len(bom) == 2 {
				rest = bytes.ReplaceAll(rest, []byte{0}, nil)
			}
			return len(bytes.TrimSpace(rest)) == 0
		}
	}
	return false
}

// looksPDF reports whether data is a PDF: "%PDF-" at the start, or within
// the first kilobyte after junk a server or mail program put before it.
func looksPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

func looksZip(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06"))
}

// sniffText returns up to n bytes of the start of data as lower-case
// ASCII-compatible text, with a BOM and leading whitespace removed. UTF-16
// (with a BOM) is narrowed by dropping its zero bytes, which is enough to
// recognise markup.
func sniffText(data []byte, n int) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		data = data[2:]
		if len(data) > 2*n {
			data = data[:2*n]
		}
		data = bytes.ReplaceAll(data, []byte{0}, nil)
	}
	data = bytes.TrimLeft(data, " \t\r\n\f\v")
	if len(data) > n {
		data = data[:n]
	}
	return bytes.ToLower(data)
}

// looksHTML reports whether data starts like an HTML page (as Word's "save
// as web page", a CMS, or a browser writes it), whatever its name says.
func looksHTML(data []byte) bool {
	s := sniffText(data, 1024)
	if len(s) == 0 || s[0] != '<' {
		return false
	}
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<table", "<meta", "<title", "<div", "<p>", "<p ", "<style", "<script", "<link", "<font", "<span", "<center", "<h1", "<h2", "<br"} {
		if bytes.HasPrefix(s, []byte(p)) {
			return true
		}
	}
	// An XML declaration, doctype or comment first: HTML if an <html
	// element follows soon.
	if bytes.HasPrefix(s, []byte("<?xml")) || bytes.HasPrefix(s, []byte("<!")) {
		return bytes.Contains(s, []byte("<html"))
	}
	return false
}

// looksMIME reports whether data is a MIME message (MHT "web archive"):
// a MIME-Version header, or a multipart/related content type, among the
// first header lines.
func looksMIME(data []byte) bool {
	s := sniffText(data, 2048)
	for i, line := range bytes.SplitN(s, []byte("\n"), 24) {
		if i == 23 {
			break
		}
		line = bytes.TrimSpace(line)
		if bytes.HasPrefix(line, []byte("mime-version:")) ||
			(bytes.HasPrefix(line, []byte("content-type:")) && bytes.Contains(line, []byte("multipart/related"))) {
			return true
		}
	}
	return false
}

// fileMagics name binary formats a report may arrive as by mistake.
var fileMagics = []struct {
	prefix string
	what   string
}{
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"\xFF\xD8\xFF", "a JPEG image"},
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"{\\rtf", "an RTF document; save it as .docx"},
	{"Rar!", "a RAR archive"},
	{"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
	{"\x1F\x8B", "gzip-compressed data"},
	{"PK\x07\x08", "a split zip archive"},
}

// sniffBinary reports whether the first 8 KB of data are binary rather
// than text, and what they look like.
func sniffBinary(data []byte) (string, bool) {
	for _, m := range fileMagics {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			return m.what, true
		}
	}
	head := data[:min(len(data), 8192)]
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return "", false // UTF-16 text: zero bytes are expected
	}
	nul, ctl := 0, 0
	for _, c := range head {
		switch {
		case c == 0:
			nul++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B, c == 0x7F:
			ctl++
		}
	}
	if nul > 0 {
		return fmt.Sprintf("binary data (%d NUL bytes in the first %d)", nul, len(head)), true
	}
	if ctl*20 > len(head) {
		return fmt.Sprintf("binary data (%d control bytes in the first %d)", ctl, len(head)), true
	}
	return "", false
}

// describeBytes says in a few words what data looks like, for errors.
func describeBytes(data []byte) string {
	if what, bin := sniffBinary(data); bin {
		return what
	}
	head := data[:min(len(data), 8192)]
	if utf8.Valid(trimPartialRune(head)) {
		first, _, _ := bytes.Cut(bytes.TrimSpace(head), []byte("\n"))
		if len(first) > 40 {
			first = first[:40]
		}
		return fmt.Sprintf("plain text starting %q", bytes.ToValidUTF8(first, nil))
	}
	return "text in a non-UTF-8 encoding, not HTML"
}

func trimPartialRune(b []byte) []byte {
	for i := 0; i < 3 && len(b) > 0; i++ {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			break
		}
		b = b[:len(b)-1]
	}
	return b
}
