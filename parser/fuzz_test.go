package parser

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadDOCX feeds each input to ReadDOCX twice: as a whole file, and
// wrapped as word/document.xml of a valid package, so that mutations reach
// the XML reader instead of failing the zip checksums. No input may panic;
// every error must be an *Error naming the file; every table must fit its
// grid.
func FuzzReadDOCX(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"*.docx", "invalid/*"} {
		m, _ := filepath.Glob(filepath.Join(fixturesDir, pattern))
		seeds = append(seeds, m...)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		if body := mainPart(data); body != nil {
			f.Add(body)
		}
	}
	opts := Options{Limits: Limits{MaxCells: 20000, MaxPartBytes: 8 << 20, MaxTotalBytes: 16 << 20}}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(path string, in []byte) {
			doc, err := ReadDOCX(context.Background(), path, in, opts)
			if err != nil {
				if doc != nil {
					t.Errorf("document beside error %v", err)
				}
				msg := err.Error()
				if !strings.HasPrefix(msg, path+": ") || len(msg) <= len(path)+2 {
					t.Errorf("error %q does not name %s", msg, path)
				}
				return
			}
			for _, b := range doc.Blocks {
				if b.Table != nil {
					checkTable(t, b.Table)
				}
			}
			if err := Dump(io.Discard, doc); err != nil {
				t.Error(err)
			}
		}
		check("fuzz.docx", data)
		check("wrapped.docx", wrapMain(data))
	})
}

func checkTable(t *testing.T, tb *Table) {
	if len(tb.Rows) != tb.NumRows {
		t.Errorf("len(Rows) = %d, NumRows = %d", len(tb.Rows), tb.NumRows)
	}
	for r, row := range tb.Rows {
		for _, c := range row {
			if c.Row != r || c.RowSpan < 1 || c.ColSpan < 1 || c.Row+c.RowSpan > tb.NumRows || c.Col+c.ColSpan > tb.NumCols {
				t.Errorf("cell %+v outside a %dx%d grid", c, tb.NumRows, tb.NumCols)
			}
			for _, nt := range c.Tables {
				checkTable(t, nt)
			}
		}
	}
}

// mainPart returns word/document.xml of a package, or nil.
func mainPart(data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				return nil
			}
			defer rc.Close()
			b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
			if err != nil {
				return nil
			}
			return b
		}
	}
	return nil
}

// wrapMain makes body the main part of a minimal package.
func wrapMain(body []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("_rels/.rels")
	w.Write([]byte(docxTestRels))
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store})
	w.Write(body)
	zw.Close()
	return buf.Bytes()
}
