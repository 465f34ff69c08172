package extract

import (
	"strings"
	"unicode/utf8"

	"ogi/parser"
)

// item is one paragraph or table of the document in reading order, with
// layout tables (tables that only wrap other tables) opened up.
type item struct {
	para  string
	table *parser.Table
	isTab bool
}

// flatten lists the document's paragraphs and tables in order. A table
// whose cells hold nested tables is a layout table: its cell text becomes
// paragraphs and its nested tables are listed in turn.
func flatten(doc *parser.Document) []item {
	out := make([]item, 0, len(doc.Blocks))
	for _, b := range doc.Blocks {
		switch {
		case b.Para != nil:
			out = append(out, item{para: b.Para.Text})
		case b.Table != nil:
			out = flattenTable(out, b.Table, 0)
		}
	}
	return out
}

func flattenTable(out []item, t *parser.Table, depth int) []item {
	nested := false
rows:
	for _, row := range t.Rows {
		for _, c := range row {
			if len(c.Tables) > 0 {
				nested = true
				break rows
			}
		}
	}
	if !nested || depth > 16 {
		return append(out, item{table: t, isTab: true})
	}
	// A statistical table with a stray nested table inside stays a table.
	if k, _ := classify(t); k != 0 {
		return append(out, item{table: t, isTab: true})
	}
	for _, c := range t.Cells() {
		for _, line := range strings.Split(c.Text, "\n") {
			out = append(out, item{para: line})
		}
		for _, nt := range c.Tables {
			out = flattenTable(out, nt, depth+1)
		}
	}
	return out
}

// Words that mark each table's content. A table belongs to the kind whose
// words it holds most of.
var tableWords = map[int][]string{
	2: {"第二十条", "信息内容", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
		"本年制发件数", "本年废止件数", "现行有效件数", "处理决定数量", "本年收费金额", "本年新制作数量",
		"本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购", "采购项目数量", "采购总金额"},
	3: {"申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
		"本年新收", "上年结转", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理",
		"结转下年度", "国家秘密", "信访举报投诉", "重复申请"},
	4: {"行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉"},
}

// tableWordList is tableWords as one list, with each word's kind.
var tableWordList = func() (out []kindWord) {
	for _, k := range []int{2, 3, 4} {
		for _, w := range tableWords[k] {
			out = append(out, kindWord{k, w})
		}
	}
	return out
}()

type kindWord struct {
	kind int
	word string
}

// wordsByFirst indexes tableWordList by the first rune of each word, and
// firstRunes marks those runes (all in the BMP).
var wordsByFirst, firstRunes = func() (map[rune][]int, *[1024]uint64) {
	if len(tableWordList) > 64 {
		panic("more than 64 table words")
	}
	m := map[rune][]int{}
	var set [1024]uint64
	for i, kw := range tableWordList {
		r, _ := utf8.DecodeRuneInString(kw.word)
		if r >= 0x10000 {
			panic("table word outside the BMP: " + kw.word)
		}
		m[r] = append(m[r], i)
		set[r>>6] |= 1 << (r & 63)
	}
	return m, &set
}()

// tableText appends the normalized texts of a table's cells to dst, each
// followed by sep when sep is not 0.
func tableText(dst []byte, t *parser.Table, sep byte) []byte {
	for _, row := range t.Rows {
		for _, c := range row {
			dst = appendNorm(dst, c.Text)
			if sep != 0 {
				dst = append(dst, sep)
			}
		}
	}
	return dst
}

// classify returns the table kind (2, 3, 4; 0 for none) and how many of
// its words the table holds.
func classify(t *parser.Table) (kind, score int) {
	var buf [4096]byte
	text := tableText(buf[:0], t, '|')
	// Every word found, in one pass: a word starts where a rune does, and
	// the text is valid UTF-8 (appendNorm writes U+FFFD for bad bytes).
	var found [64]bool
	for i := 0; i < len(text); i++ {
		if text[i] < 0xE0 || text[i] >= 0xF0 {
			continue
		}
		r, _ := utf8.DecodeRune(text[i:])
		if firstRunes[r>>6]&(1<<(r&63)) == 0 {
			continue
		}
		for _, w := range wordsByFirst[r] {
			if !found[w] && hasPrefix(text[i:], tableWordList[w].word) {
				found[w] = true
			}
		}
	}
	var counts [5]int
	for w, ok := range found[:len(tableWordList)] {
		if ok {
			counts[tableWordList[w].kind]++
		}
	}
	best, second := 0, 0
	for _, k := range []int{2, 3, 4} {
		n := counts[k]
		if n > best {
			second, best, kind = best, n, k
		} else if n > second {
			second = n
		}
	}
	if best < 2 || best == second {
		return 0, best
	}
	return kind, best
}

func hasPrefix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[:len(s)]) == s
}

// hasHeader reports whether a table of the given kind prints its header
// (as opposed to being the continuation of a table split at a page break).
func hasHeader(t *parser.Table, kind int) bool {
	var buf [4096]byte
	text := string(tableText(buf[:0], t, 0))
	switch kind {
	case 3:
		return strings.Contains(text, "自然人") || strings.Contains(text, "申请人情况")
	case 4:
		return strings.Contains(text, "结果维持") || strings.Contains(text, "行政复议")
	}
	return true
}

// t2part is one piece of table 2: a table, or a caption paragraph
// (第二十条第（一）项) printed between the pieces.
type t2part struct {
	caption string
	table   *parser.Table
}

// located says where the tables are; nil when not found.
type located struct {
	t2        []t2part
	t3, t4    *parser.Table
	t3Joined  bool // table 3 was printed in pieces and joined
	t4Joined  bool
	extraT3T4 int // further tables 3/4 ignored
}

// locate finds tables 2, 3 and 4 by content. Consecutive pieces with
// nothing but blank paragraphs between them are joined when the second
// repeats no header.
func locate(items []item) located {
	var loc located
	kinds := make([]int, len(items))
	for i, it := range items {
		if it.isTab {
			kinds[i], _ = classify(it.table)
		}
	}
	last := -1      // index of the last table taken
	lastKind := 0   // its kind
	t2open := false // table 2 pieces are still being collected
	for i, it := range items {
		if !it.isTab {
			if t2open {
				if p := normText(it.para); strings.Contains(p, "第二十条") && utf8.RuneCountInString(p) < 20 {
					loc.t2 = append(loc.t2, t2part{caption: it.para})
				}
			}
			continue
		}
		k := kinds[i]
		adjacent := last >= 0 && onlyBlankBetween(items, last, i)
		// A headless piece right after table 3 or 4 continues it.
		if adjacent && (lastKind == 3 || lastKind == 4) && (k == 0 || k == lastKind) && !hasHeader(it.table, lastKind) {
			if lastKind == 3 {
				loc.t3 = join(loc.t3, it.table)
				loc.t3Joined = true
			} else {
				loc.t4 = join(loc.t4, it.table)
				loc.t4Joined = true
			}
			last = i
			continue
		}
		switch k {
		case 2:
			if loc.t3 == nil && loc.t4 == nil || t2open {
				loc.t2 = append(loc.t2, t2part{table: it.table})
				t2open = true
			}
		case 3:
			t2open = false
			if loc.t3 != nil && adjacent && lastKind == 3 {
				// The second piece of a split table that repeats the header.
				if rest := dropT3Header(it.table); rest != nil {
					loc.t3 = join(loc.t3, rest)
					loc.t3Joined = true
					last = i
					continue
				}
			}
			if loc.t3 != nil {
				loc.extraT3T4++
				continue
			}
			loc.t3 = it.table
		case 4:
			t2open = false
			if loc.t4 != nil {
				loc.extraT3T4++
				continue
			}
			loc.t4 = it.table
		default:
			continue
		}
		last, lastKind = i, k
	}
	// A caption paragraph after the last table piece belongs to nothing.
	for len(loc.t2) > 0 && loc.t2[len(loc.t2)-1].table == nil {
		loc.t2 = loc.t2[:len(loc.t2)-1]
	}
	return loc
}

func onlyBlankBetween(items []item, a, b int) bool {
	for k := a + 1; k < b; k++ {
		if items[k].isTab || strings.TrimFunc(items[k].para, isSpace) != "" {
			return false
		}
	}
	return true
}

// join appends the rows of b below a. When b has fewer grid columns, it
// is aligned right: the value columns are the last ones.
func join(a, b *parser.Table) *parser.Table {
	shift := 0
	if b.NumCols < a.NumCols {
		shift = a.NumCols - b.NumCols
	}
	out := &parser.Table{NumRows: a.NumRows + b.NumRows, NumCols: max(a.NumCols, b.NumCols+shift)}
	for _, row := range a.Rows {
		out.Rows = append(out.Rows, append([]*parser.Cell(nil), row...))
	}
	for len(out.Rows) < a.NumRows {
		out.Rows = append(out.Rows, nil)
	}
	for _, row := range b.Rows {
		var nr []*parser.Cell
		for _, c := range row {
			cc := *c
			cc.Row += a.NumRows
			cc.Col += shift
			nr = append(nr, &cc)
		}
		out.Rows = append(out.Rows, nr)
	}
	return out
}

// dropT3Header returns a table-3 piece without the header rows above its
// first labelled row, or nil when it has no labelled row after a header.
func dropT3Header(t *parser.Table) *parser.Table {
	for r := 1; r < t.NumRows; r++ {
		for _, c := range t.Rows[r] {
			core := normLabel(c.Text)
			if matchLabel(core, t3Top).id != "" || matchLabel(core, t3Groups).id != "" && core != "总计" {
				b := parser.NewBuilder()
				for _, row := range t.Rows[r:] {
					b.StartRow()
					for _, c := range row {
						cc := *c
						b.AddAt(c.Col, &cc)
					}
				}
				return b.Table()
			}
		}
	}
	return nil
}
