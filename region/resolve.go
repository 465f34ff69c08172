// Package region places a government agency in China's administrative
// divisions: from the agency's name as printed, and from what else a
// report offers (its title, signature, address lines, the host it was
// published on), it finds the division the agency belongs to, the level
// of that division, what kind of agency it is, and a stable identity that
// does not depend on how the name was written (洪泽区人民政府 and
// 淮安市洪泽区人民政府 are one agency).
//
// The divisions are the embedded table of Edition, with a curated list of
// former names (history.tsv) mapped to the divisions they became. Nothing
// is fetched at run time. A name that fits several divisions is never
// guessed: Resolve keeps what all candidates share and says which they are.
package region

import (
	"fmt"
	"sort"
	"strings"
)

// Level is the level of a division, or of an agency (that of its division).
type Level string

// Levels, from the top.
const (
	National Level = "national"
	Province Level = "province"
	City     Level = "city"
	County   Level = "county"
	Town     Level = "town"
)

// Levels lists the levels from the top.
var Levels = []Level{National, Province, City, County, Town}

// Region is where an agency belongs. Code is the GB/T 2260 code of the
// most specific division known (six digits; nine for a township, its
// statistical code). A name is empty when it does not apply or is not
// known: the four municipalities (北京市, 上海市, 天津市, 重庆市) are a
// Province with no City, and a national agency has no names at all.
type Region struct {
	Code     string `json:"code,omitempty"`
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	County   string `json:"county,omitempty"`
	Town     string `json:"town,omitempty"`
	Level    Level  `json:"level,omitempty"`
}

// Name is the region's names joined, most general first (江苏省淮安市洪泽区).
func (r Region) Name() string {
	return r.Province + r.City + r.County + r.Town
}

// Kind is what an agency is.
type Kind string

// Kinds of agency.
const (
	Government Kind = "government" // 人民政府, its 办公室/办公厅, a 街道办事处
	Department Kind = "department" // 局, 委员会, 办公室, 中心, 厅 … of a government
	Other      Kind = "other"      // a development zone's 管理委员会, a public institution
)

// Hints is what a report says about its agency.
type Hints struct {
	Agency    string   // the agency's name as printed (from the title or signature)
	Title     string   // the report's title
	Signature string   // the signature line at the end
	Address   []string // contact or address lines
	Host      string   // host of the URL the report was fetched from
}

// Result is how an agency was placed.
type Result struct {
	Region Region
	Kind   Kind
	// ID is the agency's stable key: the region code and the canonical
	// name ("320813:洪泽区人民政府"); "CN:" for a national agency, and the
	// printed name alone when no division was found.
	ID string
	// Name is the canonical name: the agency's own division named once, by
	// its current name, without the divisions above it (洪泽区人民政府).
	Name string
	// Candidates are the divisions an ambiguous name may be, when it is.
	Candidates []Region
	// Warnings say what was inferred, or could not be decided.
	Warnings []string
}

// maxListed bounds the candidates a warning names.
const maxListed = 8

// Resolve places the agency of h. It never fails: what it cannot place it
// leaves out, with a warning.
func Resolve(h Hints) Result {
	t := data()
	name := clean(h.Agency)
	if name == "" {
		return Result{}
	}
	c, ok := t.findChain(name, 0)
	if !ok && h.Signature != "" {
		// A short printed name (区教育局) that the signature gives in full.
		if sig := clean(h.Signature); sig != name && strings.HasSuffix(sig, name) {
			if sc, sok := t.findChain(sig, 0); sok {
				name, c, ok = sig, sc, true
			}
		}
	}
	if !ok {
		if isNational(name) {
			kind := kindOf(name, name)
			if name == "中国人民银行" {
				kind = Department // the central bank is a department of the State Council
			}
			return Result{Region: Region{Level: National}, Kind: kind, ID: "CN:" + name, Name: name}
		}
		return Result{Kind: kindOf(name, name), ID: name, Name: name,
			Warnings: []string{fmt.Sprintf("region: no division found in %s; the printed name is kept", name)}}
	}
	var res Result
	if c.notIn != "" {
		res.warn("region: %s is not a division of %s; the printed name may be wrong", c.notIn, name[c.steps[0].start:c.end])
	}
	last := c.last()
	printed := name[last.start:last.end]
	prefix, rest := name[:c.start], name[c.end:]
	res.Kind = kindOf(rest, name)

	cands := last.cands
	var how string
	if len(cands) > 1 {
		cands, how = t.narrow(cands, h)
	}
	if len(cands) == 1 {
		d := cands[0]
		res.Region = t.region(d)
		res.Name = prefix + t.divs[d].name() + rest
		if strings.HasPrefix(rest, "生产建设兵团") {
			// 新疆生产建设兵团 is named so, not after the autonomous region.
			res.Name = name
		}
		if how != "" {
			res.warn("region: %s is ambiguous (%d divisions); %s (%s) chosen from the %s", printed, len(last.cands), res.Region.Name(), res.Region.Code, how)
		}
		for _, f := range last.former {
			if t.divs[f].cur == d {
				fd := t.divs[f]
				res.warn("region: %s is now %s (%s, changed in %d)", fd.name(), t.divs[d].name(), res.Region.Code, fd.year)
			}
		}
	} else {
		// Keep only what every candidate shares.
		res.Name = prefix + printed + rest
		res.Region = t.common(cands)
		list := make([]string, 0, maxListed)
		for i, d := range cands {
			r := t.region(d)
			res.Candidates = append(res.Candidates, r)
			if i < maxListed {
				list = append(list, fmt.Sprintf("%s (%s)", r.Name(), r.Code))
			}
		}
		more := ""
		if len(cands) > maxListed {
			more = fmt.Sprintf(" and %d more", len(cands)-maxListed)
		}
		kept := "nothing"
		if res.Region.Code != "" {
			kept = t.region(t.code(shortCode(res.Region.Code))).Name()
		}
		res.warn("region: %s is ambiguous: %s%s; kept %s", printed, strings.Join(list, ", "), more, kept)
	}
	code := res.Region.Code
	if code == "" {
		res.ID = res.Name
	} else {
		res.ID = code + ":" + res.Name
	}
	return res
}

func (r *Result) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// narrow keeps the candidates that the rest of the report places: a
// division named in the title, the signature or an address line, or the
// portal the report was published on, that is above or below the
// candidate. It returns the candidates kept and where the evidence came
// from, or all of them and "" when nothing decides.
func (t *table) narrow(cands []int32, h Hints) ([]int32, string) {
	type ev struct {
		d    int32
		from string
	}
	var evs []ev
	if code, ok := t.hostCode(h.Host); ok && code != "CN" {
		evs = append(evs, ev{t.code(code), "source host " + h.Host})
	}
	texts := []struct{ s, from string }{{h.Signature, "signature"}, {h.Title, "title"}}
	for _, a := range h.Address {
		texts = append(texts, struct{ s, from string }{a, "address"})
	}
	for _, x := range texts {
		s := clean(x.s)
		for p := 0; p < len(s); {
			c, ok := t.findChain(s, p)
			if !ok {
				break
			}
			if l := c.last(); len(l.cands) == 1 {
				evs = append(evs, ev{l.cands[0], x.from})
			}
			p = c.end
		}
	}
	var kept []int32
	var from []string
	for _, c := range cands {
		for _, e := range evs {
			if t.isAncestor(e.d, c) || t.isAncestor(c, e.d) {
				kept = append(kept, c)
				if !containsStr(from, e.from) {
					from = append(from, e.from)
				}
				break
			}
		}
	}
	if len(kept) == 0 || len(kept) == len(cands) {
		return cands, ""
	}
	if len(kept) > 1 {
		return kept, ""
	}
	return kept, strings.Join(from, " and ")
}

func containsStr(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// common is the region all of cands lie in: their deepest shared division,
// with Level set when they all have the same one.
func (t *table) common(cands []int32) Region {
	var r Region
	lv := t.divs[cands[0]].level()
	for _, c := range cands[1:] {
		if t.divs[c].level() != lv {
			lv = ""
		}
	}
	// The chain of the first candidate, from the top.
	var path []int32
	for j := cands[0]; j >= 0; j = t.divs[j].parent {
		path = append([]int32{j}, path...)
	}
	shared := int32(-1)
	for _, p := range path {
		all := true
		for _, c := range cands {
			if p == c || !t.isAncestor(p, c) {
				all = false
				break
			}
		}
		if !all {
			break
		}
		shared = p
	}
	if shared >= 0 {
		r = t.region(shared)
	}
	r.Level = lv
	return r
}

// hostCode finds the division whose portal host is (or is under).
func (t *table) hostCode(host string) (string, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	for h := host; h != ""; {
		if c, ok := t.hosts[h]; ok {
			return c, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return "", false
}

// nationalPrefixes start the names of the State Council and its
// ministries, commissions and bureaus when no division is named.
var nationalPrefixes = []string{"国务院", "中华人民共和国", "国家", "中国", "海关总署", "审计署"}

func isNational(name string) bool {
	for _, p := range nationalPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	// The ministries: 教育部, 生态环境部, 人力资源和社会保障部 …
	return strings.HasSuffix(name, "部") && len([]rune(name)) <= 12
}

var (
	govNames = map[string]bool{
		"": true, "人民政府": true, "政府": true, "人民政府办公室": true, "人民政府办公厅": true,
		"政府办公室": true, "政府办公厅": true, "人民政府办": true, "政府办": true,
		"办事处": true, "街道办事处": true, "人民政府办事处": true, "行政公署": true, "行署": true,
		"国务院": true, "国务院办公厅": true,
	}
	zoneWords      = []string{"开发区", "园区", "新区", "高新区", "保税区", "试验区", "示范区", "合作区", "度假区", "风景区", "景区", "管理区", "工业区", "港区", "基地"}
	otherSuffixes  = []string{"医院", "学校", "大学", "学院", "中学", "小学", "幼儿园", "公司", "集团", "银行", "研究院", "研究所", "图书馆", "博物馆", "纪念馆", "文化馆", "美术馆", "科技馆", "报社", "电视台", "出版社", "协会", "学会", "联合会", "商会", "红十字会", "法院", "检察院", "合作社", "联社", "工会"}
	departSuffixes = []string{"局", "委员会", "委", "办公室", "办公厅", "办", "中心", "厅", "部", "署", "处", "所", "站", "队", "总局"}
)

// kindOf classes an agency by what follows its division's name (rest),
// looking at the whole name for development zones.
func kindOf(rest, full string) Kind {
	if govNames[rest] {
		return Government
	}
	for _, s := range []string{"人民政府", "人民政府办公室", "人民政府办公厅"} {
		if strings.HasSuffix(rest, s) {
			return Government
		}
	}
	if strings.HasSuffix(rest, "管理委员会") || strings.HasSuffix(rest, "管委会") {
		for _, w := range zoneWords {
			if strings.Contains(full, w) {
				return Other
			}
		}
		return Department
	}
	for _, s := range otherSuffixes {
		if strings.HasSuffix(rest, s) {
			return Other
		}
	}
	for _, s := range departSuffixes {
		if strings.HasSuffix(rest, s) {
			return Department
		}
	}
	return Other
}

// Lookup resolves a division name, an agency name or a code (a code
// prefix such as "3208" or a full code) as `ogi region` prints it.
func Lookup(text string) Result {
	t := data()
	text = clean(text)
	if text != "" && strings.Trim(text, "0123456789") == "" {
		if i, ok := t.byCode(shortCode(text)); ok {
			d := t.divs[i]
			c := d.cur
			res := Result{Region: t.region(c), Kind: Government, Name: t.divs[c].name()}
			if c != i {
				res.warn("region: %s (%s) is now %s (%s, changed in %d)", d.name(), d.code(), t.divs[c].name(), res.Region.Code, d.year)
			}
			res.ID = res.Region.Code + ":" + res.Name
			return res
		}
		return Result{Warnings: []string{fmt.Sprintf("region: no division has code %s", text)}}
	}
	return Resolve(Hints{Agency: text})
}

// Prefix turns a --region filter into a code prefix: digits are taken as
// a code prefix (a full six-digit code loses its trailing zero pairs); a
// name must name exactly one division. The error lists the candidates of
// an ambiguous name.
func Prefix(text string) (string, error) {
	text = clean(text)
	if text == "" {
		return "", fmt.Errorf("region: empty name")
	}
	if strings.Trim(text, "0123456789") == "" {
		return shortCode(text), nil
	}
	r := Resolve(Hints{Agency: text})
	if r.Region.Code == "" && len(r.Candidates) == 0 {
		// A short name (淮安, 洪泽): the one division it names with a suffix.
		var found []Result
		for _, suf := range []string{"市", "县", "区", "省"} {
			if x := Resolve(Hints{Agency: text + suf}); x.Region.Code != "" || len(x.Candidates) > 0 {
				found = append(found, x)
			}
		}
		// 淮安 is 淮安市 and its 淮安区: the one that holds the others.
		for _, f := range found {
			holds := f.Region.Code != ""
			for _, g := range found {
				if !strings.HasPrefix(g.Region.Code, shortCode(f.Region.Code)) {
					holds = false
				}
			}
			if holds {
				r = f
				break
			}
		}
	}
	switch {
	case len(r.Candidates) > 0:
		var names []string
		for _, c := range r.Candidates {
			names = append(names, c.Name()+" ("+c.Code+")")
		}
		sort.Strings(names)
		if len(names) > maxListed {
			names = append(names[:maxListed], fmt.Sprintf("%d more", len(r.Candidates)-maxListed))
		}
		return "", fmt.Errorf("region %s is ambiguous: %s; give a fuller name or a code", text, strings.Join(names, ", "))
	case r.Region.Code == "":
		return "", fmt.Errorf("region %s: no such division", text)
	}
	return shortCode(r.Region.Code), nil
}
