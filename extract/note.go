package extract

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// A value cell sometimes carries a note after its number: 22（其中修订16件）,
// 55（含自然失效29件）, 3（均为同一申请人）. The number before the note is the
// cell's value; the note is kept in raw and named in a warning. A note
// holding another number of the cell's kind that is not a breakdown of it
// (3+2, 5（另有2件）) makes the cell a problem: the value could be 5 or 7,
// and the extractor does not guess.

// errSecondNumber is the reason a cell with two numbers is not read.
var errSecondNumber = errors.New("a second number in the cell (not added, not guessed)")

// splitNote cuts a cell's text into a leading number and the note after
// it. ok is false when the text has no such shape: no bracket, "+" or
// text after a leading run of Arabic digits.
func splitNote(text string) (head, note string, ok bool) {
	t := strings.TrimFunc(text, isSpace)
	if i := strings.IndexAny(t, "（(【[〔"); i > 0 {
		return strings.TrimFunc(t[:i], isSpace), t[i:], true
	}
	// Arabic digits, an optional count unit, then anything that is not a
	// digit: 3+2, 3 均为同一申请人, 5件另有2件.
	j := 0
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == 0 || j == len(t) {
		return "", "", false
	}
	k := j
	for u := range countUnits {
		if u != "" && strings.HasPrefix(t[j:], u) && j+len(u) > k {
			k = j + len(u)
		}
	}
	if k == len(t) {
		return "", "", false
	}
	r, _ := utf8.DecodeRuneInString(t[k:])
	if r == '.' || r == ',' || r == '，' || numeralRune(r) {
		return "", "", false // 1.5, 1,234, 3万: a number, not a note
	}
	return t[:k], strings.TrimFunc(t[k:], isSpace), true
}

// numeralRune is a rune that continues a number.
func numeralRune(r rune) bool {
	return r >= '0' && r <= '9' || strings.ContainsRune("零〇一二两三四五六七八九十百千万亿点廿卅卌幺壹贰叁肆伍陆柒捌玖拾佰仟", r)
}

// breakdownWords open a note that details the number before it: the note's
// numbers are part of the value, not added to it.
var breakdownWords = []string{"其中", "含", "包括", "包含", "内含", "主要为", "主要是"}

// exclusionWords open a note whose numbers lie outside the value: whether
// they belong in the cell cannot be told.
var exclusionWords = []string{"不含", "未含", "不包括", "未包括", "除", "另", "又", "外加", "加", "及", "和", "+", "＋"}

// sameKindNumber reports whether a note holds a number counted like the
// cell's value: Arabic digits, or a Chinese numeral, with no unit or a
// count unit (件, 个, 项 …). Numbers of people (人, 名) in a count of
// requests are another kind and so are ordinals (第一) and words such as
// 同一 or 统一 that only look like numerals.
func sameKindNumber(note string) bool {
	rs := []rune(note)
	for i := 0; i < len(rs); i++ {
		if !numeralRune(rs[i]) || rs[i] == '点' {
			continue
		}
		j := i
		for j < len(rs) && (numeralRune(rs[j]) || rs[j] == '.' || rs[j] == ',') {
			j++
		}
		arabic := rs[i] >= '0' && rs[i] <= '9'
		if !arabic {
			if i > 0 && strings.ContainsRune("同统唯单之第逐万亿初", rs[i-1]) {
				i = j
				continue
			}
		}
		unit := ""
		if j < len(rs) {
			unit = string(rs[j])
			if j+1 < len(rs) && string(rs[j:j+2]) == "人次" {
				unit = "人次"
			}
		}
		switch unit {
		case "件", "项", "个", "次", "条", "起", "份":
			return true
		case "人", "名", "人次", "户", "家", "所":
			// another kind of count
		default:
			if arabic {
				return true
			}
		}
		i = j
	}
	return false
}

// readNoted reads a cell whose text is a number followed by a note. ok is
// false when the text has no note to split off, or the part before it is
// not a number: the caller then reports the cell as it would any other.
func readNoted(text string, u colUnit) (res cellResult, note string, ok bool) {
	head, note, ok := splitNote(text)
	if !ok || head == "" {
		return cellResult{}, "", false
	}
	res = readCell(head, u)
	if res.Err != nil || res.Value == nil {
		return cellResult{}, "", false
	}
	body := strings.Trim(note, "（）()【】[]〔〕 \u3000")
	if strings.HasPrefix(note, "+") || strings.HasPrefix(note, "＋") {
		return cellResult{Err: numeralErr(text, errSecondNumber)}, note, true
	}
	if sameKindNumber(body) {
		breakdown := false
		for _, w := range breakdownWords {
			if strings.HasPrefix(body, w) {
				breakdown = true
			}
		}
		for _, w := range exclusionWords {
			if strings.HasPrefix(body, w) || w == "不含" && strings.Contains(body, w) || w == "不包括" && strings.Contains(body, w) {
				breakdown = false
			}
		}
		if !breakdown {
			return cellResult{Err: numeralErr(text, fmt.Errorf("%w: note %q", errSecondNumber, note))}, note, true
		}
	}
	return res, note, true
}
