package parser

import (
	"errors"
	"fmt"
)

// Causes a reader error wraps; test for them with errors.Is.
var (
	ErrEmpty     = errors.New("empty file")
	ErrLegacyDoc = errors.New("legacy binary Word/WPS document (OLE); save it as .docx")
	ErrEncrypted = errors.New("encrypted or password-protected document")
	ErrCorrupt   = errors.New("corrupt or truncated file")
	ErrTooLarge  = errors.New("over a configured limit")
	ErrNoContent = errors.New("document part missing")
	ErrFormat    = errors.New("not a DOCX, HTML or PDF document")
	// ErrScanned is a PDF whose pages are images with no text layer: its
	// text cannot be read without OCR.
	ErrScanned = errors.New("scanned PDF, no text layer")
	// ErrNoUnicode is a PDF whose text is set in fonts without a Unicode
	// map: the character codes are glyph numbers, and reading them as text
	// would index mojibake.
	ErrNoUnicode = errors.New("PDF text in fonts without a Unicode map (ToUnicode)")
	// ErrCanceled is a read stopped by its context (a time limit, SIGINT).
	ErrCanceled = errors.New("reading stopped")
)

// Error is a reader error: the file, where in it the reader was when it
// happened (a zip part, a table, a row), and the cause. The position
// fields are for programs, as extract.Problem's are; Where says the same
// for people and is what Error prints.
type Error struct {
	Path  string // the file
	Part  string // the zip part, e.g. "word/document.xml"; "" for HTML
	Table int    // the table, counted from 1 in document order; 0 when not in one
	Row   int    // the row of that table, from 1; 0 when not known
	Cell  int    // the cell of that row, from 1; 0 when not known
	Where string // e.g. "word/document.xml", "table 3 row 12"; may be empty
	Err   error  // wraps one of the Err* causes where one applies
}

func (e *Error) Error() string {
	if e.Where != "" {
		return fmt.Sprintf("%s: %s: %v", e.Path, e.Where, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Limits bound what one document may cost to read. Zero fields take the
// defaults of DefaultLimits. Hitting a limit is an error wrapping
// ErrTooLarge, never silent truncation.
type Limits struct {
	MaxFileBytes  int64 // the input file
	MaxHTMLBytes  int64 // an HTML page (reading it costs about five times its size)
	MaxPartBytes  int64 // one uncompressed zip part
	MaxTotalBytes int64 // all uncompressed parts read
	MaxRatio      int64 // uncompressed/compressed size of a part
	MaxParts      int   // entries in the zip directory
	MaxCells      int   // table cells in the whole document
	MaxDepth      int   // nesting of tables inside tables
	// PDF: MaxPartBytes bounds one decoded stream and MaxTotalBytes all of
	// them; these bound the rest.
	MaxPDFPages  int // pages
	MaxPDFGlyphs int // glyphs shown, whole document
	MaxPDFOps    int // content stream operators run, whole document
}

// DefaultLimits are generous for real reports and refuse hostile files fast.
// The part limits also bound memory: reading a DOCX holds about two and a
// half times the text parts it inflates (a 60 MB main part kept 144 MB
// live), and a run at the defaults must stay under 200 MB resident. The
// main part of a real report is well under 10 MB (images are separate
// parts, never inflated).
var DefaultLimits = Limits{
	MaxFileBytes:  64 << 20,
	MaxHTMLBytes:  8 << 20,
	MaxPartBytes:  32 << 20,
	MaxTotalBytes: 48 << 20,
	MaxRatio:      200,
	MaxParts:      2000,
	MaxCells:      200000,
	MaxDepth:      32,
	MaxPDFPages:   2000,
	MaxPDFGlyphs:  4 << 20,
	MaxPDFOps:     16 << 20,
}

// WithDefaults fills zero fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxHTMLBytes > 0 {
		d.MaxHTMLBytes = l.MaxHTMLBytes
	}
	if l.MaxPartBytes > 0 {
		d.MaxPartBytes = l.MaxPartBytes
	}
	if l.MaxTotalBytes > 0 {
		d.MaxTotalBytes = l.MaxTotalBytes
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.MaxParts > 0 {
		d.MaxParts = l.MaxParts
	}
	if l.MaxCells > 0 {
		d.MaxCells = l.MaxCells
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxPDFPages > 0 {
		d.MaxPDFPages = l.MaxPDFPages
	}
	if l.MaxPDFGlyphs > 0 {
		d.MaxPDFGlyphs = l.MaxPDFGlyphs
	}
	if l.MaxPDFOps > 0 {
		d.MaxPDFOps = l.MaxPDFOps
	}
	return d
}

// Options configure Read.
type Options struct {
	Limits Limits
	// Charset is a character set the caller knows for an HTML page (from an
	// HTTP header, say). It is used only if the bytes decode cleanly under it.
	Charset string
}
