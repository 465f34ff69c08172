package parser

import (
	"math/rand"
	"testing"
)

// TestInferredLayoutRandom lays out pages of text runs at random places on
// a loose grid, sometimes several pages of them: whatever tables are
// inferred and stitched, assembling never fails, every cell sits inside its
// table's grid, and each cell's page is one the table spans.
func TestInferredLayoutRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	words := []string{"信息内容", "本年", "制发件数", "0", "12", "规章", "行政许可", "总计", "第二十条第（一）项", "无", "—"}
	inferred, stitched := 0, 0
	for it := 0; it < 3000; it++ {
		npages := 1 + r.Intn(3)
		var pages []*pdfPage
		for p := 0; p < npages; p++ {
			pg := &pdfPage{num: p + 1, w: 595, h: 842}
			y := 60.0 + r.Float64()*600
			for l := r.Intn(14); l > 0; l-- {
				size := []float64{9, 10, 10.5, 14}[r.Intn(4)]
				for c := 0; c < 1+r.Intn(6); c++ {
					if r.Intn(4) == 0 {
						continue
					}
					w := words[r.Intn(len(words))]
					x := 60 + float64(c)*80 + r.Float64()*30
					for _, ch := range w {
						gw := size
						if ch < 0x80 {
							gw = size / 2
						}
						pg.glyphs = append(pg.glyphs, pdfGlyph{text: string(ch), x0: x, y0: y, x1: x + gw, y1: y + size, size: size})
						x += gw
						if r.Intn(8) == 0 {
							x += size // a wide space inside a text
						}
					}
				}
				y += []float64{size * 0.2, size * 0.6, size * 1.6, size * 3}[r.Intn(4)]
				if y > 800 {
					break
				}
			}
			pages = append(pages, pg)
		}
		doc := &Document{Path: "random.pdf", Format: FormatPDF}
		assemble(doc, pages, Limits{}.WithDefaults())
		for _, b := range doc.Blocks {
			tb := b.Table
			if tb == nil {
				continue
			}
			inferred++
			if tb.LastPage > tb.Page {
				stitched++
			}
			for _, c := range tb.Cells() {
				if c.Row < 0 || c.Row+c.RowSpan > tb.NumRows || c.Col < 0 || c.Col+c.ColSpan > tb.NumCols {
					t.Fatalf("iteration %d: cell %q at r%d+%d c%d+%d outside %d × %d", it, c.Text, c.Row, c.RowSpan, c.Col, c.ColSpan, tb.NumRows, tb.NumCols)
				}
				if c.Page < tb.Page || c.Page > tb.LastPage {
					t.Fatalf("iteration %d: cell %q on page %d, table on %d–%d", it, c.Text, c.Page, tb.Page, tb.LastPage)
				}
			}
		}
	}
	t.Logf("%d tables inferred, %d over a page break", inferred, stitched)
	if inferred == 0 || stitched == 0 {
		t.Errorf("the random pages gave %d tables, %d over a page break: the test reaches too little", inferred, stitched)
	}
}
