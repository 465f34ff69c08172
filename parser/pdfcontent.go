package parser

import (
	"fmt"
	"math"
	"unicode"

	"github.com/ledongthuc/pdf"
)

// The content interpreter runs a page's content stream far enough to know
// where every glyph lands and which straight lines are drawn: the text
// operators with the font metrics, the text and graphics matrices, and the
// path operators. Colours matter only to tell white (invisible) rules from
// drawn ones; images only to tell a scanned page. Everything is kept in
// "view" coordinates: points from the top-left corner of the page as it is
// shown (crop box applied, /Rotate applied), y growing downwards.

// pdfGlyph is one shown character.
type pdfGlyph struct {
	text           string
	x0, y0, x1, y1 float64
	dir            uint8 // dirLTR, dirTTB, dirBTT, dirRTL: the way the text advances on the page
	size           float64
}

const (
	dirLTR uint8 = iota
	dirTTB
	dirBTT
	dirRTL
)

func (g *pdfGlyph) cx() float64 { return (g.x0 + g.x1) / 2 }
func (g *pdfGlyph) cy() float64 { return (g.y0 + g.y1) / 2 }

// pdfSeg is a drawn straight rule: horizontal (y = at, x from lo to hi) or
// vertical (x = at, y from lo to hi).
type pdfSeg struct {
	at, lo, hi float64
}

// pdfPage is what one page shows.
type pdfPage struct {
	num          int // 1-based
	w, h         float64
	glyphs       []pdfGlyph
	hsegs, vsegs []pdfSeg
	imageArea    float64
	unmapped     map[string]int // font name → glyphs without Unicode
}

type mat [6]float64

var identity = mat{1, 0, 0, 1, 0, 0}

// mul returns a×b in PDF's row-vector convention (a applied first).
func (a mat) mul(b mat) mat {
	return mat{
		a[0]*b[0] + a[1]*b[2], a[0]*b[1] + a[1]*b[3],
		a[2]*b[0] + a[3]*b[2], a[2]*b[1] + a[3]*b[3],
		a[4]*b[0] + a[5]*b[2] + b[4], a[4]*b[1] + a[5]*b[3] + b[5],
	}
}

func (a mat) apply(x, y float64) (float64, float64) {
	return x*a[0] + y*a[2] + a[4], x*a[1] + y*a[3] + a[5]
}

type gstate struct {
	ctm                    mat
	lw                     float64
	strokeWhite, fillWhite bool
	font                   *pdfFont
	fs, tc, tw, th, tl, tr float64
	fontName               string
}

type pathPt struct{ x, y float64 }

type subpath struct {
	pts    []pathPt
	closed bool
	curved bool
}

// interp runs content streams of one page.
type interp struct {
	rd    *pdfDoc
	page  *pdfPage
	gs    gstate
	stack []gstate
	tm    mat
	tlm   mat
	path  []subpath
	ops   []pdfTok
	fonts map[string]*pdfFont
	depth int
	where string
}

// runPage interprets the content of page pg.
func (rd *pdfDoc) runPage(ref pageRef, num int) (*pdfPage, error) {
	x0, y0, x1, y1 := ref.box[0], ref.box[1], ref.box[2], ref.box[3]
	var view mat
	var w, h float64
	switch ref.rotate {
	case 90:
		view, w, h = mat{0, 1, 1, 0, -y0, -x0}, y1-y0, x1-x0
	case 180:
		view, w, h = mat{-1, 0, 0, 1, x1, -y0}, x1-x0, y1-y0
	case 270:
		view, w, h = mat{0, -1, -1, 0, y1, x1}, y1-y0, x1-x0
	default:
		view, w, h = mat{1, 0, 0, -1, -x0, y1}, x1-x0, y1-y0
	}
	pg := &pdfPage{num: num, w: w, h: h}
	in := &interp{rd: rd, page: pg, where: fmt.Sprintf("page %d", num)}
	in.gs = gstate{ctm: view, lw: 1, th: 1}
	content := ref.v.Key("Contents")
	var data []byte
	if content.Kind() == pdf.Array {
		for i := 0; i < content.Len(); i++ {
			b, err := rd.streamBytes(content.Index(i), in.where+" content stream")
			if err != nil {
				return nil, err
			}
			data = append(data, b...)
			data = append(data, '\n')
		}
	} else if content.Kind() == pdf.Stream {
		b, err := rd.streamBytes(content, in.where+" content stream")
		if err != nil {
			return nil, err
		}
		data = b
	}
	if err := in.run(data, ref.res); err != nil {
		return nil, err
	}
	// Drop what falls outside the shown page (the crop box).
	kept := pg.glyphs[:0]
	for _, g := range pg.glyphs {
		cx, cy := g.cx(), g.cy()
		if cx >= -1 && cy >= -1 && cx <= w+1 && cy <= h+1 {
			kept = append(kept, g)
		}
	}
	pg.glyphs = kept
	return pg, nil
}

func (in *interp) run(data []byte, res pdf.Value) error {
	savedFonts := in.fonts
	in.fonts = map[string]*pdfFont{}
	defer func() { in.fonts = savedFonts }()
	lx := &pdfLexer{b: data}
	in.ops = in.ops[:0]
	for {
		t := lx.next()
		if t.kind == tokEOF {
			return nil
		}
		if t.kind != tokKeyword {
			if len(in.ops) < 4096 {
				in.ops = append(in.ops, t)
			}
			continue
		}
		in.rd.ops++
		if in.rd.ops > in.rd.lim.MaxPDFOps {
			return fmt.Errorf("%s: %w: over %d content stream operators", in.where, ErrTooLarge, in.rd.lim.MaxPDFOps)
		}
		if in.rd.ops&1023 == 0 {
			if err := in.rd.ctx.Err(); err != nil {
				return fmt.Errorf("%w: %w", ErrCanceled, err)
			}
		}
		if t.s == "ID" {
			lx.skipInlineImage()
			in.ops = in.ops[:0]
			continue
		}
		if err := in.op(t.s, res); err != nil {
			return err
		}
		in.ops = in.ops[:0]
	}
}

// num returns operand i counted from the first, or 0.
func (in *interp) num(i int) float64 {
	if i < len(in.ops) && in.ops[i].kind == tokNum {
		return in.ops[i].num
	}
	return 0
}

func (in *interp) nums(n int) ([]float64, bool) {
	if len(in.ops) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i, t := range in.ops[len(in.ops)-n:] {
		if t.kind != tokNum {
			return nil, false
		}
		out[i] = t.num
	}
	return out, true
}

func (in *interp) lastName() string {
	if len(in.ops) > 0 && in.ops[len(in.ops)-1].kind == tokName {
		return in.ops[len(in.ops)-1].s
	}
	return ""
}

func (in *interp) lastString() (string, bool) {
	if len(in.ops) > 0 && in.ops[len(in.ops)-1].kind == tokString {
		return in.ops[len(in.ops)-1].s, true
	}
	return "", false
}

func isWhite(cs []float64, cmyk bool) bool {
	if len(cs) == 0 {
		return false
	}
	if cmyk {
		for _, c := range cs {
			if c > 0.05 {
				return false
			}
		}
		return true
	}
	for _, c := range cs {
		if c < 0.95 {
			return false
		}
	}
	return true
}

func (in *interp) colour() []float64 {
	var cs []float64
	for _, t := range in.ops {
		if t.kind == tokNum {
			cs = append(cs, t.num)
		}
	}
	return cs
}

func (in *interp) op(op string, res pdf.Value) error {
	gs := &in.gs
	switch op {
	case "q":
		if len(in.stack) < 256 {
			in.stack = append(in.stack, in.gs)
		}
	case "Q":
		if n := len(in.stack); n > 0 {
			in.gs = in.stack[n-1]
			in.stack = in.stack[:n-1]
		}
	case "cm":
		if m, ok := in.nums(6); ok {
			gs.ctm = mat{m[0], m[1], m[2], m[3], m[4], m[5]}.mul(gs.ctm)
		}
	case "w":
		if m, ok := in.nums(1); ok {
			gs.lw = m[0]
		}
	case "g", "rg":
		gs.fillWhite = isWhite(in.colour(), false)
	case "G", "RG":
		gs.strokeWhite = isWhite(in.colour(), false)
	case "k":
		gs.fillWhite = isWhite(in.colour(), true)
	case "K":
		gs.strokeWhite = isWhite(in.colour(), true)
	case "sc", "scn":
		c := in.colour()
		gs.fillWhite = isWhite(c, len(c) == 4) && in.lastName() == ""
	case "SC", "SCN":
		c := in.colour()
		gs.strokeWhite = isWhite(c, len(c) == 4) && in.lastName() == ""
	case "cs":
		gs.fillWhite = false
	case "CS":
		gs.strokeWhite = false

	// Paths.
	case "m":
		if m, ok := in.nums(2); ok {
			x, y := gs.ctm.apply(m[0], m[1])
			in.path = append(in.path, subpath{pts: []pathPt{{x, y}}})
		}
	case "l":
		if m, ok := in.nums(2); ok {
			in.lineTo(m[0], m[1], false)
		}
	case "c":
		if m, ok := in.nums(6); ok {
			in.lineTo(m[4], m[5], true)
		}
	case "v", "y":
		if m, ok := in.nums(4); ok {
			in.lineTo(m[2], m[3], true)
		}
	case "h":
		if n := len(in.path); n > 0 {
			in.path[n-1].closed = true
		}
	case "re":
		if m, ok := in.nums(4); ok {
			x, y, w, h := m[0], m[1], m[2], m[3]
			var pts []pathPt
			for _, p := range [][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}} {
				px, py := gs.ctm.apply(p[0], p[1])
				pts = append(pts, pathPt{px, py})
			}
			in.path = append(in.path, subpath{pts: pts, closed: true})
		}
	case "S", "s":
		if op == "s" && len(in.path) > 0 {
			in.path[len(in.path)-1].closed = true
		}
		in.stroke()
		in.path = in.path[:0]
	case "f", "F", "f*":
		in.fill()
		in.path = in.path[:0]
	case "B", "B*", "b", "b*":
		if (op == "b" || op == "b*") && len(in.path) > 0 {
			in.path[len(in.path)-1].closed = true
		}
		in.stroke()
		in.fill()
		in.path = in.path[:0]
	case "n":
		in.path = in.path[:0]

	// Text.
	case "BT":
		in.tm, in.tlm = identity, identity
	case "ET":
	case "Tc":
		gs.tc = in.num(0)
	case "Tw":
		gs.tw = in.num(0)
	case "Tz":
		gs.th = in.num(0) / 100
	case "TL":
		gs.tl = in.num(0)
	case "Ts":
		gs.tr = in.num(0)
	case "Tf":
		if len(in.ops) >= 2 {
			name := in.ops[len(in.ops)-2].s
			gs.fs = in.ops[len(in.ops)-1].num
			gs.font = in.font(name, res)
			gs.fontName = name
		}
	case "Td":
		if m, ok := in.nums(2); ok {
			in.tlm = mat{1, 0, 0, 1, m[0], m[1]}.mul(in.tlm)
			in.tm = in.tlm
		}
	case "TD":
		if m, ok := in.nums(2); ok {
			gs.tl = -m[1]
			in.tlm = mat{1, 0, 0, 1, m[0], m[1]}.mul(in.tlm)
			in.tm = in.tlm
		}
	case "Tm":
		if m, ok := in.nums(6); ok {
			in.tlm = mat{m[0], m[1], m[2], m[3], m[4], m[5]}
			in.tm = in.tlm
		}
	case "T*":
		in.nextLine()
	case "Tj":
		if s, ok := in.lastString(); ok {
			return in.show(s)
		}
	case "'":
		in.nextLine()
		if s, ok := in.lastString(); ok {
			return in.show(s)
		}
	case "\"":
		if len(in.ops) >= 3 {
			gs.tw = in.ops[len(in.ops)-3].num
			gs.tc = in.ops[len(in.ops)-2].num
		}
		in.nextLine()
		if s, ok := in.lastString(); ok {
			return in.show(s)
		}
	case "TJ":
		if len(in.ops) == 0 || in.ops[len(in.ops)-1].kind != tokArray {
			return nil
		}
		for _, e := range in.ops[len(in.ops)-1].arr {
			switch e.kind {
			case tokString:
				if err := in.show(e.s); err != nil {
					return err
				}
			case tokNum:
				adj := -e.num / 1000 * gs.fs
				if gs.font != nil && gs.font.vertical {
					in.tm = mat{1, 0, 0, 1, 0, adj}.mul(in.tm)
				} else {
					in.tm = mat{1, 0, 0, 1, adj * gs.th, 0}.mul(in.tm)
				}
			}
		}

	case "Do":
		return in.do(in.lastName(), res)
	}
	return nil
}

func (in *interp) lineTo(x, y float64, curved bool) {
	px, py := in.gs.ctm.apply(x, y)
	if len(in.path) == 0 {
		in.path = append(in.path, subpath{})
	}
	sp := &in.path[len(in.path)-1]
	sp.pts = append(sp.pts, pathPt{px, py})
	if curved {
		sp.curved = true
	}
}

func (in *interp) nextLine() {
	in.tlm = mat{1, 0, 0, 1, 0, -in.gs.tl}.mul(in.tlm)
	in.tm = in.tlm
}

// axisTol is how far from horizontal or vertical (in points) a drawn
// segment may be and still count as a rule.
const axisTol = 0.6

func (in *interp) addSeg(a, b pathPt) {
	dx, dy := math.Abs(a.x-b.x), math.Abs(a.y-b.y)
	switch {
	case dy <= axisTol && dx > axisTol:
		in.page.hsegs = append(in.page.hsegs, pdfSeg{(a.y + b.y) / 2, math.Min(a.x, b.x), math.Max(a.x, b.x)})
	case dx <= axisTol && dy > axisTol:
		in.page.vsegs = append(in.page.vsegs, pdfSeg{(a.x + b.x) / 2, math.Min(a.y, b.y), math.Max(a.y, b.y)})
	}
}

func (in *interp) stroke() {
	if in.gs.strokeWhite {
		return
	}
	for _, sp := range in.path {
		if sp.curved {
			continue
		}
		for i := 1; i < len(sp.pts); i++ {
			in.addSeg(sp.pts[i-1], sp.pts[i])
		}
		if sp.closed && len(sp.pts) > 2 {
			in.addSeg(sp.pts[len(sp.pts)-1], sp.pts[0])
		}
	}
}

// thinRule is the largest thickness (points) of a filled box that is a
// rule rather than a shaded area.
const thinRule = 3.0

func (in *interp) fill() {
	if in.gs.fillWhite {
		return
	}
	for _, sp := range in.path {
		pts := sp.pts
		if len(pts) == 5 && pts[4] == pts[0] {
			pts = pts[:4]
		}
		if sp.curved || len(pts) != 4 {
			continue
		}
		x0, y0, x1, y1 := pts[0].x, pts[0].y, pts[0].x, pts[0].y
		for _, p := range pts[1:] {
			x0, y0 = math.Min(x0, p.x), math.Min(y0, p.y)
			x1, y1 = math.Max(x1, p.x), math.Max(y1, p.y)
		}
		// Axis-aligned: every corner on the bounding box.
		aligned := true
		for _, p := range pts {
			onX := math.Abs(p.x-x0) < axisTol || math.Abs(p.x-x1) < axisTol
			onY := math.Abs(p.y-y0) < axisTol || math.Abs(p.y-y1) < axisTol
			if !onX || !onY {
				aligned = false
			}
		}
		if !aligned {
			continue
		}
		w, h := x1-x0, y1-y0
		switch {
		case h <= thinRule && w > h:
			in.page.hsegs = append(in.page.hsegs, pdfSeg{(y0 + y1) / 2, x0, x1})
		case w <= thinRule && h > w:
			in.page.vsegs = append(in.page.vsegs, pdfSeg{(x0 + x1) / 2, y0, y1})
		}
	}
}

// font returns the font resource name of res, read once per page.
func (in *interp) font(name string, res pdf.Value) *pdfFont {
	if f, ok := in.fonts[name]; ok {
		return f
	}
	v := res.Key("Font").Key(name)
	var f *pdfFont
	if v.Kind() == pdf.Dict {
		f = in.rd.font(v)
	}
	in.fonts[name] = f
	return f
}

func (in *interp) show(s string) error {
	gs := &in.gs
	f := gs.font
	if f == nil {
		return nil
	}
	for len(s) > 0 {
		code, n := f.nextCode(s)
		raw := s[:n]
		s = s[n:]
		w0 := f.width(code)
		text, ok := f.text(code, raw)
		isSpace := n == 1 && code == 32
		if f.vertical {
			trm := mat{gs.fs, 0, 0, gs.fs, 0, gs.tr}.mul(in.tm).mul(gs.ctm)
			in.emit(trm, -w0/2, -1, w0/2, 0, 0, -1, text, ok, f)
			ty := f.w1y*gs.fs + gs.tc
			if isSpace {
				ty += gs.tw
			}
			in.tm = mat{1, 0, 0, 1, 0, ty}.mul(in.tm)
		} else {
			trm := mat{gs.fs * gs.th, 0, 0, gs.fs, 0, gs.tr}.mul(in.tm).mul(gs.ctm)
			in.emit(trm, 0, -0.2, w0, 0.8, 1, 0, text, ok, f)
			tx := w0*gs.fs + gs.tc
			if isSpace {
				tx += gs.tw
			}
			in.tm = mat{1, 0, 0, 1, tx * gs.th, 0}.mul(in.tm)
		}
	}
	if len(in.page.glyphs) > in.rd.lim.MaxPDFGlyphs || in.rd.glyphs+len(in.page.glyphs) > in.rd.lim.MaxPDFGlyphs {
		return fmt.Errorf("%s: %w: over %d glyphs", in.where, ErrTooLarge, in.rd.lim.MaxPDFGlyphs)
	}
	return nil
}

// emit records one glyph whose box in glyph space is (bx0,by0)-(bx1,by1)
// and whose advance is (ax, ay), both mapped by trm.
func (in *interp) emit(trm mat, bx0, by0, bx1, by1, ax, ay float64, text string, ok bool, f *pdfFont) {
	if !ok {
		if in.page.unmapped == nil {
			in.page.unmapped = map[string]int{}
		}
		in.page.unmapped[f.name]++
		return
	}
	allSpace := true
	for _, r := range text {
		if !unicode.IsSpace(r) {
			allSpace = false
		}
	}
	if allSpace {
		return
	}
	g := pdfGlyph{text: text}
	g.x0, g.y0 = math.Inf(1), math.Inf(1)
	g.x1, g.y1 = math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{bx0, by0}, {bx1, by0}, {bx0, by1}, {bx1, by1}} {
		x, y := trm.apply(p[0], p[1])
		g.x0, g.y0 = math.Min(g.x0, x), math.Min(g.y0, y)
		g.x1, g.y1 = math.Max(g.x1, x), math.Max(g.y1, y)
	}
	dx := ax*trm[0] + ay*trm[2]
	dy := ax*trm[1] + ay*trm[3]
	switch {
	case math.Abs(dx) >= math.Abs(dy) && dx >= 0:
		g.dir = dirLTR
	case math.Abs(dx) >= math.Abs(dy):
		g.dir = dirRTL
	case dy > 0:
		g.dir = dirTTB
	default:
		g.dir = dirBTT
	}
	// The size on the page: the length of the glyph's em "up" vector.
	ux, uy := -ay*trm[0]+ax*trm[2], -ay*trm[1]+ax*trm[3]
	g.size = math.Hypot(ux, uy)
	if f.vertical {
		g.size = math.Hypot(trm[0], trm[1])
	}
	if math.IsNaN(g.x0+g.y0+g.x1+g.y1) || math.IsInf(g.x0+g.y0+g.x1+g.y1, 0) {
		return
	}
	in.page.glyphs = append(in.page.glyphs, g)
}

// do runs a form XObject, or notes the area an image covers.
func (in *interp) do(name string, res pdf.Value) error {
	x := res.Key("XObject").Key(name)
	if x.Kind() != pdf.Stream {
		return nil
	}
	switch x.Key("Subtype").Name() {
	case "Image":
		var xs, ys []float64
		for _, p := range [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
			px, py := in.gs.ctm.apply(p[0], p[1])
			xs = append(xs, math.Max(0, math.Min(px, in.page.w)))
			ys = append(ys, math.Max(0, math.Min(py, in.page.h)))
		}
		w := math.Max(math.Max(xs[0], xs[1]), math.Max(xs[2], xs[3])) - math.Min(math.Min(xs[0], xs[1]), math.Min(xs[2], xs[3]))
		h := math.Max(math.Max(ys[0], ys[1]), math.Max(ys[2], ys[3])) - math.Min(math.Min(ys[0], ys[1]), math.Min(ys[2], ys[3]))
		in.page.imageArea += w * h
	case "Form":
		if in.depth >= 12 {
			return nil
		}
		data, err := in.rd.streamBytes(x, in.where+" form "+name)
		if err != nil {
			return err
		}
		saved, savedStack, savedOps, savedPath := in.gs, in.stack, in.ops, in.path
		savedTm, savedTlm := in.tm, in.tlm
		if m := x.Key("Matrix"); m.Len() == 6 {
			var fm mat
			for i := range fm {
				fm[i] = m.Index(i).Float64()
			}
			in.gs.ctm = fm.mul(in.gs.ctm)
		}
		fres := x.Key("Resources")
		if fres.Kind() != pdf.Dict {
			fres = res
		}
		in.depth++
		in.stack, in.ops, in.path = nil, nil, nil
		err = in.run(data, fres)
		in.depth--
		in.gs, in.stack, in.ops, in.path = saved, savedStack, savedOps, savedPath
		in.tm, in.tlm = savedTm, savedTlm
		return err
	}
	return nil
}
