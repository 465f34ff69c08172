package parser

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ogi/synth"
)

// BenchmarkReadDOCX reads each DOCX fixture and a synthetic report of about
// 250 KB. Throughput (MB/s) counts the uncompressed main part, the size
// that drives the cost. cpu-ms/op is the process CPU time per read (user
// and system, GC included), which stays meaningful on a loaded machine
// where ns/op does not.
//
//	go test ./parser -run xxx -bench ReadDOCX -benchmem -cpu 1
func BenchmarkReadDOCX(b *testing.B) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	for _, name := range []string{"template-2021-blank-wps.docx", "seed-report.docx", "ooxml-nested.docx"} {
		data, err := os.ReadFile(filepath.Join(fixturesDir, name))
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, input{strings.TrimSuffix(name, ".docx"), data})
	}
	for _, mess := range []bool{false, true} {
		opt := synth.Options{Seed: 7, Template: synth.Template2021, Format: "docx", PadTo: 250_000}
		name := "synth-clean-250KB"
		if mess {
			opt.Seed, opt.Mess, name = 8, synth.Mess{LabelVariants: true, Typos: true, SplitTable: true, EmptyTokens: true, Units: true, SplitHeaders: true}, "synth-messy-250KB"
		}
		rep, err := synth.Generate(opt)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, input{name, rep.Data})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(mainPartSize(b, in.data))
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := ReadDOCX(context.Background(), in.name, in.data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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

// BenchmarkInflateMain only opens the template's package and inflates its
// main part into a reused buffer, the floor under BenchmarkReadDOCX.
func BenchmarkInflateMain(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(fixturesDir, "template-2021-blank-wps.docx"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(mainPartSize(b, data))
	b.ReportAllocs()
	var buf bytes.Buffer
	cpu0 := cpuTime()
	for b.Loop() {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				buf.Reset()
				if _, err := buf.ReadFrom(rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
