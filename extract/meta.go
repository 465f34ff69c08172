package extract

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ogi/numeral"
	"ogi/parser"
	"ogi/region"
)

// reportWords are the words that end a report's title, longest first.
var reportWords = []string{
	"政府信息公开工作年度报告", "政府信息公开年度报告", "政务公开工作年度报告",
	"信息公开工作年度报告", "政务公开年度报告", "信息公开年度报告",
}

const cnDigits = "〇零○Ｏ一二三四五六七八九"

var (
	yearRE     = regexp.MustCompile(`((?:19|20)[0-9]{2}|[` + cnDigits + `]{4})年度?`)
	statsRE    = regexp.MustCompile(`统计期限[为是自从:]*((?:19|20)[0-9]{2}|[` + cnDigits + `]{4})年(?:1|一)月(?:1|一)日`)
	firstRE    = regexp.MustCompile(`^((?:19|20)[0-9]{2}|[` + cnDigits + `]{4})年[,，]`)
	dateRE     = regexp.MustCompile(`((?:19|20)[0-9]{2}|[` + cnDigits + `]{4})年([0-9]{1,2}|[一二三四五六七八九十]{1,3})月([0-9]{1,2}|[一二三四五六七八九十]{1,3})日$`)
	dashDateRE = regexp.MustCompile(`((?:19|20)[0-9]{2})[-./]([0-9]{1,2})[-./]([0-9]{1,2})$`)
	metaDateRE = regexp.MustCompile(`((?:19|20)[0-9]{2})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})`)
)

// docText is the paragraphs of a document with what meta needs to know
// about them.
type docText struct {
	paras      []string // trimmed paragraph texts, tables left out
	tableAt    []bool   // a table stood just before paras[i]
	title      int      // index of the title paragraph, -1 when none
	titleStart int      // index of its first line when the title is broken over two
	titleText  string   // the title, both lines joined
	dateIdx    int      // index of the signature date, -1 when none
	signIdx    int      // index of the signature paragraph, -1 when none or on the date's line
	date       string   // the signature date as printed (normalized)
	sign       string   // the signature (normalized), "" when none
	lastTabl   int      // index of the first paragraph after the last table
	info       pageInfo // the page's information table and header lines
}

func readText(items []item) docText {
	d := docText{title: -1, dateIdx: -1, signIdx: -1}
	afterTable, tableSeen := false, false
	for _, it := range items {
		if it.isTab {
			// The page's information table stands before the report: not
			// part of it, and not a table of it.
			if !tableSeen && len(d.paras) < 15 && isInfoTable(it.table) {
				if k, _ := classify(it.table); k == 0 {
					readInfoTable(it.table, &d.info)
					continue
				}
			}
			tableSeen = true
			afterTable = true
			d.lastTabl = len(d.paras)
			continue
		}
		t := strings.TrimFunc(it.para, isSpace)
		if t == "" {
			continue
		}
		if isChrome(t) {
			// Site chrome is not report text; header lines before the
			// report name its fields.
			if len(d.paras) < 15 {
				readFieldLine(t, &d.info, "header line")
			}
			continue
		}
		d.paras = append(d.paras, t)
		d.tableAt = append(d.tableAt, afterTable)
		afterTable = false
	}
	// The title: the first short paragraph with the report words, before
	// any table.
	for i, p := range d.paras {
		if i >= 15 || (i > 0 && d.tableAt[i]) {
			break
		}
		if hasReportWords(normText(p)) && len([]rune(p)) <= 80 {
			p = stripFieldLabel(p) // 标题：某某局2024年…报告
			d.title, d.titleStart, d.titleText = i, i, p
			// A title broken over two lines: 淮安市人民政府 / 2024年政府信息公开工作年度报告.
			if i > 0 && agencyFromTitle(p) == "" {
				q := d.paras[i-1]
				if utf8.RuneCountInString(q) <= 40 && !strings.ContainsAny(q, "。，,；;：:") && agencyFromTitle(q+p) != "" {
					d.titleStart, d.titleText = i-1, q+p
				}
			}
			break
		}
	}
	// The signature date: a short paragraph among the last ones after the
	// last table ending in a date; the agency may share its line.
	for i := len(d.paras) - 1; i >= d.lastTabl && i >= len(d.paras)-6 && i >= 0; i-- {
		t := normText(d.paras[i])
		if utf8.RuneCountInString(t) > 60 || strings.ContainsAny(t, "。；;") {
			continue
		}
		m := dateRE.FindStringSubmatchIndex(t)
		if m == nil {
			m = dashDateRE.FindStringSubmatchIndex(t)
		}
		if m == nil {
			continue
		}
		d.dateIdx, d.date = i, t[m[0]:]
		if m[0] > 0 && agencyLike(t[:m[0]]) {
			d.sign = t[:m[0]]
		}
		break
	}
	if d.dateIdx > 0 && d.sign == "" {
		p := d.paras[d.dateIdx-1]
		if agencyLike(normText(p)) && d.dateIdx-1 != d.title {
			d.signIdx = d.dateIdx - 1
			d.sign = normText(p)
		}
	}
	return d
}

// place fills the record's region, agency kind and agency id from the
// agency's name and what else the report says about where it is.
func (e *extractor) place(agency, title, sign string, d docText) {
	h := region.Hints{Agency: agency, Title: normText(title), Signature: sign, Host: urlHost(e.opts.URL)}
	// Contact lines: 地址：淮安市洪泽区… or 联系地址 …, short paragraphs only.
	for _, p := range d.paras {
		if strings.Contains(p, "地址") && utf8.RuneCountInString(p) <= 120 {
			h.Address = append(h.Address, normText(p))
		}
	}
	r := region.Resolve(h)
	reg := r.Region
	e.rec.Region = &reg
	kind, id := string(r.Kind), r.ID
	e.rec.AgencyKind, e.rec.AgencyID = &kind, &id
	e.rec.Warnings = append(e.rec.Warnings, r.Warnings...)
}

// urlHost is the host of a URL, "" when it has none.
func urlHost(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

func hasReportWords(t string) bool {
	for _, w := range reportWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// meta reads agency, year, published date and the narrative sections.
func (e *extractor) meta(doc *parser.Document, items []item) {
	d := readText(items)
	title := ""
	if d.title >= 0 {
		title = d.titleText
	} else {
		for _, k := range []string{"ArticleTitle", "title"} {
			if v := doc.Meta[k]; hasReportWords(normText(v)) {
				title = v
				break
			}
		}
	}

	// Agency: the page's information table, else the title; the title
	// wins over the signature and the page's meta tags, with a warning
	// when they disagree.
	agency := agencyFromTitle(title)
	sign := d.sign
	switch {
	case agency != "" && sign != "" && sign != agency:
		e.warn("agency in the title (%s) differs from the signature (%s)", agency, sign)
	case agency == "" && sign != "":
		agency = sign
		e.warn("agency taken from the signature (%s): not in the title", sign)
	}
	if d.title >= 0 && agency != "" {
		for _, k := range []string{"ArticleTitle", "title"} {
			if m := agencyFromTitle(doc.Meta[k]); m != "" && !sameAgency(m, agency) {
				e.warn("the page's meta tags name %s; the title's agency (%s) used", m, agency)
				break
			}
		}
	}
	if ia := d.info.agency; ia != "" && agencyLike(ia) {
		switch {
		case d.info.from == "information table" && agency == "":
			agency = ia
			e.warn("agency taken from the page's information table (%s): not in the title", ia)
		case d.info.from == "information table":
			if !sameAgency(ia, agency) {
				e.warn("agency in the page's information table (%s) differs from the title (%s); the table's used", ia, agency)
			}
			agency = ia
		case agency == "":
			agency = ia
			e.warn("agency taken from the page's header line (%s): not in the title", ia)
		case !sameAgency(ia, agency):
			e.warn("the page's header line names %s; the title's agency (%s) used", ia, agency)
		}
	}
	if agency != "" {
		e.rec.Agency = &agency
		e.place(agency, title, sign, d)
	}

	// Year: the title, else the reporting period, else the first "YYYY年，".
	var years []int
	var from []string
	if y, ok := titleYear(title); ok {
		years, from = append(years, y), append(from, "title")
	}
	for _, p := range d.paras {
		// statsRE needs 统计期限 once folded.
		if !containsFolded(p, "统计期限") {
			continue
		}
		if m := statsRE.FindStringSubmatch(normText(p)); m != nil {
			if y, ok := parseYear(m[1]); ok {
				years, from = append(years, y), append(from, "reporting period")
			}
			break
		}
	}
	if len(years) == 0 {
		for _, p := range d.paras {
			// firstRE needs 年, which normText keeps.
			if !strings.Contains(p, "年") {
				continue
			}
			if m := firstRE.FindStringSubmatch(normText(p)); m != nil {
				if y, ok := parseYear(m[1]); ok {
					years, from = append(years, y), append(from, "first sentence")
					e.warn("year %d taken from the first sentence", y)
				}
				break
			}
		}
	}
	if len(years) > 0 {
		y := years[0]
		e.rec.Year = &y
		for i := 1; i < len(years); i++ {
			if years[i] != y {
				e.warn("year %d in the %s differs from %d in the %s", years[i], from[i], y, from[0])
			}
		}
	}

	// Published: the signature date, else the page's PubDate.
	if d.dateIdx >= 0 {
		if iso, ok := parseCNDate(d.date); ok {
			e.rec.Published = &iso
		} else {
			e.problem(Problem{Stage: StageMeta, Cell: d.paras[d.dateIdx], Err: fmt.Errorf("signature date is not a valid date: %w", ErrNumeral)})
		}
	}
	if e.rec.Published == nil && d.info.date != "" {
		if iso, ok := infoDate(d.info.date); ok {
			e.rec.Published = &iso
			e.warn("published date taken from the page's %s (%s): no signature date", d.info.from, iso)
		}
	}
	if e.rec.Published == nil {
		if v := doc.Meta["PubDate"]; v != "" {
			if m := metaDateRE.FindStringSubmatch(v); m != nil {
				if iso, ok := isoDate(m[1], m[2], m[3]); ok {
					e.rec.Published = &iso
					e.warn("published date taken from the page's PubDate (%s): no signature date", iso)
				}
			}
		}
	}

	e.sections(d)
}

// agencyFromTitle returns the agency named in a title: the text before
// the report words, without the year, 关于 and quotes.
func agencyFromTitle(title string) string {
	t := normText(stripFieldLabel(title))
	for _, w := range reportWords {
		i := strings.Index(t, w)
		if i < 0 {
			continue
		}
		a := yearRE.ReplaceAllString(t[:i], "")
		a = strings.TrimPrefix(a, "关于")
		a = strings.TrimSuffix(a, "的")
		a = strings.Trim(a, "()[]:,-")
		if strings.HasPrefix(w, "政府") && strings.HasSuffix(a, "人民") {
			a += "政府" // 某某乡人民政府信息公开工作年度报告
		}
		if a == "" || a == "人民政府" {
			return ""
		}
		return a
	}
	return ""
}

func titleYear(title string) (int, bool) {
	t := normText(title)
	for _, w := range reportWords {
		if i := strings.Index(t, w); i >= 0 {
			if m := yearRE.FindStringSubmatch(t[:i]); m != nil {
				return parseYear(m[1])
			}
			// 某某局政府信息公开工作年度报告（2024年）
			if m := yearRE.FindStringSubmatch(t[i:]); m != nil {
				return parseYear(m[1])
			}
			return 0, false
		}
	}
	return 0, false
}

// yearDigits folds the look-alikes of 〇 that years are printed with.
var yearDigits = strings.NewReplacer("○", "〇", "Ｏ", "〇")

// parseYear reads a four-digit year in Arabic or Chinese digits.
func parseYear(s string) (int, bool) {
	s = yearDigits.Replace(s)
	v, err := numeral.Parse(s, numeral.Options{Mode: numeral.Digits})
	if err != nil || v.Empty {
		return 0, false
	}
	y, err := strconv.Atoi(v.Text)
	if err != nil || y < 1990 || y > 2100 {
		return 0, false
	}
	return y, true
}

// sameAgency reports whether two names are the same agency, one possibly
// with its parent's name before it (洪泽区人民政府, 淮安市洪泽区人民政府).
func sameAgency(a, b string) bool {
	return a == b || strings.HasSuffix(a, b) || strings.HasSuffix(b, a)
}

// infoDate reads a date field: 2025-01-20, 2025年1月20日, 2025/01/20 10:30.
func infoDate(s string) (string, bool) {
	if m := metaDateRE.FindStringSubmatch(s); m != nil {
		return isoDate(m[1], m[2], m[3])
	}
	if m := dateRE.FindString(s); m != "" {
		return parseCNDate(m)
	}
	return "", false
}

// parseCNDate reads 2025年2月18日 or 二〇二五年二月十八日 as an ISO date.
func parseCNDate(s string) (string, bool) {
	if m := dashDateRE.FindStringSubmatch(s); m != nil {
		return isoDate(m[1], m[2], m[3])
	}
	m := dateRE.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	y, ok := parseYear(m[1])
	if !ok {
		return "", false
	}
	mo, ok1 := smallNumber(m[2])
	d, ok2 := smallNumber(m[3])
	if !ok1 || !ok2 {
		return "", false
	}
	return isoDate(strconv.Itoa(y), mo, d)
}

func smallNumber(s string) (string, bool) {
	for _, mode := range []numeral.Mode{numeral.Strict, numeral.Lenient} {
		if v, err := numeral.Parse(s, numeral.Options{Mode: mode}); err == nil && !v.Empty && v.Kind == numeral.Number {
			return v.Text, true
		}
	}
	return "", false
}

// isoDate validates a date and formats it as YYYY-MM-DD.
func isoDate(y, m, d string) (string, bool) {
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	di, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return "", false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Day() != di || int(t.Month()) != mi {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// looksLikeReport reports whether a document without tables still reads
// as a report: a title with the report words, or several section headings.
func (e *extractor) looksLikeReport(items []item, doc *parser.Document) bool {
	d := readText(items)
	if d.title >= 0 {
		return true
	}
	n := 0
	for _, p := range d.paras {
		if sectionOf(p) != "" {
			n++
		}
	}
	return n >= 3
}

// agencySuffixes end the names of the bodies that publish reports.
var agencySuffixes = []string{"政府", "公署", "办事处", "办公室", "办公厅", "局", "委员会", "委", "厅", "办", "部",
	"署", "院", "会", "中心", "所", "站", "队", "馆", "处", "室", "社", "司", "行", "管委会", "街道", "镇", "乡"}

// agencyLike reports whether a short line reads as the name of an agency
// (a signature), not as a sentence or a stray word.
func agencyLike(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 3 || n > 40 || strings.ContainsAny(s, "。；;，,：:0123456789") {
		return false
	}
	for _, suf := range agencySuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// Place fills rec's region, agency kind, agency id and report key from its
// agency name and source URL alone, replacing what was there: what a
// store can do for a record made before records carried them (extraction
// itself also reads the title, signature and address lines). Region
// warnings already in the record are not repeated.
func Place(rec *Record) {
	rec.Region, rec.AgencyKind, rec.AgencyID, rec.ReportKey = nil, nil, nil, nil
	if rec.Agency == nil {
		return
	}
	r := region.Resolve(region.Hints{Agency: *rec.Agency, Host: urlHost(rec.Source.URL)})
	reg := r.Region
	kind, id := string(r.Kind), r.ID
	rec.Region, rec.AgencyKind, rec.AgencyID = &reg, &kind, &id
	if rec.Year != nil {
		k := fmt.Sprintf("%s/%d", id, *rec.Year)
		rec.ReportKey = &k
	}
	for _, w := range r.Warnings {
		if !slices.Contains(rec.Warnings, w) {
			rec.Warnings = append(rec.Warnings, w)
		}
	}
}
