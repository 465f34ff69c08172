package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"

	"ogi/export"
)

// textTable is a table for the terminal, aligned by display width so
// Chinese columns (two cells wide per character) line up; text/tabwriter
// counts characters, not cells.
type textTable struct {
	right []bool // right-align column i
	rows  [][]string
}

// add appends a row. Text cells pass through the exporter's formula
// escaping (the table may be pasted into a spreadsheet) and have their
// control characters escaped (a terminal must not run them).
func (t *textTable) add(cells ...string) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = logText(export.SafeText(c))
	}
	t.rows = append(t.rows, row)
}

func (t *textTable) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-runewidth.StringWidth(c))
			last := i == len(r)-1
			switch {
			case i < len(t.right) && t.right[i]:
				b.WriteString(pad + c)
			case last:
				b.WriteString(c)
			default:
				b.WriteString(c + pad)
			}
			if !last {
				b.WriteString("  ")
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// plural writes n with the noun in the number that agrees with it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
