package parser

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// pdfFont is what the content interpreter needs of a font, read once from
// its dictionary: how to split a string into character codes, each code's
// width and its Unicode text.
type pdfFont struct {
	name      string // BaseFont, for messages
	composite bool   // Type0: codes of 1–4 bytes per the CMap
	vertical  bool   // Identity-V and other -V CMaps: glyphs advance downwards
	space     [4][][2]uint32
	hasSpace  bool
	widths    cidWidths // in ems (1/1000 of the /W numbers)
	dw        float64
	w1y       float64 // vertical advance (negative: downwards)
	first     int     // simple fonts: FirstChar
	simpleW   []float64
	scale     float64 // Type3 FontMatrix, else 0.001

	toUni   map[uint32]string
	ranges  []cmapRange
	uniKind uniFallback
	simple  pdf.TextEncoding // simple fonts without ToUnicode
}

type cmapRange struct {
	lo, hi uint32
	n      int
	dst    string   // UTF-16BE of lo
	arr    []string // or one per code
	useArr bool
}

type uniFallback uint8

const (
	uniNone   uniFallback = iota // no map: codes are glyph ids
	uniUCS2                      // UniGB-UCS2-H, UniGB-UTF16-H: the code is UTF-16BE
	uniGBK                       // GBK-EUC-H and kin: the code is GBK
	uniSimple                    // a simple font's own encoding
)

// loadFont reads font dictionary v. lim bounds the ToUnicode stream.
func (rd *pdfDoc) loadFont(v pdf.Value) *pdfFont {
	f := &pdfFont{name: v.Key("BaseFont").Name(), dw: 1, w1y: -1, scale: 0.001}
	sub := v.Key("Subtype").Name()
	enc := v.Key("Encoding")
	encName := enc.Name()
	if sub == "Type0" {
		f.composite = true
		f.vertical = strings.HasSuffix(encName, "-V")
		if enc.Kind() == pdf.Stream {
			// An embedded CMap: WMode 1 is vertical.
			f.vertical = enc.Key("WMode").Int64() == 1
		}
		desc := v.Key("DescendantFonts").Index(0)
		if d := desc.Key("DW"); d.Kind() == pdf.Integer || d.Kind() == pdf.Real {
			f.dw = d.Float64() / 1000
		}
		if d := desc.Key("DW2"); d.Len() == 2 {
			f.w1y = d.Index(1).Float64() / 1000
		}
		f.widths = readCIDWidths(desc.Key("W"))
		switch {
		case strings.Contains(encName, "UCS2") || strings.Contains(encName, "UTF16"):
			f.uniKind = uniUCS2
		case strings.Contains(encName, "EUC") || strings.HasPrefix(encName, "GBK"):
			f.uniKind = uniGBK
		}
	} else {
		f.first = int(v.Key("FirstChar").Int64())
		w := v.Key("Widths")
		n := min(w.Len(), 256)
		f.simpleW = make([]float64, n)
		for i := 0; i < n; i++ {
			f.simpleW[i] = w.Index(i).Float64()
		}
		if sub == "Type3" {
			if m := v.Key("FontMatrix"); m.Len() == 6 {
				f.scale = m.Index(0).Float64()
			}
		}
		f.uniKind = uniSimple
		font := pdf.Font{V: v}
		f.simple = font.Encoder()
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		if data, err := rd.streamBytes(tu, "ToUnicode of font "+f.name); err == nil {
			f.readCMap(data)
		}
	}
	return f
}

// cidWidths are a CID font's /W entries as written: runs of codes with
// one width each ([first [w1 w2 …]]) or a range with one width ([first
// last w]), looked up in order rather than expanded code by code.
type cidWidths []cidRun

type cidRun struct {
	lo, hi uint32
	w      float64   // a range's width
	arr    []float64 // or one width per code from lo
}

func (ws cidWidths) lookup(code uint32) (float64, bool) {
	for _, r := range ws {
		if code < r.lo || code > r.hi {
			continue
		}
		if r.arr != nil {
			return r.arr[code-r.lo], true
		}
		return r.w, true
	}
	return 0, false
}

func readCIDWidths(w pdf.Value) cidWidths {
	var out cidWidths
	n := w.Len()
	for i := 0; i < n; {
		c := w.Index(i)
		if i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			base := uint32(c.Int64())
			m := min(next.Len(), 65536)
			if m > 0 {
				arr := make([]float64, m)
				for k := range arr {
					arr[k] = next.Index(k).Float64() / 1000
				}
				out = append(out, cidRun{lo: base, hi: base + uint32(m) - 1, arr: arr})
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		lo, hi := c.Int64(), next.Int64()
		if lo >= 0 && hi >= lo {
			out = append(out, cidRun{lo: uint32(lo), hi: uint32(hi), w: w.Index(i+2).Float64() / 1000})
		}
		i += 3
	}
	return out
}

// readCMap reads a ToUnicode CMap: its code space ranges (how many bytes
// a code has) and its bfchar and bfrange mappings.
func (f *pdfFont) readCMap(data []byte) {
	lx := &pdfLexer{b: data}
	var stack []pdfTok
	f.toUni = map[uint32]string{}
	for {
		t := lx.next()
		if t.kind == tokEOF {
			return
		}
		if t.kind != tokKeyword {
			if len(stack) < 1<<16 {
				stack = append(stack, t)
			}
			continue
		}
		switch t.s {
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, hi := stack[i], stack[i+1]
				if lo.kind == tokString && hi.kind == tokString && len(lo.s) == len(hi.s) && len(lo.s) >= 1 && len(lo.s) <= 4 {
					n := len(lo.s)
					f.space[n-1] = append(f.space[n-1], [2]uint32{codeOf(lo.s), codeOf(hi.s)})
					f.hasSpace = true
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(stack); i += 2 {
				src, dst := stack[i], stack[i+1]
				if src.kind != tokString || len(src.s) == 0 || len(src.s) > 4 {
					continue
				}
				switch dst.kind {
				case tokString:
					f.toUni[codeOf(src.s)] = utf16beText(dst.s)
				case tokName:
					if r, ok := glyphNameRune(dst.s); ok {
						f.toUni[codeOf(src.s)] = string(r)
					}
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(stack); i += 3 {
				lo, hi, dst := stack[i], stack[i+1], stack[i+2]
				if lo.kind != tokString || hi.kind != tokString || len(lo.s) == 0 || len(lo.s) > 4 {
					continue
				}
				r := cmapRange{lo: codeOf(lo.s), hi: codeOf(hi.s), n: len(lo.s)}
				if r.hi < r.lo {
					continue
				}
				switch dst.kind {
				case tokString:
					r.dst = dst.s
				case tokArray:
					r.useArr = true
					for _, a := range dst.arr {
						r.arr = append(r.arr, a.s)
					}
				default:
					continue
				}
				f.ranges = append(f.ranges, r)
			}
		}
		stack = stack[:0]
	}
}

func codeOf(s string) uint32 {
	var c uint32
	for i := 0; i < len(s) && i < 4; i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

func utf16beText(s string) string {
	if len(s)%2 == 1 {
		s += "\x00"
	}
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return string(utf16.Decode(u))
}

// glyphNameRune reads a glyph name of the form uniXXXX (the only names a
// ToUnicode map is seen to use).
func glyphNameRune(n string) (rune, bool) {
	if len(n) == 7 && strings.HasPrefix(n, "uni") {
		var r rune
		for _, c := range n[3:] {
			v, ok := unhexByte(byte(c))
			if !ok {
				return 0, false
			}
			r = r<<4 | rune(v)
		}
		return r, true
	}
	return 0, false
}

// codes splits a shown string into character codes, each with the number
// of bytes it took.
func (f *pdfFont) nextCode(s string) (code uint32, n int) {
	if !f.composite {
		return uint32(s[0]), 1
	}
	if f.hasSpace {
		for n := 1; n <= 4 && n <= len(s); n++ {
			c := codeOf(s[:n])
			for _, r := range f.space[n-1] {
				if c >= r[0] && c <= r[1] {
					return c, n
				}
			}
		}
	}
	if f.uniKind == uniGBK && s[0] < 0x80 {
		return uint32(s[0]), 1
	}
	if len(s) < 2 {
		return uint32(s[0]), 1
	}
	return codeOf(s[:2]), 2
}

// width is the horizontal advance of code in text space units (ems).
func (f *pdfFont) width(code uint32) float64 {
	if f.composite {
		if w, ok := f.widths.lookup(code); ok {
			return w
		}
		return f.dw
	}
	i := int(code) - f.first
	if i >= 0 && i < len(f.simpleW) && f.simpleW[i] > 0 {
		return f.simpleW[i] * f.scale
	}
	if code < 0x80 {
		return 0.5
	}
	return 1
}

// text returns the Unicode text of code and whether the font says what
// it is; ok false means a glyph id with no Unicode meaning (mojibake).
func (f *pdfFont) text(code uint32, raw string) (string, bool) {
	if f.toUni != nil {
		if s, ok := f.toUni[code]; ok {
			return s, goodText(s)
		}
		for _, r := range f.ranges {
			if code < r.lo || code > r.hi {
				continue
			}
			off := code - r.lo
			if r.useArr {
				if int(off) < len(r.arr) {
					s := utf16beText(r.arr[off])
					return s, goodText(s)
				}
				return "", false
			}
			// The destination's last UTF-16 unit counts up with the code.
			u := utf16beUnits(r.dst)
			if len(u) == 0 {
				return "", false
			}
			u[len(u)-1] += uint16(off)
			s := string(utf16.Decode(u))
			return s, goodText(s)
		}
	}
	switch f.uniKind {
	case uniUCS2:
		s := utf16beText(raw)
		return s, goodText(s)
	case uniGBK:
		b, err := simplifiedchinese.GB18030.NewDecoder().String(raw)
		if err != nil {
			return "", false
		}
		return b, goodText(b)
	case uniSimple:
		if f.simple == nil {
			return "", false
		}
		s := f.simple.Decode(raw)
		return s, goodText(s)
	}
	return "", false
}

func utf16beUnits(s string) []uint16 {
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return u
}

// goodText reports whether s is real text: valid UTF-8 with no control
// characters, private-use code points or replacement characters, which is
// what a map of glyph ids to nothing in particular gives.
func goodText(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError, r == 0:
			return false
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return false
		case unicode.Is(unicode.Co, r):
			return false
		}
	}
	return true
}
