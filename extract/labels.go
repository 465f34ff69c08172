package extract

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// normText folds a label for comparison: full-width ASCII to ASCII, every
// kind of whitespace removed (line breaks inside labels included), quotes
// removed, brackets unified to ASCII, and 行政规范性文件 folded to 规范性文件.
// Enumerators are kept; see normLabel. Text that needs no folding is
// returned as it is, without a copy.
func normText(s string) string {
	for _, r := range s {
		if normChanges(r) {
			var buf [256]byte
			return string(appendNorm(buf[:0], s))
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
	case r >= 0x3040 && r < 0xFEFF:
		return false // kana, CJK ideographs, Hangul: nothing folds
	case r < 0x3000 && unicode.IsSpace(r):
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

// normRune is what normText makes of one rune; ok is false for a rune it
// drops.
func normRune(r rune) (rune, bool) {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000 || r == 0x00A0 || r == 0x200B || r == 0xFEFF:
		return 0, false
	}
	if r <= 0x3000 && unicode.IsSpace(r) {
		return 0, false
	}
	switch r {
	case '“', '”', '"', '「', '」', '‘', '’', '\'', '『', '』', '《', '》':
		return 0, false
	case '〔', '【', '［':
		r = '('
	case '〕', '】', '］':
		r = ')'
	case '．':
		r = '.'
	case '—', '–', '−':
		r = '-'
	}
	return r, true
}

// appendNorm appends normText(s) to dst.
func appendNorm(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !normChanges(rune(c)) {
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !normChanges(r) {
			dst = append(dst, s[i:i+n]...)
		} else if r, ok := normRune(r); ok {
			dst = utf8.AppendRune(dst, r)
		}
		i += n
	}
	if seg := dst[start:]; bytes.Contains(seg, []byte("行政规范性文件")) {
		dst = append(dst[:start], bytes.ReplaceAll(seg, []byte("行政规范性文件"), []byte("规范性文件"))...)
	}
	return dst
}

// firstNormRune is the first rune of normText(s), or -1 when it is empty.
func firstNormRune(s string) rune {
	for _, r := range s {
		if r, ok := normRune(r); ok {
			return r
		}
	}
	return -1
}

// containsFolded reports whether normText(s) contains w, a word of runes
// that normText neither drops nor rewrites, other than 规范性文件 (which
// folding can make out of 行政规范性文件).
func containsFolded(s, w string) bool {
	first, n := utf8.DecodeRuneInString(w)
	for i := 0; i < len(s); {
		j := strings.IndexRune(s[i:], first)
		if j < 0 {
			return false
		}
		i += j + n
		// Match the rest of w from i, passing over what normText drops.
		k, rest := i, w[n:]
		for rest != "" && k < len(s) {
			r, size := utf8.DecodeRuneInString(s[k:])
			k += size
			if _, ok := normRune(r); !ok {
				continue
			}
			want, wn := utf8.DecodeRuneInString(rest)
			if r != want {
				break
			}
			rest = rest[wn:]
		}
		if rest == "" {
			return true
		}
	}
	return false
}

// normLonger reports whether normText(s) has more than limit runes,
// without building it when the count alone tells.
func normLonger(s string, limit int) bool {
	// Each 行政规范性文件 folded takes 2 runes off 7: the result keeps at
	// least 5/7 of the runes normRune keeps.
	stop := limit*7/5 + 1
	kept := 0
	for _, r := range s {
		if _, ok := normRune(r); ok {
			kept++
			if kept > stop {
				return true
			}
		}
	}
	if kept <= limit {
		return false
	}
	return utf8.RuneCountInString(normText(s)) > limit
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
func normLabel(s string) string { return labelCore(normText(s)) }

// labelCore is normLabel on text already folded by normText.
func labelCore(t string) string {
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
	if len(labels) == 0 {
		return match{}
	}
	if len(t) > fuzzyCacheText {
		return matchFuzzy(t, labels)
	}
	key := fuzzyKey{&labels[0], len(labels), t}
	if v, ok := fuzzyCache.m.Load(key); ok {
		return v.(match)
	}
	m := matchFuzzy(t, labels)
	if fuzzyCache.n.Load() < fuzzyCacheMax && fuzzyCache.n.Add(1) <= fuzzyCacheMax {
		key.t = strings.Clone(t) // t may be a slice of a whole document's text
		fuzzyCache.m.Store(key, m)
	}
	return m
}

// fuzzyCache remembers the outcome of fuzzy matching across documents:
// reports print the same few label variants again and again. It is
// bounded (at most fuzzyCacheMax texts of at most fuzzyCacheText bytes);
// once full, further texts are matched without being kept.
var fuzzyCache struct {
	m sync.Map // fuzzyKey → match
	n atomic.Int64
}

const (
	fuzzyCacheMax  = 1 << 14
	fuzzyCacheText = 192
)

// fuzzyKey names a label set by its first element and length.
type fuzzyKey struct {
	set *label
	n   int
	t   string
}

// matchFuzzy is the similarity stage of matchLabel.
func matchFuzzy(t string, labels []label) match {
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
	switch {
	case r < 0x80:
		return r == ' ' || r >= '\t' && r <= '\r'
	case r > 0x3000:
		return r == 0xFEFF // Unicode has no White_Space above U+3000
	}
	return unicode.IsSpace(r) || r == 0x3000 || r == 0x00A0 || r == 0x200B
}
