package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normText folds a label for comparison: full-width ASCII to ASCII, every
// kind of whitespace removed (line breaks inside labels included), quotes
// removed, brackets unified to ASCII, and 行政规范性文件 folded to 规范性文件.
// Enumerators are kept; see normLabel. Text that needs no folding is
// returned as it is, without a copy.
func normText(s string) string {
	for i, r := range s {
		if normChanges(r) {
			return normSlow(s, i)
		}
	}
	if strings.Contains(s, "行政规范性文件") {
		return strings.ReplaceAll(s, "行政规范性文件", "规范性文件")
	}
	return s
}

// normChanges reports whether normText drops or rewrites r. An invalid
// byte decodes as utf8.RuneError and is rewritten as U+FFFD.
func normChanges(r rune) bool {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E, r == utf8.RuneError:
		return true
	case r < 0x80:
		return r == ' ' || r >= '\t' && r <= '\r' || r == '"' || r == '\''
	case unicode.IsSpace(r):
		return true
	}
	switch r {
	case 0x3000, 0x00A0, 0x200B, 0xFEFF,
		'“', '”', '「', '」', '‘', '’', '『', '』', '《', '》',
		'〔', '【', '［', '〕', '】', '］', '．', '—', '–', '−':
		return true
	}
	return false
}

// normSlow is normText from byte i on, the text before i being unchanged.
func normSlow(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000 || r == 0x00A0 || r == 0x200B || r == 0xFEFF:
			continue
		}
		if unicode.IsSpace(r) {
			continue
		}
		switch r {
		case '“', '”', '"', '「', '」', '‘', '’', '\'', '『', '』', '《', '》':
			continue
		case '〔', '【', '［':
			r = '('
		case '〕', '】', '］':
			r = ')'
		case '．':
			r = '.'
		case '—', '–', '−':
			r = '-'
		}
		b.WriteRune(r)
	}
	out := b.String()
	return strings.ReplaceAll(out, "行政规范性文件", "规范性文件")
}

// enumDigits are the characters an enumerator may be made of.
const enumDigits = "0123456789一二三四五六七八九十〇零"

// splitEnum splits a normalized label into its leading enumerator
// ("一、", "(一)", "(1)", "1.", "1、") and the rest. The enumerator is
// returned as its digits alone ("一", "1"), with ok false when there is none.
func splitEnum(s string) (enum, rest string, ok bool) {
	i := 0
	open := strings.HasPrefix(s, "(")
	if open {
		i = 1
	}
	start := i
	for i < len(s) && i-start < 9 {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(enumDigits, r) {
			break
		}
		i += n
	}
	enum = s[start:i]
	closed := false
	if i < len(s) && s[i] == ')' {
		closed = true
		i++
	}
	sep := false
	if i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '、' || r == '.' || r == ',' || r == ':' || (r == '，' || r == '：') {
			sep = true
			i += n
		}
	}
	switch {
	case i >= len(s):
		return "", s, false
	case open && (closed || enum != ""), closed && enum != "", sep && enum != "":
		// "(一)", "(一" with its bracket lost, "一)", "一、", "1.", and "()"
		// whose digit was lost.
		return enum, s[i:], true
	}
	return "", s, false
}

func allIn(s, set string) bool {
	for _, r := range s {
		if !strings.ContainsRune(set, r) {
			return false
		}
	}
	return s != ""
}

// normLabel is normText with the leading enumerators removed: the core
// words of a label, as compared against the template.
func normLabel(s string) string {
	t := normText(s)
	for k := 0; k < 2; k++ {
		_, rest, ok := splitEnum(t)
		if !ok {
			break
		}
		t = rest
	}
	return strings.TrimRight(t, ":：")
}

// similarity is 2·LCS/(|a|+|b|) over runes: 1 for equal strings, 0 for
// strings with nothing in common.
func similarity(a, b string) float64 {
	return simRunes([]rune(a), []rune(b))
}

func simRunes(ra, rb []rune) float64 {
	if len(ra) == 0 || len(rb) == 0 {
		return 0
	}
	return 2 * float64(lcs(ra, rb)) / float64(len(ra)+len(rb))
}

// lcs is the length of the longest common subsequence of two rune slices.
func lcs(ra, rb []rune) int {
	var buf [2 * 80]int
	var prev, cur []int
	if n := len(rb) + 1; 2*n <= len(buf) {
		prev, cur = buf[:n], buf[n:2*n]
	} else {
		prev, cur = make([]int, n), make([]int, n)
	}
	for i := 1; i <= len(ra); i++ {
		x := ra[i-1]
		for j := 1; j <= len(rb); j++ {
			switch {
			case x == rb[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// commonRunes counts the runes two sorted rune slices share, with
// multiplicity: a bound on their LCS.
func commonRunes(a, b []rune) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// label is one label the template prints, with the id it stands for.
type label struct {
	id    string
	texts []string // normalized forms that match exactly (first is the template's)
	runes [][]rune // texts as runes
	bags  [][]rune // texts' runes sorted, for a quick bound on similarity
}

// match is the outcome of matching printed text against a set of labels.
type match struct {
	id    string
	fuzzy bool    // matched by similarity, not exactly
	score float64 // similarity of the best candidate
}

// Thresholds of fuzzy matching: the best candidate must be at least this
// similar, and this much more similar than the runner-up.
const (
	minSimilarity = 0.72
	minMargin     = 0.08
)

// irrelevant is a similarity below which a candidate can neither win nor
// be a runner-up close enough to block the winner: any winner has at least
// minSimilarity, so it leads such a candidate by more than minMargin.
const irrelevant = minSimilarity - minMargin - 0.04

// matchLabel matches the normalized core text t against labels: an exact
// match first, then the unambiguous best by similarity. The zero match
// means no label fits. Candidates whose similarity is bounded below
// irrelevant (by length and shared runes) are not compared in full: they
// cannot change the outcome.
func matchLabel(t string, labels []label) match {
	if t == "" {
		return match{}
	}
	for _, l := range labels {
		for _, x := range l.texts {
			if t == x {
				return match{id: l.id, score: 1}
			}
		}
	}
	var rbuf, bbuf [64]rune
	rt := rbuf[:0]
	for _, r := range t {
		rt = append(rt, r)
	}
	bag := append(bbuf[:0], rt...)
	slices.Sort(bag)
	best, second := 0.0, 0.0
	bestID := ""
	for _, l := range labels {
		s := 0.0
		for k, xr := range l.runes {
			if len(xr) == 0 {
				continue
			}
			n := float64(len(rt) + len(xr))
			if ub := 2 * float64(min(len(rt), len(xr))) / n; ub < irrelevant || ub <= s {
				continue
			}
			if ub := 2 * float64(commonRunes(bag, l.bags[k])) / n; ub < irrelevant || ub <= s {
				continue
			}
			if v := 2 * float64(lcs(rt, xr)) / n; v > s {
				s = v
			}
		}
		if s > best {
			if l.id != bestID {
				second = best
			}
			best, bestID = s, l.id
		} else if s > second && l.id != bestID {
			second = s
		}
	}
	if best >= minSimilarity && best-second >= minMargin {
		return match{id: bestID, fuzzy: true, score: best}
	}
	return match{}
}

// mkLabels builds a label set from id/text pairs; the texts are normalized
// with normLabel.
func mkLabels(pairs ...string) []label {
	var out []label
	for i := 0; i+1 < len(pairs); i += 2 {
		l := label{id: pairs[i]}
		for _, t := range strings.Split(pairs[i+1], "|") {
			n := normLabel(t)
			r := []rune(n)
			bag := slices.Clone(r)
			slices.Sort(bag)
			l.texts = append(l.texts, n)
			l.runes = append(l.runes, r)
			l.bags = append(l.bags, bag)
		}
		out = append(out, l)
	}
	return out
}

// cleanRaw whitespace-normalizes a cell's text for Record.Raw: trimmed,
// every run of whitespace (U+3000 and NBSP included) collapsed to one space.
func cleanRaw(s string) string {
	if strings.IndexFunc(s, isSpace) < 0 {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x3000 || r == 0x00A0 || r == 0x200B || r == 0xFEFF
}
