package parser

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// ReadDOCX reads a WordprocessingML package (.docx as written by Word, WPS
// or LibreOffice, transitional or strict). Body paragraphs and tables come
// out in document order; headers, footers, footnotes and comments are not
// read. The main part is inflated into a reused buffer and read token by
// token with a small tokenizer (xmlscan.go); no DOM is built, and
// formatting subtrees are passed over without being tokenized.
func ReadDOCX(ctx context.Context, p string, data []byte, opts Options) (*Document, error) {
	return readDOCX(ctx, p, data, opts, 0)
}

// maxChunkNesting bounds DOCX altChunks holding DOCX altChunks.
const maxChunkNesting = 2

func readDOCX(ctx context.Context, p string, data []byte, opts Options, nesting int) (*Document, error) {
	lim := opts.Limits.WithDefaults()
	k, err := openPackage(p, data, lim)
	if err != nil {
		return nil, err
	}
	// Damaged package relationships are not fatal: the main part has a
	// conventional name to fall back on.
	rootRels, err := k.readRels("")
	if err != nil && !errors.Is(err, ErrCorrupt) {
		return nil, err
	}
	main := ""
	if r, ok := relOfType(rootRels, "/officeDocument"); ok {
		main = resolvePart("", r.Target)
	}
	mf := k.find(main)
	if mf == nil {
		main = "word/document.xml"
		mf = k.find(main)
	}
	if mf == nil {
		return nil, &Error{Path: p, Err: fmt.Errorf("%w: no word/document.xml in the archive (%s)", ErrNoContent, describeZip(k))}
	}
	main = mf.Name
	doc := &Document{Path: p, Format: FormatDOCX, Blocks: []Block{}}
	d := &docxReader{ctx: ctx, k: k, opts: opts, lim: lim, part: main, doc: doc, nesting: nesting}
	if err := d.readMain(mf); err != nil {
		return nil, err
	}
	if r, ok := relOfType(rootRels, "/core-properties"); ok {
		d.readCore(resolvePart("", r.Target))
	} else {
		d.readCore("docProps/core.xml")
	}
	return doc, nil
}

// describeZip says what an archive without a Word document seems to be.
func describeZip(k *ooxmlPackage) string {
	n := len(k.zr.File)
	if n == 0 {
		return "the zip archive is empty"
	}
	for _, f := range k.zr.File {
		switch {
		case strings.EqualFold(f.Name, "mimetype"):
			return "it looks like an OpenDocument file; save it as .docx"
		case strings.HasPrefix(strings.ToLower(f.Name), "xl/"):
			return "it looks like an Excel workbook"
		case strings.HasPrefix(strings.ToLower(f.Name), "ppt/"):
			return "it looks like a PowerPoint presentation"
		}
	}
	return fmt.Sprintf("a zip archive of %d entries", n)
}

type frameKind uint8

const (
	fBody    frameKind = iota // container: document body
	fCell                     // container: table cell
	fTxbx                     // container: text box content
	fPara                     // paragraph
	fTable                    // table
	fForeign                  // drawing, picture or object: no text unless in a text box
)

// docxFrame is one open structural element. Frames live in a slice that is
// reused, so their byte buffers keep their capacity across elements.
type docxFrame struct {
	kind  frameKind
	depth int

	text     []byte  // fPara: raw text; fCell: raw paragraphs joined by "\n"
	paras    int     // fCell: paragraphs seen
	blocks   []Block // fTxbx: blocks; fPara: blocks of text boxes inside it
	tables   []*Table
	span     int   // fCell: w:gridSpan
	vmerge   uint8 // fCell: vmNone, vmRestart, vmContinue
	hmerge   bool  // fCell: w:hMerge continue (Word 97 horizontal merge)
	tbl      *tableState
	instrTop int // fPara: field stack height when the paragraph began
}

const (
	vmNone uint8 = iota
	vmRestart
	vmContinue
)

type tableState struct {
	b        *Builder
	index    int // 1-based, in order of appearance
	col      int // next grid column of the current row
	rows     int
	gridCols int
	width    int // widest row including w:gridAfter
	before   int // w:gridBefore of the open row
	after    int // w:gridAfter of the open row
	// A row's grid row is started at its first cell, once w:trPr has said
	// whether the row is a tracked deletion.
	started, deleted bool
	// above and cur map grid columns to the cell covering them in the
	// previous and the current row, so a vertical merge finds its cell
	// without searching the table.
	above, cur []*Cell
	slab       []Cell // backing store of newCell
}

// newCell returns a zero cell from a slab, one allocation for many cells.
func (t *tableState) newCell() *Cell {
	if len(t.slab) == cap(t.slab) {
		t.slab = make([]Cell, 0, min(max(2*cap(t.slab), 16), 256))
	}
	t.slab = t.slab[:len(t.slab)+1]
	return &t.slab[len(t.slab)-1]
}

// openRow is called at w:tr.
func (t *tableState) openRow() {
	t.before, t.after, t.started, t.deleted = 0, 0, false, false
}

// startRow begins the grid row of the open w:tr.
func (t *tableState) startRow() {
	t.b.StartRow()
	t.rows++
	t.started = true
	t.col = t.before
	t.above, t.cur = t.cur, t.above
	clear(t.cur)
}

// cover records that c covers its columns in the current row.
func (t *tableState) cover(c *Cell) {
	end := c.Col + c.ColSpan
	for len(t.cur) < end {
		t.cur = append(t.cur, nil)
	}
	for k := c.Col; k < end; k++ {
		t.cur[k] = c
	}
}

// extend grows the cell that starts at column col and ends in the row
// above down into the current row (w:vMerge continue). It returns nil when
// no such cell exists.
func (t *tableState) extend(col int) *Cell {
	if col >= len(t.above) {
		return nil
	}
	c := t.above[col]
	if c == nil || c.Col != col || c.Row+c.RowSpan != t.b.row {
		return nil
	}
	b := t.b
	c.RowSpan++
	for k := c.Col; k < c.Col+c.ColSpan; k++ {
		b.occupy(b.row, k)
	}
	b.col = c.Col + c.ColSpan
	t.cover(c)
	return c
}

// widen grows the cell that ends just left of column col in the current
// row by span columns (w:hMerge continue). It returns nil when there is no
// such cell.
func (t *tableState) widen(col, span int) *Cell {
	if col < 1 || col > len(t.cur) {
		return nil
	}
	c := t.cur[col-1]
	if c == nil || c.Row != t.b.row || c.RowSpan != 1 || c.Col+c.ColSpan != col {
		return nil
	}
	b := t.b
	c.ColSpan += span
	for k := col; k < col+span; k++ {
		b.occupy(b.row, k)
	}
	b.col = c.Col + c.ColSpan
	b.ncols = max(b.ncols, b.col)
	t.cover(c)
	return c
}

// joinCellText appends the text of a merged-away cell so nothing is lost.
func joinCellText(a, b string) string {
	switch {
	case b == "":
		return a
	case a == "":
		return b
	}
	return a + "\n" + b
}

// Bounds against hostile spans: Word allows at most 63 columns, so these
// only stop absurd values from costing memory.
const (
	maxGridSpan = 1000
	maxGridCols = 10000
	// slotsPerCell bounds the grid area of a table to this multiple of
	// Limits.MaxCells.
	docxSlotsPerCell = 10
)

// docxReader holds the state of one pass over the main part.
type docxReader struct {
	ctx     context.Context
	k       *ooxmlPackage
	opts    Options
	lim     Limits
	part    string
	doc     *Document
	nesting int

	stack    []docxFrame
	para     int // index of the frame receiving text, -1 when none
	depth    int
	skip     int // depth of the element being skipped, 0 when none
	tDepth   int // depth of the open w:t, 0 when none
	fields   []bool
	instr    int // fields in their instruction part
	alt      []altState
	tables   int
	tblDepth int
	cells    int
	rows     int
	slots    int
	rels     []ooxmlRel
	relsRead bool
	root     bool // the root element has been seen
	props    bool // the start tag just read is a cell's w:tcPr
	propTags []int
}

type altState struct {
	depth int
	taken bool
}

func (d *docxReader) where() string {
	for i := len(d.stack) - 1; i >= 0; i-- {
		if t := d.stack[i].tbl; t != nil {
			return fmt.Sprintf("%s: table %d row %d", d.part, t.index, t.rows)
		}
	}
	return d.part
}

func (d *docxReader) fail(cause error, format string, args ...any) error {
	e := &Error{Path: d.k.path, Part: d.part, Where: d.where(), Err: fmt.Errorf("%w: "+format, append([]any{cause}, args...)...)}
	for i := len(d.stack) - 1; i >= 0; i-- {
		if t := d.stack[i].tbl; t != nil {
			e.Table, e.Row = t.index, t.rows
			break
		}
	}
	return e
}

// partBufs recycles the buffers main parts are inflated into.
var partBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (d *docxReader) readMain(zf *zip.File) error {
	rc, err := d.k.open(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	buf := partBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 16<<20 {
			buf.Reset()
			partBufs.Put(buf)
		}
	}()
	buf.Reset()
	buf.Grow(int(min(zf.UncompressedSize64, uint64(d.lim.MaxPartBytes))) + 512)
	if _, err := buf.ReadFrom(rc); err != nil {
		return d.k.readErr(d.part, err)
	}
	data := buf.Bytes()
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return &Error{Path: d.k.path, Part: d.part, Where: d.part, Err: fmt.Errorf("%w: UTF-16 main part is not supported", ErrFormat)}
	}
	// The scanner lives on the stack: its fields change at every token,
	// and stores into the heap would each cost a write barrier while the
	// collector runs.
	var sc xmlScanner
	s := &sc
	s.reset(data)
	if err := s.checkChars(); err != nil {
		return d.scanErr(s, err)
	}
	d.begin()
	for n := 0; ; n++ {
		if n&4095 == 0 {
			if err := d.ctx.Err(); err != nil {
				return &Error{Path: d.k.path, Part: d.part, Where: d.part, Err: fmt.Errorf("%w: %w", ErrCanceled, err)}
			}
		}
		kind, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return d.scanErr(s, err)
		}
		switch kind {
		case tokStart:
			if err := d.onStart(s); err != nil {
				return err
			}
			if d.props {
				d.props = false
				done, err := d.cellProps(s)
				if err != nil {
					return d.scanErr(s, err)
				}
				if done {
					d.depth--
				}
				continue
			}
			if d.skip > 0 && d.skip == d.depth {
				// Nothing in this subtree is read: pass over it in one go.
				if err := s.skipQuick(); err != nil {
					return d.scanErr(s, err)
				}
				d.skip = 0
				d.depth--
			}
		case tokEnd:
			if err := d.onEnd(s.local); err != nil {
				return err
			}
		case tokText:
			if d.wantText() {
				t, err := s.text()
				if err != nil {
					return &Error{Path: d.k.path, Part: d.part, Where: fmt.Sprintf("%s line %d", d.part, s.line(s.pos)), Err: fmt.Errorf("%w: XML: %v", ErrCorrupt, err)}
				}
				d.stack[d.para].text = append(d.stack[d.para].text, t...)
			}
		}
	}
	return d.finish()
}

// begin, onStart, onEnd, wantText and finish are the reader's side of the
// token stream; readMain feeds them from xmlScanner.
func (d *docxReader) begin() {
	d.stack = append(d.stack[:0], docxFrame{kind: fBody, depth: 0})
	d.para = -1
	d.depth = 0
	d.skip = 0
	d.root = false
}

func (d *docxReader) onStart(s *xmlScanner) error {
	d.depth++
	if d.skip > 0 {
		return nil
	}
	if !d.root {
		d.root = true
		if string(s.local) != "document" {
			return &Error{Path: d.k.path, Part: d.part, Where: d.part, Err: fmt.Errorf("%w: main part is <%s>, not a Word document", ErrNoContent, s.local)}
		}
		return nil
	}
	return d.start(s)
}

func (d *docxReader) onEnd(local []byte) error {
	if d.skip > 0 {
		if d.depth == d.skip {
			d.skip = 0
		}
		d.depth--
		return nil
	}
	if err := d.end(local); err != nil {
		return err
	}
	d.depth--
	return nil
}

// wantText says whether the text token at hand belongs to the document.
func (d *docxReader) wantText() bool {
	return d.tDepth > 0 && d.skip == 0 && d.para >= 0 && d.instr == 0
}

func (d *docxReader) finish() error {
	if d.depth != 0 || !d.root {
		return &Error{Path: d.k.path, Part: d.part, Where: d.part, Err: fmt.Errorf("%w: XML ends inside an element (truncated part)", ErrCorrupt)}
	}
	return nil
}

// scanErr wraps an error of the tokenizer.
func (d *docxReader) scanErr(s *xmlScanner, err error) error {
	if err == errNotUTF8 {
		return &Error{Path: d.k.path, Part: d.part, Where: d.part, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	if err == errXMLDepth {
		return &Error{Path: d.k.path, Part: d.part, Where: d.part, Err: fmt.Errorf("%w: XML elements nested more than %d deep", ErrTooLarge, maxXMLDepth)}
	}
	var xe *xmlError
	if errors.As(err, &xe) {
		return &Error{Path: d.k.path, Part: d.part, Where: fmt.Sprintf("%s line %d", d.part, s.line(xe.off)), Err: fmt.Errorf("%w: XML: %s", ErrCorrupt, xe.msg)}
	}
	return d.k.readErr(d.part, err)
}

// isInertCellProp reports whether a child of w:tcPr is one the reader
// ignores.
func isInertCellProp(local []byte) bool {
	switch string(local) {
	case "tcW", "tcBorders", "top", "left", "bottom", "right", "start", "end",
		"insideH", "insideV", "tl2br", "tr2bl", "shd", "noWrap", "tcMar",
		"textDirection", "tcFitText", "vAlign", "hideMark", "headers", "header",
		"cnfStyle", "cellIns", "cellDel", "cellMerge", "tcPrChange", "tcPr":
		return true
	}
	return false
}

// cellProps reads the w:tcPr whose start tag was just read in one quick
// pass (xmlScanner.quick) that looks only at w:gridSpan, w:vMerge and
// w:hMerge, which it then hands to start as the tokenizer would have.
// When the properties hold anything but the usual children, or anything
// quick does not handle, it reports false, and the caller reads them token
// by token.
func (d *docxReader) cellProps(s *xmlScanner) (bool, error) {
	if s.pending {
		return false, nil
	}
	d.propTags = d.propTags[:0]
	ok := s.quick(func(i int, _, local []byte) visitResult {
		switch string(local) {
		case "gridSpan", "vMerge", "hMerge":
			d.propTags = append(d.propTags, i)
			return visitRead
		case "tcBorders", "tcMar":
			return visitSkip // skipped by start as well
		}
		if isInertCellProp(local) {
			return visitRead
		}
		return visitRefuse
	})
	if !ok {
		return false, nil
	}
	return true, d.applyCellProps(s, s.buf)
}

// applyCellProps hands the tags cellProps found to start.
func (d *docxReader) applyCellProps(s *xmlScanner, b []byte) error {
	for _, i := range d.propTags {
		k, colon := i, i-1
		for k < len(b) {
			c := b[k]
			if c == ':' {
				colon = k
			} else if isXMLSpace(c) || c == '>' || c == '/' || c == '<' {
				break
			}
			k++
		}
		gt, err := s.tagEnd(b, k, b[i:k])
		if err != nil {
			return err
		}
		s.name, s.local, s.attrs = b[i:k], b[colon+1:k], b[k:gt]
		if err := d.start(s); err != nil {
			return err
		}
	}
	return nil
}

// xmlAttrInt returns the integer value of an attribute, or def.
func xmlAttrInt(s *xmlScanner, local string, def int) int {
	v, ok := s.attr(local)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(v)))
	if err != nil {
		return def
	}
	return n
}

// top returns the innermost frame.
func (d *docxReader) top() *docxFrame { return &d.stack[len(d.stack)-1] }

// push opens a frame for the element at the current depth.
func (d *docxReader) push(kind frameKind) *docxFrame {
	n := len(d.stack)
	if n < cap(d.stack) {
		d.stack = d.stack[:n+1]
	} else {
		d.stack = append(d.stack, docxFrame{})
	}
	f := &d.stack[n]
	*f = docxFrame{kind: kind, depth: d.depth, text: f.text[:0], blocks: f.blocks[:0]}
	d.retarget()
	return f
}

// retarget finds the paragraph that receives text: the innermost frame,
// if it is a paragraph.
func (d *docxReader) retarget() {
	d.para = -1
	if i := len(d.stack) - 1; d.stack[i].kind == fPara {
		d.para = i
	}
}

// container returns the index of the innermost container frame below i.
func (d *docxReader) container(i int) int {
	for j := i - 1; j >= 0; j-- {
		switch d.stack[j].kind {
		case fBody, fCell, fTxbx:
			return j
		}
	}
	return 0
}

func (d *docxReader) start(s *xmlScanner) error {
	local := string(s.local)
	if local == "del" {
		// w:trPr/w:del: the row is a tracked deletion.
		if f := d.top(); f.kind == fTable && !f.tbl.started {
			f.tbl.deleted = true
		}
	}
	switch local {
	// Subtrees that hold no body text, or text that was deleted, is an
	// alternative, or is a field instruction.
	case "pPr", "rPr", "sectPr", "tblPr", "tblPrEx", "sdtPr", "sdtEndPr",
		"del", "moveFrom", "delText", "delInstrText", "instrText",
		"Fallback", "rt", "rubyPr", "ffData", "fldData",
		"customXmlPr", "smartTagPr", "footnoteReference", "endnoteReference",
		"commentReference", "annotationRef", "tcBorders", "tcMar":
		d.skip = d.depth
	case "Choice":
		if n := len(d.alt); n > 0 && d.alt[n-1].depth == d.depth-1 {
			if d.alt[n-1].taken {
				d.skip = d.depth
			} else {
				d.alt[n-1].taken = true
			}
		}
	case "AlternateContent":
		d.alt = append(d.alt, altState{depth: d.depth})
	case "p":
		switch d.top().kind {
		case fForeign, fTable:
			d.push(fForeign)
		default:
			f := d.push(fPara)
			f.instrTop = len(d.fields)
		}
	case "t":
		if d.para >= 0 {
			d.tDepth = d.depth
		}
	case "tab", "ptab":
		d.addText('\t')
	case "br", "cr":
		d.addText('\n')
	case "noBreakHyphen":
		d.addText('-')
	case "sym":
		if d.para >= 0 && d.instr == 0 {
			if v, ok := s.attr("char"); ok {
				if r, err := strconv.ParseUint(string(v), 16, 32); err == nil && r > 0 && r < 0x110000 {
					d.stack[d.para].text = appendRune(d.stack[d.para].text, rune(r))
				}
			}
		}
	case "fldChar":
		v, _ := s.attr("fldCharType")
		switch string(v) {
		case "begin":
			d.fields = append(d.fields, true)
			d.instr++
		case "separate":
			if n := len(d.fields); n > 0 && d.fields[n-1] {
				d.fields[n-1] = false
				d.instr--
			}
		case "end":
			if n := len(d.fields); n > 0 {
				if d.fields[n-1] {
					d.instr--
				}
				d.fields = d.fields[:n-1]
			}
		}
	case "drawing", "pict", "object":
		d.push(fForeign)
	case "txbxContent":
		d.push(fTxbx)
	case "tbl":
		d.tblDepth++
		if d.tblDepth > d.lim.MaxDepth {
			return d.fail(ErrTooLarge, "tables nested more than %d deep", d.lim.MaxDepth)
		}
		d.tables++
		f := d.push(fTable)
		f.tbl = &tableState{b: NewBuilder(), index: d.tables}
	case "gridCol":
		if f := d.top(); f.kind == fTable {
			f.tbl.gridCols++
		}
	case "tr":
		if f := d.top(); f.kind == fTable {
			d.rows++
			if d.rows > d.lim.MaxCells {
				return d.fail(ErrTooLarge, "more than %d table rows", d.lim.MaxCells)
			}
			f.tbl.openRow()
		} else {
			d.skip = d.depth
		}
	case "gridBefore":
		if f := d.top(); f.kind == fTable {
			if n := xmlAttrInt(s, "val", 0); n > 0 && n <= maxGridSpan {
				f.tbl.before += n
			}
		}
	case "gridAfter":
		if f := d.top(); f.kind == fTable {
			if n := xmlAttrInt(s, "val", 0); n > 0 && n <= maxGridSpan {
				f.tbl.after = n
			}
		}
	case "tc":
		f := d.top()
		if f.kind != fTable {
			d.skip = d.depth
			return nil
		}
		if f.tbl.deleted {
			d.skip = d.depth
			return nil
		}
		if !f.tbl.started {
			f.tbl.startRow()
		}
		d.cells++
		if d.cells > d.lim.MaxCells {
			return d.fail(ErrTooLarge, "more than %d table cells", d.lim.MaxCells)
		}
		c := d.push(fCell)
		c.span = 1
	case "tcPr":
		d.props = d.top().kind == fCell
	case "gridSpan":
		if f := d.top(); f.kind == fCell {
			if n := xmlAttrInt(s, "val", 1); n > 1 && n <= maxGridSpan {
				f.span = n
			}
		}
	case "vMerge":
		if f := d.top(); f.kind == fCell {
			v, _ := s.attr("val")
			if string(v) == "restart" {
				f.vmerge = vmRestart
			} else {
				f.vmerge = vmContinue
			}
		}
	case "hMerge":
		if f := d.top(); f.kind == fCell {
			v, _ := s.attr("val")
			f.hmerge = string(v) != "restart"
		}
	case "altChunk":
		id, _ := s.attr("id")
		return d.altChunk(string(id))
	}
	return nil
}

func (d *docxReader) addText(b byte) {
	if d.para >= 0 && d.instr == 0 {
		d.stack[d.para].text = append(d.stack[d.para].text, b)
	}
}

func appendRune(b []byte, r rune) []byte { return utf8.AppendRune(b, r) }

func (d *docxReader) end(local []byte) error {
	if d.tDepth == d.depth {
		d.tDepth = 0
	}
	if n := len(d.alt); n > 0 && d.alt[n-1].depth == d.depth {
		d.alt = d.alt[:n-1]
	}
	i := len(d.stack) - 1
	f := &d.stack[i]
	if i == 0 || f.depth != d.depth {
		if f.kind == fTable && string(local) == "tr" {
			t := f.tbl
			if !t.started && !t.deleted {
				t.startRow() // a row with no cells
			}
			// Remember the row's width.
			if w := t.col + t.after; t.started && w > t.width {
				t.width = w
			}
			t.started = false
		}
		return nil
	}
	var err error
	switch f.kind {
	case fPara:
		d.endPara(i)
	case fCell:
		err = d.endCell(i)
	case fTxbx:
		d.endTxbx(i)
	case fTable:
		err = d.endTable(i)
	}
	d.stack = d.stack[:i]
	d.retarget()
	return err
}

func (d *docxReader) endPara(i int) {
	f := &d.stack[i]
	// A field instruction left open at the end of a paragraph is malformed;
	// do not let it swallow the rest of the document.
	for len(d.fields) > f.instrTop {
		if d.fields[len(d.fields)-1] {
			d.instr--
		}
		d.fields = d.fields[:len(d.fields)-1]
	}
	ci := d.container(i)
	c := &d.stack[ci]
	if c.kind == fCell {
		if c.paras > 0 {
			c.text = append(c.text, '\n')
		}
		c.paras++
		c.text = append(c.text, f.text...)
		d.spliceCell(c, f.blocks)
		return
	}
	if s := collapseText(f.text); s != "" {
		d.emit(ci, Block{Para: &Paragraph{Text: s}})
	}
	for _, b := range f.blocks {
		d.emit(ci, b)
	}
}

// spliceCell adds blocks (from a text box or an altChunk) to a cell: their
// paragraphs as lines, their tables as nested tables.
func (d *docxReader) spliceCell(c *docxFrame, blocks []Block) {
	for _, b := range blocks {
		if b.Para != nil {
			if c.paras > 0 {
				c.text = append(c.text, '\n')
			}
			c.paras++
			c.text = append(c.text, b.Para.Text...)
		}
		if b.Table != nil {
			c.tables = append(c.tables, b.Table)
		}
	}
}

// emit appends a block to the container frame ci.
func (d *docxReader) emit(ci int, b Block) {
	c := &d.stack[ci]
	switch c.kind {
	case fBody:
		d.doc.Blocks = append(d.doc.Blocks, b)
	case fTxbx:
		c.blocks = append(c.blocks, b)
	case fCell:
		d.spliceCell(c, []Block{b})
	}
}

func (d *docxReader) endTxbx(i int) {
	f := &d.stack[i]
	blocks := append([]Block(nil), f.blocks...)
	// Text box paragraphs follow the paragraph that anchors the box.
	for j := i - 1; j >= 0; j-- {
		switch d.stack[j].kind {
		case fPara:
			d.stack[j].blocks = append(d.stack[j].blocks, blocks...)
			return
		case fBody, fCell, fTxbx:
			for _, b := range blocks {
				d.emit(j, b)
			}
			return
		}
	}
}

func (d *docxReader) endCell(i int) error {
	f := &d.stack[i]
	var t *tableState
	for j := i - 1; j >= 0; j-- {
		if d.stack[j].kind == fTable {
			t = d.stack[j].tbl
			break
		}
	}
	if t == nil {
		return nil
	}
	text := collapseText(f.text)
	var tables []*Table
	if len(f.tables) > 0 {
		tables = append(tables, f.tables...)
	}
	span := max(f.span, 1)
	if t.col+span > maxGridCols {
		return d.fail(ErrTooLarge, "row wider than %d grid columns", maxGridCols)
	}
	d.slots += span
	if d.slots > docxSlotsPerCell*d.lim.MaxCells {
		return d.fail(ErrTooLarge, "table cells cover more than %d grid slots", docxSlotsPerCell*d.lim.MaxCells)
	}
	if f.hmerge && f.vmerge == vmNone {
		if c := t.widen(t.col, span); c != nil {
			c.Text = joinCellText(c.Text, text)
			c.Tables = append(c.Tables, tables...)
			t.col += span
			return nil
		}
	}
	if f.vmerge == vmContinue {
		if c := t.extend(t.col); c != nil {
			c.Text = joinCellText(c.Text, text)
			c.Tables = append(c.Tables, tables...)
			t.col += span
			return nil
		}
	}
	c := t.newCell()
	*c = Cell{Text: text, ColSpan: span, Tables: tables}
	t.cover(t.b.AddAt(t.col, c))
	t.col += span
	return nil
}

func (d *docxReader) endTable(i int) error {
	f := &d.stack[i]
	d.tblDepth--
	t := f.tbl.b.Table()
	t.NumCols = max(t.NumCols, min(f.tbl.gridCols, maxGridCols), f.tbl.width)
	if t.NumRows*t.NumCols > docxSlotsPerCell*d.lim.MaxCells {
		return d.fail(ErrTooLarge, "a %d × %d grid is over %d slots", t.NumRows, t.NumCols, docxSlotsPerCell*d.lim.MaxCells)
	}
	d.emit(d.container(i), Block{Table: t})
	return nil
}

// collapseText turns runs of ASCII spaces and tabs to one space and trims
// ASCII whitespace at both ends. U+3000, U+00A0 and line breaks are kept.
func collapseText(b []byte) string {
	i, j := 0, len(b)
	for i < j && isASCIISpace(b[i]) {
		i++
	}
	for j > i && isASCIISpace(b[j-1]) {
		j--
	}
	b = b[i:j]
	clean := true
	for k := 0; k < len(b); k++ {
		c := b[k]
		if c == '\t' || c == '\r' || (c == ' ' && k+1 < len(b) && (b[k+1] == ' ' || b[k+1] == '\t')) {
			clean = false
			break
		}
	}
	if clean {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	sp := false
	for k, c := range b {
		switch c {
		case ' ', '\t':
			sp = true
			continue
		case '\r':
			if k+1 < len(b) && b[k+1] == '\n' {
				continue
			}
			c = '\n'
		}
		if sp {
			out = append(out, ' ')
			sp = false
		}
		out = append(out, c)
	}
	return string(out)
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// altChunk splices the blocks of an imported part (HTML, MHT, text or a
// nested DOCX) at the current position.
func (d *docxReader) altChunk(id string) error {
	if !d.relsRead {
		d.relsRead = true
		rels, err := d.k.readRels(d.part)
		if err != nil {
			return err
		}
		d.rels = rels
	}
	var target string
	for _, r := range d.rels {
		if r.ID == id && !strings.EqualFold(r.Mode, "External") {
			target = resolvePart(d.part, r.Target)
			break
		}
	}
	if target == "" {
		return d.fail(ErrCorrupt, "altChunk r:id %q has no relationship", id)
	}
	f := d.k.find(target)
	if f == nil {
		return d.fail(ErrCorrupt, "altChunk part %s is missing", target)
	}
	data, err := d.k.readAll(f)
	if err != nil {
		return err
	}
	var sub *Document
	ext := strings.ToLower(path.Ext(target))
	switch {
	case looksZip(data):
		if d.nesting >= maxChunkNesting {
			return d.fail(ErrTooLarge, "altChunk %s: DOCX chunks nested more than %d deep", target, maxChunkNesting)
		}
		sub, err = readDOCX(d.ctx, d.k.path, data, d.opts, d.nesting+1)
	case looksMIME(data) || ext == ".mht" || ext == ".mhtml":
		sub, err = ReadMHT(d.ctx, d.k.path, data, d.opts)
	case looksHTML(data) || ext == ".htm" || ext == ".html" || ext == ".xhtml":
		sub, err = ReadHTML(d.ctx, d.k.path, data, d.opts)
	case ext == ".txt":
		sub = &Document{}
		for _, line := range strings.Split(string(bytes.ToValidUTF8(data, []byte("\uFFFD"))), "\n") {
			if s := collapseText([]byte(line)); s != "" {
				sub.Blocks = append(sub.Blocks, Block{Para: &Paragraph{Text: s}})
			}
		}
	default:
		return d.fail(ErrFormat, "altChunk %s: unsupported content (%s)", target, describeBytes(data))
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			err = e.Err
		}
		return &Error{Path: d.k.path, Part: target, Where: "altChunk " + target, Err: err}
	}
	for _, b := range sub.Blocks {
		if b.Table != nil {
			d.cells += countTableCells(b.Table)
			if d.cells > d.lim.MaxCells {
				return d.fail(ErrTooLarge, "more than %d table cells", d.lim.MaxCells)
			}
		}
	}
	// The chunk lands in the innermost container; a paragraph holding it
	// (not valid OOXML, but seen) gets it after its own text.
	i := len(d.stack) - 1
	if d.stack[i].kind == fPara {
		d.stack[i].blocks = append(d.stack[i].blocks, sub.Blocks...)
		return nil
	}
	ci := i
	if k := d.stack[i].kind; k != fBody && k != fCell && k != fTxbx {
		ci = d.container(i)
	}
	for _, b := range sub.Blocks {
		d.emit(ci, b)
	}
	return nil
}

func countTableCells(t *Table) int {
	n := 0
	for _, row := range t.Rows {
		for _, c := range row {
			n++
			for _, nt := range c.Tables {
				n += countTableCells(nt)
			}
		}
	}
	return n
}

// readCore fills Document.Meta from the core properties part. Metadata is
// optional: a missing or unreadable part leaves Meta empty.
func (d *docxReader) readCore(name string) {
	f := d.k.find(name)
	if f == nil {
		return
	}
	data, err := d.k.readAll(f)
	if err != nil {
		return
	}
	if checkSmallPart(data) != nil {
		return
	}
	var s xmlScanner
	s.reset(data)
	var key string
	var val []byte
	for {
		kind, err := s.next()
		if err != nil {
			return
		}
		switch kind {
		case tokStart:
			switch string(s.local) {
			case "title", "creator", "created", "modified":
				key, val = string(s.local), val[:0]
			default:
				key = ""
			}
		case tokText:
			if key != "" {
				t, err := s.text()
				if err != nil {
					return
				}
				val = append(val, t...)
			}
		case tokEnd:
			if key != "" && string(s.local) == key {
				if s := strings.TrimSpace(string(val)); s != "" {
					if d.doc.Meta == nil {
						d.doc.Meta = map[string]string{}
					}
					d.doc.Meta[key] = s
				}
			}
			key = ""
		}
	}
}
