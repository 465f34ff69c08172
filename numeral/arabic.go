package numeral

import (
	"strings"
	"unicode/utf8"
)

// strictMags are the magnitudes Arabic numbers take in every mode
// (3.6万, 12.5万亿); lenientMags add 十/百/千 and their compounds (5千).
var (
	strictMags  = map[string]int{"万": 4, "亿": 8, "万亿": 12}
	lenientMags = map[string]int{
		"十": 1, "百": 2, "千": 3, "十万": 5, "百万": 6, "千万": 7,
		"十亿": 9, "百亿": 10, "千亿": 11,
	}
)

// scanArabic reads digits with optional thousands separators and an
// optional decimal part from the start of s. It returns the integer and
// fraction digits and the number of bytes read.
func scanArabic(s string) (intDigits, frac string, n int, e *Error) {
	j := 0
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == 0 {
		if j < len(s) && s[j] == '.' {
			return "", "", 0, fail(reasonNoInt)
		}
		return "", "", 0, fail(reasonGrouping)
	}
	intDigits = s[:j]
	if j < len(s) && s[j] == ',' {
		if j > 3 {
			return "", "", 0, fail(reasonGrouping)
		}
		var b strings.Builder
		b.WriteString(s[:j])
		for j < len(s) && s[j] == ',' {
			j++
			k := j
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j-k != 3 {
				return "", "", 0, fail(reasonGrouping)
			}
			b.WriteString(s[k:j])
		}
		intDigits = b.String()
	}
	if j < len(s) && s[j] == '.' {
		j++
		k := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j == k {
			return "", "", 0, fail(reasonNoFrac)
		}
		frac = s[k:j]
		if j < len(s) && s[j] == '.' {
			return "", "", 0, fail(reasonTwoPoints)
		}
		if j < len(s) && s[j] == ',' {
			return "", "", 0, fail(reasonGrouping)
		}
	}
	return intDigits, frac, j, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseArabicLed reads a number that starts with an Arabic digit: a plain
// decimal, optionally with a magnitude, or in lenient mode a mixed form.
func parseArabicLed(s string, mode Mode) (string, *Error) {
	intDigits, frac, n, e := scanArabic(s)
	if e != nil {
		return "", e
	}
	rest := s[n:]
	if rest == "" {
		return canonicalDigits(intDigits, frac), nil
	}
	if rest[0] == 'e' || rest[0] == 'E' {
		return "", fail("exponent not allowed")
	}
	if p, ok := strictMags[rest]; ok {
		return shiftDigits(intDigits, frac, p), nil
	}
	if doubledMagnitude(rest) {
		return "", fail(reasonDoubledMag)
	}
	if p, ok := lenientMags[rest]; ok {
		if mode != Lenient {
			return "", fail("Arabic with 十/百/千 (lenient)")
		}
		if len(intDigits) != 1 {
			return "", fail("Arabic number before 十/百/千 too large")
		}
		return shiftDigits(intDigits, frac, p), nil
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if !numeralRune(r) || r == '.' || r == ',' {
		return "", failf("unexpected character %q", string(r))
	}
	if mode != Lenient {
		return "", fail("mixed Arabic and Chinese numerals (lenient)")
	}
	if frac != "" || len(intDigits) != n {
		return "", fail("decimal or separator in a mixed number")
	}
	return parseChineseLed(s, mode)
}

// doubledMagnitude reports a magnitude sequence such as 万万, 亿万 or 亿亿
// at the start of s.
func doubledMagnitude(s string) bool {
	return strings.HasPrefix(s, "万万") || strings.HasPrefix(s, "亿亿") ||
		strings.HasPrefix(s, "亿万") || strings.HasPrefix(s, "万亿万") || strings.HasPrefix(s, "万亿亿")
}

// trimLeadingZeros keeps at least one digit.
func trimLeadingZeros(s string) string {
	i := 0
	for i < len(s)-1 && s[i] == '0' {
		i++
	}
	return s[i:]
}

// canonicalDigits joins integer and fraction digits into a canonical
// non-negative decimal: no leading zeros (but 0.5), no trailing zeros.
func canonicalDigits(intDigits, frac string) string {
	if intDigits == "" {
		intDigits = "0"
	}
	intDigits = trimLeadingZeros(intDigits)
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intDigits
	}
	return intDigits + "." + frac
}

// shiftDigits multiplies intDigits.frac by 10^p (p >= 0) and returns the
// canonical result.
func shiftDigits(intDigits, frac string, p int) string {
	if p <= len(frac) {
		return canonicalDigits(intDigits+frac[:p], frac[p:])
	}
	return canonicalDigits(intDigits+frac+strings.Repeat("0", p-len(frac)), "")
}
