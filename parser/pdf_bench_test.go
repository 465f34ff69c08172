package parser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ogi/synth"
)

// BenchmarkReadPDF reads each real PDF of fixtures/real and a generated
// report of 7 pages. Throughput (MB/s) counts the file's bytes.
//
//	go test ./parser -run xxx -bench ReadPDF -benchmem -cpu 1
func BenchmarkReadPDF(b *testing.B) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "real", "*.pdf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, input{strings.TrimSuffix(filepath.Base(f), ".pdf"), data})
	}
	rep, err := synth.Generate(synth.Options{Seed: 7, Template: synth.Template2021, Format: "pdf", PadTo: synth.DefaultPDFPages})
	if err != nil {
		b.Fatal(err)
	}
	inputs = append(inputs, input{"synth-7pages", rep.Data})
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := ReadPDF(context.Background(), in.name, in.data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
