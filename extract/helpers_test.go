package extract

import (
	"fmt"
	"strconv"
	"strings"

	"ogi/parser"
)

// tbl builds a table row by row. A cell is written "text", "text@c3"
// (colspan), "text@r2" (rowspan) or "text@r2@c3".
func tbl(rows ...[]string) *parser.Table {
	b := parser.NewBuilder()
	for _, row := range rows {
		b.StartRow()
		for _, s := range row {
			parts := strings.Split(s, "@")
			c := &parser.Cell{Text: parts[0]}
			for _, p := range parts[1:] {
				n, _ := strconv.Atoi(p[1:])
				switch p[0] {
				case 'c':
					c.ColSpan = n
				case 'r':
					c.RowSpan = n
				}
			}
			b.Add(c)
		}
	}
	return b.Table()
}

func doc(blocks ...any) *parser.Document {
	d := &parser.Document{Path: "test", Format: parser.FormatDOCX}
	for _, x := range blocks {
		switch v := x.(type) {
		case string:
			d.Blocks = append(d.Blocks, parser.Block{Para: &parser.Paragraph{Text: v}})
		case *parser.Table:
			d.Blocks = append(d.Blocks, parser.Block{Table: v})
		}
	}
	return d
}

// t3spec says how to print a test table 3.
type t3spec struct {
	single      bool              // 2019: one 其他处理 row
	vals        map[string]string // "row.col" → cell text; missing = "0"
	noSubLabels map[string]bool   // groups printed without sub-labels
	stray       map[string]bool   // groups with a stray "0" where the sub-label goes
	label       map[string]string // row key → printed label replacing the template's
	splitAt     string            // row key where the table is split in two
	// mergeOther holds, by column, the text of one value cell merged over
	// the three sub-rows of （六）其他处理 (rowspan 3).
	mergeOther map[string]string
}

var t3SubTexts = map[string][]string{
	"denied": {"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
		"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"},
	"unavailable": {"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"},
	"not_processed": {"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
		"5.要求行政机关确认或重新出具已获取信息"},
	"other": {"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"},
}

// t3Build prints table 3 (possibly as two tables when split).
func t3Build(s t3spec) []*parser.Table {
	v := func(row, col string) string {
		if x, ok := s.vals[row+"."+col]; ok {
			return x
		}
		return "0"
	}
	vals := func(row string) []string {
		var out []string
		for _, c := range t3Cols {
			out = append(out, v(row, c))
		}
		return out
	}
	lab := func(key, def string) string {
		if l, ok := s.label[key]; ok {
			return l
		}
		return def
	}
	rows := [][]string{
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）@r3@c3", "申请人情况@c7"},
		{"自然人@r2", "法人或其他组织@c5", "总计@r2"},
		{"商业\n企业", "科研机构", "社会公益组织", "法律服务机构", "其他"},
		append([]string{lab("new", "一、本年新收政府信息公开申请数量") + "@c3"}, vals("new")...),
		append([]string{lab("carried_over", "二、上年结转政府信息公开申请数量") + "@c3"}, vals("carried_over")...),
	}
	nres := 22
	if s.single {
		nres = 20
	}
	var split int
	var groupSpan [][2]int
	add := func(key string, cells ...string) {
		if key == s.splitAt {
			split = len(rows)
		}
		rows = append(rows, append(cells, vals(key)...))
	}
	add("granted", "三、本年度办理结果@r"+strconv.Itoa(nres), lab("granted", "（一）予以公开")+"@c2")
	add("partially_granted", lab("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")+"@c2")
	for _, g := range []string{"denied", "unavailable", "not_processed", "other"} {
		subs := t3SubTexts[g]
		if g == "other" && s.single {
			add("other", lab("other", "（六）其他处理")+"@c2")
			continue
		}
		gname := map[string]string{"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}[g]
		keys := map[string][]string{}
		for _, l := range t3Subs[g] {
			keys[g] = append(keys[g], g+"."+l.id)
		}
		gstart := len(rows)
		groupSpan = append(groupSpan, [2]int{gstart, gstart + len(subs)})
		for i, sub := range subs {
			key := keys[g][i]
			var cells []string
			if i == 0 {
				cells = append(cells, lab(g, gname)+"@r"+strconv.Itoa(len(subs)))
			}
			switch {
			case s.stray[g]:
				cells = append(cells, "0")
			case s.noSubLabels[g]:
				cells = append(cells, "")
			default:
				cells = append(cells, lab(key, sub))
			}
			if g == "other" && len(s.mergeOther) > 0 {
				if key == s.splitAt {
					split = len(rows)
				}
				for _, c := range t3Cols {
					m, ok := s.mergeOther[c]
					switch {
					case !ok:
						cells = append(cells, v(key, c))
					case i == 0:
						cells = append(cells, m+"@r3")
					}
				}
				rows = append(rows, cells)
				continue
			}
			add(key, cells...)
		}
	}
	add("total", lab("total", "（七）总计")+"@c2")
	add("carried_forward", lab("carried_forward", "四、结转下年度继续办理")+"@c3")
	if split == 0 {
		return []*parser.Table{tbl(rows...)}
	}
	// Split: the second part restarts merged label cells empty. Rebuild
	// the label cells of its first row so spans fit.
	first := tbl(rows[:split]...)
	rest := append([][]string(nil), rows[split:]...)
	lead := []string{"@r" + strconv.Itoa(5+nres-split)}
	for _, gs := range groupSpan {
		if split > gs[0] && split < gs[1] {
			lead = append(lead, "@r"+strconv.Itoa(gs[1]-split))
		}
	}
	rest[0] = append(lead, rest[0]...)
	return []*parser.Table{first, tbl(rest...)}
}

// t4Build prints table 4 with the given 15 cells.
func t4Build(vals []string) *parser.Table {
	return tbl(
		[]string{"行政复议@c5", "行政诉讼@c10"},
		[]string{"结果维持@r2", "结果纠正@r2", "其他结果@r2", "尚未审结@r2", "总\n计@r2", "未经复议直接起诉@c5", "复议后起诉@c5"},
		[]string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总 计   ", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"},
		vals,
	)
}

func zeros(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "0"
	}
	return out
}

// t2Build2021 prints table 2 in the 2021 format as one table, with the
// given values in template order (10 cells).
func t2Build2021(v []string) *parser.Table {
	return tbl(
		[]string{"第二十条第（一）项@c4"},
		[]string{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
		[]string{"规章", v[0], v[1], v[2]},
		[]string{"行政规范性文件", v[3], v[4], v[5]},
		[]string{"第二十条第（五）项@c4"},
		[]string{"信息内容", "本年处理决定数量@c3"},
		[]string{"行政许可", v[6] + "@c3"},
		[]string{"第二十条第（六）项@c4"},
		[]string{"信息内容", "本年处理决定数量@c3"},
		[]string{"行政处罚", v[7] + "@c3"},
		[]string{"行政强制", v[8] + "@c3"},
		[]string{"第二十条第（八）项@c4"},
		[]string{"信息内容", "本年收费金额（单位：万元）@c3"},
		[]string{"行政事业性收费", v[9] + "@c3"},
	)
}

// t2Build2019 prints table 2 in the 2019 format (22 cells in template
// order). When mismatch is set, the 本年增/减 header spans two columns and
// the value rows split it as 0 | 0 spanning 2 then... as real reports do.
func t2Build2019(v []string) *parser.Table {
	return tbl(
		[]string{"第二十条第（一）项@c4"},
		[]string{"信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"},
		[]string{"规章", v[0], v[1], v[2]},
		[]string{"规范性文件", v[3], v[4], v[5]},
		[]string{"第二十条第（五）项@c4"},
		[]string{"信息内容", "上一年项目数量", "本年增/减", "处理决定数量"},
		[]string{"行政许可", v[6], v[7], v[8]},
		[]string{"其他对外管理服务事项", v[9], v[10], v[11]},
		[]string{"第二十条第（六）项@c4"},
		[]string{"信息内容", "上一年项目数量", "本年增/减", "处理决定数量"},
		[]string{"行政处罚", v[12], v[13], v[14]},
		[]string{"行政强制", v[15], v[16], v[17]},
		[]string{"第二十条第（八）项@c4"},
		[]string{"信息内容", "上一年项目数量", "本年增/减@c2"},
		[]string{"行政事业性收费", v[18], v[19] + "@c2"},
		[]string{"第二十条第（九）项@c4"},
		[]string{"信息内容", "采购项目数量", "采购总金额@c2"},
		[]string{"政府集中采购", v[20], v[21] + "@c2"},
	)
}

func fmtFields(r *Record, keys ...string) string {
	var b strings.Builder
	for _, k := range keys {
		v, ok := r.Fields[k]
		switch {
		case !ok:
			fmt.Fprintf(&b, "%s=absent ", k)
		case v == nil:
			fmt.Fprintf(&b, "%s=null ", k)
		default:
			fmt.Fprintf(&b, "%s=%s ", k, *v)
		}
	}
	return b.String()
}

func show(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}

func showN(n *Number) string {
	if n == nil {
		return "null"
	}
	return string(*n)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
