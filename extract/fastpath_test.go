package extract

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
)

// The fast paths of label folding and matching must give exactly what
// the plain definitions give. These are those definitions.

func refNormText(s string) string {
	var b strings.Builder
	for _, r := range s {
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
	return strings.ReplaceAll(b.String(), "行政规范性文件", "规范性文件")
}

func refIsSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x3000 || r == 0x00A0 || r == 0x200B || r == 0xFEFF
}

func refCleanRaw(s string) string { return strings.Join(strings.FieldsFunc(s, refIsSpace), " ") }

// refMatch is matchLabel comparing every candidate in full.
func refMatch(t string, labels []label) match {
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
	best, second := 0.0, 0.0
	bestID := ""
	for _, l := range labels {
		s := 0.0
		for _, x := range l.texts {
			if v := similarity(t, x); v > s {
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

// TestFoldingEveryRune folds every rune between two letters, and a few
// strings around 行政规范性文件 and invalid UTF-8, both ways.
func TestFoldingEveryRune(t *testing.T) {
	check := func(s string) {
		t.Helper()
		want := refNormText(s)
		if got := normText(s); got != want {
			t.Fatalf("normText(%q) = %q, want %q", s, got, want)
		}
		if got := string(appendNorm([]byte("x"), s)); got != "x"+want {
			t.Fatalf("appendNorm(%q) = %q, want %q", s, got, "x"+want)
		}
		if got := cleanRaw(s); got != refCleanRaw(s) {
			t.Fatalf("cleanRaw(%q) = %q, want %q", s, got, refCleanRaw(s))
		}
		n := len([]rune(want))
		for _, lim := range []int{0, 1, 3, 5, 40} {
			if got := normLonger(s, lim); got != (n > lim) {
				t.Fatalf("normLonger(%q, %d) = %v, folded text has %d runes", s, lim, got, n)
			}
		}
		first := rune(-1)
		for _, r := range want {
			first = r
			break
		}
		if strings.ContainsRune("一二三四五六七八九十", first) != strings.ContainsRune("一二三四五六七八九十", firstNormRune(s)) {
			t.Fatalf("firstNormRune(%q) = %q, folded text starts with %q", s, firstNormRune(s), first)
		}
		if got := containsFolded(s, "统计期限"); got != strings.Contains(want, "统计期限") {
			t.Fatalf("containsFolded(%q) = %v", s, got)
		}
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if isSpace(r) != refIsSpace(r) {
			t.Fatalf("isSpace(%U) = %v", r, isSpace(r))
		}
		if r < 0x20000 {
			check("a" + string(r) + "b")
		}
	}
	for _, s := range []string{"", " ", "\xff\xfe行政规范性文件", "行政 规范性文件行政规范性文件", "ab\xe4\xb8",
		"\xed\xa0\x80x", "（一）行政规范性文件", "行政规范性\u3000文件", "统 计\u3000期“限”为2024年", "统统计期限",
		"统计期间统计期限", "统计\xff期限", "　一、总体情况", "“一、”总体情况", "行政规范性文件一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九"} {
		check(s)
	}
}

// TestMatchLabelPruned compares matchLabel, which skips candidates by
// bounds and caches outcomes, with refMatch on label texts garbled at
// random.
func TestMatchLabelPruned(t *testing.T) {
	sets := [][]label{t2RowLabels, t2ColLabels, t4Leaves, t3ColLabels, t3Top, t3Groups}
	for _, g := range []string{"denied", "unavailable", "not_processed", "other"} {
		sets = append(sets, t3Subs[g])
	}
	var texts []string
	for _, s := range sets {
		for _, l := range s {
			texts = append(texts, l.texts...)
		}
	}
	pool := []rune("一二三四五六七八九十()、.:0123456789 件元万自然人商业企业科研机构社会公益组织法律服务其他总计合予以公开部分不无法提供处理本年新收上结转下度办理结果属于国家秘密政府信息行政复议诉讼维持纠正尚未审规章许可制发废止现有效减增-/%,“”")
	r := rand.New(rand.NewSource(1))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	fuzzy := 0
	for i := 0; i < n; i++ {
		rs := []rune(texts[r.Intn(len(texts))])
		if r.Intn(4) == 0 {
			rs = append(rs, []rune(texts[r.Intn(len(texts))])...)
		}
		for k := r.Intn(5); k > 0; k-- {
			j := r.Intn(len(rs) + 1)
			switch r.Intn(4) {
			case 0: // delete
				if j < len(rs) {
					rs = append(rs[:j], rs[j+1:]...)
				}
			case 1: // replace
				if j < len(rs) {
					rs[j] = pool[r.Intn(len(pool))]
				}
			case 2: // insert
				rs = append(rs[:j], append([]rune{pool[r.Intn(len(pool))]}, rs[j:]...)...)
			default: // cut
				rs = rs[:j]
			}
		}
		s := normLabel(string(rs))
		for _, set := range sets {
			want := refMatch(s, set)
			if want.fuzzy {
				fuzzy++
			}
			// Twice: the second answer may come from the cache.
			for k := 0; k < 2; k++ {
				if got := matchLabel(s, set); got != want {
					t.Fatalf("matchLabel(%q) = %+v, want %+v", s, got, want)
				}
			}
		}
	}
	if fuzzy == 0 {
		t.Fatal("no fuzzy match among the texts tried")
	}
}
