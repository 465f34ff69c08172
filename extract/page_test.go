package extract

import (
	"strings"
	"testing"
)

func TestMetaPageFields(t *testing.T) {
	info := tbl(
		[]string{"名称", "某某县发展和改革局2024年政府信息公开工作年度报告@c3"},
		[]string{"索引号", "11320800014000000X/2025-00012", "发布机构", "某某县发展和改革局"},
		[]string{"发文日期", "2025-01-21", "文号", ""},
	)
	tests := []struct {
		name                    string
		blocks                  []any
		meta                    map[string]string
		agency, published, warn string
	}{
		{name: "crawler's title label", blocks: []any{"标题：某某县发展和改革局2024年政府信息公开工作年度报告", "正文。"},
			agency: "某某县发展和改革局"},
		{name: "labels before the title", blocks: []any{"索引号：1132/2025-00012 标题：某某县发展和改革局2024年政府信息公开工作年度报告", "正文。"},
			agency: "某某县发展和改革局"},
		{name: "information table", blocks: []any{"首页 > 政务公开 > 法定主动公开内容", info, "某某县发展和改革局2024年政府信息公开工作年度报告", "正文。"},
			agency: "某某县发展和改革局", published: "2025-01-21", warn: "published date taken from the page's information table (2025-01-21)"},
		{name: "information table, title without agency", blocks: []any{info, "2024年政府信息公开工作年度报告", "正文。"},
			agency: "某某县发展和改革局", published: "2025-01-21", warn: "agency taken from the page's information table"},
		{name: "information table disagrees", blocks: []any{info, "某某县统计局2024年政府信息公开工作年度报告", "正文。"},
			agency: "某某县发展和改革局", published: "2025-01-21", warn: "agency in the page's information table (某某县发展和改革局) differs from the title (某某县统计局)"},
		{name: "signature wins over info date", blocks: []any{info, "某某县发展和改革局2024年政府信息公开工作年度报告", "正文。", "某某县发展和改革局", "2025年1月18日"},
			agency: "某某县发展和改革局", published: "2025-01-18"},
		{name: "header line", blocks: []any{"某某县发展和改革局2024年政府信息公开工作年度报告", "来源：某某县人民政府办公室 时间：2025-01-22 浏览次数：18", "正文。"},
			agency: "某某县发展和改革局", published: "2025-01-22", warn: "the page's header line names 某某县人民政府办公室"},
		{name: "signature names another unit", blocks: []any{"某某县发展和改革局2024年政府信息公开工作年度报告", "正文。", "某某县人民政府办公室", "2025年1月18日"},
			agency: "某某县发展和改革局", published: "2025-01-18", warn: "agency in the title (某某县发展和改革局) differs from the signature (某某县人民政府办公室)"},
		{name: "meta tags name the wrong site", blocks: []any{"某某县发展和改革局2024年政府信息公开工作年度报告", "正文。"},
			meta:   map[string]string{"ArticleTitle": "某某县统计局2024年政府信息公开工作年度报告"},
			agency: "某某县发展和改革局", warn: "the page's meta tags name 某某县统计局; the title's agency (某某县发展和改革局) used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(tt.blocks...)
			d.Meta = tt.meta
			rec, _ := Extract(d)
			if deref(rec.Agency) != tt.agency {
				t.Errorf("agency = %q, want %q (warnings %q)", deref(rec.Agency), tt.agency, rec.Warnings)
			}
			if rec.Year == nil || *rec.Year != 2024 {
				t.Errorf("year = %v, want 2024", rec.Year)
			}
			if deref(rec.Published) != tt.published {
				t.Errorf("published = %q, want %q", deref(rec.Published), tt.published)
			}
			if tt.warn != "" && !hasWarning(rec, tt.warn) {
				t.Errorf("no warning %q in %q", tt.warn, rec.Warnings)
			}
			for _, s := range rec.Sections {
				for _, bad := range []string{"标题", "索引号", "首页", "来源", "浏览次数"} {
					if strings.Contains(s, bad) {
						t.Errorf("section holds %q: %q", bad, s)
					}
				}
			}
		})
	}
}

func TestChromeNotNarrative(t *testing.T) {
	chrome := []string{
		"首页 > 政务公开 > 政府信息公开年报", "当前位置：首页 » 信息公开", "分享到：微信 微博 QQ空间", "字号：大 中 小",
		"来源：某某县人民政府 时间：2025-01-20", "发布时间：2025-01-20 10:30", "附件下载", "扫一扫在手机上打开当前页",
		"全真版 文字版", "【打印】【关闭】", "浏览次数：1024", "上一篇：某某县2023年报告",
	}
	keep := []string{"2024年，某某县认真贯彻落实《条例》。", "时间：2024年1月1日至12月31日", "群众可通过扫一扫二维码查询办事指南，方便快捷。",
		"一是加强组织领导", "附件：政府信息公开申请表（略）", "（四）推进网站无障碍改造", "（三）推行扫码申请",
		"2.发布图解和文字版解读"}
	for _, c := range chrome {
		if !isChrome(c) {
			t.Errorf("isChrome(%q) = false", c)
		}
	}
	for _, k := range keep {
		if isChrome(k) {
			t.Errorf("isChrome(%q) = true", k)
		}
	}
	// In a report whose text stands outside any content container: the
	// chrome lines are among its paragraphs.
	blocks := []any{"首页 > 政务公开 > 政府信息公开年报", "字号：大 中 小", "分享到：", "某某县人民政府2024年政府信息公开工作年度报告",
		"来源：某某县人民政府办公室 时间：2025-01-20", "一、总体情况", "2024年，某某县……", "扫一扫", "二、主动公开政府信息情况",
		t2Build2021(zeros(10)), t3Build(t3spec{})[0], t4Build(zeros(15)), "五、存在的主要问题及改进情况", "问题。", "附件下载",
		"六、其他需要报告的事项", "无。", "某某县人民政府", "2025年1月20日", "全真版 文字版", "【打印】【关闭】", "扫一扫在手机上打开当前页"}
	rec, _ := Extract(doc(blocks...))
	want := map[string]string{"overview": "2024年，某某县……", "problems": "问题。", "other": "无。"}
	for k, v := range want {
		if rec.Sections[k] != v {
			t.Errorf("section %s = %q, want %q", k, rec.Sections[k], v)
		}
	}
	if deref(rec.Published) != "2025-01-20" || deref(rec.Agency) != "某某县人民政府" {
		t.Errorf("agency %q published %q", deref(rec.Agency), deref(rec.Published))
	}
}

func TestSectionHeadingTypos(t *testing.T) {
	for h, want := range map[string]string{
		"四、政府信息公开行政法复议、行政诉讼情况": "review",
		"四、行政法复议情况":            "review",
		"三、收到和处理政府信息公开申请情况":    "requests",
		"二、主动公开政府信息情况":         "active",
	} {
		if got := sectionOf(h); got != want {
			t.Errorf("sectionOf(%q) = %q, want %q", h, got, want)
		}
	}
}
