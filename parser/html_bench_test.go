package parser

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"ogi/synth"
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

// BenchmarkHTMLParseFloor is html.Parse alone on the seed report page: the
// part of ReadHTML that belongs to the HTML parser itself.
func BenchmarkHTMLParseFloor(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixturesDir, "seed-report.html"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := html.Parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchReadHTML(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadHTML(context.Background(), "bench.html", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// largePage repeats the body of page as often as fits in size bytes (at
// least once), so that the default 8 MB page limit admits the result.
func largePage(page []byte, size int) []byte {
	const end = "</body></html>"
	i := bytes.Index(page, []byte("<body>"))
	j := bytes.LastIndex(page, []byte("</body>"))
	head, body := page[:i+len("<body>")], page[i+len("<body>"):j]
	var out bytes.Buffer
	out.Write(head)
	out.Write(body)
	for out.Len()+len(body)+len(end) <= size {
		out.Write(body)
	}
	out.WriteString(end)
	return out.Bytes()
}

// BenchmarkHTMLReaders reads the same pages with the flat reader (what
// ReadHTML does) and with the DOM reader it replaced, side by side, so that
// one run on a busy machine still compares them. cpu-ms/op is the process's
// CPU time per page (getrusage), which other load on the machine disturbs
// less than wall time.
func BenchmarkHTMLReaders(b *testing.B) {
	seed, err := os.ReadFile(filepath.Join(fixturesDir, "seed-report.html"))
	if err != nil {
		b.Fatal(err)
	}
	reps, err := synth.Corpus(3, 60, []string{"html"})
	if err != nil {
		b.Fatal(err)
	}
	synthPages := make([][]byte, len(reps))
	for i, r := range reps {
		synthPages[i] = r.Data
	}
	for _, set := range []struct {
		name  string
		pages [][]byte
	}{
		{"seed", [][]byte{seed}},
		{"synth", synthPages},
		{"large-8MB", [][]byte{largePage(seed, 8<<20)}},
	} {
		for _, rd := range []struct {
			name string
			mode int
		}{{"flat", readAuto}, {"dom", readDOMOnly}} {
			b.Run(set.name+"/"+rd.name, func(b *testing.B) {
				var size int64
				for _, p := range set.pages {
					size += int64(len(p))
				}
				b.SetBytes(size / int64(len(set.pages)))
				b.ReportAllocs()
				cpu0 := cpuTime()
				i := 0
				for b.Loop() {
					if _, err := readHTML(context.Background(), "bench.html", set.pages[i%len(set.pages)], Options{}, rd.mode); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// BenchmarkReadHTMLDir reads every .html/.htm file under $OGI_BENCH_HTML_DIR
// (skipped when unset), one page per iteration, for comparisons with other
// tools on the same files (scripts/bench-corpus.sh).
func BenchmarkReadHTMLDir(b *testing.B) {
	dir := os.Getenv("OGI_BENCH_HTML_DIR")
	if dir == "" {
		b.Skip("OGI_BENCH_HTML_DIR not set")
	}
	var pages [][]byte
	var size int64
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".htm")) {
			return err
		}
		data, err := os.ReadFile(p)
		pages = append(pages, data)
		size += int64(len(data))
		return err
	})
	if err != nil || len(pages) == 0 {
		b.Fatalf("no pages in %s: %v", dir, err)
	}
	b.SetBytes(size / int64(len(pages)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		if _, err := ReadHTML(context.Background(), "bench.html", pages[i%len(pages)], Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(b.N)/(float64((cpuTime()-cpu0).Microseconds())/1e6), "pages/cpu-s")
}
