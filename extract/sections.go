package extract

import (
	"strings"
)

// Section keys with the words their headings hold, in template order.
var sectionWords = []struct {
	key   string
	words []string
}{
	{"overview", []string{"总体情况"}},
	{"active", []string{"主动公开"}},
	{"requests", []string{"收到和处理", "依申请"}},
	{"review", []string{"行政复议", "行政诉讼", "复议", "诉讼"}}, // 复议 also in 行政法复议
	{"problems", []string{"存在的主要问题", "问题及改进", "主要问题"}},
	{"other", []string{"其他需要报告"}},
}

// sectionOf returns the section a paragraph is the heading of: a short
// paragraph starting with a top-level enumerator (一、 … 六、) and holding
// the section's words. "" when it is no heading.
func sectionOf(p string) string {
	// A heading starts with one of 一 … 十 once folded.
	if !strings.ContainsRune("一二三四五六七八九十", firstNormRune(p)) || normLonger(p, 40) {
		return ""
	}
	t := normText(p)
	if strings.HasPrefix(t, "(") {
		return ""
	}
	enum, rest, ok := splitEnum(t)
	if !ok || !allIn(enum, "一二三四五六七八九十") {
		return ""
	}
	for _, s := range sectionWords {
		for _, w := range s.words {
			if strings.Contains(rest, w) {
				return s.key
			}
		}
	}
	return ""
}

// sections collects the narrative text under each heading, tables left
// out; the preamble before 一、 goes to overview, and the signature and
// date after 六 are left out.
func (e *extractor) sections(d docText) {
	cur := "overview"
	seen := map[string]bool{}
	parts := map[string][]string{}
	end := len(d.paras)
	if d.signIdx >= 0 {
		end = d.signIdx
	} else if d.dateIdx >= 0 {
		end = d.dateIdx
	}
	for i := 0; i < end; i++ {
		if d.title >= 0 && i >= d.titleStart && i <= d.title {
			continue
		}
		p := d.paras[i]
		if k := sectionOf(p); k != "" && !seen[k] {
			seen[k] = true
			cur = k
			continue
		}
		parts[cur] = append(parts[cur], p)
	}
	for k, ps := range parts {
		e.rec.Sections[k] = strings.Join(ps, "\n")
	}
}
