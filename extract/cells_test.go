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
