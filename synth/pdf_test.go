package synth

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"math/rand"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// A minimal reader of the PDFs this package writes, for the tests only:
// it follows the cross-reference table, checks every object and stream,
// and interprets the content streams far enough to recover text (through
// each font's ToUnicode CMap), ruling lines and images.

type tObj struct {
	dict   string // the object's text, or a stream's dictionary
	stream []byte // inflated stream data, nil for none
}

type tFont struct {
	res      string
	vertical bool
	toUni    map[uint16]rune
	widths   map[uint16]int
}

type tRun struct {
	text     string   // all the text object's glyphs
	lines    []string // one per text matrix set
	vertical bool
	glyphs   []tGlyph
}

// tGlyph is a shown glyph and the centre of its box, in points from the
// page's top-left corner.
type tGlyph struct {
	r    rune
	x, y float64
}

// mat is a PDF matrix [a b c d e f].
type mat [6]float64

var identity = mat{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first.
func (m mat) mul(n mat) mat {
	return mat{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m mat) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

type tSeg struct {
	horiz     bool
	at, a, b  float64 // the fixed coordinate and the span
	fromBoxes bool
}

// tPage is a decoded page. Every coordinate is in points from the
// top-left corner of the page as displayed (after /Rotate).
type tPage struct {
	runs   []tRun
	segs   []tSeg
	images int
	imgObj *tObj
	flip   bool
	w, h   float64 // as displayed
	rotate bool
}

type tPDF struct {
	objs  map[int]*tObj
	pages []*tPage
	fonts map[int]*tFont // by object number
	used  map[*tFont]map[uint16]bool
}

var (
	reRef     = regexp.MustCompile(`/(\w+) (\d+) 0 R`)
	reLength  = regexp.MustCompile(`/Length (\d+)`)
	reKids    = regexp.MustCompile(`/Kids\[([^\]]*)\]`)
	reFontRes = regexp.MustCompile(`/Font<<([^>]*)>>`)
	reW       = regexp.MustCompile(`/W\[([^\]]*)\]`)
	reBfchar  = regexp.MustCompile(`<([0-9A-F]{4})><([0-9A-F]+)>`)
	reCount   = regexp.MustCompile(`/Count (\d+)`)
)

func ref(t *testing.T, dict, key string) int {
	t.Helper()
	for _, m := range reRef.FindAllStringSubmatch(dict, -1) {
		if m[1] == key {
			n, _ := strconv.Atoi(m[2])
			return n
		}
	}
	return 0
}

// parsePDF checks the file's structure and reads it.
func parsePDF(t *testing.T, name string, data []byte) *tPDF {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) {
		t.Fatalf("%s: no %%PDF header", name)
	}
	tail := data[max(0, len(data)-64):]
	i := bytes.LastIndex(tail, []byte("startxref\n"))
	if i < 0 || !bytes.HasSuffix(data, []byte("%%EOF\n")) {
		t.Fatalf("%s: no startxref / %%%%EOF at the end", name)
	}
	xref, err := strconv.Atoi(strings.TrimSpace(string(tail[i+len("startxref\n") : len(tail)-len("%%EOF\n")])))
	if err != nil || xref <= 0 || xref >= len(data) {
		t.Fatalf("%s: startxref %q", name, tail[i:])
	}
	rest := string(data[xref:])
	var size int
	if _, err := fmt.Sscanf(rest, "xref\n0 %d\n", &size); err != nil {
		t.Fatalf("%s: xref header: %v", name, err)
	}
	rest = rest[strings.Index(rest, "\n")+1:]
	rest = rest[strings.Index(rest, "\n")+1:]
	if len(rest) < 20*size || rest[:20] != "0000000000 65535 f\r\n" {
		t.Fatalf("%s: xref entry 0 %q", name, rest[:min(20, len(rest))])
	}
	p := &tPDF{objs: map[int]*tObj{}, fonts: map[int]*tFont{}, used: map[*tFont]map[uint16]bool{}}
	for n := 1; n < size; n++ {
		e := rest[20*n : 20*n+20]
		if !strings.HasSuffix(e, " 00000 n\r\n") {
			t.Fatalf("%s: xref entry %d %q", name, n, e)
		}
		off, _ := strconv.Atoi(e[:10])
		head := fmt.Sprintf("%d 0 obj\n", n)
		if off >= len(data) || !bytes.HasPrefix(data[off:], []byte(head)) {
			t.Fatalf("%s: xref offset %d of object %d does not point at %q", name, off, n, head)
		}
		body := data[off+len(head):]
		o := &tObj{}
		if j := bytes.Index(body, []byte(">>\nstream\n")); j >= 0 && j < bytes.Index(body, []byte("\nendobj\n")) {
			o.dict = string(body[:j+2])
			m := reLength.FindStringSubmatch(o.dict)
			if m == nil {
				t.Fatalf("%s: object %d: stream without /Length", name, n)
			}
			l, _ := strconv.Atoi(m[1])
			raw := body[j+len(">>\nstream\n"):]
			if len(raw) < l || !bytes.HasPrefix(raw[l:], []byte("\nendstream\nendobj\n")) {
				t.Fatalf("%s: object %d: /Length %d does not end at endstream", name, n, l)
			}
			raw = raw[:l]
			if !strings.Contains(o.dict, "/Filter/FlateDecode") {
				t.Fatalf("%s: object %d: stream not FlateDecode", name, n)
			}
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("%s: object %d: %v", name, n, err)
			}
			if o.stream, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: object %d: inflate: %v", name, n, err)
			}
		} else {
			j := bytes.Index(body, []byte("\nendobj\n"))
			if j < 0 {
				t.Fatalf("%s: object %d has no endobj", name, n)
			}
			o.dict = string(body[:j])
		}
		p.objs[n] = o
	}
	trailer := rest[20*size:]
	if !strings.HasPrefix(trailer, "trailer\n<<") || !strings.Contains(trailer, "/Size "+strconv.Itoa(size)+"/") {
		t.Fatalf("%s: trailer %q", name, trailer)
	}
	root := p.objs[ref(t, trailer, "Root")]
	if root == nil || !strings.Contains(root.dict, "/Type/Catalog") {
		t.Fatalf("%s: no catalog", name)
	}
	if p.objs[ref(t, trailer, "Info")] == nil {
		t.Fatalf("%s: no document information", name)
	}
	tree := p.objs[ref(t, root.dict, "Pages")]
	if tree == nil {
		t.Fatalf("%s: no page tree", name)
	}
	kids := reKids.FindStringSubmatch(tree.dict)
	if kids == nil {
		t.Fatalf("%s: page tree without kids", name)
	}
	var pageNums []int
	for _, f := range strings.Fields(kids[1]) {
		if n, err := strconv.Atoi(f); err == nil && f != "0" {
			pageNums = append(pageNums, n)
		}
	}
	if m := reCount.FindStringSubmatch(tree.dict); m == nil || m[1] != strconv.Itoa(len(pageNums)) {
		t.Fatalf("%s: /Count of %d kids: %q", name, len(pageNums), tree.dict)
	}
	for _, pn := range pageNums {
		po := p.objs[pn]
		if po == nil || !strings.Contains(po.dict, "/Type/Page/") || !strings.Contains(po.dict, "/MediaBox[0 0 ") {
			t.Fatalf("%s: page object %d: %v", name, pn, po)
		}
		fonts := map[string]*tFont{}
		if m := reFontRes.FindStringSubmatch(po.dict); m != nil {
			for _, fm := range reRef.FindAllStringSubmatch(m[1], -1) {
				fn, _ := strconv.Atoi(fm[2])
				fonts[fm[1]] = p.font(t, name, fn, fm[1])
			}
		}
		c := p.objs[ref(t, po.dict, "Contents")]
		if c == nil || c.stream == nil {
			t.Fatalf("%s: page %d has no content stream", name, pn)
		}
		var pw, ph float64
		if _, err := fmt.Sscanf(po.dict[strings.Index(po.dict, "/MediaBox[0 0 "):], "/MediaBox[0 0 %g %g]", &pw, &ph); err != nil {
			t.Fatalf("%s: page %d MediaBox: %v", name, pn, err)
		}
		pg := p.interpret(t, name, c.stream, fonts, pw, ph, strings.Contains(po.dict, "/Rotate 90"))
		if im := ref(t, po.dict, "Im1"); im != 0 {
			pg.imgObj = p.objs[im]
		}
		p.pages = append(p.pages, pg)
	}
	// Every CID a font maps is used, and every one used is mapped.
	for _, f := range p.fonts {
		for cid := range f.toUni {
			if !p.used[f][cid] {
				t.Errorf("%s: font %s maps CID %d that no page uses", name, f.res, cid)
			}
		}
	}
	return p
}

// font reads a Type0 font: its ToUnicode CMap (one to one) and W array
// (CJK 1000, ASCII 500).
func (p *tPDF) font(t *testing.T, name string, n int, res string) *tFont {
	t.Helper()
	if f := p.fonts[n]; f != nil {
		return f
	}
	o := p.objs[n]
	if o == nil || !strings.Contains(o.dict, "/Subtype/Type0") {
		t.Fatalf("%s: font %d is not Type0: %v", name, n, o)
	}
	f := &tFont{res: res, toUni: map[uint16]rune{}, widths: map[uint16]int{}}
	switch {
	case strings.Contains(o.dict, "/Encoding/Identity-H"):
	case strings.Contains(o.dict, "/Encoding/Identity-V"):
		f.vertical = true
	default:
		t.Fatalf("%s: font %d encoding: %s", name, n, o.dict)
	}
	desc := p.objs[ref(t, strings.ReplaceAll(strings.ReplaceAll(o.dict, "[", " "), "]", " "), "DescendantFonts")]
	if desc == nil || !strings.Contains(desc.dict, "/Subtype/CIDFontType2") || !strings.Contains(desc.dict, "/CIDToGIDMap/Identity") {
		t.Fatalf("%s: font %d descendant: %v", name, n, desc)
	}
	if fd := p.objs[ref(t, desc.dict, "FontDescriptor")]; fd == nil || !strings.Contains(fd.dict, "/Type/FontDescriptor") {
		t.Fatalf("%s: font %d has no descriptor", name, n)
	}
	cm := p.objs[ref(t, o.dict, "ToUnicode")]
	if cm == nil || cm.stream == nil {
		t.Fatalf("%s: font %d has no ToUnicode", name, n)
	}
	cmap := string(cm.stream)
	blocks := strings.Split(cmap, "beginbfchar\n")
	for _, blk := range blocks[1:] {
		blk = blk[:strings.Index(blk, "endbfchar")]
		entries := reBfchar.FindAllStringSubmatch(blk, -1)
		if len(entries) > 100 || len(entries) != strings.Count(blk, "\n") {
			t.Errorf("%s: font %d: bfchar block of %d entries", name, n, len(entries))
		}
		for _, e := range entries {
			cid, _ := strconv.ParseUint(e[1], 16, 16)
			var u []uint16
			for k := 0; k+4 <= len(e[2]); k += 4 {
				x, _ := strconv.ParseUint(e[2][k:k+4], 16, 16)
				u = append(u, uint16(x))
			}
			rs := utf16.Decode(u)
			if len(rs) != 1 {
				t.Fatalf("%s: font %d: CID %s maps to %q", name, n, e[1], string(rs))
			}
			if _, dup := f.toUni[uint16(cid)]; dup {
				t.Errorf("%s: font %d: CID %d mapped twice", name, n, cid)
			}
			f.toUni[uint16(cid)] = rs[0]
		}
	}
	back := map[rune]uint16{}
	for cid, r := range f.toUni {
		if other, ok := back[r]; ok {
			t.Errorf("%s: font %d: %q is CID %d and %d", name, n, r, other, cid)
		}
		back[r] = cid
	}
	w := reW.FindStringSubmatch(desc.dict)
	if w == nil {
		t.Fatalf("%s: font %d: no W array", name, n)
	}
	fs := strings.Fields(w[1])
	if len(fs)%3 != 0 {
		t.Fatalf("%s: font %d: W array %q", name, n, w[1])
	}
	for k := 0; k < len(fs); k += 3 {
		a, _ := strconv.Atoi(fs[k])
		b, _ := strconv.Atoi(fs[k+1])
		wd, _ := strconv.Atoi(fs[k+2])
		for c := a; c <= b; c++ {
			f.widths[uint16(c)] = wd
		}
	}
	for cid, r := range f.toUni {
		if f.widths[cid] != glyphWidth(r) {
			t.Errorf("%s: font %d: CID %d (%q) width %d, want %d", name, n, cid, r, f.widths[cid], glyphWidth(r))
		}
	}
	p.fonts[n] = f
	p.used[f] = map[uint16]bool{}
	return f
}

// lexContent splits a content stream into operands and operators; hex
// strings keep their brackets, arrays come as one "[" … "]" token list.
func lexContent(s []byte) [][]string {
	var ops [][]string
	var cur []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case c == '<':
			j := bytes.IndexByte(s[i:], '>')
			cur = append(cur, string(s[i:i+j+1]))
			i += j + 1
		case c == '[' || c == ']':
			cur = append(cur, string(c))
			i++
		case c == '/':
			j := i + 1
			for j < len(s) && !bytes.ContainsRune([]byte(" \n\r\t/<>[]()"), rune(s[j])) {
				j++
			}
			cur = append(cur, string(s[i:j]))
			i = j
		default:
			j := i
			for j < len(s) && !bytes.ContainsRune([]byte(" \n\r\t/<>[]()"), rune(s[j])) {
				j++
			}
			tok := string(s[i:j])
			i = j
			if _, err := strconv.ParseFloat(tok, 64); err == nil {
				cur = append(cur, tok)
				continue
			}
			ops = append(ops, append(cur, tok))
			cur = nil
		}
	}
	return ops
}

func (p *tPDF) interpret(t *testing.T, name string, content []byte, fonts map[string]*tFont, mediaW, mediaH float64, rotate bool) *tPage {
	t.Helper()
	ctm, tm, tlm := identity, identity, identity
	var pending []tSeg
	pg := &tPage{flip: bytes.Contains(content[:min(len(content), 64)], []byte("q 1 0 0 -1 0 ")), w: mediaW, h: mediaH, rotate: rotate}
	if rotate {
		pg.w, pg.h = mediaH, mediaW
	}
	// td takes a point of media space to the displayed page, from the top.
	td := func(x, y float64) (float64, float64) {
		if rotate {
			return y, x // turned 90° clockwise: the media's left edge is the top
		}
		return x, mediaH - y
	}
	// seg adds the segment between two points of user space.
	seg := func(x1, y1, x2, y2 float64, boxes bool) {
		ax, ay := td(ctm.apply(x1, y1))
		bx, by := td(ctm.apply(x2, y2))
		switch {
		case math.Abs(ay-by) < 0.01:
			pending = append(pending, tSeg{horiz: true, at: ay, a: min(ax, bx), b: max(ax, bx), fromBoxes: boxes})
		case math.Abs(ax-bx) < 0.01:
			pending = append(pending, tSeg{at: ax, a: min(ay, by), b: max(ay, by), fromBoxes: boxes})
		default:
			t.Errorf("%s: slanted rule", name)
		}
	}
	var font *tFont
	var fontSize float64
	var stack []mat
	var run *tRun
	var pathX, pathY float64
	// place records a glyph's centre and moves the text matrix past it.
	place := func(r rune, cid uint16) {
		if run == nil || font == nil {
			t.Fatalf("%s: text shown outside BT or without a font", name)
		}
		w := float64(font.widths[cid]) / 1000
		var cx, cy float64
		if font.vertical {
			cx, cy = 0, -0.52*fontSize // the vertical origin is the glyph's top centre
		} else {
			cx, cy = w*fontSize/2, 0.36*fontSize
		}
		x, y := td(tm.mul(ctm).apply(cx, cy))
		run.glyphs = append(run.glyphs, tGlyph{r, x, y})
		if font.vertical {
			tm = mat{1, 0, 0, 1, 0, -fontSize}.mul(tm)
		} else {
			tm = mat{1, 0, 0, 1, w * fontSize, 0}.mul(tm)
		}
	}
	decode := func(hex string) string {
		hex = strings.Trim(hex, "<>")
		if len(hex)%4 != 0 {
			t.Fatalf("%s: hex string %q not two bytes a code", name, hex)
		}
		var b strings.Builder
		for k := 0; k < len(hex); k += 4 {
			cid, err := strconv.ParseUint(hex[k:k+4], 16, 16)
			if err != nil {
				t.Fatalf("%s: hex string %q", name, hex)
			}
			r, ok := font.toUni[uint16(cid)]
			if !ok {
				t.Fatalf("%s: CID %d of font %s has no Unicode", name, cid, font.res)
			}
			p.used[font][uint16(cid)] = true
			b.WriteRune(r)
			place(r, uint16(cid))
		}
		return b.String()
	}
	show := func(s string) {
		if run == nil || font == nil {
			t.Fatalf("%s: text shown outside BT or without a font", name)
		}
		run.text += s
		run.lines[len(run.lines)-1] += s
		run.vertical = font.vertical
	}
	f := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: operand %q", name, s)
		}
		return v
	}
	for _, op := range lexContent(content) {
		args, o := op[:len(op)-1], op[len(op)-1]
		num := func(i int) float64 { return f(args[i]) }
		switch o {
		case "q":
			stack = append(stack, ctm)
		case "Q":
			ctm, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case "cm":
			ctm = mat{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(ctm)
		case "BT":
			run = &tRun{}
			tm, tlm = identity, identity
		case "ET":
			if run != nil && run.text != "" {
				pg.runs = append(pg.runs, *run)
			}
			run = nil
		case "Tf":
			font = fonts[strings.TrimPrefix(args[0], "/")]
			if font == nil {
				t.Fatalf("%s: font %s not in the page's resources", name, args[0])
			}
			fontSize = num(1)
		case "Tm":
			run.lines = append(run.lines, "")
			tm = mat{num(0), num(1), num(2), num(3), num(4), num(5)}
			tlm = tm
		case "TD", "Td":
			tlm = mat{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tj":
			show(decode(args[0]))
		case "TJ":
			for _, a := range args {
				switch {
				case strings.HasPrefix(a, "<"):
					show(decode(a))
				case a != "[" && a != "]":
					// A kerning number moves along the writing direction.
					d := -f(a) / 1000 * fontSize
					if font.vertical {
						tm = mat{1, 0, 0, 1, 0, -d}.mul(tm)
					} else {
						tm = mat{1, 0, 0, 1, d, 0}.mul(tm)
					}
				}
			}
		case "m":
			pathX, pathY = f(args[0]), f(args[1])
		case "l":
			x, y := f(args[0]), f(args[1])
			seg(pathX, pathY, x, y, false)
			pathX, pathY = x, y
		case "S":
			pg.segs = append(pg.segs, pending...)
			pending = nil
		case "re":
			x, y, w, h := f(args[0]), f(args[1]), f(args[2]), f(args[3])
			switch {
			case h <= 1:
				seg(x, y+h/2, x+w, y+h/2, true)
			case w <= 1:
				seg(x+w/2, y, x+w/2, y+h, true)
			}
		case "f":
			pg.segs = append(pg.segs, pending...)
			pending = nil
		case "n":
			pending = nil // a clip path paints nothing
		case "Do":
			pg.images++
		}
	}
	return pg
}

func (p *tPDF) text() string {
	var b strings.Builder
	for _, pg := range p.pages {
		for _, r := range pg.runs {
			b.WriteString(r.text)
		}
	}
	return b.String()
}

func pdfOptions(r *rand.Rand) []Options {
	var opts []Options
	for _, tpl := range []string{Template2021, Template2019, TemplateHybrid} {
		for _, m := range messCases() {
			opts = append(opts, Options{Seed: r.Int63(), Template: tpl, Format: "pdf", Mess: m, PadTo: DefaultPDFPages})
		}
		for i := 0; i < 6; i++ {
			opts = append(opts, Options{Seed: r.Int63(), Template: tpl, Format: "pdf", Mess: pdfMess(r.Int63(), RandomMess(r)), PadTo: DefaultPDFPages})
		}
	}
	return opts
}

// TestPDFStructure writes reports of every template and kind of mess and
// checks the files: cross-reference offsets, stream lengths, fonts and
// their CMaps, page counts, and that every printed value, the title, the
// agency and the date read back from the text.
func TestPDFStructure(t *testing.T) {
	r := rand.New(rand.NewSource(17))
	for _, o := range pdfOptions(r) {
		rep, g, err := generate(o)
		if err != nil {
			t.Fatalf("Generate(%+v): %v", o, err)
		}
		name := fmt.Sprintf("%s %s %+v", rep.Name, o.Template, o.Mess)
		p := parsePDF(t, name, rep.Data)
		text := p.pages
		if o.Mess.ScannedPage {
			last := text[len(text)-1]
			if len(last.runs) != 0 || last.images != 1 {
				t.Errorf("%s: scanned page has %d text runs, %d images", name, len(last.runs), last.images)
			}
			text = text[:len(text)-1]
		}
		if n := len(text); n < 5 || n > 8 {
			t.Errorf("%s: %d pages of text, want 5–8", name, n)
		}
		// What the decoder finds inside each cell's rectangle is the
		// cell's text, and the value cells hold every printed value.
		have := checkGeometry(t, name, p, g)
		want := map[string]int{}
		for _, pc := range g.printed {
			if pc.text != "" {
				want[pc.text]++
			}
		}
		for v, n := range want {
			if have[v] != n {
				t.Errorf("%s: value %q printed %d times, found in %d value cells", name, v, n, have[v])
			}
		}
		all := p.text()
		for _, s := range []string{g.title, g.agency, g.date} {
			if !strings.Contains(all, s) {
				t.Errorf("%s: %q not in the text", name, s)
			}
		}
		for _, s := range []string{"三、收到和处理政府信息公开申请情况", "（七）总计", "四、结转下年度继续办理"} {
			if !o.Mess.LabelVariants && !strings.Contains(all, s) {
				t.Errorf("%s: %q not in the text", name, s)
			}
		}
	}
}

func TestPDFDeterministic(t *testing.T) {
	o := Options{Seed: 42, Format: "pdf", Mess: AllMess(), PadTo: DefaultPDFPages}
	a, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(o)
	if !bytes.Equal(a.Data, b.Data) {
		t.Error("same options, different bytes")
	}
	o.Seed++
	c, _ := Generate(o)
	if bytes.Equal(a.Data, c.Data) {
		t.Error("seeds 42 and 43 give the same bytes")
	}
	x, err := Corpus(9, 6, []string{"pdf"})
	if err != nil {
		t.Fatal(err)
	}
	y, _ := Corpus(9, 6, []string{"pdf"})
	for i := range x {
		if !bytes.Equal(x[i].Data, y[i].Data) || x[i].Format != "pdf" || !strings.HasSuffix(x[i].Name, ".pdf") {
			t.Errorf("Corpus report %d (%s) differs between runs or is not a PDF", i, x[i].Name)
		}
	}
}

// TestPDFRules checks the three ways tables are ruled: stroked lines,
// thin filled boxes, and none at all (the text staying where it was).
func TestPDFRules(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		segs := func(m Mess) (stroked, boxed int, p *tPDF, g *gen) {
			rep, g, err := generate(Options{Seed: seed, Template: Template2021, Format: "pdf", Mess: m})
			if err != nil {
				t.Fatal(err)
			}
			p = parsePDF(t, rep.Name, rep.Data)
			for _, pg := range p.pages {
				for _, s := range pg.segs {
					if s.fromBoxes {
						boxed++
					} else {
						stroked++
					}
				}
			}
			return stroked, boxed, p, g
		}
		plainS, plainB, plain, _ := segs(Mess{})
		if plainS < 50 || plainB != 0 {
			t.Errorf("seed %d plain: %d stroked, %d boxed rules", seed, plainS, plainB)
		}
		boxS, boxB, _, g := segs(Mess{BoxRules: true})
		if boxB < 50 {
			t.Errorf("seed %d BoxRules: %d boxed rules", seed, boxB)
		}
		for _, pl := range g.pdfPlaced {
			if pl.no == 3 && !pl.boxed {
				t.Errorf("seed %d BoxRules: table 3 not boxed", seed)
			}
		}
		if boxS+boxB < plainS {
			t.Errorf("seed %d BoxRules: %d+%d rules, plain has %d", seed, boxS, boxB, plainS)
		}
		noS, _, none, g := segs(Mess{NoRules: true})
		if noS >= plainS {
			t.Errorf("seed %d NoRules: %d rules, plain has %d", seed, noS, plainS)
		}
		unruled := 0
		for _, pl := range g.pdfPlaced {
			if !pl.ruled {
				unruled++
				if pl.no != 2 && pl.no != 4 {
					t.Errorf("seed %d NoRules: table %d without rules", seed, pl.no)
				}
			}
		}
		if unruled != 1 {
			t.Errorf("seed %d NoRules: %d tables without rules", seed, unruled)
		}
		if plain.text() != none.text() {
			t.Errorf("seed %d NoRules changed the text", seed)
		}
	}
}

// TestPDFTableAcrossPages finds reports whose table 3 runs over a page
// break and checks the continuation: same column edges, no header again,
// and the merged label cell that crosses the break closed on both sides.
func TestPDFTableAcrossPages(t *testing.T) {
	found := 0
	for seed := int64(1); seed <= 40 && found < 4; seed++ {
		rep, g, err := generate(Options{Seed: seed, Template: Template2021, Format: "pdf", PadTo: DefaultPDFPages})
		if err != nil {
			t.Fatal(err)
		}
		var pl *pdfPlaced
		for i := range g.pdfPlaced {
			if g.pdfPlaced[i].no == 3 {
				pl = &g.pdfPlaced[i]
			}
		}
		first, last := pl.rowPage[0], pl.rowPage[len(pl.rowPage)-1]
		if first == last {
			continue
		}
		found++
		p := parsePDF(t, rep.Name, rep.Data)
		edges := map[float64]bool{}
		for _, x := range pl.colX {
			edges[mathRound2(x)] = true
		}
		// The vertical rules drawn within table 3's rows on a page.
		xs := func(page int) map[float64]bool {
			top, bot := 1e9, 0.0
			for i, pg := range pl.rowPage {
				if pg == page {
					top, bot = min(top, pl.rowTop[i]), max(bot, pl.rowTop[i]+pl.rowH[i])
				}
			}
			out := map[float64]bool{}
			pg := p.pages[page]
			for _, s := range pg.segs {
				if !s.horiz && s.a >= top-1 && s.b <= bot+1 {
					out[mathRound2(s.at)] = true
				}
			}
			return out
		}
		a, b := xs(first), xs(last)
		for x := range b {
			if !edges[x] {
				t.Errorf("%s: rule at x=%v on the continuation page is not a column edge", rep.Name, x)
			}
		}
		for _, x := range []float64{pl.colX[0], pl.colX[3], pl.colX[len(pl.colX)-1]} {
			if x := mathRound2(x); !a[x] || !b[x] {
				t.Errorf("%s: edge x=%v not on both pages (%v, %v)", rep.Name, x, a[x], b[x])
			}
		}
		if len(b) < 8 {
			t.Errorf("%s: continuation has %d column edges", rep.Name, len(b))
		}
		for _, run := range p.pages[last].runs {
			if strings.Contains(run.text, applicantHead) || strings.Contains(run.text, "自然人") {
				t.Errorf("%s: header repeated on the continuation page: %q", rep.Name, run.text)
			}
		}
	}
	if found == 0 {
		t.Fatal("no report has table 3 across a page break")
	}
}

func mathRound2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

// TestPDFVerticalLabels checks both ways of writing labels top to bottom.
func TestPDFVerticalLabels(t *testing.T) {
	seen := map[int]bool{}
	for seed := int64(1); seed <= 30 && len(seen) < 2; seed++ {
		rep, g, err := generate(Options{Seed: seed, Template: Template2021, Format: "pdf", Mess: Mess{VerticalLabels: true}})
		if err != nil {
			t.Fatal(err)
		}
		st := g.pdfStyle
		p := parsePDF(t, rep.Name, rep.Data)
		var pl *pdfPlaced
		for i := range g.pdfPlaced {
			if g.pdfPlaced[i].no == 3 && pl == nil {
				pl = &g.pdfPlaced[i]
			}
		}
		// The glyphs in the cell 三、本年度办理结果: table 3's first
		// column from the row 一 、二 and the header end to （七）总计.
		first, last := 5, len(pl.rowPage)-2
		var got []rune
		for page := pl.rowPage[first]; page <= pl.rowPage[last]; page++ {
			lastX, lastY := -1.0, -1.0
			for _, run := range p.pages[page].runs {
				for _, gl := range run.glyphs {
					inCol := gl.x > pl.colX[0] && gl.x < pl.colX[1]
					below := page > pl.rowPage[first] || gl.y > pl.rowTop[first]
					above := page < pl.rowPage[last] || gl.y < pl.rowTop[last]+pl.rowH[last]
					if !inCol || !below || !above {
						continue
					}
					if st.vertical == 2 && !run.vertical {
						t.Errorf("%s: %q in the label column is not in the vertical font", rep.Name, gl.r)
					}
					if lastX >= 0 && (math.Abs(gl.x-lastX) > 1 || gl.y <= lastY) {
						t.Errorf("%s mode %d: %q at (%.1f,%.1f) is not below the glyph before (%.1f,%.1f)", rep.Name, st.vertical, gl.r, gl.x, gl.y, lastX, lastY)
					}
					lastX, lastY = gl.x, gl.y
					got = append(got, gl.r)
				}
			}
		}
		if string(got) != labelResults {
			t.Errorf("%s mode %d: label column reads %q, want %q", rep.Name, st.vertical, string(got), labelResults)
		}
		seen[st.vertical] = true
	}
	if !seen[1] || !seen[2] {
		t.Errorf("modes seen: %v", seen)
	}
}

// TestPDFScannedPage checks the image-only page: one greyscale image of
// the declared size, and nothing else on the page.
func TestPDFScannedPage(t *testing.T) {
	rep, err := Generate(Options{Seed: 8, Format: "pdf", Mess: Mess{ScannedPage: true}})
	if err != nil {
		t.Fatal(err)
	}
	p := parsePDF(t, rep.Name, rep.Data)
	last := p.pages[len(p.pages)-1]
	if last.images != 1 || len(last.runs) != 0 || len(last.segs) != 0 || last.imgObj == nil {
		t.Fatalf("last page: %d images, %d text runs, %d rules", last.images, len(last.runs), len(last.segs))
	}
	var w, h int
	d := last.imgObj.dict
	if _, err := fmt.Sscanf(d[strings.Index(d, "/Width "):], "/Width %d/Height %d", &w, &h); err != nil {
		t.Fatalf("image dictionary %q: %v", d, err)
	}
	if !strings.Contains(d, "/Subtype/Image") || len(last.imgObj.stream) != w*h {
		t.Errorf("image %dx%d with %d bytes: %q", w, h, len(last.imgObj.stream), d)
	}
	for _, pg := range p.pages[:len(p.pages)-1] {
		if len(pg.runs) == 0 {
			t.Error("a page before the scan has no text")
		}
	}
}

// TestPDFLandscape checks table 3 in a landscape section, both ways: on
// portrait media turned by /Rotate 90, and on a landscape media box. The
// cells must read right on the page as displayed.
func TestPDFLandscape(t *testing.T) {
	seen := map[bool]bool{}
	for seed := int64(1); seed <= 20 && len(seen) < 2; seed++ {
		for _, m := range []Mess{{Landscape: true}, {Landscape: true, SplitTable: true}} {
			rep, g, err := generate(Options{Seed: seed, Format: "pdf", Mess: m, PadTo: DefaultPDFPages})
			if err != nil {
				t.Fatal(err)
			}
			p := parsePDF(t, rep.Name, rep.Data)
			checkGeometry(t, rep.Name, p, g)
			land := map[int]bool{}
			for _, pl := range g.pdfPlaced {
				if pl.no == 3 {
					for _, pg := range pl.rowPage {
						land[pg] = true
					}
				}
			}
			for i, pg := range p.pages {
				if (pg.w > pg.h) != land[i] {
					t.Errorf("%s %+v: page %d is %.0f×%.0f, table 3 there: %v", rep.Name, m, i+1, pg.w, pg.h, land[i])
				}
				if land[i] && pg.rotate != g.pdfStyle.rotate {
					t.Errorf("%s: page %d /Rotate 90 %v, style says %v", rep.Name, i+1, pg.rotate, g.pdfStyle.rotate)
				}
			}
			seen[g.pdfStyle.rotate] = true
		}
	}
	if len(seen) != 2 {
		t.Errorf("landscape kinds seen: %v", seen)
	}
}

func TestScannedPDF(t *testing.T) {
	data, err := ScannedPDF(3, 4)
	if err != nil {
		t.Fatal(err)
	}
	p := parsePDF(t, "scanned.pdf", data)
	if len(p.pages) != 4 || len(p.fonts) != 0 {
		t.Fatalf("%d pages, %d fonts", len(p.pages), len(p.fonts))
	}
	for i, pg := range p.pages {
		if pg.images != 1 || len(pg.runs) != 0 || pg.imgObj == nil || len(pg.imgObj.stream) != 420*594 {
			t.Errorf("page %d: %d images, %d text runs", i+1, pg.images, len(pg.runs))
		}
	}
	again, _ := ScannedPDF(3, 4)
	if !bytes.Equal(data, again) {
		t.Error("ScannedPDF is not deterministic")
	}
}

func TestWrapText(t *testing.T) {
	for _, tc := range []struct {
		s     string
		width float64
		want  []string
		cell  []string // wrapCell's lines, when they differ
	}{
		{"一二三四五六", 30, []string{"一二三", "四五六"}, nil},
		{"一二三，四五", 30, []string{"一二三，", "四五"}, []string{"一二", "三，四", "五"}}, // the comma hangs, but not in a cell
		{"一二（三四五", 30, []string{"一二", "（三四", "五"}, nil},                    // the bracket goes down
		{"共2024件", 25, []string{"共", "2024", "件"}, nil},                    // digits stay together
		{"7,730.28万元", 20, []string{"7,73", "0.28", "万元"}, nil},
		{"甲\n乙丙", 100, []string{"甲", "乙丙"}, nil},
	} {
		got := wrapText(tc.s, tc.width, tc.width, 10)
		if tc.cell != nil {
			got = wrapCell(tc.s, tc.width, 10)
			tc.want = tc.cell
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapText(%q, %v) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
		if strings.Join(got, "") != strings.ReplaceAll(tc.s, "\n", "") {
			t.Errorf("wrapText(%q) lost text: %q", tc.s, got)
		}
	}
}

func TestPDFName(t *testing.T) {
	if got := pdfName("ABCDEF+宋体"); got != "ABCDEF+#e5#ae#8b#e4#bd#93" {
		t.Errorf("pdfName = %q", got)
	}
	keys := []string{}
	for k := range fontFamilies {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.ContainsAny(pdfName(k), " /()<>[]") {
			t.Errorf("pdfName(%q) = %q", k, pdfName(k))
		}
	}
}

// checkGeometry checks that the glyphs the decoder places inside each
// table cell's rectangle, from the content stream alone and in stream
// order, spell exactly the cell's text, and that every glyph is on its
// page. It returns how many value cells hold each text.
func checkGeometry(t *testing.T, name string, p *tPDF, g *gen) map[string]int {
	t.Helper()
	const tol = 0.5
	for _, pg := range p.pages {
		for _, run := range pg.runs {
			for _, gl := range run.glyphs {
				if gl.x < 0 || gl.x > pg.w || gl.y < 0 || gl.y > pg.h {
					t.Fatalf("%s: glyph %q at (%.1f, %.1f), off the page", name, gl.r, gl.x, gl.y)
				}
			}
		}
	}
	values := map[string]int{}
	cells := 0
	for _, pl := range g.pdfPlaced {
		for _, fr := range pl.frags {
			var b strings.Builder
			for _, run := range p.pages[fr.page].runs {
				for _, gl := range run.glyphs {
					if gl.x > fr.x1-tol && gl.x < fr.x2+tol && gl.y > fr.y1-tol && gl.y < fr.y2+tol {
						b.WriteRune(gl.r)
					}
				}
			}
			if got := b.String(); got != fr.text {
				t.Errorf("%s: table %d: the cell at (%.1f,%.1f)-(%.1f,%.1f) on page %d holds %q, want %q", name, pl.no, fr.x1, fr.y1, fr.x2, fr.y2, fr.page+1, got, fr.text)
			}
			if fr.value {
				values[fr.text]++
			}
			cells++
			if !pl.ruled {
				continue
			}
			// A merged cell is one cell: no rule crosses its inside.
			pg := p.pages[fr.page]
			for _, sg := range pg.segs {
				at, a, b := sg.at, sg.a, sg.b
				var crosses bool
				if sg.horiz {
					crosses = at > fr.y1+1 && at < fr.y2-1 && max(a, fr.x1+1) < min(b, fr.x2-1)
				} else {
					crosses = at > fr.x1+1 && at < fr.x2-1 && max(a, fr.y1+1) < min(b, fr.y2-1)
				}
				if crosses {
					t.Errorf("%s: table %d: a rule (%v at %.1f, %.1f–%.1f) crosses the cell %q", name, pl.no, sg.horiz, at, a, b, fr.text)
				}
			}
		}
	}
	if cells < 100 {
		t.Errorf("%s: only %d table cells drawn", name, cells)
	}
	return values
}
