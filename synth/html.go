package synth

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// htmlw accumulates an HTML page.
type htmlw struct {
	*bytes.Buffer
	g *gen
}

func (w *htmlw) text(s string) { writeEscaped(w.Buffer, s, "<br>") }

const msoSpan = `<span lang="EN-US" style="font-size:10.0pt;font-family:宋体;mso-bidi-font-family:宋体;color:black;mso-font-kerning:0pt">`

// inline writes text the way the page's editor wrote it: plain, or as
// Word-pasted spans with digits split across spans.
func (w *htmlw) inline(s string, bodyText bool) {
	if !w.g.m.WordPaste {
		w.text(s)
		return
	}
	r := w.g.r
	open := msoSpan
	if bodyText {
		open = msoBodySpan
	}
	pieces := []string{s}
	if n := utf8.RuneCountInString(s); n >= 2 && (isDigits(s) || r.Intn(3) == 0) {
		rs := []rune(s)
		at := 1 + r.Intn(n-1)
		pieces = []string{string(rs[:at]), string(rs[at:])}
	}
	for _, p := range pieces {
		font := r.Intn(5) == 0
		if font {
			w.WriteString(`<font face="宋体">`)
		}
		w.WriteString(open)
		w.text(p)
		w.WriteString("</span>")
		if font {
			w.WriteString("</font>")
		}
	}
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

const (
	msoBodySpan    = `<span style="font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体;mso-bidi-font-family:宋体">`
	editorBodySpan = `<span style="font-family:仿宋_GB2312;font-size:16pt;">`
)

func (w *htmlw) para(style, s string, cuts int) {
	if w.g.m.WordPaste {
		w.WriteString(`<p class="MsoNormal" style="` + style + `;mso-line-height-rule:exactly">`)
		if cuts > 0 {
			w.spans(msoBodySpan, s, cuts)
		} else {
			w.inline(s, true)
		}
		w.WriteString(`<span lang="EN-US" style="font-size:16.0pt;font-family:仿宋_GB2312"><o:p></o:p></span></p>` + "\n")
		return
	}
	w.WriteString(`<p style="` + style + `">`)
	if cuts > 0 {
		w.spans(editorBodySpan, s, cuts)
	} else {
		w.text(s)
	}
	w.WriteString("</p>\n")
}

// spans writes text cut into cuts+1 spans, as a rich-text editor leaves it.
func (w *htmlw) spans(open, s string, cuts int) {
	for _, p := range w.g.cut(s, cuts) {
		w.WriteString(open)
		w.text(p)
		w.WriteString("</span>")
	}
}

func (w *htmlw) block(b block, cuts int) {
	switch b.kind {
	case bTitle:
		if !w.g.m.CMSChrome || w.g.r.Intn(2) == 0 {
			w.para("text-align:center;font-size:22pt;font-weight:bold", b.text, 0)
		}
	case bHeading:
		w.para("text-indent:2em;font-family:黑体", b.text, 0)
	case bPara:
		w.para("text-indent:2em;line-height:1.8", b.text, cuts)
	case bBlank:
		w.WriteString("<p>&nbsp;</p>\n")
	case bSignature:
		w.para("text-align:right", b.text, 0)
	case bPageBreak:
		if w.g.m.WordPaste {
			w.WriteString(`<span lang="EN-US" style="font-size:10.5pt;mso-bidi-font-size:12.0pt;font-family:&quot;Times New Roman&quot;;mso-fareast-font-family:宋体;mso-ansi-language:EN-US;mso-fareast-language:ZH-CN;mso-bidi-language:AR-SA"><br clear="all" style="page-break-before:always"></span>` + "\n")
		} else {
			w.WriteString("<p>&nbsp;</p>\n")
		}
	case bTable:
		w.table(b.tbl)
	}
}

// rowspans gives, for every vmRestart cell, how many rows it covers.
func rowspans(t *table) map[*cell]int {
	out := map[*cell]int{}
	start := make([]map[int]*cell, len(t.rows)) // grid col → cell starting there
	for i, row := range t.rows {
		start[i] = map[int]*cell{}
		col := 0
		for _, c := range row {
			start[i][col] = c
			col += c.span
		}
	}
	for i, row := range t.rows {
		col := 0
		for _, c := range row {
			if c.vm == vmRestart {
				n := 1
				for j := i + 1; j < len(t.rows); j++ {
					if x := start[j][col]; x != nil && x.vm == vmContinue {
						n++
						continue
					}
					break
				}
				out[c] = n
			}
			col += c.span
		}
	}
	return out
}

func (w *htmlw) table(t *table) {
	spans := rowspans(t)
	wp := w.g.m.WordPaste
	total := 0
	for _, x := range t.grid {
		total += x
	}
	if wp {
		w.WriteString(`<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="` + strconv.Itoa(total/15) + `" style="width:` + strconv.Itoa(total/20) + `.0pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt">` + "\n")
	} else {
		w.WriteString(`<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%">` + "\n")
	}
	w.WriteString("<tbody>\n")
	for ri, row := range t.rows {
		if wp {
			w.WriteString(`<tr style="mso-yfti-irow:` + strconv.Itoa(ri) + `;height:17.0pt">`)
		} else {
			w.WriteString("<tr>")
		}
		col := 0
		for _, c := range row {
			width := 0
			for k := col; k < col+c.span && k < len(t.grid); k++ {
				width += t.grid[k]
			}
			col += c.span
			if c.vm == vmContinue {
				continue
			}
			w.WriteString("<td")
			if c.span > 1 {
				w.WriteString(` colspan="` + strconv.Itoa(c.span) + `"`)
			}
			if n := spans[c]; n > 1 {
				w.WriteString(` rowspan="` + strconv.Itoa(n) + `"`)
			}
			if wp {
				w.WriteString(` width="` + strconv.Itoa(width/15) + `" style="width:` + strconv.Itoa(width/20) + `.0pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt;height:17.0pt`)
				if c.shade {
					w.WriteString(`;background:#C6D9F1`)
				}
				w.WriteString(`">`)
			} else {
				w.WriteString(` style="text-align:center;vertical-align:middle"`)
				if c.shade {
					w.WriteString(` bgcolor="#C6D9F1"`)
				}
				w.WriteString(">")
			}
			paras := c.paras
			if len(paras) == 0 {
				paras = []string{""}
			}
			for pi, p := range paras {
				switch {
				case wp:
					w.WriteString(`<p class="MsoNormal" align="center" style="text-align:center;mso-pagination:widow-orphan">`)
					if p == "" {
						w.WriteString(`<span lang="EN-US" style="font-size:10.0pt;font-family:宋体"><o:p>&nbsp;</o:p></span></p>`)
						continue
					}
					w.inline(p, false)
					w.WriteString(`<span lang="EN-US" style="font-size:10.0pt;font-family:宋体"><o:p></o:p></span></p>`)
				case len(paras) > 1:
					if pi > 0 {
						w.WriteString("<br>")
					}
					w.text(p)
				case p == "":
					w.WriteString("&nbsp;")
				default:
					w.text(p)
				}
			}
			w.WriteString("</td>")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</tbody>\n</table>\n")
}

// site is the CMS site the page sits on.
func (g *gen) site() string {
	if strings.Contains(g.agency, "人民政府") {
		return g.agency[:strings.Index(g.agency, "人民政府")+len("人民政府")]
	}
	return g.agency
}

func (g *gen) html() ([]byte, error) {
	r := g.r
	head := &htmlw{new(bytes.Buffer), g}
	head.Grow(16 << 10)
	tail := &htmlw{new(bytes.Buffer), g}

	// Where the charset is declared: 0 early, 1 none, 2 late (past 1 KB).
	decl := 0
	if x := r.Intn(10); g.m.GBK && x < 3 {
		decl = 1
	} else if g.m.GBK && x < 6 {
		decl = 2
	}
	charset := "utf-8"
	if g.m.GBK {
		charset = []string{"gb2312", "gbk", "GB2312"}[r.Intn(3)]
	}
	metaCharset := `<meta http-equiv="Content-Type" content="text/html; charset=` + charset + `">` + "\n"
	if r.Intn(2) == 0 {
		metaCharset = `<meta charset="` + charset + `">` + "\n"
	}
	pub := fmt.Sprintf("%04d-%02d-%02d", g.year+1, g.pm, g.pd)

	if g.m.WordPaste && !g.m.CMSChrome {
		head.WriteString(`<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">` + "\n<head>\n")
	} else {
		head.WriteString("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n")
	}
	if decl == 0 {
		head.WriteString(metaCharset)
	}
	if decl == 2 {
		head.WriteString("<style type=\"text/css\">\n")
		for i := 0; head.Len() < 1400; i++ {
			head.WriteString(".c" + strconv.Itoa(i) + "{margin:0;padding:0;font-size:14px;line-height:28px;color:#333333;font-family:\"Microsoft YaHei\",SimSun}\n")
		}
		head.WriteString("</style>\n")
		head.WriteString(metaCharset)
	}
	site := g.site()
	head.WriteString("<title>")
	head.text(g.title)
	if g.m.CMSChrome {
		head.WriteString("_")
		head.text(site)
	}
	head.WriteString("</title>\n")
	if g.m.CMSChrome {
		for _, kv := range [][2]string{
			{"SiteName", site}, {"SiteDomain", "www.example.gov.cn"}, {"SiteIDCode", strconv.Itoa(3200000000 + r.Intn(99999999))},
			{"ColumnName", []string{"政府信息公开年报", "年度报告", "政府信息公开工作年度报告"}[r.Intn(3)]}, {"ColumnType", "政府信息公开年报"},
			{"ArticleTitle", g.title}, {"PubDate", pub + fmt.Sprintf(" %02d:%02d", 8+r.Intn(10), r.Intn(60))},
			{"ContentSource", g.agency}, {"Keywords", "政府信息公开,年度报告"}, {"Description", g.title},
		} {
			head.WriteString(`<meta name="` + kv[0] + `" content="`)
			head.text(kv[1])
			head.WriteString("\">\n")
		}
		head.WriteString(`<link rel="stylesheet" type="text/css" href="/images/common.css">` + "\n" + `<script type="text/javascript" src="/js/jquery.min.js"></script>` + "\n")
	}
	if g.m.WordPaste {
		head.WriteString("<style>\n<!--\n p.MsoNormal, li.MsoNormal, div.MsoNormal {mso-style-unhide:no;mso-style-qformat:yes;margin:0cm;text-align:justify;text-justify:inter-ideograph;font-size:10.5pt;font-family:\"Times New Roman\",serif;}\n@page WordSection1 {size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}\ndiv.WordSection1 {page:WordSection1;}\n-->\n</style>\n")
	}
	head.WriteString("</head>\n<body>\n")
	if g.m.CMSChrome {
		head.WriteString(`<div class="header"><div class="logo"><a href="/">`)
		head.text(site)
		head.WriteString(`</a></div><ul class="nav">`)
		for _, n := range []string{"首页", "新闻中心", "政务公开", "政务服务", "互动交流", "走进" + g.place, "专题专栏"} {
			head.WriteString(`<li><a href="/` + strconv.Itoa(r.Intn(9000)+1000) + `/">` + n + `</a></li>`)
		}
		head.WriteString("</ul></div>\n<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; <a href=\"/ndbg/\">政府信息公开年报</a></div>\n")
		head.WriteString(`<div class="article"><h1 class="title">`)
		head.text(g.title)
		head.WriteString(`</h1><div class="info"><span>发布日期：` + pub + `</span><span>来源：`)
		head.text(g.agency)
		head.WriteString(`</span><span>浏览次数：<script>document.write(Math.floor(Math.random()*1000))</script></span><span>字号：[<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>]</span></div>` + "\n")
		head.WriteString(`<div class="TRS_Editor"><div class="TRS_PreAppend" style="overflow-x:hidden;word-break:break-all">` + "\n")
	} else if g.m.WordPaste {
		head.WriteString(`<div class="WordSection1" style="layout-grid:15.6pt">` + "\n")
	} else {
		head.WriteString("<div class=\"content\">\n")
	}

	if g.m.CMSChrome {
		tail.WriteString("</div></div></div>\n<div class=\"related\"><h3>相关链接</h3><ul>")
		for _, l := range []string{"中国政府网", "省人民政府", "市人民政府", "政务服务网", "信用中国"} {
			tail.WriteString(`<li><a href="#">` + l + `</a></li>`)
		}
		tail.WriteString("</ul></div>\n<div class=\"footer\"><p>主办单位：")
		tail.text(site + "办公室")
		tail.WriteString("　网站标识码：" + strconv.Itoa(3200000000+r.Intn(99999999)) + "</p><p>ICP备案号：苏ICP备" + strconv.Itoa(10000000+r.Intn(89999999)) + "号</p><p>建议使用1024×768分辨率浏览本网站</p></div>\n")
		tail.WriteString(`<script type="text/javascript">function doZoom(size){var c=document.querySelector(".TRS_Editor");if(c){c.style.fontSize=size+"px";}}</script>` + "\n")
	} else {
		tail.WriteString("</div>\n")
	}
	tail.WriteString("</body>\n</html>\n")
	render := func(buf *bytes.Buffer, b block, cuts int) {
		w := htmlw{buf, g}
		w.block(b, cuts)
	}
	cost := len(editorBodySpan) + len("</span>")
	if g.m.WordPaste {
		cost = len(msoBodySpan) + len("</span>")
	}
	page := g.layout(head.Bytes(), tail.Bytes(), render, cost)
	defer bufPool.Put(page)
	if !g.m.GBK {
		return bytes.Clone(page.Bytes()), nil
	}
	enc := encoding.HTMLEscapeUnsupported(simplifiedchinese.GBK.NewEncoder())
	out, err := enc.Bytes(page.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gbk: %w", err)
	}
	return out, nil
}
