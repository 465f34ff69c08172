package synth

// The layout of the national template: labels exactly as fields.tsv
// prints them, in printed order.

// t3row is one data row of table 3.
type t3row struct {
	key    string // key part after "requests.", e.g. "denied.state_secret"
	group  string // "denied", "unavailable", "not_processed", "other" for sub-rows
	label  string // printed label (the sub-label for sub-rows)
	result bool   // one of the result rows summed into （七）总计
}

var (
	labelCorner    = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	labelResults   = "三、本年度办理结果"
	applicantHead  = "申请人情况"
	orgHead        = "法人或其他组织"
	colLabels      = []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
	groupLabels    = map[string]string{"denied": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}
	splitColLabels = map[string][2]string{"商业企业": {"商业", "企业"}, "科研机构": {"科研", "机构"}, "社会公益组织": {"社会公益", "组织"}, "法律服务机构": {"法律服务", "机构"}, "总计": {"总", "计"}}
)

func sub(key, group, label string) t3row {
	return t3row{key: key, group: group, label: label, result: true}
}

var t3Head = []t3row{
	{key: "new", label: "一、本年新收政府信息公开申请数量"},
	{key: "carried_over", label: "二、上年结转政府信息公开申请数量"},
	{key: "granted", label: "（一）予以公开", result: true},
	{key: "partially_granted", label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", result: true},
	sub("denied.state_secret", "denied", "1.属于国家秘密"),
	sub("denied.prohibited_by_law", "denied", "2.其他法律行政法规禁止公开"),
	sub("denied.three_safeties", "denied", "3.危及“三安全一稳定”"),
	sub("denied.third_party", "denied", "4.保护第三方合法权益"),
	sub("denied.internal_affairs", "denied", "5.属于三类内部事务信息"),
	sub("denied.process_info", "denied", "6.属于四类过程性信息"),
	sub("denied.enforcement_files", "denied", "7.属于行政执法案卷"),
	sub("denied.query_matters", "denied", "8.属于行政查询事项"),
	sub("unavailable.not_held", "unavailable", "1.本机关不掌握相关政府信息"),
	sub("unavailable.needs_creation", "unavailable", "2.没有现成信息需要另行制作"),
	sub("unavailable.unclear", "unavailable", "3.补正后申请内容仍不明确"),
	sub("not_processed.petition", "not_processed", "1.信访举报投诉类申请"),
	sub("not_processed.duplicate", "not_processed", "2.重复申请"),
	sub("not_processed.publication", "not_processed", "3.要求提供公开出版物"),
	sub("not_processed.excessive", "not_processed", "4.无正当理由大量反复申请"),
	sub("not_processed.confirmation", "not_processed", "5.要求行政机关确认或重新出具已获取信息"),
}

var t3Other2021 = []t3row{
	sub("other.no_correction", "other", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
	sub("other.no_fee", "other", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
	sub("other.other", "other", "3.其他"),
}

var t3Other2019 = t3row{key: "other", label: "（六）其他处理", result: true}

var t3Tail = []t3row{
	{key: "total", label: "（七）总计"},
	{key: "carried_forward", label: "四、结转下年度继续办理"},
}

// table3Rows lists the data rows of table 3; single selects the one-row
// 其他处理 of the 2019 format.
func table3Rows(single bool) []t3row {
	rows := append([]t3row{}, t3Head...)
	if single {
		rows = append(rows, t3Other2019)
	} else {
		rows = append(rows, t3Other2021...)
	}
	return append(rows, t3Tail...)
}

var (
	table4Groups = []string{"review", "litigation_direct", "litigation_after_review"}
	table4Cols   = []string{"upheld", "corrected", "other", "pending", "total"}
	t4ColLabels  = []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
)

// t2head is a header cell of a table 2 block; t2val a value of a row.
type t2head struct {
	label string
	span  int
}

type t2val struct {
	key  string // full key, e.g. "active.rules.issued"
	k    kind
	unit string
	span int
}

type t2row struct {
	label string
	vals  []t2val
}

type t2block struct {
	caption string
	head    []t2head
	rows    []t2row
}

func cnt(key, unit string) t2val { return t2val{key: key, k: kCount, unit: unit, span: 1} }
func chg(key string) t2val       { return t2val{key: key, k: kChange, unit: "项", span: 1} }
func wide(v t2val, span int) t2val {
	v.span = span
	return v
}

var table2of2021 = []t2block{
	{"第二十条第（一）项", []t2head{{"信息内容", 1}, {"本年制发件数", 1}, {"本年废止件数", 1}, {"现行有效件数", 1}}, []t2row{
		{"规章", []t2val{cnt("active.rules.issued", "件"), cnt("active.rules.repealed", "件"), cnt("active.rules.in_force", "件")}},
		{"行政规范性文件", []t2val{cnt("active.normative_docs.issued", "件"), cnt("active.normative_docs.repealed", "件"), cnt("active.normative_docs.in_force", "件")}},
	}},
	{"第二十条第（五）项", []t2head{{"信息内容", 1}, {"本年处理决定数量", 3}}, []t2row{
		{"行政许可", []t2val{wide(cnt("active.licensing.decisions", "件"), 3)}},
	}},
	{"第二十条第（六）项", []t2head{{"信息内容", 1}, {"本年处理决定数量", 3}}, []t2row{
		{"行政处罚", []t2val{wide(cnt("active.punishment.decisions", "件"), 3)}},
		{"行政强制", []t2val{wide(cnt("active.coercion.decisions", "件"), 3)}},
	}},
	{"第二十条第（八）项", []t2head{{"信息内容", 1}, {"本年收费金额（单位：万元）", 3}}, []t2row{
		{"行政事业性收费", []t2val{{key: "active.fees.amount", k: kMoney, unit: "万元", span: 3}}},
	}},
}

var table2of2019 = []t2block{
	{"第二十条第（一）项", []t2head{{"信息内容", 1}, {"本年新制作数量", 1}, {"本年新公开数量", 1}, {"对外公开总数量", 1}}, []t2row{
		{"规章", []t2val{cnt("active.rules.made", "件"), cnt("active.rules.published", "件"), cnt("active.rules.total_public", "件")}},
		{"规范性文件", []t2val{cnt("active.normative_docs.made", "件"), cnt("active.normative_docs.published", "件"), cnt("active.normative_docs.total_public", "件")}},
	}},
	{"第二十条第（五）项", []t2head{{"信息内容", 1}, {"上一年项目数量", 1}, {"本年增/减", 1}, {"处理决定数量", 1}}, []t2row{
		{"行政许可", []t2val{cnt("active.licensing.items_prev_year", "项"), chg("active.licensing.items_change"), cnt("active.licensing.decisions", "件")}},
		{"其他对外管理服务事项", []t2val{cnt("active.other_services.items_prev_year", "项"), chg("active.other_services.items_change"), cnt("active.other_services.decisions", "件")}},
	}},
	{"第二十条第（六）项", []t2head{{"信息内容", 1}, {"上一年项目数量", 1}, {"本年增/减", 1}, {"处理决定数量", 1}}, []t2row{
		{"行政处罚", []t2val{cnt("active.punishment.items_prev_year", "项"), chg("active.punishment.items_change"), cnt("active.punishment.decisions", "件")}},
		{"行政强制", []t2val{cnt("active.coercion.items_prev_year", "项"), chg("active.coercion.items_change"), cnt("active.coercion.decisions", "件")}},
	}},
	{"第二十条第（八）项", []t2head{{"信息内容", 1}, {"上一年项目数量", 1}, {"本年增/减", 2}}, []t2row{
		{"行政事业性收费", []t2val{cnt("active.fees.items_prev_year", "项"), wide(chg("active.fees.items_change"), 2)}},
	}},
	{"第二十条第（九）项", []t2head{{"信息内容", 1}, {"采购项目数量", 1}, {"采购总金额", 2}}, []t2row{
		{"政府集中采购", []t2val{cnt("active.procurement.projects", "项"), {key: "active.procurement.amount", k: kMoney, unit: "万元", span: 2}}},
	}},
}
