package extract

import (
	"errors"
	"strings"
	"testing"

	"ogi/parser"
)

func TestNormLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"（一）予以公开", "予以公开"},
		{"(一)予以公开", "予以公开"},
		{"（1）予以公开", "予以公开"},
		{"（3） \n不予\n公开", "不予公开"},
		{"1.属于国家秘密", "属于国家秘密"},
		{"1、属于国家秘密", "属于国家秘密"},
		{"1．属于国家秘密", "属于国家秘密"},
		{"３．危及「三安全一稳定」", "危及三安全一稳定"},
		{"3.危及\"三安全一稳定\"", "危及三安全一稳定"},
		{"行政规范性文件", "规范性文件"},
		{"一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"},
		{"商业\n企业", "商业企业"},
		{"总 计\u00a0\u00a0", "总计"},
		{"只计这一情\u3000形", "只计这一情形"},
		{"(七总计", "总计"}, // closing bracket lost
		{"()总计", "总计"}, // digit lost
		{"七）总计", "总计"}, // opening bracket lost
		{"三类内部事务", "三类内部事务"},
	}
	for _, tt := range tests {
		if got := normLabel(tt.in); got != tt.want {
			t.Errorf("normLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatchLabel(t *testing.T) {
	subs := t3Subs["denied"]
	tests := []struct {
		in    string
		want  string
		fuzzy bool
	}{
		{"2.其他法律行政法规禁止公开", "prohibited_by_law", false},
		{"2.其他法律行政止公开", "prohibited_by_law", true}, // typo: characters missing
		{"1.属于国家密秘", "state_secret", true},         // two characters swapped
		{"7.属于行政执法案卷", "enforcement_files", false},
		{"属于行政", "", false}, // too little to tell 7 from 8
		{"其他", "", false},
	}
	for _, tt := range tests {
		m := matchLabel(normLabel(tt.in), subs)
		if m.id != tt.want || m.fuzzy != tt.fuzzy {
			t.Errorf("matchLabel(%q) = %q fuzzy %v, want %q fuzzy %v", tt.in, m.id, m.fuzzy, tt.want, tt.fuzzy)
		}
	}
}

func TestReadCell(t *testing.T) {
	tests := []struct {
		text    string
		unit    colUnit
		want    string // "null" for blank, "ERR" for a problem
		lenient bool
	}{
		{"0", unitCount, "0", false},
		{"", unitCount, "null", false},
		{"\u3000", unitCount, "null", false},
		{"—", unitCount, "null", false},
		{"-", unitCount, "null", false},
		{"/", unitCount, "null", false},
		{"无", unitCount, "null", false},
		{"12件", unitCount, "12", false},
		{"3人", unitCount, "3", false},
		{"1,234", unitCount, "1234", false},
		{"１２", unitCount, "12", false},
		{"十二", unitCount, "12", false},
		{"1,23", unitCount, "ERR", false},
		{"25%", unitCount, "ERR", false},
		{"1.5", unitCount, "ERR", false},
		{"-3", unitCount, "ERR", false},
		{"减3", unitChange, "-3", false},
		{"-3", unitChange, "-3", false},
		{"251000元", unitWanYuan, "25.1", false},
		{"3.6万元", unitWanYuan, "3.6", false},
		{"3.6万", unitWanYuan, "3.6", false},
		{"7730.28", unitWanYuan, "7730.28", false},
		{"12,345.5", unitWanYuan, "12345.5", false},
		{"251000", unitYuan, "25.1", false},
		{"251000元", unitYuan, "25.1", false},
		{"3.6万元", unitYuan, "3.6", false},
		{"3件", unitYuan, "ERR", false},
		{"一二三", unitCount, "123", true},
		{"三四十", unitCount, "ERR", false},
	}
	for _, tt := range tests {
		res := readCell(tt.text, tt.unit)
		got := "null"
		switch {
		case res.Err != nil:
			got = "ERR"
			if !errors.Is(res.Err, ErrNumeral) {
				t.Errorf("readCell(%q): error %v does not wrap ErrNumeral", tt.text, res.Err)
			}
		case res.Value != nil:
			got = string(*res.Value)
		}
		if got != tt.want || (res.Err == nil && res.Lenient != tt.lenient) {
			t.Errorf("readCell(%q, %d) = %s lenient %v (err %v), want %s lenient %v", tt.text, tt.unit, got, res.Lenient, res.Err, tt.want, tt.lenient)
		}
	}
}

// report is a minimal report around the given tables.
func report(tables ...*parser.Table) *parser.Document {
	blocks := []any{"某某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", "2024年，某某县……",
		"二、主动公开政府信息情况"}
	for _, t := range tables {
		blocks = append(blocks, t)
	}
	blocks = append(blocks, "五、存在的主要问题及改进情况", "问题。", "六、其他需要报告的事项", "无。",
		"某某县人民政府", "2025年1月20日")
	return doc(blocks...)
}

func hasWarning(r *Record, sub string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func failing(r *Record) []string {
	var out []string
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c.Name+": "+c.Detail)
		}
	}
	return out
}

func TestTable3Messes(t *testing.T) {
	consistent := map[string]string{
		"new.natural_person": "3", "new.total": "3",
		"carried_over.commercial": "1", "carried_over.total": "1",
		"granted.natural_person": "2", "granted.total": "2",
		"denied.third_party.commercial": "1", "denied.third_party.total": "1",
		"total.natural_person": "2", "total.commercial": "1", "total.total": "3",
		"carried_forward.natural_person": "1", "carried_forward.total": "1",
	}
	splitVals := map[string]string{}
	for k, v := range consistent {
		splitVals[k] = v
	}
	for k, v := range map[string]string{"not_processed.duplicate.research": "2", "not_processed.duplicate.total": "2",
		"total.research": "2", "total.total": "5", "new.research": "2", "new.total": "5"} {
		splitVals[k] = v
	}
	// In the 2019 layout the same numbers hold: 其他处理 is one row.
	tests := []struct {
		name      string
		spec      t3spec
		want      map[string]string // key → value ("null", "absent")
		warn      string
		probStage Stage
	}{
		{name: "clean 2021", spec: t3spec{vals: consistent},
			want: map[string]string{"requests.new.natural_person": "3", "requests.denied.third_party.commercial": "1",
				"requests.other.other.total": "0", "requests.carried_forward.natural_person": "1"}},
		{name: "2019 single 其他处理", spec: t3spec{single: true, vals: consistent},
			want: map[string]string{"requests.other.total": "0", "requests.other.other.total": "absent", "requests.denied.third_party.total": "1"}},
		{name: "missing sub-labels", spec: t3spec{vals: consistent, noSubLabels: map[string]bool{"denied": true}},
			want: map[string]string{"requests.denied.third_party.commercial": "1"}, warn: "sub-row labels missing in （三）不予公开; rows identified by position"},
		{name: "stray 0 in the sub-label place", spec: t3spec{vals: consistent, stray: map[string]bool{"denied": true, "unavailable": true}},
			want: map[string]string{"requests.denied.third_party.commercial": "1", "requests.unavailable.unclear.total": "0"}, warn: "stray cell"},
		{name: "label variants", spec: t3spec{vals: consistent, label: map[string]string{
			"granted": "(1)予以公开", "denied": "(三)不予\n公开", "denied.third_party": "4、保护第三方合法权益",
			"denied.three_safeties": "３．危及「三安全一稳定」", "new": "一、本年新收政府信息公开申请数量\u3000"}},
			want: map[string]string{"requests.denied.third_party.commercial": "1", "requests.granted.natural_person": "2"}},
		{name: "typo", spec: t3spec{vals: consistent, label: map[string]string{"denied.prohibited_by_law": "2.其他法律行政止公开"}},
			want: map[string]string{"requests.denied.prohibited_by_law.total": "0"}, warn: "by similarity"},
		{name: "group label garbled but numbered", spec: t3spec{vals: consistent, label: map[string]string{"total": "(七)计", "granted": "(1)予以"}},
			want: map[string]string{"requests.total.total": "3", "requests.granted.natural_person": "2"}, warn: "identified by its number as （七）总计"},
		{name: "split table", spec: t3spec{vals: splitVals, splitAt: "not_processed.duplicate"},
			want: map[string]string{"requests.not_processed.excessive.total": "0", "requests.not_processed.duplicate.research": "2",
				"requests.not_processed.duplicate.total": "2", "requests.carried_forward.natural_person": "1"}},
		{name: "split table at a group", spec: t3spec{vals: splitVals, splitAt: "unavailable.not_held"},
			want: map[string]string{"requests.not_processed.duplicate.research": "2", "requests.unavailable.not_held.total": "0"}},
		{name: "empty tokens", spec: t3spec{vals: map[string]string{"new.natural_person": "—", "new.commercial": "\u3000", "new.research": "/", "new.public_interest": "无", "new.legal_service": "-", "new.other_org": ""}},
			want: map[string]string{"requests.new.natural_person": "null", "requests.new.commercial": "null", "requests.new.research": "null",
				"requests.new.public_interest": "null", "requests.new.legal_service": "null", "requests.new.other_org": "null"}},
		{name: "units and numerals", spec: t3spec{vals: map[string]string{"new.natural_person": "3件", "new.commercial": "１", "new.total": "四", "total.natural_person": "3", "total.commercial": "1", "total.total": "4", "granted.natural_person": "3", "granted.commercial": "1", "granted.total": "4"}},
			want: map[string]string{"requests.new.natural_person": "3", "requests.new.commercial": "1", "requests.new.total": "4"}},
		{name: "bad cell", spec: t3spec{vals: map[string]string{"denied.prohibited_by_law.natural_person": "1,23"}},
			want: map[string]string{"requests.denied.prohibited_by_law.natural_person": "absent"}, probStage: StageCell},
		{name: "sub-labels missing and one row short", spec: t3spec{noSubLabels: map[string]bool{"denied": true}},
			want: map[string]string{"requests.denied.state_secret.total": "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tables := t3Build(tt.spec)
			rec, probs := Extract(report(append([]*parser.Table{t2Build2021(zeros(10))}, append(tables, t4Build(zeros(15)))...)...))
			for k, want := range tt.want {
				got := "absent"
				if v, ok := rec.Fields[k]; ok {
					got = showN(v)
				}
				if got != want {
					t.Errorf("%s = %s, want %s (raw %q)", k, got, want, rec.Raw[k])
				}
			}
			if tt.warn != "" && !hasWarning(rec, tt.warn) {
				t.Errorf("no warning %q in %q", tt.warn, rec.Warnings)
			}
			if tt.probStage == "" && len(probs) > 0 {
				t.Errorf("problems: %v", probs)
			}
			if tt.probStage != "" {
				found := false
				for _, p := range probs {
					if p.Stage == tt.probStage {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s problem in %v", tt.probStage, probs)
				}
			}
			if tt.probStage == "" {
				if f := failing(rec); len(f) > 0 {
					t.Errorf("failing checks on consistent numbers: %v", f)
				}
			}
			wantTpl := "2021"
			if rec.Template == nil || *rec.Template != wantTpl {
				t.Errorf("template = %v, want %s", rec.Template, wantTpl)
			}
		})
	}
}

func TestTable3RowsShortNeverGuessed(t *testing.T) {
	// 不予公开 printed with 7 unlabelled rows: the rows cannot be told apart.
	tables := t3Build(t3spec{noSubLabels: map[string]bool{"denied": true}})
	tb := tables[0]
	// Drop the last 不予公开 row (grid row 5+2+8-1 = 14) and shrink spans.
	var rows [][]*parser.Cell
	for r, row := range tb.Rows {
		if r == 14 {
			continue
		}
		rows = append(rows, row)
	}
	b := parser.NewBuilder()
	for _, row := range rows {
		b.StartRow()
		for _, c := range row {
			cc := &parser.Cell{Text: c.Text, ColSpan: c.ColSpan, RowSpan: c.RowSpan}
			if cc.Text == "（三）不予公开" {
				cc.RowSpan = 7
			}
			if strings.HasPrefix(cc.Text, "三、本年度办理结果") {
				cc.RowSpan--
			}
			b.Add(cc)
		}
	}
	rec, probs := Extract(report(b.Table()))
	if _, ok := rec.Fields["requests.denied.state_secret.total"]; ok {
		t.Errorf("requests.denied.state_secret.total present; rows of a short group must not be guessed")
	}
	if v, ok := rec.Fields["requests.unavailable.not_held.total"]; !ok || v == nil || *v != "0" {
		t.Errorf("requests.unavailable.not_held.total = %v, want 0", v)
	}
	found := false
	for _, p := range probs {
		if errors.Is(p, ErrLayout) && strings.Contains(p.Error(), "（三）不予公开") {
			found = true
		}
	}
	if !found {
		t.Errorf("no layout problem for （三）不予公开 in %v", probs)
	}
}

func TestTable2(t *testing.T) {
	v19 := zeros(22)
	v19[7] = "减3"  // licensing items_change
	v19[13] = "-2" // punishment items_change
	v19[19] = "5"  // fees items_change (spans two columns)
	v19[21] = "251000元"
	v21 := zeros(10)
	v21[9] = "7730.28"
	v21[0] = "12件"
	tests := []struct {
		name string
		t    []*parser.Table
		tpl  string
		want map[string]string
	}{
		{"2021", []*parser.Table{t2Build2021(v21)}, "2021", map[string]string{"active.fees.amount": "7730.28", "active.rules.issued": "12", "active.normative_docs.in_force": "0"}},
		{"2019", []*parser.Table{t2Build2019(v19)}, "2019", map[string]string{"active.licensing.items_change": "-3", "active.punishment.items_change": "-2",
			"active.fees.items_change": "5", "active.procurement.amount": "25.1", "active.other_services.decisions": "0"}},
		{"2021 as four tables", splitT2(t2Build2021(v21)), "2021", map[string]string{"active.fees.amount": "7730.28", "active.coercion.decisions": "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, probs := Extract(report(append(tt.t, t3Build(t3spec{})[0], t4Build(zeros(15)))...))
			if len(probs) > 0 {
				t.Errorf("problems: %v", probs)
			}
			if rec.Template == nil || *rec.Template != tt.tpl {
				t.Errorf("template = %v, want %s", rec.Template, tt.tpl)
			}
			for k, want := range tt.want {
				if v, ok := rec.Fields[k]; !ok || showN(v) != want {
					t.Errorf("%s = %s, want %s", k, fmtFields(rec, k), want)
				}
			}
			n := 0
			for k := range rec.Fields {
				if strings.HasPrefix(k, "active.") {
					n++
				}
			}
			want := map[string]int{"2021": 10, "2019": 22}[tt.tpl]
			if n != want {
				t.Errorf("%d table-2 fields, want %d", n, want)
			}
		})
	}
}

// splitT2 cuts a one-table table 2 into one table per 第二十条 block.
func splitT2(t *parser.Table) []*parser.Table {
	var out []*parser.Table
	var cur [][]string
	flush := func() {
		if cur != nil {
			out = append(out, tbl(cur...))
		}
	}
	for _, row := range t.Rows {
		var cells []string
		for _, c := range row {
			s := c.Text
			if c.ColSpan > 1 {
				s += "@c" + string(rune('0'+c.ColSpan))
			}
			cells = append(cells, s)
		}
		if strings.Contains(row[0].Text, "第二十条") {
			flush()
			cur = nil
		}
		cur = append(cur, cells)
	}
	flush()
	return out
}

func TestTable2SpanMismatch(t *testing.T) {
	// The header's 本年增/减 spans two grid columns; the data rows split
	// their cells differently. Values are matched by order and count.
	t2 := tbl(
		[]string{"第二十条第（五）项@c5"},
		[]string{"信息内容", "上一年项目数量", "本年增/减@c2", "处理决定数量"},
		[]string{"行政许可", "7@c2", "减2", "40"},
		[]string{"其他对外管理服务事项", "1", "0", "0", "3"}, // four cells under three columns
	)
	rec, probs := Extract(report(t2, t3Build(t3spec{single: true})[0], t4Build(zeros(15))))
	if got := fmtFields(rec, "active.licensing.items_prev_year", "active.licensing.items_change", "active.licensing.decisions",
		"active.other_services.items_prev_year"); got != "active.licensing.items_prev_year=7 active.licensing.items_change=-2 active.licensing.decisions=40 active.other_services.items_prev_year=absent " {
		t.Errorf("fields: %s", got)
	}
	if !hasWarning(rec, `table 2, row "行政许可": cell spans differ from the header; values matched by order`) {
		t.Errorf("warnings: %q", rec.Warnings)
	}
	found := false
	for _, p := range probs {
		if p.Table == 2 && p.Row == "其他对外管理服务事项" && errors.Is(p, ErrLayout) {
			found = true
		}
	}
	if !found {
		t.Errorf("no layout problem for the row with four cells: %v", probs)
	}
}

func TestTable4(t *testing.T) {
	v := zeros(15)
	v[0], v[1], v[4] = "1", "2", "3"
	v[14] = "5" // wrong total of litigation after review
	rec, _ := Extract(report(t2Build2021(zeros(10)), t3Build(t3spec{})[0], t4Build(v)))
	if got := fmtFields(rec, "review.upheld", "review.corrected", "review.total", "litigation_after_review.total"); got != "review.upheld=1 review.corrected=2 review.total=3 litigation_after_review.total=5 " {
		t.Errorf("fields: %s", got)
	}
	f := failing(rec)
	if len(f) != 1 || f[0] != "litigation_after_review.total: 5 ≠ 0 + 0 + 0 + 0" {
		t.Errorf("failing checks = %v, want litigation_after_review.total only", f)
	}
}

func TestWrongTotalsFlagged(t *testing.T) {
	spec := t3spec{vals: map[string]string{"new.natural_person": "3", "new.total": "2", "total.natural_person": "3", "granted.natural_person": "3", "granted.total": "3", "total.total": "3"}}
	rec, _ := Extract(report(t2Build2021(zeros(10)), t3Build(spec)[0], t4Build(zeros(15))))
	got := strings.Join(failing(rec), "; ")
	for _, want := range []string{"requests.row.new: 2 ≠ 3 + 0 + 0 + 0 + 0 + 0", "requests.balance.total: 2 + 0 ≠ 3 + 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("failing checks %q lack %q", got, want)
		}
	}
	if v := rec.Fields["requests.new.total"]; v == nil || *v != "2" {
		t.Errorf("requests.new.total = %v, want 2 as printed", v)
	}
}

func TestMissingTable(t *testing.T) {
	rec, probs := Extract(report(t2Build2021(zeros(10)), t3Build(t3spec{})[0]))
	if !hasWarning(rec, "table 4 not found; its keys are absent") {
		t.Errorf("warnings %q", rec.Warnings)
	}
	found := false
	for _, p := range probs {
		if p.Table == 4 && errors.Is(p, ErrTableNotFound) {
			found = true
		}
	}
	if !found {
		t.Errorf("no ErrTableNotFound problem for table 4: %v", probs)
	}
	if _, ok := rec.Fields["review.total"]; ok {
		t.Errorf("review.total present without table 4")
	}
	for _, c := range rec.Checks {
		if strings.HasPrefix(c.Name, "review") {
			t.Errorf("check %s without table 4", c.Name)
		}
	}
}

func TestNotReport(t *testing.T) {
	_, probs := Extract(doc("会议通知", "请各单位准时参加。", tbl([]string{"姓名", "电话"}, []string{"张三", "123"})))
	if len(probs) != 1 || !errors.Is(probs[0], ErrNotReport) {
		t.Errorf("problems = %v, want one ErrNotReport", probs)
	}
}

func TestHybrid(t *testing.T) {
	rec, probs := Extract(report(t2Build2021(zeros(10)), t3Build(t3spec{single: true})[0], t4Build(zeros(15))))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if rec.Template == nil || *rec.Template != "2021" {
		t.Errorf("template = %v, want 2021 (follows table 2)", rec.Template)
	}
	if _, ok := rec.Fields["requests.other.total"]; !ok {
		t.Errorf("requests.other.total absent in a hybrid report")
	}
	if _, ok := rec.Fields["requests.other.no_fee.total"]; ok {
		t.Errorf("requests.other.no_fee.total present in a hybrid report")
	}
}

func TestMeta(t *testing.T) {
	tests := []struct {
		name                    string
		blocks                  []any
		meta                    map[string]string
		agency, published, warn string
		year                    int
	}{
		{name: "agency then year", blocks: []any{"某某县人民政府2024年政府信息公开工作年度报告", "正文。", "某某县人民政府", "2025年2月18日"},
			agency: "某某县人民政府", year: 2024, published: "2025-02-18"},
		{name: "year first", blocks: []any{"2023年某某局政府信息公开工作年度报告", "正文。", "某某局", "二〇二四年一月三十一日"},
			agency: "某某局", year: 2023, published: "2024-01-31"},
		{name: "人民政府信息公开", blocks: []any{"额敏县额玛勒郭楞蒙古民族乡人民政府信息公开工作年度报告", "报告统计期限为2024年1月1日至2024年12月31日。", "额敏县额玛勒郭楞蒙古民族乡人民政府", "2025年2月18日"},
			agency: "额敏县额玛勒郭楞蒙古民族乡人民政府", year: 2024, published: "2025-02-18"},
		{name: "year from first sentence", blocks: []any{"某某乡人民政府信息公开工作年度报告", "2022年，某某乡……", "某某乡人民政府", "2023年3月1日"},
			agency: "某某乡人民政府", year: 2022, published: "2023-03-01", warn: "first sentence"},
		{name: "agency only in signature", blocks: []any{"2024年政府信息公开工作年度报告", "正文。", "某某区教育局", "2025年1月9日"},
			agency: "某某区教育局", year: 2024, published: "2025-01-09", warn: "from the signature"},
		{name: "PubDate", blocks: []any{"某某局2024年政府信息公开工作年度报告", "正文。"}, meta: map[string]string{"PubDate": "2025-01-22 09:30"},
			agency: "某某局", year: 2024, published: "2025-01-22", warn: "PubDate"},
		{name: "signature and date on one line", blocks: []any{"某某局政府信息公开工作年度报告（2024年）", "正文。", "某某局  2025年3月5日"},
			agency: "某某局", year: 2024, published: "2025-03-05"},
		{name: "dashed date", blocks: []any{"某某局2024年政府信息公开工作年度报告", "正文。", "某某局", "2025-01-07"},
			agency: "某某局", year: 2024, published: "2025-01-07"},
		{name: "years disagree", blocks: []any{"某某局2024年政府信息公开工作年度报告", "报告统计期限为2023年1月1日至2023年12月31日。", "某某局", "2025年1月7日"},
			agency: "某某局", year: 2024, published: "2025-01-07", warn: "year 2023 in the reporting period differs from 2024 in the title"},
		{name: "signature differs", blocks: []any{"某某局2024年政府信息公开工作年度报告", "正文。", "某某市某某局", "2025年1月7日"},
			agency: "某某局", year: 2024, published: "2025-01-07", warn: "differs from the signature"},
		{name: "title over two lines, no signature", blocks: []any{"淮安市洪泽区人民政府", "2024 年政府信息公开工作年度报告", "本报告……统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止。"},
			agency: "淮安市洪泽区人民政府", year: 2024, published: ""},
		{name: "year from the reporting period", blocks: []any{"某某局政府信息公开工作年度报告", "报告中所列数据统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止。", "某某局", "2024年1月9日"},
			agency: "某某局", year: 2023, published: "2024-01-09"},
		{name: "invalid date", blocks: []any{"某某局2024年政府信息公开工作年度报告", "正文。", "某某局", "2025年2月30日"},
			agency: "某某局", year: 2024, published: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(tt.blocks...)
			d.Meta = tt.meta
			rec, _ := Extract(d)
			if deref(rec.Agency) != tt.agency {
				t.Errorf("agency = %q, want %q", deref(rec.Agency), tt.agency)
			}
			if rec.Year == nil || *rec.Year != tt.year {
				t.Errorf("year = %v, want %d", rec.Year, tt.year)
			}
			if deref(rec.Published) != tt.published {
				t.Errorf("published = %q, want %q", deref(rec.Published), tt.published)
			}
			if tt.warn != "" && !hasWarning(rec, tt.warn) {
				t.Errorf("no warning %q in %q", tt.warn, rec.Warnings)
			}
		})
	}
}

func TestSections(t *testing.T) {
	rec, _ := Extract(report(t2Build2021(zeros(10)), t3Build(t3spec{})[0], t4Build(zeros(15))))
	want := map[string]string{"overview": "2024年，某某县……", "problems": "问题。", "other": "无。"}
	for k, v := range want {
		if rec.Sections[k] != v {
			t.Errorf("section %s = %q, want %q", k, rec.Sections[k], v)
		}
	}
	if _, ok := rec.Sections["active"]; ok {
		t.Errorf("section active = %q, want none (only the table)", rec.Sections["active"])
	}
}

func TestProblemError(t *testing.T) {
	p := Problem{Stage: StageCell, Table: 3, Row: "（三）不予公开/2.其他法律行政法规禁止公开", Column: "自然人", Cell: "1,23",
		Err: readCell("1,23", unitCount).Err}
	want := `table 3, row "（三）不予公开/2.其他法律行政法规禁止公开", column 自然人: cell "1,23": numeral "1,23": `
	if got := p.Error(); !strings.HasPrefix(got, want) {
		t.Errorf("Error() = %q, want prefix %q", got, want)
	}
	if !errors.Is(p, ErrNumeral) {
		t.Errorf("problem does not wrap ErrNumeral")
	}
}

func TestHeadingsInsideTables(t *testing.T) {
	t3 := t3Build(t3spec{vals: map[string]string{"new.natural_person": "1", "new.total": "1", "granted.natural_person": "1", "granted.total": "1", "total.natural_person": "1", "total.total": "1"}})[0]
	// Prepend a heading row across each table.
	withHeading := func(t *parser.Table, heading string) *parser.Table {
		b := parser.NewBuilder()
		b.StartRow()
		b.Add(&parser.Cell{Text: heading, ColSpan: t.NumCols})
		for _, row := range t.Rows {
			b.StartRow()
			for _, c := range row {
				b.AddAt(c.Col, &parser.Cell{Text: c.Text, RowSpan: c.RowSpan, ColSpan: c.ColSpan})
			}
		}
		return b.Table()
	}
	v := zeros(15)
	v[0], v[4] = "2", "2"
	rec, probs := Extract(report(
		withHeading(t2Build2021(zeros(10)), "二、主动公开政府信息情况"),
		withHeading(t3, "三、收到和处理政府信息公开申请情况"),
		withHeading(t4Build(v), "四、政府信息公开行政复议、行政诉讼情况")))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if got := fmtFields(rec, "requests.new.natural_person", "review.upheld", "review.total", "active.fees.amount"); got != "requests.new.natural_person=1 review.upheld=2 review.total=2 active.fees.amount=0 " {
		t.Errorf("fields: %s", got)
	}
	if f := failing(rec); len(f) > 0 {
		t.Errorf("failing checks: %v", f)
	}
}

func TestLayoutTable(t *testing.T) {
	// A CMS page that wraps the whole report in a one-cell layout table.
	outer := tbl([]string{"某某市某某局2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本局……"})
	outer.Rows[0][0].Tables = []*parser.Table{t2Build2021(zeros(10)), t3Build(t3spec{})[0], t4Build(zeros(15))}
	rec, probs := Extract(doc(outer))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if deref(rec.Agency) != "某某市某某局" || rec.Year == nil || *rec.Year != 2023 || deref(rec.Template) != "2021" {
		t.Errorf("agency %q year %v template %q", deref(rec.Agency), rec.Year, deref(rec.Template))
	}
	if len(rec.Fields) != 200 {
		t.Errorf("%d fields, want 200", len(rec.Fields))
	}
}

func TestSplitTableRepeatingHeader(t *testing.T) {
	parts := t3Build(t3spec{vals: map[string]string{"other.no_fee.research": "2", "other.no_fee.total": "2",
		"total.research": "2", "total.total": "2", "new.research": "2", "new.total": "2"}, splitAt: "other.no_correction"})
	// The second piece repeats the three header rows.
	head := t3Build(t3spec{})[0]
	b := parser.NewBuilder()
	for _, row := range head.Rows[:3] {
		b.StartRow()
		for _, c := range row {
			b.AddAt(c.Col, &parser.Cell{Text: c.Text, RowSpan: c.RowSpan, ColSpan: c.ColSpan})
		}
	}
	for _, row := range parts[1].Rows {
		b.StartRow()
		for _, c := range row {
			b.AddAt(c.Col, &parser.Cell{Text: c.Text, RowSpan: c.RowSpan, ColSpan: c.ColSpan})
		}
	}
	rec, probs := Extract(report(t2Build2021(zeros(10)), parts[0], b.Table(), t4Build(zeros(15))))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if got := fmtFields(rec, "requests.other.no_fee.research", "requests.total.total"); got != "requests.other.no_fee.research=2 requests.total.total=2 " {
		t.Errorf("fields: %s", got)
	}
	if f := failing(rec); len(f) > 0 {
		t.Errorf("failing checks: %v", f)
	}
	if !hasWarning(rec, "table 3 printed in two pieces") {
		t.Errorf("warnings: %q", rec.Warnings)
	}
}

func TestTable4Split(t *testing.T) {
	head := tbl(
		[]string{"行政复议@c5", "行政诉讼@c10"},
		[]string{"结果维持@r2", "结果纠正@r2", "其他结果@r2", "尚未审结@r2", "总计@r2", "未经复议直接起诉@c5", "复议后起诉@c5"},
		[]string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"},
	)
	vals := zeros(15)
	vals[10], vals[14] = "1", "1"
	rec, probs := Extract(report(t2Build2021(zeros(10)), t3Build(t3spec{})[0], head, tbl(vals)))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if got := fmtFields(rec, "litigation_after_review.upheld", "litigation_after_review.total"); got != "litigation_after_review.upheld=1 litigation_after_review.total=1 " {
		t.Errorf("fields: %s", got)
	}
}

func TestTable2YuanHeader(t *testing.T) {
	// 采购总金额 with its unit printed as 元 in the header: the bare number
	// is in 元 and is recorded in 万元.
	v := zeros(22)
	t2 := t2Build2019(v)
	for _, row := range t2.Rows {
		for _, c := range row {
			if c.Text == "采购总金额" {
				c.Text = "采购总金额（元）"
			}
			if c.Row == t2.NumRows-1 && c.Col > 0 {
				c.Text = "251000"
			}
		}
	}
	rec, probs := Extract(report(t2, t3Build(t3spec{single: true})[0], t4Build(zeros(15))))
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if got := fmtFields(rec, "active.procurement.amount", "active.procurement.projects"); got != "active.procurement.amount=25.1 active.procurement.projects=251000 " {
		t.Errorf("fields: %s", got)
	}
}
