package parser

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Dump writes doc as readable text: a header (path, format, charset,
// metadata), then every block in order. A paragraph is a line
//
//	P  "text"
//
// and a table is a heading line (with, for PDF, the pages it is printed
// on) followed by its grid, one line per row:
//
//	TABLE 2: 28 rows × 10 cols
//	  r00 | "（本列…）"[r3c3] | < | < | "申请人情况"[r1c7] | < …
//	  r01 | ^ | ^ | ^ | "自然人"[r2c1] | …
//
// Cell texts are Go-quoted, so line breaks show as \n and U+3000 and
// U+00A0 as \u3000 and \u00a0. An origin slot carries [rNcM] when its cell
// spans more than one slot; "^" is a slot covered from above, "<" one
// covered from the left, "·" a slot no cell covers. Tables nested in a
// cell follow its row, indented.
func Dump(w io.Writer, doc *Document) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "path:    %s\n", doc.Path)
	fmt.Fprintf(bw, "format:  %s\n", doc.Format)
	if doc.Charset != "" || doc.CharsetRule != "" {
		fmt.Fprintf(bw, "charset: %s (rule: %s)\n", doc.Charset, doc.CharsetRule)
	}
	if len(doc.Meta) > 0 {
		fmt.Fprintf(bw, "meta:\n")
		for _, k := range slices.Sorted(maps.Keys(doc.Meta)) {
			fmt.Fprintf(bw, "  %s: %s\n", k, strconv.Quote(doc.Meta[k]))
		}
	}
	paras, tables := 0, 0
	for _, b := range doc.Blocks {
		if b.Para != nil {
			paras++
		}
		if b.Table != nil {
			tables++
		}
	}
	for _, w := range doc.Warnings {
		fmt.Fprintf(bw, "warning: %s\n", w)
	}
	fmt.Fprintf(bw, "blocks:  %d (%s, %s)\n\n", len(doc.Blocks), countOf(paras, "paragraph", "paragraphs"), countOf(tables, "table", "tables"))
	n := 0
	for _, b := range doc.Blocks {
		switch {
		case b.Para != nil:
			fmt.Fprintf(bw, "P  %s\n", strconv.Quote(b.Para.Text))
		case b.Table != nil:
			n++
			dumpTable(bw, b.Table, strconv.Itoa(n), tablePages(b.Table), "")
		}
	}
	return bw.Flush()
}

func dumpTable(w *bufio.Writer, t *Table, name, where, indent string) {
	fmt.Fprintf(w, "%sTABLE %s%s: %d rows × %d cols\n", indent, name, where, t.NumRows, t.NumCols)
	grid := t.Grid(FillOrigin)
	width := len(strconv.Itoa(max(t.NumRows-1, 0)))
	var sb strings.Builder
	nested := 0
	for r, row := range grid {
		sb.Reset()
		fmt.Fprintf(&sb, "%s  r%0*d", indent, width, r)
		for _, s := range row {
			sb.WriteString(" | ")
			sb.WriteString(slotText(s, r))
		}
		sb.WriteByte('\n')
		w.WriteString(sb.String())
		for _, c := range t.Rows[r] {
			for _, nt := range c.Tables {
				nested++
				dumpTable(w, nt, fmt.Sprintf("%s.%d", name, nested), fmt.Sprintf(" (nested in r%dc%d)", c.Row, c.Col), indent+"    ")
			}
		}
	}
}

// tablePages says where a PDF table is printed, e.g. " (pages 3–4)", and
// whether its structure was inferred; "" for other formats.
func tablePages(t *Table) string {
	var s string
	switch {
	case t.Page == 0:
		return ""
	case t.LastPage > t.Page:
		s = fmt.Sprintf(" (pages %d–%d", t.Page, t.LastPage)
	default:
		s = fmt.Sprintf(" (page %d", t.Page)
	}
	if t.Inferred {
		s += ", structure inferred from text alignment"
	}
	return s + ")"
}

// slotText renders the slot of grid row r.
func slotText(s Slot, r int) string {
	switch {
	case s.Cell == nil && !s.Covered:
		return "·"
	case s.Covered:
		if s.Cell != nil && s.Cell.Row == r {
			return "<"
		}
		return "^"
	}
	c := s.Cell
	out := strconv.Quote(c.Text)
	if c.RowSpan > 1 || c.ColSpan > 1 {
		out += fmt.Sprintf("[r%dc%d]", c.RowSpan, c.ColSpan)
	}
	if n := len(c.Tables); n > 0 {
		out += fmt.Sprintf("{%d nested}", n)
	}
	return out
}

// countOf writes n with the noun in the number that agrees with it.
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
