package extract

import (
	"fmt"
	"strings"

	"ogi/parser"
)

// The 15 value columns of table 4, in template order.
var t4Cols = func() []string {
	var out []string
	for _, g := range []string{"review", "litigation_direct", "litigation_after_review"} {
		for _, c := range []string{"upheld", "corrected", "other", "pending", "total"} {
			out = append(out, g+"."+c)
		}
	}
	return out
}()

var t4Leaves = mkLabels(
	"upheld", "结果维持|维持",
	"corrected", "结果纠正|纠正",
	"other", "其他结果",
	"pending", "尚未审结",
	"total", "总计|合计",
)

var t4GroupNames = map[string]string{
	"review": "行政复议", "litigation_direct": "行政诉讼/未经复议直接起诉", "litigation_after_review": "行政诉讼/复议后起诉",
}

var t4LeafNames = map[string]string{
	"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计",
}

// t4Group names the group a header column belongs to from all its header
// texts, top to bottom.
func t4Group(text string) string {
	switch {
	case strings.Contains(text, "未经复议"), strings.Contains(text, "直接起诉"):
		return "litigation_direct"
	case strings.Contains(text, "复议后"):
		return "litigation_after_review"
	case strings.Contains(text, "行政复议") && !strings.Contains(text, "诉讼"):
		return "review"
	}
	return ""
}

func t4Name(key string) (row, col string) {
	g, c, _ := strings.Cut(key, ".")
	return t4GroupNames[g], t4LeafNames[c]
}

// table4 reads table 4 into the record; it reports whether the values
// were read.
func (e *extractor) table4(t *parser.Table) bool {
	if t == nil {
		return false
	}
	cg := t.Grid(parser.FillCopy)
	// The header ends with the last row that prints a leaf label.
	last := -1
	for r := 0; r < t.NumRows; r++ {
		for _, c := range t.Rows[r] {
			if m := matchLabel(normLabel(c.Text), t4Leaves); m.id != "" && !m.fuzzy {
				last = r
			}
		}
	}
	if last < 0 {
		e.problem(Problem{Stage: "header", Table: 4, Err: fmt.Errorf("result columns not found: %w", ErrLayout)})
		return false
	}
	colIDs := make([]string, t.NumCols)
	ids := map[string]bool{}
	for j := 0; j < t.NumCols; j++ {
		var all strings.Builder
		leaf := ""
		for r := 0; r <= last; r++ {
			if c := cg[r][j].Cell; c != nil && c.ColSpan == t.NumCols && t.NumCols > 1 {
				continue // a caption or heading across the table
			}
			txt := normLabel(cg[r][j].Text)
			all.WriteString(txt)
			if txt != "" {
				leaf = txt
			}
		}
		g := t4Group(all.String())
		m := matchLabel(leaf, t4Leaves)
		if g != "" && m.id != "" {
			colIDs[j] = g + "." + m.id
			ids[colIDs[j]] = true
		}
	}
	// The data row: the first row below the header with cells.
	data := -1
	for r := last + 1; r < t.NumRows; r++ {
		if len(t.Rows[r]) > 0 {
			data = r
			break
		}
	}
	if data < 0 {
		e.problem(Problem{Stage: "row", Table: 4, Err: fmt.Errorf("no value row below the header: %w", ErrLayout)})
		return false
	}
	for r := data + 1; r < t.NumRows; r++ {
		for _, c := range t.Rows[r] {
			if strings.TrimFunc(c.Text, isSpace) != "" {
				e.warn("table 4: rows below the first value row ignored")
				r = t.NumRows
				break
			}
		}
	}
	start := 0
	if len(ids) != len(t4Cols) {
		for j := range colIDs {
			colIDs[j] = ""
		}
		if len(t.Rows[data]) != len(t4Cols) {
			e.problem(Problem{Stage: "header", Table: 4, Err: fmt.Errorf("result columns not recognized: %w", ErrLayout)})
			return false
		}
		e.warn("table 4: column headers not recognized; the 15 values taken in template order")
	} else {
		for j, id := range colIDs {
			if id != "" {
				start = j
				break
			}
		}
	}
	vals, byOrder, err := rowValues(t, data, start, colIDs, nil, t4Cols)
	if err != nil {
		e.problem(Problem{Stage: "row", Table: 4, Row: fmt.Sprintf("row %d", data+1), Err: err})
		return false
	}
	if byOrder && len(ids) == len(t4Cols) {
		e.warn("table 4: cell spans differ from the header; values matched by order")
	}
	for i, key := range t4Cols {
		row, col := t4Name(key)
		e.set(key, vals[i].Text, unitCount, 4, row, col)
	}
	return true
}
