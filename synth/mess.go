package synth

import (
	"math/rand"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Mess selects the kinds of mess seen in real published reports. Each kind
// is independent; RandomMess picks a realistic mix.
type Mess struct {
	LabelVariants    bool `json:"label_variants,omitempty"`     // 规范性文件, (一)/（1）, 1、, quote styles, spaces and breaks inside labels
	Typos            bool `json:"typos,omitempty"`              // one wrong or missing character in a few row labels
	MissingSubLabels bool `json:"missing_sub_labels,omitempty"` // a group's sub-labels blank, or a stray "0" in their place
	SplitTable       bool `json:"split_table,omitempty"`        // table 3 split at a page break, merged labels restarting empty
	SpanMismatch     bool `json:"span_mismatch,omitempty"`      // data cell spans that disagree with the header's (2019 table 2)
	EmptyTokens      bool `json:"empty_tokens,omitempty"`       // zero cells printed blank, U+3000, —, -, /, 无 (truth null)
	Units            bool `json:"units,omitempty"`              // 12件, 251000元, 3.6万元, 1,234, 减3
	Decimals         bool `json:"decimals,omitempty"`           // 万元 amounts with decimals (7730.28)
	ChineseNumerals  bool `json:"chinese_numerals,omitempty"`   // a few cells as 三, 十二, 零
	FullWidth        bool `json:"full_width,omitempty"`         // full-width digits
	SplitHeaders     bool `json:"split_headers,omitempty"`      // header cells over two paragraphs (商业/企业)
	WordPaste        bool `json:"word_paste,omitempty"`         // HTML: Word-pasted spans, digits split across spans, <o:p>
	WrongTotals      bool `json:"wrong_totals,omitempty"`       // some printed totals wrong on purpose
	GBK              bool `json:"gbk,omitempty"`                // HTML: GBK bytes, charset declared, missing or late
	CMSChrome        bool `json:"cms_chrome,omitempty"`         // HTML: TRS CMS chrome and meta tags
	ChineseDate      bool `json:"chinese_date,omitempty"`       // signature date in Chinese digits
	NoYearInTitle    bool `json:"no_year_in_title,omitempty"`   // title without a year
	// The PDF kinds; DOCX and HTML ignore them.
	BoxRules       bool `json:"box_rules,omitempty"`       // PDF: table rules as thin filled rectangles (table 3 and some others)
	NoRules        bool `json:"no_rules,omitempty"`        // PDF: table 2 or 4 printed without ruling lines, text only
	VerticalLabels bool `json:"vertical_labels,omitempty"` // PDF: table 3's merged labels top to bottom, one glyph per line or an Identity-V font
	ScannedPage    bool `json:"scanned_page,omitempty"`    // PDF: a last page holding only an image (the signed, sealed page scanned)
	Landscape      bool `json:"landscape,omitempty"`       // PDF: table 3 on landscape pages, turned by /Rotate 90 or on a landscape media box
}

// RandomMess picks a realistic mix: each kind with roughly the frequency
// it has among published reports.
func RandomMess(r *rand.Rand) Mess {
	p := func(x float64) bool { return r.Float64() < x }
	return Mess{
		LabelVariants:    p(0.5),
		Typos:            p(0.15),
		MissingSubLabels: p(0.15),
		SplitTable:       p(0.2),
		SpanMismatch:     p(0.2),
		EmptyTokens:      p(0.35),
		Units:            p(0.2),
		Decimals:         p(0.4),
		ChineseNumerals:  p(0.1),
		FullWidth:        p(0.1),
		SplitHeaders:     p(0.5),
		WordPaste:        p(0.4),
		WrongTotals:      p(0.15),
		GBK:              p(0.2),
		CMSChrome:        p(0.5),
		ChineseDate:      p(0.3),
		NoYearInTitle:    p(0.2),
	}
}

// AllMess returns a Mess with every kind on.
func AllMess() Mess {
	return Mess{true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true}
}

// pdfMess adds the PDF kinds to a corpus report's mess. They are drawn
// from the report's seed, not from the corpus stream, so that adding PDF
// kinds left the DOCX and HTML corpora of a seed as they were.
func pdfMess(seed int64, m Mess) Mess {
	r := rand.New(rand.NewSource(seed ^ 0x5D1F_0A7C))
	p := func(x float64) bool { return r.Float64() < x }
	m.BoxRules = p(0.3)
	m.NoRules = p(0.1)
	m.VerticalLabels = p(0.3)
	m.ScannedPage = p(0.1)
	m.Landscape = p(0.1)
	m.WordPaste, m.GBK, m.CMSChrome = false, false, false
	return m
}

// kind of a value cell.
type kind int

const (
	kCount  kind = iota // non-negative count
	kChange             // 本年增/减: may be negative
	kMoney              // 万元, stored in hundredths
)

// canon renders a stored value as canonical decimal text.
func canon(v int64, k kind) string {
	if k != kMoney {
		return strconv.FormatInt(v, 10)
	}
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v/100, 10)
	if f := v % 100; f != 0 {
		if f%10 == 0 {
			s += "." + strconv.FormatInt(f/10, 10)
		} else {
			s += "." + string(rune('0'+f/10)) + string(rune('0'+f%10))
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}

// emptyTokens are what real reports print for nothing.
var emptyTokens = []string{"", "\u3000", "—", "-", "/", "无", "——", "\u3000\u3000"}

// printValue returns how a value cell is printed under the mess, and
// whether the truth is null.
func (g *gen) printValue(v int64, k kind, unit string) (string, bool) {
	r, m := g.r, g.opt.Mess
	if v == 0 && m.EmptyTokens && r.Intn(3) == 0 {
		return emptyTokens[r.Intn(len(emptyTokens))], true
	}
	if m.ChineseNumerals && k == kCount && v < 10000 && r.Intn(12) == 0 {
		return chineseInt(v), false
	}
	var s string
	switch k {
	case kMoney:
		s = canon(v, kMoney)
		if m.Decimals && v%100 != 0 && v%10 == 0 && r.Intn(3) == 0 {
			s += "0" // 25.10
		}
		if m.Units && r.Intn(3) == 0 {
			if r.Intn(2) == 0 {
				s = strconv.FormatInt(v*100, 10) + "元" // 万元 hundredths → 元
				if v*100 >= 1000 && r.Intn(2) == 0 {
					s = groupThousands(strconv.FormatInt(v*100, 10)) + "元"
				}
			} else {
				s += "万元"
			}
		} else if m.Units && v >= 100000 && r.Intn(3) == 0 {
			s = groupThousands(s)
		}
	case kChange:
		s = strconv.FormatInt(v, 10)
		if m.Units && v < 0 && r.Intn(2) == 0 {
			s = "减" + strconv.FormatInt(-v, 10)
		} else if m.Units && v > 0 && r.Intn(4) == 0 {
			s = "+" + s
		}
	default:
		s = strconv.FormatInt(v, 10)
		if m.Units && v >= 1000 && r.Intn(2) == 0 {
			s = groupThousands(s)
		}
		if m.Units && r.Intn(6) == 0 {
			s += unit
		}
	}
	if m.FullWidth && r.Intn(5) == 0 {
		s = fullWidth(s)
	}
	return s, false
}

// groupThousands inserts commas in the integer part of a decimal.
func groupThousands(s string) string {
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	neg := strings.HasPrefix(intPart, "-")
	if neg {
		intPart = intPart[1:]
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + frac
	if neg {
		out = "-" + out
	}
	return out
}

// fullWidth turns ASCII digits and the point into their full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c - '0' + '０')
		case c == '.':
			b.WriteRune('．')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseInt writes 0 ≤ n < 10000 as a strict positional Chinese numeral
// (一千零一十, 十二, 一百一十).
func chineseInt(n int64) string {
	if n == 0 {
		return "零"
	}
	units := []string{"千", "百", "十", ""}
	d := []int64{n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10}
	var b strings.Builder
	started, zero := false, false
	for i, x := range d {
		if x == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(cnDigits[x])
		b.WriteString(units[i])
		started = true
	}
	s := b.String()
	if strings.HasPrefix(s, "一十") {
		s = s[len("一"):]
	}
	return s
}

// chineseDate writes 2025-02-18 as 二〇二五年二月十八日.
func chineseDate(y, m, d int) string {
	var b strings.Builder
	for _, c := range strconv.Itoa(y) {
		if c == '0' {
			b.WriteString("〇")
		} else {
			b.WriteString(cnDigits[c-'0'])
		}
	}
	b.WriteString("年")
	b.WriteString(chineseInt(int64(m)))
	b.WriteString("月")
	b.WriteString(chineseInt(int64(d)))
	b.WriteString("日")
	return b.String()
}

// groupNumber rewrites the （一） numbering of a group label.
func (g *gen) groupNumber(label string) string {
	if !g.opt.Mess.LabelVariants || g.r.Intn(2) == 0 {
		return label
	}
	open := strings.Index(label, "（")
	close := strings.Index(label, "）")
	if open != 0 || close < 0 {
		return label
	}
	num := label[len("（"):close]
	rest := label[close+len("）"):]
	switch g.r.Intn(3) {
	case 0:
		return "(" + num + ")" + rest
	case 1:
		return "（" + strconv.Itoa(cnValue(num)) + "）" + rest
	default:
		return "(" + strconv.Itoa(cnValue(num)) + ")" + rest
	}
}

func cnValue(s string) int {
	for i, d := range cnDigits {
		if d == s {
			return i
		}
	}
	return 0
}

// subNumber rewrites the "1." numbering of a sub-row label.
func (g *gen) subNumber(label string) string {
	if !g.opt.Mess.LabelVariants || g.r.Intn(2) == 0 {
		return label
	}
	i := strings.IndexByte(label, '.')
	if i < 0 {
		return label
	}
	sep := []string{"、", "．", ". ", "、"}[g.r.Intn(4)]
	return label[:i] + sep + label[i+1:]
}

// quotes rewrites “…” in a label.
func (g *gen) quotes(label string) string {
	if !g.opt.Mess.LabelVariants || !strings.Contains(label, "“") {
		return label
	}
	switch g.r.Intn(3) {
	case 0:
		return strings.NewReplacer("“", `"`, "”", `"`).Replace(label)
	case 1:
		return strings.NewReplacer("“", "「", "”", "」").Replace(label)
	}
	return label
}

// breakLabel inserts a space, U+3000 or a line break inside a label, the
// way labels get wrapped by hand (不予\n公开, 只计这一情 形).
func (g *gen) breakLabel(label string) string {
	if !g.opt.Mess.LabelVariants || g.r.Intn(4) != 0 {
		return label
	}
	n := utf8.RuneCountInString(label)
	if n < 4 {
		return label
	}
	rs := []rune(label)
	at := 2 + g.r.Intn(n-3)
	ins := []string{" ", "\u3000", "\n", "\n"}[g.r.Intn(4)]
	return string(rs[:at]) + ins + string(rs[at:])
}

// typoSwaps are characters real reports get wrong, with a wrong stand-in.
var typoSwaps = map[rune]rune{
	'法': '止', '政': '正', '申': '甲', '请': '情', '开': '升', '处': '外',
	'理': '里', '信': '言', '息': '思', '务': '物', '部': '步', '公': '分',
	'权': '杈', '益': '溢', '复': '夏', '需': '须', '现': '观', '确': '却',
}

// typo drops or replaces one character of a label after its numbering.
func (g *gen) typo(label string) string {
	rs := []rune(label)
	start := 0
	for i, c := range rs {
		if c == '.' || c == '）' || c == '、' {
			start = i + 1
			break
		}
	}
	if len(rs)-start < 5 {
		return label
	}
	for try := 0; try < 8; try++ {
		i := start + 1 + g.r.Intn(len(rs)-start-1)
		if w, ok := typoSwaps[rs[i]]; ok {
			rs[i] = w
			return string(rs)
		}
	}
	i := start + 1 + g.r.Intn(len(rs)-start-2)
	return string(append(rs[:i:i], rs[i+1:]...))
}
