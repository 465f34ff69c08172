package synth

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// fieldRow is one line of fields.tsv.
type fieldRow struct{ key, template, row string }

func readFieldsTSV(t *testing.T) []fieldRow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "extract", "fields.tsv"))
	if err != nil {
		t.Fatalf("read fields.tsv: %v", err)
	}
	var out []fieldRow
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if i == 0 {
			continue
		}
		c := strings.Split(line, "\t")
		out = append(out, fieldRow{c[0], c[1], c[3]})
	}
	return out
}

// wantKeys is the key set a report of the template must carry, from
// fields.tsv.
func wantKeys(t *testing.T, tpl string) []string {
	var keys []string
	for _, f := range readFieldsTSV(t) {
		table2 := strings.HasPrefix(f.key, "active.")
		other := strings.HasPrefix(f.key, "requests.other.")
		var ok bool
		switch tpl {
		case Template2021:
			ok = f.template != Template2019
		case Template2019:
			ok = f.template != Template2021
		case TemplateHybrid:
			switch {
			case table2:
				ok = f.template != Template2019
			case other:
				ok = f.template == Template2019
			default:
				ok = f.template == "both"
			}
		}
		if ok {
			keys = append(keys, f.key)
		}
	}
	sort.Strings(keys)
	return dedup(keys)
}

func dedup(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// identities evaluates template.md's identities from the key names alone,
// independently of Checks.
func identities(fields map[string]*string) []string {
	v := func(k string) int64 {
		p := fields[k]
		if p == nil {
			return 0
		}
		n, err := strconv.ParseInt(*p, 10, 64)
		if err != nil {
			panic(fmt.Sprintf("%s = %q", k, *p))
		}
		return n
	}
	cols := []string{"natural_person", "commercial", "research", "public_interest", "legal_service", "other_org"}
	rowSet := map[string]bool{}
	for k := range fields {
		if strings.HasPrefix(k, "requests.") {
			rowSet[k[len("requests."):strings.LastIndex(k, ".")]] = true
		}
	}
	var fail []string
	for _, col := range append(cols, "total") {
		if v("requests.new."+col)+v("requests.carried_over."+col) != v("requests.total."+col)+v("requests.carried_forward."+col) {
			fail = append(fail, "requests.balance."+col)
		}
		var sum int64
		for row := range rowSet {
			switch row {
			case "new", "carried_over", "total", "carried_forward":
			default:
				sum += v("requests." + row + "." + col)
			}
		}
		if sum != v("requests.total."+col) {
			fail = append(fail, "requests.results."+col)
		}
	}
	for row := range rowSet {
		var sum int64
		for _, col := range cols {
			sum += v("requests." + row + "." + col)
		}
		if sum != v("requests."+row+".total") {
			fail = append(fail, "requests.row."+row)
		}
	}
	for _, g := range []string{"review", "litigation_direct", "litigation_after_review"} {
		if v(g+".upheld")+v(g+".corrected")+v(g+".other")+v(g+".pending") != v(g+".total") {
			fail = append(fail, g+".total")
		}
	}
	sort.Strings(fail)
	return fail
}

// readPrinted turns a printed cell back into canonical decimal text, the
// way a careful reader would, independently of the writer: nil for a
// blank or dash.
func readPrinted(text string, money bool) (*string, error) {
	s := strings.Trim(text, " \u3000\u00a0\n")
	switch s {
	case "", "—", "——", "-", "/", "无":
		return nil, nil
	}
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '０' && c <= '９':
			b.WriteRune(c - '０' + '0')
		case c == '．':
			b.WriteByte('.')
		case c == ',':
		default:
			b.WriteRune(c)
		}
	}
	s = b.String()
	neg := false
	if rest, ok := strings.CutPrefix(s, "减"); ok {
		s, neg = rest, true
	}
	s = strings.TrimPrefix(s, "+")
	scale := big.NewRat(1, 1)
	switch {
	case strings.HasSuffix(s, "万元"):
		s = strings.TrimSuffix(s, "万元")
		if !money {
			scale = big.NewRat(10000, 1)
		}
	case strings.HasSuffix(s, "元"):
		s = strings.TrimSuffix(s, "元")
		if money {
			scale = big.NewRat(1, 10000)
		}
	default:
		s = strings.TrimSuffix(strings.TrimSuffix(s, "件"), "项")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		n, err := readChinese(s)
		if err != nil {
			return nil, err
		}
		r = new(big.Rat).SetInt64(n)
	}
	r.Mul(r, scale)
	if neg {
		r.Neg(r)
	}
	out := r.RatString()
	if !r.IsInt() {
		out = strings.TrimRight(r.FloatString(6), "0")
	}
	return &out, nil
}

func readChinese(s string) (int64, error) {
	digits := map[rune]int64{'零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int64{'十': 10, '百': 100, '千': 1000}
	var total, cur int64
	seen := false
	for _, c := range s {
		if d, ok := digits[c]; ok {
			cur, seen = d, true
			continue
		}
		u, ok := units[c]
		if !ok {
			return 0, fmt.Errorf("not a number: %q", s)
		}
		if !seen {
			cur = 1
		}
		total += cur * u
		cur, seen = 0, false
	}
	return total + cur, nil
}

// checkDOCX verifies a DOCX is a valid zip of well-formed XML parts and
// returns word/document.xml.
func checkDOCX(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: zip: %v", name, err)
	}
	need := map[string]bool{"[Content_Types].xml": true, "_rels/.rels": true, "word/document.xml": true, "word/_rels/document.xml.rels": true, "word/styles.xml": true, "docProps/core.xml": true}
	var doc []byte
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: open %s: %v", name, f.Name, err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: read %s: %v", name, f.Name, err)
		}
		if f.Name != "word/document.xml" {
			if err := wellFormed(part); err != nil {
				t.Fatalf("%s: %s not well-formed: %v", name, f.Name, err)
			}
		}
		if f.Name == "word/document.xml" {
			doc = part
			if ratio := float64(f.UncompressedSize64) / float64(f.CompressedSize64); ratio > 100 {
				t.Errorf("%s: document.xml compresses %.0f:1, over what a parser limit allows", name, ratio)
			}
		}
		delete(need, f.Name)
	}
	if len(need) > 0 {
		t.Fatalf("%s: missing parts %v", name, need)
	}
	var d xDoc
	if err := xml.Unmarshal(doc, &d); err != nil {
		t.Fatalf("%s: word/document.xml: %v", name, err)
	}
	checkDOCXGrid(t, name, d)
	return doc
}

// checkDOCXGrid verifies every row spans the whole grid and every
// continued vertical merge continues a merge in the row above.
func checkDOCXGrid(t *testing.T, name string, d xDoc) {
	t.Helper()
	if len(d.Tables) < 3 {
		t.Fatalf("%s: %d tables", name, len(d.Tables))
	}
	for ti, tb := range d.Tables {
		var prev map[int]bool // grid columns where a merge is open
		for ri, row := range tb.Rows {
			open := map[int]bool{}
			col := 0
			for _, c := range row.Cells {
				switch c.vm() {
				case "restart":
					open[col] = true
				case "continue":
					if !prev[col] {
						t.Errorf("%s: table %d row %d col %d continues no merge", name, ti, ri, col)
					}
					open[col] = true
				}
				col += c.span()
			}
			if col != len(tb.Grid) {
				t.Errorf("%s: table %d row %d spans %d of %d grid columns", name, ti, ri, col, len(tb.Grid))
			}
			prev = open
		}
	}
}

// checkHTMLGrid lays out every table the way a browser does and verifies
// that each row fills the same number of columns.
func checkHTMLGrid(t *testing.T, name string, doc *html.Node) {
	t.Helper()
	tables := findAll(doc, "table")
	if len(tables) < 3 {
		t.Fatalf("%s: %d tables", name, len(tables))
	}
	for ti, tb := range tables {
		taken := map[[2]int]bool{}
		width := -1
		for ri, tr := range findAll(tb, "tr") {
			col := 0
			for _, td := range findAll(tr, "td") {
				for taken[[2]int{ri, col}] {
					col++
				}
				rs, cs := 1, 1
				if v := attr(td, "rowspan"); v != "" {
					rs, _ = strconv.Atoi(v)
				}
				if v := attr(td, "colspan"); v != "" {
					cs, _ = strconv.Atoi(v)
				}
				for r := ri; r < ri+rs; r++ {
					for c := col; c < col+cs; c++ {
						taken[[2]int{r, c}] = true
					}
				}
				col += cs
			}
			for taken[[2]int{ri, col}] {
				col++
			}
			if width < 0 {
				width = col
			} else if col != width {
				t.Errorf("%s: table %d row %d fills %d columns, first row %d", name, ti, ri, col, width)
			}
		}
	}
}

func wellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// htmlText decodes a generated page to UTF-8.
func htmlText(t *testing.T, rep Report) []byte {
	t.Helper()
	if !rep.Options.Mess.GBK {
		return rep.Data
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(rep.Data)
	if err != nil {
		t.Fatalf("%s: gbk: %v", rep.Name, err)
	}
	return out
}

// checkHTML verifies the page tokenizes cleanly with balanced table
// elements, and returns its parsed tree.
func checkHTML(t *testing.T, name string, page []byte) *html.Node {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(page))
	var stack []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("%s: tokenize: %v", name, z.Err())
			}
			break
		}
		tok := z.Token()
		switch tok.Data {
		case "table", "tbody", "tr", "td", "p", "span", "div":
		default:
			continue
		}
		switch tt {
		case html.StartTagToken:
			stack = append(stack, tok.Data)
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("%s: </%s> closes %v", name, tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("%s: unclosed %v", name, stack)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("%s: parse: %v", name, err)
	}
	return doc
}

func messCases() []Mess {
	cases := []Mess{{}, AllMess()}
	v := reflect.ValueOf(Mess{})
	for i := 0; i < v.NumField(); i++ {
		m := Mess{}
		reflect.ValueOf(&m).Elem().Field(i).SetBool(true)
		cases = append(cases, m)
	}
	return cases
}

// TestGenerate checks a few hundred reports over every template, format
// and kind of mess: valid files, the right keys, printed cells that read
// back to the truth, and identities that fail exactly as recorded.
func TestGenerate(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	var opts []Options
	for _, tpl := range []string{Template2021, Template2019, TemplateHybrid} {
		for _, f := range []string{"docx", "html"} {
			for _, m := range messCases() {
				opts = append(opts, Options{Seed: r.Int63(), Template: tpl, Format: f, Mess: m})
			}
			for i := 0; i < 12; i++ {
				opts = append(opts, Options{Seed: r.Int63(), Template: tpl, Format: f, Mess: RandomMess(r)})
			}
		}
	}
	for i := 0; i < 20; i++ {
		opts = append(opts, Options{Seed: r.Int63(), Format: []string{"docx", "html"}[i%2], Mess: RandomMess(r)})
	}
	money := map[string]bool{"active.fees.amount": true, "active.procurement.amount": true}
	wrong := 0
	for _, o := range opts {
		rep, g, err := generate(o)
		if err != nil {
			t.Fatalf("Generate(%+v): %v", o, err)
		}
		name := rep.Name
		var cells, cells2 [][]string // rows of tables 3–4 and of table 2 as the file holds them
		if rep.Format == "docx" {
			var d xDoc
			if err := xml.Unmarshal(checkDOCX(t, name, rep.Data), &d); err != nil {
				t.Fatal(err)
			}
			for i, tb := range d.Tables {
				for _, row := range tb.Rows {
					var texts []string
					for _, c := range row.Cells {
						texts = append(texts, c.text())
					}
					if i == 0 {
						cells2 = append(cells2, texts)
					} else {
						cells = append(cells, texts)
					}
				}
			}
		} else {
			doc := checkHTML(t, name, htmlText(t, rep))
			checkHTMLGrid(t, name, doc)
			for i, tb := range findAll(doc, "table") {
				for _, tr := range findAll(tb, "tr") {
					var texts []string
					for _, td := range findAll(tr, "td") {
						texts = append(texts, nodeText(td))
					}
					if i == 0 {
						cells2 = append(cells2, texts)
					} else {
						cells = append(cells, texts)
					}
				}
			}
		}
		checkValuesInFile(t, rep, cells)
		checkTable2InFile(t, rep, cells2)
		tr := rep.Truth
		wantTpl := rep.Options.Template
		if wantTpl == TemplateHybrid {
			wantTpl = Template2021
		}
		if tr.Template != wantTpl {
			t.Errorf("%s: template %q, want %q", name, tr.Template, wantTpl)
		}
		var keys []string
		for k := range tr.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if want := wantKeys(t, rep.Options.Template); !reflect.DeepEqual(keys, want) {
			t.Fatalf("%s: keys %v\nwant %v", name, keys, want)
		}
		if len(tr.Raw) != len(tr.Fields) {
			t.Errorf("%s: %d raw texts for %d fields", name, len(tr.Raw), len(tr.Fields))
		}
		for _, pc := range g.printed {
			if tr.Raw[pc.key] != pc.text {
				t.Errorf("%s: raw %s = %q, printed %q", name, pc.key, tr.Raw[pc.key], pc.text)
			}
			got, err := readPrinted(pc.text, money[pc.key])
			if err != nil {
				t.Fatalf("%s: %s printed %q: %v", name, pc.key, pc.text, err)
			}
			want := tr.Fields[pc.key]
			if (got == nil) != (want == nil) || (got != nil && *got != *want) {
				t.Errorf("%s: %s printed %q reads %v, truth %v", name, pc.key, pc.text, deref(got), deref(want))
			}
		}
		fail := identities(tr.Fields)
		if fail == nil {
			fail = []string{}
		}
		if !reflect.DeepEqual(fail, tr.FailingChecks) {
			t.Errorf("%s: failing checks %v, truth says %v", name, fail, tr.FailingChecks)
		}
		if rep.Options.Mess.WrongTotals {
			wrong++
			if len(fail) == 0 {
				t.Errorf("%s: WrongTotals but every identity holds", name)
			}
		} else if len(fail) != 0 {
			t.Errorf("%s: identities fail without WrongTotals: %v", name, fail)
		}
		if y := tr.Year; (wantTpl == Template2019 && (y < 2019 || y > 2020)) || (wantTpl == Template2021 && (y < 2021 || y > 2025)) {
			t.Errorf("%s: year %d for template %s", name, y, rep.Options.Template)
		}
		if !strings.HasPrefix(tr.Published, strconv.Itoa(tr.Year+1)+"-0") {
			t.Errorf("%s: published %s for year %d", name, tr.Published, tr.Year)
		}
	}
	if wrong == 0 {
		t.Error("no report with WrongTotals was checked")
	}
	t.Logf("%d reports checked", len(opts))
}

func deref(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

// Minimal WordprocessingML for layout checks.
type xDoc struct {
	Tables []xTbl `xml:"body>tbl"`
}
type xTbl struct {
	Grid []struct {
		W string `xml:"w,attr"`
	} `xml:"tblGrid>gridCol"`
	Rows []struct {
		Cells []xTc `xml:"tc"`
	} `xml:"tr"`
}
type xTc struct {
	Span *struct {
		Val string `xml:"val,attr"`
	} `xml:"tcPr>gridSpan"`
	VM *struct {
		Val string `xml:"val,attr"`
	} `xml:"tcPr>vMerge"`
	Paras []struct {
		Runs []struct {
			T []string `xml:"t"`
		} `xml:"r"`
	} `xml:"p"`
}

func (c xTc) span() int {
	if c.Span == nil {
		return 1
	}
	n, _ := strconv.Atoi(c.Span.Val)
	return n
}

func (c xTc) vm() string {
	switch {
	case c.VM == nil:
		return ""
	case c.VM.Val == "":
		return "continue"
	}
	return c.VM.Val
}

func (c xTc) text() string {
	var ps []string
	for _, p := range c.Paras {
		var b strings.Builder
		for _, r := range p.Runs {
			for _, t := range r.T {
				b.WriteString(t)
			}
		}
		ps = append(ps, b.String())
	}
	return strings.Join(ps, "|")
}

// rowLabels lists, from fields.tsv, the last part of each distinct row
// label of a table for a template, in order.
func rowLabels(t *testing.T, table, tpl string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range readFieldsTSV(t) {
		if f.template != "both" && f.template != tpl {
			continue
		}
		if (table == "2") != strings.HasPrefix(f.key, "active.") || (table == "3") != strings.HasPrefix(f.key, "requests.") {
			continue
		}
		if seen[f.row] {
			continue
		}
		seen[f.row] = true
		l := f.row
		if i := strings.LastIndexAny(l, "/ "); i >= 0 {
			l = l[i+1:]
		}
		out = append(out, l)
	}
	return out
}

func TestDOCXLayout(t *testing.T) {
	for _, tpl := range []string{Template2021, Template2019, TemplateHybrid} {
		t.Run(tpl, func(t *testing.T) {
			rep, err := Generate(Options{Seed: 11, Template: tpl, Format: "docx"})
			if err != nil {
				t.Fatal(err)
			}
			var d xDoc
			if err := xml.Unmarshal(checkDOCX(t, rep.Name, rep.Data), &d); err != nil {
				t.Fatal(err)
			}
			if len(d.Tables) != 3 {
				t.Fatalf("%d tables, want 3", len(d.Tables))
			}
			for ti, tb := range d.Tables {
				for ri, row := range tb.Rows {
					n := 0
					for _, c := range row.Cells {
						n += c.span()
					}
					if n != len(tb.Grid) {
						t.Errorf("table %d row %d spans %d grid columns, grid has %d", ti+2, ri, n, len(tb.Grid))
					}
				}
			}
			t2, t3, t4 := d.Tables[0], d.Tables[1], d.Tables[2]
			t2tpl, t3tpl := tpl, tpl
			if tpl == TemplateHybrid {
				t2tpl, t3tpl = Template2021, Template2019
			}
			// Table 2: captioned blocks; data rows labelled as fields.tsv.
			var got2 []string
			for _, row := range t2.Rows {
				c := row.Cells
				if len(c) == 1 {
					if c[0].span() != 4 || !strings.HasPrefix(c[0].text(), "第二十条第") {
						t.Errorf("table 2 caption %q span %d", c[0].text(), c[0].span())
					}
					continue
				}
				if c[0].text() != "信息内容" {
					got2 = append(got2, c[0].text())
				}
				if len(c) == 2 && c[1].span() != 3 {
					t.Errorf("table 2 single-value row %q spans %d", c[0].text(), c[1].span())
				}
			}
			if want := rowLabels(t, "2", t2tpl); !reflect.DeepEqual(got2, want) {
				t.Errorf("table 2 rows %q, want %q", got2, want)
			}
			// Table 3 header.
			h := t3.Rows
			if c := h[0].Cells; len(c) != 2 || c[0].span() != 3 || c[0].vm() != "restart" || c[0].text() != labelCorner || c[1].span() != 7 || c[1].text() != "申请人情况" {
				t.Errorf("table 3 row 0: %+v", c)
			}
			if c := h[1].Cells; len(c) != 4 || c[0].vm() != "continue" || c[1].text() != "自然人" || c[1].vm() != "restart" || c[2].span() != 5 || c[2].text() != "法人或其他组织" || c[3].text() != "总计" || c[3].vm() != "restart" {
				t.Errorf("table 3 row 1: %+v", c)
			}
			var heads []string
			for _, c := range h[2].Cells[2:7] {
				heads = append(heads, c.text())
			}
			if want := []string{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"}; !reflect.DeepEqual(heads, want) {
				t.Errorf("table 3 row 2: %q", heads)
			}
			var got3 []string
			for _, row := range t3.Rows[3:] {
				c := row.Cells
				got3 = append(got3, c[len(c)-8].text())
			}
			if want := rowLabels(t, "3", t3tpl); !reflect.DeepEqual(got3, want) {
				t.Errorf("table 3 rows %q\nwant %q", got3, want)
			}
			wantRows := 3 + 25
			if t3tpl == Template2019 {
				wantRows = 3 + 23
			}
			if len(t3.Rows) != wantRows {
				t.Errorf("table 3 has %d rows, want %d", len(t3.Rows), wantRows)
			}
			res := t3.Rows[5].Cells[0]
			if res.text() != labelResults || res.vm() != "restart" {
				t.Errorf("table 3 results label %q %q", res.text(), res.vm())
			}
			// Table 4: three header rows, fifteen values.
			if len(t4.Rows) != 4 || len(t4.Rows[3].Cells) != 15 || t4.Rows[0].Cells[0].span() != 5 || t4.Rows[0].Cells[1].span() != 10 {
				t.Errorf("table 4 shape wrong")
			}
		})
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func TestHTMLLayout(t *testing.T) {
	for _, m := range []Mess{{}, {WordPaste: true, CMSChrome: true}, {GBK: true}} {
		rep, err := Generate(Options{Seed: 5, Template: Template2021, Format: "html", Mess: m})
		if err != nil {
			t.Fatal(err)
		}
		doc := checkHTML(t, rep.Name, htmlText(t, rep))
		tables := findAll(doc, "table")
		if len(tables) != 3 {
			t.Fatalf("%+v: %d tables", m, len(tables))
		}
		rows := findAll(tables[1], "tr")
		if len(rows) != 28 {
			t.Errorf("%+v: table 3 has %d rows", m, len(rows))
		}
		type span struct{ rs, cs string }
		var got []span
		for _, r := range rows[:2] {
			for _, td := range findAll(r, "td") {
				got = append(got, span{attr(td, "rowspan"), attr(td, "colspan")})
			}
		}
		want := []span{{"3", "3"}, {"", "7"}, {"2", ""}, {"", "5"}, {"2", ""}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: table 3 header spans %v, want %v", m, got, want)
		}
		if n := len(findAll(rows[3], "td")); n != 8 {
			t.Errorf("%+v: row 一 has %d cells", m, n)
		}
		if rs := attr(findAll(rows[5], "td")[0], "rowspan"); rs != "22" {
			t.Errorf("%+v: 三、本年度办理结果 rowspan %s, want 22", m, rs)
		}
		if m.CMSChrome {
			page := string(htmlText(t, rep))
			for _, meta := range []string{"ArticleTitle", "PubDate", "ColumnName"} {
				if !strings.Contains(page, `<meta name="`+meta+`"`) {
					t.Errorf("no %s meta", meta)
				}
			}
		}
	}
}

func TestSplitTable(t *testing.T) {
	for _, f := range []string{"docx", "html"} {
		rep, g, err := generate(Options{Seed: 3, Template: Template2021, Format: f, Mess: Mess{SplitTable: true}})
		if err != nil {
			t.Fatal(err)
		}
		var parts []*table
		for _, b := range g.blocks {
			if b.kind == bTable && b.tbl.no == 3 {
				parts = append(parts, b.tbl)
			}
		}
		if len(parts) != 2 {
			t.Fatalf("%s: table 3 in %d parts", rep.Name, len(parts))
		}
		if len(parts[0].rows)+len(parts[1].rows) != 28 {
			t.Errorf("%s: parts have %d+%d rows", rep.Name, len(parts[0].rows), len(parts[1].rows))
		}
		first := parts[1].rows[0]
		if first[0].vm != vmRestart {
			t.Errorf("%s: second part's first label cell is not a fresh merge", rep.Name)
		}
		for _, c := range first {
			if c.vm == vmContinue {
				t.Errorf("%s: second part starts with a continued merge", rep.Name)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, o := range []Options{
		{Seed: 42, Format: "docx", Mess: AllMess(), PadTo: 200000},
		{Seed: 42, Format: "html", Mess: AllMess()},
		{Seed: 43, Template: TemplateHybrid, Format: "html", Mess: Mess{WordPaste: true, GBK: true}},
	} {
		a, err := Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Generate(o)
		if !bytes.Equal(a.Data, b.Data) || !reflect.DeepEqual(a.Truth, b.Truth) {
			t.Errorf("Generate(%+v) differs between runs", o)
		}
		o.Seed++
		c, _ := Generate(o)
		if bytes.Equal(a.Data, c.Data) {
			t.Errorf("seeds %d and %d give the same bytes", o.Seed-1, o.Seed)
		}
	}
	x, err := Corpus(9, 16, nil)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := Corpus(9, 16, nil)
	for i := range x {
		if x[i].Name != y[i].Name || !bytes.Equal(x[i].Data, y[i].Data) {
			t.Errorf("Corpus report %d differs between runs", i)
		}
	}
}

func TestPadSize(t *testing.T) {
	for _, tc := range []struct {
		format string
		pad    int
	}{{"docx", 250_000}, {"html", 120_000}, {"docx", 400_000}} {
		r := rand.New(rand.NewSource(int64(tc.pad)))
		var total, n int
		for i := 0; i < 30; i++ {
			m := Mess{}
			if i%2 == 0 {
				m = RandomMess(r)
				m.GBK = false
			}
			rep, err := Generate(Options{Seed: r.Int63(), Format: tc.format, PadTo: tc.pad, Mess: m})
			if err != nil {
				t.Fatal(err)
			}
			size := len(rep.Data)
			if tc.format == "docx" {
				size = docXMLSize(t, rep)
			}
			total += size
			n++
		}
		avg := total / n
		if avg < tc.pad*7/10 || avg > tc.pad*13/10 {
			t.Errorf("%s PadTo %d: average size %d, outside ±30%%", tc.format, tc.pad, avg)
		}
		t.Logf("%s PadTo %d: average %d bytes", tc.format, tc.pad, avg)
	}
}

func TestWriteCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCorpus(dir, 3, 6, []string{"docx", "html", "pdf"}); err != nil {
		t.Fatal(err)
	}
	lines, err := ReadTruth(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tl := range lines {
		data, err := os.ReadFile(filepath.Join(dir, tl.Name))
		if err != nil {
			t.Errorf("truth names %s: %v", tl.Name, err)
			continue
		}
		rep, err := Generate(tl.Options)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, rep.Data) || !reflect.DeepEqual(tl.Truth, rep.Truth) {
			t.Errorf("%s: file or truth differs from Generate(options)", tl.Name)
		}
		if tl.Agency == "" || tl.Year == 0 || len(tl.Fields) < 100 {
			t.Errorf("%s: thin truth %+v", tl.Name, tl.Truth)
		}
		n++
	}
	if n != 6 {
		t.Errorf("truth.jsonl has %d lines, want 6", n)
	}
	if err := WriteCorpus(dir, 3, 1, []string{"rtf"}); !errors.Is(err, ErrOptions) {
		t.Errorf("WriteCorpus(rtf) = %v, want ErrOptions", err)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []Options{{Format: "rtf"}, {Format: "docx", Template: "2020"}, {Format: "html", PadTo: -1}, {Format: "pdf", PadTo: DefaultDOCXSize}} {
		if _, err := Generate(o); !errors.Is(err, ErrOptions) {
			t.Errorf("Generate(%+v) = %v, want ErrOptions", o, err)
		}
	}
}

func TestMetadataInText(t *testing.T) {
	for i := int64(0); i < 30; i++ {
		m := Mess{NoYearInTitle: i%3 == 0, ChineseDate: i%2 == 0}
		_, g, err := generate(Options{Seed: i, Template: Template2021, Format: "docx", Mess: m})
		if err != nil {
			t.Fatal(err)
		}
		title := g.blocks[0].text
		if !strings.Contains(title, g.agency) || strings.Contains(title, strconv.Itoa(g.year)) == m.NoYearInTitle {
			t.Errorf("title %q for %s %d (NoYearInTitle %v)", title, g.agency, g.year, m.NoYearInTitle)
		}
		var all strings.Builder
		for _, b := range g.blocks {
			all.WriteString(b.text)
		}
		period := fmt.Sprintf("报告统计期限为%d年1月1日至%d年12月31日", g.year, g.year)
		if m.NoYearInTitle && !strings.Contains(all.String(), period) {
			t.Errorf("no year in title and no %s", period)
		}
		last := g.blocks[len(g.blocks)-1].text
		want := fmt.Sprintf("%d年%d月%d日", g.year+1, g.pm, g.pd)
		if m.ChineseDate {
			want = chineseDate(g.year+1, g.pm, g.pd)
		}
		if last != want && last != fmt.Sprintf("%d年%02d月%02d日", g.year+1, g.pm, g.pd) {
			t.Errorf("signature date %q, want %q", last, want)
		}
		if g.blocks[len(g.blocks)-2].text != g.agency {
			t.Errorf("signature %q, want %q", g.blocks[len(g.blocks)-2].text, g.agency)
		}
	}
}

func TestChineseInt(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "零"}, {3, "三"}, {10, "十"}, {12, "十二"}, {20, "二十"}, {100, "一百"}, {105, "一百零五"}, {110, "一百一十"}, {1001, "一千零一"}, {1010, "一千零一十"}, {1100, "一千一百"}, {9999, "九千九百九十九"}} {
		if got := chineseInt(tc.n); got != tc.want {
			t.Errorf("chineseInt(%d) = %q, want %q", tc.n, got, tc.want)
		}
		if back, err := readChinese(tc.want); err != nil || back != tc.n {
			t.Errorf("readChinese(%q) = %d, %v", tc.want, back, err)
		}
	}
	if got := chineseDate(2025, 2, 18); got != "二〇二五年二月十八日" {
		t.Errorf("chineseDate = %q", got)
	}
}

func TestCanonAndGroups(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		k    kind
		want string
	}{{773028, kMoney, "7730.28"}, {2510, kMoney, "25.1"}, {0, kMoney, "0"}, {5, kMoney, "0.05"}, {-3, kChange, "-3"}, {1234, kCount, "1234"}} {
		if got := canon(tc.v, tc.k); got != tc.want {
			t.Errorf("canon(%d) = %q, want %q", tc.v, got, tc.want)
		}
	}
	for in, want := range map[string]string{"1234": "1,234", "123": "123", "1234567.5": "1,234,567.5", "-1000": "-1,000"} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}

func docXMLSize(t *testing.T, rep Report) int {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(rep.Data), int64(len(rep.Data)))
	if err != nil {
		t.Fatalf("%s: %v", rep.Name, err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			return int(f.UncompressedSize64)
		}
	}
	t.Fatalf("%s: no word/document.xml", rep.Name)
	return 0
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "br":
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// checkValuesInFile verifies that the value cells of tables 3 and 4, as
// the file holds them, are the raw texts of the truth, in template order.
func checkValuesInFile(t *testing.T, rep Report, rows [][]string) {
	t.Helper()
	var keys []string
	for _, row := range table3Rows(rep.Options.Template != Template2021) {
		for _, col := range Columns {
			keys = append(keys, "requests."+row.key+"."+col)
		}
	}
	var got []string
	for _, r := range rows[3 : len(rows)-4] { // table 3 past its header
		if len(r) >= 8 && len(r) <= 10 { // a table 3 data row
			got = append(got, r[len(r)-7:]...)
		}
	}
	last := rows[len(rows)-1]
	if len(last) != 15 {
		t.Fatalf("%s: table 4 value row has %d cells", rep.Name, len(last))
	}
	got = append(got, last...)
	for _, g := range table4Groups {
		for _, c := range table4Cols {
			keys = append(keys, g+"."+c)
		}
	}
	if len(got) != len(keys) {
		t.Fatalf("%s: %d value cells in tables 3 and 4, want %d", rep.Name, len(got), len(keys))
	}
	for i, k := range keys {
		if strings.TrimSpace(got[i]) != strings.TrimSpace(rep.Truth.Raw[k]) {
			t.Errorf("%s: %s holds %q, truth raw %q", rep.Name, k, got[i], rep.Truth.Raw[k])
		}
	}
}

// checkTable2InFile verifies the value cells of table 2 against the truth.
func checkTable2InFile(t *testing.T, rep Report, rows [][]string) {
	t.Helper()
	spec := table2of2021
	if rep.Options.Template == Template2019 {
		spec = table2of2019
	}
	var keys, got []string
	for _, b := range spec {
		for _, r := range b.rows {
			for _, v := range r.vals {
				keys = append(keys, v.key)
			}
		}
	}
	for _, r := range rows {
		if len(r) < 2 || strings.Contains(r[0], "信息") {
			continue // caption or header
		}
		got = append(got, r[1:]...)
	}
	if len(got) != len(keys) {
		t.Fatalf("%s: %d value cells in table 2, want %d", rep.Name, len(got), len(keys))
	}
	for i, k := range keys {
		if strings.TrimSpace(got[i]) != strings.TrimSpace(rep.Truth.Raw[k]) {
			t.Errorf("%s: %s holds %q, truth raw %q", rep.Name, k, got[i], rep.Truth.Raw[k])
		}
	}
}
