package parser

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ogi/synth"
)

func readTestPDF(t *testing.T, p testPDF) (*Document, error) {
	t.Helper()
	return Read(context.Background(), "test.pdf", p.bytes(), Options{})
}

func mustReadPDF(t *testing.T, p testPDF) *Document {
	t.Helper()
	doc, err := readTestPDF(t, p)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if doc.Format != FormatPDF {
		t.Fatalf("format %q, want pdf", doc.Format)
	}
	return doc
}

func paras(doc *Document) []string {
	var out []string
	for _, b := range doc.Blocks {
		if b.Para != nil {
			out = append(out, b.Para.Text)
		}
	}
	return out
}

func tables(doc *Document) []*Table {
	var out []*Table
	for _, b := range doc.Blocks {
		if b.Table != nil {
			out = append(out, b.Table)
		}
	}
	return out
}

// TestPDFParagraphs: wrapped lines join into one paragraph, an indented
// line starts a new one, page numbers and a running header are dropped.
func TestPDFParagraphs(t *testing.T) {
	page := func(n string) string {
		return txt(72, 810, 9, "某某县人民政府信息公开年报") + // running header
			txt(96, 700, 12, "第一段第一行文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长") +
			txt(72, 682, 12, "第一段第二行文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长") +
			txt(72, 664, 12, "第一段结束。") +
			txt(96, 646, 12, "第二段。") +
			txt(290, 40, 10, "- "+n+" -") // page number
	}
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: page("1")}, {content: page("2")}}})
	got := paras(doc)
	want := []string{
		"第一段第一行文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长第一段第二行文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长第一段结束。",
		"第二段。",
	}
	want = append(want, want...)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs:\n got %q\nwant %q", got, want)
	}
	if doc.Blocks[0].Para.Page != 1 || doc.Blocks[2].Para.Page != 2 {
		t.Errorf("pages %d, %d; want 1, 2", doc.Blocks[0].Para.Page, doc.Blocks[2].Para.Page)
	}
}

// A ruled table: a header cell spanning two columns (its inner rule not
// drawn), a label spanning two rows, numbers in the cells.
func ruledTable(top float64) string {
	xs := []float64{72, 172, 272, 372}
	ys := []float64{top, top - 20, top - 40, top - 60}
	skipV := map[string]bool{"0,2": true, "1,0": false}
	skipH := map[string]bool{"2,0": true} // under 合计 in column 0: row span
	return grid(xs, ys, skipV, skipH) +
		txt(76, top-15, 10, "项目") + txt(200, top-15, 10, "数量") +
		txt(76, top-35, 10, "合计") + txt(176, top-35, 10, "12") + txt(276, top-35, 10, "3") +
		txt(176, top-55, 10, "4") + txt(276, top-55, 10, "5")
}

func TestPDFRuledTable(t *testing.T) {
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: txt(72, 760, 12, "表一") + ruledTable(740)}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1", len(ts))
	}
	var buf bytes.Buffer
	buf.WriteString(dumpOne(ts[0]))
	want := `TABLE 1 (page 1): 3 rows × 3 cols
  r0 | "项目" | "数量"[r1c2] | <
  r1 | "合计"[r2c1] | "12" | "3"
  r2 | ^ | "4" | "5"
`
	if buf.String() != want {
		t.Errorf("table:\n%s\nwant\n%s", buf.String(), want)
	}
	if ts[0].Rows[1][1].Page != 1 || ts[0].BBox == nil {
		t.Errorf("cell page %d, bbox %v", ts[0].Rows[1][1].Page, ts[0].BBox)
	}
}

// TestPDFStitch: a table that goes on over the page break, with the same
// column edges, is one table; the label cut by the break stays one cell.
func TestPDFStitch(t *testing.T) {
	xs := []float64{72, 172, 272}
	p1 := grid(xs, []float64{200, 180, 160}, nil, map[string]bool{"2,0": false}) +
		txt(76, 185, 10, "甲") + txt(176, 185, 10, "1") +
		txt(76, 165, 10, "乙类") + txt(176, 165, 10, "2")
	// Page 2: the row under 乙类 continues its label (empty cell, spanning
	// two rows), then a new label.
	p2 := grid(xs, []float64{800, 780, 760, 740}, nil, map[string]bool{"1,0": true}) +
		txt(176, 785, 10, "3") + txt(176, 765, 10, "4") +
		txt(76, 745, 10, "丙") + txt(176, 745, 10, "5")
	// On page 1 乙类 spans only its own row; make it a two-row label by
	// drawing a second row under it without a rule in column 0.
	p1 = grid(xs, []float64{200, 180, 160, 140}, nil, map[string]bool{"2,0": true}) +
		txt(76, 185, 10, "甲") + txt(176, 185, 10, "1") +
		txt(76, 165, 10, "乙类") + txt(176, 165, 10, "2") + txt(176, 145, 10, "2b")
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: p1}, {content: p2}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1 (stitched)", len(ts))
	}
	var buf bytes.Buffer
	buf.WriteString(dumpOne(ts[0]))
	want := `TABLE 1 (pages 1–2): 6 rows × 2 cols
  r0 | "甲" | "1"
  r1 | "乙类"[r4c1] | "2"
  r2 | ^ | "2b"
  r3 | ^ | "3"
  r4 | ^ | "4"
  r5 | "丙" | "5"
`
	if buf.String() != want {
		t.Errorf("stitched table:\n%s\nwant\n%s", buf.String(), want)
	}
	if c := ts[0].Rows[5][1]; c.Page != 2 {
		t.Errorf("cell 5 on page %d, want 2", c.Page)
	}
}

// TestPDFVerticalText: Identity-V text in a cell reads top to bottom.
func TestPDFVerticalText(t *testing.T) {
	xs := []float64{72, 172, 272}
	c := grid(xs, []float64{700, 600, 500}, nil, map[string]bool{"1,0": true}) +
		vtxt(122, 690, 12, "办理结果") + txt(176, 650, 10, "1") + txt(176, 550, 10, "2")
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: c}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables", len(ts))
	}
	if got := ts[0].Rows[0][0]; got.Text != "办理结果" || got.RowSpan != 2 {
		t.Errorf("vertical label %q rowspan %d, want 办理结果 over 2 rows", got.Text, got.RowSpan)
	}
}

// TestPDFRotatedAndCropped: a page shown turned by /Rotate 90 with text
// drawn turned the other way reads normally; text outside the crop box
// is not on the page.
func TestPDFRotatedAndCropped(t *testing.T) {
	// Rotate 90 turns the page clockwise; text drawn rotated 90°
	// anticlockwise (matrix 0 1 -1 0) reads left to right when shown, and
	// its next line is further right in user space (lower when shown).
	c := "BT /F1 12 Tf 0 1 -1 0 300 100 Tm " + hexText("横排文字") + " Tj ET\n" +
		"BT /F1 12 Tf 0 1 -1 0 320 100 Tm " + hexText("第二行") + " Tj ET\n"
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: c, rotate: 90}}})
	if got := strings.Join(paras(doc), "|"); got != "横排文字|第二行" && got != "横排文字第二行" {
		t.Errorf("rotated page text %q", got)
	}
	c = txt(72, 700, 12, "看得见") + txt(400, 700, 12, "裁掉的")
	doc = mustReadPDF(t, testPDF{pages: []testPage{{content: c, crop: "[0 0 300 842]"}}})
	if got := strings.Join(paras(doc), "|"); got != "看得见" {
		t.Errorf("cropped page text %q, want 看得见", got)
	}
}

// ctxt shows s centred on x, as a cell's text is (digits are half an em
// wide in the test font, everything else one em).
func ctxt(x, y, size float64, s string) string {
	w := 0.0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			w += size / 2
		} else {
			w += size
		}
	}
	return txt(x-w/2, y, size, s)
}

// TestPDFInferredColumns: in a table without rules, a header with a wide
// space inside it (本年废　止件数) is one cell, a column that some rows leave
// blank is still a column, and a last row of only its label is a row.
func TestPDFInferredColumns(t *testing.T) {
	c := txt(72, 760, 12, "统计表") +
		ctxt(115, 700, 10, "信息内容") + ctxt(237, 700, 10, "本年制发件数") +
		txt(323, 700, 10, "本年废") + txt(363, 700, 10, "止件数") + ctxt(480, 700, 10, "现行有效件数") +
		ctxt(115, 683, 10, "规章") + ctxt(358, 683, 10, "0") + ctxt(480, 683, 10, "5") +
		ctxt(115, 666, 10, "规范性文件") + ctxt(237, 666, 10, "9") + ctxt(480, 666, 10, "11") +
		ctxt(115, 649, 10, "信息内容") + ctxt(358, 649, 10, "本年处理决定数量") +
		ctxt(115, 632, 10, "行政许可")
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: c}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1; paragraphs %q", len(ts), paras(doc))
	}
	tb := ts[0]
	if tb.NumRows != 5 || tb.NumCols != 4 || !tb.Inferred {
		t.Fatalf("table %d × %d inferred %v", tb.NumRows, tb.NumCols, tb.Inferred)
	}
	g := tb.Grid(FillBlank)
	want := [][]string{
		{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
		{"规章", "", "0", "5"},
		{"规范性文件", "9", "", "11"},
		{"信息内容", "", "本年处理决定数量", ""},
		{"行政许可", "", "", ""},
	}
	for r, row := range want {
		for k, w := range row {
			if g[r][k].Text != w {
				t.Errorf("r%d c%d = %q, want %q", r, k, g[r][k].Text, w)
			}
		}
	}
}

// TestPDFInferredOverPageBreak: a table without rules that starts with two
// rows at the foot of a page (too few to be told from text there) and goes
// on over the next is one table, each cell on its page.
func TestPDFInferredOverPageBreak(t *testing.T) {
	p1 := txt(72, 760, 12, "第一页的正文。") +
		ctxt(115, 130, 10, "项目") + ctxt(237, 130, 10, "自然人") + ctxt(358, 130, 10, "法人") + ctxt(480, 130, 10, "总计") +
		ctxt(115, 113, 10, "新收") + ctxt(237, 113, 10, "10") + ctxt(358, 113, 10, "2") + ctxt(480, 113, 10, "12")
	p2 := ctxt(115, 760, 10, "结转") + ctxt(237, 760, 10, "1") + ctxt(358, 760, 10, "0") + ctxt(480, 760, 10, "1") +
		ctxt(115, 743, 10, "办结") + ctxt(237, 743, 10, "9") + ctxt(358, 743, 10, "2") + ctxt(480, 743, 10, "11") +
		ctxt(115, 726, 10, "结余") + ctxt(237, 726, 10, "2") + ctxt(480, 726, 10, "2") +
		txt(72, 680, 12, "第二页的正文。")
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: p1}, {content: p2}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1; paragraphs %q", len(ts), paras(doc))
	}
	tb := ts[0]
	if tb.NumRows != 5 || tb.NumCols != 4 || tb.Page != 1 || tb.LastPage != 2 {
		t.Fatalf("table %d × %d on pages %d–%d, want 5 × 4 on 1–2", tb.NumRows, tb.NumCols, tb.Page, tb.LastPage)
	}
	g := tb.Grid(FillBlank)
	if g[1][1].Text != "10" || g[1][1].Cell.Page != 1 || g[3][3].Text != "11" || g[3][3].Cell.Page != 2 || g[4][2].Text != "" {
		t.Errorf("cells %q p%d, %q p%d, %q", g[1][1].Text, g[1][1].Cell.Page, g[3][3].Text, g[3][3].Cell.Page, g[4][2].Text)
	}
	if got := strings.Join(paras(doc), "|"); got != "第一页的正文。|第二页的正文。" {
		t.Errorf("paragraphs %q", got)
	}
}

// TestPDFInferredEndsOverPageBreak: a table without rules whose last two
// rows open the next page, too few to be a table there, ends on that page.
func TestPDFInferredEndsOverPageBreak(t *testing.T) {
	p1 := txt(72, 760, 12, "第一页的正文。") +
		ctxt(115, 164, 10, "项目") + ctxt(237, 164, 10, "自然人") + ctxt(358, 164, 10, "法人") + ctxt(480, 164, 10, "总计") +
		ctxt(115, 147, 10, "新收") + ctxt(237, 147, 10, "10") + ctxt(358, 147, 10, "2") + ctxt(480, 147, 10, "12") +
		ctxt(115, 130, 10, "结转") + ctxt(237, 130, 10, "1") + ctxt(358, 130, 10, "0") + ctxt(480, 130, 10, "1")
	p2 := ctxt(115, 760, 10, "办结") + ctxt(237, 760, 10, "9") + ctxt(358, 760, 10, "2") + ctxt(480, 760, 10, "11") +
		ctxt(115, 743, 10, "结余") + ctxt(237, 743, 10, "2") + ctxt(480, 743, 10, "2") +
		txt(72, 680, 12, "第二页的正文。")
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: p1}, {content: p2}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1; paragraphs %q", len(ts), paras(doc))
	}
	if tb := ts[0]; tb.NumRows != 5 || tb.Page != 1 || tb.LastPage != 2 {
		t.Fatalf("table of %d rows on pages %d–%d, want 5 rows on 1–2", tb.NumRows, tb.Page, tb.LastPage)
	}
	if got := strings.Join(paras(doc), "|"); got != "第一页的正文。|第二页的正文。" {
		t.Errorf("paragraphs %q", got)
	}
}

// TestMergeAcrossBreak: a merged cell cut by a page break is joined again;
// two cells of one row each are joined only when the item number alone
// was left above the break.
func TestMergeAcrossBreak(t *testing.T) {
	for _, tc := range []struct {
		up, down       string
		upSpan, dnSpan int
		want           bool
	}{
		{"（五）不予处理", "", 2, 3, true},
		{"", "（五）不予处理", 1, 3, true},
		{"（五）", "不予处理", 1, 1, true},
		{"(五 )", "不予处理", 1, 1, true},
		{"（四）无法提供", "（五）不予处理", 3, 4, false},
		{"（六）其他处理", "总计", 1, 1, false},
		{"0", "0", 1, 1, false},
		{"（五）", "1.信访举报投诉类申请", 1, 1, false},
	} {
		above := &Cell{Text: tc.up, RowSpan: tc.upSpan, ColSpan: 1}
		c := &Cell{Text: tc.down, RowSpan: tc.dnSpan, ColSpan: 1}
		if got := mergeAcrossBreak(above, c); got != tc.want {
			t.Errorf("%q over %q: merged %v, want %v", tc.up, tc.down, got, tc.want)
		}
	}
}

// TestPDFInferredTable: a table printed without rules is read from the
// alignment of its text, with a warning.
func TestPDFInferredTable(t *testing.T) {
	var c string
	rows := [][]string{{"项目", "自然人", "法人", "总计"}, {"新收", "10", "2", "12"}, {"结转", "1", "0", "1"}}
	for r, row := range rows {
		for k, s := range row {
			c += txt(72+float64(k)*110, 700-float64(r)*20, 10, s)
		}
	}
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: txt(72, 740, 12, "统计表") + c}}})
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1", len(ts))
	}
	tb := ts[0]
	if tb.NumRows != 3 || tb.NumCols != 4 || !tb.Inferred {
		t.Fatalf("table %d × %d inferred %v", tb.NumRows, tb.NumCols, tb.Inferred)
	}
	g := tb.Grid(FillBlank)
	if g[1][3].Text != "12" || g[2][1].Text != "1" || g[0][1].Text != "自然人" {
		t.Errorf("cells %q %q %q", g[1][3].Text, g[2][1].Text, g[0][1].Text)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "inferred from text alignment") {
		t.Errorf("warnings %q", doc.Warnings)
	}
}

// The bad kinds of PDF each get their own error, naming the file.
func TestPDFBad(t *testing.T) {
	secret := "secret"
	empty := ""
	text := txt(72, 700, 12, "正文")
	cases := []struct {
		name string
		pdf  testPDF
		want error
		msg  string
	}{
		{"scanned", testPDF{pages: []testPage{{content: "q 595 0 0 842 0 0 cm /Im1 Do Q", image: true}}}, ErrScanned, "scanned PDF, no text layer"},
		{"password", testPDF{pages: []testPage{{content: text}}, userPW: &secret}, ErrEncrypted, "encrypted"},
		{"password, 40-bit RC4", testPDF{pages: []testPage{{content: text}}, userPW: &secret, rc4Bits: 40}, ErrEncrypted, "encrypted"},
		{"no unicode map", testPDF{pages: []testPage{{content: text}}, noUnicode: true}, ErrNoUnicode, "TestSong"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readTestPDF(t, c.pdf)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), "test.pdf") || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q does not name the file and say %q", err, c.msg)
			}
		})
	}
	t.Run("some glyphs without a Unicode map", func(t *testing.T) {
		c := txt(72, 700, 12, "正文一段很长的文字") + vtxt(300, 600, 12, "乱码")
		doc := mustReadPDF(t, testPDF{pages: []testPage{{content: c}}, noUnicodeV: true})
		if got := strings.Join(paras(doc), "|"); got != "正文一段很长的文字" {
			t.Errorf("text %q, want the unmapped glyphs dropped", got)
		}
		if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "2 glyphs dropped: fonts TestKai have no Unicode map (pages 1)") {
			t.Errorf("warnings %q", doc.Warnings)
		}
	})
	t.Run("empty user password", func(t *testing.T) {
		doc := mustReadPDF(t, testPDF{pages: []testPage{{content: text}}, userPW: &empty})
		if got := strings.Join(paras(doc), "|"); got != "正文" {
			t.Errorf("decrypted text %q", got)
		}
	})
	t.Run("empty user password, 40-bit RC4", func(t *testing.T) {
		doc := mustReadPDF(t, testPDF{pages: []testPage{{content: text}}, userPW: &empty, rc4Bits: 40, title: "某县2024年政府信息公开工作年度报告"})
		if got := strings.Join(paras(doc), "|"); got != "正文" {
			t.Errorf("decrypted text %q", got)
		}
		if got := doc.Meta["title"]; got != "某县2024年政府信息公开工作年度报告" {
			t.Errorf("decrypted title %q", got)
		}
	})
	t.Run("damaged xref repaired", func(t *testing.T) {
		doc := mustReadPDF(t, testPDF{pages: []testPage{{content: text}}, badXref: true})
		if got := strings.Join(paras(doc), "|"); got != "正文" {
			t.Errorf("repaired text %q", got)
		}
		if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0], "cross-reference") {
			t.Errorf("warnings %q, want the repair noted", doc.Warnings)
		}
	})
	t.Run("object streams", func(t *testing.T) {
		doc := mustReadPDF(t, testPDF{pages: []testPage{{content: text}}, objStm: true})
		if got := strings.Join(paras(doc), "|"); got != "正文" || len(doc.Warnings) != 0 {
			t.Errorf("text %q, warnings %q", got, doc.Warnings)
		}
	})
	for _, tc := range []struct {
		name string
		p    testPDF
	}{
		{"damaged xref stream repaired into object streams", testPDF{pages: []testPage{{content: text}, {content: txt(72, 700, 12, "第二页")}}, objStm: true, badXref: true}},
		{"cut before the xref stream, repaired into object streams", testPDF{pages: []testPage{{content: text}, {content: txt(72, 700, 12, "第二页")}}, objStm: true, cutXref: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := mustReadPDF(t, tc.p)
			if got := strings.Join(paras(doc), "|"); got != "正文第二页" { // one paragraph over the page break
				t.Errorf("repaired text %q", got)
			}
			if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[0], "cross-reference") {
				t.Errorf("warnings %q, want the repair noted", doc.Warnings)
			}
		})
	}
	t.Run("PDF 2.0 header", func(t *testing.T) {
		doc := mustReadPDF(t, testPDF{pages: []testPage{{content: text}}, version: "2.0"})
		if got := strings.Join(paras(doc), "|"); got != "正文" {
			t.Errorf("text %q", got)
		}
	})
	t.Run("corrupt beyond repair", func(t *testing.T) {
		_, err := Read(context.Background(), "junk.pdf", []byte("%PDF-1.4\n1 0 bogus\nnothing here\n%%EOF\n"), Options{})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "junk.pdf") {
			t.Errorf("err = %v, want ErrCorrupt naming junk.pdf", err)
		}
	})
	t.Run("page limit", func(t *testing.T) {
		p := testPDF{pages: []testPage{{content: text}, {content: text}, {content: text}}}
		_, err := Read(context.Background(), "big.pdf", p.bytes(), Options{Limits: Limits{MaxPDFPages: 2}})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
	t.Run("operator limit", func(t *testing.T) {
		p := testPDF{pages: []testPage{{content: strings.Repeat("q Q ", 100) + text}}}
		_, err := Read(context.Background(), "ops.pdf", p.bytes(), Options{Limits: Limits{MaxPDFOps: 50}})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "page 1") {
			t.Errorf("err = %v, want ErrTooLarge on page 1", err)
		}
	})
	t.Run("glyph limit", func(t *testing.T) {
		p := testPDF{pages: []testPage{{content: txt(72, 700, 12, strings.Repeat("字", 40))}}}
		_, err := Read(context.Background(), "glyphs.pdf", p.bytes(), Options{Limits: Limits{MaxPDFGlyphs: 10}})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
	t.Run("stream limit", func(t *testing.T) {
		p := testPDF{pages: []testPage{{content: text + strings.Repeat(" ", 5000)}}}
		_, err := Read(context.Background(), "stream.pdf", p.bytes(), Options{Limits: Limits{MaxPartBytes: 1000}})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("err = %v, want ErrTooLarge", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := ReadPDF(ctx, "c.pdf", testPDF{pages: []testPage{{content: text}}}.bytes(), Options{})
		if !errors.Is(err, ErrCanceled) {
			t.Errorf("err = %v, want ErrCanceled", err)
		}
	})
}

// TestPDFSniff: a PDF is found by its bytes whatever its name.
func TestPDFSniff(t *testing.T) {
	data := testPDF{pages: []testPage{{content: txt(72, 700, 12, "正文")}}}.bytes()
	for _, name := range []string{"report.docx", "report.html", "report"} {
		doc, err := Read(context.Background(), name, data, Options{})
		if err != nil || doc.Format != FormatPDF {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPDFRealDump compares the dump of each real PDF with its golden.
func TestPDFRealDump(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "real", "*.pdf"))
	if len(files) == 0 {
		t.Fatal("no fixtures/real/*.pdf")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc, err := ReadFile(context.Background(), f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			doc.Path = filepath.Base(f)
			var buf bytes.Buffer
			if err := Dump(&buf, doc); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, f+".dump.golden", buf.Bytes())
		})
	}
}

func dumpOne(t *Table) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	dumpTable(w, t, "1", tablePages(t), "")
	w.Flush()
	return buf.String()
}

func TestPDFFixturesReadable(t *testing.T) {
	// Each real PDF holds the three statistical tables: make sure a trivial
	// reading (no tables) cannot pass for a good one.
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "real", "*.pdf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Read(context.Background(), f, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(tables(doc)); n < 3 {
			t.Errorf("%s: %d tables, want at least 3", f, n)
		}
	}
}

// TestPDFInferredTight: a wrapped header line just above a run of aligned
// lines too short to be a table is left as text (and does not send the
// search round for ever).
func TestPDFInferredTight(t *testing.T) {
	c := txt(200, 705, 10, "本年制发") + txt(72, 700, 10, "信息内容") + txt(300, 700, 10, "数量")
	doc := mustReadPDF(t, testPDF{pages: []testPage{{content: c}}})
	if len(tables(doc)) != 0 || len(paras(doc)) == 0 {
		t.Errorf("blocks %+v", doc.Blocks)
	}
}

// TestPDFScannedGenerated: the generator's scanned report (every page an
// image, no text layer) is refused as scanned.
func TestPDFScannedGenerated(t *testing.T) {
	data, err := synth.ScannedPDF(3, 4)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Read(context.Background(), "scan.pdf", data, Options{})
	if !errors.Is(err, ErrScanned) || !strings.Contains(err.Error(), "scan.pdf") || !strings.Contains(err.Error(), "4 of 4 pages are images") {
		t.Errorf("err = %v, want ErrScanned naming scan.pdf and its 4 image pages", err)
	}
}
