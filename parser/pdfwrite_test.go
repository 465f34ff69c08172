package parser

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"crypto/rc4"
	"fmt"
	"strings"
)

// testPDF writes small PDFs for the reader's tests: pages of content
// streams with a Type0 font whose CIDs are the Unicode code points (shown
// through a ToUnicode map, or without one), an Identity-V twin of it, and
// optionally an image, a rotation, a crop box, 128-bit RC4 encryption or a broken
// cross-reference table.
type testPDF struct {
	pages      []testPage
	noUnicode  bool    // the fonts have no ToUnicode map
	noUnicodeV bool    // only the vertical font (TestKai) has none
	userPW     *string // encrypt (RC4, 128-bit) with this user password
	rc4Bits    int     // with userPW: 40 for 40-bit RC4 (revision 2); 128 by default
	title      string  // a document information dictionary with this /Title (encrypted with the file)
	badXref    bool    // point startxref at nothing
	objStm     bool    // pack the objects that are not streams into a compressed object stream, with a cross-reference stream
	cutXref    bool    // end the file before its cross-reference section, as a download cut short
	version    string  // header version, "1.7" by default
}

type testPage struct {
	content string
	rotate  int
	crop    string // e.g. "[0 0 300 400]"
	image   bool   // an /Im1 image resource
}

// hexText encodes s as the font's 2-byte codes.
func hexText(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range s {
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteByte('>')
	return b.String()
}

// txt shows s at (x, y) in user space, size pt, with the horizontal font.
func txt(x, y, size float64, s string) string {
	return fmt.Sprintf("BT /F1 %g Tf 1 0 0 1 %g %g Tm %s Tj ET\n", size, x, y, hexText(s))
}

// vtxt shows s downwards from (x, y) with the Identity-V font.
func vtxt(x, y, size float64, s string) string {
	return fmt.Sprintf("BT /F2 %g Tf 1 0 0 1 %g %g Tm %s Tj ET\n", size, x, y, hexText(s))
}

// line strokes a segment.
func line(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf("%g %g m %g %g l S\n", x0, y0, x1, y1)
}

// grid strokes the rules of a table whose columns are at xs and rows at ys
// (user space, ys top to bottom), leaving out the vertical rules listed
// in skipV as "row,col" (the rule left of column col in row row).
func grid(xs, ys []float64, skipV map[string]bool, skipH map[string]bool) string {
	var b strings.Builder
	b.WriteString("0.5 w 0 0 0 RG\n")
	for r := range ys {
		for c := 0; c+1 < len(xs); c++ {
			if skipH[fmt.Sprintf("%d,%d", r, c)] {
				continue
			}
			b.WriteString(line(xs[c], ys[r], xs[c+1], ys[r]))
		}
	}
	for c := range xs {
		for r := 0; r+1 < len(ys); r++ {
			if skipV[fmt.Sprintf("%d,%d", r, c)] {
				continue
			}
			b.WriteString(line(xs[c], ys[r], xs[c], ys[r+1]))
		}
	}
	return b.String()
}

func (p testPDF) bytes() []byte {
	var objs []string // objs[i] is object i+1 without the obj/endobj wrapper
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	var streams = map[int][]byte{}
	addStream := func(dict string, data []byte) int {
		n := add(dict)
		streams[n] = data
		return n
	}
	id := []byte("0123456789abcdef")
	var key []byte
	var encDict string
	if p.userPW != nil {
		// Standard security handler with RC4: revision 2 and a 40-bit
		// key, or revision 3 and 128 bits (algorithms 2, 4 and 5 of
		// ISO 32000-1, 7.6.3).
		o := bytes.Repeat([]byte{0x42}, 32)
		pw := append([]byte(*p.userPW), pdfPadding...)[:32]
		h := md5.New()
		h.Write(pw)
		h.Write(o)
		h.Write([]byte{0xFC, 0xFF, 0xFF, 0xFF}) // P = -4
		h.Write(id)
		key = h.Sum(nil)
		var u []byte
		if p.rc4Bits == 40 {
			key = key[:5]
			u = make([]byte, 32)
			c, _ := rc4.NewCipher(key)
			c.XORKeyStream(u, pdfPadding)
			encDict = fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /Length 40 /O <%X> /U <%X> /P -4 >>", o, u)
		} else {
			for range 50 {
				s := md5.Sum(key)
				key = s[:]
			}
			h = md5.New()
			h.Write(pdfPadding)
			h.Write(id)
			u = h.Sum(nil)
			for i := range 20 {
				k := make([]byte, len(key))
				for j := range key {
					k[j] = key[j] ^ byte(i)
				}
				c, _ := rc4.NewCipher(k)
				c.XORKeyStream(u, u)
			}
			u = append(u, make([]byte, 16)...)
			encDict = fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /O <%X> /U <%X> /P -4 >>", o, u)
		}
	}

	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
	tu := ""
	if !p.noUnicode {
		n := addStream("<< >>", []byte(cmap))
		tu = fmt.Sprintf(" /ToUnicode %d 0 R", n)
	}
	desc := add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 /W [48 [500 500 500 500 500 500 500 500 500 500]] >>")
	f1 := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H /DescendantFonts [%d 0 R]%s >>", desc, tu))
	tuV := tu
	if p.noUnicodeV {
		tuV = ""
	}
	f2 := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /TestKai /Encoding /Identity-V /DescendantFonts [%d 0 R]%s >>", desc, tuV))
	img := addStream("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 >>", []byte{0x80})
	pagesN := len(objs) + 1
	add("") // the Pages node, filled below
	var kids []string
	for _, pg := range p.pages {
		c := addStream("<< >>", []byte(pg.content))
		res := fmt.Sprintf("<< /Font << /F1 %d 0 R /F2 %d 0 R >>", f1, f2)
		if pg.image {
			res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", img)
		}
		res += " >>"
		extra := ""
		if pg.rotate != 0 {
			extra += fmt.Sprintf(" /Rotate %d", pg.rotate)
		}
		if pg.crop != "" {
			extra += " /CropBox " + pg.crop
		}
		n := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R%s >>", pagesN, res, c, extra))
		kids = append(kids, fmt.Sprintf("%d 0 R", n))
	}
	objs[pagesN-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	root := add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesN))
	info := 0
	if p.title != "" {
		t := []byte("\xFE\xFF")
		for _, r := range p.title {
			t = append(t, byte(r>>8), byte(r))
		}
		if key != nil {
			t = rc4Object(key, len(objs)+1, t)
		}
		info = add(fmt.Sprintf("<< /Title <%X> >>", t))
	}

	if p.objStm {
		return p.packed(objs, streams, root, id)
	}
	var b bytes.Buffer
	v := p.version
	if v == "" {
		v = "1.7"
	}
	fmt.Fprintf(&b, "%%PDF-%s\n%%\xE2\xE3\xCF\xD3\n", v)
	offs := make([]int, len(objs)+1)
	for i, o := range objs {
		n := i + 1
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", n)
		if data, ok := streams[n]; ok {
			if key != nil {
				data = rc4Object(key, n, data)
			}
			d := strings.TrimSuffix(o, ">>")
			fmt.Fprintf(&b, "%s /Length %d >>\nstream\n", d, len(data))
			b.Write(data)
			b.WriteString("\nendstream")
		} else {
			b.WriteString(o)
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(objs)+1)
	for n := 1; n <= len(objs); n++ {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", offs[n])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /ID [<%X> <%X>]", len(objs)+1, root, id, id)
	if info != 0 {
		fmt.Fprintf(&b, " /Info %d 0 R", info)
	}
	if encDict != "" {
		b.WriteString(" /Encrypt " + encDict)
	}
	b.WriteString(" >>\n")
	if p.badXref {
		xref += 7 // into the middle of nowhere
	}
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func rc4Object(key []byte, n int, data []byte) []byte {
	h := md5.New()
	h.Write(key)
	h.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16), 0, 0})
	k := h.Sum(nil)[:min(len(key)+5, 16)]
	c, _ := rc4.NewCipher(k)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// packed writes the objects the way PDF 1.5 writers do: streams as
// objects of their own, every other object in one compressed object
// stream, and a cross-reference stream (unencrypted; cutXref ends the
// file before it).
func (p testPDF) packed(objs []string, streams map[int][]byte, root int, id []byte) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	stm := len(objs) + 1 // the object stream
	xrefN := stm + 1     // the cross-reference stream
	type loc struct{ typ, a, c int }
	locs := make([]loc, xrefN+1)
	var hdr, body bytes.Buffer
	idx := 0
	for i, o := range objs {
		n := i + 1
		if data, ok := streams[n]; ok {
			locs[n] = loc{1, b.Len(), 0}
			d := strings.TrimSuffix(o, ">>")
			fmt.Fprintf(&b, "%d 0 obj\n%s /Length %d >>\nstream\n", n, d, len(data))
			b.Write(data)
			b.WriteString("\nendstream\nendobj\n")
			continue
		}
		fmt.Fprintf(&hdr, "%d %d ", n, body.Len())
		body.WriteString(o)
		body.WriteString("\n")
		locs[n] = loc{2, stm, idx}
		idx++
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(hdr.Bytes())
	zw.Write(body.Bytes())
	zw.Close()
	locs[stm] = loc{1, b.Len(), 0}
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n", stm, idx, hdr.Len(), z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	if p.cutXref {
		return b.Bytes()
	}
	xref := b.Len()
	locs[xrefN] = loc{1, xref, 0}
	var rows []byte
	for n, l := range locs {
		if n == 0 {
			l = loc{0, 0, 0xFFFF}
		}
		rows = append(rows, byte(l.typ), byte(l.a>>24), byte(l.a>>16), byte(l.a>>8), byte(l.a), byte(l.c>>8), byte(l.c))
	}
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /ID [<%X> <%X>] /Length %d >>\nstream\n", xrefN, xrefN+1, root, id, id, len(rows))
	b.Write(rows)
	b.WriteString("\nendstream\nendobj\n")
	if p.badXref {
		xref += 7
	}
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}
