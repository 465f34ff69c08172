package extract

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ogi/parser"
)

// FuzzExtract feeds arbitrary HTML through the parser and the extractor:
// no panic, and every problem formats and wraps a cause.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"seed-report.html", "spans.html", "late-charset.html"} {
		if data, err := os.ReadFile(filepath.Join("..", "fixtures", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("<table><tr><td>自然人</td><td>总计</td></tr><tr><td>一、本年新收</td><td>1,23</td><td>减3</td></tr></table>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parser.Read(context.Background(), "fuzz.html", data, parser.Options{})
		if err != nil {
			return
		}
		rec, probs := Extract(doc)
		if rec == nil {
			t.Fatal("nil record")
		}
		for _, p := range probs {
			if p.Error() == "" || p.Err == nil {
				t.Errorf("problem without a cause: %#v", p)
			}
		}
	})
}

// FuzzTables builds tables from text (rows on lines, cells split by "|",
// spans as in tbl) and extracts them: no panic, every problem has a cause.
func FuzzTables(f *testing.F) {
	enc := func(t *parser.Table) string {
		var b strings.Builder
		for _, row := range t.Rows {
			for i, c := range row {
				if i > 0 {
					b.WriteByte('|')
				}
				b.WriteString(strings.ReplaceAll(c.Text, "\n", " "))
				if c.RowSpan > 1 {
					b.WriteString("@r" + strconv.Itoa(c.RowSpan))
				}
				if c.ColSpan > 1 {
					b.WriteString("@c" + strconv.Itoa(c.ColSpan))
				}
			}
			b.WriteByte('\n')
		}
		return b.String()
	}
	f.Add(enc(t3Build(t3spec{stray: map[string]bool{"denied": true}})[0]))
	f.Add(enc(t2Build2019(zeros(22))))
	f.Add(enc(t4Build(zeros(15))))
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		for _, line := range strings.Split(s, "\n") {
			if len(rows) > 60 {
				break
			}
			cells := strings.Split(line, "|")
			for i, c := range cells {
				// Keep spans small so the grid stays small.
				parts := strings.Split(c, "@")
				for k := 1; k < len(parts); k++ {
					if n, err := strconv.Atoi(strings.TrimLeft(parts[k], "rc")); err != nil || n > 30 || n < 0 {
						parts[k] = "c1"
					}
				}
				cells[i] = strings.Join(parts, "@")
			}
			rows = append(rows, cells)
		}
		rec, probs := Extract(doc("某某局2024年政府信息公开工作年度报告", tbl(rows...)))
		if rec == nil {
			t.Fatal("nil record")
		}
		for _, p := range probs {
			if p.Error() == "" || p.Err == nil {
				t.Errorf("problem without a cause: %#v", p)
			}
		}
	})
}
