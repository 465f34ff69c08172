package parser

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
)

// Layout analysis: positioned glyphs and drawn rules of one page in, the
// page's tables (as Table) and its text lines out. It knows nothing of PDF
// syntax, so it is tested on made-up glyphs and rules.
//
// A ruled table is rebuilt the way a reader sees it: the rule coordinates
// are clustered into grid lines, a cell side counts as drawn when rules
// cover most of it, grid slots are merged across undrawn sides, and every
// glyph goes to the cell under its centre.

// layoutTol is how close (points) two rule coordinates must be to be one
// grid line. Double borders and rules drawn as thin boxes sit within it;
// no text row is this thin.
const layoutTol = 3.5

// pdfLine is one line of text: glyphs on one baseline (or, for vertical
// text, in one column), in reading order.
type pdfLine struct {
	text           string
	x0, y0, x1, y1 float64
	size           float64
	vertical       bool
	glyphs         []pdfGlyph
}

// pdfTable is one table found on a page, with the grid lines it was built
// from (to tell whether the next page's table continues it).
type pdfTable struct {
	t              *Table
	xs, ys         []float64
	x0, y0, x1, y1 float64
	inferred       bool
	centres        []float64 // inferred: the column centres
	size           float64   // inferred: the type size of its text
	src            []pdfLine // inferred: the lines it was read from
	rowPage        []int     // inferred over a page break: each row's page (else nil)
}

// pageLayout is the result of laying out one page.
type pageLayout struct {
	warnings []string
	tables   []*pdfTable
	lines    []pdfLine // text outside the tables, top to bottom
}

// layoutPage finds the tables of a page and the lines of text outside them.
func layoutPage(pg *pdfPage) pageLayout {
	h := mergeSegs(pg.hsegs)
	v := mergeSegs(pg.vsegs)
	var out pageLayout
	rest := pg.glyphs
	if len(h)+len(v) > maxPageRules {
		h, v = nil, nil
		out.warnings = append(out.warnings, fmt.Sprintf("page %d: over %d rules drawn; tables on it were read from text alignment only", pg.num, maxPageRules))
	}
	for _, comp := range ruleComponents(h, v) {
		t, inside, outside := buildRuledTable(comp.h, comp.v, rest)
		if t == nil {
			continue
		}
		_ = inside
		rest = outside
		out.tables = append(out.tables, t)
	}
	lines := buildLines(rest, true)
	tables, lines := inferTables(lines)
	out.tables = append(out.tables, tables...)
	sort.SliceStable(out.tables, func(i, j int) bool { return out.tables[i].y0 < out.tables[j].y0 })
	out.lines = lines
	return out
}

// mergeSegs joins collinear rules that overlap or touch, so a line drawn
// in pieces (one per cell, as word processors do) is one rule.
func mergeSegs(segs []pdfSeg) []pdfSeg {
	if len(segs) == 0 {
		return nil
	}
	s := make([]pdfSeg, 0, len(segs))
	for _, g := range segs {
		if g.hi-g.lo >= 1 {
			s = append(s, g)
		}
	}
	sort.Slice(s, func(i, j int) bool {
		if math.Abs(s[i].at-s[j].at) > 0.5 {
			return s[i].at < s[j].at
		}
		return s[i].lo < s[j].lo
	})
	var out []pdfSeg
	for i := 0; i < len(s); {
		// One band of rules at about the same coordinate.
		j := i + 1
		for j < len(s) && s[j].at-s[j-1].at <= 0.5 {
			j++
		}
		band := append([]pdfSeg(nil), s[i:j]...)
		sort.Slice(band, func(a, b int) bool { return band[a].lo < band[b].lo })
		cur := band[0]
		for _, g := range band[1:] {
			if g.lo <= cur.hi+1.5 {
				cur.hi = math.Max(cur.hi, g.hi)
				cur.at = (cur.at + g.at) / 2
				continue
			}
			out = append(out, cur)
			cur = g
		}
		out = append(out, cur)
		i = j
	}
	return out
}

type ruleComp struct{ h, v []pdfSeg }

// ruleComponents groups the rules that touch one another: each group with
// at least two rules each way is a table candidate.
func ruleComponents(h, v []pdfSeg) []ruleComp {
	n := len(h) + len(v)
	find, union := unionFind(n)
	const touch = 2.5
	for i, a := range h {
		for j, b := range v {
			if b.at >= a.lo-touch && b.at <= a.hi+touch && a.at >= b.lo-touch && a.at <= b.hi+touch {
				union(i, len(h)+j)
			}
		}
	}
	groups := map[int]*ruleComp{}
	var order []int
	for i := 0; i < n; i++ {
		r := find(i)
		g, ok := groups[r]
		if !ok {
			g = &ruleComp{}
			groups[r] = g
			order = append(order, r)
		}
		if i < len(h) {
			g.h = append(g.h, h[i])
		} else {
			g.v = append(g.v, v[i-len(h)])
		}
	}
	var out []ruleComp
	for _, r := range order {
		if g := groups[r]; len(g.h) >= 2 && len(g.v) >= 2 {
			out = append(out, *g)
		}
	}
	return out
}

// cluster returns the means of groups of values no more than tol apart.
func cluster(vals []float64, tol float64) []float64 {
	if len(vals) == 0 {
		return nil
	}
	s := append([]float64(nil), vals...)
	sort.Float64s(s)
	var out []float64
	sum, n := s[0], 1
	for i := 1; i < len(s); i++ {
		if s[i]-s[i-1] <= tol {
			sum += s[i]
			n++
			continue
		}
		out = append(out, sum/float64(n))
		sum, n = s[i], 1
	}
	return append(out, sum/float64(n))
}

// covered reports whether rules at about coordinate at cover most of the
// interval [lo, hi].
func covered(segs []pdfSeg, at, lo, hi float64) bool {
	span := hi - lo
	if span <= 0 {
		return true
	}
	var ivs [][2]float64
	for _, s := range segs {
		if math.Abs(s.at-at) > layoutTol {
			continue
		}
		a, b := math.Max(s.lo, lo), math.Min(s.hi, hi)
		if b > a {
			ivs = append(ivs, [2]float64{a, b})
		}
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i][0] < ivs[j][0] })
	cov, end := 0.0, lo
	for _, iv := range ivs {
		a := math.Max(iv[0], end)
		if iv[1] > a {
			cov += iv[1] - a
			end = iv[1]
		}
	}
	return cov >= 0.6*span
}

// maxGridSlots bounds the grid of one ruled table (the largest report
// table has a few hundred slots) and maxPageRules the rules of one page
// that are analysed: past them a page of hatching or a hostile file would
// cost quadratic time.
const (
	maxGridSlots = 20000
	maxPageRules = 8000
)

// buildRuledTable rebuilds the table drawn by rules h and v and fills it
// with the glyphs whose centres fall inside; it returns the glyphs inside
// and outside. A grid of one cell (a frame round some text) is no table.
func buildRuledTable(h, v []pdfSeg, glyphs []pdfGlyph) (*pdfTable, []pdfGlyph, []pdfGlyph) {
	var yv, xv []float64
	minX, maxX := math.Inf(1), math.Inf(-1)
	minY, maxY := math.Inf(1), math.Inf(-1)
	for _, s := range h {
		yv = append(yv, s.at)
		minX, maxX = math.Min(minX, s.lo), math.Max(maxX, s.hi)
	}
	for _, s := range v {
		xv = append(xv, s.at)
		minY, maxY = math.Min(minY, s.lo), math.Max(maxY, s.hi)
	}
	// Open outer sides: the rules' extreme ends are grid lines too.
	xv = append(xv, minX, maxX)
	yv = append(yv, minY, maxY)
	xs, ys := cluster(xv, layoutTol), cluster(yv, layoutTol)
	nr, nc := len(ys)-1, len(xs)-1
	// One column is a frame or a box round text, not a table; one row may
	// be the last row of a table, carried over to the next page.
	if nr < 1 || nc < 2 || nr*nc > maxGridSlots {
		return nil, nil, glyphs
	}
	// Union-find over grid slots, merging across undrawn sides.
	find, union := unionFind(nr * nc)
	// The rules on each grid line, found once.
	onLine := func(segs []pdfSeg, lines []float64) [][]pdfSeg {
		out := make([][]pdfSeg, len(lines))
		for _, sg := range segs {
			k := sort.SearchFloat64s(lines, sg.at-layoutTol)
			for ; k < len(lines) && lines[k] <= sg.at+layoutTol; k++ {
				out[k] = append(out[k], sg)
			}
		}
		return out
	}
	vOn, hOn := onLine(v, xs), onLine(h, ys)
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			if c+1 < nc && !covered(vOn[c+1], xs[c+1], ys[r], ys[r+1]) {
				union(r*nc+c, r*nc+c+1)
			}
			if r+1 < nr && !covered(hOn[r+1], ys[r+1], xs[c], xs[c+1]) {
				union(r*nc+c, (r+1)*nc+c)
			}
		}
	}
	// A merged region must be a rectangle: fill out L-shapes (a rule
	// missing in the middle of the table) to their bounding box.
	for changed := true; changed; {
		changed = false
		box := map[int][4]int{}
		count := map[int]int{}
		for i := range nr * nc {
			r, c := i/nc, i%nc
			k := find(i)
			b, ok := box[k]
			if !ok {
				b = [4]int{r, c, r, c}
			}
			b[0], b[1] = min(b[0], r), min(b[1], c)
			b[2], b[3] = max(b[2], r), max(b[3], c)
			box[k] = b
			count[k]++
		}
		for k, b := range box {
			if count[k] == (b[2]-b[0]+1)*(b[3]-b[1]+1) {
				continue // a rectangle already
			}
			for r := b[0]; r <= b[2]; r++ {
				for c := b[1]; c <= b[3]; c++ {
					if find(r*nc+c) != find(k) {
						union(r*nc+c, k)
						changed = true
					}
				}
			}
		}
	}
	cells := map[int]*Cell{}
	box := map[int][4]int{}
	for i := range nr * nc {
		r, c := i/nc, i%nc
		k := find(i)
		b, ok := box[k]
		if !ok {
			b = [4]int{r, c, r, c}
		}
		b[0], b[1] = min(b[0], r), min(b[1], c)
		b[2], b[3] = max(b[2], r), max(b[3], c)
		box[k] = b
	}
	if len(box) < 2 {
		return nil, nil, glyphs
	}
	t := &Table{Rows: make([][]*Cell, nr), NumRows: nr, NumCols: nc}
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			k := find(r*nc + c)
			b := box[k]
			if b[0] != r || b[1] != c {
				continue
			}
			cell := &Cell{Row: r, Col: c, RowSpan: b[2] - b[0] + 1, ColSpan: b[3] - b[1] + 1}
			cells[k] = cell
			t.Rows[r] = append(t.Rows[r], cell)
		}
	}
	x0, x1, y0, y1 := xs[0], xs[nc], ys[0], ys[nr]
	byCell := map[*Cell][]pdfGlyph{}
	var inside, outside []pdfGlyph
	for _, g := range glyphs {
		cx, cy := g.cx(), g.cy()
		if cx < x0-0.5 || cx > x1+0.5 || cy < y0-0.5 || cy > y1+0.5 {
			outside = append(outside, g)
			continue
		}
		inside = append(inside, g)
		c := min(max(sort.SearchFloat64s(xs, cx)-1, 0), nc-1)
		r := min(max(sort.SearchFloat64s(ys, cy)-1, 0), nr-1)
		cell := cells[find(r*nc+c)]
		byCell[cell] = append(byCell[cell], g)
	}
	for cell, gs := range byCell {
		cell.Text = cellText(buildLines(gs, false))
	}
	return &pdfTable{t: t, xs: xs, ys: ys, x0: x0, y0: y0, x1: x1, y1: y1}, inside, outside
}

// cellText joins the lines of a cell as wrapped text: a cell's lines are
// nearly always one label or one number wrapped to the cell's width, and
// a number split by a line break would not read as one.
func cellText(lines []pdfLine) string {
	var s string
	for i, l := range lines {
		if i == 0 {
			s = l.text
			continue
		}
		s = joinWrapped(s, l.text)
	}
	return s
}

func linesText(lines []pdfLine) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.text
	}
	return strings.Join(parts, "\n")
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// buildLines groups glyphs into lines. Horizontal glyphs share a line when
// their boxes overlap vertically by half the smaller height; vertical ones
// (Identity-V, or text turned on its side) when they overlap horizontally.
// Lines come back top to bottom; vertical columns right to left, as CJK
// vertical text reads. A gap wider than a third of the type size between
// two glyphs that are not both CJK becomes a space.
func buildLines(glyphs []pdfGlyph, _ bool) []pdfLine {
	var hor, ver []pdfGlyph
	for _, g := range glyphs {
		if g.dir == dirTTB || g.dir == dirBTT {
			ver = append(ver, g)
		} else {
			hor = append(hor, g)
		}
	}
	lines := groupLines(hor, false)
	vlines := groupLines(ver, true)
	lines = append(lines, vlines...)
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if a.vertical && b.vertical {
			return a.x1 > b.x1
		}
		return a.y0 < b.y0
	})
	return lines
}

func groupLines(gs []pdfGlyph, vertical bool) []pdfLine {
	if len(gs) == 0 {
		return nil
	}
	// lo/hi along the cross axis (y for horizontal text, x for vertical).
	cross := func(g *pdfGlyph) (float64, float64) {
		if vertical {
			return g.x0, g.x1
		}
		return g.y0, g.y1
	}
	along := func(g *pdfGlyph) float64 {
		if vertical {
			if g.dir == dirBTT {
				return -g.y1
			}
			return g.y0
		}
		if g.dir == dirRTL {
			return -g.x1
		}
		return g.x0
	}
	s := append([]pdfGlyph(nil), gs...)
	sort.SliceStable(s, func(i, j int) bool {
		a0, _ := cross(&s[i])
		b0, _ := cross(&s[j])
		return a0 < b0
	})
	type band struct {
		lo, hi float64
		g      []pdfGlyph
	}
	var bands []*band
	for i := range s {
		g := &s[i]
		lo, hi := cross(g)
		var best *band
		bestOv := 0.0
		// Only recent bands can overlap: they are sorted by lo.
		for k := len(bands) - 1; k >= 0 && k >= len(bands)-8; k-- {
			b := bands[k]
			ov := math.Min(hi, b.hi) - math.Max(lo, b.lo)
			need := 0.5 * math.Min(hi-lo, b.hi-b.lo)
			if ov >= need && ov > bestOv {
				best, bestOv = b, ov
			}
		}
		if best == nil {
			bands = append(bands, &band{lo: lo, hi: hi, g: []pdfGlyph{*g}})
			continue
		}
		best.g = append(best.g, *g)
		best.lo, best.hi = math.Min(best.lo, lo), math.Max(best.hi, hi)
	}
	out := make([]pdfLine, 0, len(bands))
	for _, b := range bands {
		sort.SliceStable(b.g, func(i, j int) bool { return along(&b.g[i]) < along(&b.g[j]) })
		out = append(out, makeLine(b.g, vertical))
	}
	return out
}

func makeLine(gs []pdfGlyph, vertical bool) pdfLine {
	l := pdfLine{vertical: vertical, glyphs: gs, x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1)}
	var sb strings.Builder
	var sizes []float64
	for i := range gs {
		g := &gs[i]
		l.x0, l.y0 = math.Min(l.x0, g.x0), math.Min(l.y0, g.y0)
		l.x1, l.y1 = math.Max(l.x1, g.x1), math.Max(l.y1, g.y1)
		sizes = append(sizes, g.size)
		if i > 0 {
			p := &gs[i-1]
			var gap float64
			switch {
			case vertical && g.dir == dirBTT:
				gap = p.y0 - g.y1
			case vertical:
				gap = g.y0 - p.y1
			case g.dir == dirRTL:
				gap = p.x0 - g.x1
			default:
				gap = g.x0 - p.x1
			}
			size := math.Max(g.size, p.size)
			if gap > size/3 && !(lastRuneCJK(p.text) && firstRuneCJK(g.text)) {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(g.text)
	}
	sort.Float64s(sizes)
	l.size = sizes[len(sizes)/2]
	l.text = sb.String()
	return l
}

func lastRuneCJK(s string) bool {
	r := []rune(s)
	return len(r) > 0 && isCJK(r[len(r)-1])
}

func firstRuneCJK(s string) bool {
	for _, r := range s {
		return isCJK(r)
	}
	return false
}

// inferTables finds tables printed without rules: a run of lines (no
// wide vertical gap, one type size) of which at least two fall into three
// or more chunks separated by wide gaps; lines of one chunk may sit inside
// the run (a section heading, a wrapped header) but do not start or end it.
// Rows are the lines (by baseline); columns are the chunks of the line
// with the most of them, and every other chunk spans the columns whose
// centres it covers.
func inferTables(lines []pdfLine) ([]*pdfTable, []pdfLine) {
	ch := make([][][]pdfGlyph, len(lines))
	for i, l := range lines {
		ch[i] = chunkLine(l)
	}
	inRow := rowChunks(lines, ch)
	var tables []*pdfTable
	var rest []pdfLine
	start := 0 // lines before start belong to a table found already
	for i := 0; i < len(lines); {
		if len(ch[i]) < 2 {
			rest = append(rest, lines[i])
			i++
			continue
		}
		// Extend the run while lines stay close and of one size.
		j, last := i+1, i
		for j < len(lines) && !lines[j].vertical && len(ch[j]) > 0 &&
			lines[j].y0-lines[j-1].y1 <= 2.5*lines[j].size &&
			math.Abs(lines[j].size-lines[i].size) <= 0.15*lines[i].size {
			if inRow[j] >= 2 {
				last = j
			}
			j++
		}
		end := j
		j = last + 1
		// A last row whose values are all blank is its label alone, in the
		// column the other rows' labels are centred in.
		for j < end && len(ch[j]) == 1 && labelColumn(ch[i:last+1], ch[j][0], 0.3*lines[i].size) {
			j++
		}
		// A header cell wrapped over lines sits just above or below the
		// line it belongs to: take those lines in too.
		i0 := i
		for i0 > start && tight(lines[i0-1], lines[i0]) {
			i0--
		}
		for j < len(lines) && tight(lines[j-1], lines[j]) {
			j++
		}
		wide := 0
		for k := i; k < j; k++ {
			if len(ch[k]) >= 3 {
				wide++
			}
		}
		if j-i < 3 || wide < 2 {
			rest = append(rest, lines[i])
			i++
			continue
		}
		if t := textTable(lines[i0:j], ch[i0:j]); t != nil {
			rest = rest[:len(rest)-(i-i0)] // lines i0…i-1 were left as text
			tables = append(tables, t)
		} else {
			rest = append(rest, lines[i:j]...)
		}
		i = j
		start = j
	}
	return tables, rest
}

// rowChunks returns, for each line, the number of chunks of the row it is
// part of: the lines overlapping or nearly touching it, as the lines of
// cells wrapped in one table row do.
func rowChunks(lines []pdfLine, ch [][][]pdfGlyph) []int {
	out := make([]int, len(lines))
	for i := 0; i < len(lines); {
		j, n := i+1, len(ch[i])
		for j < len(lines) && tight(lines[j-1], lines[j]) {
			n += len(ch[j])
			j++
		}
		for k := i; k < j; k++ {
			out[k] = n
		}
		i = j
	}
	return out
}

// labelColumn reports whether chunk c is centred like the first chunk of
// at least two lines of several chunks: a row label.
func labelColumn(lines [][][]pdfGlyph, c []pdfGlyph, tol float64) bool {
	x := (c[0].x0 + c[len(c)-1].x1) / 2
	n := 0
	for _, l := range lines {
		if len(l) >= 2 && math.Abs((l[0][0].x0+l[0][len(l[0])-1].x1)/2-x) <= tol {
			n++
		}
	}
	return n >= 2
}

// chunkLine splits a horizontal line at gaps wider than 0.8 of the type
// size (wider than any word space): the runs of text a table without rules
// is made of.
func chunkLine(l pdfLine) [][]pdfGlyph {
	if l.vertical {
		return nil
	}
	var out [][]pdfGlyph
	var cur []pdfGlyph
	for k, g := range l.glyphs {
		if k > 0 {
			p := l.glyphs[k-1]
			if g.x0-p.x1 > 0.8*math.Max(g.size, p.size) {
				out = append(out, cur)
				cur = nil
			}
		}
		cur = append(cur, g)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// tight reports whether line b, under a, is the same table row: the two
// overlap or nearly touch, as the lines of one wrapped cell do.
func tight(a, b pdfLine) bool {
	return !a.vertical && !b.vertical && b.y0-a.y1 < 0.35*math.Max(a.size, b.size)
}

func textTable(lines []pdfLine, chunks [][][]pdfGlyph) *pdfTable {
	if len(lines) == 0 {
		return nil
	}
	tol := 0.3 * lines[0].size
	chunks = joinSplitChunks(chunks, tol)
	// The basis: the line whose chunk centres the most chunks of the run
	// sit on (text is centred in its cell, so a column's texts share a
	// centre); then the one with the most chunks; then the lowest (a row
	// of values rather than a header). A header split by a space inside
	// it, or two headers run together, agrees with few other lines.
	all := chunkCentres(chunks, 1)
	basis, best := -1, -1
	for k := range lines {
		if len(chunks[k]) < 3 {
			continue
		}
		score := 0
		for _, c := range chunkCentres(chunks[k:k+1], 1) {
			score += support(all, c, tol)
		}
		if basis < 0 || score > best || score == best && len(chunks[k]) >= len(chunks[basis]) {
			basis, best = k, score
		}
	}
	if basis < 0 {
		return nil
	}
	var cols []textCol
	for _, c := range chunks[basis] {
		cols = append(cols, textCol{x0: c[0].x0, x1: c[len(c)-1].x1})
	}
	// Lines the basis cannot lay out (a chunk on no column and not centred
	// across free columns) bring their own columns: a header row and a row
	// of values may each miss a column the other has.
	for k := 0; k < len(lines); {
		// A row: the line and those wrapped with it.
		j := k + 1
		for j < len(lines) && tight(lines[j-1], lines[j]) {
			j++
		}
		var row [][]pdfGlyph
		for i := k; i < j; i++ {
			row = append(row, chunks[i]...)
		}
		sort.SliceStable(row, func(a, b int) bool { return row[a][0].x0 < row[b][0].x0 })
		// The lines of one wrapped cell, stacked, are one text.
		stacked := row[:0:0]
		for _, c := range row {
			if n := len(stacked); n > 0 && c[0].x0 < extentOf(stacked[n-1]).x1 {
				stacked[n-1] = append(append([]pdfGlyph(nil), stacked[n-1]...), c...)
				continue
			}
			stacked = append(stacked, c)
		}
		row = stacked
		if j == k+1 && k == basis || len(row) < 2 {
			k = j
			continue
		}
		k = j
		if extra := unplaced(cols, row, tol); len(extra) > 0 && len(extra) < len(row) {
			// Only where other text is centred too: a column has cells.
			for _, c := range extra {
				if support(all, c.centre(), tol) >= 2 {
					cols = append(cols, c)
				}
			}
			sort.Slice(cols, func(i, j int) bool { return cols[i].centre() < cols[j].centre() })
		}
	}
	centres := make([]float64, len(cols))
	for k, c := range cols {
		centres[k] = c.centre()
	}
	x0, x1 := math.Inf(1), math.Inf(-1)
	for r := range lines {
		x0, x1 = math.Min(x0, lines[r].x0), math.Max(x1, lines[r].x1)
	}
	return fillTextTable(lines, chunks, centres, x0, x1)
}

// textCol is a column of a table without rules: the extent of the text
// that set it.
type textCol struct{ x0, x1 float64 }

func (c textCol) centre() float64 { return (c.x0 + c.x1) / 2 }

// extentOf returns the horizontal extent of a chunk.
func extentOf(c []pdfGlyph) textCol {
	e := textCol{x0: math.Inf(1), x1: math.Inf(-1)}
	for _, g := range c {
		e.x0, e.x1 = math.Min(e.x0, g.x0), math.Max(e.x1, g.x1)
	}
	return e
}

// unplaced returns the chunks of one line that the columns cols cannot
// take, as new columns: a chunk sits on a column when its centre, left
// edge or right edge is within tol of the column's (centred, left- or
// right-aligned text), or spans free neighbouring columns when it is
// centred between their outer edges (each column's edges taken halfway to
// its neighbours' centres, the outer ones as far out as the inner).
func unplaced(cols []textCol, line [][]pdfGlyph, tol float64) []textCol {
	n := len(cols)
	if n == 0 {
		return nil
	}
	edges := make([]float64, n+1)
	for k := 1; k < n; k++ {
		edges[k] = (cols[k-1].centre() + cols[k].centre()) / 2
	}
	if n == 1 {
		edges[0], edges[1] = cols[0].x0-tol, cols[0].x1+tol
	} else {
		edges[0] = 2*cols[0].centre() - edges[1]
		edges[n] = 2*cols[n-1].centre() - edges[n-1]
	}
	used := make([]bool, n)
	var out []textCol
	for _, c := range line {
		me := extentOf(c)
		x := me.centre()
		placed := false
		for k := 0; k < n && !placed; k++ {
			if !used[k] && (math.Abs(cols[k].centre()-x) <= tol || math.Abs(cols[k].x0-me.x0) <= tol || math.Abs(cols[k].x1-me.x1) <= tol) {
				used[k], placed = true, true
			}
		}
		for a := 0; a < n && !placed; a++ {
			for b := a + 1; b < n && !placed; b++ {
				mid := (edges[a] + edges[b+1]) / 2
				if math.Abs(mid-x) > math.Max(tol, 0.05*(edges[b+1]-edges[a])) {
					continue
				}
				free := true
				for k := a; k <= b; k++ {
					free = free && !used[k]
				}
				if free {
					for k := a; k <= b; k++ {
						used[k] = true
					}
					placed = true
				}
			}
		}
		if !placed {
			out = append(out, me)
		}
	}
	return out
}

// chunkCentres returns the centres of the chunks of lines holding at least
// min chunks, in order.
func chunkCentres(chunks [][][]pdfGlyph, min int) []float64 {
	var out []float64
	for _, line := range chunks {
		if len(line) < min {
			continue
		}
		for _, c := range line {
			out = append(out, (c[0].x0+c[len(c)-1].x1)/2)
		}
	}
	return out
}

// support counts the centres within tol of c.
func support(centres []float64, c, tol float64) int {
	n := 0
	for _, x := range centres {
		if math.Abs(x-c) <= tol {
			n++
		}
	}
	return n
}

// joinSplitChunks joins two neighbouring chunks of a line that are one
// cell's text with a wide space inside it (本年废　止件数): the two together
// are centred where more chunks of the run are than either part is, as
// the cells of one column are.
func joinSplitChunks(chunks [][][]pdfGlyph, tol float64) [][][]pdfGlyph {
	all := chunkCentres(chunks, 1)
	centre := func(c []pdfGlyph) float64 { return (c[0].x0 + c[len(c)-1].x1) / 2 }
	out := make([][][]pdfGlyph, len(chunks))
	for k, line := range chunks {
		if len(line) < 2 {
			out[k] = line
			continue
		}
		var joined [][]pdfGlyph
		for i := 0; i < len(line); i++ {
			c := line[i]
			if i+1 < len(line) {
				d := line[i+1]
				gap := d[0].x0 - c[len(c)-1].x1
				both := append(append([]pdfGlyph(nil), c...), d...)
				// Others sharing each part's centre, and the whole's.
				sc, sd, sb := support(all, centre(c), tol)-1, support(all, centre(d), tol)-1, support(all, centre(both), tol)
				numbers := isDigitText(c[len(c)-1].text) && isDigitText(d[0].text)
				if !numbers && gap <= 2*math.Max(c[len(c)-1].size, d[0].size) && sb >= 1 && sb > sc && sb > sd {
					joined = append(joined, both)
					i++
					continue
				}
			}
			joined = append(joined, c)
		}
		out[k] = joined
	}
	return out
}

// fillTextTable lays lines out on the columns whose centres are given.
func fillTextTable(lines []pdfLine, chunks [][][]pdfGlyph, centres []float64, x0, x1 float64) *pdfTable {
	nc := len(centres)
	// Rows: lines, except that lines overlapping or nearly touching are
	// one row (a cell's text wrapped over lines).
	var rows [][]int
	for k := range lines {
		if n := len(rows); n > 0 && tight(lines[rows[n-1][len(rows[n-1])-1]], lines[k]) {
			rows[n-1] = append(rows[n-1], k)
			continue
		}
		rows = append(rows, []int{k})
	}
	t := &Table{Rows: make([][]*Cell, len(rows)), NumRows: len(rows), NumCols: nc}
	pt := &pdfTable{t: t, inferred: true, y0: lines[0].y0, y1: lines[len(lines)-1].y1, x0: x0, x1: x1, centres: centres, size: lines[0].size, src: lines}
	pt.xs = append(pt.xs, pt.x0)
	for k := 1; k < nc; k++ {
		pt.xs = append(pt.xs, (centres[k-1]+centres[k])/2)
	}
	pt.xs = append(pt.xs, pt.x1)
	for r, row := range rows {
		pt.ys = append(pt.ys, lines[row[0]].y0)
		owner := make([]*Cell, nc) // the cell covering each column
		for _, li := range row {
			for _, c := range chunks[li] {
				l := makeLine(c, false)
				first, last := -1, -1
				for k, x := range centres {
					if x >= l.x0 && x <= l.x1 {
						if first < 0 {
							first = k
						}
						last = k
					}
				}
				mid := (l.x0 + l.x1) / 2
				home := min(max(sort.SearchFloat64s(pt.xs, mid)-1, 0), nc-1)
				if first < 0 {
					// Covers no centre: the column it sits in, or the two
					// it is centred across (text centred in a merged cell)
					// when neither holds text yet.
					first, last = home, home
					for b := 1; b < nc; b++ {
						if math.Abs(mid-pt.xs[b]) < 0.2*(centres[b]-centres[b-1]) && owner[b-1] == nil && owner[b] == nil {
							first, last = b-1, b
						}
					}
				}
				// Text below text in the column it sits in: one cell.
				if into := owner[home]; into != nil {
					into.Text = joinWrapped(into.Text, l.text)
					continue
				}
				// Otherwise it spans the free columns about its own.
				for first < home && owner[first] != nil {
					first++
				}
				for last > home && owner[last] != nil {
					last--
				}
				for k := first; k <= last; k++ {
					if owner[k] != nil {
						if k < home {
							first = k + 1
						} else {
							last = k - 1
							break
						}
					}
				}
				first, last = min(first, home), max(last, home)
				cell := &Cell{Text: l.text, Row: r, Col: first, RowSpan: 1, ColSpan: last - first + 1}
				for k := first; k <= last; k++ {
					owner[k] = cell
				}
			}
		}
		for k := 0; k < nc; {
			c := owner[k]
			if c == nil {
				c = &Cell{Row: r, Col: k, RowSpan: 1, ColSpan: 1}
			}
			t.Rows[r] = append(t.Rows[r], c)
			k += c.ColSpan
		}
	}
	pt.ys = append(pt.ys, lines[len(lines)-1].y1)
	return pt
}

// unionFind returns find and union over the sets {0} … {n-1} (with path
// halving).
func unionFind(n int) (find func(int) int, union func(a, b int)) {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union = func(a, b int) { parent[find(a)] = find(b) }
	return find, union
}

// isDigitText reports whether s holds a digit (ASCII or full-width).
func isDigitText(s string) bool {
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
			return true
		}
	}
	return false
}
