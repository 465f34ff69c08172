package parser

import (
	"bytes"
	"compress/zlib"
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
	// RC4 with a key under 128 bits: decrypted here (see pdfcrypt.go).
	dec, decrypted, err := decryptShortRC4(data, rd.lim.MaxTotalBytes, rd.lim.MaxPartBytes)
	if err != nil {
		return nil, false, err
	}
	if decrypted {
		data = dec
		src.data = dec
		src.budget = 256<<20 + 64*int64(len(dec))
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
	tail := rebuildXref(data, src.head, rd.lim.MaxTotalBytes, rd.lim.MaxPartBytes)
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
	trailerInfo = regexp.MustCompile(`/Info[ \t\r\n]+(\d+)[ \t\r\n]+(\d+)[ \t\r\n]+R`)
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
// cross-reference section and trailer to append to it, the way viewers
// repair a file whose table is missing or points to the wrong places (a
// download cut short loses the table at its end). Objects packed in object
// streams (/Type /ObjStm, as Word and most writers since PDF 1.5 make
// them) are found by decoding those streams, up to maxDecoded bytes in
// all and maxStream each; the section is then a cross-reference stream, the only kind that
// can point into them.
func rebuildXref(data, head []byte, maxDecoded, maxStream int64) []byte {
	type entry struct {
		off, gen int // plain: offset, generation
		stm, idx int // packed: the object stream and the index in it
		at       int // where the definition is in the file: the last wins
	}
	ents := map[int]entry{}
	maxN := 0
	packed := false
	root := ""
	for _, m := range objHeader.FindAllSubmatchIndex(data, -1) {
		n, err1 := strconv.Atoi(string(data[m[2]:m[3]]))
		g, err2 := strconv.Atoi(string(data[m[4]:m[5]]))
		if err1 != nil || err2 != nil || n <= 0 || n > maxPDFObjects {
			continue
		}
		ents[n] = entry{off: m[2], gen: g, at: m[2]}
		maxN = max(maxN, n)
		members, texts := objStmMembers(data[m[1]:], &maxDecoded, maxStream)
		for i, k := range members {
			if k <= 0 || k > maxPDFObjects {
				continue
			}
			if e, ok := ents[k]; ok && e.at > m[2] {
				continue
			}
			ents[k] = entry{stm: n, idx: i, at: m[2]}
			maxN = max(maxN, k)
			packed = true
		}
		for i, text := range texts {
			if root == "" && catalogType.Match(text) {
				root = fmt.Sprintf("%d 0", members[i]) // a packed catalog
			}
		}
	}
	if len(ents) == 0 {
		return nil
	}
	if ms := trailerRoot.FindAllSubmatch(data, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		if n, _ := strconv.Atoi(string(m[1])); ents[n] != (entry{}) {
			root = string(m[1]) + " " + string(m[2])
		}
	}
	if root == "" {
		// No trailer: the object that says it is the catalog.
		for n, e := range ents {
			if e.stm != 0 {
				continue
			}
			end := min(len(data), e.off+4096)
			body := data[e.off:end]
			if i := bytes.Index(body, []byte("endobj")); i > 0 {
				body = body[:i]
			}
			if catalogType.Match(body) {
				root = fmt.Sprintf("%d %d", n, e.gen)
				break
			}
		}
	}
	if root == "" {
		return nil
	}
	// The document information, kept when the last trailer names one.
	info := ""
	if ms := trailerInfo.FindAllSubmatch(data, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		if n, _ := strconv.Atoi(string(m[1])); ents[n] != (entry{}) {
			info = fmt.Sprintf(" /Info %s %s R", m[1], m[2])
		}
	}
	var b bytes.Buffer
	b.WriteString("\n")
	xrefAt := len(data) + b.Len()
	if !packed {
		fmt.Fprintf(&b, "xref\n0 %d\n", maxN+1)
		b.WriteString("0000000000 65535 f\r\n")
		for n := 1; n <= maxN; n++ {
			if e, ok := ents[n]; ok {
				fmt.Fprintf(&b, "%010d %05d n\r\n", e.off, e.gen)
			} else {
				b.WriteString("0000000000 00000 f\r\n")
			}
		}
		fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s R%s >>\nstartxref\n%d\n%%%%EOF\n", maxN+1, root, info, xrefAt)
		return b.Bytes()
	}
	// A cross-reference stream, itself object maxN+1: rows of type (1
	// byte), offset or object stream (4), generation or index (2).
	self := maxN + 1
	rows := make([]byte, 0, 7*(self+1))
	row := func(t byte, a, c int) {
		rows = append(rows, t, byte(a>>24), byte(a>>16), byte(a>>8), byte(a), byte(c>>8), byte(c))
	}
	row(0, 0, 0xFFFF)
	for n := 1; n <= maxN; n++ {
		switch e, ok := ents[n]; {
		case !ok:
			row(0, 0, 0)
		case e.stm != 0:
			row(2, e.stm, e.idx)
		default:
			row(1, e.off, e.gen)
		}
	}
	row(1, xrefAt, 0)
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %s R%s /Length %d >>\nstream\n", self, self+1, root, info, len(rows))
	b.Write(rows)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefAt)
	return b.Bytes()
}

var (
	objStmType   = regexp.MustCompile(`^\s*<<[^>]*?/Type\s*/ObjStm\b`)
	objStmN      = dictIntRE("N")
	objStmFirst  = dictIntRE("First")
	objStmLen    = dictIntRE("Length")
	objStmFilter = regexp.MustCompile(`/Filter\s*\[?\s*/(\w+)`)
	streamStart  = regexp.MustCompile(`>>\s*stream(\r\n|\n|\r)`)
)

// dictIntRE matches /key followed by an integer, and the " G R" that
// makes it a reference.
func dictIntRE(key string) *regexp.Regexp {
	return regexp.MustCompile(`/` + key + `\s+(\d+)(\s+\d+\s+R)?`)
}

// objStmMembers returns the object numbers packed in the object stream
// whose definition starts at the beginning of obj (just after "N G obj"),
// in order, with each one's text; nil when obj is not an object stream
// that can be read (FlateDecode or no filter), or when decoding would go
// past *budget bytes (which it lowers) or maxStream. A stream cut short gives what it
// holds.
func objStmMembers(obj []byte, budget *int64, maxStream int64) ([]int, [][]byte) {
	head := obj[:min(len(obj), 1024)]
	if !objStmType.Match(head) {
		return nil, nil
	}
	st := streamStart.FindIndex(head)
	if st == nil {
		return nil, nil
	}
	dict := head[:st[0]]
	filter := ""
	if m := objStmFilter.FindSubmatch(dict); m != nil {
		filter = string(m[1])
	}
	if filter != "" && filter != "FlateDecode" {
		return nil, nil
	}
	intOf := func(re *regexp.Regexp) int {
		m := re.FindSubmatch(dict)
		if m == nil || len(m[2]) > 0 {
			return -1 // missing, or an indirect reference
		}
		v, err := strconv.Atoi(string(m[1]))
		if err != nil {
			return -1
		}
		return v
	}
	n, first := intOf(objStmN), intOf(objStmFirst)
	if n <= 0 || first <= 0 || n > maxPDFObjects {
		return nil, nil
	}
	raw := obj[st[1]:]
	if l := intOf(objStmLen); l >= 0 && l <= len(raw) {
		raw = raw[:l]
	} else if e := bytes.Index(raw, []byte("endstream")); e >= 0 {
		raw = raw[:e]
	}
	body := raw
	if filter == "FlateDecode" {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, nil
		}
		body, _ = io.ReadAll(io.LimitReader(zr, min(*budget, maxStream)+1))
	}
	if int64(len(body)) > min(*budget, maxStream) {
		*budget = 0
		return nil, nil
	}
	*budget -= int64(len(body))
	if first > len(body) {
		return nil, nil
	}
	fields := bytes.Fields(body[:first])
	if len(fields) < 2*n {
		return nil, nil
	}
	members := make([]int, n)
	offs := make([]int, n+1)
	for i := range n {
		k, err1 := strconv.Atoi(string(fields[2*i]))
		o, err2 := strconv.Atoi(string(fields[2*i+1]))
		if err1 != nil || err2 != nil || o < 0 {
			return nil, nil
		}
		members[i], offs[i] = k, o
	}
	offs[n] = len(body) - first
	texts := make([][]byte, n)
	for i := range n {
		a, e := first+offs[i], first+offs[i+1]
		if a <= e && e <= len(body) {
			texts[i] = body[a:e]
		}
	}
	return members, texts
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
