package parser

import (
	"context"
	"os"
	"testing"
)

// BenchmarkGrid builds the grid view of every table of the WPS template
// (merged cells throughout) under each fill policy.
func BenchmarkGrid(b *testing.B) {
	data, err := os.ReadFile("../fixtures/template-2021-blank-wps.docx")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := Read(context.Background(), "template.docx", data, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var tables []*Table
	for _, bl := range doc.Blocks {
		if bl.Table != nil {
			tables = append(tables, bl.Table)
		}
	}
	for _, fill := range []struct {
		name string
		f    Fill
	}{{"origin", FillOrigin}, {"copy", FillCopy}, {"blank", FillBlank}} {
		b.Run(fill.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range tables {
					_ = t.Grid(fill.f)
				}
			}
		})
	}
}

// BenchmarkBuilder places a 25 × 10 table with a tall merged label, the
// shape of table 3, the way the HTML reader does.
func BenchmarkBuilder(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		bl := NewBuilder()
		for r := 0; r < 25; r++ {
			bl.StartRow()
			if r == 0 {
				bl.Add(&Cell{Text: "三、本年度办理结果", RowSpan: 22})
			}
			for c := 0; c < 9; c++ {
				bl.Add(&Cell{Text: "0"})
			}
		}
		_ = bl.Table()
	}
}
