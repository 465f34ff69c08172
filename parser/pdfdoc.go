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
		openGrid  *pdfTable // and the piece it was read from
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
		if openTable != nil && openGrid != nil && openGrid.inferred {
			lay.lines = continueInferred(openTable, openGrid, lay.lines, pg.num)
		}
		left, right, gap, body := textMargins(lay.lines)
		var prevLine *pdfLine
		for k, it := range items {
			if it.table != nil {
				para = nil
				t := it.table
				for _, c := range t.t.Cells() {
					c.Page = pg.num
				}
				t.t.Page, t.t.LastPage = pg.num, pg.num
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
				openGrid = t
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

// continueInferred appends to an inferred table that ended the page before
// the lines that open this page like rows of it (close together, its type
// size, some in two or more runs of text), on its columns. It returns the
// lines left.
func continueInferred(t *Table, pt *pdfTable, lines []pdfLine, page int) []pdfLine {
	n, multi := 0, 0
	for n < len(lines) {
		l := lines[n]
		if l.vertical || math.Abs(l.size-pt.size) > 0.15*pt.size || (n > 0 && l.y0-lines[n-1].y1 > 2.5*l.size) {
			break
		}
		if len(chunkLine(l)) >= 2 {
			multi = n + 1
		}
		n++
	}
	n = multi
	for n < len(lines) && n > 0 && tight(lines[n-1], lines[n]) {
		n++
	}
	if n == 0 {
		return lines
	}
	chunks := make([][][]pdfGlyph, n)
	for i := range chunks {
		chunks[i] = chunkLine(lines[i])
	}
	more := fillTextTable(lines[:n], chunks, pt.centres, pt.x0, pt.x1)
	for _, row := range more.t.Rows {
		for _, c := range row {
			c.Row += t.NumRows
			c.Page = page
		}
	}
	t.Rows = append(t.Rows, more.t.Rows...)
	t.NumRows += more.t.NumRows
	t.LastPage = page
	return lines[n:]
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
var startsItem = regexp.MustCompile(`^(?:[（(][一二三四五六七八九十0-9０-９]+[）)]|[一二三四五六七八九十]+、|[0-9０-９]+[.．、])`)

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
// spanning rows can be cut (a label, never a value). Its text may sit
// above the break, below it, or on both sides, unless the part below
// starts a numbered item of its own.
func mergeAcrossBreak(above, c *Cell) bool {
	if c.Tables != nil || above.Tables != nil || (above.RowSpan < 2 && c.RowSpan < 2) {
		return false
	}
	up, down := strings.TrimSpace(above.Text), strings.TrimSpace(c.Text)
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
