package synth

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"unicode/utf16"
)

// A small PDF writer, enough for what Word and WPS export: numbered
// objects, FlateDecode streams, a classic cross-reference table, and
// Type0 fonts with Identity-H or Identity-V encoding whose CIDs are given
// out in order of first use (as a subset font's are), described by a W
// array and a ToUnicode CMap so that text extraction is exact. No font
// program is embedded: the files are for reading, not for printing.

var zlibPool sync.Pool

// pdfFile holds the objects of one file; object n is objs[n-1].
type pdfFile struct {
	objs  [][]byte
	fonts []*pdfFont
}

func (f *pdfFile) alloc() int {
	f.objs = append(f.objs, nil)
	return len(f.objs)
}

func (f *pdfFile) set(n int, body string) { f.objs[n-1] = []byte(body) }

// stream stores a FlateDecode stream; dict holds the other entries, without
// the << >>.
func (f *pdfFile) stream(n int, dict string, data []byte) error {
	z := bufPool.Get().(*bytes.Buffer)
	z.Reset()
	defer bufPool.Put(z)
	// A flate writer costs far more to make than to reset.
	zw, ok := zlibPool.Get().(*zlib.Writer)
	if ok {
		zw.Reset(z)
	} else {
		var err error
		if zw, err = zlib.NewWriterLevel(z, zlib.BestSpeed); err != nil {
			return err
		}
	}
	defer zlibPool.Put(zw)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	var b bytes.Buffer
	b.Grow(z.Len() + len(dict) + 64)
	b.WriteString("<<")
	b.WriteString(dict)
	b.WriteString("/Filter/FlateDecode/Length ")
	b.WriteString(strconv.Itoa(z.Len()))
	b.WriteString(">>\nstream\n")
	b.Write(z.Bytes())
	b.WriteString("\nendstream")
	f.objs[n-1] = b.Bytes()
	return nil
}

// bytes writes the file: header, objects, cross-reference table, trailer.
func (f *pdfFile) bytes(root, info int) []byte {
	var b bytes.Buffer
	size := 64
	for _, o := range f.objs {
		size += len(o) + 32
	}
	b.Grow(size + 20*len(f.objs) + 256)
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	offs := make([]int, len(f.objs))
	for i, o := range f.objs {
		offs[i] = b.Len()
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(" 0 obj\n")
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(f.objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", off)
	}
	// The file identifier is a hash of the content, so the same report
	// gets the same bytes.
	id := md5.Sum(b.Bytes())
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%X><%X>]>>\nstartxref\n%d\n%%%%EOF\n",
		len(f.objs)+1, root, info, id, id, xref)
	return b.Bytes()
}

// pdfFont is one Type0 font of the file.
type pdfFont struct {
	res      string // resource name, e.g. "F1"
	base     string // font name, e.g. "仿宋_GB2312"
	family   string // FontFamily in the descriptor
	vertical bool   // Identity-V: glyphs advance downwards
	obj      int    // object number of the Type0 font, 0 until used
	cids     map[rune]uint16
	runes    []rune // runes[cid-1]
}

// font returns the file's font of that name and writing mode, adding it.
func (f *pdfFile) font(base, family string, vertical bool) *pdfFont {
	for _, ft := range f.fonts {
		if ft.base == base && ft.vertical == vertical {
			return ft
		}
	}
	ft := &pdfFont{res: "F" + strconv.Itoa(len(f.fonts)+1), base: base, family: family, vertical: vertical, cids: map[rune]uint16{}}
	f.fonts = append(f.fonts, ft)
	return ft
}

// glyphWidth is a rune's advance in thousandths of an em: CJK and other
// full-width forms 1000, ASCII 500.
func glyphWidth(c rune) int {
	if c < 0x80 {
		return 500
	}
	return 1000
}

// cid gives the rune its CID, the next free one on first use.
func (ft *pdfFont) cid(c rune) uint16 {
	if id, ok := ft.cids[c]; ok {
		return id
	}
	ft.runes = append(ft.runes, c)
	id := uint16(len(ft.runes))
	ft.cids[c] = id
	return id
}

// hex appends the two-byte codes of s as hexadecimal digits.
func (ft *pdfFont) hex(b []byte, s string) []byte {
	for _, c := range s {
		b = appendHex4(b, ft.cid(c))
	}
	return b
}

func appendHex4(b []byte, v uint16) []byte {
	return append(b, hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15])
}

// pdfName writes a name object's text: bytes outside the regular
// printable set as #xx, as WPS writes 宋体 (/#e5#ae#8b#e4#bd#93).
func pdfName(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7F || bytes.IndexByte([]byte("#()<>[]{}/%"), c) >= 0 {
			b = append(b, '#', hexDigits[c>>4]|0x20, hexDigits[c&15]|0x20)
			// Lower-case hex digits: '0'|0x20 is '0', 'A'|0x20 is 'a'.
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// pdfTextString writes s as a PDF text string: UTF-16BE with a byte order
// mark, in hexadecimal.
func pdfTextString(s string) string {
	b := []byte("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b = appendHex4(b, u)
	}
	return string(append(b, '>'))
}

// subsetTag is the six capital letters a subset font's name starts with,
// made from its name so it is stable.
func subsetTag(name string, n int) string {
	h := md5.Sum([]byte(name + strconv.Itoa(n)))
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + h[i]%26
	}
	return string(tag)
}

// writeFonts stores the used fonts: Type0 font, CIDFontType2 descendant,
// font descriptor and ToUnicode CMap.
func (f *pdfFile) writeFonts() error {
	for i, ft := range f.fonts {
		if ft.obj == 0 {
			continue
		}
		desc, descriptor, cmap := f.alloc(), f.alloc(), f.alloc()
		name := pdfName(subsetTag(ft.base, i) + "+" + ft.base)
		enc := "Identity-H"
		if ft.vertical {
			enc = "Identity-V"
		}
		f.set(ft.obj, "<</Type/Font/Subtype/Type0/BaseFont/"+name+"/Encoding/"+enc+
			"/DescendantFonts["+strconv.Itoa(desc)+" 0 R]/ToUnicode "+strconv.Itoa(cmap)+" 0 R>>")
		var w bytes.Buffer
		w.WriteString("<</Type/Font/Subtype/CIDFontType2/BaseFont/" + name +
			"/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor " +
			strconv.Itoa(descriptor) + " 0 R/CIDToGIDMap/Identity/DW 1000")
		if ft.vertical {
			w.WriteString("/DW2[880 -1000]")
		}
		w.WriteString("/W[")
		// Runs of consecutive CIDs with one width: first last width.
		for start := 0; start < len(ft.runes); {
			end := start
			wd := glyphWidth(ft.runes[start])
			for end+1 < len(ft.runes) && glyphWidth(ft.runes[end+1]) == wd {
				end++
			}
			fmt.Fprintf(&w, "%d %d %d ", start+1, end+1, wd)
			start = end + 1
		}
		w.WriteString("]>>")
		f.set(desc, w.String())
		f.set(descriptor, "<</Type/FontDescriptor/FontName/"+name+"/FontFamily"+pdfTextString(ft.family)+
			"/Flags 32/FontBBox[-8 -145 1000 859]/ItalicAngle 0/Ascent 859/Descent -141/CapHeight 683/StemV 56/MissingWidth 1000>>")
		if err := f.stream(cmap, "", ft.toUnicode()); err != nil {
			return err
		}
	}
	return nil
}

// toUnicode is the font's CMap from CIDs to Unicode, in blocks of at most
// 100 entries as the CMap syntax allows.
func (ft *pdfFont) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n")
	for start := 0; start < len(ft.runes); start += 100 {
		end := min(start+100, len(ft.runes))
		fmt.Fprintf(&b, "%d beginbfchar\n", end-start)
		for i := start; i < end; i++ {
			line := appendHex4([]byte{'<'}, uint16(i+1))
			line = append(line, '>', '<')
			for _, u := range utf16.Encode([]rune{ft.runes[i]}) {
				line = appendHex4(line, u)
			}
			line = append(line, '>', '\n')
			b.Write(line)
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// num writes a coordinate with at most three decimals, no trailing zeros.
func num(b []byte, v float64) []byte {
	v = math.Round(v*1000) / 1000
	if v == 0 {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// pdfPage is one page's content as it is drawn. Coordinates given to its
// methods are in points from the top-left corner; the page writes them
// in PDF user space, either directly (y up) or, as WPS does, under a
// y-flipping matrix with text matrices scaled by 1/20.
type pdfPage struct {
	f      *pdfFile
	w, h   float64
	flip   bool
	b      []byte
	fonts  []*pdfFont
	image  int  // object number of the page's image XObject, 0 for none
	rotate bool // a landscape page (w > h) stored as portrait media with /Rotate 90
}

func (p *pdfPage) op(s string) { p.b = append(p.b, s...) }

func (p *pdfPage) nums(vs ...float64) {
	for _, v := range vs {
		p.b = num(p.b, v)
		p.b = append(p.b, ' ')
	}
}

// y turns a distance from the top into the page's user-space y.
func (p *pdfPage) y(v float64) float64 {
	if p.flip {
		return v
	}
	return p.h - v
}

func (p *pdfPage) use(ft *pdfFont) {
	if ft.obj == 0 {
		ft.obj = p.f.alloc()
	}
	for _, x := range p.fonts {
		if x == ft {
			return
		}
	}
	p.fonts = append(p.fonts, ft)
}

// glyphRun is one line of text to show: its font, size, where its
// baseline starts, and extra space after each glyph but the last
// (justification).
type glyphRun struct {
	ft      *pdfFont
	size    float64
	x, y    float64 // y: baseline, from the top; for vertical fonts the top of the first glyph
	text    string
	spacing float64
}

// textObject writes lines as one BT … ET text object; perGlyph writes one
// Tj per glyph with TD moves between them, as WPS does, else one TJ per
// line with the spacing as kerning numbers.
func (p *pdfPage) textObject(lines []glyphRun, perGlyph bool) {
	if len(lines) == 0 {
		return
	}
	p.op("BT\n")
	var cur *pdfFont
	curSize := 0.0
	for _, ln := range lines {
		p.use(ln.ft)
		scale := 1.0
		if p.flip {
			scale = 20 // text space units per point under the 0.05 matrix
		}
		if ln.ft != cur || ln.size != curSize {
			p.op("/" + ln.ft.res + " ")
			p.nums(ln.size * scale)
			p.op("Tf\n")
			cur, curSize = ln.ft, ln.size
		}
		if p.flip {
			p.nums(0.05, 0, 0, -0.05, ln.x, p.y(ln.y))
		} else {
			p.nums(1, 0, 0, 1, ln.x, p.y(ln.y))
		}
		p.op("Tm\n")
		rs := []rune(ln.text)
		if perGlyph && !ln.ft.vertical {
			for i, c := range rs {
				if i > 0 {
					adv := float64(glyphWidth(rs[i-1]))/1000*ln.size + ln.spacing
					p.nums(adv*scale, 0)
					p.op("TD ")
				}
				p.b = append(p.b, '<')
				p.b = appendHex4(p.b, ln.ft.cid(c))
				p.op(">Tj\n")
			}
			continue
		}
		if ln.spacing == 0 {
			p.b = append(p.b, '<')
			p.b = ln.ft.hex(p.b, ln.text)
			p.op(">Tj\n")
			continue
		}
		// Kerning numbers are thousandths of the font size; negative
		// moves the next glyph along the writing direction.
		adj := -ln.spacing / ln.size * 1000
		p.op("[")
		for i, c := range rs {
			if i > 0 {
				p.nums(adj)
			}
			p.b = append(p.b, '<')
			p.b = appendHex4(p.b, ln.ft.cid(c))
			p.op(">")
		}
		p.op("]TJ\n")
	}
	p.op("ET\n")
}

// line strokes a segment.
func (p *pdfPage) line(x1, y1, x2, y2 float64) {
	p.nums(x1, p.y(y1))
	p.op("m ")
	p.nums(x2, p.y(y2))
	p.op("l S\n")
}

// rect fills a rectangle given by its top-left corner and size.
func (p *pdfPage) rect(x, y, w, h float64) {
	if p.flip {
		p.nums(x, y, w, h)
	} else {
		p.nums(x, p.h-y-h, w, h)
	}
	p.op("re f\n")
}

// clip starts a saved graphics state clipped to a rectangle; the caller
// ends it with "Q".
func (p *pdfPage) clip(x, y, w, h float64) {
	p.op("q ")
	if p.flip {
		p.nums(x, y, w, h)
	} else {
		p.nums(x, p.h-y-h, w, h)
	}
	p.op("re W n\n")
}

// finish stores the page's content stream and page object; it returns
// the page object's number.
func (p *pdfPage) finish(parent int) (int, error) {
	f := p.f
	content := f.alloc()
	page := f.alloc()
	data := p.b
	if p.flip {
		data = append([]byte("q 1 0 0 -1 0 "+string(num(nil, p.h))+" cm\n"), data...)
		data = append(data, "Q\n"...)
	}
	mw, mh, rot := p.w, p.h, ""
	if p.rotate {
		// Drawn in landscape, turned onto portrait media: a point (x, y)
		// of the landscape page lands at (h - y, x), which /Rotate 90
		// shows upright again.
		mw, mh, rot = p.h, p.w, "/Rotate 90"
		data = append([]byte("0 1 -1 0 "+string(num(nil, p.h))+" 0 cm\n"), data...)
	}
	if err := f.stream(content, "", data); err != nil {
		return 0, err
	}
	var res bytes.Buffer
	res.WriteString("/ProcSet[/PDF/Text/ImageB]")
	if len(p.fonts) > 0 {
		fonts := append([]*pdfFont(nil), p.fonts...)
		sort.Slice(fonts, func(i, j int) bool { return fonts[i].res < fonts[j].res })
		res.WriteString("/Font<<")
		for _, ft := range fonts {
			res.WriteString("/" + ft.res + " " + strconv.Itoa(ft.obj) + " 0 R")
		}
		res.WriteString(">>")
	}
	if p.image != 0 {
		res.WriteString("/XObject<</Im1 " + strconv.Itoa(p.image) + " 0 R>>")
	}
	box := "[0 0 " + string(num(nil, mw)) + " " + string(num(nil, mh)) + "]"
	f.set(page, "<</Type/Page/Parent "+strconv.Itoa(parent)+" 0 R/MediaBox"+box+rot+"/Resources<<"+res.String()+">>/Contents "+strconv.Itoa(content)+" 0 R>>")
	return page, nil
}
