package synth

import (
	"archive/zip"
	"bytes"
	"math/rand"
	"testing"
)

// BenchmarkGenerate measures one report at the corpus sizes; bytes/op is
// the size of word/document.xml or the HTML page.
func BenchmarkGenerate(b *testing.B) {
	for _, tc := range []struct {
		name   string
		format string
		pad    int
		messy  bool
	}{
		{"docx-clean-250KB", "docx", DefaultDOCXSize, false},
		{"docx-messy-250KB", "docx", DefaultDOCXSize, true},
		{"html-clean-120KB", "html", DefaultHTMLSize, false},
		{"html-messy-120KB", "html", DefaultHTMLSize, true},
		{"pdf-clean-7pages", "pdf", DefaultPDFPages, false},
		{"pdf-messy-7pages", "pdf", DefaultPDFPages, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := rand.New(rand.NewSource(1))
			opts := make([]Options, 64)
			var size int64
			for i := range opts {
				opts[i] = Options{Seed: r.Int63(), Format: tc.format, PadTo: tc.pad}
				if tc.messy {
					opts[i].Mess = RandomMess(r)
				}
				rep, err := Generate(opts[i])
				if err != nil {
					b.Fatal(err)
				}
				size += int64(payloadSize(b, rep))
			}
			b.SetBytes(size / int64(len(opts)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := Generate(opts[i%len(opts)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCorpus1000 generates a thousand-report mixed corpus in
// parallel, as the throughput benchmark's setup does.
func BenchmarkCorpus1000(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Corpus(int64(i), 1000, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func payloadSize(b *testing.B, rep Report) int {
	if rep.Format != "docx" {
		return len(rep.Data)
	}
	z, err := zip.NewReader(bytes.NewReader(rep.Data), int64(len(rep.Data)))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			return int(f.UncompressedSize64)
		}
	}
	b.Fatal("no word/document.xml")
	return 0
}
