package parser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"
)

// PDF reading: github.com/ledongthuc/pdf parses the file's objects
// (cross-reference tables and streams, object streams, filters, the
// standard security handler with an empty password); everything above
// the objects is ogi's own: the page tree walk, fonts and ToUnicode maps,
// the content stream interpreter (pdfcontent.go) and the layout analysis
// that rebuilds tables from drawn rules (pdflayout.go).

// ReadPDF reads a PDF document. Errors are *Error naming path: ErrEncrypted
// (a password is needed), ErrCorrupt (damaged beyond repair), ErrScanned
// (pages are images, no text layer), ErrNoUnicode (the text cannot be
// decoded), ErrTooLarge (a limit), ErrCanceled.
func ReadPDF(ctx context.Context, path string, data []byte, opts Options) (doc *Document, err error) {
	lim := opts.Limits.WithDefaults()
	rd := &pdfDoc{ctx: ctx, lim: lim, path: path, fonts: map[string]*pdfFont{}}
	defer func() {
		if r := recover(); r != nil {
			doc = nil
			var ab pdfAbort
			if e, ok := r.(pdfAbort); ok {
				ab = e
				err = &Error{Path: path, Where: rd.where, Err: ab.err}
				return
			}
			err = &Error{Path: path, Where: rd.where, Err: fmt.Errorf("%w: %v", ErrCorrupt, r)}
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: %w", ErrCanceled, err)}
	}
	r, repaired, err := rd.open(data)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	rd.r = r
	doc = &Document{Path: path, Format: FormatPDF, Blocks: []Block{}}
	if repaired {
		doc.Warnings = append(doc.Warnings, "damaged cross-reference table; objects found by scanning the file")
	}
	rd.where = "document information"
	if info := r.Trailer().Key("Info"); info.Kind() == pdf.Dict {
		for _, k := range []struct{ key, as string }{{"Title", "title"}, {"Author", "creator"}, {"CreationDate", "created"}, {"ModDate", "modified"}} {
			if s := strings.TrimSpace(infoText(info.Key(k.key))); s != "" && goodText(s) {
				if doc.Meta == nil {
					doc.Meta = map[string]string{}
				}
				doc.Meta[k.as] = s
			}
		}
	}
	rd.where = "page tree"
	refs, err := rd.pageRefs()
	if err != nil {
		return nil, &Error{Path: path, Where: rd.where, Err: err}
	}
	if len(refs) == 0 {
		return nil, &Error{Path: path, Where: "page tree", Err: fmt.Errorf("%w: no pages", ErrCorrupt)}
	}
	pages := make([]*pdfPage, 0, len(refs))
	for i, ref := range refs {
		rd.where = fmt.Sprintf("page %d", i+1)
		pg, err := rd.runPage(ref, i+1)
		if err != nil {
			return nil, &Error{Path: path, Where: rd.where, Err: err}
		}
		rd.glyphs += len(pg.glyphs)
		pages = append(pages, pg)
	}
	rd.where = ""
	if err := checkText(pages, doc); err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	assemble(doc, pages, lim)
	cells := 0
	for _, b := range doc.Blocks {
		if b.Table != nil {
			cells += len(b.Table.Cells())
		}
	}
	if cells > lim.MaxCells {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: more than %d table cells", ErrTooLarge, lim.MaxCells)}
	}
	return doc, nil
}

// infoText decodes a document information string: PDFDocEncoding, or
// UTF-16 with a byte-order mark, big-endian as the standard says or
// little-endian as some Chinese producers write it.
func infoText(v pdf.Value) string {
	raw := v.RawString()
	if strings.HasPrefix(raw, "\xff\xfe") {
		b := []byte(raw[2:])
		for i := 0; i+1 < len(b); i += 2 {
			b[i], b[i+1] = b[i+1], b[i]
		}
		return utf16beText(string(b))
	}
	return v.Text()
}

// pdfAbort carries an error out of the object library through a panic:
// the read budget or the context ran out inside one of its calls.
type pdfAbort struct{ err error }

func (a pdfAbort) Error() string { return a.err.Error() }

// pdfDoc is one PDF being read.
type pdfDoc struct {
	ctx    context.Context
	lim    Limits
	path   string
	where  string
	r      *pdf.Reader
	src    *pdfSource
	fonts  map[string]*pdfFont
	ops    int
	glyphs int
	total  int64 // decoded stream bytes
}

// pdfSource is the file as the object library reads it, through a read
// budget (a hostile file can send the library round a loop of references)
// and the context. head replaces the first bytes (a header the library
// would refuse) and tail is appended (a rebuilt cross-reference table).
type pdfSource struct {
	data   []byte
	head   []byte
	tail   []byte
	read   int64
	budget int64
	calls  int
	ctx    context.Context
}

func (s *pdfSource) size() int64 { return int64(len(s.data) + len(s.tail)) }

func (s *pdfSource) ReadAt(p []byte, off int64) (int, error) {
	s.read += int64(len(p))
	s.calls++
	if s.read > s.budget {
		panic(pdfAbort{fmt.Errorf("%w: reading the file's objects took over %d bytes of reads (a reference loop?)", ErrTooLarge, s.budget)})
	}
	if s.calls&255 == 0 {
		if err := s.ctx.Err(); err != nil {
			panic(pdfAbort{fmt.Errorf("%w: %w", ErrCanceled, err)})
		}
	}
	if off < 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		switch {
		case pos < int64(len(s.head)):
			n += copy(p[n:], s.head[pos:])
		case pos < int64(len(s.data)):
			end := min(int64(len(s.data)), pos+int64(len(p)-n))
			n += copy(p[n:], s.data[pos:end])
		case pos < s.size():
			n += copy(p[n:], s.tail[pos-int64(len(s.data)):])
		default:
			return n, io.EOF
		}
	}
	return n, nil
}

var pdfHeader = regexp.MustCompile(`^%PDF-1\.[0-7][\r\n]`)

// open hands the file to the object library: with the header normalised,
// decrypted with the empty user password when it is encrypted, and with a
// cross-reference table rebuilt by scanning when its own is damaged.
func (rd *pdfDoc) open(data []byte) (*pdf.Reader, bool, error) {
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i > 0 {
		// Junk before the header: offsets count from the header.
		data = data[i:]
	}
	src := &pdfSource{data: data, ctx: rd.ctx, budget: 256<<20 + 64*int64(len(data))}
	if !pdfHeader.Match(data) {
		// "%PDF-2.0", "%PDF-1.4 " and the like: the library wants 1.0–1.7
		// and a line end; the version does not change how objects read.
		// The header is overwritten, never lengthened, so offsets hold.
		if len(data) < 16 {
			return nil, false, fmt.Errorf("%w: %d bytes, no PDF body", ErrCorrupt, len(data))
		}
		src.head = []byte("%PDF-1.7\n")
	}
	if err := checkXrefSizes(data, rd.lim); err != nil {
		return nil, false, err
	}
	rd.src = src
	r, err := rd.newReader()
	encrypted := bytes.Contains(data, []byte("/Encrypt"))
	if err == nil {
		if ok, perr := rd.rootOK(r); ok {
			return r, false, nil
		} else if perr != nil {
			err = perr
		} else {
			err = errors.New("no document catalog with a page tree")
		}
	}
	var ab pdfAbort
	if errors.As(err, &ab) {
		return nil, false, ab.err
	}
	if encrypted && (errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt")) {
		return nil, false, fmt.Errorf("%w: %v", ErrEncrypted, err)
	}
	tail := rebuildXref(data, src.head)
	if tail == nil {
		return nil, false, fmt.Errorf("%w: damaged PDF (%v) and no objects found to rebuild it from", ErrCorrupt, err)
	}
	src.tail = tail
	src.read = 0
	r2, err2 := rd.newReader()
	if err2 == nil {
		if ok, _ := rd.rootOK(r2); ok {
			return r2, true, nil
		}
	}
	if errors.As(err2, &ab) {
		return nil, false, ab.err
	}
	if encrypted {
		return nil, false, fmt.Errorf("%w: %v", ErrEncrypted, err)
	}
	return nil, false, fmt.Errorf("%w: damaged PDF (%v); rebuilding the cross-reference table did not help", ErrCorrupt, err)
}

func (rd *pdfDoc) newReader() (r *pdf.Reader, err error) {
	defer func() {
		if x := recover(); x != nil {
			r = nil
			if ab, ok := x.(pdfAbort); ok {
				err = ab
				return
			}
			err = fmt.Errorf("%v", x)
		}
	}()
	return pdf.NewReader(rd.src, rd.src.size())
}

func (rd *pdfDoc) rootOK(r *pdf.Reader) (ok bool, err error) {
	defer func() {
		if x := recover(); x != nil {
			ok = false
			if ab, isAb := x.(pdfAbort); isAb {
				err = ab
				return
			}
			err = fmt.Errorf("%v", x)
		}
	}()
	pages := r.Trailer().Key("Root").Key("Pages")
	return pages.Kind() == pdf.Dict, nil
}

var (
	objHeader   = regexp.MustCompile(`(?m)(?:^|[\r\n\s])(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b`)
	trailerRoot = regexp.MustCompile(`/Root[ \t\r\n]+(\d+)[ \t\r\n]+(\d+)[ \t\r\n]+R`)
	catalogType = regexp.MustCompile(`/Type[ \t\r\n]*/Catalog\b`)
	sizeEntry   = regexp.MustCompile(`/Size[ \t\r\n]+(\d+)`)
	xrefSub     = regexp.MustCompile(`xref[ \t\r\n]+(\d+)[ \t\r\n]+(\d+)`)
)

// maxPDFObjects bounds the object numbers a cross-reference table may
// declare: the library allocates a table entry for each.
const maxPDFObjects = 8 << 20

// checkXrefSizes refuses a file whose cross-reference data declare more
// objects than any real document has, before the library allocates them.
func checkXrefSizes(data []byte, lim Limits) error {
	for _, m := range sizeEntry.FindAllSubmatch(data, -1) {
		if n, err := strconv.ParseInt(string(m[1]), 10, 64); err != nil || n > maxPDFObjects {
			return fmt.Errorf("%w: cross-reference /Size %s is over %d objects", ErrTooLarge, m[1], maxPDFObjects)
		}
	}
	for _, m := range xrefSub.FindAllSubmatch(data, -1) {
		a, err1 := strconv.ParseInt(string(m[1]), 10, 64)
		b, err2 := strconv.ParseInt(string(m[2]), 10, 64)
		if err1 != nil || err2 != nil || a+b > maxPDFObjects {
			return fmt.Errorf("%w: cross-reference section %s %s is over %d objects", ErrTooLarge, m[1], m[2], maxPDFObjects)
		}
	}
	return nil
}

// rebuildXref scans the file for "N G obj" headers and writes a fresh
// cross-reference table and trailer to append to it, the way viewers
// repair a file whose table is missing or points to the wrong places.
// Objects inside object streams are not reachable this way.
func rebuildXref(data, head []byte) []byte {
	offs := map[int]int{}
	gens := map[int]int{}
	maxN := 0
	for _, m := range objHeader.FindAllSubmatchIndex(data, -1) {
		n, err1 := strconv.Atoi(string(data[m[2]:m[3]]))
		g, err2 := strconv.Atoi(string(data[m[4]:m[5]]))
		if err1 != nil || err2 != nil || n <= 0 || n > maxPDFObjects {
			continue
		}
		offs[n] = m[2] // the last definition wins, as in an updated file
		gens[n] = g
		maxN = max(maxN, n)
	}
	if len(offs) == 0 {
		return nil
	}
	root := ""
	if ms := trailerRoot.FindAllSubmatch(data, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		if n, _ := strconv.Atoi(string(m[1])); offs[n] > 0 {
			root = string(m[1]) + " " + string(m[2])
		}
	}
	if root == "" {
		// No trailer: the object that says it is the catalog.
		for n, off := range offs {
			end := min(len(data), off+4096)
			body := data[off:end]
			if i := bytes.Index(body, []byte("endobj")); i > 0 {
				body = body[:i]
			}
			if catalogType.Match(body) {
				root = fmt.Sprintf("%d %d", n, gens[n])
				break
			}
		}
	}
	if root == "" {
		return nil
	}
	var b bytes.Buffer
	b.WriteString("\n")
	xrefAt := len(data) + b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n", maxN+1)
	b.WriteString("0000000000 65535 f\r\n")
	for n := 1; n <= maxN; n++ {
		if off, ok := offs[n]; ok {
			fmt.Fprintf(&b, "%010d %05d n\r\n", off, gens[n])
		} else {
			b.WriteString("0000000000 00000 f\r\n")
		}
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s R >>\nstartxref\n%d\n%%%%EOF\n", maxN+1, root, xrefAt)
	return b.Bytes()
}

// pageRef is one page of the page tree with its inherited attributes.
type pageRef struct {
	v      pdf.Value
	res    pdf.Value
	box    [4]float64 // crop box within the media box: x0 y0 x1 y1
	rotate int
}

// pageRefs walks the page tree itself, so a loop in it or a false /Count
// cannot send the walk round for ever.
func (rd *pdfDoc) pageRefs() ([]pageRef, error) {
	root := rd.r.Trailer().Key("Root").Key("Pages")
	var out []pageRef
	visits := 0
	var walk func(n pdf.Value, res pdf.Value, media, crop pdf.Value, rot pdf.Value, depth int) error
	walk = func(n pdf.Value, res pdf.Value, media, crop pdf.Value, rot pdf.Value, depth int) error {
		visits++
		if depth > 64 || visits > 4*rd.lim.MaxPDFPages+64 {
			return fmt.Errorf("%w: page tree too deep or looping", ErrCorrupt)
		}
		if r := n.Key("Resources"); r.Kind() == pdf.Dict {
			res = r
		}
		if m := n.Key("MediaBox"); m.Len() == 4 {
			media = m
		}
		if c := n.Key("CropBox"); c.Len() == 4 {
			crop = c
		}
		if r := n.Key("Rotate"); r.Kind() == pdf.Integer || r.Kind() == pdf.Real {
			rot = r
		}
		kids := n.Key("Kids")
		if n.Key("Type").Name() != "Page" && kids.Kind() == pdf.Array {
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), res, media, crop, rot, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if n.Kind() != pdf.Dict {
			return nil
		}
		if len(out) >= rd.lim.MaxPDFPages {
			return fmt.Errorf("%w: over %d pages", ErrTooLarge, rd.lim.MaxPDFPages)
		}
		ref := pageRef{v: n, res: res}
		box := [4]float64{0, 0, 612, 792}
		if media.Len() == 4 {
			box = rectOf(media)
		}
		if crop.Len() == 4 {
			c := rectOf(crop)
			// The crop box is clipped to the media box.
			c = [4]float64{math.Max(c[0], box[0]), math.Max(c[1], box[1]), math.Min(c[2], box[2]), math.Min(c[3], box[3])}
			if c[2]-c[0] > 1 && c[3]-c[1] > 1 {
				box = c
			}
		}
		ref.box = box
		ref.rotate = ((int(rot.Float64())%360)/90*90 + 360) % 360
		out = append(out, ref)
		return nil
	}
	if root.Kind() != pdf.Dict {
		return nil, fmt.Errorf("%w: no page tree", ErrCorrupt)
	}
	err := walk(root, pdf.Value{}, pdf.Value{}, pdf.Value{}, pdf.Value{}, 0)
	return out, err
}

func rectOf(v pdf.Value) [4]float64 {
	a, b, c, d := v.Index(0).Float64(), v.Index(1).Float64(), v.Index(2).Float64(), v.Index(3).Float64()
	return [4]float64{math.Min(a, c), math.Min(b, d), math.Max(a, c), math.Max(b, d)}
}

// streamBytes decodes stream v within the limits.
func (rd *pdfDoc) streamBytes(v pdf.Value, what string) (data []byte, err error) {
	defer func() {
		if x := recover(); x != nil {
			if ab, ok := x.(pdfAbort); ok {
				panic(ab)
			}
			data, err = nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, what, x)
		}
	}()
	if v.Kind() != pdf.Stream {
		return nil, nil
	}
	rc := v.Reader()
	defer rc.Close()
	limit := rd.lim.MaxPartBytes
	data, err = io.ReadAll(io.LimitReader(rc, limit+1))
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s decodes to over %d bytes", ErrTooLarge, what, limit)
	}
	rd.total += int64(len(data))
	if rd.total > rd.lim.MaxTotalBytes {
		return nil, fmt.Errorf("%w: decoded streams over %d bytes in all", ErrTooLarge, rd.lim.MaxTotalBytes)
	}
	if err != nil {
		// A truncated compressed stream: viewers show what decodes, and
		// so do we; nothing decoded at all is damage.
		if len(data) > 0 {
			return data, nil
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, what, err)
	}
	return data, nil
}

// font returns the font of dictionary v, read once per document.
func (rd *pdfDoc) font(v pdf.Value) *pdfFont {
	// Fonts have no identity the library shows; the dictionary's own text
	// (its names, numbers and the references it holds) tells two fonts
	// apart, and two fonts with the same dictionary are the same font.
	key := v.String()
	if f, ok := rd.fonts[key]; ok {
		return f
	}
	f := rd.loadFont(v)
	rd.fonts[key] = f
	return f
}

// checkText decides whether the document has a text layer to read: none
// at all with images on the pages is a scan; text mostly in fonts without
// a Unicode map is unreadable; a little of it is dropped with a warning.
func checkText(pages []*pdfPage, doc *Document) error {
	glyphs, unmapped := 0, 0
	fonts := map[string]bool{}
	var badPages []string
	imagePages := 0
	for _, p := range pages {
		glyphs += len(p.glyphs)
		n := 0
		for f, k := range p.unmapped {
			n += k
			fonts[f] = true
		}
		unmapped += n
		if n > 0 {
			badPages = append(badPages, strconv.Itoa(p.num))
		}
		if p.imageArea > 0.3*p.w*p.h {
			imagePages++
		}
	}
	names := make([]string, 0, len(fonts))
	for f := range fonts {
		names = append(names, f)
	}
	sort.Strings(names)
	switch {
	case glyphs == 0 && unmapped == 0 && imagePages > 0:
		return fmt.Errorf("%w (%d of %d pages are images)", ErrScanned, imagePages, len(pages))
	case glyphs == 0 && unmapped == 0:
		return fmt.Errorf("%w (%d pages, no text and no images)", ErrScanned, len(pages))
	case unmapped > glyphs:
		return fmt.Errorf("%w: %d of %d glyphs unreadable, fonts %s, pages %s", ErrNoUnicode, unmapped, unmapped+glyphs, strings.Join(names, ", "), strings.Join(badPages, ", "))
	case unmapped > 0:
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d glyphs dropped: fonts %s have no Unicode map (pages %s)", unmapped, strings.Join(names, ", "), strings.Join(badPages, ", ")))
	}
	return nil
}
