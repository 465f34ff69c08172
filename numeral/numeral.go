// Package numeral turns the text of a table cell, a date part or a phrase
// into an exact value, following spec/numerals.md: Arabic and Chinese
// numerals, financial capitals, percentages, fractions, a unit suffix and
// the placeholder tokens of an empty cell. Values are computed exactly and
// written as canonical decimals; nothing passes through floating point.
package numeral

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mode selects which forms Parse accepts.
type Mode int

const (
	// Strict takes well-formed numerals only; it is the mode for table cells.
	Strict Mode = iota
	// Lenient adds colloquial forms: elisions, digit strings, 〇, mixed
	// Arabic and Chinese, extra or missing 零, 卅/卌, Arabic with 十/百/千.
	Lenient
	// Digits reads digit by digit (years, codes) and keeps leading zeros.
	Digits
)

// ParseMode reads "strict", "lenient" or "digits".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "strict":
		return Strict, nil
	case "lenient":
		return Lenient, nil
	case "digits":
		return Digits, nil
	}
	return Strict, fmt.Errorf("unknown numeral mode %q (want strict, lenient or digits)", s)
}

func (m Mode) String() string {
	switch m {
	case Strict:
		return "strict"
	case Lenient:
		return "lenient"
	case Digits:
		return "digits"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Kind says what a value's Text holds.
type Kind int

const (
	Number         Kind = iota // a canonical decimal: "36000", "0.5", "-3"
	Percent                    // a decimal followed by %: "25%"
	PerMille                   // a decimal followed by ‰: "5‰"
	Fraction                   // numerator/denominator, unreduced: "2/4"
	PerTenThousand             // a decimal followed by ‱: "3‱" (万分之三)
)

func (k Kind) String() string {
	switch k {
	case Number:
		return "number"
	case Percent:
		return "percent"
	case PerMille:
		return "permille"
	case Fraction:
		return "fraction"
	case PerTenThousand:
		return "pertenthousand"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Value is what a cell's text reads as.
type Value struct {
	// Text is the canonical output: "36000", "0.5", "25%", "5‰", "2/4",
	// "-3"; in Digits mode the digit string with its leading zeros ("01").
	Text  string
	Empty bool // a blank cell or a placeholder token; Text is ""
	Kind  Kind
	// Unit is the unit suffix as read ("元", "件", "元整", "个百分点"), or ""
	// when there is none. A magnitude is never a unit: "3.6万元" is 36000
	// with Unit "元". An amount with 角/分 has the Unit 元 (or 圆 as read).
	Unit string
}

// String is what `ogi numeral` prints for a value: "EMPTY" or the Text.
func (v Value) String() string {
	if v.Empty {
		return "EMPTY"
	}
	return v.Text
}

// Options tune Parse.
type Options struct {
	Mode Mode
	// AllowJian accepts 减 as a leading minus (cells of 本年增/减 columns).
	AllowJian bool
}

// ErrNumeral is the cause every error of this package wraps.
var ErrNumeral = errors.New("not a number")

// Error is text that is not a number in the mode asked for.
type Error struct {
	Input  string // the text as given
	Reason string // short and specific: "bad thousands grouping"
}

func (e *Error) Error() string { return fmt.Sprintf("numeral %q: %s", e.Input, e.Reason) }

// Unwrap returns ErrNumeral.
func (e *Error) Unwrap() error { return ErrNumeral }

// Format is one output line of `ogi numeral`: the value, EMPTY, or
// "ERROR: <reason>".
func Format(v Value, err error) string {
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return "ERROR: " + e.Reason
		}
		return "ERROR: " + err.Error()
	}
	return v.String()
}

// fail makes an error; Parse fills in the input.
func fail(reason string) *Error { return &Error{Reason: reason} }

func failf(format string, args ...any) *Error { return &Error{Reason: fmt.Sprintf(format, args...)} }

// Reasons that more than one path reports.
const (
	reasonRange      = "range or approximation"
	reasonSpace      = "whitespace inside number"
	reasonGrouping   = "bad thousands grouping"
	reasonTwoPoints  = "more than one decimal point"
	reasonNoFrac     = "decimal point without digits"
	reasonNoInt      = "decimal without integer part"
	reasonDoubledMag = "doubled magnitude"
	reasonMagNoNum   = "magnitude without number"
	reasonNoUnitNum  = "unit without number"
	reasonLiang      = "两 only alone or before 百/千/万/亿 (strict)"
	reasonDoubleUnit = "doubled unit"
)

// Parse reads one cell's text. Errors are *Error values wrapping ErrNumeral.
func Parse(s string, opt Options) (Value, error) {
	v, e := parse(s, opt)
	if e != nil {
		e.Input = s
		return Value{}, e
	}
	return v, nil
}

// emptyTokens are the placeholders of a blank cell, after trimming.
var emptyTokens = map[string]bool{
	"": true, "-": true, "--": true, "—": true, "——": true, "–": true, "/": true,
	"无": true, "空": true, "暂无": true, "…": true, "……": true, "...": true,
}

func parse(s string, opt Options) (Value, *Error) {
	t := normalize(s)
	if emptyTokens[t] {
		return Value{Empty: true}, nil
	}
	body := t
	neg := false
	sign, rest := leadingSign(body)
	if sign != "" {
		if sign == "减" && !opt.AllowJian {
			return Value{}, fail("减 as a sign only in 增/减 columns")
		}
		if opt.Mode == Digits {
			return Value{}, fail("sign in digits mode")
		}
		if rest == "" {
			return Value{}, fail("sign without number")
		}
		if s2, _ := leadingSign(rest); s2 != "" {
			return Value{}, fail("more than one sign")
		}
		if sign == "负" && rest[0] >= '0' && rest[0] <= '9' && opt.Mode == Strict {
			return Value{}, fail("负 before Arabic digits (lenient)")
		}
		neg = sign != "+"
		body = rest
	}
	if hasExponent(body) {
		return Value{}, fail("exponent not allowed")
	}
	if hasRangeMarker(body) {
		return Value{}, fail(reasonRange)
	}

	v := Value{Kind: Number}
	// A percent, per-mille or per-ten-thousand sign, then a unit suffix;
	// never both.
	if hasPercentSign(body) {
		switch {
		case strings.HasSuffix(body, "%"):
			v.Kind, body = Percent, strings.TrimSuffix(body, "%")
		case strings.HasSuffix(body, "‰"):
			v.Kind, body = PerMille, strings.TrimSuffix(body, "‰")
		default:
			v.Kind, body = PerTenThousand, strings.TrimSuffix(body, "‱")
		}
		body = trimRightSpace(body)
		if hasPercentSign(body) {
			return Value{}, fail("doubled percent sign")
		}
		if body == "" {
			return Value{}, fail("percent sign without number")
		}
		if u := unitSuffix(body); u != "" {
			return Value{}, fail("unit before percent sign")
		}
	} else {
		var rmb bool
		var e *Error
		body, v.Unit, rmb, e = stripUnit(body)
		if e != nil {
			return Value{}, e
		}
		if v.Unit != "" && hasPercentSign(body) {
			return Value{}, fail("unit after percent sign")
		}
		if rmb {
			if opt.Mode == Digits {
				return Value{}, fail("amount in 角/分 in digits mode")
			}
			x, e := parseRMB(body, opt.Mode)
			if e != nil {
				return Value{}, e
			}
			v.Text = withSign(neg, x)
			return v, nil
		}
	}

	if opt.Mode == Digits {
		if v.Kind != Number || strings.Contains(body, "分之") || strings.Contains(body, "/") {
			return Value{}, fail("not a digit string")
		}
		x, e := parseDigits(body)
		if e != nil {
			return Value{}, e
		}
		v.Text = x
		return v, nil
	}

	// 百分之…, 千分之…, X分之Y and a/b.
	if den, num, ok := strings.Cut(body, "分之"); ok {
		return parseFenZhi(den, num, v, neg, opt.Mode)
	}
	if num, den, ok := strings.Cut(body, "/"); ok {
		return parseSlash(num, den, v, neg)
	}

	x, e := parseNumber(body, opt.Mode)
	if e != nil {
		return Value{}, e
	}
	v.Text = withSign(neg, x) + kindSign[v.Kind]
	return v, nil
}

// kindSign is the sign a Percent, PerMille or PerTenThousand value ends with.
var kindSign = map[Kind]string{Percent: "%", PerMille: "‰", PerTenThousand: "‱"}

// hasPercentSign reports a trailing %, ‰ or ‱.
func hasPercentSign(s string) bool {
	return strings.HasSuffix(s, "%") || strings.HasSuffix(s, "‰") || strings.HasSuffix(s, "‱")
}

// withSign prefixes a minus to a canonical non-negative value unless it is zero.
func withSign(neg bool, x string) string {
	if !neg || isZeroText(x) {
		return x
	}
	return "-" + x
}

func isZeroText(x string) bool {
	for i := 0; i < len(x); i++ {
		if x[i] != '0' && x[i] != '.' {
			return false
		}
	}
	return true
}

// isSpace is every kind of whitespace numerals.md lists, and the rest of
// Unicode's White_Space.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200B' || r == '\uFEFF' || r == '\u2060'
}

// IsSpace reports whether r is whitespace Parse trims around a numeral:
// Unicode White_Space and the zero-width space, word joiner and BOM.
func IsSpace(r rune) bool { return isSpace(r) }

func trimRightSpace(s string) string { return strings.TrimRightFunc(s, isSpace) }

// fold maps a rune to the form the parser reads.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r < 0x2000:
		return r
	}
	switch r {
	case '\u2212':
		return '-'
	case '萬':
		return '万'
	case '億':
		return '亿'
	case '兩':
		return '两'
	case '貳':
		return '贰'
	case '參', '叄':
		return '叁'
	case '陸':
		return '陆'
	case '點':
		return '点'
	case '負':
		return '负'
	case '圓':
		return '圆'
	}
	return r
}

// normalize trims whitespace and folds full-width and Traditional forms.
func normalize(s string) string {
	s = strings.TrimFunc(s, isSpace)
	for i, r := range s {
		if fold(r) != r {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for _, r := range s[i:] {
				b.WriteRune(fold(r))
			}
			return b.String()
		}
	}
	return s
}

// leadingSign splits off a leading sign: "-", "+", "负" or "减".
func leadingSign(s string) (sign, rest string) {
	if s == "" {
		return "", s
	}
	switch s[0] {
	case '-', '+':
		return s[:1], s[1:]
	}
	for _, p := range [...]string{"负", "减"} {
		if strings.HasPrefix(s, p) {
			return p, s[len(p):]
		}
	}
	return "", s
}

// hasExponent reports scientific notation: a digit, e or E, an optional
// sign and a digit.
func hasExponent(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == 'e' || s[i] == 'E') && isDigit(s[i-1]) {
			j := i + 1
			if s[j] == '+' || s[j] == '-' {
				j++
			}
			if j < len(s) && isDigit(s[j]) {
				return true
			}
		}
	}
	return false
}

// hasRangeMarker reports words and signs that make a number a range or an
// estimate, never an exact value: 余 多 几 约 来 至 左右 以上 不足 数十, 1-2, <0.1.
func hasRangeMarker(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '余', '多', '几', '约', '近', '逾', '超', '来', '许', '或', '至', '到',
			'~', '<', '>', '≤', '≥', '≈', '、', '-', '–', '—', '+':
			return true
		}
		next, _ := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '左':
			if next == '右' {
				return true
			}
		case '上':
			if next == '下' {
				return true
			}
		case '以':
			if next == '上' || next == '下' || next == '内' {
				return true
			}
		case '不':
			if next == '足' || next == '到' {
				return true
			}
		case '数': // 数十, 数百: "several tens"
			if next == '十' || next == '百' || next == '千' || next == '万' || next == '亿' {
				return true
			}
		}
	}
	return false
}

// units is the closed list of unit suffixes, longest first so 人次 wins over 次.
var units = [...]string{
	"个百分点",
	"百分点", "元整", "圆整", "人次", "年度", "个月", "小时", "户次", "件次", "批次",
	"元", "圆", "件", "人", "个", "次", "户", "项", "家", "条", "起", "份", "名", "所", "年", "天",
	"例", "位", "座", "张", "本", "篇", "期", "场", "批", "宗", "封", "册", "台", "处", "笔",
	"日", "月", "周", "页", "部", "套", "辆", "种", "类", "组", "卷", "盒", "幅",
}

// unitsByLast indexes units by their last rune, longest first.
var unitsByLast = func() map[rune][]string {
	m := make(map[rune][]string)
	for _, u := range units {
		r, _ := utf8.DecodeLastRuneInString(u)
		m[r] = append(m[r], u)
	}
	return m
}()

// unitSuffix returns the unit s ends with, or "".
func unitSuffix(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r < utf8.RuneSelf {
		return ""
	}
	for _, u := range unitsByLast[r] {
		if strings.HasSuffix(s, u) {
			return u
		}
	}
	return ""
}

// stripUnit removes one unit suffix. rmb reports an amount ending in 角 or
// 分 (and 整), which parseRMB reads; body then keeps its 元 and 角/分.
func stripUnit(s string) (body, unit string, rmb bool, e *Error) {
	if strings.HasSuffix(s, "角") || strings.HasSuffix(s, "分") && strings.ContainsAny(s, "元圆角") {
		return s, yuanUnit(s), true, nil
	}
	if c, ok := strings.CutSuffix(s, "整"); ok && (strings.HasSuffix(c, "角") || strings.HasSuffix(c, "分")) {
		return c, yuanUnit(c), true, nil
	}
	u := unitSuffix(s)
	if u == "" {
		return s, "", false, nil
	}
	body = trimRightSpace(s[:len(s)-len(u)])
	if body == "" {
		return "", "", false, fail(reasonNoUnitNum)
	}
	if unitSuffix(body) != "" || strings.HasSuffix(body, "整") {
		return "", "", false, fail(reasonDoubleUnit)
	}
	return body, u, false, nil
}

func yuanUnit(s string) string {
	if strings.Contains(s, "圆") {
		return "圆"
	}
	return "元"
}

func allASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// numeralRune reports whether r can be part of a number's body (not a unit).
func numeralRune(r rune) bool {
	if r >= '0' && r <= '9' || r == '.' || r == ',' {
		return true
	}
	if _, ok := digitValue(r); ok {
		return true
	}
	switch r {
	case '十', '百', '千', '拾', '佰', '仟', '万', '亿', '点', '廿', '卅', '卌':
		return true
	}
	return false
}

// parseNumber reads an unsigned number without percent sign or unit and
// returns its canonical decimal.
func parseNumber(s string, mode Mode) (string, *Error) {
	if s == "" {
		return "", fail("no digits")
	}
	if e := checkSuffix(s); e != nil {
		return "", e
	}
	if strings.IndexFunc(s, isSpace) >= 0 {
		return "", fail(reasonSpace)
	}
	if x, ok, e := mixedDecimal(s, mode); ok {
		return x, e
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9' || c == '.' || c == ',':
		return parseArabicLed(s, mode)
	}
	return parseChineseLed(s, mode)
}

// mixedDecimal reads a decimal that mixes Arabic and Chinese numerals
// (3点5, 三点5, 二十.5, 1.五万), as typed text and OCR give them: the
// integer part is read as a whole (Arabic digits, or a Chinese numeral in
// the lenient reading), the fraction digit by digit, then an optional 万,
// 亿 or 万亿. ok is false when s is not such a decimal; other forms are
// left to the other readers.
func mixedDecimal(s string, mode Mode) (string, bool, *Error) {
	i, sepLen := strings.Index(s, "点"), len("点")
	if j := strings.IndexByte(s, '.'); j >= 0 && (i < 0 || j < i) {
		i, sepLen = j, 1
	}
	if i <= 0 {
		return "", false, nil
	}
	intPart, rest := s[:i], s[i+sepLen:]
	intArabic := allASCIIDigits(intPart)
	intChinese := strings.IndexFunc(intPart, func(r rune) bool { return r < utf8.RuneSelf }) < 0
	if !intArabic && !intChinese {
		return "", false, nil
	}
	var frac []byte
	fracArabic, fracChinese := false, false
	j := 0
	for j < len(rest) {
		r, size := utf8.DecodeRuneInString(rest[j:])
		switch d, ok := digitValue(r); {
		case r >= '0' && r <= '9':
			frac, fracArabic = append(frac, byte(r)), true
		case ok && r != '两':
			frac, fracChinese = append(frac, byte('0'+d)), true
		default:
			goto done
		}
		j += size
	}
done:
	p, magOK := strictMags[rest[j:]]
	if rest[j:] == "" {
		p, magOK = 0, true
	}
	sepArabic := sepLen == 1
	arabic := intArabic || sepArabic || fracArabic
	chinese := intChinese || !sepArabic || fracChinese
	if len(frac) == 0 || !(arabic && chinese) {
		return "", false, nil
	}
	if !magOK {
		if doubledMagnitude(rest[j:]) {
			return "", true, fail(reasonDoubledMag)
		}
		return "", false, nil
	}
	if mode != Lenient {
		return "", true, fail("mixed Arabic and Chinese numerals (lenient)")
	}
	whole := intPart
	if intArabic {
		whole = trimLeadingZeros(intPart)
	} else {
		var e *Error
		if whole, e = chineseInt(intPart, Lenient); e != nil {
			return "", true, e
		}
	}
	return shiftDigits(whole, string(frac), p), true, nil
}

// checkSuffix reports a trailing run of characters that are not numerals.
func checkSuffix(s string) *Error {
	j := len(s)
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if numeralRune(r) {
			break
		}
		j -= size
	}
	if j == len(s) {
		return nil
	}
	if j == 0 {
		return fail("no digits")
	}
	return failf("unknown suffix %q", strings.TrimLeftFunc(s[j:], isSpace))
}

// parseDigits reads a digit string digit by digit, keeping leading zeros.
func parseDigits(s string) (string, *Error) {
	if s == "" {
		return "", fail("no digits")
	}
	if e := checkSuffix(s); e != nil {
		return "", e
	}
	if strings.IndexFunc(s, isSpace) >= 0 {
		return "", fail(reasonSpace)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b = append(b, byte(r))
			continue
		}
		if d, ok := digitValue(r); ok && r != '两' {
			b = append(b, byte('0'+d))
			continue
		}
		switch r {
		case '十', '百', '千', '拾', '佰', '仟', '万', '亿', '廿', '卅', '卌':
			if _, e := chineseInt(s, Lenient); e != nil && e.Reason == reasonRange {
				return "", e
			}
			return "", fail("positional unit in digits mode")
		case '点', '.':
			return "", fail("decimal point in digits mode")
		case ',':
			return "", fail("thousands separator in digits mode")
		}
		return "", failf("unexpected character %q", string(r))
	}
	return string(b), nil
}

// parseFenZhi reads den分之num: 百分之, 千分之 and 万分之 make a percentage,
// per mille or per ten thousand, any other denominator an unreduced
// fraction. v carries the kind and unit read so far.
func parseFenZhi(den, num string, v Value, neg bool, mode Mode) (Value, *Error) {
	percent := den == "百" || den == "千" || den == "万"
	switch {
	case v.Kind != Number:
		return Value{}, fail("doubled percent sign")
	case v.Unit != "" && percent:
		return Value{}, fail("unit after a percentage")
	case v.Unit != "":
		return Value{}, fail("unit after a fraction")
	case num == "":
		return Value{}, fail("fraction without numerator")
	}
	if s, _ := leadingSign(num); s != "" {
		if percent {
			return Value{}, fail("sign inside a percentage")
		}
		return Value{}, fail("sign inside a fraction")
	}
	if s, _ := leadingSign(den); s != "" {
		return Value{}, fail("sign inside a fraction")
	}
	if percent {
		if isDigit(num[0]) && mode == Strict {
			return Value{}, fail("Arabic digits after " + den + "分之 (lenient)")
		}
		x, e := parseNumber(num, mode)
		if e != nil {
			return Value{}, e
		}
		v.Kind = map[string]Kind{"百": Percent, "千": PerMille, "万": PerTenThousand}[den]
		v.Text = withSign(neg, x) + kindSign[v.Kind]
		return v, nil
	}
	if den == "" {
		return Value{}, fail("fraction without denominator")
	}
	d, e := parseNumber(den, mode)
	if e != nil {
		return Value{}, e
	}
	n, e := parseNumber(num, mode)
	if e != nil {
		return Value{}, e
	}
	if strings.Contains(d, ".") || strings.Contains(n, ".") {
		return Value{}, fail("decimal in a fraction")
	}
	if d == "0" {
		return Value{}, fail("zero denominator")
	}
	v.Kind, v.Text = Fraction, withSign(neg, n)+"/"+d
	return v, nil
}

// parseSlash reads an Arabic fraction n/d, the form Fraction values print as.
func parseSlash(n, d string, v Value, neg bool) (Value, *Error) {
	switch {
	case v.Kind != Number:
		return Value{}, fail("doubled percent sign")
	case v.Unit != "":
		return Value{}, fail("unit after a fraction")
	case !allASCIIDigits(n) || !allASCIIDigits(d):
		return Value{}, fail("malformed fraction")
	}
	n, d = trimLeadingZeros(n), trimLeadingZeros(d)
	if d == "0" {
		return Value{}, fail("zero denominator")
	}
	v.Kind, v.Text = Fraction, withSign(neg, n)+"/"+d
	return v, nil
}
