package parser

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

func readHTMLFixture(t *testing.T, name string) *Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	doc, err := ReadHTML(context.Background(), "fixtures/"+name, data, Options{})
	if err != nil {
		t.Fatalf("ReadHTML(context.Background(), %s): %v", name, err)
	}
	return doc
}

func tablesOf(doc *Document) []*Table {
	var out []*Table
	for _, b := range doc.Blocks {
		if b.Table != nil {
			out = append(out, b.Table)
		}
	}
	return out
}

func parasOf(doc *Document) []string {
	var out []string
	for _, b := range doc.Blocks {
		if b.Para != nil {
			out = append(out, b.Para.Text)
		}
	}
	return out
}

// cellAt returns the cell whose top-left corner is at (row, col), or nil.
func cellAt(t *Table, row, col int) *Cell {
	if row < 0 || row >= len(t.Rows) {
		return nil
	}
	for _, c := range t.Rows[row] {
		if c.Col == col {
			return c
		}
	}
	return nil
}

type wantCell struct {
	row, col, rowspan, colspan int
	text                       string
}

func checkCells(t *testing.T, name string, tbl *Table, cells []wantCell) {
	t.Helper()
	for _, w := range cells {
		c := cellAt(tbl, w.row, w.col)
		if c == nil {
			t.Errorf("%s: no cell starts at (%d,%d), want %q", name, w.row, w.col, w.text)
			continue
		}
		if c.Text != w.text || c.RowSpan != w.rowspan || c.ColSpan != w.colspan {
			t.Errorf("%s: cell (%d,%d) = %q %dx%d, want %q %dx%d",
				name, w.row, w.col, c.Text, c.RowSpan, c.ColSpan, w.text, w.rowspan, w.colspan)
		}
	}
}

func rowTexts(tbl *Table, row int) []string {
	var out []string
	for _, c := range tbl.Rows[row] {
		out = append(out, c.Text)
	}
	return out
}

func TestReadHTMLSeedReport(t *testing.T) {
	doc := readHTMLFixture(t, "seed-report.html")
	if doc.Format != FormatHTML || doc.Charset != "utf-8" || doc.CharsetRule != RuleMeta {
		t.Errorf("Format, Charset, CharsetRule = %q, %q, %q, want html, utf-8, meta", doc.Format, doc.Charset, doc.CharsetRule)
	}
	const title = "额敏县额玛勒郭楞蒙古民族乡人民政府信息公开工作年度报告"
	wantMeta := map[string]string{
		"title":         title + "_额敏县人民政府",
		"ArticleTitle":  title,
		"PubDate":       "2025-02-19 10:30",
		"ColumnName":    "政府信息公开年报",
		"ContentSource": "额玛勒郭楞蒙古民族乡",
		"SiteName":      "额敏县人民政府",
	}
	for k, v := range wantMeta {
		if doc.Meta[k] != v {
			t.Errorf("Meta[%q] = %q, want %q", k, doc.Meta[k], v)
		}
	}
	if len(doc.Meta) != len(wantMeta) {
		t.Errorf("Meta = %q, want exactly the keys of %q", doc.Meta, wantMeta)
	}

	paras := parasOf(doc)
	if len(paras) == 0 || paras[0] != title {
		t.Fatalf("first paragraph = %q, want the title above the content container", paras)
	}
	all := strings.Join(paras, "\n")
	// Site chrome, scripts and hidden parts never reach the blocks.
	for _, chrome := range []string{"首页", "当前位置", "扫一扫", "隐藏", "脚本", "统计代码", "版权所有", "分享到", "发布时间", "打印本页", "无障碍"} {
		if strings.Contains(all, chrome) {
			t.Errorf("paragraphs contain site chrome %q", chrome)
		}
	}
	// Every prose line of the seed report comes through once, joined across
	// Word's spans (digits split as 20</span><span>24 read 2024).
	seed, err := os.ReadFile("../fixtures/reference/seed-report.txt")
	if err != nil {
		t.Fatal(err)
	}
	bookmark := regexp.MustCompile(`\[bookmark: [^\]]*\]`)
	count := map[string]int{}
	for _, p := range paras {
		count[strings.TrimLeft(p, "\u3000\u00a0 ")]++
	}
	// Table cells are flattened in the seed, one per line (tab-indented,
	// continued lines not); a section heading ends a table.
	heading := regexp.MustCompile(`^[一二三四五六]、`)
	inTable := false
	for _, line := range strings.Split(string(seed), "\n") {
		line = bookmark.ReplaceAllString(line, "")
		switch {
		case strings.HasPrefix(line, "\t"):
			inTable = true
			continue
		case heading.MatchString(line):
			inTable = false
		case inTable || strings.TrimSpace(line) == "":
			continue
		}
		line = strings.TrimSpace(line)
		if count[line] != 1 {
			t.Errorf("seed line %q appears %d times in the paragraphs, want 1", line, count[line])
		}
	}
	if !strings.Contains(all, "\u3000\u30002024年，额敏县额玛勒郭楞蒙古民族乡全面贯彻落实") {
		t.Errorf("U+3000 indentation or split digits lost: %q", paras[3])
	}

	tables := tablesOf(doc)
	if len(tables) != 3 {
		t.Fatalf("got %d tables, want 3", len(tables))
	}
	sizes := [][2]int{{14, 4}, {28, 10}, {4, 15}}
	for i, tbl := range tables {
		if tbl.NumRows != sizes[i][0] || tbl.NumCols != sizes[i][1] {
			t.Errorf("table %d is %dx%d, want %dx%d", i+1, tbl.NumRows, tbl.NumCols, sizes[i][0], sizes[i][1])
		}
	}
	checkCells(t, "table 2", tables[0], []wantCell{
		{0, 0, 1, 4, "第二十条第（一）项"},
		{3, 0, 1, 1, "规范性文件"},
		{6, 1, 1, 3, "0"},
		{12, 1, 1, 3, "本年收费金额（单位：万元）"},
	})
	t3 := tables[1]
	checkCells(t, "table 3", t3, []wantCell{
		{0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"},
		{0, 3, 1, 7, "申请人情况"},
		{1, 3, 2, 1, "自然人"},
		{1, 4, 1, 5, "法人或其他组织"},
		{1, 9, 2, 1, "总计"},
		{2, 4, 1, 1, "商业企业"},
		{4, 0, 1, 3, "二、上年结转政府信息公开申请数量"},
		{4, 3, 1, 1, "\u00a0"}, // the empty first value, as Word writes it
		{5, 0, 18, 1, "三、本年度办理结果"},
		{5, 1, 1, 2, "（一）予以公开"},
		{7, 1, 8, 1, "（3）\n不予\n公开"},
		{7, 2, 1, 1, "0"}, // a stray 0 where the sub-label would be
		{15, 1, 3, 1, "（四）无法\n提供"},
		{18, 1, 5, 1, "（五）\n不予\n处理"},
		{23, 0, 4, 1, "三、本年度办理结果"}, // restarted below the page break
		{23, 1, 3, 1, "（六）\n其他\n处理"},
		{23, 2, 1, 1, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
		{26, 1, 1, 2, "（七）总计"},
		{27, 0, 1, 3, "四、结转下年度继续办理"},
		{27, 9, 1, 1, "0"},
	})
	for _, r := range []int{7, 8, 14, 15, 17, 18, 22} {
		vals := t3.Rows[r]
		if n := len(vals); n < 8 || vals[n-8].Col != 2 || vals[n-1].Col != 9 {
			t.Errorf("table 3 row %d = %q, want 8 values in columns 2-9", r, rowTexts(t3, r))
		}
	}
	checkCells(t, "table 4", tables[2], []wantCell{
		{0, 0, 1, 5, "行政复议"},
		{0, 5, 1, 10, "行政诉讼"},
		{1, 4, 2, 1, "总\n计"},
		{1, 5, 1, 5, "未经复议直接起诉"},
		{2, 9, 1, 1, "总 计\u00a0\u00a0"},
		{2, 14, 1, 1, "总计"},
		{3, 0, 1, 1, "0"},
		{3, 14, 1, 1, "0"},
	})
	if got := len(tables[2].Rows[3]); got != 15 {
		t.Errorf("table 4 value row has %d cells, want 15", got)
	}
}

// TestHTMLDumpGolden reads every HTML fixture through Read, as the
// pipeline does, and compares its Dump with fixtures/<name>.html.dump.golden.
func TestHTMLDumpGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixturesDir, "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no HTML fixtures: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(context.Background(), "fixtures/"+name, data, Options{})
			if err != nil {
				t.Fatalf("Read(context.Background(), %s): %v", name, err)
			}
			if doc.Format != FormatHTML {
				t.Errorf("Read(context.Background(), %s).Format = %q, want html", name, doc.Format)
			}
			var buf bytes.Buffer
			if err := Dump(&buf, doc); err != nil {
				t.Fatal(err)
			}
			// The extension stays in the golden name: seed-report.docx has its own.
			compareGolden(t, filepath.Join(fixturesDir, name+".dump.golden"), buf.Bytes())
		})
	}
}

func TestReadHTMLSpans(t *testing.T) {
	doc := readHTMLFixture(t, "spans.html")
	if doc.CharsetRule != RuleUTF8 {
		t.Errorf("CharsetRule = %q, want utf-8", doc.CharsetRule)
	}
	paras := parasOf(doc)
	wantParas := []string{"前言\u3000段落，粗体与斜体相连。", "表一\u3000行政许可情况"}
	if strings.Join(paras, "|") != strings.Join(wantParas, "|") {
		t.Errorf("paragraphs = %q, want %q (no nav, hidden text, share or footer)", paras, wantParas)
	}
	// The caption comes right before its table.
	if len(doc.Blocks) < 3 || doc.Blocks[1].Para == nil || doc.Blocks[2].Table == nil {
		t.Fatalf("blocks 1-2 are not caption then table")
	}
	tables := tablesOf(doc)
	if len(tables) != 3 {
		t.Fatalf("got %d tables, want 3 (hidden ones ignored, the sidebar one kept)", len(tables))
	}

	t1 := tables[0]
	if t1.NumRows != 5 || t1.NumCols != 4 {
		t.Errorf("table 1 is %dx%d, want 5x4", t1.NumRows, t1.NumCols)
	}
	checkCells(t, "table 1", t1, []wantCell{
		{0, 0, 1, 1, "信息内容"},
		{0, 2, 1, 2, "本年增/减"}, // colspan="2 "
		{1, 0, 3, 1, "行政许可"},  // rowspan="0": to the end of tbody, not into tfoot
		{1, 2, 1, 2, "0"},     // spans that disagree with the header row below
		{2, 1, 1, 1, "2"},
		{2, 2, 1, 1, "0"},
		{2, 3, 1, 1, "-1"},
		{3, 2, 1, 1, "1"}, // colspan="abc" → 1
		{3, 3, 1, 1, "2"},
		{4, 0, 1, 1, "合计"}, // tfoot renders last though written first
		{4, 2, 1, 2, "1"},  // colspan="2px"
	})

	t2 := tables[1]
	if t2.NumRows != 3 || t2.NumCols != 6 {
		t.Errorf("table 2 is %dx%d, want 3x6", t2.NumRows, t2.NumCols)
	}
	checkCells(t, "table 2", t2, []wantCell{
		{0, 0, 3, 1, "甲"}, // rowspan="10" clipped to the table
		{0, 1, 1, 5, "乙"},
		{1, 1, 1, 1, "丙\n丁"},
		{1, 2, 1, 1, "戊\n第二行"},
		{2, 1, 1, 1, "己"}, // the hidden cell before it takes no slot; comment and script dropped
		{2, 2, 1, 1, "庚"}, // rowspan="2" on the last row clipped
	})
	outer := cellAt(t2, 1, 1)
	if outer == nil || len(outer.Tables) != 1 {
		t.Fatalf("cell (1,1) holds no nested table")
	}
	checkCells(t, "nested table", outer.Tables[0], []wantCell{
		{0, 0, 1, 1, "内1"},
		{0, 1, 1, 1, "内2"},
		{1, 0, 1, 2, "内3"},
	})
	for _, c := range t2.Cells() {
		if strings.Contains(c.Text, "内") {
			t.Errorf("nested table text leaked into outer cell (%d,%d): %q", c.Row, c.Col, c.Text)
		}
	}
	checkCells(t, "sidebar table", tables[2], []wantCell{{0, 0, 1, 1, "侧栏表格"}, {0, 1, 1, 1, "7"}})
}

func TestReadHTMLCharsetFixtures(t *testing.T) {
	tests := []struct {
		name, charset, rule, declared string
		title                         string
		cell                          wantCell // in the first table
	}{
		{"gbk-nodecl.html", "gb18030", RuleGB18030, "", "青山县人民政府2024年政府信息公开工作年度报告", wantCell{3, 9, 1, 1, "2"}},
		{"late-charset.html", "gb2312", RuleMeta, "", "2024年青山县喆园街道办事处政府信息公开工作年度报告", wantCell{3, 0, 1, 1, "行政规范性文件"}},
		{"wrong-charset.html", "gb18030", RuleGB18030, "utf-8", "青山县教育局2024年政府信息公开工作年度报告", wantCell{2, 3, 1, 1, "\u3000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := readHTMLFixture(t, tt.name)
			if doc.Charset != tt.charset || doc.CharsetRule != tt.rule || doc.Meta[MetaCharsetDeclared] != tt.declared {
				t.Errorf("charset %q rule %q declared %q, want %q %q %q",
					doc.Charset, doc.CharsetRule, doc.Meta[MetaCharsetDeclared], tt.charset, tt.rule, tt.declared)
			}
			if doc.Meta["title"] != tt.title {
				t.Errorf("Meta[title] = %q, want %q", doc.Meta["title"], tt.title)
			}
			tables := tablesOf(doc)
			if len(tables) != 1 {
				t.Fatalf("got %d tables, want 1", len(tables))
			}
			checkCells(t, tt.name, tables[0], []wantCell{tt.cell})
			if tt.name == "gbk-nodecl.html" {
				// <meta name="articletitle">: names match in any case and
				// keep the canonical key.
				if doc.Meta["ArticleTitle"] != tt.title || doc.Meta["PubDate"] != "2025-01-20 09:00" {
					t.Errorf("Meta = %q, want ArticleTitle and PubDate", doc.Meta)
				}
			}
		})
	}
}

func TestReadHTMLErrors(t *testing.T) {
	deep := strings.Repeat("<table><tr><td>", 5000) + "x"
	nested := func(n int) string {
		return strings.Repeat("<table><tr><td>a", n) + strings.Repeat("</td></tr></table>", n)
	}
	many := "<table>" + strings.Repeat("<tr><td>1</td><td>2</td></tr>", 60) + "</table>"
	wide := "<p>前言</p><table>" + strings.Repeat(`<tr><td colspan="1000" rowspan="0">1</td></tr>`, 50) + "</table>"
	tests := []struct {
		name    string
		data    string
		opts    Options
		want    error
		partial bool // blocks read before the limit come back beside the error
	}{
		{"empty", "", Options{}, ErrEmpty, false},
		{"whitespace", " \r\n\t ", Options{}, ErrEmpty, false},
		{"BOM only", "\xEF\xBB\xBF \n", Options{}, ErrEmpty, false},
		{"NUL bytes", "PK\x03\x04\x00\x00garbage\x00\x01", Options{}, ErrFormat, false},
		{"control bytes", strings.Repeat("\x01\x02\x03\x04ab", 200), Options{}, ErrFormat, false},
		{"file over the limit", "<p>" + strings.Repeat("x", 2000) + "</p>", Options{Limits: Limits{MaxFileBytes: 1000}}, ErrTooLarge, false},
		{"5000 nested tables", deep, Options{}, ErrTooLarge, false},
		{"tables nested past MaxDepth", nested(40), Options{}, ErrTooLarge, true},
		{"more cells than MaxCells", "<p>前言</p>" + many, Options{Limits: Limits{MaxCells: 100}}, ErrTooLarge, true},
		{"spans covering too many slots", wide, Options{Limits: Limits{MaxCells: 1000}}, ErrTooLarge, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			doc, err := ReadHTML(context.Background(), "bad/page.html", []byte(tt.data), tt.opts)
			if time.Since(start) > 5*time.Second {
				t.Errorf("ReadHTML took %v", time.Since(start))
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadHTML(context.Background(), ) error = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Path != "bad/page.html" || !strings.Contains(err.Error(), "bad/page.html") {
				t.Errorf("error %q is not an *Error naming the file", err)
			}
			if tt.partial && (doc == nil || len(doc.Blocks) == 0) {
				t.Errorf("no partial document beside %v", err)
			}
		})
	}
}

func TestReadHTMLNestingWithinLimit(t *testing.T) {
	n := 20
	page := strings.Repeat("<table><tr><td>a", n) + strings.Repeat("</td></tr></table>", n)
	doc, err := ReadHTML(context.Background(), "nest.html", []byte(page), Options{})
	if err != nil {
		t.Fatalf("ReadHTML: %v", err)
	}
	depth := 0
	for tbl := tablesOf(doc)[0]; ; depth++ {
		c := cellAt(tbl, 0, 0)
		if c == nil || c.Text != "a" {
			t.Fatalf("depth %d: cell = %+v, want text a", depth, c)
		}
		if len(c.Tables) == 0 {
			break
		}
		tbl = c.Tables[0]
	}
	if depth != n-1 {
		t.Errorf("nesting depth = %d, want %d", depth, n-1)
	}
}

func TestReadHTMLContentContainer(t *testing.T) {
	table := func(s string) string { return "<table><tr><td>" + s + "</td></tr></table>" }
	tests := []struct {
		name   string
		page   string
		paras  []string
		tables []string // text of each table's first cell
	}{
		{
			"container holds every table",
			`<div class="links">相关链接</div><div class="article"><h1>某县年报</h1><div class="info">发布时间</div>` +
				`<div id="zoom"><p>正文</p>` + table("表格") + `</div></div><div class="links">网站地图</div>`,
			[]string{"某县年报", "正文"}, []string{"表格"},
		},
		{
			"a title the container repeats comes once",
			`<h1>某县年报</h1><div class="TRS_Editor"><p>　某县年报</p><p>正文</p>` + table("表格") + `</div>`,
			[]string{"　某县年报", "正文"}, []string{"表格"},
		},
		{
			"a table outside the container keeps the whole body",
			`<div class="links">相关链接</div><div class="TRS_Editor"><p>正文</p>` + table("表一") + `</div>` + table("表二"),
			[]string{"相关链接", "正文"}, []string{"表一", "表二"},
		},
		{
			"layout table around the container",
			`<table><tr><td>栏目导航</td><td><div class="TRS_Editor"><p>正文</p>` + table("表一") + `</div></td></tr></table>`,
			[]string{"正文"}, []string{"表一"},
		},
		{
			"hidden container is not used",
			`<div class="TRS_Editor" style="display:none"><p>隐藏正文</p></div><p>页面上可见的正文</p>`,
			[]string{"页面上可见的正文"}, nil,
		},
		{
			"chrome holding a table is kept",
			`<div class="footer"><p>说明</p>` + table("报表") + `</div><div class="footer">版权所有</div>`,
			[]string{"说明"}, []string{"报表"},
		},
		{
			"chrome class with a content word is kept",
			`<div class="article-header"><h2>标题</h2></div><div class="header">网站头部</div><p>正文</p>`,
			[]string{"标题", "正文"}, nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadHTML(context.Background(), "c.html", []byte("<html><body>"+tt.page+"</body></html>"), Options{})
			if err != nil {
				t.Fatalf("ReadHTML: %v", err)
			}
			if got := parasOf(doc); strings.Join(got, "|") != strings.Join(tt.paras, "|") {
				t.Errorf("paragraphs = %q, want %q", got, tt.paras)
			}
			var got []string
			for _, tbl := range tablesOf(doc) {
				got = append(got, tbl.Rows[0][0].Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.tables, "|") {
				t.Errorf("tables = %q, want %q", got, tt.tables)
			}
		})
	}
}

func TestReadHTMLText(t *testing.T) {
	tests := []struct {
		name, body string
		paras      []string
	}{
		{"nested blocks emit text once", `<div>引言<div><p>甲</p><p>乙</p></div>结尾</div>`, []string{"引言", "甲", "乙", "结尾"}},
		{"br inside a paragraph", "<p>第一行<br>第二行<br/><br>第四行</p>", []string{"第一行\n第二行\n\n第四行"}},
		{"source line break between Chinese characters", "<p>政府信息\r\n公开</p>", []string{"政府信息公开"}},
		{"source line break between digits and Chinese", "<p>2024\n年 报告</p>", []string{"2024 年 报告"}},
		{"ASCII whitespace collapses, U+3000 and nbsp stay", "<p>  a \t\n b\u3000&nbsp;c  </p>", []string{"a b\u3000\u00a0c"}},
		{"Word paste", `<p class=MsoNormal><span lang=EN-US><font face="仿宋">20</font></span><span lang=EN-US>24</span><span>年<o:p></o:p></span></p>` +
			`<p><![if !supportLists]><span style='mso-list:Ignore'>1.</span><![endif]><span>条目</span></p><p><o:p>&nbsp;</o:p></p>`,
			[]string{"2024年", "1.条目"}},
		{"a hidden wrapper around most of the text is read", `<div id="app" style="display:none"><p>本报告根据条例编制，统计期限为全年。</p><div hidden>二维码</div></div><p>页脚</p>`,
			[]string{"本报告根据条例编制，统计期限为全年。", "页脚"}},
		{"script, style, template, noscript", `<p>可见<script>x()</script><style>p{}</style><template>模板</template><noscript>无脚本</noscript></p>`, []string{"可见"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadHTML(context.Background(), "t.html", []byte("<body>"+tt.body+"</body>"), Options{})
			if err != nil {
				t.Fatalf("ReadHTML: %v", err)
			}
			if got := parasOf(doc); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.paras) {
				t.Errorf("paragraphs = %q, want %q", got, tt.paras)
			}
		})
	}
}

func TestReadHTMLCellText(t *testing.T) {
	tests := []struct{ cell, want string }{
		{"<td>商业<br>企业</td>", "商业\n企业"},
		{"<td><p>商业</p><p>企业</p></td>", "商业\n企业"},
		{"<td><div>商业</div>企业</td>", "商业\n企业"},
		{"<td>\n  总 计   \n</td>", "总 计"},
		{"<td>\u3000</td>", "\u3000"},
		{"<td>&nbsp;</td>", "\u00a0"},
		{"<td><p>0<br></p></td>", "0"},
		{"<td>1<span>2</span><b>3</b></td>", "123"},
		{`<td><p class=MsoNormal><span lang=EN-US>12<o:p></o:p></span></p></td>`, "12"},
		{"<td></td>", ""},
	}
	for _, tt := range tests {
		doc, err := ReadHTML(context.Background(), "c.html", []byte("<table><tr>"+tt.cell+"</tr></table>"), Options{})
		if err != nil {
			t.Fatalf("ReadHTML(context.Background(), %q): %v", tt.cell, err)
		}
		if got := tablesOf(doc)[0].Rows[0][0].Text; got != tt.want {
			t.Errorf("cell %q = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestReadHTMLWordSpacerRow(t *testing.T) {
	page := `<table><tr><td colspan=2>表头</td></tr><tr><td>1</td><td>2</td></tr>` +
		`<![if !supportMisalignedColumns]><tr height=0><td width=40 style='border:none'></td>` +
		`<td width=3 style='border:none'></td><td width=37 style='border:none'></td></tr><![endif]></table>`
	doc, err := ReadHTML(context.Background(), "w.html", []byte(page), Options{})
	if err != nil {
		t.Fatalf("ReadHTML: %v", err)
	}
	tbl := tablesOf(doc)[0]
	if tbl.NumRows != 2 || tbl.NumCols != 2 {
		t.Errorf("table is %dx%d, want 2x2 without the spacer row", tbl.NumRows, tbl.NumCols)
	}
}

func TestParseHTMLSpan(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want int
	}{
		{"", 1000, 1}, {"1", 1000, 1}, {"2", 1000, 2}, {"2 ", 1000, 2}, {" 3", 1000, 3},
		{"2px", 1000, 2}, {"abc", 1000, 1}, {"-2", 1000, 1}, {"0", 65534, 0},
		{"5000", 1000, 1000}, {"99999999999999999999", 65534, 65534}, {"1.5", 1000, 1},
	}
	for _, tt := range tests {
		if got := parseHTMLSpan(tt.in, tt.max); got != tt.want {
			t.Errorf("parseHTMLSpan(%q, %d) = %d, want %d", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestIsHidden(t *testing.T) {
	tests := []struct {
		tag  string
		want bool
	}{
		{`<div style="display:none">`, true},
		{`<div style="COLOR:red; Display : None !important">`, true},
		{`<div style="visibility: hidden">`, true},
		{`<div hidden>`, true},
		{`<div aria-hidden="true">`, true},
		{`<div aria-hidden="false">`, false},
		{`<div style="display:block">`, false},
		{`<div class="hidden">`, false},
	}
	for _, tt := range tests {
		doc, err := ReadHTML(context.Background(), "h.html", []byte("<body>"+tt.tag+"隐藏</div><p>可见的尾部内容</p></body>"), Options{})
		if err != nil {
			t.Fatalf("ReadHTML(context.Background(), %q): %v", tt.tag, err)
		}
		hidden := !strings.Contains(strings.Join(parasOf(doc), "|"), "隐藏")
		if hidden != tt.want {
			t.Errorf("%s hidden = %v, want %v", tt.tag, hidden, tt.want)
		}
	}
}

// mhtOf wraps an HTML page in a Word-style MIME web archive.
func mhtOf(t testing.TB, page []byte, charset, encoding string) []byte {
	t.Helper()
	var body bytes.Buffer
	switch encoding {
	case "quoted-printable":
		w := quotedprintable.NewWriter(&body)
		if _, err := w.Write(page); err != nil {
			t.Fatal(err)
		}
		w.Close()
	case "base64":
		s := base64.StdEncoding.EncodeToString(page)
		for len(s) > 76 {
			body.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		body.WriteString(s)
	default:
		body.Write(page)
	}
	var b bytes.Buffer
	b.WriteString("MIME-Version: 1.0\r\nX-Document-Type: Worksheet\r\n" +
		"Content-Type: multipart/related; boundary=\"----=_NextPart_01DB0000.5A3B2C10\"\r\n\r\n" +
		"This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n" +
		"------=_NextPart_01DB0000.5A3B2C10\r\n" +
		"Content-Location: file:///C:/report.files/themedata.thmx\r\n" +
		"Content-Transfer-Encoding: base64\r\nContent-Type: application/vnd.ms-officetheme\r\n\r\n" +
		"UEsDBBQABgAIAAAAIQ==\r\n\r\n" +
		"------=_NextPart_01DB0000.5A3B2C10\r\n" +
		"Content-Location: file:///C:/report.htm\r\n" +
		"Content-Transfer-Encoding: " + encoding + "\r\n" +
		"Content-Type: text/html; charset=\"" + charset + "\"\r\n\r\n")
	b.Write(body.Bytes())
	b.WriteString("\r\n\r\n------=_NextPart_01DB0000.5A3B2C10--\r\n")
	return b.Bytes()
}

func TestReadMHT(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(fixturesDir, "seed-report.html"))
	if err != nil {
		t.Fatal(err)
	}
	gbkPage := gbkBytes(t, strings.Replace(string(page), `<meta charset="utf-8">`, "", 1))
	tests := []struct {
		name, charset, encoding string
		page                    []byte
		wantCharset, wantRule   string
	}{
		{"quoted-printable utf-8", "utf-8", "quoted-printable", page, "utf-8", RuleCaller},
		{"base64 gb2312", "gb2312", "base64", gbkPage, "gb2312", RuleCaller},
		{"8bit, charset wrong", "utf-8", "8bit", gbkPage, "gb18030", RuleGB18030},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadMHT(context.Background(), "report.doc", mhtOf(t, tt.page, tt.charset, tt.encoding), Options{})
			if err != nil {
				t.Fatalf("ReadMHT: %v", err)
			}
			if doc.Charset != tt.wantCharset || doc.CharsetRule != tt.wantRule {
				t.Errorf("Charset, CharsetRule = %q, %q, want %q, %q", doc.Charset, doc.CharsetRule, tt.wantCharset, tt.wantRule)
			}
			tables := tablesOf(doc)
			if len(tables) != 3 {
				t.Fatalf("got %d tables, want 3", len(tables))
			}
			checkCells(t, "table 3", tables[1], []wantCell{{7, 1, 8, 1, "（3）\n不予\n公开"}})
			if doc.Meta["PubDate"] != "2025-02-19 10:30" {
				t.Errorf("Meta[PubDate] = %q", doc.Meta["PubDate"])
			}
		})
	}
}

func TestReadMHTSinglePart(t *testing.T) {
	data := "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"<p>=E5=B9=B4=E6=8A=A5 20=\r\n24</p>"
	doc, err := ReadMHT(context.Background(), "one.mht", []byte(data), Options{})
	if err != nil {
		t.Fatalf("ReadMHT: %v", err)
	}
	if got := parasOf(doc); len(got) != 1 || got[0] != "年报 2024" {
		t.Errorf("paragraphs = %q, want [年报 2024]", got)
	}
}

func TestReadMHTNestedMultipart(t *testing.T) {
	data := "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=outer\r\n\r\n" +
		"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" +
		"--inner\r\nContent-Type: text/plain\r\n\r\n纯文本\r\n" +
		"--inner\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte("<table><tr><td>嵌套</td></tr></table>")) + "\r\n" +
		"--inner--\r\n\r\n--outer--\r\n"
	doc, err := ReadMHT(context.Background(), "nested.mht", []byte(data), Options{})
	if err != nil {
		t.Fatalf("ReadMHT: %v", err)
	}
	if tables := tablesOf(doc); len(tables) != 1 || tables[0].Rows[0][0].Text != "嵌套" {
		t.Errorf("tables = %v, want one holding 嵌套", tables)
	}
}

func TestReadMHTErrors(t *testing.T) {
	page := []byte("<p>x</p>")
	noHTML := strings.Replace(string(mhtOf(t, page, "utf-8", "8bit")), "text/html", "text/css", 1)
	badB64 := strings.Replace(string(mhtOf(t, page, "utf-8", "base64")), "PHA+eDwvcD4=", "PHA+eDw!!!!", 1)
	tests := []struct {
		name string
		data string
		opts Options
		want error
	}{
		{"empty", "", Options{}, ErrEmpty},
		{"not MIME", "<html><p>x</p></html>", Options{}, ErrFormat},
		{"no Content-Type", "MIME-Version: 1.0\r\n\r\nbody", Options{}, ErrFormat},
		{"not multipart", "Content-Type: image/png\r\n\r\nxx", Options{}, ErrFormat},
		{"no boundary", "Content-Type: multipart/related\r\n\r\nxx", Options{}, ErrFormat},
		{"no html part", noHTML, Options{}, ErrNoContent},
		{"bad base64", badB64, Options{}, ErrCorrupt},
		{"unknown transfer encoding", "Content-Type: text/html\r\nContent-Transfer-Encoding: x-uue\r\n\r\n<p>x</p>", Options{}, ErrFormat},
		{"part over the limit", string(mhtOf(t, bytes.Repeat([]byte("<p>x</p>"), 100), "utf-8", "8bit")), Options{Limits: Limits{MaxPartBytes: 100}}, ErrTooLarge},
		{"binary", "MIME-Version: 1.0\x00\x00\x01", Options{}, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadMHT(context.Background(), "bad.mht", []byte(tt.data), tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadMHT(context.Background(), ) error = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Path != "bad.mht" {
				t.Errorf("error %q is not an *Error naming the file", err)
			}
		})
	}
}

// TestReadHTMLManyCellsStopsEarly: a page of a million cells is refused
// without building its whole DOM: the read stays fast and small, and the
// error still names the limit.
func TestReadHTMLManyCellsStopsEarly(t *testing.T) {
	page := "<html><body><p>前言</p><table>" + strings.Repeat("<tr>"+strings.Repeat("<td>1", 1000), 1000) + "</table></body></html>"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := ReadHTML(context.Background(), "cells.html", []byte(page), Options{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "cells.html") {
		t.Fatalf("ReadHTML = %v, want ErrTooLarge naming the file", err)
	}
	if doc == nil || len(doc.Blocks) == 0 {
		t.Errorf("no partial document beside %v", err)
	}
	// The whole DOM of this 5 MB page takes over 200 MB; the part within
	// the default 200,000-cell limit about a fifth of that.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 120<<20 {
		t.Errorf("ReadHTML allocated %d MB for a page refused at its cell limit", alloc>>20)
	}
}

// TestReadHTMLHiddenCellsPastLimit: cells past the limit in a hidden
// table still make the page over the limit: it is never read truncated.
func TestReadHTMLHiddenCellsPastLimit(t *testing.T) {
	page := `<html><body><p>前言</p><table><tr><td>1</td></tr></table><div style="display:none"><table>` + strings.Repeat("<tr><td>1</td><td>2</td></tr>", 100) + "</table></div></body></html>"
	_, err := ReadHTML(context.Background(), "hidden.html", []byte(page), Options{Limits: Limits{MaxCells: 50}})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadHTML = %v, want ErrTooLarge", err)
	}
}
