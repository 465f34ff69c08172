package extract

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"ogi/parser"
)

var t2RowLabels = mkLabels(
	"rules", "规章",
	"normative_docs", "规范性文件|行政规范性文件",
	"licensing", "行政许可",
	"other_services", "其他对外管理服务事项",
	"punishment", "行政处罚",
	"coercion", "行政强制",
	"fees", "行政事业性收费",
	"procurement", "政府集中采购",
)

var t2RowNames = map[string]string{
	"rules": "规章", "normative_docs": "规范性文件", "licensing": "行政许可", "other_services": "其他对外管理服务事项",
	"punishment": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购",
}

// Column ids: the key suffix, with the template that prints the column.
var t2ColLabels = mkLabels(
	"issued", "本年制发件数",
	"repealed", "本年废止件数",
	"in_force", "现行有效件数",
	"decisions21", "本年处理决定数量",
	"amount21", "本年收费金额(单位:万元)|本年收费金额|本年收费金额(万元)|本年收费金额(单位:元)|本年收费金额(元)",
	"made", "本年新制作数量",
	"published", "本年新公开数量",
	"total_public", "对外公开总数量",
	"items_prev_year", "上一年项目数量",
	"items_change", "本年增/减|本年增减|本年增/减数量",
	"decisions19", "处理决定数量",
	"projects", "采购项目数量",
	"amount19", "采购总金额|采购总金额(万元)|采购总金额(单位:万元)|采购总金额(元)|采购总金额(单位:元)",
)

var t2ColNames = map[string]string{
	"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数", "decisions21": "本年处理决定数量",
	"amount21": "本年收费金额（单位：万元）", "made": "本年新制作数量", "published": "本年新公开数量",
	"total_public": "对外公开总数量", "items_prev_year": "上一年项目数量", "items_change": "本年增/减",
	"decisions19": "处理决定数量", "projects": "采购项目数量", "amount19": "采购总金额",
}

var t2Cols2021 = map[string]bool{"issued": true, "repealed": true, "in_force": true, "decisions21": true, "amount21": true}

// t2Valid holds the keys of table 2 for each template.
var t2Valid = func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, f := range Fields() {
		if f.Table == 2 {
			if m[f.Template] == nil {
				m[f.Template] = map[string]bool{}
			}
			m[f.Template][f.Key] = true
		}
	}
	return m
}()

// t2Keys holds the field key of each row and column id.
var t2Keys = func() map[[2]string]string {
	m := map[[2]string]string{}
	for _, r := range t2RowLabels {
		for _, c := range t2ColLabels {
			m[[2]string{r.id, c.id}] = "active." + r.id + "." + t2Suffix(c.id)
		}
	}
	return m
}()

func t2Key(row, col string) string {
	if k, ok := t2Keys[[2]string{row, col}]; ok {
		return k
	}
	return "active." + row + "." + t2Suffix(col)
}

func t2Suffix(col string) string {
	switch col {
	case "decisions21", "decisions19":
		return "decisions"
	case "amount21", "amount19":
		return "amount"
	}
	return col
}

func t2Unit(col string) colUnit {
	switch col {
	case "amount21", "amount19":
		return unitWanYuan
	case "items_change":
		return unitChange
	}
	return unitCount
}

var captionRE = regexp.MustCompile(`第二十条第?\(?([一二三四五六七八九十0-9]+)\)?项?`)

// t2col is one value column of the current block's header.
type t2col struct {
	id         string
	start, end int  // grid columns covered
	yuan       bool // the header gives the unit as 元, not 万元
}

// t2val is one value read from table 2 before the template is known.
type t2val struct {
	row, col string
	cell     *parser.Cell
	yuan     bool
}

// table2 reads table 2 (one table, or one piece per 第二十条 block) and
// returns its template, or "" when not read.
func (e *extractor) table2(parts []t2part) string {
	if len(parts) == 0 {
		return ""
	}
	var header []t2col
	var vals []t2val
	var seenHeader bool
	var texts []string // the current row's label texts
	var joined []byte  // and joined
	// Rows and columns printed, to tell a row the table leaves out from
	// one that could not be read.
	rowsSeen, colsSeen := map[string]bool{}, map[string]bool{}
	for _, p := range parts {
		if p.table == nil {
			header = nil // a caption starts a new block
			continue
		}
		t := p.table
		for r := 0; r < t.NumRows; r++ {
			cells := t.Rows[r]
			if len(cells) == 0 {
				continue
			}
			texts, joined = texts[:0], joined[:0]
			for _, c := range cells {
				txt := normLabel(c.Text)
				texts = append(texts, txt)
				joined = append(joined, txt...)
			}
			switch {
			// captionRE needs 第二十条.
			case bytes.Contains(joined, []byte("第二十条")) && captionRE.Match(joined) && !hasValueText(cells[1:]):
				header = nil
				continue
			case bytes.Contains(joined, []byte("主动公开政府信息情况")) && len(cells) <= 2:
				continue // the section heading inside the table
			}
			// A header row: 信息内容 then column labels.
			if texts[0] == "信息内容" || isT2Header(texts) {
				header = header[:0]
				for i, c := range cells {
					if i == 0 && texts[0] == "信息内容" {
						continue
					}
					m := matchLabel(texts[i], t2ColLabels)
					if m.id == "" {
						if texts[i] != "" {
							e.problem(Problem{Stage: StageHeader, Table: 2, Column: cleanRaw(c.Text), Err: fmt.Errorf("column not recognized: %w", ErrLayout)})
						}
						header = append(header, t2col{id: "", start: c.Col, end: c.Col + c.ColSpan})
						continue
					}
					if m.fuzzy {
						e.warn("table 2: column label %q matched %s by similarity", cleanRaw(c.Text), t2ColNames[m.id])
					}
					colsSeen[m.id] = true
					yuan := strings.Contains(texts[i], "元") && !strings.Contains(texts[i], "万元")
					header = append(header, t2col{id: m.id, start: c.Col, end: c.Col + c.ColSpan, yuan: yuan})
				}
				seenHeader = true
				continue
			}
			// A data row: its label, then the values.
			lab := cells[0]
			m := matchLabel(texts[0], t2RowLabels)
			if m.id == "" {
				if texts[0] != "" && !isNumberish(lab.Text) {
					e.problem(Problem{Stage: StageRow, Table: 2, Row: cleanRaw(lab.Text), Page: lab.Page, Err: fmt.Errorf("row not recognized: %w", ErrLayout)})
				}
				continue
			}
			rowsSeen[m.id] = true
			if m.fuzzy {
				e.warn("table 2: row label %q matched %s by similarity", cleanRaw(lab.Text), t2RowNames[m.id])
			}
			if len(header) == 0 {
				e.problem(Problem{Stage: StageHeader, Table: 2, Row: t2RowNames[m.id], Page: lab.Page, Err: fmt.Errorf("no column header above the row: %w", ErrLayout)})
				continue
			}
			rowCells := cells[1:]
			got, byOrder := alignT2(header, rowCells)
			if got == nil && t.Inferred {
				got, byOrder = alignInferred(header, rowCells, r)
			}
			if got == nil {
				e.problem(Problem{Stage: StageRow, Table: 2, Row: t2RowNames[m.id], Page: lab.Page,
					Err: fmt.Errorf("%d value cells under %d columns: %w", len(rowCells), len(header), ErrLayout)})
				continue
			}
			if byOrder {
				e.warn("table 2, row %q: cell spans differ from the header; values matched by order", t2RowNames[m.id])
			}
			for i, h := range header {
				if h.id != "" {
					vals = append(vals, t2val{row: m.id, col: h.id, cell: got[i], yuan: h.yuan})
				}
			}
		}
	}
	if !seenHeader && len(vals) == 0 {
		e.problem(Problem{Stage: StageHeader, Table: 2, Err: fmt.Errorf("no column header found: %w", ErrLayout)})
		return ""
	}
	// The template, from the columns printed.
	n21, n19 := 0, 0
	for _, v := range vals {
		if t2Cols2021[v.col] {
			n21++
		} else {
			n19++
		}
	}
	tpl := "2021"
	if n19 > n21 {
		tpl = "2019"
	}
	if n21 > 0 && n19 > 0 {
		e.warn("table 2 mixes the 2019 and 2021 columns; read as %s", tpl)
	}
	valid := t2Valid[tpl]
	done := make(map[string]bool, len(vals))
	for _, v := range vals {
		key := t2Key(v.row, v.col)
		if !valid[key] || (t2Cols2021[v.col] != (tpl == "2021")) {
			e.problem(Problem{Stage: StageRow, Table: 2, Row: t2RowNames[v.row], Column: t2ColNames[v.col],
				Err: fmt.Errorf("no such field in the %s template: %w", tpl, ErrLayout)})
			continue
		}
		if done[key] {
			e.problem(Problem{Stage: StageRow, Table: 2, Row: t2RowNames[v.row], Column: t2ColNames[v.col],
				Err: fmt.Errorf("printed twice: %w", ErrLayout)})
			delete(e.rec.Fields, key)
			if s := slotOf(key); s >= 0 {
				e.slots[s] = slotValue{}
			}
			continue
		}
		done[key] = true
		u := t2Unit(v.col)
		if u == unitWanYuan && v.yuan {
			u = unitYuan
		}
		e.set(key, slotOf(key), v.cell, u, 2, t2RowNames[v.row], t2ColNames[v.col])
	}
	// Keys not read: a row or a column the table does not print is one
	// warning (its keys are absent, as for a blank template row); a cell
	// of a printed row and column that was not read is a problem.
	var rowsOut []string
	rowOut := map[string]bool{}
	colsOut := map[string][]string{}
	var colOrder []string
	for _, f := range Fields() {
		if f.Table != 2 || f.Template != tpl || done[f.Key] {
			continue
		}
		rowID, colID := t2IDs(f.Key, tpl)
		row, col := f.Row, f.Column
		if i := strings.LastIndex(row, " "); i >= 0 {
			row = row[i+1:]
		}
		switch {
		case rowID != "" && !rowsSeen[rowID]:
			if !rowOut[rowID] {
				rowOut[rowID] = true
				rowsOut = append(rowsOut, t2RowNames[rowID])
			}
		case colID != "" && !colsSeen[colID]:
			if colsOut[col] == nil {
				colOrder = append(colOrder, col)
			}
			colsOut[col] = append(colsOut[col], row)
		default:
			e.problem(Problem{Stage: StageRow, Table: 2, Row: row, Column: col, Err: fmt.Errorf("cell not found: %w", ErrLayout)})
		}
	}
	for _, r := range rowsOut {
		e.warn("table 2: row %q not printed; its keys are absent", r)
	}
	for _, c := range colOrder {
		e.warn("table 2: column %q not printed (rows %s); its keys are absent", c, strings.Join(colsOut[c], ", "))
	}
	return tpl
}

// t2IDs returns the row and column ids of a table 2 key of a template.
func t2IDs(key, tpl string) (row, col string) {
	for k, v := range t2Keys {
		if v == key && t2Cols2021[k[1]] == (tpl == "2021") {
			return k[0], k[1]
		}
	}
	return "", ""
}

// isT2Header reports whether a row without 信息内容 is still a header:
// all its non-empty cells after the first are column labels.
func isT2Header(texts []string) bool {
	n := 0
	for _, t := range texts[1:] {
		if t == "" {
			continue
		}
		if matchLabel(t, t2ColLabels).id == "" {
			return false
		}
		n++
	}
	return n > 0 && matchLabel(texts[0], t2RowLabels).id == ""
}

func hasValueText(cells []*parser.Cell) bool {
	for _, c := range cells {
		if isNumberish(c.Text) {
			return true
		}
	}
	return false
}

// alignT2 maps a data row's cells to the header columns: by grid position
// when every cell lies under one column, else by order when the counts
// agree. It returns nil when neither fits.
func alignT2(header []t2col, cells []*parser.Cell) ([]*parser.Cell, bool) {
	out := make([]*parser.Cell, len(header))
	direct := true
	for _, c := range cells {
		k := -1
		for i, h := range header {
			if c.Col >= h.start && c.Col+c.ColSpan <= h.end {
				k = i
			}
		}
		if k < 0 || out[k] != nil {
			direct = false
			break
		}
		out[k] = c
	}
	if direct {
		for _, c := range out {
			if c == nil {
				direct = false
			}
		}
	}
	if direct {
		return out, false
	}
	if len(cells) == len(header) {
		return append([]*parser.Cell(nil), cells...), true
	}
	return nil, false
}

// alignInferred lays the cells of a data row of a table whose structure
// was inferred from text alignment (a PDF table printed without rules)
// under the header when alignT2 cannot: a blank cell there is only a gap
// between texts, so its span is a guess. Each cell holding text goes, in
// order, to the first column still free that its span overlaps; a column
// left without one reads as blank. Nil when a text finds no column, or
// only one whose label was not recognized.
func alignInferred(header []t2col, cells []*parser.Cell, row int) ([]*parser.Cell, bool) {
	out := make([]*parser.Cell, len(header))
	next := 0
	for _, c := range cells {
		if strings.TrimSpace(c.Text) == "" {
			continue
		}
		k := next
		for k < len(header) && !(c.Col < header[k].end && c.Col+c.ColSpan > header[k].start) {
			k++
		}
		if k == len(header) || header[k].id == "" {
			return nil, false // no column, or one whose label was not read
		}
		out[k] = c
		next = k + 1
	}
	for i, h := range header {
		if out[i] == nil {
			page := 0
			if len(cells) > 0 {
				page = cells[0].Page
			}
			out[i] = &parser.Cell{Row: row, Col: h.start, RowSpan: 1, ColSpan: h.end - h.start, Page: page}
		}
	}
	return out, true
}
