package extract

import (
	"strings"
	"testing"

	"ogi/parser"
)

// proseReport is a report whose overview says text, with table 3 from
// vals, table 4 from t4 (15 cells) and table 2 all zeros but for
// normative documents issued.
func proseReport(text string, vals map[string]string, t4 []string, normIssued string) *parser.Document {
	v2 := zeros(10)
	v2[3] = normIssued
	blocks := []any{"某某县人民政府2024年政府信息公开工作年度报告", "一、总体情况", text, "二、主动公开政府信息情况",
		t2Build2021(v2)}
	for _, t := range t3Build(t3spec{vals: vals}) {
		blocks = append(blocks, t)
	}
	blocks = append(blocks, t4Build(t4), "五、存在的主要问题及改进情况", "问题。", "六、其他需要报告的事项", "无。",
		"某某县人民政府", "2025年1月20日")
	return doc(blocks...)
}

func proseResult(r *Record) map[string]string {
	out := map[string]string{}
	for _, c := range r.Checks {
		if strings.HasPrefix(c.Name, "prose.") {
			if c.OK {
				out[c.Name] = "ok"
			} else {
				out[c.Name] = "FAIL " + c.Detail
			}
		}
	}
	return out
}

func TestProseChecks(t *testing.T) {
	three := map[string]string{"new.natural_person": "3", "new.total": "3", "granted.natural_person": "3", "granted.total": "3",
		"total.natural_person": "3", "total.total": "3"}
	t4two := zeros(15)
	t4two[0], t4two[4] = "2", "2"
	tests := []struct {
		name   string
		text   string
		vals   map[string]string
		t4     []string
		norm   string
		want   map[string]string // check → "ok" or "FAIL"
		absent []string
	}{
		{name: "agree", text: "2024年，全县共收到政府信息公开申请3件，已全部办结3件。全年发生行政复议2件，行政诉讼0件。制发规范性文件5件。",
			vals: three, t4: t4two, norm: "5",
			want: map[string]string{"prose.requests_new": "ok", "prose.requests_handled": "ok", "prose.review": "ok", "prose.litigation": "ok", "prose.normative_docs_issued": "ok"}},
		{name: "requests disagree", text: "全年共收到政府信息公开申请3件。", vals: nil, t4: zeros(15), norm: "0",
			want: map[string]string{"prose.requests_new": "FAIL"}},
		{name: "review disagrees", text: "本年度行政复议0件。", vals: nil, t4: t4two, norm: "0",
			want: map[string]string{"prose.review": "FAIL"}},
		{name: "review zero in words", text: "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。", vals: nil, t4: t4two, norm: "0",
			want: map[string]string{"prose.review": "FAIL", "prose.litigation": "ok"}},
		{name: "chinese numerals", text: "全年共受理依申请公开申请三件，依法答复三件。", vals: three, t4: zeros(15), norm: "0",
			want: map[string]string{"prose.requests_new": "ok", "prose.requests_handled": "ok"}},
		{name: "with carried-over requests", text: "全年共受理政府信息公开申请4件（含上年结转1件）。",
			vals: map[string]string{"new.natural_person": "3", "new.total": "3", "carried_over.natural_person": "1", "carried_over.total": "1",
				"granted.natural_person": "4", "granted.total": "4", "total.natural_person": "4", "total.total": "4"}, t4: zeros(15), norm: "0",
			want: map[string]string{"prose.requests_new": "ok"}},
		{name: "part of the body", text: "2024年，区政府办代表区政府受理政府信息公开申请17件。", vals: three, t4: zeros(15), norm: "0",
			absent: []string{"prose.requests_new"}},
		{name: "no figures", text: "2024年，某某县认真贯彻落实《条例》。", vals: three, t4: zeros(15), norm: "0",
			absent: []string{"prose.requests_new", "prose.requests_handled", "prose.review", "prose.litigation", "prose.rules_issued", "prose.normative_docs_issued"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, _ := Extract(proseReport(tt.text, tt.vals, tt.t4, tt.norm))
			got := proseResult(rec)
			for k, want := range tt.want {
				if !strings.HasPrefix(got[k], want) {
					t.Errorf("%s = %q, want %s", k, got[k], want)
				}
			}
			for _, k := range tt.absent {
				if g, ok := got[k]; ok {
					t.Errorf("%s recorded (%s), want none", k, g)
				}
			}
		})
	}
	// The table's number stands whatever the prose says.
	rec, _ := Extract(proseReport("全年共收到政府信息公开申请3件。", nil, zeros(15), "0"))
	if got := field(rec, "requests.new.total"); got != "0" {
		t.Errorf("requests.new.total = %s, want 0 as printed", got)
	}
}
