package numeral

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// digitValue maps a Chinese digit (ordinary or financial capital) to its value.
func digitValue(r rune) (int, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一', '壹', '幺':
		return 1, true
	case '二', '两', '贰':
		return 2, true
	case '三', '叁':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

func isFinancial(r rune) bool {
	return strings.ContainsRune("壹贰叁肆伍陆柒捌玖拾佰仟", r)
}

// ordinary are the Chinese numeral runes that have a financial capital.
func isOrdinary(r rune) bool {
	return strings.ContainsRune("一二两三四五六七八九十百千", r)
}

type tokKind uint8

const (
	tDigit  tokKind = iota + 1 // 零〇一…九 壹…玖 两
	tArabic                    // a run of ASCII digits (lenient mixed forms)
	tUnit                      // 十 百 千 (拾 佰 仟)
	tMag                       // 万 亿
)

type token struct {
	kind tokKind
	v    uint64 // digit or Arabic value; 10/100/1000; 1e4/1e8
	n    int    // Arabic: digit count
}

// features records forms that only lenient mode accepts, or that strict
// mode must look at more closely.
type features struct {
	circle     bool // 〇
	arabic     bool // Arabic digits among Chinese
	saxi       bool // 廿 卅 卌
	yao        bool // 幺, a spoken 一 in digit strings
	financial  bool // a financial capital
	ordinary   bool // an ordinary digit or unit with a capital form
	liangBad   bool // 两 not alone and not before 百/千/万/亿
	liang      bool
	elision    bool // 三万五, 一百二
	bareTen    bool // 十 without 一 after a unit or magnitude (一百十)
	digitsOnly bool // a digit string (一二三)
}

const maxTokens = 64

// tokenize splits a Chinese (or mixed) integer into tokens.
func tokenize(s string, buf []token) ([]token, features, *Error) {
	toks := buf[:0]
	var f features
	for i := 0; i < len(s); {
		if isDigit(s[i]) {
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j-i > 16 {
				return nil, f, fail("number too large")
			}
			v, _ := strconv.ParseUint(s[i:j], 10, 64)
			toks = append(toks, token{kind: tArabic, v: v, n: j - i})
			f.arabic = true
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if len(toks) >= maxTokens-2 {
			return nil, f, fail("numeral too long")
		}
		if isFinancial(r) {
			f.financial = true
		} else if isOrdinary(r) {
			f.ordinary = true
		}
		if d, ok := digitValue(r); ok {
			switch r {
			case '〇':
				f.circle = true
			case '幺':
				f.yao = true
			case '两':
				f.liang = true
				next, _ := utf8.DecodeRuneInString(s[i:])
				if !(len(s) == i && len(toks) == 0 || strings.ContainsRune("百千万亿佰仟", next)) {
					f.liangBad = true
				}
			}
			toks = append(toks, token{kind: tDigit, v: uint64(d)})
			continue
		}
		switch r {
		case '十', '拾':
			toks = append(toks, token{kind: tUnit, v: 10})
		case '百', '佰':
			toks = append(toks, token{kind: tUnit, v: 100})
		case '千', '仟':
			toks = append(toks, token{kind: tUnit, v: 1000})
		case '万':
			toks = append(toks, token{kind: tMag, v: 1e4})
		case '亿':
			toks = append(toks, token{kind: tMag, v: 1e8})
		case '廿':
			f.saxi = true
			toks = append(toks, token{kind: tDigit, v: 2}, token{kind: tUnit, v: 10})
		case '卅':
			f.saxi = true
			toks = append(toks, token{kind: tDigit, v: 3}, token{kind: tUnit, v: 10})
		case '卌':
			f.saxi = true
			toks = append(toks, token{kind: tDigit, v: 4}, token{kind: tUnit, v: 10})
		default:
			return nil, f, failf("unexpected character %q", string(r))
		}
	}
	return toks, f, nil
}

// evalTokens computes the value of a positional numeral with the lenient
// reading; structural errors (ranges, misordered units) are errors in every
// mode. Forms strict mode refuses are recorded in f.
func evalTokens(toks []token, f *features) (uint64, *Error) {
	var total, wan, sec uint64
	var lastUnit uint64 // last 十/百/千 in the current section; 0 for none
	var place uint64    // place of the last unit or magnitude
	var pend uint64     // a digit waiting for its unit
	var pendTok tokKind // 0: none
	var pendN int       // digits written for the pending number
	var pendAfterZero bool
	var pendAfterUnit bool
	var wanSeen, yiSeen, zero bool
	var prev tokKind
	prevZero := false
	for i, t := range toks {
		switch t.kind {
		case tDigit, tArabic:
			if t.kind == tDigit && t.v == 0 {
				if pendTok != 0 {
					return 0, fail("零 after a digit")
				}
				zero, prevZero, prev = true, true, t.kind
				continue
			}
			if pendTok != 0 {
				return 0, fail(reasonRange)
			}
			pend, pendTok, pendN = t.v, t.kind, max(t.n, 1)
			pendAfterZero = zero
			pendAfterUnit = prev == tUnit || prev == tMag
			if t.kind == tArabic && t.v == 0 && !zero {
				pendAfterZero = true // "1万0": nothing to elide
			}
		case tUnit:
			n := uint64(1)
			if pendTok != 0 {
				n = pend
				if pendTok == tArabic && pendN > 1 {
					return 0, fail("Arabic number before 十/百/千 too large")
				}
				if n == 0 {
					return 0, fail("zero before a unit")
				}
			} else {
				if t.v != 10 && prev == tUnit {
					return 0, fail("misordered units")
				}
				if t.v != 10 {
					return 0, failf("%s without a digit", unitName(t.v))
				}
				if i > 0 && !prevZero {
					f.bareTen = true
				}
			}
			if lastUnit != 0 && t.v >= lastUnit {
				return 0, fail("misordered units")
			}
			sec += n * t.v
			lastUnit, place = t.v, t.v
			pendTok, zero = 0, false
		case tMag:
			if pendTok != 0 {
				if pendAfterUnit && !pendAfterZero && place > 10 && place < 1e4 && pendN == 1 {
					return 0, fail("ambiguous elision before a magnitude")
				}
				if pendTok == tArabic && place != 0 && pend >= place {
					return 0, fail("misordered units")
				}
				sec += pend
				pendTok = 0
			}
			if t.v == 1e4 {
				if wanSeen || prev == tMag && sec == 0 {
					return 0, fail(reasonDoubledMag)
				}
				if sec == 0 {
					return 0, fail(reasonMagNoNum)
				}
				if sec >= 1e4 {
					return 0, fail("number too large before 万")
				}
				wan, wanSeen = sec*1e4, true
			} else {
				if yiSeen || prev == tMag && sec == 0 && wan == 0 {
					return 0, fail(reasonDoubledMag)
				}
				v := wan + sec
				if v == 0 {
					return 0, fail(reasonMagNoNum)
				}
				if v >= 1e8 {
					return 0, fail("number too large before 亿")
				}
				total, yiSeen = v*1e8, true
				wan, wanSeen = 0, false
			}
			sec, lastUnit, place, zero = 0, 0, t.v, false
		}
		prev = t.kind
		prevZero = false
	}
	if pendTok != 0 {
		switch {
		case pendAfterUnit && !pendAfterZero && place > 10 && pendN == 1:
			sec += pend * (place / 10) // 三万五, 一百二: the digit fills the next place
			f.elision = true
		case pendTok == tArabic && place != 0 && pend >= place:
			return 0, fail("misordered units")
		default:
			sec += pend
		}
	}
	return total + wan + sec, nil
}

func unitName(v uint64) string {
	switch v {
	case 10:
		return "十"
	case 100:
		return "百"
	}
	return "千"
}

// parseChineseLed reads a Chinese numeral, optionally with a decimal part
// (<integer>点<digits>) and a magnitude after it.
func parseChineseLed(s string, mode Mode) (string, *Error) {
	intText, fracText, hasPoint := strings.Cut(s, "点")
	if !hasPoint {
		return chineseInt(s, mode)
	}
	if intText == "" {
		return "", fail(reasonNoInt)
	}
	if mode == Strict && strings.HasSuffix(intText, "两") {
		return "", fail(reasonLiang)
	}
	if strings.Contains(fracText, "点") {
		return "", fail(reasonTwoPoints)
	}
	var frac []byte
	j := 0
	for j < len(fracText) {
		r, size := utf8.DecodeRuneInString(fracText[j:])
		d, ok := digitValue(r)
		if !ok || r == '两' {
			break
		}
		if r == '〇' && mode == Strict {
			return "", fail("〇 (strict)")
		}
		if r == '幺' && mode == Strict {
			return "", fail("幺 (lenient)")
		}
		frac = append(frac, byte('0'+d))
		j += size
	}
	if len(frac) == 0 {
		if fracText != "" && isDigit(fracText[0]) {
			return "", fail("mixed Arabic and Chinese numerals")
		}
		return "", fail(reasonNoFrac)
	}
	p := 0
	if mag := fracText[j:]; mag != "" {
		var ok bool
		if p, ok = strictMags[mag]; !ok {
			if doubledMagnitude(mag) {
				return "", fail(reasonDoubledMag)
			}
			if p, ok = lenientMags[mag]; !ok {
				return "", fail("malformed decimal")
			}
			if mode != Lenient {
				return "", fail("unit after decimal digits (lenient)")
			}
		}
	}
	i, e := chineseInt(intText, mode)
	if e != nil {
		return "", e
	}
	return shiftDigits(i, string(frac), p), nil
}

// chineseInt reads a Chinese (or, in lenient mode, mixed) integer and
// checks it against strict grammar when mode is Strict.
func chineseInt(s string, mode Mode) (string, *Error) {
	var buf [maxTokens]token
	toks, f, e := tokenize(s, buf[:])
	if e != nil {
		return "", e
	}
	if len(toks) == 0 {
		return "", fail("no digits")
	}
	// A digit string: 一二三, 二〇二四, 幺三五 (幺 alone is one too).
	if len(toks) > 1 || f.yao && len(toks) == 1 {
		only := true
		for _, t := range toks {
			if t.kind != tDigit {
				only = false
				break
			}
		}
		if only {
			if f.liang {
				return "", fail(reasonRange)
			}
			if mode == Strict {
				if f.yao {
					return "", fail("幺 (lenient)")
				}
				return "", fail("digit string (lenient)")
			}
			b := make([]byte, len(toks))
			for i, t := range toks {
				b[i] = byte('0' + t.v)
			}
			return trimLeadingZeros(string(b)), nil
		}
	}
	if f.yao {
		// 幺 is how 一 is read out in codes and phone numbers, never a
		// digit before 十/百/千.
		return "", fail("幺 outside a digit string")
	}
	v, e := evalTokens(toks, &f)
	if e != nil {
		return "", e
	}
	if mode == Strict {
		if e := strictCheck(toks, f, v); e != nil {
			return "", e
		}
	}
	return strconv.FormatUint(v, 10), nil
}

// strictCheck applies the strict grammar: the numeral must be the
// canonical spelling of its value, up to 一 dropped before a leading 十
// (or one after 零), 两 for 二 and financial capitals.
func strictCheck(toks []token, f features, v uint64) *Error {
	switch {
	case f.circle:
		return fail("〇 (strict)")
	case f.arabic:
		return fail("mixed Arabic and Chinese numerals (lenient)")
	case f.saxi:
		return fail("廿/卅/卌 (lenient)")
	case f.financial && f.ordinary:
		return fail("mixed financial and ordinary numerals (strict)")
	case f.liangBad:
		return fail(reasonLiang)
	case f.elision:
		return fail("elision (lenient)")
	case f.bareTen:
		return fail("十 without 一 (strict)")
	}
	var gb, wb [96]byte
	got := gb[:0]
	prevZero := true // 十 may drop its 一 at the start
	var prev tokKind
	for _, t := range toks {
		switch t.kind {
		case tDigit:
			got = append(got, chDigits[t.v]...)
		case tUnit:
			if prev != tDigit || prevZero {
				got = append(got, "一"...)
			}
			got = append(got, unitName(t.v)...)
		case tMag:
			got = append(got, magName(t.v)...)
		}
		prevZero = t.kind == tDigit && t.v == 0
		prev = t.kind
	}
	want := appendChinese(wb[:0], v)
	if string(got) == string(want) {
		return nil
	}
	return fail(zeroReason(string(got), string(want)))
}

var chDigits = [...]string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

func magName(v uint64) string {
	if v == 1e4 {
		return "万"
	}
	return "亿"
}

// zeroReason explains how a numeral differs from the canonical spelling
// of its value; the difference is almost always where 零 goes.
func zeroReason(got, want string) string {
	g, w := []rune(got), []rune(want)
	if strings.ReplaceAll(got, "零", "") != strings.ReplaceAll(want, "零", "") {
		return "malformed Chinese numeral (strict)"
	}
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	if i < len(w) && w[i] == '零' {
		return "missing 零 (strict)"
	}
	switch {
	case i >= len(g) || g[i] != '零':
		return "malformed Chinese numeral (strict)"
	case i == 0:
		return "leading 零 (strict)"
	case g[i-1] == '零' || i+1 < len(g) && g[i+1] == '零':
		return "doubled 零 (strict)"
	case i+1 == len(g) || g[i+1] == '万' || g[i+1] == '亿':
		return "零 at end of section (strict)"
	case i+2 < len(g) && g[i+2] == '千':
		return "零 before a full thousands group (strict)"
	}
	return "extra 零 (strict)"
}

// FormatChinese spells n in canonical ordinary Chinese numerals (GB/T 15835
// style, 一十 written out): 10 is 一十, 101000 is 一十万一千, 1000001000
// is 一十亿零一千. Values of 10^16 and above are spelled in Arabic digits.
func FormatChinese(n uint64) string {
	var buf [96]byte
	return string(appendChinese(buf[:0], n))
}

func appendChinese(b []byte, n uint64) []byte {
	switch {
	case n == 0:
		return append(b, "零"...)
	case n >= 1e16:
		return strconv.AppendUint(b, n, 10)
	}
	return appendBelow1e16(b, n)
}

func appendBelow1e16(b []byte, n uint64) []byte {
	if n >= 1e8 {
		hi, lo := n/1e8, n%1e8
		b = append(appendBelow1e16(b, hi), "亿"...)
		if lo > 0 {
			if lo < 1e7 {
				b = append(b, "零"...)
			}
			b = appendBelow1e16(b, lo)
		}
		return b
	}
	if n >= 1e4 {
		hi, lo := n/1e4, n%1e4
		b = append(appendSection(b, hi), "万"...)
		if lo > 0 {
			if lo < 1000 {
				b = append(b, "零"...)
			}
			b = appendSection(b, lo)
		}
		return b
	}
	return appendSection(b, n)
}

// appendSection spells 1..9999.
func appendSection(b []byte, n uint64) []byte {
	started, zero := false, false
	for _, p := range [...]uint64{1000, 100, 10, 1} {
		d := n / p % 10
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b = append(b, "零"...)
			zero = false
		}
		b = append(b, chDigits[d]...)
		if p > 1 {
			b = append(b, unitName(p)...)
		}
		started = true
	}
	return b
}

// parseRMB reads an amount with 角 or 分: 壹元零壹分, 三元五角, 五角.
func parseRMB(s string, mode Mode) (string, *Error) {
	intText, tail := "", s
	if i := strings.LastIndexAny(s, "元圆"); i >= 0 {
		intText = trimRightSpace(s[:i])
		_, size := utf8.DecodeRuneInString(s[i:])
		tail = s[i+size:]
		if intText == "" {
			return "", fail(reasonNoUnitNum)
		}
	}
	if strings.IndexFunc(tail, isSpace) >= 0 {
		return "", fail(reasonSpace)
	}
	digit := func(r rune) (byte, bool) {
		if r >= '0' && r <= '9' {
			return byte(r), true
		}
		d, ok := digitValue(r)
		if (r == '〇' || r == '两' || r == '幺') && mode == Strict {
			return 0, false
		}
		return byte('0' + d), ok
	}
	rs := []rune(tail)
	jiao, fen := byte('0'), byte('0')
	i := 0
	skipZero := func() {
		if i < len(rs) && (rs[i] == '零' || rs[i] == '〇' && mode != Strict) && i+1 < len(rs) && rs[i+1] != '角' && rs[i+1] != '分' {
			i++
		}
	}
	skipZero()
	got := false
	if i+1 < len(rs) && rs[i+1] == '角' {
		d, ok := digit(rs[i])
		if !ok {
			return "", fail("malformed 角/分 amount")
		}
		jiao, i, got = d, i+2, true
		skipZero()
	}
	if i+1 < len(rs) && rs[i+1] == '分' {
		d, ok := digit(rs[i])
		if !ok {
			return "", fail("malformed 角/分 amount")
		}
		fen, i, got = d, i+2, true
	}
	if i != len(rs) || !got {
		return "", fail("malformed 角/分 amount")
	}
	whole := "0"
	if intText != "" {
		var e *Error
		if whole, e = parseNumber(intText, mode); e != nil {
			return "", e
		}
		if strings.Contains(whole, ".") {
			return "", fail("decimal before 角/分")
		}
	}
	return canonicalDigits(whole, string([]byte{jiao, fen})), nil
}
