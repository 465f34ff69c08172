package parser

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadPDF feeds each input to ReadPDF twice: as a whole file, and as
// the content stream of a valid one-page PDF, so that mutations reach the
// content interpreter and the layout analysis instead of failing in the
// object syntax. No input may panic or hang; every error must be an
// *Error naming the file; every table must fit its grid.
func FuzzReadPDF(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "real", "*.pdf"))
	for _, s := range files {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	secret := ""
	for _, p := range []testPDF{
		{pages: []testPage{{content: txt(72, 760, 12, "表一") + ruledTable(740)}}},
		{pages: []testPage{{content: vtxt(100, 700, 12, "竖排") + txt(72, 700, 12, "正文"), rotate: 90, crop: "[0 0 300 400]"}}},
		{pages: []testPage{{content: "q 595 0 0 842 0 0 cm /Im1 Do Q", image: true}}},
		{pages: []testPage{{content: txt(72, 700, 12, "正文")}}, userPW: &secret, badXref: true},
		{pages: []testPage{{content: txt(72, 700, 12, "正文")}}, objStm: true, cutXref: true},
		{pages: []testPage{{content: txt(72, 700, 12, "正文")}}, userPW: &secret, rc4Bits: 40, title: "标题"},
	} {
		f.Add(p.bytes())
		f.Add([]byte(p.pages[0].content))
	}
	opts := Options{Limits: Limits{MaxPartBytes: 4 << 20, MaxTotalBytes: 16 << 20, MaxPDFPages: 50, MaxPDFGlyphs: 100000, MaxPDFOps: 200000}}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(path string, in []byte) {
			doc, err := ReadPDF(context.Background(), path, in, opts)
			if err != nil {
				if doc != nil {
					t.Errorf("document beside error %v", err)
				}
				if msg := err.Error(); !strings.HasPrefix(msg, path+": ") {
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
		check("fuzz.pdf", data)
		check("content.pdf", testPDF{pages: []testPage{{content: string(data)}}}.bytes())
	})
}
