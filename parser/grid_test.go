package parser

import (
	"strings"
	"testing"
)

// TestBuilderGrid places cells with the Builder the way the DOCX and HTML
// readers do and compares the resulting grid, as Dump renders it.
func TestBuilderGrid(t *testing.T) {
	c := func(text string, rs, cs int) *Cell { return &Cell{Text: text, RowSpan: rs, ColSpan: cs} }
	tests := []struct {
		name  string
		build func(b *Builder)
		want  []string
	}{
		{"AddAt with explicit columns", func(b *Builder) {
			b.StartRow()
			b.AddAt(0, c("a", 1, 2))
			b.AddAt(2, c("b", 1, 1))
			b.StartRow()
			b.AddAt(0, c("c", 1, 1))
			b.AddAt(1, c("d", 1, 2))
		}, []string{`"a"[r1c2] | < | "b"`, `"c" | "d"[r1c2] | <`}},
		{"Extend grows a vertical merge", func(b *Builder) {
			b.StartRow()
			b.AddAt(0, c("label", 1, 1))
			b.AddAt(1, c("1", 1, 1))
			b.StartRow()
			if b.Extend(0) == nil {
				panic("Extend(0) found no cell")
			}
			b.AddAt(1, c("2", 1, 1))
			b.StartRow()
			b.Extend(0)
			b.AddAt(1, c("3", 1, 1))
		}, []string{`"label"[r3c1] | "1"`, `^ | "2"`, `^ | "3"`}},
		{"Extend of a spanned cell covers all its columns", func(b *Builder) {
			b.StartRow()
			b.AddAt(0, c("wide", 1, 2))
			b.AddAt(2, c("x", 1, 1))
			b.StartRow()
			b.Extend(0)
			b.AddAt(2, c("y", 1, 1))
		}, []string{`"wide"[r2c2] | < | "x"`, `^ | ^ | "y"`}},
		{"Extend with nothing above", func(b *Builder) {
			b.StartRow()
			if b.Extend(0) != nil {
				panic("Extend in the first row found a cell")
			}
			b.AddAt(0, c("own", 1, 1))
			b.StartRow()
			b.AddAt(0, c("z", 1, 1))
			if b.Extend(1) != nil {
				panic("Extend under a hole found a cell")
			}
		}, []string{`"own"`, `"z"`}},
		{"gridBefore skips columns", func(b *Builder) {
			b.StartRow()
			b.Add(c("a", 1, 1))
			b.Add(c("b", 1, 1))
			b.Add(c("c", 1, 1))
			b.StartRow()
			b.Skip(1)
			b.Add(c("d", 1, 2))
		}, []string{`"a" | "b" | "c"`, `· | "d"[r1c2] | <`}},
		{"HTML rowspan pushes later cells right", func(b *Builder) {
			b.StartRow()
			b.Add(c("tall", 2, 1))
			b.Add(c("a", 1, 1))
			b.StartRow()
			b.Add(c("b", 1, 1))
		}, []string{`"tall"[r2c1] | "a"`, `^ | "b"`}},
		{"row span past the last row is clipped", func(b *Builder) {
			b.StartRow()
			b.Add(c("x", 1<<20, 1))
			b.Add(c("y", 1, 1))
			b.StartRow()
			b.Add(c("z", 1, 1))
		}, []string{`"x"[r2c1] | "y"`, `^ | "z"`}},
		{"short rows leave holes", func(b *Builder) {
			b.StartRow()
			b.Add(c("a", 1, 3))
			b.StartRow()
			b.Add(c("b", 1, 1))
		}, []string{`"a"[r1c3] | < | <`, `"b" | · | ·`}},
		{"zero spans count as one", func(b *Builder) {
			b.StartRow()
			b.Add(c("a", 0, 0))
			b.Add(c("b", -3, 0))
		}, []string{`"a" | "b"`}},
		{"AddAt before StartRow starts a row", func(b *Builder) {
			b.AddAt(1, c("late", 1, 1))
		}, []string{`· | "late"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder()
			tt.build(b)
			got := docxGridLines(b.Table())
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("grid:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}

// TestGridFill checks the three fill policies on one merged cell.
func TestGridFill(t *testing.T) {
	b := NewBuilder()
	b.StartRow()
	b.Add(&Cell{Text: "m", RowSpan: 2, ColSpan: 2})
	b.StartRow()
	tb := b.Table()
	for _, tt := range []struct {
		fill    Fill
		text    string
		nilCell bool
	}{
		{FillOrigin, "", false},
		{FillCopy, "m", false},
		{FillBlank, "", true},
	} {
		s := tb.Grid(tt.fill)[1][1]
		if !s.Covered || s.Origin || s.Text != tt.text || (s.Cell == nil) != tt.nilCell {
			t.Errorf("Grid(%d)[1][1] = %+v, want covered, text %q, nil cell %v", tt.fill, s, tt.text, tt.nilCell)
		}
	}
}
