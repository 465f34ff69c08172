package extract

import (
	"errors"
	"strings"
	"testing"

	"ogi/parser"
)

// extractT3 extracts a report whose table 3 is built from spec, with
// tables 2 and 4 all zeros.
func extractT3(spec t3spec) (*Record, []Problem) {
	tables := t3Build(spec)
	return Extract(report(append([]*parser.Table{t2Build2021(zeros(10))}, append(tables, t4Build(zeros(15)))...)...))
}

func field(r *Record, k string) string {
	v, ok := r.Fields[k]
	if !ok {
		return "absent"
	}
	return showN(v)
}

func TestCellNotes(t *testing.T) {
	rec, probs := extractT3(t3spec{vals: map[string]string{
		"new.natural_person": "22（其中修订16件）", "new.total": "22", "granted.natural_person": "22", "granted.total": "22",
		"total.natural_person": "22", "total.total": "22",
		"denied.third_party.commercial": "3（均为同一申请人）", "denied.third_party.total": "3",
		"new.commercial": "3", "total.commercial": "3",
	}})
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if got := field(rec, "requests.new.natural_person"); got != "22" {
		t.Errorf("new.natural_person = %s, want 22", got)
	}
	if got := rec.Raw["requests.new.natural_person"]; got != "22（其中修订16件）" {
		t.Errorf("raw = %q, want the whole text", got)
	}
	if got := field(rec, "requests.denied.third_party.commercial"); got != "3" {
		t.Errorf("denied.third_party.commercial = %s, want 3", got)
	}
	if !hasWarning(rec, `cell "22（其中修订16件）" read as 22; the note "（其中修订16件）" after the number ignored`) {
		t.Errorf("no note warning in %q", rec.Warnings)
	}
	if !hasWarning(rec, `"3（均为同一申请人）" read as 3`) {
		t.Errorf("no note warning in %q", rec.Warnings)
	}

	for _, text := range []string{"3+2", "5（另有2件）"} {
		rec, probs := extractT3(t3spec{vals: map[string]string{"new.natural_person": text}})
		if got := field(rec, "requests.new.natural_person"); got != "absent" {
			t.Errorf("%q: new.natural_person = %s, want absent", text, got)
		}
		if rec.Raw["requests.new.natural_person"] != text {
			t.Errorf("%q: raw = %q", text, rec.Raw["requests.new.natural_person"])
		}
		found := false
		for _, p := range probs {
			if p.Stage == "cell" && p.Cell == text && errors.Is(p, ErrNumeral) && strings.Contains(p.Error(), "second number") {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no second-number problem in %v", text, probs)
		}
	}
}

func TestMergedValueCells(t *testing.T) {
	allZero := map[string]string{}
	for _, c := range t3Cols {
		allZero[c] = "0"
	}
	rec, probs := extractT3(t3spec{mergeOther: allZero})
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	for _, sub := range []string{"no_correction", "no_fee", "other"} {
		for _, c := range t3Cols {
			if got := field(rec, "requests.other."+sub+"."+c); got != "0" {
				t.Errorf("other.%s.%s = %s, want 0", sub, c, got)
			}
		}
	}
	if !hasWarning(rec, "print one merged cell per column (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计); its zero read for each row") {
		t.Errorf("no merged-zero warning in %q", rec.Warnings)
	}
	if f := failing(rec); len(f) > 0 {
		t.Errorf("failing checks: %v", f)
	}

	// A merged 2 in 其他处理: the group's key, never split.
	rec, probs = extractT3(t3spec{mergeOther: map[string]string{"natural_person": "2", "total": "2"},
		vals: map[string]string{"new.natural_person": "2", "new.total": "2", "total.natural_person": "2", "total.total": "2"}})
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	if got := field(rec, "requests.other.natural_person"); got != "2" {
		t.Errorf("other.natural_person = %s, want 2", got)
	}
	for _, sub := range []string{"no_correction", "no_fee", "other"} {
		if got := field(rec, "requests.other."+sub+".natural_person"); got != "absent" {
			t.Errorf("other.%s.natural_person = %s, want absent", sub, got)
		}
		if got := field(rec, "requests.other."+sub+".commercial"); got != "0" {
			t.Errorf("other.%s.commercial = %s, want 0", sub, got)
		}
	}
	if !hasWarning(rec, `column 自然人: one cell "2" merged over rows`) {
		t.Errorf("no group warning in %q", rec.Warnings)
	}
}

func TestMergedNonZeroWithoutGroupKey(t *testing.T) {
	// 不予公开 has no key of its own: a number merged over two of its
	// sub-rows is a problem naming both.
	tb := t3Build(t3spec{vals: map[string]string{"denied.state_secret.natural_person": "4@r2"}})[0]
	// Drop the cell under it in the next row.
	b := parser.NewBuilder()
	for r, row := range tb.Rows {
		b.StartRow()
		dropped := false
		for _, c := range row {
			if r == 8 && c.Text == "0" && !dropped {
				dropped = true
				continue
			}
			b.Add(&parser.Cell{Text: c.Text, RowSpan: c.RowSpan, ColSpan: c.ColSpan})
		}
	}
	tb = b.Table()
	rec, probs := Extract(report(t2Build2021(zeros(10)), tb, t4Build(zeros(15))))
	found := false
	for _, p := range probs {
		if p.Stage == "cell" && strings.Contains(p.Row, "属于国家秘密") && strings.Contains(p.Row, "其他法律行政法规禁止公开") &&
			strings.Contains(p.Error(), "cannot be split") {
			found = true
		}
	}
	if !found {
		t.Errorf("no merged-cell problem in %v", probs)
	}
	for _, k := range []string{"requests.denied.state_secret.natural_person", "requests.denied.prohibited_by_law.natural_person"} {
		if got := field(rec, k); got != "absent" {
			t.Errorf("%s = %s, want absent", k, got)
		}
		if rec.Raw[k] != "4" {
			t.Errorf("raw %s = %q, want 4", k, rec.Raw[k])
		}
	}
}

func TestRowsNotPrinted(t *testing.T) {
	// Table 2 without its 规章 row, twice over (values differ): the same
	// one warning each time, no problem, the row's keys absent.
	for _, v := range [][]string{zeros(10), {"0", "0", "0", "1", "2", "30", "4", "5", "0", "1.5"}} {
		t2 := tbl(
			[]string{"第二十条第（一）项@c4"},
			[]string{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
			[]string{"行政规范性文件", v[3], v[4], v[5]},
			[]string{"第二十条第（五）项@c4"},
			[]string{"信息内容", "本年处理决定数量@c3"},
			[]string{"行政许可", v[6] + "@c3"},
			[]string{"第二十条第（六）项@c4"},
			[]string{"信息内容", "本年处理决定数量@c3"},
			[]string{"行政处罚", v[7] + "@c3"},
			[]string{"行政强制", v[8] + "@c3"},
			[]string{"第二十条第（八）项@c4"},
			[]string{"信息内容", "本年收费金额（单位：万元）@c3"},
			[]string{"行政事业性收费", v[9] + "@c3"},
		)
		rec, probs := Extract(report(append([]*parser.Table{t2}, append(t3Build(t3spec{}), t4Build(zeros(15)))...)...))
		if len(probs) > 0 {
			t.Errorf("problems: %v", probs)
		}
		n := 0
		for _, w := range rec.Warnings {
			if strings.Contains(w, "not printed") {
				n++
				if w != `table 2: row "规章" not printed; its keys are absent` {
					t.Errorf("warning %q", w)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d not-printed warnings in %q, want 1", n, rec.Warnings)
		}
		for _, k := range []string{"active.rules.issued", "active.rules.repealed", "active.rules.in_force"} {
			if got := field(rec, k); got != "absent" {
				t.Errorf("%s = %s, want absent", k, got)
			}
		}
		if got := field(rec, "active.normative_docs.in_force"); got != v[5] {
			t.Errorf("normative_docs.in_force = %s, want %s", got, v[5])
		}
	}

	// Table 3 without 二、上年结转, 2021 and 2019 layouts alike.
	for _, single := range []bool{false, true} {
		tb := t3Build(t3spec{single: single})[0]
		b := parser.NewBuilder()
		for _, row := range tb.Rows {
			if len(row) > 0 && strings.HasPrefix(row[0].Text, "二、上年结转") {
				continue
			}
			b.StartRow()
			for _, c := range row {
				rs := c.RowSpan
				b.Add(&parser.Cell{Text: c.Text, RowSpan: rs, ColSpan: c.ColSpan})
			}
		}
		rec, probs := Extract(report(t2Build2021(zeros(10)), b.Table(), t4Build(zeros(15))))
		if len(probs) > 0 {
			t.Errorf("single=%v: problems: %v", single, probs)
		}
		if !hasWarning(rec, `table 3: row "二、上年结转政府信息公开申请数量" not printed; its keys are absent`) {
			t.Errorf("single=%v: no warning in %q", single, rec.Warnings)
		}
		if got := field(rec, "requests.carried_over.total"); got != "absent" {
			t.Errorf("carried_over.total = %s", got)
		}
		if got := field(rec, "requests.new.total"); got != "0" {
			t.Errorf("new.total = %s", got)
		}
	}
}

func TestLabelVariants(t *testing.T) {
	// Table 2: 本年废止件 (数 dropped), 规范性文件 for 行政规范性文件,
	// header split over runs and paragraphs.
	t2 := tbl(
		[]string{"第二十条第（一）项@c4"},
		[]string{"信息内容", "本年\n制发件数", "本年废止件", "现行\n有效\n件数"},
		[]string{"规章", "1", "2", "3"},
		[]string{"规范性文件", "4", "5", "6"},
		[]string{"第二十条第（五）项@c4"},
		[]string{"信息内容", "本年处理决定数量@c3"},
		[]string{"行政许可", "7@c3"},
		[]string{"第二十条第（六）项@c4"},
		[]string{"信息内容", "本年处理决定数量@c3"},
		[]string{"行政处罚", "8@c3"},
		[]string{"行政强制", "9@c3"},
		[]string{"第二十条第（八）项@c4"},
		[]string{"信息内容", "本年收费金额（单位：万元）@c3"},
		[]string{"行政事业性收费", "10@c3"},
	)
	// Table 4: 行政法复议 for 行政复议, leaves one character per paragraph.
	t4 := tbl(
		[]string{"行政法复议@c5", "行政诉讼@c10"},
		[]string{"结\n果\n维\n持@r2", "结\n果\n纠\n正@r2", "其\n他\n结\n果@r2", "尚\n未\n审\n结@r2", "总\n计@r2", "未经复议直接起诉@c5", "复议后起诉@c5"},
		[]string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"},
		[]string{"1", "2", "0", "0", "3", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
	)
	rec, probs := Extract(report(t2, t3Build(t3spec{})[0], t4))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	for k, want := range map[string]string{
		"active.rules.repealed": "2", "active.normative_docs.issued": "4", "active.rules.in_force": "3",
		"review.upheld": "1", "review.corrected": "2", "review.total": "3",
	} {
		if got := field(rec, k); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
	if hasWarning(rec, "template order") {
		t.Errorf("table 4 read by order: %q", rec.Warnings)
	}

	// A label that matches nothing is reported with its text.
	t2.Rows[1][2].Text = "本年印发材料"
	_, probs = Extract(report(t2, t3Build(t3spec{})[0], t4))
	found := false
	for _, p := range probs {
		if p.Table == 2 && strings.Contains(p.Error(), "本年印发材料") {
			found = true
		}
	}
	if !found {
		t.Errorf("unmatched column label not reported with its text: %v", probs)
	}
	t4.Rows[1][1].Text = "改\n判"
	rec, _ = Extract(report(t2Build2021(zeros(10)), t3Build(t3spec{})[0], t4))
	if !hasWarning(rec, "改 判") && !hasWarning(rec, "改判") {
		t.Errorf("unmatched table 4 label not named: %q", rec.Warnings)
	}
}

// TestClassFixtures checks the two report fixtures made for the classes
// above field by field, so their goldens are not the only judge.
func TestClassFixtures(t *testing.T) {
	t.Run("report-cells.docx", func(t *testing.T) {
		rec, probs, err := extractFile(t, "../fixtures/report-cells.docx")
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]string{
			"requests.new.natural_person": "22", "requests.new.commercial": "3", "requests.new.total": "25",
			"requests.unavailable.not_held.natural_person": "absent", "requests.unavailable.not_held.total": "5",
			"requests.other.no_fee.research": "0", "requests.other.other.total": "0", "requests.other.no_correction.natural_person": "0",
			"active.rules.issued": "absent", "active.normative_docs.issued": "2", "active.normative_docs.repealed": "1",
			"review.upheld": "1", "review.total": "1",
		} {
			if got := field(rec, k); got != want {
				t.Errorf("%s = %s, want %s", k, got, want)
			}
		}
		if rec.Raw["requests.new.natural_person"] != "22（其中修订16件）" {
			t.Errorf("raw = %q", rec.Raw["requests.new.natural_person"])
		}
		if len(probs) != 1 || !strings.Contains(probs[0].Error(), "5（另有2件）") || !strings.Contains(probs[0].Error(), "second number") {
			t.Errorf("problems = %v, want the one cell with a second number", probs)
		}
		for _, w := range []string{`row "规章" not printed`, `"22（其中修订16件）" read as 22`, `"3（均为同一申请人）" read as 3`,
			"print one merged cell per column (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计)"} {
			if !hasWarning(rec, w) {
				t.Errorf("no warning %q in %q", w, rec.Warnings)
			}
		}
		if hasWarning(rec, "template order") {
			t.Errorf("a table read by order: %q", rec.Warnings)
		}
		checks := map[string]bool{}
		for _, c := range rec.Checks {
			checks[c.Name] = c.OK
		}
		if ok, found := checks["prose.review"]; !found || ok {
			t.Errorf("prose.review = %v (found %v), want failing: 行政复议0件 against table 4's 1", ok, found)
		}
		if !checks["prose.requests_new"] || !checks["prose.normative_docs_issued"] || !checks["review.total"] {
			t.Errorf("checks = %v", checks)
		}
	})
	t.Run("report-page.html", func(t *testing.T) {
		rec, probs, err := extractFile(t, "../fixtures/report-page.html")
		if err != nil {
			t.Fatal(err)
		}
		if len(probs) > 0 {
			t.Errorf("problems: %v", probs)
		}
		if deref(rec.Agency) != "青山县市场监督管理局" || deref(rec.Published) != "2025-01-18" || rec.Year == nil || *rec.Year != 2024 {
			t.Errorf("agency %q published %q year %v", deref(rec.Agency), deref(rec.Published), rec.Year)
		}
		for k, want := range map[string]string{
			"requests.other.natural_person": "1", "requests.other.total": "1", "requests.other.no_correction.natural_person": "absent",
			"requests.other.no_fee.commercial": "0", "requests.carried_over.total": "absent", "requests.new.total": "3",
		} {
			if got := field(rec, k); got != want {
				t.Errorf("%s = %s, want %s", k, got, want)
			}
		}
		for _, w := range []string{`row "二、上年结转政府信息公开申请数量" not printed`, "differs from the signature (青山县人民政府办公室)",
			"the page's meta tags name 青山县农业农村局", "read as requests.other.natural_person, the group's total"} {
			if !hasWarning(rec, w) {
				t.Errorf("no warning %q in %q", w, rec.Warnings)
			}
		}
		for k, s := range rec.Sections {
			for _, bad := range []string{"首页", "字号", "分享", "来源", "扫一扫", "附件下载", "全真版", "打印", "标题", "索引号"} {
				if strings.Contains(s, bad) {
					t.Errorf("section %s holds %q: %q", k, bad, s)
				}
			}
		}
		checks := map[string]bool{}
		for _, c := range rec.Checks {
			checks[c.Name] = c.OK
		}
		if ok, found := checks["prose.litigation"]; !found || ok {
			t.Errorf("prose.litigation = %v (found %v), want failing", ok, found)
		}
		if ok, found := checks["requests.results.natural_person"]; !found || !ok {
			t.Errorf("requests.results.natural_person = %v (found %v), want passing with the group's key", ok, found)
		}
	})
}

func TestTable3LabelsSplit(t *testing.T) {
	tb := t3Build(t3spec{vals: map[string]string{"granted.research": "1", "granted.total": "1", "new.research": "1", "new.total": "1",
		"total.research": "1", "total.total": "1"}})[0]
	for _, row := range tb.Rows {
		for _, c := range row {
			switch c.Text {
			case "自然人":
				c.Text = "自\n然\n人"
			case "科研机构":
				c.Text = "科\n研\n机\n构"
			case "（一）予以公开":
				c.Text = "（一）\n予以\n公开"
			}
		}
	}
	rec, probs := Extract(report(t2Build2021(zeros(10)), tb, t4Build(zeros(15))))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if got := field(rec, "requests.granted.research"); got != "1" {
		t.Errorf("granted.research = %s, want 1", got)
	}
	if hasWarning(rec, "template order") || hasWarning(rec, "similarity") {
		t.Errorf("labels not matched exactly: %q", rec.Warnings)
	}
}

func TestTable3UnknownColumnNamed(t *testing.T) {
	tb := t3Build(t3spec{})[0]
	for _, row := range tb.Rows {
		for _, c := range row {
			if c.Text == "科研机构" {
				c.Text = "高等院校"
			}
		}
	}
	rec, _ := Extract(report(t2Build2021(zeros(10)), tb, t4Build(zeros(15))))
	if !hasWarning(rec, `applicant column headers not recognized ("高等院校")`) {
		t.Errorf("unknown column label not named: %q", rec.Warnings)
	}
}
