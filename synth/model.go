package synth

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
)

// The format-neutral document the DOCX and HTML writers render.

type blockKind int

const (
	bTitle blockKind = iota
	bHeading
	bPara
	bTable
	bBlank
	bPageBreak
	bSignature // right-aligned closing line (agency, date)
	bPad       // where padding paragraphs go
)

type block struct {
	kind blockKind
	text string
	tbl  *table
}

type vmKind int

const (
	vmNone vmKind = iota
	vmRestart
	vmContinue
)

// cell is a table cell as a word processor holds it: merged-below cells
// are present as vmContinue cells, as in DOCX.
type cell struct {
	paras []string // paragraphs; "\n" inside one is a line break
	span  int      // grid columns
	vm    vmKind
	head  bool // header or label cell
	num   bool // value cell
	shade bool // caption row of table 2
}

type table struct {
	no   int   // 2, 3 or 4
	grid []int // column widths in twips
	rows [][]*cell
}

// gen holds everything about one report while it is built.
type gen struct {
	r   *rand.Rand
	opt Options
	m   Mess

	t2     []t2block
	t2tpl  string // "2021" or "2019"
	single bool   // one-row 其他处理 in table 3

	scale      int // 0 township, 1 county or department, 2 city
	agency     string
	place      string // the agency's place name, for prose
	year       int
	pm, pd     int // published month and day (year+1)
	title      string
	notice2019 bool // cite 国办公开办函〔2019〕60号

	vals   map[string]int64
	kinds  map[string]kind
	fields map[string]*string
	raw    map[string]string
	typoAt map[string]bool // table 3 row keys whose label gets a typo

	// printed lists every value cell as printed, for tests.
	printed []printedCell

	blocks    []block
	style     docStyle
	narr      narrator
	target    int // size to pad to, 0 for none
	bookmarks int
	date      string      // the signature date as printed
	pdfPlaced []pdfPlaced // where the PDF's tables went
	pdfStyle  pdfStyle    // how the PDF was laid out
}

func newGen(r *rand.Rand, opt Options) *gen {
	g := &gen{r: r, opt: opt, m: opt.Mess, vals: map[string]int64{}, kinds: map[string]kind{}, fields: map[string]*string{}, raw: map[string]string{}, typoAt: map[string]bool{}}
	switch opt.Template {
	case Template2019:
		g.t2, g.t2tpl, g.single = table2of2019, Template2019, true
	case TemplateHybrid:
		g.t2, g.t2tpl, g.single = table2of2021, Template2021, true
	default:
		g.t2, g.t2tpl, g.single = table2of2021, Template2021, false
	}
	return g
}

func (g *gen) truth() Truth {
	fail := Checks(g.fields)
	if fail == nil {
		fail = []string{}
	}
	return Truth{
		Agency:        g.agency,
		Year:          g.year,
		Published:     fmt.Sprintf("%04d-%02d-%02d", g.year+1, g.pm, g.pd),
		Template:      g.t2tpl,
		Fields:        g.fields,
		Raw:           g.raw,
		FailingChecks: fail,
	}
}

func (g *gen) build() {
	g.meta()
	g.values()
	if g.m.WrongTotals {
		g.breakTotals()
	}
	g.style = g.pickStyle()
	if g.opt.PadTo > 0 {
		g.target = int(float64(g.opt.PadTo) * (0.85 + 0.3*g.r.Float64()))
	}
	g.document()
}

func (g *gen) meta() {
	r := g.r
	g.agency, g.place, g.scale = randomAgency(r)
	if g.opt.Template == Template2019 {
		g.year = 2019 + r.Intn(2)
	} else {
		g.year = 2021 + r.Intn(5)
	}
	g.notice2019 = g.opt.Template == Template2019 || (g.opt.Template == TemplateHybrid && r.Intn(3) == 0)
	g.pm = 1 + r.Intn(3)
	g.pd = 1 + r.Intn([]int{31, 28, 31}[g.pm-1])
	switch {
	case g.m.NoYearInTitle:
		if strings.HasSuffix(g.agency, "人民政府") {
			g.title = g.agency + "信息公开工作年度报告"
		} else {
			g.title = g.agency + "政府信息公开工作年度报告"
		}
	case r.Intn(3) == 0:
		g.title = fmt.Sprintf("%d年%s政府信息公开工作年度报告", g.year, g.agency)
	default:
		g.title = fmt.Sprintf("%s%d年政府信息公开工作年度报告", g.agency, g.year)
	}
}

// logUniform returns an integer in [lo, hi], spread evenly in magnitude.
func (g *gen) logUniform(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	a, b := math.Log(float64(lo)+1), math.Log(float64(hi)+1)
	v := int64(math.Exp(a+g.r.Float64()*(b-a))) - 1
	if v < lo {
		v = lo
	}
	if v > hi {
		v = hi
	}
	return v
}

// some is 0 with probability 1-p, else a log-uniform value up to
// hi[scale].
func (g *gen) some(p float64, hi [3]int64) int64 {
	if g.r.Float64() >= p {
		return 0
	}
	return g.logUniform(1, hi[g.scale])
}

func (g *gen) money(p float64, hi [3]int64) int64 {
	v := g.some(p, hi) * 100
	if v != 0 && g.m.Decimals {
		v += int64(g.r.Intn(100))
	}
	return v
}

func (g *gen) set(key string, k kind, v int64) {
	g.vals[key] = v
	g.kinds[key] = k
}

func (g *gen) values() {
	zeroTown := g.scale == 0 && g.r.Intn(2) == 0
	sc := func(p0, p1, p2 float64) float64 {
		if zeroTown {
			return 0
		}
		return []float64{p0, p1, p2}[g.scale]
	}
	if g.t2tpl == Template2021 {
		g.set("active.rules.issued", kCount, g.some(sc(0, 0.05, 0.6), [3]int64{0, 2, 6}))
		g.set("active.rules.repealed", kCount, g.some(sc(0, 0.02, 0.4), [3]int64{0, 1, 4}))
		g.set("active.rules.in_force", kCount, g.some(sc(0, 0.1, 0.9), [3]int64{0, 5, 90}))
		g.set("active.normative_docs.issued", kCount, g.some(sc(0.2, 0.7, 0.95), [3]int64{3, 30, 80}))
		g.set("active.normative_docs.repealed", kCount, g.some(sc(0.05, 0.4, 0.8), [3]int64{2, 15, 40}))
		g.set("active.normative_docs.in_force", kCount, g.some(sc(0.3, 0.9, 1), [3]int64{12, 260, 900}))
		g.set("active.licensing.decisions", kCount, g.some(sc(0.3, 0.8, 1), [3]int64{60, 30000, 250000}))
		g.set("active.punishment.decisions", kCount, g.some(sc(0.2, 0.7, 1), [3]int64{30, 4000, 30000}))
		g.set("active.coercion.decisions", kCount, g.some(sc(0.05, 0.4, 0.8), [3]int64{5, 400, 3000}))
		g.set("active.fees.amount", kMoney, g.money(sc(0.05, 0.5, 0.8), [3]int64{20, 9000, 120000}))
	} else {
		for _, pre := range []string{"active.rules.", "active.normative_docs."} {
			p := sc(0.2, 0.7, 0.95)
			hi := [3]int64{3, 30, 80}
			if pre == "active.rules." {
				p, hi = sc(0, 0.05, 0.6), [3]int64{0, 2, 6}
			}
			made := g.some(p, hi)
			pub := made
			if made > 0 && g.r.Intn(3) == 0 {
				pub = made - int64(g.r.Intn(int(made)+1))
			}
			g.set(pre+"made", kCount, made)
			g.set(pre+"published", kCount, pub)
			g.set(pre+"total_public", kCount, pub+g.some(sc(0.3, 0.9, 1), [3]int64{10, 250, 900}))
		}
		for _, pre := range []string{"active.licensing.", "active.other_services.", "active.punishment.", "active.coercion."} {
			prev := g.some(sc(0.3, 0.8, 1), [3]int64{20, 600, 3000})
			change := int64(0)
			if prev > 0 && g.r.Intn(2) == 0 {
				change = g.logUniform(1, prev/3+1)
				if g.r.Intn(2) == 0 {
					change = -change
				}
			}
			g.set(pre+"items_prev_year", kCount, prev)
			g.set(pre+"items_change", kChange, change)
			g.set(pre+"decisions", kCount, g.some(sc(0.3, 0.8, 1), [3]int64{60, 30000, 250000}))
		}
		fprev := g.some(sc(0.05, 0.5, 0.9), [3]int64{3, 20, 60})
		fch := int64(0)
		if fprev > 0 && g.r.Intn(2) == 0 {
			fch = -g.logUniform(1, fprev)
		}
		g.set("active.fees.items_prev_year", kCount, fprev)
		g.set("active.fees.items_change", kChange, fch)
		g.set("active.procurement.projects", kCount, g.some(sc(0.2, 0.7, 1), [3]int64{5, 120, 600}))
		g.set("active.procurement.amount", kMoney, g.money(sc(0.2, 0.7, 1), [3]int64{50, 30000, 400000}))
	}

	// Table 3, by construction: results per applicant column, then the
	// carried numbers, then 一 = （七） + 四 − 二, then row totals.
	rows := table3Rows(g.single)
	var colHi [6][3]int64
	colHi[0] = [3]int64{6, 150, 3000}
	colHi[1] = [3]int64{2, 30, 500}
	colHi[2] = [3]int64{1, 3, 20}
	colHi[3] = [3]int64{1, 3, 20}
	colHi[4] = [3]int64{1, 10, 200}
	colHi[5] = [3]int64{1, 10, 100}
	colP := [6][3]float64{{0.5, 0.95, 1}, {0.15, 0.6, 0.95}, {0.03, 0.1, 0.4}, {0.03, 0.1, 0.4}, {0.05, 0.4, 0.9}, {0.05, 0.3, 0.7}}
	w := make([]float64, 0, len(rows))
	var resIdx []int
	for i, row := range rows {
		if row.result {
			resIdx = append(resIdx, i)
			w = append(w, resultWeight[row.key])
		}
	}
	val := make([][7]int64, len(rows))
	for c := 0; c < 6; c++ {
		n := int64(0)
		if !zeroTown {
			n = g.some(colP[c][g.scale], colHi[c])
		}
		parts := g.split(n, w)
		var sum int64
		for j, i := range resIdx {
			val[i][c] = parts[j]
			sum += parts[j]
		}
		iTotal, iNew, iOver, iFwd := len(rows)-2, 0, 1, len(rows)-1
		val[iTotal][c] = sum
		fwd := int64(0)
		if sum > 0 && g.r.Intn(3) == 0 {
			fwd = int64(g.r.Intn(int(sum/8) + 2))
		}
		over := int64(0)
		if sum+fwd > 0 && g.r.Intn(3) == 0 {
			over = int64(g.r.Intn(int((sum+fwd)/6) + 1))
		}
		val[iFwd][c] = fwd
		val[iOver][c] = over
		val[iNew][c] = sum + fwd - over
	}
	for i, row := range rows {
		var t int64
		for c := 0; c < 6; c++ {
			t += val[i][c]
		}
		val[i][6] = t
		for c, col := range Columns {
			g.set("requests."+row.key+"."+col, kCount, val[i][c])
		}
	}

	// Table 4.
	for _, grp := range table4Groups {
		var t int64
		for _, c := range table4Cols[:4] {
			v := int64(0)
			if !zeroTown {
				v = g.some([]float64{0.05, 0.3, 0.6}[g.scale], [3]int64{2, 8, 40})
			}
			g.set(grp+"."+c, kCount, v)
			t += v
		}
		g.set(grp+".total", kCount, t)
	}
}

// resultWeight is how often each result row is used in real reports.
var resultWeight = map[string]float64{
	"granted": 35, "partially_granted": 10,
	"denied.state_secret": 0.3, "denied.prohibited_by_law": 0.5, "denied.three_safeties": 0.5, "denied.third_party": 2,
	"denied.internal_affairs": 1, "denied.process_info": 1.5, "denied.enforcement_files": 0.5, "denied.query_matters": 1,
	"unavailable.not_held": 25, "unavailable.needs_creation": 3, "unavailable.unclear": 2,
	"not_processed.petition": 3, "not_processed.duplicate": 3, "not_processed.publication": 0.5,
	"not_processed.excessive": 1, "not_processed.confirmation": 1,
	"other.no_correction": 4, "other.no_fee": 0.3, "other.other": 5, "other": 9.3,
}

// split divides n among the weights: unit by unit for small n, by jittered
// shares for large n.
func (g *gen) split(n int64, w []float64) []int64 {
	out := make([]int64, len(w))
	if n == 0 {
		return out
	}
	var total float64
	for _, x := range w {
		total += x
	}
	if n <= 60 {
		for u := int64(0); u < n; u++ {
			x := g.r.Float64() * total
			i := 0
			for ; i < len(w)-1; i++ {
				if x < w[i] {
					break
				}
				x -= w[i]
			}
			out[i]++
		}
		return out
	}
	var sum int64
	for i, x := range w {
		out[i] = int64(float64(n) * x / total * (0.5 + g.r.Float64()))
		sum += out[i]
	}
	for sum > n { // take the excess from the largest
		big := 0
		for i := range out {
			if out[i] > out[big] {
				big = i
			}
		}
		d := min(sum-n, out[big])
		out[big] -= d
		sum -= d
	}
	out[0] += n - sum
	return out
}

// breakTotals changes one to three printed totals so that identities fail.
func (g *gen) breakTotals() {
	rows := table3Rows(g.single)
	for tries := 0; tries < 10; tries++ {
		for n := 1 + g.r.Intn(3); n > 0; n-- {
			var key string
			switch g.r.Intn(4) {
			case 0:
				key = table4Groups[g.r.Intn(3)] + ".total"
			case 1:
				key = "requests.total." + Columns[g.r.Intn(7)]
			default:
				key = "requests." + rows[g.r.Intn(len(rows))].key + ".total"
			}
			d := int64(1 + g.r.Intn(3))
			if g.vals[key] >= d && g.r.Intn(2) == 0 {
				d = -d
			}
			g.vals[key] += d
		}
		if len(Checks(g.stringsOfVals())) > 0 {
			return
		}
	}
}

func (g *gen) stringsOfVals() map[string]*string {
	m := make(map[string]*string, len(g.vals))
	for k, v := range g.vals {
		s := canon(v, g.kinds[k])
		m[k] = &s
	}
	return m
}

// value prints the value of key under the mess and records its truth.
func (g *gen) value(key string, unit string) string {
	v, k := g.vals[key], g.kinds[key]
	s, null := g.printValue(v, k, unit)
	g.printed = append(g.printed, printedCell{key, s})
	g.raw[key] = s
	if null {
		g.fields[key] = nil
	} else {
		c := canon(v, k)
		g.fields[key] = &c
	}
	return s
}

type printedCell struct{ key, text string }
