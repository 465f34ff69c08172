package extract

import (
	"strings"

	"ogi/numeral"
)

// checks applies the identities of template.md to the printed numbers of
// the tables read. A null counts as 0; a check with an unreadable input is
// skipped with a warning rather than reported.
func (e *extractor) checks(t3tpl string, t4 bool) {
	if t3tpl != "" {
		rows := t3Rows(t3tpl)
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
			e.check("requests.balance."+col, []string{k("new"), k("carried_over")}, []string{k("total"), k("carried_forward")})
		}
		for _, col := range t3Cols {
			var rhs []string
			for _, r := range results {
				rhs = append(rhs, "requests."+r+"."+col)
			}
			e.check("requests.results."+col, []string{"requests.total." + col}, rhs)
		}
		for _, r := range rows {
			var rhs []string
			for _, col := range t3Cols[:6] {
				rhs = append(rhs, "requests."+r+"."+col)
			}
			e.check("requests.row."+r, []string{"requests." + r + ".total"}, rhs)
		}
	}
	if t4 {
		for _, g := range []string{"review", "litigation_direct", "litigation_after_review"} {
			e.check(g+".total", []string{g + ".total"},
				[]string{g + ".upheld", g + ".corrected", g + ".other", g + ".pending"})
		}
	}
}

// check compares sum(lhs) with sum(rhs) over field keys and records it.
func (e *extractor) check(name string, lhs, rhs []string) {
	var missing []string
	get := func(keys []string) ([]string, bool) {
		var xs []string
		for _, k := range keys {
			v, ok := e.rec.Fields[k]
			if !ok {
				missing = append(missing, k)
				continue
			}
			if v == nil {
				xs = append(xs, "0")
			} else {
				xs = append(xs, string(*v))
			}
		}
		return xs, len(missing) == 0
	}
	l, ok1 := get(lhs)
	r, ok2 := get(rhs)
	if !ok1 || !ok2 {
		e.warn("check %s skipped: %s not read", name, strings.Join(missing, ", "))
		return
	}
	ls, err1 := numeral.Sum(l...)
	rs, err2 := numeral.Sum(r...)
	if err1 != nil || err2 != nil {
		e.warn("check %s skipped: the numbers do not add up exactly", name)
		return
	}
	c, err := numeral.Cmp(ls, rs)
	if err != nil {
		e.warn("check %s skipped: %v", name, err)
		return
	}
	op := " = "
	if c != 0 {
		op = " ≠ "
	}
	e.rec.Checks = append(e.rec.Checks, Check{
		Name:   name,
		OK:     c == 0,
		Detail: strings.Join(l, " + ") + op + strings.Join(r, " + "),
	})
}
