package parser_test

import (
	"context"
	"testing"

	"ogi/parser"
	"ogi/synth"
)

// BenchmarkReadHTMLSynth reads a corpus of 60 generated HTML reports (CMS
// pages, Word exports, GBK and UTF-8), one report per iteration; MB/s is
// over the mean report size.
func BenchmarkReadHTMLSynth(b *testing.B) {
	reps, err := synth.Corpus(3, 60, []string{"html"})
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, r := range reps {
		size += int64(len(r.Data))
	}
	b.SetBytes(size / int64(len(reps)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := reps[i%len(reps)]
		if _, err := parser.ReadHTML(context.Background(), r.Name, r.Data, parser.Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
