package parser

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkReadHTML reads each HTML fixture, and a large page made of the
// seed report's body repeated (about 8 MB, or OGI_HTML_BENCH_MB), reporting
// MB/s and allocs/op.
func BenchmarkReadHTML(b *testing.B) {
	files, err := filepath.Glob(filepath.Join(fixturesDir, "*.html"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no HTML fixtures: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".html"), func(b *testing.B) {
			benchReadHTML(b, data)
		})
	}
	seed, err := os.ReadFile(filepath.Join(fixturesDir, "seed-report.html"))
	if err != nil {
		b.Fatal(err)
	}
	// OGI_HTML_BENCH_MB sets the size of the large page (default 8).
	mb := 8
	if v, err := strconv.Atoi(os.Getenv("OGI_HTML_BENCH_MB")); err == nil && v > 0 {
		mb = v
	}
	b.Run(fmt.Sprintf("large-%dMB", mb), func(b *testing.B) {
		benchReadHTML(b, largePage(seed, mb<<20))
	})
}

func benchReadHTML(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadHTML("bench.html", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// largePage repeats the body of page until the result is about size bytes.
func largePage(page []byte, size int) []byte {
	i := bytes.Index(page, []byte("<body>"))
	j := bytes.LastIndex(page, []byte("</body>"))
	head, body := page[:i+len("<body>")], page[i+len("<body>"):j]
	var out bytes.Buffer
	out.Write(head)
	for out.Len() < size {
		out.Write(body)
	}
	out.WriteString("</body></html>")
	return out.Bytes()
}
