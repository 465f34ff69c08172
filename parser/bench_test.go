package parser

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkReadDOCX reads each DOCX fixture. Throughput (MB/s) counts the
// uncompressed main part, the size that drives the cost.
//
//	go test ./parser -run xxx -bench ReadDOCX -benchmem
func BenchmarkReadDOCX(b *testing.B) {
	for _, name := range []string{"template-2021-blank-wps.docx", "seed-report.docx", "ooxml-nested.docx"} {
		data, err := os.ReadFile(filepath.Join(fixturesDir, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(name, ".docx"), func(b *testing.B) {
			b.SetBytes(mainPartSize(b, data))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ReadDOCX(name, data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

func mainPartSize(b *testing.B, data []byte) int64 {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return int64(f.UncompressedSize64)
		}
	}
	b.Fatal("no word/document.xml")
	return 0
}
