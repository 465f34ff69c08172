package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"ogi/parser"
)

// Government sites print, before a report, the common information table of
// their disclosure pages (名称 / 索引号 / 发布机构 / 发文日期 / 文号 …), and
// crawlers save header lines of the same fields (标题：… 来源：… 时间：…).
// The fields name the agency and the date; the lines are not narrative.

// infoLabels maps the field labels of an information table or header line
// to what they give: agency, date, title, or "" for a field read as no
// more than chrome.
var infoLabels = map[string]string{
	"发布机构": "agency", "发文机关": "agency", "发文机构": "agency", "发布单位": "agency", "信息来源": "agency",
	"来源": "agency", "公开责任部门": "agency", "责任部门": "agency", "发布部门": "agency", "来源单位": "agency",
	"发文日期": "date", "发布日期": "date", "成文日期": "date", "发布时间": "date", "公开日期": "date",
	"生成日期": "date", "时间": "date", "日期": "date", "印发日期": "date",
	"名称": "title", "标题": "title", "信息名称": "title", "文章标题": "title", "题名": "title",
	"索引号": "", "文号": "", "发文字号": "", "主题分类": "", "主题词": "", "关键词": "", "关键字": "",
	"信息分类": "", "体裁分类": "", "组配分类": "", "服务对象分类": "", "有效性": "", "公开方式": "",
	"公开范围": "", "公开时限": "", "信息类别": "", "所属主题": "", "浏览次数": "", "点击数": "",
	"阅读次数": "", "访问量": "", "作者": "", "编辑": "", "字号": "", "生效日期": "", "废止日期": "",
	"统一编码": "",
}

// infoLabelList is infoLabels' keys, longest first, so 发布日期 wins over 日期.
var infoLabelList = func() []string {
	var out []string
	for k := range infoLabels {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return out
}()

// pageInfo is what an information table or header lines say.
type pageInfo struct {
	agency, date, title string
	from                string // "information table" or "header line"
}

func (pi *pageInfo) add(label, value, from string) {
	value = strings.TrimFunc(value, isSpace)
	if value == "" {
		return
	}
	switch infoLabels[label] {
	case "agency":
		if pi.agency == "" {
			pi.agency, pi.from = normText(value), from
		}
	case "date":
		if pi.date == "" {
			pi.date = normText(value)
		}
	case "title":
		if pi.title == "" {
			pi.title = value
		}
	}
}

// infoLabel returns the field label a cell's text is, "" when none: the
// whole text once folded (发布机构, 发布机构：).
func infoLabel(text string) string {
	t := strings.TrimRight(normLabel(text), ":")
	if _, ok := infoLabels[t]; ok {
		return t
	}
	return ""
}

// isInfoTable reports whether a table is a page's information table: a
// few rows whose cells pair field labels with values (名称 | … | 索引号 | …),
// or hold "label：value" themselves.
func isInfoTable(t *parser.Table) bool {
	if t == nil || t.NumRows > 12 {
		return false
	}
	n := 0
	for _, c := range t.Cells() {
		if infoLabel(c.Text) != "" {
			n++
		} else if l, _, ok := splitField(c.Text); ok && l != "" {
			n++
		}
	}
	return n >= 2
}

// readInfoTable reads the fields of an information table.
func readInfoTable(t *parser.Table, pi *pageInfo) {
	for _, row := range t.Rows {
		for i, c := range row {
			if l := infoLabel(c.Text); l != "" {
				if i+1 < len(row) && infoLabel(row[i+1].Text) == "" {
					pi.add(l, row[i+1].Text, "information table")
				}
				continue
			}
			readFieldLine(c.Text, pi, "information table")
		}
	}
}

// splitField splits "label：value" at its first colon when the text
// before it is a field label.
func splitField(s string) (label, value string, ok bool) {
	t := strings.TrimFunc(s, isSpace)
	i := strings.IndexAny(t, ":：")
	if i <= 0 {
		return "", "", false
	}
	l := strings.TrimFunc(t[:i], isSpace)
	l = strings.NewReplacer(" ", "", "\u3000", "").Replace(l)
	if _, known := infoLabels[l]; !known {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(t[i:])
	return l, t[i+size:], true
}

// readFieldLine reads a header line holding one or more fields:
// "来源：某某县人民政府 时间：2025-01-20 浏览次数：12". It reports whether
// the line starts with a field label.
func readFieldLine(s string, pi *pageInfo, from string) bool {
	t := strings.TrimFunc(s, isSpace)
	label, rest, ok := splitField(t)
	if !ok {
		return false
	}
	for label != "" {
		// The value runs to the next "label：".
		next, at, after := "", len(rest), len(rest)
		for _, l := range infoLabelList {
			for _, colon := range []string{"：", ":"} {
				if j := strings.Index(rest, l+colon); j >= 0 && j < at {
					next, at, after = l, j, j+len(l)+len(colon)
				}
			}
		}
		pi.add(label, rest[:at], from)
		label, rest = next, rest[min(after, len(rest)):]
	}
	return true
}

// stripFieldLabel drops a leading field label and what precedes it from a
// title line: "标题：某某局2024年…报告", "索引号：… 标题：某某局…".
func stripFieldLabel(s string) string {
	if !strings.ContainsAny(s, ":：") {
		return s
	}
	best := -1
	for _, l := range infoLabelList {
		for _, colon := range []string{"：", ":"} {
			if j := strings.LastIndex(s, l+colon); j >= 0 && j+len(l)+len(colon) > best {
				best = j + len(l) + len(colon)
			}
		}
	}
	if best < 0 {
		return s
	}
	return strings.TrimFunc(s[best:], isSpace)
}

// weakLabels are field labels that a line of report text may also start
// with; alone they do not make a line chrome.
var weakLabels = map[string]bool{"时间": true, "日期": true, "名称": true, "作者": true, "编辑": true,
	"关键词": true, "关键字": true, "公开方式": true, "公开范围": true, "公开时限": true, "有效性": true}

// chromeWords mark a short line as site chrome wherever they stand;
// chromePrefixes where they start it; chromeLines only as the whole line
// (无障碍 alone is a toolbar button, 推进网站无障碍改造 is report text).
var (
	chromeWords = []string{
		"分享到", "分享：", "分享:", "字号：", "字号:", "【字号", "字体：大", "字体:大", "打印本页", "关闭窗口", "【打印】", "【关闭】",
		"扫一扫", "手机扫描", "在手机上打开", "全真版", "附件下载", "浏览次数", "阅读次数", "访问次数", "点击数：", "点击数:",
		"【大】", "[大]", "大 中 小", "大中小", "收藏本页", "加入收藏", "【收藏】",
	}
	chromePrefixes = []string{"当前位置", "您当前的位置", "您的位置", "您现在的位置", "上一篇", "下一篇"}
	chromeLines    = map[string]bool{
		"打印": true, "关闭": true, "收藏": true, "分享": true, "微信": true, "微博": true, "QQ空间": true, "大": true, "中": true,
		"小": true, "附件": true, "文字版": true, "无障碍": true, "长者模式": true, "关怀版": true, "返回顶部": true, "扫码": true,
		"打印 关闭": true, "打印本页 关闭窗口": true,
	}
)

// chromeByFirst indexes chromeWords by their first rune, and chromeBloom
// has bit r&63 set for each of those runes: a line is scanned once.
var chromeByFirst, chromeBloom = func() (map[rune][]string, uint64) {
	m := map[rune][]string{}
	var b uint64
	for _, w := range chromeWords {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], w)
		b |= 1 << (r & 63)
	}
	return m, b
}()

// hasChromeWord reports whether t holds one of chromeWords.
func hasChromeWord(t string) bool {
	for i, r := range t {
		if chromeBloom&(1<<(r&63)) == 0 {
			continue
		}
		for _, w := range chromeByFirst[r] {
			if strings.HasPrefix(t[i:], w) {
				return true
			}
		}
	}
	return false
}

// isChrome reports whether a paragraph is site chrome rather than report
// text: a breadcrumb (首页 > 政务公开 > …), share buttons, 字号：大 中 小,
// header lines of page fields (来源：… 时间：…), 附件下载, 扫一扫,
// 全真版/文字版. Only short lines without a sentence end qualify, so a
// sentence that mentions 扫一扫 stays.
func isChrome(p string) bool {
	t := strings.TrimFunc(p, isSpace)
	if len(t) > 80*utf8.UTFMax {
		return false // over 80 characters whatever they are
	}
	n := utf8.RuneCountInString(t)
	if n == 0 || n > 80 || strings.Contains(t, "。") {
		return false
	}
	if (strings.HasPrefix(t, "首页") || strings.HasPrefix(t, "网站首页") || strings.HasPrefix(t, "当前位置")) &&
		strings.ContainsAny(t, ">＞»›/|") {
		return true
	}
	if strings.Count(t, ">")+strings.Count(t, "＞")+strings.Count(t, "»")+strings.Count(t, "›") >= 2 {
		return true
	}
	if hasChromeWord(t) {
		return true
	}
	for _, w := range chromePrefixes {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	if hasReportWords(normText(t)) && stripFieldLabel(t) != t {
		return false // 索引号：… 标题：某某局2024年…报告 is the title line
	}
	if l, rest, ok := splitField(t); ok && infoLabels[l] != "title" {
		// 来源：… 时间：…, 索引号：…; a lone 时间：… or 日期：… may be text.
		if !weakLabels[l] {
			return true
		}
		for _, x := range infoLabelList {
			if strings.Contains(rest, x+"：") || strings.Contains(rest, x+":") {
				return true
			}
		}
	}
	if !strings.ContainsFunc(t, isSpace) {
		return chromeLines[t]
	}
	return chromeLines[strings.Join(strings.FieldsFunc(t, isSpace), " ")]
}
