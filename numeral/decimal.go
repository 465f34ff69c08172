package numeral

import (
	"math/big"
	"strings"
)

// Exact decimal arithmetic on canonical text, for unit conversion and sums
// of table columns. A decimal is held as an integer and a count of digits
// after the point; nothing goes through floating point.

type decimal struct {
	u     big.Int // the digits, signed
	scale int     // digits after the point
}

// maxDecimalLen bounds the text Add, Cmp, Shift and Canonical read, and
// maxShift the power of ten Shift applies; cells are never near either.
const (
	maxDecimalLen = 4096
	maxShift      = 4096
)

// parseDecimal reads a plain decimal: an optional sign, digits, and an
// optional point followed by digits. No separators, no exponent.
func parseDecimal(s string) (*decimal, error) {
	bad := &Error{Input: s, Reason: "not a plain decimal"}
	if len(s) > maxDecimalLen {
		return nil, &Error{Input: strings.ToValidUTF8(s[:32], "") + "…", Reason: "decimal too long"}
	}
	t := s
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intDigits, frac, point := strings.Cut(t, ".")
	if !allASCIIDigits(intDigits) || point && !allASCIIDigits(frac) {
		return nil, bad
	}
	d := new(decimal)
	if _, ok := d.u.SetString(intDigits+frac, 10); !ok {
		return nil, bad
	}
	d.scale = len(frac)
	if neg {
		d.u.Neg(&d.u)
	}
	return d, nil
}

// String is the canonical text.
func (d *decimal) String() string {
	neg := d.u.Sign() < 0
	var a big.Int
	digits := a.Abs(&d.u).String()
	if d.scale <= 0 {
		if digits != "0" && d.scale < 0 {
			digits += strings.Repeat("0", -d.scale)
		}
		return withSign(neg, digits)
	}
	if len(digits) <= d.scale {
		digits = strings.Repeat("0", d.scale-len(digits)+1) + digits
	}
	cut := len(digits) - d.scale
	return withSign(neg, canonicalDigits(digits[:cut], digits[cut:]))
}

// align brings a and b to the same scale.
func align(a, b *decimal) {
	for _, p := range [2][2]*decimal{{a, b}, {b, a}} {
		x, y := p[0], p[1]
		if x.scale < y.scale {
			var m big.Int
			m.Exp(big.NewInt(10), big.NewInt(int64(y.scale-x.scale)), nil)
			x.u.Mul(&x.u, &m)
			x.scale = y.scale
		}
	}
}

// Canonical reads a plain decimal and writes it canonically:
// "007.50" is "7.5", "-0" is "0", "+3" is "3".
func Canonical(s string) (string, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

// Add returns a+b exactly.
func Add(a, b string) (string, error) { return Sum(a, b) }

// Sum returns the exact sum of plain decimals; the sum of none is "0".
func Sum(xs ...string) (string, error) {
	acc := new(decimal)
	for _, x := range xs {
		d, err := parseDecimal(x)
		if err != nil {
			return "", err
		}
		align(acc, d)
		acc.u.Add(&acc.u, &d.u)
	}
	return acc.String(), nil
}

// Cmp compares two plain decimals: -1 if a < b, 0 if equal, +1 if a > b.
func Cmp(a, b string) (int, error) {
	x, err := parseDecimal(a)
	if err != nil {
		return 0, err
	}
	y, err := parseDecimal(b)
	if err != nil {
		return 0, err
	}
	align(x, y)
	return x.u.Cmp(&y.u), nil
}

// Shift multiplies a plain decimal by 10^pow10 exactly:
// Shift("251000", -4) is "25.1", Shift("3.6", 4) is "36000".
func Shift(a string, pow10 int) (string, error) {
	if pow10 > maxShift || pow10 < -maxShift {
		return "", &Error{Input: a, Reason: "shift out of range"}
	}
	d, err := parseDecimal(a)
	if err != nil {
		return "", err
	}
	d.scale -= pow10
	return d.String(), nil
}

// IsDecimal reports whether s is a plain decimal as records hold them: an
// optional minus, digits, and an optional point followed by digits ("12",
// "-3", "7730.28"). No plus sign, separators, exponent or spaces. This is
// the one test of that form the stores and exporters use.
func IsDecimal(s string) bool {
	intDigits, frac, point := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	return allASCIIDigits(intDigits) && (!point || allASCIIDigits(frac))
}

// Total adds plain decimals exactly, one at a time, for sums over many
// records; the zero Total is "0".
type Total struct {
	acc decimal
}

// Add adds s, which must pass IsDecimal.
func (t *Total) Add(s string) error {
	if !IsDecimal(s) {
		return &Error{Input: s, Reason: "not a plain decimal"}
	}
	d, err := parseDecimal(s)
	if err != nil {
		return err
	}
	align(&t.acc, d)
	t.acc.u.Add(&t.acc.u, &d.u)
	return nil
}

// String is the sum in canonical form.
func (t *Total) String() string { return t.acc.String() }

// TrimLeadingZeros drops leading zeros of a run of digits, keeping at
// least one digit: "007" is "7", "000" is "0".
func TrimLeadingZeros(s string) string { return trimLeadingZeros(s) }
