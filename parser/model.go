// Package parser reads published report files (DOCX, HTML and PDF) into a
// format-neutral document model: an ordered list of paragraphs and tables
// whose cells keep their text, spans and grid positions exactly as written.
// It knows nothing about the statistics the tables hold.
package parser

// Format names the kind of file a document was read from.
type Format string

// The formats ogi reads.
const (
	FormatDOCX Format = "docx"
	FormatHTML Format = "html"
	FormatPDF  Format = "pdf"
)

// Document is one file as the parser sees it.
type Document struct {
	Path   string `json:"path"`
	Format Format `json:"format"`
	// Charset is the character set an HTML page was decoded with, and
	// CharsetRule the rule that decided it: "bom", "caller", "meta",
	// "utf-8" or "gb18030". Both are empty for DOCX.
	Charset     string `json:"charset,omitempty"`
	CharsetRule string `json:"charset_rule,omitempty"`
	// Meta holds page metadata when present: "title", and the CMS meta tags
	// "ArticleTitle", "PubDate", "ColumnName" under their own names. DOCX
	// core properties go under "title", "creator", "created", "modified".
	Meta   map[string]string `json:"meta,omitempty"`
	Blocks []Block           `json:"blocks"`
	// Warnings say what the reader inferred rather than read: a PDF table
	// rebuilt from text alignment, glyphs dropped for want of a Unicode map,
	// stray bytes read as U+FFFD in a page that declares its charset.
	Warnings []string `json:"warnings,omitempty"`
}

// Box is a rectangle on a PDF page in points, from the top-left corner of
// the page as shown: X0, Y0 top-left, X1, Y1 bottom-right.
type Box struct {
	X0 float64 `json:"x0"`
	Y0 float64 `json:"y0"`
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
}

// Block is one paragraph or one table, in document order. Exactly one of
// Para and Table is set.
type Block struct {
	Para  *Paragraph `json:"para,omitempty"`
	Table *Table     `json:"table,omitempty"`
}

// Paragraph is a run of text. Line breaks inside it are "\n"; U+3000 and
// U+00A0 are kept as written.
type Paragraph struct {
	Text string `json:"text"`
	// PDF only: the page (1-based) the paragraph starts on, and its box there.
	Page int  `json:"page,omitempty"`
	BBox *Box `json:"bbox,omitempty"`
}

// Cell is one table cell as written. Row and Col give the grid slot of its
// top-left corner; RowSpan and ColSpan are at least 1. Text is
// whitespace-normalized but faithful: paragraphs and line breaks inside the
// cell become "\n", runs of ASCII spaces and tabs collapse to one space, and
// U+3000 and U+00A0 are kept so the extractor can decide what they mean.
type Cell struct {
	Text    string   `json:"text"`
	Row     int      `json:"row"`
	Col     int      `json:"col"`
	RowSpan int      `json:"rowspan"`
	ColSpan int      `json:"colspan"`
	Tables  []*Table `json:"tables,omitempty"` // tables nested inside this cell
	Page    int      `json:"page,omitempty"`   // PDF only: the page the cell is printed on
}

// Table is a table as written: Rows[r] holds the cells whose top-left
// corner lies in grid row r, left to right. NumRows and NumCols give the
// size of the grid; every span has been clipped to fit inside it.
type Table struct {
	Rows    [][]*Cell `json:"rows"`
	NumRows int       `json:"num_rows"`
	NumCols int       `json:"num_cols"`
	// PDF only: the pages the table is printed on (first and last, the same
	// for a table on one page), its box on the first page, and whether its
	// structure was inferred from text alignment (no ruling lines).
	Page     int  `json:"page,omitempty"`
	LastPage int  `json:"last_page,omitempty"`
	BBox     *Box `json:"bbox,omitempty"`
	Inferred bool `json:"inferred,omitempty"`
}

// Fill is the policy for grid slots that a merged cell covers but does not
// start in.
type Fill int

const (
	// FillOrigin: a covered slot points at the merged cell, with empty Text.
	FillOrigin Fill = iota
	// FillCopy: a covered slot points at the merged cell and copies its text.
	FillCopy
	// FillBlank: a covered slot has no cell and empty text.
	FillBlank
)

// Slot is one position of the grid view.
type Slot struct {
	Cell    *Cell  // the cell covering this slot; nil for a hole or under FillBlank
	Origin  bool   // this slot is the cell's top-left corner
	Covered bool   // a merged cell covers this slot without starting in it
	Text    string // the cell's text at its origin; elsewhere as the policy says
}

// Grid returns the table as NumRows × NumCols slots. Slots no cell covers
// (a short row) have a nil Cell and empty text.
func (t *Table) Grid(fill Fill) [][]Slot {
	g := make([][]Slot, t.NumRows)
	for r := range g {
		g[r] = make([]Slot, t.NumCols)
	}
	for _, row := range t.Rows {
		for _, c := range row {
			for r := c.Row; r < c.Row+c.RowSpan && r < t.NumRows; r++ {
				for k := c.Col; k < c.Col+c.ColSpan && k < t.NumCols; k++ {
					s := &g[r][k]
					if r == c.Row && k == c.Col {
						*s = Slot{Cell: c, Origin: true, Text: c.Text}
						continue
					}
					switch fill {
					case FillOrigin:
						*s = Slot{Cell: c, Covered: true}
					case FillCopy:
						*s = Slot{Cell: c, Covered: true, Text: c.Text}
					case FillBlank:
						*s = Slot{Covered: true}
					}
				}
			}
		}
	}
	return g
}

// Cells returns every cell of the table in reading order.
func (t *Table) Cells() []*Cell {
	var out []*Cell
	for _, row := range t.Rows {
		out = append(out, row...)
	}
	return out
}

// Builder places cells on a grid row by row, the way HTML lays out a table:
// each new cell takes the next slot not already covered by a row span from
// above. DOCX uses AddAt, which places a cell at an explicit grid column.
type Builder struct {
	rows     [][]*Cell
	occupied [][]bool // occupied[row][col]: the slot is covered
	row      int      // current row index, -1 before the first StartRow
	col      int      // next candidate column in the current row
	ncols    int
	pending  []*Cell // cells whose row span is still open
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder {
	return &Builder{row: -1}
}

// StartRow begins a new grid row.
func (b *Builder) StartRow() {
	b.row++
	b.col = 0
	b.rows = append(b.rows, nil)
	b.markPending(b.row)
}

// Skip advances the current row by n empty grid columns (w:gridBefore).
func (b *Builder) Skip(n int) {
	if n > 0 {
		b.col += n
	}
}

// Add places c at the next free slot of the current row and returns it.
// ColSpan and RowSpan below 1 count as 1; a RowSpan of 0 (HTML rowspan="0")
// must be passed as a large number, which Table clips to the last row.
func (b *Builder) Add(c *Cell) *Cell {
	for b.taken(b.row, b.col) {
		b.col++
	}
	return b.AddAt(b.col, c)
}

// AddAt places c at grid column col of the current row.
func (b *Builder) AddAt(col int, c *Cell) *Cell {
	if b.row < 0 {
		b.StartRow()
	}
	if c.ColSpan < 1 {
		c.ColSpan = 1
	}
	if c.RowSpan < 1 {
		c.RowSpan = 1
	}
	c.Row, c.Col = b.row, col
	if b.rows[b.row] == nil {
		// Room for a row as wide as the widest so far, not grown cell by cell.
		b.rows[b.row] = make([]*Cell, 0, max(b.ncols-col, 1))
	}
	b.rows[b.row] = append(b.rows[b.row], c)
	if c.RowSpan > 1 {
		// Mark the rows below lazily: a span may overrun the table, so only
		// rows that come to exist are marked (see Table).
		b.pending = append(b.pending, c)
	}
	for k := col; k < col+c.ColSpan; k++ {
		b.occupy(b.row, k)
	}
	b.col = col + c.ColSpan
	if b.col > b.ncols {
		b.ncols = b.col
	}
	return c
}

// taken reports whether slot (r, c) is covered.
func (b *Builder) taken(r, c int) bool {
	return r >= 0 && c >= 0 && r < len(b.occupied) && c < len(b.occupied[r]) && b.occupied[r][c]
}

// occupy marks slot (r, c) covered.
func (b *Builder) occupy(r, c int) {
	if r < 0 || c < 0 {
		return
	}
	for len(b.occupied) <= r {
		b.occupied = append(b.occupied, nil)
	}
	row := b.occupied[r]
	if c >= len(row) {
		if row == nil {
			row = make([]bool, c+1, max(c+1, b.ncols))
		} else {
			row = append(row, make([]bool, c+1-len(row))...)
		}
		b.occupied[r] = row
	}
	row[c] = true
}

// markPending marks the slots of row r covered by open row spans.
func (b *Builder) markPending(r int) {
	for _, c := range b.pending {
		if r > c.Row && r < c.Row+c.RowSpan {
			for k := c.Col; k < c.Col+c.ColSpan; k++ {
				b.occupy(r, k)
			}
		}
	}
}

// Extend grows the row span of the cell that covers grid column col in the
// row above the current one, so that it also covers the current row
// (w:vMerge="continue"). It returns that cell, or nil when there is none,
// in which case the caller should add a cell of its own.
func (b *Builder) Extend(col int) *Cell {
	if b.row < 1 {
		return nil
	}
	for r := b.row - 1; r >= 0; r-- {
		for _, c := range b.rows[r] {
			if c.Col == col && c.Row+c.RowSpan == b.row {
				c.RowSpan++
				for k := c.Col; k < c.Col+c.ColSpan; k++ {
					b.occupy(b.row, k)
				}
				if e := c.Col + c.ColSpan; e > b.ncols {
					b.ncols = e
				}
				b.col = c.Col + c.ColSpan
				return c
			}
		}
	}
	return nil
}

// Table returns the finished table, with every span clipped to the grid.
func (b *Builder) Table() *Table {
	t := &Table{Rows: b.rows, NumRows: len(b.rows), NumCols: b.ncols}
	for _, row := range t.Rows {
		for _, c := range row {
			if c.Row+c.RowSpan > t.NumRows {
				c.RowSpan = t.NumRows - c.Row
			}
			if c.Col+c.ColSpan > t.NumCols {
				c.ColSpan = t.NumCols - c.Col
			}
		}
	}
	if t.Rows == nil {
		t.Rows = [][]*Cell{}
	}
	return t
}
