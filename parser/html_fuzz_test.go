package parser

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// htmlFuzzSeeds are small pages that reach the corners of the reader.
var htmlFuzzSeeds = []string{
	"",
	"<table><tr><td rowspan=0 colspan=1000>x</td></tr></table>",
	"<table><caption>c<table><tr><td>n</td></tr></table></caption><tr><td>1<br>2</td></tr></table>",
	"<div class=TRS_Editor><table><tr><td rowspan=65534>a</td><td colspan='2px'>b</td></tr></table></div>",
	"<meta charset=gbk><p>\xc4\xea\xb1\xa8</p>",
	"\xff\xfe<\x00p\x00>\x00",
	"<p>20</span><span>24<o:p></o:p><![if !supportLists]>1.<![endif]></p>",
	strings.Repeat("<table><tr><td>", 40),
}

func checkHTMLResult(t *testing.T, path string, doc *Document, err error) {
	t.Helper()
	if err != nil {
		msg := err.Error()
		var e *Error
		if !errors.As(err, &e) || e.Path != path || !strings.Contains(msg, path) {
			t.Fatalf("error %q is not an *Error naming %s", msg, path)
		}
	}
	if doc == nil {
		return
	}
	if err := Dump(io.Discard, doc); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	var check func(tbl *Table)
	check = func(tbl *Table) {
		for r, row := range tbl.Rows {
			for _, c := range row {
				if c.Row != r || c.RowSpan < 1 || c.ColSpan < 1 || c.Row+c.RowSpan > tbl.NumRows || c.Col+c.ColSpan > tbl.NumCols {
					t.Fatalf("cell %+v outside its %dx%d table", c, tbl.NumRows, tbl.NumCols)
				}
				if !utf8.ValidString(c.Text) {
					t.Fatalf("cell text %q is not UTF-8", c.Text)
				}
				for _, n := range c.Tables {
					check(n)
				}
			}
		}
	}
	for _, b := range doc.Blocks {
		switch {
		case b.Para != nil && b.Table != nil, b.Para == nil && b.Table == nil:
			t.Fatalf("block %+v must hold exactly one of Para and Table", b)
		case b.Para != nil && !utf8.ValidString(b.Para.Text):
			t.Fatalf("paragraph %q is not UTF-8", b.Para.Text)
		case b.Table != nil:
			check(b.Table)
		}
	}
}

func FuzzReadHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "*.html"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range htmlFuzzSeeds {
		f.Add([]byte(s))
	}
	opts := Options{Limits: Limits{MaxCells: 5000, MaxDepth: 8}}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadHTML(context.Background(), "fuzz/page.html", data, opts)
		checkHTMLResult(t, "fuzz/page.html", doc, err)
	})
}

func FuzzReadMHT(f *testing.F) {
	page, err := os.ReadFile(filepath.Join(fixturesDir, "spans.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, enc := range []string{"quoted-printable", "base64", "8bit"} {
		f.Add(mhtOf(f, page, "utf-8", enc))
	}
	f.Add([]byte("Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+eDwvcD4="))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadMHT(context.Background(), "fuzz/page.mht", data, Options{Limits: Limits{MaxCells: 5000, MaxDepth: 8}})
		checkHTMLResult(t, "fuzz/page.mht", doc, err)
	})
}
