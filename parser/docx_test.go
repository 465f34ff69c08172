package parser

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readDOCXFixture reads fixtures/name and names it "fixtures/name".
func readDOCXFixture(t testing.TB, name string) *Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), "fixtures/"+name, data, Options{})
	if err != nil {
		t.Fatalf("Read(context.Background(), %s): %v", name, err)
	}
	return doc
}

func docxTables(doc *Document) []*Table {
	var out []*Table
	for _, b := range doc.Blocks {
		if b.Table != nil {
			out = append(out, b.Table)
		}
	}
	return out
}

func docxParas(doc *Document) []string {
	var out []string
	for _, b := range doc.Blocks {
		if b.Para != nil {
			out = append(out, b.Para.Text)
		}
	}
	return out
}

// docxGridLines renders a table's grid as Dump does, one string per row.
func docxGridLines(t *Table) []string {
	var out []string
	for r, row := range t.Grid(FillOrigin) {
		s := make([]string, len(row))
		for k, slot := range row {
			s[k] = slotText(slot, r)
		}
		out = append(out, strings.Join(s, " | "))
	}
	return out
}

type vmOrigin struct {
	row, col, rowspan, colspan int
	text                       string
}

// docxVMergeOrigins lists the cells spanning more than one row.
func docxVMergeOrigins(t *Table) []vmOrigin {
	var out []vmOrigin
	for _, c := range t.Cells() {
		if c.RowSpan > 1 {
			out = append(out, vmOrigin{c.Row, c.Col, c.RowSpan, c.ColSpan, c.Text})
		}
	}
	return out
}

func TestTemplateWPS(t *testing.T) {
	doc := readDOCXFixture(t, "template-2021-blank-wps.docx")
	tables := docxTables(doc)
	if len(tables) != 3 {
		t.Fatalf("tables = %d, want 3", len(tables))
	}
	if doc.Meta["creator"] != "张幸瑾" || doc.Meta["created"] != "2025-12-03T06:30:00Z" {
		t.Errorf("Meta = %v", doc.Meta)
	}
	sizes := [][2]int{{14, 4}, {28, 10}, {4, 15}}
	for i, tb := range tables {
		if got := [2]int{tb.NumRows, tb.NumCols}; got != sizes[i] {
			t.Errorf("table %d size = %v, want %v", i+1, got, sizes[i])
		}
	}
	wantOrigins := [][]vmOrigin{
		nil,
		{
			{0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"},
			{1, 3, 2, 1, "自然人"},
			{1, 9, 2, 1, "总计"},
			{5, 0, 22, 1, "三、本年度办理结果"},
			{7, 1, 8, 1, "（三）不予公开"},
			{15, 1, 3, 1, "（四）无法提供"},
			{18, 1, 5, 1, "（五）不予处理"},
			{23, 1, 3, 1, "（六）其他处理"},
		},
		{
			{1, 0, 2, 1, "结果维持"},
			{1, 1, 2, 1, "结果\n纠正"},
			{1, 2, 2, 1, "其他\n结果"},
			{1, 3, 2, 1, "尚未\n审结"},
			{1, 4, 2, 1, "总计"},
		},
	}
	restarts, continues := 0, 0
	for i, tb := range tables {
		got := docxVMergeOrigins(tb)
		if fmt.Sprint(got) != fmt.Sprint(wantOrigins[i]) {
			t.Errorf("table %d vMerge origins:\n got %v\nwant %v", i+1, got, wantOrigins[i])
		}
		for _, o := range got {
			restarts++
			continues += o.rowspan - 1
		}
	}
	if restarts != 13 || continues != 45 {
		t.Errorf("vMerge restarts/continues = %d/%d, want 13/45", restarts, continues)
	}
	g1 := tables[0].Grid(FillOrigin)
	g2 := tables[1].Grid(FillOrigin)
	g3 := tables[2].Grid(FillOrigin)
	slots := []struct {
		name string
		got  Slot
		text string
	}{
		{"t1 r2c1 (U+3000 ×2)", g1[2][1], "\u3000\u3000"},
		{"t1 r2c2 (U+3000)", g1[2][2], "\u3000"},
		{"t1 r1c3 runs joined", g1[1][3], "现行有效件数"},
		{"t1 r6c1 gridSpan 3", g1[6][1], ""},
		{"t2 r2c4 two paragraphs", g2[2][4], "商业\n企业"},
		{"t2 r2c5 two paragraphs", g2[2][5], "科研\n机构"},
		{"t2 r0c3", g2[0][3], "申请人情况"},
		{"t2 r14c2", g2[14][2], "8.属于行政查询事项"},
		{"t2 r26c1", g2[26][1], "（七）总计"},
		{"t3 r2c5 line break", g3[2][5], "结果\n维持"},
	}
	for _, s := range slots {
		if !s.got.Origin || s.got.Text != s.text {
			t.Errorf("%s = %+v, want origin %q", s.name, s.got, s.text)
		}
	}
	if c := g1[6][1].Cell; c.ColSpan != 3 {
		t.Errorf("t1 r6c1 ColSpan = %d, want 3", c.ColSpan)
	}
	if s := g2[20][0]; !s.Covered || s.Cell.Text != "三、本年度办理结果" {
		t.Errorf("t2 r20c0 = %+v, want covered by 三、本年度办理结果", s)
	}
	if s := g2[26][2]; !s.Covered || s.Cell.Text != "（七）总计" {
		t.Errorf("t2 r26c2 = %+v, want covered from the left by （七）总计", s)
	}
	// Every row of table 2 fills all ten grid columns: no holes.
	for r, row := range g2 {
		for k, s := range row {
			if s.Cell == nil {
				t.Errorf("t2 r%dc%d is a hole", r, k)
			}
		}
	}
	if p := docxParas(doc); len(p) != 10 || p[0] != "政府信息公开工作年度报告格式模板" {
		t.Errorf("paragraphs = %q", p)
	}
}

func TestSeedReport(t *testing.T) {
	doc := readDOCXFixture(t, "seed-report.docx")
	paras := docxParas(doc)
	if len(paras) != 19 {
		t.Errorf("paragraphs = %d, want 19", len(paras))
	}
	if paras[0] != "额敏县额玛勒郭楞蒙古民族乡人民政府信息公开工作年度报告" {
		t.Errorf("title = %q", paras[0])
	}
	if got := paras[len(paras)-2:]; got[0] != "额敏县额玛勒郭楞蒙古民族乡人民政府" || got[1] != "2025年2月18日" {
		t.Errorf("signature = %q", got)
	}
	for _, p := range paras {
		if strings.Contains(p, "OLE_LINK") || strings.Contains(p, "_GoBack") {
			t.Errorf("bookmark leaked into text: %q", p)
		}
	}
	if !strings.HasPrefix(paras[6], "(三)政府信息管理情况。") {
		t.Errorf("paragraph after the bookmarks = %q", paras[6])
	}
	tables := docxTables(doc)
	if len(tables) != 3 {
		t.Fatalf("tables = %d, want 3", len(tables))
	}
	t2, t3, t4 := tables[0], tables[1], tables[2]
	if t2.NumRows != 14 || t2.NumCols != 4 || t3.NumRows != 28 || t3.NumCols != 10 || t4.NumRows != 4 || t4.NumCols != 15 {
		t.Errorf("sizes = %dx%d %dx%d %dx%d", t2.NumRows, t2.NumCols, t3.NumRows, t3.NumCols, t4.NumRows, t4.NumCols)
	}
	g := docxGridLines(t3)
	want := map[int]string{
		2:  `^ | ^ | ^ | ^ | "商业企业" | "科研机构" | "社会公益组织" | "法律服务机构" | "其他" | ^`,
		4:  `"二、上年结转政府信息公开申请数量"[r1c3] | < | < | "" | "0" | "0" | "0" | "0" | "0" | "0"`,
		5:  `"三、本年度办理结果"[r18c1] | "（一）予以公开"[r1c2] | < | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
		7:  `^ | "（3） \n不予\n公开"[r8c1] | "0" | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
		14: `^ | ^ | "0" | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
		15: `^ | "（四）无法\n提供"[r3c1] | "0" | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
		18: `^ | "（五）\n不予\n处理"[r5c1] | "0" | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
		23: `"三、本年度办理结果"[r4c1] | "（六）\n其他\n处理"[r3c1] | "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
		26: `^ | "（七）总计"[r1c2] | < | "0" | "0" | "0" | "0" | "0" | "0" | "0"`,
	}
	for r, w := range want {
		if g[r] != w {
			t.Errorf("table 3 row %d:\n got %s\nwant %s", r, g[r], w)
		}
	}
	g4 := docxGridLines(t4)
	if !strings.Contains(g4[1], `"总\n计"[r2c1]`) || !strings.Contains(g4[2], `"总 计"`) {
		t.Errorf("table 4 totals headers:\n%s\n%s", g4[1], g4[2])
	}
	if g4[3] != strings.TrimSuffix(strings.Repeat(`"0" | `, 15), " | ") {
		t.Errorf("table 4 values = %s", g4[3])
	}
}

// TestOOXMLConstructs checks the hand-written fixtures, one family of
// constructs each.
func TestOOXMLConstructs(t *testing.T) {
	tests := []struct {
		name   string
		paras  []string
		tables [][]string // docxGridLines of each top-level table
	}{
		{"ooxml-sdt.docx",
			[]string{"机关名称：某某县人民政府", "段落控件中的文字", "表后"},
			[][]string{{`"项目" | "数量"`, `"规章" | "3"`, `"规范性文件" | "7"`}}},
		{"ooxml-tracked.docx",
			[]string{"本年度共收到申请15件。", "（新位置）"},
			[][]string{{`"行政许可" | "6"`, `"行政强制" | "0"`}}},
		{"ooxml-textbox.docx",
			[]string{"前文", "锚定段落（续）", "文本框中的说明", "后文"}, nil},
		{"ooxml-fields.docx",
			[]string{"第2页", "详见中国政府网。", "日期：有", "坏字段", "其后正文"}, nil},
		{"ooxml-inline.docx",
			[]string{"网址：www.gov.cn", "2025年2月18日发布", "甲 乙\n丙\n丁-戊\uf0fc±", "前后空格 与 制表", "全角\u3000空格与不换行\u00a0空格"}, nil},
		{"ooxml-gridedge.docx", nil,
			[][]string{{`"甲" | "乙" | "丙" | "丁"`, `· | "一" | "二三"[r1c2] | <`, `"A" | "B" | "C" | ·`, `· | "x" | "y" | ·`}}},
		{"ooxml-vmerge.docx", nil,
			[][]string{{`"" | "首行" | "值"`, `"合并\n续写"[r4c1] | "a" | "1"`, `^ | "b" | "2"`, `^ | "c" | "3"`, `^ | · | "4"`}}},
		{"ooxml-nested.docx",
			[]string{"表后文字"},
			[][]string{{`"左上" | "右上"`, `"左下" | "外层单元格"{1 nested}`}}},
		{"ooxml-strict.docx",
			[]string{"严格模式文档"},
			[][]string{{`"项目"[r2c1] | "甲"`, `^ | "乙"`}}},
		{"ooxml-wps-merge.docx", nil,
			[][]string{{`"标签"[r2c1] | "商业\n企业" | "其他"`, `^ | "\u3000" | "\u3000\u3000"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readDOCXFixture(t, tt.name)
			if got := docxParas(doc); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.paras) {
				t.Errorf("paragraphs = %q, want %q", got, tt.paras)
			}
			tables := docxTables(doc)
			if len(tables) != len(tt.tables) {
				t.Fatalf("tables = %d, want %d", len(tables), len(tt.tables))
			}
			for i, tb := range tables {
				if got := docxGridLines(tb); strings.Join(got, "\n") != strings.Join(tt.tables[i], "\n") {
					t.Errorf("table %d:\n got %s\nwant %s", i+1, strings.Join(got, "\n    "), strings.Join(tt.tables[i], "\n    "))
				}
			}
		})
	}
}

func TestNestedTableStaysInCell(t *testing.T) {
	doc := readDOCXFixture(t, "ooxml-nested.docx")
	outer := docxTables(doc)[0]
	if outer.NumRows != 2 || outer.NumCols != 2 {
		t.Fatalf("outer = %dx%d, want 2x2", outer.NumRows, outer.NumCols)
	}
	c := outer.Rows[1][1]
	if len(c.Tables) != 1 {
		t.Fatalf("cell r1c1 nested tables = %d, want 1", len(c.Tables))
	}
	if got := strings.Join(docxGridLines(c.Tables[0]), "\n"); got != "\"内1\" | \"内2\"\n\"内3\" | \"内4\"" {
		t.Errorf("nested table = %s", got)
	}
}

func TestAltChunk(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixturesDir, "ooxml-altchunk.docx"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), "fixtures/ooxml-altchunk.docx", data, Options{})
	if err != nil {
		if strings.Contains(err.Error(), "not built") {
			t.Skip("ReadHTML is not available yet: ", err)
		}
		t.Fatal(err)
	}
	if got := docxParas(doc); fmt.Sprintf("%q", got) != `["导入前" "导入的段落" "导入后"]` {
		t.Errorf("paragraphs = %q", got)
	}
	tables := docxTables(doc)
	if len(tables) != 1 {
		t.Fatalf("tables = %d, want 1", len(tables))
	}
	if got := strings.Join(docxGridLines(tables[0]), "\n"); got != "\"项目\"[r2c1] | \"甲\"\n^ | \"乙\"" {
		t.Errorf("table = %s", got)
	}
	if doc.Blocks[2].Table == nil {
		t.Errorf("the chunk's table is not spliced in place: blocks %+v", doc.Blocks)
	}
}

// TestDumpGolden compares the Dump of every DOCX fixture with
// fixtures/<name>.docx.dump.golden (the extension stays in the name, since
// an HTML fixture may share the base name).
func TestDumpGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixturesDir, "*.docx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no DOCX fixtures: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			doc := readDOCXFixture(t, name)
			var buf bytes.Buffer
			if err := Dump(&buf, doc); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join(fixturesDir, name+".dump.golden"), buf.Bytes())
		})
	}
}

// --- packages built in memory -------------------------------------------

// zipEntry is one zip entry; when raw is set, data is already deflated and
// size is the declared uncompressed size.
type zipEntry struct {
	name string
	data []byte
	raw  bool
	size uint64
}

func buildTestZip(t testing.TB, parts ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		if p.raw {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CompressedSize64: uint64(len(p.data)), UncompressedSize64: p.size})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(p.data)
			continue
		}
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const docxTestRels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

// docxWithBody wraps body XML in a minimal package.
func docxWithBody(t testing.TB, body string) []byte {
	return buildTestZip(t,
		zipEntry{name: "_rels/.rels", data: []byte(docxTestRels)},
		zipEntry{name: "word/document.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`)},
	)
}

// zeroDeflate returns a raw deflate stream of n zero bytes (n a multiple
// of 1 MiB, at least 2 MiB), about 1 KB per MiB: a flushed 1 MiB block of
// zeros only refers back to zeros, so it can be repeated.
func zeroDeflate(t testing.TB, n int64) []byte {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	fw.Write(chunk)
	fw.Flush()
	a := buf.Len()
	fw.Write(chunk)
	fw.Flush()
	block := bytes.Clone(buf.Bytes()[a:])
	out := bytes.Clone(buf.Bytes())
	for done := int64(2 << 20); done < n; done += 1 << 20 {
		out = append(out, block...)
	}
	return append(out, 0x01, 0x00, 0x00, 0xFF, 0xFF) // final empty stored block
}

func TestZeroDeflate(t *testing.T) {
	z := zeroDeflate(t, 8<<20)
	n, err := bytes.NewBuffer(nil).ReadFrom(flate.NewReader(bytes.NewReader(z)))
	if err != nil || n != 8<<20 {
		t.Fatalf("inflated %d bytes, err %v; want %d", n, err, 8<<20)
	}
}

func TestZipBomb(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		opts     Options
		cause    error
		contains string
	}{
		{"1 GiB part", buildTestZip(t,
			zipEntry{name: "_rels/.rels", data: []byte(docxTestRels)},
			zipEntry{name: "word/document.xml", data: zeroDeflate(t, 1<<30), raw: true, size: 1 << 30}),
			Options{}, ErrTooLarge, "word/document.xml: over a configured limit: part declares 1073741824 bytes"},
		{"32 MiB part at ratio 1000:1", buildTestZip(t,
			zipEntry{name: "_rels/.rels", data: []byte(docxTestRels)},
			zipEntry{name: "word/document.xml", data: zeroDeflate(t, 32<<20), raw: true, size: 32 << 20}),
			Options{}, ErrTooLarge, "compression ratio"},
		{"declared size lies", buildTestZip(t,
			zipEntry{name: "_rels/.rels", data: []byte(docxTestRels)},
			zipEntry{name: "word/document.xml", data: zeroDeflate(t, 64<<20), raw: true, size: 1000}),
			Options{}, ErrCorrupt, "word/document.xml"},
		{"total over MaxTotalBytes", docxWithBody(t, strings.Repeat("<w:p><w:r><w:t>文字</w:t></w:r></w:p>", 100)),
			Options{Limits: Limits{MaxTotalBytes: 2000}}, ErrTooLarge, "in total"},
		{"part over MaxPartBytes", docxWithBody(t, strings.Repeat("<w:p><w:r><w:t>文字</w:t></w:r></w:p>", 100)),
			Options{Limits: Limits{MaxPartBytes: 2000}}, ErrTooLarge, "word/document.xml"},
		{"too many entries", docxWithBody(t, "<w:p/>"),
			Options{Limits: Limits{MaxParts: 1}}, ErrTooLarge, "2 entries in the archive, limit 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Read(context.Background(), "bomb.docx", tt.data, tt.opts)
			if el := time.Since(start); el > time.Second {
				t.Errorf("took %v, want well under a second", el)
			}
			if !errors.Is(err, tt.cause) {
				t.Fatalf("Read = %v, want %v", err, tt.cause)
			}
			var e *Error
			if !errors.As(err, &e) || e.Path != "bomb.docx" || !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q: want an *Error naming bomb.docx and containing %q", err, tt.contains)
			}
		})
	}
}

func TestDeepNesting(t *testing.T) {
	const depth = 10000
	body := strings.Repeat("<w:tbl><w:tr><w:tc>", depth) + "<w:p/>" + strings.Repeat("</w:tc></w:tr></w:tbl>", depth)
	data := docxWithBody(t, body)
	_, err := Read(context.Background(), "deep.docx", data, Options{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "nested more than 32 deep") {
		t.Fatalf("Read = %v, want ErrTooLarge for nesting", err)
	}
	// With the limit raised the same file reads without exhausting the stack.
	doc, err := Read(context.Background(), "deep.docx", data, Options{Limits: Limits{MaxDepth: depth}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for tb := docxTables(doc)[0]; ; n++ {
		c := tb.Rows[0][0]
		if len(c.Tables) == 0 {
			break
		}
		tb = c.Tables[0]
	}
	if n != depth-1 {
		t.Errorf("nesting read = %d, want %d", n, depth-1)
	}
}

func TestManyCells(t *testing.T) {
	const rows, cols = 1000, 100
	var b strings.Builder
	b.WriteString("<w:tbl><w:tblGrid>")
	for k := 0; k < cols; k++ {
		b.WriteString(`<w:gridCol w:w="100"/>`)
	}
	b.WriteString("</w:tblGrid>")
	for r := 0; r < rows; r++ {
		b.WriteString("<w:tr>")
		for k := 0; k < cols; k++ {
			fmt.Fprintf(&b, "<w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc>", (r*cols+k)*7919%100003)
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
	data := docxWithBody(t, b.String())
	doc, err := Read(context.Background(), "cells.docx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := docxTables(doc)[0]
	if tb.NumRows != rows || tb.NumCols != cols || len(tb.Cells()) != rows*cols {
		t.Fatalf("table = %dx%d with %d cells", tb.NumRows, tb.NumCols, len(tb.Cells()))
	}
	if got, want := tb.Rows[999][99].Text, strconv.Itoa(99999*7919%100003); got != want {
		t.Errorf("last cell = %q, want %q", got, want)
	}
	_, err = Read(context.Background(), "cells.docx", data, Options{Limits: Limits{MaxCells: 50000}})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "cells.docx: word/document.xml: table 1 row 501: over a configured limit: more than 50000 table cells") {
		t.Errorf("Read with MaxCells 50000 = %v", err)
	}
}

// TestMalformedXML: broken XML in the main part is ErrCorrupt with a line.
func TestMalformedXML(t *testing.T) {
	tests := []struct{ name, body, contains string }{
		{"unclosed", "<w:p><w:r><w:t>abc", "XML"},
		{"bad entity", "<w:p><w:r><w:t>a &bogus; b</w:t></w:r></w:p>", "line 1"},
		{"garbage", "<w:p>\x00\x01</w:p>", "XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(context.Background(), "bad.docx", docxWithBody(t, tt.body), Options{})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tt.contains) || !strings.HasPrefix(err.Error(), "bad.docx: ") {
				t.Errorf("Read = %v, want ErrCorrupt naming bad.docx and %q", err, tt.contains)
			}
		})
	}
}

// TestMainPartFromRels: the main part is found through _rels/.rels, and
// word/document.xml is the fallback when the relationship is missing.
func TestMainPartFromRels(t *testing.T) {
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>`
	rels := strings.Replace(docxTestRels, "word/document.xml", "/custom/main.xml", 1)
	tests := []struct {
		name  string
		parts []zipEntry
		want  string
	}{
		{"relationship target", []zipEntry{{name: "_rels/.rels", data: []byte(rels)}, {name: "custom/main.xml", data: []byte(fmt.Sprintf(doc, "主部件"))}, {name: "word/document.xml", data: []byte(fmt.Sprintf(doc, "旧"))}}, "主部件"},
		{"no rels", []zipEntry{{name: "word/document.xml", data: []byte(fmt.Sprintf(doc, "回退"))}}, "回退"},
		{"case-insensitive names", []zipEntry{{name: "Word/Document.XML", data: []byte(fmt.Sprintf(doc, "大小写"))}}, "大小写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Read(context.Background(), "x.docx", buildTestZip(t, tt.parts...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := docxParas(d); len(got) != 1 || got[0] != tt.want {
				t.Errorf("paragraphs = %q, want [%q]", got, tt.want)
			}
		})
	}
}

func TestCollapseText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a  ", "a"},
		{"a \t b", "a b"},
		{"a\tb", "a b"},
		{"（3） \n不予", "（3） \n不予"},
		{"\n\nx\n", "x"},
		{"\u3000a\u3000", "\u3000a\u3000"},
		{"a\u00a0 \u00a0b", "a\u00a0 \u00a0b"},
		{"总 计   ", "总 计"},
		{"a\r\nb", "a\nb"},
		{"a\rb", "a\nb"},
	}
	for _, tt := range tests {
		if got := collapseText([]byte(tt.in)); got != tt.want {
			t.Errorf("collapseText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestHMerge: Word 97's horizontal merge (w:hMerge) widens the cell to
// its left; its own text is kept after a line break.
func TestHMerge(t *testing.T) {
	tc := func(pr, text string) string {
		return "<w:tc><w:tcPr>" + pr + "</w:tcPr><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:tc>"
	}
	body := `<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>` +
		tc(`<w:hMerge w:val="restart"/>`, "合并") + tc(`<w:hMerge/>`, "") + tc("", "c") +
		`</w:tr><w:tr>` + tc(`<w:hMerge/>`, "孤") + tc("", "b") + tc(`<w:hMerge w:val="continue"/>`, "尾") + `</w:tr></w:tbl>`
	doc, err := Read(context.Background(), "h.docx", docxWithBody(t, body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(docxGridLines(docxTables(doc)[0]), "\n")
	want := "\"合并\"[r1c2] | < | \"c\"\n\"孤\" | \"b\\n尾\"[r1c2] | <"
	if got != want {
		t.Errorf("grid:\n%s\nwant\n%s", got, want)
	}
}

// TestXMLScanner checks the tokenizer on the XML features Word output may
// use, and on malformed input.
func TestXMLScanner(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"elements and text", `<a><b x="1">t</b><c/></a>`, `<a|<b[1]|"t"|>b|<c|>c|>a`, ""},
		{"prolog, comment, PI, doctype", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"x\">]><!-- c --><a><?pi x?>t<!-- <b> --></a>\n", `<a|"t"|>a`, ""},
		{"entities", `<a>&lt;&gt;&amp;&apos;&quot;&#x4E00;&#20108;</a>`, `<a|"<>&'\"一二"|>a`, ""},
		{"CDATA", `<a><![CDATA[<b>&amp;]]></a>`, `<a|"<b>&amp;"|>a`, ""},
		{"'>' in a value, single quotes", `<w:a w:v='x>y' w:u="p>q"><w:b/></w:a>`, `<a[x>y]|<b|>b|>a`, ""},
		{"prefixes stripped", `<w:document xmlns:w="u"><w:body/></w:document>`, `<document|<body|>body|>document`, ""},
		{"space before end", `<a></a >`, `<a|>a`, ""},
		{"mismatched", `<a><b></a></b>`, "", "element <b> closed by </a>"},
		{"unclosed", `<a><b>`, "", "unexpected end of XML inside <b>"},
		{"stray end", `</a>`, "", "without a start tag"},
		{"bad entity", `<a>&nbsp;</a>`, "", "invalid character entity &nbsp;"},
		{"control char", "<a>\x01</a>", "", "illegal character"},
		{"unterminated tag", `<a x="1`, "", "unterminated"},
		{"text outside root", `x<a/>`, "", "text outside the root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s xmlScanner
			s.reset([]byte(tt.in))
			var out []string
			var err error
			for {
				var k tokKind
				k, err = s.next()
				if err != nil {
					break
				}
				switch k {
				case tokStart:
					tok := "<" + string(s.local)
					if v, ok := s.attr("v"); ok {
						tok += "[" + string(v) + "]"
					} else if v, ok := s.attr("x"); ok {
						tok += "[" + string(v) + "]"
					}
					out = append(out, tok)
				case tokEnd:
					out = append(out, ">"+string(s.local))
				case tokText:
					txt, terr := s.text()
					if terr != nil {
						err = terr
					}
					out = append(out, strconv.Quote(string(txt)))
				}
				if err != nil {
					break
				}
			}
			if tt.err == "" {
				if err != io.EOF {
					t.Fatalf("error %v", err)
				}
				if got := strings.Join(out, "|"); got != tt.want {
					t.Errorf("tokens = %s, want %s", got, tt.want)
				}
				return
			}
			if err == nil || err == io.EOF || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("error = %v, want %q", err, tt.err)
			}
		})
	}
}

// TestDamagedRels: malformed package relationships fall back to
// word/document.xml.
func TestDamagedRels(t *testing.T) {
	data := buildTestZip(t,
		zipEntry{name: "_rels/.rels", data: []byte(`<Relationships><Relationship Id="rId1"`)},
		zipEntry{name: "word/document.xml", data: []byte(`<w:document xmlns:w="u"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>`)},
	)
	doc, err := Read(context.Background(), "r.docx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := docxParas(doc); len(got) != 1 || got[0] != "正文" {
		t.Errorf("paragraphs = %q", got)
	}
}
