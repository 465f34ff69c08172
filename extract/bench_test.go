package extract

import (
	"context"
	"path/filepath"
	"testing"

	"ogi/parser"
	"ogi/synth"
)

// BenchmarkExtract measures Extract alone, on already parsed documents:
// the seed report and generated reports.
func BenchmarkExtract(b *testing.B) {
	type input struct {
		name string
		doc  *parser.Document
	}
	var groups [][]input
	var names []string
	var seeds []input
	for _, f := range []string{"seed-report.docx", "seed-report.html"} {
		doc, err := parser.ReadFile(context.Background(), filepath.Join("..", "fixtures", f), parser.Options{})
		if err == nil {
			seeds = append(seeds, input{f, doc})
		}
	}
	if len(seeds) > 0 {
		groups, names = append(groups, seeds), append(names, "seed")
	}
	reps, err := synth.Corpus(1, 20, nil)
	if err != nil {
		b.Fatal(err)
	}
	var docs []input
	for _, r := range reps {
		doc, err := parser.Read(context.Background(), r.Name, r.Data, parser.Options{})
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, input{r.Name, doc})
	}
	groups, names = append(groups, docs), append(names, "synth")
	// Reports of about 250 KB of document.xml, the size the pipeline
	// is planned for.
	var big []input
	for seed := int64(1); seed <= 10; seed++ {
		r, err := synth.Generate(synth.Options{Seed: seed, Format: "docx", PadTo: 250000})
		if err != nil {
			b.Fatal(err)
		}
		doc, err := parser.Read(context.Background(), r.Name, r.Data, parser.Options{})
		if err != nil {
			b.Fatal(err)
		}
		big = append(big, input{r.Name, doc})
	}
	groups, names = append(groups, big), append(names, "synth250k")
	for i, g := range groups {
		b.Run(names[i], func(b *testing.B) {
			b.ReportAllocs()
			for n := 0; b.Loop(); n++ {
				Extract(g[n%len(g)].doc)
			}
		})
	}
}

// BenchmarkParseJSONLine reads generated records' JSONL lines whole and
// lean (as load reads them for Elasticsearch).
func BenchmarkParseJSONLine(b *testing.B) {
	var lines [][]byte
	size := 0
	recs := jsonRecords(b)
	for _, r := range recs[:len(recs)-4] { // the generated ones, not the odd records after them
		line, err := AppendJSON(nil, &r, false)
		if err != nil {
			b.Fatal(err)
		}
		lines = append(lines, line)
		size += len(line)
	}
	for _, c := range []struct {
		name  string
		parse func([]byte) (Record, *Line, bool)
	}{{"whole", ParseJSONLine}, {"lean", ParseJSONLineLean}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(size / len(lines)))
			for n := 0; b.Loop(); n++ {
				if _, line, ok := c.parse(lines[n%len(lines)]); !ok || line == nil {
					b.Fatalf("line %d not read as canonical", n%len(lines))
				}
			}
		})
	}
}
