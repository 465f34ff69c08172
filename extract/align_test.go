package extract

import (
	"testing"

	"ogi/parser"
)

// TestAlignInferred: in a table read from text alignment, texts go under
// the header's columns in order; a column left without a text reads as
// blank, and a text under no column (or one whose label was not read)
// leaves the row unread rather than guessed.
func TestAlignInferred(t *testing.T) {
	header := []t2col{{id: "projects", start: 1, end: 2}, {id: "amount", start: 2, end: 4}}
	cell := func(text string, col, span int) *parser.Cell {
		return &parser.Cell{Text: text, Row: 5, Col: col, RowSpan: 1, ColSpan: span, Page: 2}
	}
	for _, tc := range []struct {
		name  string
		cells []*parser.Cell
		want  []string // texts under the header's columns; nil: not aligned
	}{
		{"blank slots split", []*parser.Cell{cell("", 1, 1), cell("", 2, 1), cell("——", 3, 1)}, []string{"", "——"}},
		{"spans swapped", []*parser.Cell{cell("16项", 1, 2), cell("0", 3, 1)}, []string{"16项", "0"}},
		{"one text only", []*parser.Cell{cell("4", 1, 1), cell("", 2, 1), cell("", 3, 1)}, []string{"4", ""}},
		{"a text too many", []*parser.Cell{cell("1", 1, 1), cell("2", 2, 1), cell("3", 3, 1)}, nil},
	} {
		got, _ := alignInferred(header, tc.cells, 5)
		if tc.want == nil {
			if got != nil {
				t.Errorf("%s: aligned, want not", tc.name)
			}
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d cells, want %d", tc.name, len(got), len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if got[i].Text != w || got[i].Page != 2 {
				t.Errorf("%s: column %d %q on page %d, want %q on 2", tc.name, i, got[i].Text, got[i].Page, w)
			}
		}
	}
	unread := []t2col{{id: "projects", start: 1, end: 2}, {id: "", start: 2, end: 4}}
	if got, _ := alignInferred(unread, []*parser.Cell{cell("4", 1, 1), cell("7", 3, 1)}, 5); got != nil {
		t.Errorf("a text under a column whose label was not read was aligned")
	}
}
