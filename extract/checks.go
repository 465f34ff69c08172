package extract

import (
	"strings"

	"ogi/numeral"
)

// checkSpec is one identity: sum(lhs) = sum(rhs) over field keys.
type checkSpec struct {
	name     string
	lhs, rhs []string
	slots    []int // of lhs then rhs in checkSlots; nil: look keys up
}

// checkSlots numbers the keys the identities of both templates read: the
// extractor keeps their values by number as well (extractor.slots).
var checkSlots = func() map[string]int {
	m := map[string]int{}
	var specs []checkSpec
	for _, tpl := range []string{"2021", "2019"} {
		specs = append(specs, t3ChecksByTpl[tpl]...)
	}
	for _, c := range append(specs, t4Checks...) {
		for _, k := range append(append([]string(nil), c.lhs...), c.rhs...) {
			if _, ok := m[k]; !ok {
				m[k] = len(m)
			}
		}
	}
	return m
}()

// slotOf is the number of a key in checkSlots, -1 when no identity reads it.
func slotOf(key string) int {
	if i, ok := checkSlots[key]; ok {
		return i
	}
	return -1
}

// withSlots returns specs with their keys' numbers in checkSlots filled in.
func withSlots(specs []checkSpec) []checkSpec {
	out := make([]checkSpec, len(specs))
	for i, c := range specs {
		c.slots = nil
		for _, k := range append(append([]string(nil), c.lhs...), c.rhs...) {
			c.slots = append(c.slots, checkSlots[k])
		}
		out[i] = c
	}
	return out
}

// t3SlotChecks and t4SlotChecks are the identities with their slots.
var (
	t3SlotChecks = map[string][]checkSpec{"2021": withSlots(t3ChecksByTpl["2021"]), "2019": withSlots(t3ChecksByTpl["2019"])}
	t4SlotChecks = withSlots(t4Checks)
)

// t3Checks builds the identities of table 3 for a template.
func t3Checks(tpl string) []checkSpec {
	var out []checkSpec
	rows := t3Rows(tpl)
	var results []string
	for _, r := range rows {
		switch r {
		case "new", "carried_over", "total", "carried_forward":
		default:
			results = append(results, r)
		}
	}
	for _, col := range t3Cols {
		k := func(row string) string { return "requests." + row + "." + col }
		out = append(out, checkSpec{name: "requests.balance." + col, lhs: []string{k("new"), k("carried_over")}, rhs: []string{k("total"), k("carried_forward")}})
	}
	for _, col := range t3Cols {
		var rhs []string
		for _, r := range results {
			rhs = append(rhs, "requests."+r+"."+col)
		}
		out = append(out, checkSpec{name: "requests.results." + col, lhs: []string{"requests.total." + col}, rhs: rhs})
	}
	for _, r := range rows {
		var rhs []string
		for _, col := range t3Cols[:6] {
			rhs = append(rhs, "requests."+r+"."+col)
		}
		out = append(out, checkSpec{name: "requests.row." + r, lhs: []string{"requests." + r + ".total"}, rhs: rhs})
	}
	return out
}

// t4Checks are the identities of table 4.
var t4Checks = func() []checkSpec {
	var out []checkSpec
	for _, g := range []string{"review", "litigation_direct", "litigation_after_review"} {
		out = append(out, checkSpec{name: g + ".total", lhs: []string{g + ".total"},
			rhs: []string{g + ".upheld", g + ".corrected", g + ".other", g + ".pending"}})
	}
	return out
}()

// t3ChecksByTpl holds the identities of table 3 for the templates that
// table3 returns.
var t3ChecksByTpl = map[string][]checkSpec{"2021": t3Checks("2021"), "2019": t3Checks("2019")}

// checks applies the identities of template.md to the printed numbers of
// the tables read. A null counts as 0; a check with an unreadable input is
// skipped with a warning rather than reported.
func (e *extractor) checks(t3tpl string, t4 bool) {
	if t3tpl != "" {
		specs, ok := t3SlotChecks[t3tpl]
		if !ok {
			specs = t3Checks(t3tpl)
		}
		for _, c := range specs {
			e.check(c)
		}
	}
	if t4 {
		for _, c := range t4SlotChecks {
			e.check(c)
		}
	}
}

// check compares sum(lhs) with sum(rhs) over field keys and records it.
func (e *extractor) check(spec checkSpec) {
	name, lhs, rhs := spec.name, spec.lhs, spec.rhs
	var missing []string
	var buf [32]string
	xs := buf[:0]
	n := 0
	for _, keys := range [2][]string{lhs, rhs} {
		for _, k := range keys {
			var v *Number
			var ok bool
			if spec.slots != nil {
				s := e.slots[spec.slots[n]]
				v, ok = s.v, s.ok
			} else {
				v, ok = e.rec.Fields[k]
			}
			n++
			switch {
			case !ok:
				missing = append(missing, k)
			case v == nil:
				xs = append(xs, "0")
			default:
				xs = append(xs, string(*v))
			}
		}
	}
	if len(missing) > 0 {
		v, ok := e.otherGroup(missing)
		if !ok {
			e.warn("check %s skipped: %s not read", name, strings.Join(missing, ", "))
			return
		}
		// The three 其他处理 sub-rows were printed as one merged number,
		// read into the group's key: it stands for them in the sum (the
		// missing keys are all on the right-hand side).
		xs = append(xs, v)
	}
	l, r := xs[:len(lhs)], xs[len(lhs):]
	c, ok := cmpSmallSums(l, r)
	if !ok {
		ls, err1 := numeral.Sum(l...)
		rs, err2 := numeral.Sum(r...)
		if err1 != nil || err2 != nil {
			e.warn("check %s skipped: the numbers do not add up exactly", name)
			return
		}
		var err error
		c, err = numeral.Cmp(ls, rs)
		if err != nil {
			e.warn("check %s skipped: %v", name, err)
			return
		}
	}
	op := " = "
	if c != 0 {
		op = " ≠ "
	}
	var b strings.Builder
	size := len(op)
	for _, x := range xs {
		size += len(x) + 3
	}
	b.Grow(size)
	for i, x := range l {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(x)
	}
	b.WriteString(op)
	for i, x := range r {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(x)
	}
	e.rec.Checks = append(e.rec.Checks, Check{Name: name, OK: c == 0, Detail: b.String()})
}

// otherGroup returns the value of requests.other.<col> when the keys
// missing from an identity are exactly the three 其他处理 sub-rows of that
// column, all on its right-hand side, and the group's key was read.
func (e *extractor) otherGroup(missing []string) (string, bool) {
	if len(missing) != 3 {
		return "", false
	}
	col := ""
	for i, sub := range []string{"no_correction", "no_fee", "other"} {
		c, ok := strings.CutPrefix(missing[i], "requests.other."+sub+".")
		if !ok || col != "" && c != col {
			return "", false
		}
		col = c
	}
	v, ok := e.rec.Fields["requests.other."+col]
	if !ok {
		return "", false
	}
	if v == nil {
		return "0", true
	}
	return string(*v), true
}

// cmpSmallSums compares sum(l) with sum(r) when every term is a plain
// integer of at most 15 digits with an optional sign, the sums then being
// exact in int64; ok is false for any other term.
func cmpSmallSums(l, r []string) (c int, ok bool) {
	var sums [2]int64
	for k, xs := range [2][]string{l, r} {
		for _, x := range xs {
			v, ok := smallInt(x)
			if !ok {
				return 0, false
			}
			sums[k] += v
		}
	}
	switch {
	case sums[0] < sums[1]:
		return -1, true
	case sums[0] > sums[1]:
		return 1, true
	}
	return 0, true
}

func smallInt(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || len(s) > 15 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int64(s[i]-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}
