package region

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzResolve: any printed name and context resolves without panicking,
// and the result holds together: a name gives an ID, a code is a known
// division's, candidates come only with an ambiguity warning.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"淮安市洪泽区人民政府", "朝阳区人民政府", "城关镇", "江苏", "国务院办公厅", "洪泽县人民政府高良涧街道办事处", "\xff区", "市辖区", ""} {
		f.Add(s, "地址：长春市朝阳区", "www.bjchy.gov.cn")
	}
	f.Fuzz(func(t *testing.T, agency, address, host string) {
		r := Resolve(Hints{Agency: agency, Title: agency + "2024年政府信息公开工作年度报告", Address: []string{address}, Host: host})
		if clean(agency) != "" && r.ID == "" {
			t.Fatalf("Resolve(%q): no ID", agency)
		}
		if c := r.Region.Code; c != "" {
			if _, ok := data().byCode(shortCode(c)); !ok {
				t.Fatalf("Resolve(%q): code %s is no division", agency, c)
			}
		}
		if len(r.Candidates) > 0 && !strings.Contains(strings.Join(r.Warnings, "\n"), "ambiguous") {
			t.Fatalf("Resolve(%q): candidates without an ambiguity warning: %q", agency, r.Warnings)
		}
		if utf8.ValidString(agency) && !utf8.ValidString(r.Name) {
			t.Fatalf("Resolve(%q): name %q is not UTF-8", agency, r.Name)
		}
	})
}
