package extract

import (
	"bytes"
	"fmt"
	"slices"
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

// t4RowNames and t4ColNames name the columns of t4Cols for messages.
var t4RowNames, t4ColNames = func() (rows, cols []string) {
	for _, k := range t4Cols {
		r, c := t4Name(k)
		rows, cols = append(rows, r), append(cols, c)
	}
	return rows, cols
}()

// t4Slots are the numbers of t4Cols in checkSlots.
var t4Slots = func() []int {
	out := make([]int, len(t4Cols))
	for i, k := range t4Cols {
		out[i] = slotOf(k)
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
func t4Group(text []byte) string {
	has := func(w string) bool { return bytes.Contains(text, []byte(w)) }
	switch {
	case has("未经复议"), has("直接起诉"):
		return "litigation_direct"
	case has("复议后"):
		return "litigation_after_review"
	case has("行政复议") && !has("诉讼"):
		return "review"
	case has("复议") && !has("诉讼") && !has("起诉"):
		// 行政法复议, 复议: a typo or a short form of 行政复议
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
	g := newCellGrid(t)
	// Each cell's label text, folded once.
	core := map[*parser.Cell]string{}
	// The header ends with the last row that prints a leaf label.
	last := -1
	for r := 0; r < t.NumRows; r++ {
		for _, c := range t.Rows[r] {
			txt := normLabel(c.Text)
			core[c] = txt
			if m := matchLabel(txt, t4Leaves); m.id != "" && !m.fuzzy {
				last = r
			}
		}
	}
	if last < 0 {
		e.problem(Problem{Stage: StageHeader, Table: 4, Err: fmt.Errorf("result columns not found: %w", ErrLayout)})
		return false
	}
	colIDs := make([]string, t.NumCols)
	ids := map[string]bool{}
	var unknown []string // header texts that name no column, for the warning
	var all []byte       // a column's header texts, top to bottom
	for j := 0; j < t.NumCols; j++ {
		all = all[:0]
		leaf := ""
		for r := 0; r <= last; r++ {
			if c := g.at(r, j); c != nil && c.ColSpan == t.NumCols && t.NumCols > 1 {
				continue // a caption or heading across the table
			}
			// A covered slot has its cell's text (FillCopy); an empty
			// slot has none.
			txt := ""
			if c := g.at(r, j); c != nil {
				txt = core[c]
			}
			all = append(all, txt...)
			if txt != "" {
				leaf = txt
			}
		}
		g := t4Group(all)
		m := matchLabel(leaf, t4Leaves)
		if g != "" && m.id != "" {
			colIDs[j] = g + "." + m.id
			ids[colIDs[j]] = true
		} else if leaf != "" && !slices.Contains(unknown, leaf) {
			unknown = append(unknown, leaf)
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
		e.problem(Problem{Stage: StageRow, Table: 4, Err: fmt.Errorf("no value row below the header: %w", ErrLayout)})
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
			e.problem(Problem{Stage: StageHeader, Table: 4, Err: fmt.Errorf("result columns not recognized: %w", ErrLayout)})
			return false
		}
		if len(unknown) > 0 {
			e.warn("table 4: column headers not recognized (%s); the 15 values taken in template order", quoteList(unknown))
		} else {
			e.warn("table 4: column headers not recognized; the 15 values taken in template order")
		}
	} else {
		for j, id := range colIDs {
			if id != "" {
				start = j
				break
			}
		}
	}
	vals, byOrder, err := rowValues(nil, t, data, start, colIDs, nil, t4Cols, nil)
	if err != nil {
		e.problem(Problem{Stage: StageRow, Table: 4, Row: fmt.Sprintf("row %d", data+1), Err: err})
		return false
	}
	if byOrder && len(ids) == len(t4Cols) {
		e.warn("table 4: cell spans differ from the header; values matched by order")
	}
	for i, key := range t4Cols {
		row, col := t4RowNames[i], t4ColNames[i]
		e.set(key, t4Slots[i], vals[i], unitCount, 4, row, col)
	}
	return true
}

// quoteList quotes texts for a message: "a", "b".
func quoteList(texts []string) string {
	q := make([]string, len(texts))
	for i, t := range texts {
		q[i] = fmt.Sprintf("%q", t)
	}
	return strings.Join(q, ", ")
}
