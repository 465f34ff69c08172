package extract

import (
	"errors"
	"fmt"
	"strings"

	"ogi/numeral"
)

// colUnit is what a value column holds.
type colUnit int

const (
	unitCount   colUnit = iota // 件, 项: whole non-negative numbers
	unitChange                 // 本年增/减: whole numbers, may be negative, 减 allowed
	unitWanYuan                // money in 万元
	unitYuan                   // money in a column whose header says 元; recorded in 万元
)

// countUnits are the unit suffixes a count cell may carry.
var countUnits = map[string]bool{"": true, "件": true, "个": true, "人": true, "项": true, "次": true,
	"人次": true, "户": true, "家": true, "条": true, "起": true, "份": true, "名": true, "所": true}

// errUnit and friends are the reasons a parsed numeral does not fit its column.
var (
	errPercent  = errors.New("a percentage or fraction is not a count")
	errFraction = errors.New("not a whole number")
	errNegative = errors.New("negative count")
)

// cellResult is one value cell read: Value nil means blank (null).
type cellResult struct {
	Value   *Number
	Lenient bool  // accepted only by the lenient reading
	Err     error // wraps ErrNumeral when the cell is not a number
}

// readCell turns one value cell into a number for a column of the given
// unit. It never corrects a number: what cannot be read exactly is an error.
func readCell(text string, u colUnit) cellResult {
	opt := numeral.Options{Mode: numeral.Strict, AllowJian: u == unitChange}
	v, err := numeral.Parse(text, opt)
	lenient := false
	if err != nil {
		opt.Mode = numeral.Lenient
		v2, err2 := numeral.Parse(text, opt)
		if err2 != nil {
			return cellResult{Err: wrapNumeral(text, err)}
		}
		v, lenient = v2, true
	}
	if v.Empty {
		return cellResult{Lenient: lenient}
	}
	s := v.Text
	if v.Kind != numeral.Number || strings.ContainsAny(s, "%‰‱/") {
		return cellResult{Err: numeralErr(text, errPercent)}
	}
	switch u {
	case unitYuan:
		if v.Unit != "" && v.Unit != "元" && v.Unit != "圆" && v.Unit != "元整" && v.Unit != "圆整" {
			return cellResult{Err: numeralErr(text, fmt.Errorf("unit %s in a 元 column", v.Unit))}
		}
		x, err := numeral.Shift(s, -4)
		if err != nil {
			return cellResult{Err: wrapNumeral(text, err)}
		}
		s = x
	case unitWanYuan:
		switch {
		case v.Unit == "元" || v.Unit == "圆" || v.Unit == "元整" || v.Unit == "圆整":
			// Parse expands 3.6万元 to 36000 元: back to 万元.
			x, err := numeral.Shift(s, -4)
			if err != nil {
				return cellResult{Err: wrapNumeral(text, err)}
			}
			s = x
		case v.Unit == "" && hasWanSuffix(text):
			// "3.6万" in a 万元 column: the magnitude was expanded.
			x, err := numeral.Shift(s, -4)
			if err != nil {
				return cellResult{Err: wrapNumeral(text, err)}
			}
			s = x
		case v.Unit == "":
			// a bare number in a 万元 column is 万元
		default:
			return cellResult{Err: numeralErr(text, fmt.Errorf("unit %s in a 万元 column", v.Unit))}
		}
	default:
		if !countUnits[v.Unit] {
			return cellResult{Err: numeralErr(text, fmt.Errorf("unit %s in a count column", v.Unit))}
		}
		if strings.Contains(s, ".") {
			return cellResult{Err: numeralErr(text, errFraction)}
		}
		if u == unitCount && strings.HasPrefix(s, "-") {
			return cellResult{Err: numeralErr(text, errNegative)}
		}
	}
	n := Number(s)
	return cellResult{Value: &n, Lenient: lenient}
}

// plainDigits returns a cell's text trimmed of whitespace when it is
// nothing but ASCII digits: a plain whole number that numeral.Parse reads
// strictly, without unit, as the digits without their leading zeros.
func plainDigits(text string) (string, bool) {
	t := strings.TrimFunc(text, numeral.IsSpace)
	if t == "" {
		return "", false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return "", false
		}
	}
	return t, true
}

// hasWanSuffix reports whether a cell's text ends in the magnitude 万 with
// no unit after it (3.6万).
func hasWanSuffix(text string) bool {
	t := strings.TrimFunc(text, isSpace)
	return strings.HasSuffix(t, "万") || strings.HasSuffix(t, "萬")
}

// wrapNumeral passes on an error of the numeral package (it names the
// text and wraps ErrNumeral); numeralErr makes one for a number that does
// not fit its column.
func wrapNumeral(text string, err error) error {
	var ne *numeral.Error
	if errors.As(err, &ne) {
		return err
	}
	return &numeral.Error{Input: cleanRaw(text), Reason: err.Error()}
}

func numeralErr(text string, err error) error {
	return &numeral.Error{Input: cleanRaw(text), Reason: err.Error()}
}
