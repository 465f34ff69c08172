package parser

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// assemble turns laid-out pages into the document's blocks: page headers,
// footers and page numbers dropped, wrapped lines joined into paragraphs
// (across a page break too), and a table that goes on over a page break
// (same column edges) stitched to the part above.
func assemble(doc *Document, pages []*pdfPage, lim Limits) {
	layouts := make([]pageLayout, len(pages))
	for i, p := range pages {
		layouts[i] = layoutPage(p)
	}
	dropMargins(layouts, pages)
	stitchInferred(layouts, pages)
	for _, l := range layouts {
		doc.Warnings = append(doc.Warnings, l.warnings...)
	}

	var (
		para      *Paragraph
		last      pdfLine
		lastShort bool
		// lastCentred: the last line sits in the middle of the text width
		lastCentred bool
		lastPage    int
		// The table the previous page ended with, open for stitching.
		openTable *Table
		openXs    []float64 // its column grid lines
	)
	for pi, lay := range layouts {
		pg := pages[pi]
		type item struct {
			line  *pdfLine
			table *pdfTable
			y     float64
		}
		items := make([]item, 0, len(lay.lines)+len(lay.tables))
		for i := range lay.lines {
			items = append(items, item{line: &lay.lines[i], y: lay.lines[i].y0})
		}
		for _, t := range lay.tables {
			items = append(items, item{table: t, y: t.y0})
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].y < items[j].y })
		left, right, gap, body := textMargins(lay.lines)
		var prevLine *pdfLine
		for k, it := range items {
			if it.table != nil {
				para = nil
				t := it.table
				t.t.Page, t.t.LastPage = pg.num, pg.num
				for _, c := range t.t.Cells() {
					c.Page = pg.num
					if t.rowPage != nil {
						c.Page = t.rowPage[c.Row]
						t.t.LastPage = max(t.t.LastPage, c.Page)
					}
				}
				t.t.BBox = &Box{X0: round2(t.x0), Y0: round2(t.y0), X1: round2(t.x1), Y1: round2(t.y1)}
				t.t.Inferred = t.inferred
				if t.inferred {
					doc.Warnings = append(doc.Warnings, fmt.Sprintf("page %d: a table of %d rows × %d columns printed without ruling lines; its structure was inferred from text alignment", pg.num, t.t.NumRows, t.t.NumCols))
				}
				var u []float64
				var ma, mb []int
				if k == 0 && openTable != nil && !t.inferred && !openTable.Inferred {
					u, ma, mb = sameColumns(openXs, t.xs)
				}
				if u != nil {
					stitchTable(openTable, t.t, len(u)-1, ma, mb)
					openXs = u
				} else {
					doc.Blocks = append(doc.Blocks, Block{Table: t.t})
					openTable, openXs = t.t, t.xs
				}
				if k != len(items)-1 {
					openTable, openXs = nil, nil
				}
				prevLine = nil
				continue
			}
			l := it.line
			openTable, openXs = nil, nil
			short := !l.vertical && l.x1 < right-2*l.size
			indented := !l.vertical && l.x0 > left+0.9*l.size
			// A title (larger than the body text) wrapped over two lines:
			// the second is centred, so it looks indented.
			centred := !l.vertical && math.Abs((l.x0+l.x1)/2-(left+right)/2) < l.size
			if centred && lastCentred && l.size > 1.1*body {
				indented = false
			}
			joins := para != nil && !lastShort && !indented && !l.vertical && !last.vertical &&
				math.Abs(l.size-last.size) <= 0.15*math.Max(l.size, last.size)
			if joins {
				if lastPage == pg.num {
					joins = prevLine != nil && l.y0-last.y1 <= gap+0.6*l.size
				} else {
					joins = prevLine == nil && k == 0
				}
			}
			if joins {
				para.Text = joinWrapped(para.Text, l.text)
				if lastPage == pg.num && para.BBox != nil && para.Page == pg.num {
					para.BBox.X0 = round2(math.Min(para.BBox.X0, l.x0))
					para.BBox.X1 = round2(math.Max(para.BBox.X1, l.x1))
					para.BBox.Y1 = round2(math.Max(para.BBox.Y1, l.y1))
				}
			} else {
				para = &Paragraph{Text: l.text, Page: pg.num, BBox: &Box{X0: round2(l.x0), Y0: round2(l.y0), X1: round2(l.x1), Y1: round2(l.y1)}}
				doc.Blocks = append(doc.Blocks, Block{Para: para})
			}
			last, lastShort, lastPage, lastCentred = *l, short, pg.num, centred
			prevLine = l
		}
		// A paragraph running off the page may go on over the page; a
		// table may too, but only if it was the last thing on the page.
		if len(items) == 0 {
			para, openTable, openXs = nil, nil, nil
		}
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// textMargins returns the left and right edges of a page's text, the
// usual gap between consecutive lines and the usual type size.
func textMargins(lines []pdfLine) (left, right, gap, size float64) {
	left, right = math.Inf(1), math.Inf(-1)
	var gaps, sizes []float64
	for i, l := range lines {
		if l.vertical {
			continue
		}
		left, right = math.Min(left, l.x0), math.Max(right, l.x1)
		sizes = append(sizes, l.size)
		if i > 0 && !lines[i-1].vertical {
			if g := l.y0 - lines[i-1].y1; g > 0 {
				gaps = append(gaps, g)
			}
		}
	}
	if len(gaps) > 0 {
		sort.Float64s(gaps)
		gap = gaps[len(gaps)/2]
	}
	if len(sizes) > 0 {
		sort.Float64s(sizes)
		size = sizes[len(sizes)/2]
	}
	return left, right, gap, size
}

// joinWrapped joins a wrapped line to the text before it: directly, as
// Chinese text wraps, or with a space between two Latin words.
func joinWrapped(a, b string) string {
	ar, br := []rune(a), []rune(b)
	if len(ar) > 0 && len(br) > 0 && isLatinWord(ar[len(ar)-1]) && isLatinWord(br[0]) {
		return a + " " + b
	}
	return a + b
}

func isLatinWord(r rune) bool {
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',' || r == '.' || r == ';' || r == ':')
}

// startsItem matches the numbering that opens a row label: （四）, 四、,
// 4.  4、 (4).
var startsItem = regexp.MustCompile(`^(?:[（(]\s*[一二三四五六七八九十0-9０-９]+\s*[）)]|[一二三四五六七八九十]+\s*、|[0-9０-９]+\s*[.．、])`)

// sameColumns reports whether table b (first on its page) continues a
// (last on the page before): the same outer edges, and the vertical grid
// lines of one among those of the other (a part may merge columns the
// other splits, as a last row whose label spans three columns does). It
// returns the grid lines of both together and, for each table, the index
// in them of its own lines.
func sameColumns(a, b []float64) (u []float64, ma, mb []int) {
	if len(a) < 2 || len(b) < 2 || math.Abs(a[0]-b[0]) > layoutTol || math.Abs(a[len(a)-1]-b[len(b)-1]) > layoutTol {
		return nil, nil, nil
	}
	sub := func(small, big []float64) []int {
		m := make([]int, len(small))
		k := 0
		for i, x := range small {
			for k < len(big) && big[k] < x-layoutTol {
				k++
			}
			if k == len(big) || math.Abs(big[k]-x) > layoutTol {
				return nil
			}
			m[i] = k
		}
		return m
	}
	if m := sub(b, a); m != nil {
		id := make([]int, len(a))
		for i := range id {
			id[i] = i
		}
		return a, id, m
	}
	if m := sub(a, b); m != nil {
		id := make([]int, len(b))
		for i := range id {
			id[i] = i
		}
		return b, m, id
	}
	return nil, nil, nil
}

// remapCols moves a table's cells onto a grid with more column lines:
// m[i] is the new index of old line i.
func remapCols(t *Table, m []int, ncols int) {
	for _, row := range t.Rows {
		for _, c := range row {
			l, r := m[c.Col], m[c.Col+c.ColSpan]
			c.Col, c.ColSpan = l, r-l
		}
	}
	t.NumCols = ncols
}

// stitchTable appends the rows of b to a, both on the grid lines they
// share (from sameColumns). A merged cell cut by the page break stays one
// cell: see mergeAcrossBreak.
func stitchTable(a, b *Table, ncols int, ma, mb []int) {
	remapCols(a, ma, ncols)
	remapCols(b, mb, ncols)
	if len(b.Rows) > 0 {
		var keep []*Cell
		for _, c := range b.Rows[0] {
			var above *Cell
			for _, u := range a.Cells() {
				if u.Col == c.Col && u.ColSpan == c.ColSpan && u.Row+u.RowSpan == a.NumRows {
					above = u
				}
			}
			if above != nil && mergeAcrossBreak(above, c) {
				continue
			}
			keep = append(keep, c)
		}
		b.Rows[0] = keep
	}
	for _, row := range b.Rows {
		for _, c := range row {
			c.Row += a.NumRows
		}
	}
	a.Rows = append(a.Rows, b.Rows...)
	a.NumRows += b.NumRows
	a.LastPage = b.Page
}

// mergeAcrossBreak joins c, a cell of the first row after a page break, to
// the cell above it (same columns, last row before the break) when they
// are one merged cell cut in two, and reports whether it did. Only a cell
// spanning rows can be cut (a label, never a value), or a row label whose
// item number alone is left above the break (（五） | 不予处理). Its text may sit
// above the break, below it, or on both sides, unless the part below
// starts a numbered item of its own.
func mergeAcrossBreak(above, c *Cell) bool {
	if c.Tables != nil || above.Tables != nil {
		return false
	}
	up, down := strings.TrimSpace(above.Text), strings.TrimSpace(c.Text)
	if above.RowSpan < 2 && c.RowSpan < 2 {
		// One row on each side: cut only if the text itself is, the
		// item number left above the break and the words below it.
		if m := startsItem.FindString(up); m == "" || m != up || down == "" || startsItem.MatchString(down) {
			return false
		}
	}
	switch {
	case down == "":
	case up == "":
		above.Text = c.Text
	case startsItem.MatchString(down):
		return false
	default:
		above.Text += "\n" + c.Text
	}
	above.RowSpan += c.RowSpan
	return true
}

var pageNumber = regexp.MustCompile(`^[\s\-－—–_·•]*(?:第\s*)?[0-9０-９]{1,4}\s*(?:页)?(?:\s*[/／共]\s*[0-9０-９]{1,4}\s*页?)?[\s\-－—–_·•]*$|^(?i:page)\s*\d+(?:\s*(?:of|/)\s*\d+)?$`)

var digitRun = regexp.MustCompile(`[0-9０-９]+`)

// dropMargins removes page numbers and running headers and footers: lines
// in the top or bottom tenth of a page that are a page number, or whose
// text (digits aside) recurs in the margins of other pages.
func dropMargins(layouts []pageLayout, pages []*pdfPage) {
	inMargin := func(l *pdfLine, p *pdfPage) bool {
		return l.y1 < 0.1*p.h || l.y0 > 0.9*p.h
	}
	seen := map[string]map[int]bool{}
	for pi := range layouts {
		for i := range layouts[pi].lines {
			l := &layouts[pi].lines[i]
			if !inMargin(l, pages[pi]) {
				continue
			}
			k := digitRun.ReplaceAllString(l.text, "#")
			if seen[k] == nil {
				seen[k] = map[int]bool{}
			}
			seen[k][pi] = true
		}
	}
	for pi := range layouts {
		kept := layouts[pi].lines[:0]
		for _, l := range layouts[pi].lines {
			if inMargin(&l, pages[pi]) {
				if pageNumber.MatchString(l.text) {
					continue
				}
				if len(pages) >= 2 && len(seen[digitRun.ReplaceAllString(l.text, "#")]) >= 2 {
					continue
				}
			}
			kept = append(kept, l)
		}
		layouts[pi].lines = kept
	}
}

// stitchInferred joins a table printed without rules that runs over a
// page break: when a page ends with such a table (perhaps followed by a
// few lines of its type size, such as a block heading of its own) and the
// next page opens with lines of that size that read as rows (some in two
// or more runs of text, or a table inferred there), the lines of both
// pieces are laid out again as one table, the next page's moved up to
// follow the first's, and each row remembers its page. A table may run on
// over several pages.
func stitchInferred(layouts []pageLayout, pages []*pdfPage) {
	var open *pdfTable // the inferred table the last page ended with
	var openPage int
	var tail []int // indexes of the lines after it on its page
	for p := range layouts {
		if open != nil && continueOn(open, openPage, tail, layouts, pages, p) {
			if len(layouts[p].lines) == 0 && len(layouts[p].tables) == 0 {
				tail = nil
				continue // the whole page was the table: it may go on
			}
		}
		open, openPage, tail = endingInferred(&layouts[p]), p, nil
		if open != nil {
			for i, l := range layouts[p].lines {
				if l.y0 >= open.y1 {
					tail = append(tail, i)
				}
			}
			if !rowLike(open, layouts[p].lines, tail) || len(tail) > 3 {
				open = nil
			}
		} else {
			open, tail = trailingRows(&layouts[p])
		}
	}
}

// trailingRows finds, at the foot of a page, lines that may be the first
// rows of a table printed without rules that goes on over the page but is
// too short here to be told from text: lines of one type size, close
// together, below every table, at least one in two or more runs of text,
// none of one run as wide as half the rows (a paragraph). It returns an
// empty table to continue on the next page, and the lines' indexes.
func trailingRows(lay *pageLayout) (*pdfTable, []int) {
	below := math.Inf(-1)
	for _, t := range lay.tables {
		below = math.Max(below, t.y1)
	}
	ls := lay.lines
	k := len(ls)
	multi := 0
	x0, x1 := math.Inf(1), math.Inf(-1)
	for k > 0 && len(ls)-k < 8 {
		l := ls[k-1]
		if l.vertical || l.y0 < below {
			break
		}
		if k < len(ls) {
			n := ls[k]
			if math.Abs(l.size-n.size) > 0.15*n.size || n.y0-l.y1 > 2.5*n.size {
				break
			}
		}
		ch := chunkLine(l)
		if len(ch) >= 2 {
			multi++
			x0, x1 = math.Min(x0, l.x0), math.Max(x1, l.x1)
		} else if multi > 0 && l.x1-l.x0 > 0.5*(x1-x0) {
			break
		}
		k--
	}
	// The rows start with a line in runs or a short line (a heading).
	for k < len(ls) && len(chunkLine(ls[k])) < 2 && multi > 0 && ls[k].x1-ls[k].x0 > 0.5*(x1-x0) {
		k++
	}
	if multi == 0 || k == len(ls) {
		return nil, nil
	}
	idx := make([]int, 0, len(ls)-k)
	for i := k; i < len(ls); i++ {
		idx = append(idx, i)
	}
	first := ls[k]
	return &pdfTable{inferred: true, size: first.size, y0: first.y0, y1: first.y0, x0: x0, x1: x1}, idx
}

// endingInferred returns the page's last table if it was inferred and
// no table follows it.
func endingInferred(lay *pageLayout) *pdfTable {
	var last *pdfTable
	for _, t := range lay.tables {
		if last == nil || t.y0 > last.y0 {
			last = t
		}
	}
	if last == nil || !last.inferred {
		return nil
	}
	return last
}

// rowLike reports whether lines[idx…] could be rows of t: horizontal, of
// its type size, each close under the one before.
func rowLike(t *pdfTable, lines []pdfLine, idx []int) bool {
	prev := t.y1
	for _, i := range idx {
		l := lines[i]
		if !t.rowAfter(l, prev) {
			return false
		}
		prev = l.y1
	}
	return true
}

// rowAfter reports whether line l could be a row of t under a line
// ending at prev (-Inf: none): horizontal, of t's type size, and close.
func (t *pdfTable) rowAfter(l pdfLine, prev float64) bool {
	return !l.vertical && math.Abs(l.size-t.size) <= 0.15*t.size && (math.IsInf(prev, -1) || l.y0-prev <= 2.5*l.size)
}

// continueOn lays the opening rows of page p out with the table t that
// page tp ended with (followed there by the lines tail), when they read as
// its continuation, and reports whether it did.
func continueOn(t *pdfTable, tp int, tail []int, layouts []pageLayout, pages []*pdfPage, p int) bool {
	lay := &layouts[p]
	// The page's first table, if inferred: rows may open the page above it.
	var first *pdfTable
	for _, u := range lay.tables {
		if first == nil || u.y0 < first.y0 {
			first = u
		}
	}
	stop := math.Inf(1)
	if first != nil {
		stop = first.y0
		if !first.inferred || math.Abs(first.size-t.size) > 0.15*t.size {
			first = nil
		}
	}
	var head []int // the lines above the first table that read as rows
	prev := math.Inf(-1)
	for i, l := range lay.lines {
		if l.y0 >= stop {
			break
		}
		if !t.rowAfter(l, prev) {
			first = nil // lines that are not rows come between
			break
		}
		head = append(head, i)
		prev = l.y1
	}
	if first != nil && prev > math.Inf(-1) && first.y0-prev > 2.5*t.size {
		first = nil
	}
	if first == nil {
		// The rows end with the last line in runs, and the lines of
		// cells wrapped under it.
		hl := pick(lay.lines, head)
		hc := make([][][]pdfGlyph, len(hl))
		for k, l := range hl {
			hc[k] = chunkLine(l)
		}
		n := 0
		for k, c := range rowChunks(hl, hc) {
			if c >= 2 {
				n = k + 1
			}
		}
		if n == 0 {
			return false // nothing here reads as a row of the table
		}
		for n < len(hl) && tight(hl[n-1], hl[n]) {
			n++
		}
		// And a last row with only its label.
		src := make([][][]pdfGlyph, 0, len(t.src)+n)
		for _, l := range t.src {
			src = append(src, chunkLine(l))
		}
		src = append(src, hc[:n]...)
		for n < len(hl) && len(hc[n]) == 1 && labelColumn(src, hc[n][0], 0.3*t.size) {
			n++
		}
		head = head[:n]
	}
	// The lines of both pieces, this page's moved to follow the last.
	lines := append([]pdfLine(nil), t.src...)
	for _, i := range tail {
		lines = append(lines, layouts[tp].lines[i])
	}
	next := append([]pdfLine(nil), pick(lay.lines, head)...)
	if first != nil {
		next = append(next, first.src...)
	}
	if len(next) == 0 {
		return false
	}
	split := lines[len(lines)-1].y1 + t.size
	dy := split - next[0].y0
	for _, l := range next {
		lines = append(lines, shiftLine(l, dy))
	}
	chunks := make([][][]pdfGlyph, len(lines))
	for i, l := range lines {
		chunks[i] = chunkLine(l)
	}
	nt := textTable(lines, chunks)
	if nt == nil {
		return false
	}
	stub := t.t == nil // rows found only at the foot of page tp
	if stub {
		wide := 0
		for _, c := range chunks {
			if len(c) >= 3 {
				wide++
			}
		}
		if len(lines) < 3 || wide < 2 {
			return false
		}
	}
	// Each row's page: rows above the split are the first piece's.
	nt.rowPage = make([]int, len(nt.ys)-1)
	for r := range nt.rowPage {
		nt.rowPage[r] = pages[p].num
		if nt.ys[r] < split-0.01 {
			nt.rowPage[r] = pages[tp].num
			if t.rowPage != nil && r < len(t.rowPage) {
				nt.rowPage[r] = t.rowPage[r]
			}
		}
	}
	nt.y0, nt.x0, nt.x1 = t.y0, math.Min(t.x0, nt.x0), math.Max(t.x1, nt.x1)
	nt.y1 = t.y1
	for _, i := range tail {
		nt.y1 = math.Max(nt.y1, layouts[tp].lines[i].y1)
	}
	*t = *nt
	if stub {
		layouts[tp].tables = append(layouts[tp].tables, t)
	}
	layouts[tp].lines = drop(layouts[tp].lines, tail)
	lay.lines = drop(lay.lines, head)
	if first != nil {
		kept := lay.tables[:0]
		for _, u := range lay.tables {
			if u != first {
				kept = append(kept, u)
			}
		}
		lay.tables = kept
	}
	return true
}

func pick(lines []pdfLine, idx []int) []pdfLine {
	out := make([]pdfLine, 0, len(idx))
	for _, i := range idx {
		out = append(out, lines[i])
	}
	return out
}

// drop returns lines without those at idx (ascending).
func drop(lines []pdfLine, idx []int) []pdfLine {
	if len(idx) == 0 {
		return lines
	}
	out := make([]pdfLine, 0, len(lines)-len(idx))
	k := 0
	for i, l := range lines {
		if k < len(idx) && idx[k] == i {
			k++
			continue
		}
		out = append(out, l)
	}
	return out
}

// shiftLine returns a copy of l moved down by dy.
func shiftLine(l pdfLine, dy float64) pdfLine {
	l.y0 += dy
	l.y1 += dy
	gs := make([]pdfGlyph, len(l.glyphs))
	for i, g := range l.glyphs {
		g.y0 += dy
		g.y1 += dy
		gs[i] = g
	}
	l.glyphs = gs
	return l
}
