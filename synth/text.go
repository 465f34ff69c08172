package synth

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
)

// Agencies and narrative text.

type cityInfo struct {
	province string
	city     string
	counties []string
	towns    []string
	postcode string
	area     string // telephone area code
}

var cities = []cityInfo{
	{"江苏省", "淮安市", []string{"洪泽区", "淮阴区", "清江浦区", "涟水县", "盱眙县", "金湖县"}, []string{"高良涧街道", "老子山镇", "岔河镇", "东双沟镇", "黄集街道", "蒋坝镇", "三河镇", "西顺河镇", "马坝镇", "戴楼街道"}, "223100", "0517"},
	{"新疆维吾尔自治区", "塔城地区", []string{"额敏县", "托里县", "裕民县", "和布克赛尔蒙古自治县"}, []string{"额玛勒郭楞蒙古民族乡", "玛依塔斯镇", "二道桥乡", "郊区乡", "上户镇", "杰勒阿尕什镇", "喀拉也木勒镇"}, "834600", "0901"},
	{"四川省", "成都市", []string{"双流区", "郫都区", "金堂县", "大邑县", "蒲江县"}, []string{"黄水镇", "永安镇", "团结街道", "竹篙镇", "安仁镇", "西来镇", "寿安镇"}, "610200", "028"},
	{"河南省", "洛阳市", []string{"孟津区", "新安县", "栾川县", "嵩县", "汝阳县"}, []string{"城关镇", "平乐镇", "石寺镇", "陶湾镇", "车村镇", "付店镇", "十八盘乡"}, "471100", "0379"},
	{"山东省", "临沂市", []string{"兰山区", "沂南县", "郯城县", "沂水县", "费县"}, []string{"柳青街道", "岸堤镇", "马头镇", "黄山铺镇", "探沂镇", "许家湖镇", "薛庄镇"}, "276000", "0539"},
	{"湖南省", "岳阳市", []string{"华容县", "湘阴县", "平江县", "岳阳县", "君山区"}, []string{"三封寺镇", "鹤龙湖镇", "加义镇", "新墙镇", "钱粮湖镇", "东山镇", "白羊田镇"}, "414000", "0730"},
	{"广东省", "韶关市", []string{"乐昌市", "南雄市", "仁化县", "始兴县", "翁源县"}, []string{"坪石镇", "珠玑镇", "丹霞街道", "马市镇", "官渡镇", "北乡镇", "长江镇"}, "512000", "0751"},
	{"安徽省", "六安市", []string{"霍山县", "金寨县", "舒城县", "霍邱县", "裕安区"}, []string{"衡山镇", "梅山镇", "城关镇", "叶集镇", "独山镇", "孙岗乡", "天堂寨镇"}, "237000", "0564"},
	{"江西省", "赣州市", []string{"瑞金市", "于都县", "兴国县", "宁都县", "会昌县"}, []string{"象湖镇", "贡江镇", "潋江镇", "梅江镇", "文武坝镇", "沙洲坝镇", "黄柏乡"}, "341000", "0797"},
	{"甘肃省", "天水市", []string{"秦州区", "麦积区", "甘谷县", "武山县", "清水县"}, []string{"玉泉镇", "马跑泉镇", "大像山镇", "城关镇", "洛门镇", "白驼镇", "中梁镇"}, "741000", "0938"},
	{"云南省", "曲靖市", []string{"宣威市", "会泽县", "陆良县", "师宗县", "罗平县"}, []string{"宛水街道", "古城街道", "中枢街道", "丹凤街道", "罗雄街道", "板桥镇", "大井镇"}, "655000", "0874"},
	{"贵州省", "遵义市", []string{"湄潭县", "仁怀市", "绥阳县", "凤冈县", "余庆县"}, []string{"湄江街道", "茅台镇", "洋川街道", "龙泉街道", "白泥镇", "永兴镇", "鲁班街道"}, "563000", "0851"},
}

var departments = []string{
	"卫生健康委员会", "教育局", "财政局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
	"交通运输局", "农业农村局", "水利局", "市场监督管理局", "应急管理局", "民政局",
	"人力资源和社会保障局", "司法局", "商务局", "文化广电和旅游局", "统计局", "医疗保障局",
	"退役军人事务局", "发展和改革委员会", "审计局", "林业局", "城市管理局", "公安局",
}

// randomAgency returns an agency name, its place name (for prose) and its
// scale: 0 township, 1 county or department, 2 city.
func randomAgency(r *rand.Rand) (agency, place string, scale int) {
	c := cities[r.Intn(len(cities))]
	county := c.counties[r.Intn(len(c.counties))]
	countyFull := county
	if strings.HasSuffix(county, "区") && !strings.HasSuffix(c.city, "地区") {
		countyFull = c.city + county
	}
	cityGov := c.city + "人民政府"
	if strings.HasSuffix(c.city, "地区") {
		cityGov = c.city + "行政公署"
	}
	switch x := r.Intn(20); {
	case x < 9: // township or street
		town := c.towns[r.Intn(len(c.towns))]
		prefix := county
		if r.Intn(3) == 0 {
			prefix = ""
		}
		if strings.HasSuffix(town, "街道") {
			return prefix + town + "办事处", town, 0
		}
		return prefix + town + "人民政府", town, 0
	case x < 13:
		return countyFull + "人民政府", county, 1
	case x < 14:
		return countyFull + "人民政府办公室", county, 1
	case x < 17:
		return countyFull + departments[r.Intn(len(departments))], county, 1
	case x < 19:
		if r.Intn(2) == 0 {
			return c.city + departments[r.Intn(len(departments))], c.city, 2
		}
		return cityGov, c.city, 2
	default:
		return cityGov + "办公室", c.city, 2
	}
}

// narrator writes plausible report prose for one agency and year.
type narrator struct {
	r      *rand.Rand
	agency string
	place  string
	year   int
	rep    *strings.Replacer
}

func newNarrator(r *rand.Rand, agency, place string, year int) narrator {
	return narrator{r: r, agency: agency, place: place, year: year,
		rep: strings.NewReplacer("{A}", agency, "{P}", place, "{Y}", strconv.Itoa(year))}
}

func (n narrator) pick(xs ...string) string { return xs[n.r.Intn(len(xs))] }

func (n narrator) fill(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	return n.rep.Replace(s)
}

func (n narrator) intro(notice2019 bool, period bool) string {
	notice := "国办公开办函〔2021〕30号"
	if notice2019 {
		notice = "国办公开办函〔2019〕60号"
	}
	s := n.fill("本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号）、《关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》（" + notice + "）" +
		n.pick("、地区《关于做好{Y}年政府信息公开工作年度报告编制发布工作的通知》要求编制。", "要求编制。", "和上级有关工作要求编制。") +
		"报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、因政府信息公开工作被申请行政复议和提起行政诉讼情况、政府信息公开工作存在的主要问题及改进情况，以及其他需要报告的事项六个部分。")
	if period {
		s += n.fill(n.pick("报告统计期限为{Y}年1月1日至{Y}年12月31日。", "本报告中所列数据的统计期限自{Y}年1月1日起至{Y}年12月31日止。报告统计期限为{Y}年1月1日至{Y}年12月31日。"))
	}
	s += n.fill("如对本报告有疑问，请与{A}联系（地址：{P}" + n.pick("人民路", "建设路", "府前街", "政务服务中心") + strconv.Itoa(1+n.r.Intn(200)) + "号，电话：" + strconv.Itoa(3000000+n.r.Intn(6999999)) + "）。")
	return s
}

var overviewOpen = []string{
	"{Y}年，{P}全面贯彻落实党的二十大和二十届二中全会精神，严格落实《中华人民共和国政府信息公开条例》相关要求，贯彻落实党中央、国务院和上级关于推进政府信息公开决策部署。及时提供政策解读，拓展公开渠道丰富公开内容，推动政府信息公开工作规范化、制度化，全面提升政府信息公开质量和实效。",
	"{Y}年，{A}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，紧紧围绕中心工作，不断深化政务公开，切实保障人民群众的知情权、参与权、表达权和监督权。",
	"{Y}年，在上级政府信息公开主管部门的指导下，{A}扎实推进政府信息公开工作，以公开促落实、以公开促规范、以公开促服务，政务公开工作取得新进展。",
}

var overviewHeads = []string{"（一）主动公开。", "（二）依申请公开情况。", "（三）政府信息管理情况。", "（四）平台建设情况。", "（五）监督保障情况。"}

var overviewBodies = [][]string{
	{
		"{Y}年，{P}坚持以“公开为常态、不公开为例外”的原则，积极在公示栏、政府网站公示政府信息，方便群众进行查看。",
		"围绕重大决策部署、重点领域信息和群众关切，全年通过政府门户网站主动公开政府信息，涵盖机构职能、政策文件、财政预决算、重大建设项目等内容。",
		"重点做好财政资金、社会救助、乡村振兴、安全生产等领域信息公开，做到应公开尽公开。",
		"严格落实政策解读与政策文件同步组织、同步审签、同步部署制度，通过图文解读、问答等形式解读政策，提升政策知晓度。",
	},
	{
		"{Y}年严格按照《中华人民共和国政府信息公开条例》规定的时限和程序办理政府信息公开申请，做到依法依规、及时答复。",
		"畅通依申请公开受理渠道，规范受理、审查、答复等各环节工作流程，进一步提高依申请公开办理质量。",
		"对申请内容不明确的，及时告知申请人补正，答复文书做到要素齐全、依据充分、说理清楚。",
	},
	{
		"健全完善信息公开保密审查制度。按照“谁发布、谁审核、谁负责”的原则，建立多层级信息发布审核制度，提升信息发布规范性和及时性。",
		"严格执行“三审三校”信息发布制度，对发布信息先审核后发布，对重点稿件反复核校确保公开信息依法、及时、全面、准确。",
		"动态调整政府信息公开目录，定期清理规范性文件，及时公布文件的有效性。",
	},
	{
		"充分利用微信公众号等政务新媒体平台发布信息，以扩大信息传播范围，提高公众关注度。",
		"同时在办公场所或辖区内的公共场所设置政务公开栏，以张贴纸质文件的形式公开一些重要信息，如政策文件、通知公告、办事指南等，方便不便于使用网络的群众获取信息。",
		"加强政府网站信息公开专栏建设，优化栏目设置，规范内容发布，实现信息的多渠道发布和广泛传播。",
	},
	{
		"强化考核监督，将政府信息公开工作纳入日常工作安排和年终目标考核体系，提升政务公开工作的质量和实效，确保发布信息及时、规范、准确。",
		"加强日常管理，对信息公开平台进行日常维护和管理，定期检查信息是否有错链断链、错别字等情况，保障信息发布的及时性、准确性、完整性。",
		"接受社会监督，主动公布咨询、监督投诉电话，接受有关部门、新闻媒体和广大群众的监督检查，增加信息公开工作的透明度。",
		"组织开展政务公开业务培训，提升工作人员的业务能力和保密意识。",
	},
}

func (n narrator) overview() []string {
	out := []string{n.fill(overviewOpen[n.r.Intn(len(overviewOpen))])}
	for i, h := range overviewHeads {
		body := overviewBodies[i]
		k := 1 + n.r.Intn(len(body))
		start := n.r.Intn(len(body))
		var b strings.Builder
		b.WriteString(h)
		for j := 0; j < k; j++ {
			b.WriteString(n.fill(body[(start+j)%len(body)]))
		}
		out = append(out, b.String())
	}
	return out
}

// pad returns one more paragraph of prose for padding.
func (n narrator) pad(i int) string {
	body := overviewBodies[n.r.Intn(len(overviewBodies))]
	var b strings.Builder
	b.WriteString(n.pick("一是", "二是", "三是", "同时，", "此外，", "另外，"))
	for j := 0; j < 2+n.r.Intn(3); j++ {
		b.WriteString(n.fill(body[n.r.Intn(len(body))]))
	}
	return b.String()
}

func (n narrator) problems() []string {
	return []string{
		n.fill("{Y}年{A}政府信息公开工作取得了一定进展，但还存在以下问题：" + n.pick(
			"一是公开内容的全面性欠缺，对于群众关注度高、涉及切身利益的领域公开内容不够详细；二是信息公开的形式单一，对其他渠道的运用不够充分，导致信息覆盖范围有限。",
			"一是政策解读形式不够丰富，解读质量有待提高；二是工作人员业务水平有待进一步提升；三是信息更新的及时性还需加强。",
			"一是主动公开的深度和广度仍需拓展；二是依申请公开答复的规范性需进一步加强。")),
		n.fill("针对存在问题，{A}将从以下几个方面进行改进。" + n.pick(
			"一是制定详细的公开内容清单，明确必须公开的具体内容和标准；二是拓宽信息公开渠道，充分利用微信公众号、微信群等多种渠道进行信息公开。",
			"一是丰富政策解读形式，多运用图表图解、视频解读等方式；二是加强业务培训，提升工作人员业务能力；三是建立健全信息发布长效机制。",
			"一是持续深化重点领域信息公开；二是规范依申请公开办理流程，提高答复质量。")),
	}
}

func (n narrator) other() string {
	return n.pick(
		"本机关按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》（国办函〔2020〕109号）规定的按件、按量收费标准，本年度没有产生信息公开处理费。",
		"本年度未收取信息处理费。无其他需要报告的事项。",
		"本年度本机关未发生收取信息处理费的情况。",
	)
}

// t2prose says what table 2 is about, sometimes with a figure from it.
func (n narrator) lead(section int) string {
	switch section {
	case 2:
		return n.pick("", "{Y}年主动公开政府信息情况如下：", "主动公开政府信息情况统计如下表：")
	case 3:
		return n.pick("", "{Y}年收到和处理政府信息公开申请情况如下：")
	default:
		return n.pick("", "政府信息公开行政复议、行政诉讼情况如下：")
	}
}

// dateText writes the signature date.
func (g *gen) dateText() string {
	y := g.year + 1
	if g.m.ChineseDate {
		return chineseDate(y, g.pm, g.pd)
	}
	if g.r.Intn(5) == 0 {
		return fmt.Sprintf("%d年%02d月%02d日", y, g.pm, g.pd)
	}
	return fmt.Sprintf("%d年%d月%d日", y, g.pm, g.pd)
}

// document lays out the whole report.
func (g *gen) document() {
	n := newNarrator(g.r, g.agency, g.place, g.year)
	add := func(k blockKind, text string) { g.blocks = append(g.blocks, block{kind: k, text: text}) }
	addTable := func(t *table) { g.blocks = append(g.blocks, block{kind: bTable, tbl: t}) }
	lead := func(sec int) {
		if s := n.lead(sec); s != "" {
			add(bPara, n.fill(s))
		}
	}
	add(bTitle, g.title)
	add(bBlank, "")
	period := g.m.NoYearInTitle || g.r.Intn(5) != 0
	add(bPara, n.intro(g.notice2019, period))
	add(bHeading, "一、总体情况")
	for _, p := range n.overview() {
		add(bPara, p)
	}
	add(bPad, "")
	add(bHeading, "二、主动公开政府信息情况")
	lead(2)
	addTable(g.table2())
	add(bHeading, "三、收到和处理政府信息公开申请情况")
	lead(3)
	for i, t := range g.table3() {
		if i > 0 {
			add(bPageBreak, "")
		}
		addTable(t)
	}
	add(bHeading, "四、政府信息公开行政复议、行政诉讼情况")
	lead(4)
	addTable(g.table4())
	add(bHeading, "五、存在的主要问题及改进情况")
	for _, p := range n.problems() {
		add(bPara, p)
	}
	add(bHeading, "六、其他需要报告的事项")
	add(bPara, n.other())
	add(bBlank, "")
	add(bSignature, g.agency)
	g.date = g.dateText()
	add(bSignature, g.date)
	g.narr = n
}
