package extract

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"ogi/numeral"
)

// Narratives restate a few of the tables' figures: 全年共收到政府信息公开申请3件,
// 办结…12件, 行政复议0件, 行政诉讼2起, 制发规范性文件5件. Each figure found is
// compared with the table and recorded as a check of its own (prose.*),
// failing when they disagree. The table's number stands either way: prose
// never changes a field.

// proseNum is a number as narratives write it.
const proseNum = `([0-9０-９]+|[零〇一二两三四五六七八九十百千万]+)`

// proseSpec is one figure: the patterns that state it and the field keys
// whose sum it must equal.
type proseSpec struct {
	name string
	keys []string
	// anchors are the words a statement starts with; lead is read right
	// at each (anchored), so a long narrative costs one scan for the
	// anchors and a short match at each.
	anchors []string
	lead    *regexp.Regexp // the first submatch is the number
	// zeroAt are words that a statement of zero ends near (行政复议 in
	// 未发生…行政复议), zero the pattern read in the clause before them.
	zeroAt []string
	zero   *regexp.Regexp
	// alsoCarried lets the figure be new plus carried-over requests when
	// its sentence speaks of 结转 (共受理申请25件（含上年结转2件）).
	alsoCarried bool
}

func leadRE(p string) *regexp.Regexp { return regexp.MustCompile(`^(?:` + p + `)`) }

var issueVerbs = []string{"制定", "制发", "出台", "发布", "印发", "新制定"}

var proseSpecs = []proseSpec{
	{name: "prose.requests_new", keys: []string{"requests.new.total"}, alsoCarried: true,
		anchors: []string{"收到", "受理", "新收", "接收", "接到"},
		lead:    leadRE(`(?:收到|受理|新收|接收|接到)(?:各类|群众|公民、法人和其他组织|公民、法人或其他组织|社会公众)?(?:提出的|提交的|的)?(?:政府信息公开|信息公开|依申请公开)(?:类)?(?:申请)?(?:共计|共|总计|合计|累计)?` + proseNum + `(?:件|份|条|宗)`)},
	{name: "prose.requests_handled", keys: []string{"requests.total.total"},
		anchors: []string{"办结", "已办结", "按时办结", "依法办结", "答复", "依法答复", "完成答复", "办理完毕"},
		lead:    leadRE(`(?:办结|已办结|按时办结|依法办结|答复|依法答复|完成答复|办理完毕)(?:政府信息公开申请|依申请公开申请|申请)?(?:共计|共)?` + proseNum + `件`)},
	{name: "prose.review", keys: []string{"review.total"}, anchors: []string{"行政复议"},
		lead:   leadRE(`行政复议(?:申请|案件)?(?:共计|共)?` + proseNum + `(?:件|起|宗|次)`),
		zeroAt: []string{"行政复议"},
		zero:   regexp.MustCompile(`(?:未|没有)(?:发生|出现|收到|接到|被提起)[^。；，,]{0,20}?行政复议(?:案件|申请|情况)?(?:[、和及与。；，,]|$)`)},
	{name: "prose.litigation", keys: []string{"litigation_direct.total", "litigation_after_review.total"}, anchors: []string{"行政诉讼"},
		lead:   leadRE(`行政诉讼(?:案件)?(?:共计|共)?` + proseNum + `(?:件|起|宗|次)`),
		zeroAt: []string{"行政诉讼"},
		zero:   regexp.MustCompile(`(?:未|没有)(?:发生|出现|收到|接到|被提起)[^。；，,]{0,20}?行政诉讼(?:案件|情况)?(?:[、和及与。；，,]|$)`)},
	{name: "prose.rules_issued", keys: []string{"active.rules.issued"}, anchors: issueVerbs,
		lead: leadRE(`(?:制定|制发|出台|发布|印发|新制定)(?:政府)?规章(?:共计|共)?` + proseNum + `(?:件|部|项)`)},
	{name: "prose.normative_docs_issued", keys: []string{"active.normative_docs.issued"}, anchors: issueVerbs,
		lead: leadRE(`(?:制定|制发|出台|发布|印发|新制定)(?:行政)?规范性文件(?:共计|共)?` + proseNum + `(?:件|份|个)`)},
}

// proseWords indexes the anchors and zeroAt words of every spec by their
// first rune, for the one scan of the narrative.
type proseWord struct {
	word string
	spec int
	zero bool
}

var proseWords = func() map[rune][]proseWord {
	m := map[rune][]proseWord{}
	for i, s := range proseSpecs {
		for _, w := range s.anchors {
			r, _ := utf8.DecodeRuneInString(w)
			m[r] = append(m[r], proseWord{w, i, false})
		}
		for _, w := range s.zeroAt {
			r, _ := utf8.DecodeRuneInString(w)
			m[r] = append(m[r], proseWord{w, i, true})
		}
	}
	return m
}()

// proseChecks compares the figures the narrative states with the tables.
// A figure whose table key was not read is not checked.
func (e *extractor) proseChecks() {
	// The figures belong to sections 一 to 四; 五 and 六 speak of plans.
	var text []string
	for _, k := range []string{"overview", "active", "requests", "review"} {
		if s := e.rec.Sections[k]; s != "" {
			text = append(text, s)
		}
	}
	if len(text) == 0 {
		return
	}
	all := strings.Join(text, "\n")
	hits := proseHits(all)
	for si, spec := range proseSpecs {
		said, quote, ok := proseFigure(all, spec, hits[si])
		if !ok {
			continue
		}
		var terms []string
		missing := false
		for _, k := range spec.keys {
			v, ok := e.rec.Fields[k]
			switch {
			case !ok:
				missing = true
			case v == nil:
				terms = append(terms, "0")
			default:
				terms = append(terms, string(*v))
			}
		}
		if missing {
			continue
		}
		table, err := numeral.Sum(terms...)
		if err != nil {
			continue
		}
		c, err := numeral.Cmp(said, table)
		if err != nil {
			continue
		}
		ok = c == 0
		detail := fmt.Sprintf("narrative %s = table %s (%s; %q)", said, table, strings.Join(spec.keys, " + "), quote)
		if !ok && spec.alsoCarried && strings.Contains(sentenceAround(all, quote), "结转") {
			if v, has := e.rec.Fields["requests.carried_over.total"]; has {
				co := "0"
				if v != nil {
					co = string(*v)
				}
				if sum, err := numeral.Sum(table, co); err == nil {
					if c, err := numeral.Cmp(said, sum); err == nil && c == 0 {
						ok = true
						detail = fmt.Sprintf("narrative %s = table %s + %s carried over (%s + requests.carried_over.total; %q)", said, table, co, spec.keys[0], quote)
					}
				}
			}
		}
		if !ok {
			detail = strings.Replace(detail, " = table ", " ≠ table ", 1)
		}
		e.rec.Checks = append(e.rec.Checks, Check{Name: spec.name, OK: ok, Detail: detail})
	}
}

// proseBloom has bit r&63 set for the first rune r of every word in
// proseWords: most runes of a narrative are ruled out without a map look-up.
var proseBloom = func() uint64 {
	var b uint64
	for r := range proseWords {
		b |= 1 << (r & 63)
	}
	return b
}()

// hit is where an anchor (or a zeroAt word) of a spec stands.
type hit struct {
	at   int
	zero bool
}

// proseHits finds, in one scan, every anchor and zeroAt word of each spec.
func proseHits(text string) [][]hit {
	out := make([][]hit, len(proseSpecs))
	for i, r := range text {
		if proseBloom&(1<<(r&63)) == 0 {
			continue
		}
		for _, w := range proseWords[r] {
			if strings.HasPrefix(text[i:], w.word) {
				out[w.spec] = append(out[w.spec], hit{i, w.zero})
			}
		}
	}
	return out
}

// proseFigure finds the first statement of a figure: its value and the
// words that state it.
func proseFigure(text string, spec proseSpec, hits []hit) (value, quote string, ok bool) {
	at := -1
	for _, h := range hits {
		if h.zero {
			// The clause before the word, back to 30 characters.
			lo := max(0, h.at-90)
			for lo > 0 && !utf8.RuneStart(text[lo]) {
				lo--
			}
			hi := min(len(text), h.at+60)
			for hi < len(text) && !utf8.RuneStart(text[hi]) {
				hi++
			}
			win := text[lo:hi]
			if m := spec.zero.FindStringIndex(win); m != nil && lo+m[1] > h.at && (at < 0 || lo+m[0] < at) {
				at, value, quote = lo+m[0], "0", strings.TrimRight(win[m[0]:m[1]], "、和及与。；，,")
			}
			continue
		}
		if at >= 0 && h.at >= at {
			continue
		}
		// A statement is short: read at most 60 characters from its anchor.
		end := min(len(text), h.at+180)
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
		m := spec.lead.FindStringSubmatchIndex(text[h.at:end])
		if m == nil {
			continue
		}
		v, err := numeral.Parse(text[h.at+m[2]:h.at+m[3]], numeral.Options{Mode: numeral.Lenient})
		if err != nil || v.Empty || v.Kind != numeral.Number || narrowScope(text[:h.at]) {
			continue
		}
		at, value, quote = h.at, v.Text, text[h.at:h.at+m[1]]
	}
	return value, quote, at >= 0
}

// scopeWords in the clause before a figure say it counts only part of
// what the tables count: 区政府办代表区政府受理…17件 while table 3 holds the
// whole district's requests; 其中…; 各部门….
var scopeWords = []string{"代表", "其中", "下属", "部门", "单位", "乡镇", "街道", "本级", "机关本级", "分别", "各"}

// narrowScope reports whether the clause ending where a figure starts
// speaks of a part of the reporting body.
func narrowScope(before string) bool {
	clause := before[strings.LastIndexAny(before, "，,。；;：:\n")+1:]
	for _, w := range scopeWords {
		if strings.Contains(clause, w) {
			return true
		}
	}
	return false
}

// sentenceAround returns the sentence of text that holds quote.
func sentenceAround(text, quote string) string {
	i := strings.Index(text, quote)
	if i < 0 {
		return quote
	}
	start := strings.LastIndexAny(text[:i], "。；;\n") + 1
	end := len(text)
	if j := strings.IndexAny(text[i:], "。；;\n"); j >= 0 {
		end = i + j
	}
	return text[start:end]
}
