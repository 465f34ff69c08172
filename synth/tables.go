package synth

import (
	"strings"
)

func hcell(text string, span int) *cell {
	return &cell{paras: []string{text}, span: span, head: true}
}

func (g *gen) vcell(key, unit string, span int) *cell {
	return &cell{paras: []string{g.value(key, unit)}, span: span, num: true}
}

// headParas splits a header label over two paragraphs under SplitHeaders.
func (g *gen) headParas(label string) []string {
	if g.m.SplitHeaders {
		if p, ok := splitColLabels[label]; ok && g.r.Intn(3) != 0 {
			return []string{p[0], p[1]}
		}
	}
	return []string{label}
}

func (g *gen) table2() *table {
	t := &table{no: 2, grid: []int{2435, 2435, 2435, 2435}}
	for _, b := range g.t2 {
		cap := b.caption
		if g.m.LabelVariants && g.r.Intn(4) == 0 {
			cap = strings.NewReplacer("（", "(", "）", ")").Replace(cap)
		}
		t.rows = append(t.rows, []*cell{{paras: []string{cap}, span: 4, head: true, shade: true}})
		var hr []*cell
		for _, h := range b.head {
			label := h.label
			if g.m.LabelVariants && strings.HasPrefix(label, "本年收费金额") && g.r.Intn(2) == 0 {
				label = "本年收费金额(单位:万元)"
			}
			hr = append(hr, &cell{paras: []string{g.breakLabel(label)}, span: h.span, head: true})
		}
		t.rows = append(t.rows, hr)
		for _, row := range b.rows {
			label := row.label
			if g.m.LabelVariants && label == "行政规范性文件" && g.r.Intn(2) == 0 {
				label = "规范性文件"
			}
			cells := []*cell{hcell(label, 1)}
			spans := make([]int, len(row.vals))
			for i, v := range row.vals {
				spans[i] = v.span
			}
			if g.m.SpanMismatch && len(spans) > 1 && spans[0] != spans[len(spans)-1] {
				for i, j := 0, len(spans)-1; i < j; i, j = i+1, j-1 {
					spans[i], spans[j] = spans[j], spans[i]
				}
			}
			for i, v := range row.vals {
				cells = append(cells, g.vcell(v.key, v.unit, spans[i]))
			}
			t.rows = append(t.rows, cells)
		}
	}
	return t
}

// table3 returns table 3, split in two parts under SplitTable.
func (g *gen) table3() []*table {
	t := &table{no: 3, grid: []int{754, 921, 3271, 685, 685, 685, 685, 685, 685, 685}}
	corner := labelCorner
	if g.m.LabelVariants && g.r.Intn(3) == 0 {
		corner = strings.NewReplacer("（", "(", "）", ")").Replace(corner)
	}
	t.rows = append(t.rows,
		[]*cell{{paras: []string{corner}, span: 3, vm: vmRestart, head: true}, hcell(applicantHead, 7)},
		[]*cell{{span: 3, vm: vmContinue, head: true}, {paras: []string{colLabels[0]}, span: 1, vm: vmRestart, head: true}, hcell(orgHead, 5), {paras: g.headParas(colLabels[6]), span: 1, vm: vmRestart, head: true}},
	)
	r2 := []*cell{{span: 3, vm: vmContinue, head: true}, {span: 1, vm: vmContinue, head: true}}
	for _, l := range colLabels[1:6] {
		r2 = append(r2, &cell{paras: g.headParas(l), span: 1, head: true})
	}
	t.rows = append(t.rows, append(r2, &cell{span: 1, vm: vmContinue, head: true}))

	rows := table3Rows(g.single)
	if g.m.Typos {
		for n := 1 + g.r.Intn(2); n > 0; n-- {
			g.typoAt[rows[g.r.Intn(len(rows))].key] = true
		}
	}
	missing := ""
	if g.m.MissingSubLabels {
		groups := []string{"denied", "unavailable", "not_processed"}
		if !g.single {
			groups = append(groups, "other")
		}
		missing = groups[g.r.Intn(len(groups))]
	}
	stray := g.r.Intn(2) == 0
	results := labelResults
	if g.m.LabelVariants && g.r.Intn(5) == 0 {
		results = strings.Join(strings.Split(results, ""), "\n") // one character per line
	}
	firstResult := true
	prevGroup := ""
	for _, row := range rows {
		label := g.rowLabel(row)
		var cells []*cell
		switch {
		case !row.result && row.key != "total":
			cells = append(cells, hcell(label, 3))
		case row.group == "":
			cells = append(cells, g.resultsCell(&firstResult, results), hcell(label, 2))
		default:
			cells = append(cells, g.resultsCell(&firstResult, results))
			if row.group != prevGroup {
				gl := g.breakLabel(g.groupNumber(groupLabels[row.group]))
				cells = append(cells, &cell{paras: []string{gl}, span: 1, vm: vmRestart, head: true})
			} else {
				cells = append(cells, &cell{span: 1, vm: vmContinue, head: true})
			}
			if row.group == missing {
				switch {
				case stray:
					label = "0"
				case g.style.wps:
					label = "\u3000"
				default:
					label = ""
				}
			}
			cells = append(cells, hcell(label, 1))
		}
		prevGroup = row.group
		for _, col := range Columns {
			cells = append(cells, g.vcell("requests."+row.key+"."+col, "件", 1))
		}
		t.rows = append(t.rows, cells)
	}
	if !g.m.SplitTable {
		return []*table{t}
	}
	// Split inside 三、本年度办理结果: the second part repeats no header and
	// its merged label cells restart, empty or with the label again.
	first := 3 + 4 // header rows + 一, 二, （一）, （二）
	at := first + 1 + g.r.Intn(len(rows)-6)
	a := &table{no: 3, grid: t.grid, rows: t.rows[:at]}
	b := &table{no: 3, grid: t.grid, rows: t.rows[at:]}
	repeat := g.r.Intn(3) == 0
	for c, x := range b.rows[0] {
		if x.vm != vmContinue {
			continue
		}
		nc := *x
		nc.vm = vmRestart
		if repeat {
			nc.paras = g.labelAbove(t.rows[:at], c)
		}
		b.rows[0][c] = &nc
	}
	return []*table{a, b}
}

// labelAbove finds the text of the merged cell that position c of the
// next row continues.
func (g *gen) labelAbove(rows [][]*cell, c int) []string {
	for r := len(rows) - 1; r >= 0; r-- {
		if c < len(rows[r]) && rows[r][c].vm == vmRestart {
			return rows[r][c].paras
		}
	}
	return nil
}

func (g *gen) resultsCell(first *bool, text string) *cell {
	if *first {
		*first = false
		return &cell{paras: []string{text}, span: 1, vm: vmRestart, head: true}
	}
	return &cell{span: 1, vm: vmContinue, head: true}
}

// rowLabel is a table 3 row label with the mess applied.
func (g *gen) rowLabel(row t3row) string {
	l := row.label
	if strings.HasPrefix(l, "（") {
		l = g.groupNumber(l)
	} else if row.group != "" {
		l = g.subNumber(l)
	}
	l = g.quotes(l)
	if g.typoAt[row.key] {
		l = g.typo(l)
	}
	return g.breakLabel(l)
}

func (g *gen) table4() *table {
	t := &table{no: 4, grid: []int{649, 649, 649, 649, 649, 649, 649, 650, 650, 650, 650, 650, 650, 650, 650}}
	t.rows = append(t.rows, []*cell{hcell("行政复议", 5), hcell("行政诉讼", 10)})
	var r1, r2, r3 []*cell
	for _, l := range t4ColLabels {
		r1 = append(r1, &cell{paras: g.headParas(l), span: 1, vm: vmRestart, head: true})
		r2 = append(r2, &cell{span: 1, vm: vmContinue, head: true})
	}
	r1 = append(r1, hcell("未经复议直接起诉", 5), hcell("复议后起诉", 5))
	for i := 0; i < 2; i++ {
		for _, l := range t4ColLabels {
			r2 = append(r2, &cell{paras: g.headParas(l), span: 1, head: true})
		}
	}
	for _, grp := range table4Groups {
		for _, c := range table4Cols {
			r3 = append(r3, g.vcell(grp+"."+c, "件", 1))
		}
	}
	t.rows = append(t.rows, r1, r2, r3)
	return t
}
