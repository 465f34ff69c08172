package parser

import (
	"bytes"
	"errors"
	"testing"
)

func TestDump(t *testing.T) {
	b := NewBuilder()
	b.StartRow()
	b.Add(&Cell{Text: "合并", RowSpan: 2, ColSpan: 2})
	b.Add(&Cell{Text: "\u3000"})
	b.StartRow()
	b.Add(&Cell{Text: "a\u00a0b \"q\"", Tables: []*Table{{Rows: [][]*Cell{{{Text: "内", RowSpan: 1, ColSpan: 1}}}, NumRows: 1, NumCols: 1}}})
	b.StartRow()
	b.Add(&Cell{Text: "短行"})
	doc := &Document{
		Path: "x.html", Format: FormatHTML, Charset: "gb18030", CharsetRule: "meta",
		Meta: map[string]string{"title": "标题", "PubDate": "2025-01-02"},
		Blocks: []Block{
			{Para: &Paragraph{Text: "第一行\n第二行\t"}},
			{Table: b.Table()},
		},
	}
	var buf bytes.Buffer
	if err := Dump(&buf, doc); err != nil {
		t.Fatal(err)
	}
	want := `path:    x.html
format:  html
charset: gb18030 (rule: meta)
meta:
  PubDate: "2025-01-02"
  title: "标题"
blocks:  2 (1 paragraph, 1 table)

P  "第一行\n第二行\t"
TABLE 1: 3 rows × 3 cols
  r0 | "合并"[r2c2] | < | "\u3000"
  r1 | ^ | ^ | "a\u00a0b \"q\""{1 nested}
    TABLE 1.1 (nested in r1c2): 1 rows × 1 cols
      r0 | "内"
  r2 | "短行" | · | ·
`
	if got := buf.String(); got != want {
		t.Errorf("Dump =\n%s\nwant\n%s", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDumpWriteError(t *testing.T) {
	doc := &Document{Path: "x", Blocks: []Block{{Para: &Paragraph{Text: "x"}}}}
	if err := Dump(failWriter{}, doc); err == nil {
		t.Error("Dump to a failing writer returned nil")
	}
}
