package synth

import (
	"math"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The PDF rendering of a report, laid out on A4 pages the way Word and WPS
// export them: text lines placed glyph by glyph, tables drawn as ruling
// lines (stroked segments, or thin filled boxes) around cells whose
// merged sides are simply not drawn, tables running on over page breaks
// with the same column edges and no repeated header, page numbers in the
// footer.

// DefaultPDFPages is the page count Corpus aims PDFs at (PadTo of a PDF
// is a number of pages); each report lands between 5 and 8 pages.
const DefaultPDFPages = 7

// maxPDFPages bounds a PDF's PadTo, so that a byte size passed by mistake
// is refused rather than written out as pages.
const maxPDFPages = 100

// pdfStyle is how the program that exported the PDF lays it out.
type pdfStyle struct {
	wps          bool // flipped page matrix, 1/20 text matrices, one Tj per glyph, a clip box per cell
	pageW, pageH float64
	top, bottom  float64 // margins
	left, right  float64
	body, lead   float64 // body text size and line pitch
	cell, cLead  float64 // table text size and line pitch
	title        float64
	justify      bool
	header       string // running header text, "" for none
	headerRule   bool   // a rule under the header
	footer       string // page number format, %d the page number
	footerSize   float64
	perCellRules bool // each cell side its own segment, else one line per run of drawn sides
	bodyFont     string
	headFont     string
	titleFont    string
	cellFont     string

	boxRules   map[*table]bool // tables ruled with thin filled rectangles
	noRules    *table          // the table printed without ruling lines
	vertical   int             // 0 labels horizontal, 1 one glyph per line, 2 an Identity-V font
	vertGroups bool            // table 3's group labels vertical too
	landscape  map[*table]bool // tables on landscape pages
	rotate     bool            // landscape pages as portrait media turned by /Rotate 90, else a landscape media box
}

var fontFamilies = map[string]string{
	"仿宋_GB2312": "FangSong_GB2312", "仿宋": "FangSong", "方正仿宋_GBK": "FZFangSong-Z02", "宋体": "SimSun",
	"黑体": "SimHei", "方正黑体_GBK": "FZHei-B01", "方正小标宋简体": "FZXiaoBiaoSong-B05S", "方正小标宋_GBK": "FZXiaoBiaoSong-B05",
}

func (g *gen) pickPDFStyle() pdfStyle {
	r := g.r
	s := pdfStyle{wps: g.style.wps, pageW: 595.28, pageH: 841.89, top: 104.9, bottom: 99.2, left: 79.4, right: 73.7}
	if s.wps {
		s.pageW, s.pageH = 595, 842
	}
	switch r.Intn(3) {
	case 0:
		s.body, s.lead = 16, 28
	case 1:
		s.body, s.lead = 14, 25
	default:
		s.body, s.lead = 12, 21
	}
	s.cell = []float64{9, 10, 10.5}[r.Intn(3)]
	s.cLead = s.cell * 1.3
	s.title = []float64{18, 20, 22}[r.Intn(3)]
	s.justify = r.Intn(3) != 0
	switch r.Intn(4) {
	case 0:
		s.header, s.headerRule = g.agency, r.Intn(2) == 0
	case 1:
		s.header, s.headerRule = g.title, true
	}
	s.footer = []string{"- %d -", "- %d -", "— %d —", "%d"}[r.Intn(4)]
	s.footerSize = []float64{10.5, 12, 14}[r.Intn(3)]
	s.perCellRules = s.wps || r.Intn(3) == 0
	s.bodyFont = g.style.font
	s.headFont = []string{"黑体", "方正黑体_GBK", s.bodyFont}[r.Intn(3)]
	s.titleFont = []string{"方正小标宋简体", "方正小标宋_GBK", "宋体"}[r.Intn(3)]
	s.cellFont = "宋体"
	s.boxRules = map[*table]bool{}
	var tables []*table
	for _, b := range g.blocks {
		if b.kind == bTable {
			tables = append(tables, b.tbl)
		}
	}
	if g.m.BoxRules {
		// Some tables boxed, table 3 always, so every boxed report has
		// a table split over pages drawn that way.
		for _, t := range tables {
			if t.no == 3 || r.Intn(2) == 0 {
				s.boxRules[t] = true
			}
		}
	}
	if g.m.NoRules {
		want := []int{2, 4}[r.Intn(2)]
		for _, t := range tables {
			if t.no == want {
				s.noRules = t
			}
		}
	}
	if g.m.VerticalLabels {
		s.vertical = 1 + r.Intn(2)
		s.vertGroups = r.Intn(2) == 0
	}
	s.landscape = map[*table]bool{}
	if g.m.Landscape {
		for _, t := range tables {
			if t.no == 3 {
				s.landscape[t] = true
			}
		}
		s.rotate = r.Intn(2) == 0
	}
	return s
}

// textWidth is the width in points of s at size.
func textWidth(s string, size float64) float64 {
	w := 0
	for _, c := range s {
		w += glyphWidth(c)
	}
	return float64(w) * size / 1000
}

// Characters that may not begin a line, and that may not end one.
const (
	noLineStart = "，。、；：？！）》」』”’〕】％,.;:?!)]%"
	noLineEnd   = "（《「『“‘〔【([“"
)

// wrapText breaks s into lines no wider than width (the first line no
// wider than first), at any character but inside a run of ASCII,
// letting closing punctuation hang and keeping opening punctuation with
// what follows. "\n" forces a break.
func wrapText(s string, width, first, size float64) []string {
	return wrapLines(s, width, first, size, true)
}

// wrapCell wraps a cell's text: closing punctuation never hangs past the
// cell's side; the character before it goes down with it instead.
func wrapCell(s string, width, size float64) []string {
	return wrapLines(s, width, width, size, false)
}

func wrapLines(s string, width, first, size float64, hang bool) []string {
	var out []string
	for pi, para := range strings.Split(s, "\n") {
		avail := width
		if pi == 0 {
			avail = first
		}
		// Tokens: one CJK character, or a run of ASCII other than space.
		var toks []string
		for i := 0; i < len(para); {
			c, n := utf8.DecodeRuneInString(para[i:])
			j := i + n
			if c < 0x80 && c != ' ' {
				for j < len(para) && para[j] < 0x80 && para[j] != ' ' {
					j++
				}
			}
			toks = append(toks, para[i:j])
			i = j
		}
		var line strings.Builder
		w := 0.0
		flush := func() {
			out = append(out, line.String())
			line.Reset()
			w = 0
			avail = width
		}
		for _, tok := range toks {
			tw := textWidth(tok, size)
			if w > 0 && w+tw > avail+0.01 {
				first, _ := utf8.DecodeRuneInString(tok)
				switch {
				case hang && strings.ContainsRune(noLineStart, first) && utf8.RuneCountInString(tok) == 1:
					// hangs in the margin
				default:
					cur := line.String()
					last, n := utf8.DecodeLastRuneInString(cur)
					carry := ""
					closing := strings.ContainsRune(noLineStart, first) && utf8.RuneCountInString(tok) == 1
					if (closing && last >= 0x80 || strings.ContainsRune(noLineEnd, last)) && n < len(cur) {
						carry = string(last)
						line.Reset()
						line.WriteString(cur[:len(cur)-n])
					}
					flush()
					line.WriteString(carry)
					w = textWidth(carry, size)
				}
			}
			if tw > avail && w == 0 && len(tok) > 1 {
				// An ASCII run wider than the line: cut it anywhere.
				for _, c := range tok {
					cw := textWidth(string(c), size)
					if w > 0 && w+cw > avail+0.01 {
						flush()
					}
					line.WriteRune(c)
					w += cw
				}
				continue
			}
			line.WriteString(tok)
			w += tw
		}
		out = append(out, line.String())
	}
	return out
}

// pdfLayout places a report's blocks on pages.
type pdfLayout struct {
	g     *gen
	st    *pdfStyle
	f     *pdfFile
	pages []*pdfPage
	cur   *pdfPage
	y     float64 // distance of the next line's top from the page top
	fresh bool    // nothing drawn on the current page yet
	// pw, ph are the current page's size as seen: swapped in a landscape
	// section (land).
	pw, ph float64
	land   bool
	// placed records where each table went, for tests.
	placed []pdfPlaced
}

// pdfPlaced is where a table was drawn: its number, the page of each row
// (0-based) and its column edges.
type pdfPlaced struct {
	no      int
	rowPage []int
	rowTop  []float64
	rowH    []float64
	colX    []float64
	ruled   bool
	boxed   bool
	frags   []pdfFrag
}

// pdfFrag is the text of a cell as drawn on one page, and the cell's
// rectangle there (points from the top-left corner).
type pdfFrag struct {
	page           int
	x1, y1, x2, y2 float64
	text           string
	value          bool
}

func (l *pdfLayout) font(name string) *pdfFont {
	fam := fontFamilies[name]
	if fam == "" {
		fam = name
	}
	return l.f.font(name, fam, false)
}

func (l *pdfLayout) newPage() {
	st := l.st
	p := &pdfPage{f: l.f, w: l.pw, h: l.ph, flip: st.wps, rotate: l.land && st.rotate}
	l.pages = append(l.pages, p)
	l.cur = p
	l.y = st.top
	l.fresh = true
	n := len(l.pages)
	if st.header != "" {
		size := 9.0
		x := (l.pw - textWidth(st.header, size)) / 2
		p.op("0 0 0 rg\n")
		p.textObject([]glyphRun{{ft: l.font("宋体"), size: size, x: x, y: st.top - 40, text: st.header}}, st.wps)
		if st.headerRule {
			p.op("0.5 w 0 0 0 RG\n")
			p.line(st.left, st.top-35, l.pw-st.right, st.top-35)
		}
	}
	num := strings.Replace(st.footer, "%d", strconv.Itoa(n), 1)
	x := (l.pw - textWidth(num, st.footerSize)) / 2
	if st.footer == "%d" {
		if n%2 == 1 {
			x = l.pw - st.right - textWidth(num, st.footerSize)
		} else {
			x = st.left
		}
	}
	p.op("0 0 0 rg\n")
	p.textObject([]glyphRun{{ft: l.font(st.bodyFont), size: st.footerSize, x: x, y: l.ph - st.bottom + 45, text: num}}, st.wps)
}

// room makes sure h points fit below the cursor, starting a page if not.
func (l *pdfLayout) room(h float64) {
	if l.cur == nil || (!l.fresh && l.y+h > l.ph-l.st.bottom) {
		l.newPage()
	}
}

// lines writes wrapped text: align 0 justified/left, 1 centred, 2 right.
func (l *pdfLayout) lines(ft *pdfFont, size, lead float64, text string, indent float64, align int, justify bool) {
	st := l.st
	width := l.pw - st.left - st.right
	ls := wrapText(text, width, width-indent, size)
	for i, s := range ls {
		l.room(lead)
		x := st.left
		avail := width
		if i == 0 {
			x += indent
			avail -= indent
		}
		nat := textWidth(s, size)
		switch align {
		case 1:
			x = (l.pw - nat) / 2
		case 2:
			x = l.pw - st.right - nat - 2*size
		}
		sp := 0.0
		if justify && i < len(ls)-1 {
			if n := utf8.RuneCountInString(s); n > 1 && avail > nat {
				sp = (avail - nat) / float64(n-1)
				if sp > size/2 {
					sp = 0
				}
			}
		}
		base := l.y + (lead+size*0.7)/2
		if s != "" {
			l.cur.op("0 0 0 rg\n")
			l.cur.textObject([]glyphRun{{ft: ft, size: size, x: x, y: base, text: s, spacing: sp}}, st.wps)
		}
		l.y += lead
		l.fresh = false
	}
}

func (l *pdfLayout) block(b block) {
	st := l.st
	// Table 3 may sit in a landscape section of its own, as Word does it
	// with section breaks; page breaks inside the section stay landscape.
	land := l.land && b.kind == bPageBreak || b.kind == bTable && st.landscape[b.tbl]
	if land != l.land {
		l.turn()
		if l.cur != nil && l.fresh {
			l.pages = l.pages[:len(l.pages)-1] // an empty page turns, not a new one
		}
		l.newPage()
	}
	switch b.kind {
	case bTitle:
		l.room(st.title * 1.6)
		l.lines(l.font(st.titleFont), st.title, st.title*1.6, b.text, 0, 1, false)
	case bHeading:
		l.lines(l.font(st.headFont), st.body, st.lead, b.text, 2*st.body, 0, false)
	case bPara:
		l.lines(l.font(st.bodyFont), st.body, st.lead, b.text, 2*st.body, 0, st.justify)
	case bBlank:
		l.room(st.lead)
		l.y += st.lead
	case bSignature:
		l.lines(l.font(st.bodyFont), st.body, st.lead, b.text, 0, 2, false)
	case bPageBreak:
		if !l.fresh {
			l.newPage()
		}
	case bTable:
		l.table(b.tbl)
	}
}

// turn switches between portrait and landscape pages; the margins turn
// with the page, as Word turns them for a landscape section.
func (l *pdfLayout) turn() {
	st := l.st
	l.land = !l.land
	l.pw, l.ph = l.ph, l.pw
	st.top, st.left = st.left, st.top
	st.bottom, st.right = st.right, st.bottom
}

// tcell is a cell of a laid-out table.
type tcell struct {
	c          *cell
	row, col   int
	rows, cols int
	lines      []string // wrapped lines, or single glyphs when vertical
	vertical   bool
	left       bool // left-aligned
}

const (
	cellPadH = 2.85
	cellPadV = 2
	minRowH  = 17
)

func (l *pdfLayout) table(t *table) {
	st := l.st
	total := 0.0
	for _, w := range t.grid {
		total += float64(w) / 20
	}
	width := math.Min(total, l.pw-100)
	scale := width / total
	colX := make([]float64, len(t.grid)+1)
	colX[0] = (l.pw - width) / 2
	for i, w := range t.grid {
		colX[i+1] = colX[i] + float64(w)/20*scale
	}
	spans := rowspans(t)
	var cells []*tcell
	for ri, row := range t.rows {
		col := 0
		for _, c := range row {
			start := col
			col += c.span
			if c.vm == vmContinue {
				continue
			}
			end := min(start+c.span, len(t.grid))
			if start >= end {
				continue
			}
			tc := &tcell{c: c, row: ri, col: start, rows: max(spans[c], 1), cols: end - start}
			text := strings.Join(c.paras, "\n")
			tc.left = t.no == 3 && c.head && start == 2 && c.span == 1 && c.vm == vmNone
			if st.vertical > 0 && t.no == 3 && c.vm == vmRestart && tc.rows > 1 && c.span == 1 && (start == 0 || start == 1 && st.vertGroups) {
				flat := strings.ReplaceAll(text, "\n", "")
				ascii := false
				for _, ch := range flat {
					ascii = ascii || ch < 0x80
				}
				if !ascii && flat != "" {
					tc.vertical = true
					for _, ch := range flat {
						tc.lines = append(tc.lines, string(ch))
					}
				}
			}
			if !tc.vertical && text != "" {
				w := colX[end] - colX[start] - 2*cellPadH
				tc.lines = wrapCell(text, w, st.cell)
			}
			cells = append(cells, tc)
		}
	}
	glyphLead := st.cLead
	if st.vertical == 2 {
		glyphLead = st.cell
	}
	leadOf := func(tc *tcell) float64 {
		if tc.vertical {
			return glyphLead
		}
		return st.cLead
	}
	need := func(tc *tcell) float64 { return float64(len(tc.lines))*leadOf(tc) + 2*cellPadV }
	rowH := make([]float64, len(t.rows))
	for i := range rowH {
		rowH[i] = minRowH
	}
	for _, tc := range cells {
		if tc.rows == 1 {
			rowH[tc.row] = math.Max(rowH[tc.row], need(tc))
		}
	}
	for _, tc := range cells {
		if tc.rows > 1 {
			sum := 0.0
			for i := tc.row; i < tc.row+tc.rows && i < len(rowH); i++ {
				sum += rowH[i]
			}
			if d := need(tc) - sum; d > 0 {
				for i := tc.row; i < tc.row+tc.rows && i < len(rowH); i++ {
					rowH[i] += d / float64(tc.rows)
				}
			}
		}
	}
	allHead := func(i int) bool {
		for _, c := range t.rows[i] {
			if !c.head {
				return false
			}
		}
		return true
	}

	// Place the rows: a row never breaks, a header row stays with the
	// row after it, and a page break inside the table repeats nothing.
	rowTop := make([]float64, len(t.rows))
	rowPage := make([]int, len(t.rows))
	l.room(rowH[0])
	limit := l.ph - st.bottom
	headEnd := 0 // the table's header rows, kept with the first body row
	for headEnd < len(t.rows)-1 && allHead(headEnd) {
		headEnd++
	}
	for i := range t.rows {
		h := rowH[i]
		switch {
		case i == 0:
			for k := 1; k <= headEnd; k++ {
				h += rowH[k]
			}
		case allHead(i) && i+1 < len(t.rows):
			h += rowH[i+1]
		}
		if !l.fresh && l.y+h > limit {
			l.newPage()
		}
		rowTop[i] = l.y
		rowPage[i] = len(l.pages) - 1
		l.y += rowH[i]
		l.fresh = false
	}
	l.y += st.lead / 2

	type seg struct{ a, b float64 }
	type pageRules struct {
		h, v map[float64][]seg // y → x spans, x → y spans
	}
	rules := map[int]*pageRules{}
	addSeg := func(page int, horiz bool, at, a, b float64) {
		pr := rules[page]
		if pr == nil {
			pr = &pageRules{h: map[float64][]seg{}, v: map[float64][]seg{}}
			rules[page] = pr
		}
		at = math.Round(at*100) / 100
		if horiz {
			pr.h[at] = append(pr.h[at], seg{a, b})
		} else {
			pr.v[at] = append(pr.v[at], seg{a, b})
		}
	}
	ruled := st.noRules != t
	l.placed = append(l.placed, pdfPlaced{no: t.no, rowPage: rowPage, rowTop: rowTop, rowH: rowH, colX: colX, ruled: ruled, boxed: ruled && st.boxRules[t]})
	ft := l.font(st.cellFont)
	var vft *pdfFont
	if st.vertical == 2 {
		vft = l.f.font(st.cellFont, fontFamilies[st.cellFont], true)
	}
	for _, tc := range cells {
		x1, x2 := colX[tc.col], colX[tc.col+tc.cols]
		// The cell's pieces, one per page it crosses.
		type frag struct {
			page     int
			top, bot float64
		}
		var frags []frag
		last := min(tc.row+tc.rows, len(t.rows)) - 1
		for i := tc.row; i <= last; i++ {
			if len(frags) == 0 || frags[len(frags)-1].page != rowPage[i] {
				frags = append(frags, frag{page: rowPage[i], top: rowTop[i]})
			}
			frags[len(frags)-1].bot = rowTop[i] + rowH[i]
		}
		// Lines flow from piece to piece, as many as fit in each.
		rest := tc.lines
		for fi, fr := range frags {
			p := l.pages[fr.page]
			if ruled {
				addSeg(fr.page, true, fr.top, x1, x2)
				addSeg(fr.page, true, fr.bot, x1, x2)
				addSeg(fr.page, false, x1, fr.top, fr.bot)
				addSeg(fr.page, false, x2, fr.top, fr.bot)
				if tc.c.shade {
					p.op("0.776 0.851 0.945 rg\n")
					p.rect(x1, fr.top, x2-x1, fr.bot-fr.top)
				}
			}
			lead := leadOf(tc)
			n := len(rest)
			if fi < len(frags)-1 {
				n = min(n, int((fr.bot-fr.top-2*cellPadV)/lead))
			}
			mine := rest[:n]
			rest = rest[n:]
			if len(mine) == 0 {
				continue
			}
			start := fr.top + (fr.bot-fr.top-float64(len(mine))*lead)/2
			var runs []glyphRun
			switch {
			case tc.vertical && vft != nil:
				runs = append(runs, glyphRun{ft: vft, size: st.cell, x: (x1 + x2) / 2, y: start, text: strings.Join(mine, "")})
			default:
				for i, s := range mine {
					if s == "" {
						continue
					}
					w := textWidth(s, st.cell)
					x := x1 + (x2-x1-w)/2
					if tc.left {
						x = x1 + cellPadH
					}
					runs = append(runs, glyphRun{ft: ft, size: st.cell, x: x, y: start + float64(i)*lead + (lead+st.cell*0.7)/2, text: s})
				}
			}
			if len(runs) == 0 {
				continue
			}
			pl := &l.placed[len(l.placed)-1]
			pl.frags = append(pl.frags, pdfFrag{page: fr.page, x1: x1, y1: fr.top, x2: x2, y2: fr.bot, text: strings.Join(mine, ""), value: tc.c.num})
			if st.wps && ruled {
				p.clip(x1, fr.top, x2-x1, fr.bot-fr.top)
			}
			p.op("0 0 0 rg\n")
			if st.wps {
				p.textObject(runs, true)
			} else {
				// Word writes a text object per line.
				for _, run := range runs {
					p.textObject([]glyphRun{run}, false)
				}
			}
			if st.wps && ruled {
				p.op("Q\n")
			}
		}
	}
	if !ruled {
		return
	}
	boxed := st.boxRules[t]
	pages := make([]int, 0, len(rules))
	for p := range rules {
		pages = append(pages, p)
	}
	sort.Ints(pages)
	const lw = 0.5
	for _, pn := range pages {
		pr := rules[pn]
		p := l.pages[pn]
		if boxed {
			p.op("0 0 0 rg\n")
		} else {
			p.op("0 0 0 RG " + string(num(nil, lw)) + " w\n")
		}
		emit := func(horiz bool, at float64, s seg) {
			switch {
			case boxed && horiz:
				p.rect(s.a-lw/2, at-lw/2, s.b-s.a+lw, lw)
			case boxed:
				p.rect(at-lw/2, s.a-lw/2, lw, s.b-s.a+lw)
			case horiz:
				p.line(s.a, at, s.b, at)
			default:
				p.line(at, s.a, at, s.b)
			}
		}
		for _, horiz := range []bool{true, false} {
			m := pr.h
			if !horiz {
				m = pr.v
			}
			keys := make([]float64, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Float64s(keys)
			for _, k := range keys {
				segs := m[k]
				if st.perCellRules {
					// Each cell's side on its own, shared sides once.
					seen := map[seg]bool{}
					for _, s := range segs {
						if !seen[s] {
							seen[s] = true
							emit(horiz, k, s)
						}
					}
					continue
				}
				sort.Slice(segs, func(i, j int) bool { return segs[i].a < segs[j].a })
				cur := segs[0]
				for _, s := range segs[1:] {
					if s.a <= cur.b+0.01 {
						cur.b = math.Max(cur.b, s.b)
						continue
					}
					emit(horiz, k, cur)
					cur = s
				}
				emit(horiz, k, cur)
			}
		}
	}
}

// renderPDF lays the blocks out on pages of a new file.
func (g *gen) renderPDF(st *pdfStyle, blocks []block) *pdfLayout {
	l := &pdfLayout{g: g, st: st, f: &pdfFile{}, pw: st.pageW, ph: st.pageH}
	l.f.alloc() // 1: catalog
	l.f.alloc() // 2: page tree
	l.f.alloc() // 3: document information
	for _, b := range blocks {
		l.block(b)
	}
	if l.land {
		l.turn() // the style's margins back to portrait
	}
	return l
}

// pdf renders the report as a PDF. The padding paragraphs go where the
// overview ends, as in the other formats, until the report fills its
// target page count.
func (g *gen) pdf() ([]byte, error) {
	st := g.pickPDFStyle()
	blocks := g.blocks
	l := g.renderPDF(&st, blocks)
	// Grow the narrative until the report fills its pages: a page of
	// body text holds about this many characters.
	perPage := (st.pageW - st.left - st.right) / st.body * math.Floor((st.pageH-st.top-st.bottom)/st.lead)
	for try := 0; try < 4 && g.target > 0 && len(l.pages) < g.target; try++ {
		want := float64(g.target-len(l.pages)) * perPage * 0.9
		var pad []block
		for added := 0.0; added < want || len(pad) == 0; {
			text := g.narr.pad(0)
			pad = append(pad, block{kind: bPara, text: text})
			added += float64(utf8.RuneCountInString(text))
		}
		var nb []block
		for _, b := range blocks {
			nb = append(nb, b)
			if b.kind == bPad {
				nb = append(nb, pad...)
			}
		}
		blocks = nb
		l = g.renderPDF(&st, blocks)
	}
	g.pdfPlaced, g.pdfStyle = l.placed, st
	if g.m.ScannedPage {
		l.imagePage(g.scanImage(420, 594))
	}
	return l.finish(g)
}

// scanImage draws a greyscale page scan: paper with a little noise, dark
// bands where lines of text are, and the ring of a seal.
func (g *gen) scanImage(w, h int) []byte {
	img := make([]byte, w*h)
	seed := uint32(g.r.Int63())
	cx, cy, rad := float64(w)*0.7, float64(h)*0.55, float64(w)*0.13
	for y := 0; y < h; y++ {
		band := y > h/10 && y < h*7/10 && (y/9)%2 == 0
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			v := 236 + int(seed>>28)
			if band && x > w/8 && x < w*7/8 && (seed>>24)&3 != 0 {
				v = 70 + int(seed>>26)
			}
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			if d > rad-3 && d < rad {
				v = 120
			}
			img[y*w+x] = byte(v)
		}
	}
	return img
}

// imagePage adds a page that holds nothing but an image, as a scanned page
// does.
func (l *pdfLayout) imagePage(gray []byte) {
	w, h := 420, 594
	obj := l.f.alloc()
	if err := l.f.stream(obj, "/Type/XObject/Subtype/Image/Width "+strconv.Itoa(w)+"/Height "+strconv.Itoa(h)+"/ColorSpace/DeviceGray/BitsPerComponent 8", gray); err != nil {
		panic(err) // writing to memory does not fail
	}
	p := &pdfPage{f: l.f, w: l.st.pageW, h: l.st.pageH, image: obj}
	p.b = num(append(num([]byte("q "), p.w), " 0 0 "...), p.h)
	p.op(" 0 0 cm /Im1 Do Q\n")
	l.pages = append(l.pages, p)
}

func (l *pdfLayout) finish(g *gen) ([]byte, error) {
	f := l.f
	kids := make([]string, len(l.pages))
	for i, p := range l.pages {
		n, err := p.finish(2)
		if err != nil {
			return nil, err
		}
		kids[i] = strconv.Itoa(n) + " 0 R"
	}
	if err := f.writeFonts(); err != nil {
		return nil, err
	}
	f.set(1, "<</Type/Catalog/Pages 2 0 R/Lang(zh-CN)>>")
	f.set(2, "<</Type/Pages/Kids["+strings.Join(kids, " ")+"]/Count "+strconv.Itoa(len(l.pages))+">>")
	date := "D:" + strconv.Itoa(g.year+1) + twoDigits(g.pm) + twoDigits(g.pd) + "093000+08'00'"
	producer, creator := "Microsoft® Word 2016", "Microsoft® Word 2016"
	if l.st.wps {
		producer, creator = "WPS Office", "WPS 文字"
	}
	f.set(3, "<</Title"+pdfTextString(g.title)+"/Author"+pdfTextString(g.agency)+"/Creator"+pdfTextString(creator)+
		"/Producer"+pdfTextString(producer)+"/CreationDate("+date+")/ModDate("+date+")>>")
	return f.bytes(1, 3), nil
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}

// ScannedPDF writes a report as a scanner leaves it: pages (5 when pages
// is 0 or less) that each hold only a greyscale image, with no text layer
// at all, for tests of readers that must say so rather than find nothing.
func ScannedPDF(seed int64, pages int) ([]byte, error) {
	if pages <= 0 {
		pages = 5
	}
	g := newGen(rand.New(rand.NewSource(seed)), Options{Seed: seed, Template: Template2021, Format: "pdf"})
	g.meta()
	st := pdfStyle{pageW: 595.28, pageH: 841.89}
	l := &pdfLayout{g: g, st: &st, f: &pdfFile{}}
	l.f.alloc()
	l.f.alloc()
	l.f.alloc()
	for i := 0; i < pages; i++ {
		l.imagePage(g.scanImage(420, 594))
	}
	return l.finish(g)
}
