package region

import (
	"strings"
	"testing"
)

// want is what one agency must resolve to. Codes are GB/T 2260 (and the
// statistical township codes), checked against the published code lists.
type want struct {
	code, province, city, county, town string
	level                              Level
	kind                               Kind
	id                                 string
	warn                               string // a substring of one warning; "" means no warning
	cands                              int    // number of candidates of an ambiguous name
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name string
		h    Hints
		w    want
	}{
		// One agency in every province-level division.
		{"北京 district", Hints{Agency: "北京市朝阳区人民政府"}, want{code: "110105", province: "北京市", county: "朝阳区", level: County, kind: Government, id: "110105:朝阳区人民政府"}},
		{"天津 district", Hints{Agency: "天津市滨海新区人民政府"}, want{code: "120116", province: "天津市", county: "滨海新区", level: County, kind: Government, id: "120116:滨海新区人民政府"}},
		{"河北 district", Hints{Agency: "河北省石家庄市长安区人民政府"}, want{code: "130102", province: "河北省", city: "石家庄市", county: "长安区", level: County, kind: Government, id: "130102:长安区人民政府"}},
		{"山西 province office", Hints{Agency: "山西省人民政府办公厅"}, want{code: "140000", province: "山西省", level: Province, kind: Government, id: "140000:山西省人民政府办公厅"}},
		{"内蒙古 city", Hints{Agency: "内蒙古自治区呼和浩特市人民政府"}, want{code: "150100", province: "内蒙古自治区", city: "呼和浩特市", level: City, kind: Government, id: "150100:呼和浩特市人民政府"}},
		{"辽宁 district bureau", Hints{Agency: "辽宁省沈阳市和平区教育局"}, want{code: "210102", province: "辽宁省", city: "沈阳市", county: "和平区", level: County, kind: Department, id: "210102:和平区教育局"}},
		{"吉林 district", Hints{Agency: "吉林省长春市朝阳区人民政府"}, want{code: "220104", province: "吉林省", city: "长春市", county: "朝阳区", level: County, kind: Government, id: "220104:朝阳区人民政府"}},
		{"黑龙江 district", Hints{Agency: "哈尔滨市南岗区人民政府"}, want{code: "230103", province: "黑龙江省", city: "哈尔滨市", county: "南岗区", level: County, kind: Government, id: "230103:南岗区人民政府"}},
		{"上海 district", Hints{Agency: "上海市浦东新区人民政府"}, want{code: "310115", province: "上海市", county: "浦东新区", level: County, kind: Government, id: "310115:浦东新区人民政府"}},
		{"江苏 district", Hints{Agency: "淮安市洪泽区人民政府"}, want{code: "320813", province: "江苏省", city: "淮安市", county: "洪泽区", level: County, kind: Government, id: "320813:洪泽区人民政府"}},
		{"浙江 district", Hints{Agency: "杭州市西湖区人民政府"}, want{code: "330106", province: "浙江省", city: "杭州市", county: "西湖区", level: County, kind: Government, id: "330106:西湖区人民政府"}},
		{"安徽 district", Hints{Agency: "安徽省合肥市蜀山区人民政府"}, want{code: "340104", province: "安徽省", city: "合肥市", county: "蜀山区", level: County, kind: Government, id: "340104:蜀山区人民政府"}},
		{"福建 district", Hints{Agency: "福州市鼓楼区人民政府"}, want{code: "350102", province: "福建省", city: "福州市", county: "鼓楼区", level: County, kind: Government, id: "350102:鼓楼区人民政府"}},
		{"江西 city", Hints{Agency: "南昌市人民政府"}, want{code: "360100", province: "江西省", city: "南昌市", level: City, kind: Government, id: "360100:南昌市人民政府"}},
		{"山东 district", Hints{Agency: "济南市历下区人民政府"}, want{code: "370102", province: "山东省", city: "济南市", county: "历下区", level: County, kind: Government, id: "370102:历下区人民政府"}},
		{"河南 district", Hints{Agency: "开封市鼓楼区人民政府"}, want{code: "410204", province: "河南省", city: "开封市", county: "鼓楼区", level: County, kind: Government, id: "410204:鼓楼区人民政府"}},
		{"湖北 district", Hints{Agency: "武汉市武昌区人民政府"}, want{code: "420106", province: "湖北省", city: "武汉市", county: "武昌区", level: County, kind: Government, id: "420106:武昌区人民政府"}},
		{"湖南 district", Hints{Agency: "长沙市岳麓区人民政府"}, want{code: "430104", province: "湖南省", city: "长沙市", county: "岳麓区", level: County, kind: Government, id: "430104:岳麓区人民政府"}},
		{"广东 district bureau", Hints{Agency: "深圳市南山区教育局"}, want{code: "440305", province: "广东省", city: "深圳市", county: "南山区", level: County, kind: Department, id: "440305:南山区教育局"}},
		{"广西 district", Hints{Agency: "广西壮族自治区南宁市青秀区人民政府"}, want{code: "450103", province: "广西壮族自治区", city: "南宁市", county: "青秀区", level: County, kind: Government, id: "450103:青秀区人民政府"}},
		{"海南 city", Hints{Agency: "三亚市人民政府"}, want{code: "460200", province: "海南省", city: "三亚市", level: City, kind: Government, id: "460200:三亚市人民政府"}},
		{"重庆 district", Hints{Agency: "重庆市渝中区人民政府"}, want{code: "500103", province: "重庆市", county: "渝中区", level: County, kind: Government, id: "500103:渝中区人民政府"}},
		{"四川 district", Hints{Agency: "成都市武侯区人民政府"}, want{code: "510107", province: "四川省", city: "成都市", county: "武侯区", level: County, kind: Government, id: "510107:武侯区人民政府"}},
		{"贵州 district", Hints{Agency: "贵阳市南明区人民政府"}, want{code: "520102", province: "贵州省", city: "贵阳市", county: "南明区", level: County, kind: Government, id: "520102:南明区人民政府"}},
		{"云南 district", Hints{Agency: "昆明市五华区人民政府"}, want{code: "530102", province: "云南省", city: "昆明市", county: "五华区", level: County, kind: Government, id: "530102:五华区人民政府"}},
		{"西藏 district", Hints{Agency: "拉萨市城关区人民政府"}, want{code: "540102", province: "西藏自治区", city: "拉萨市", county: "城关区", level: County, kind: Government, id: "540102:城关区人民政府"}},
		{"陕西 district", Hints{Agency: "西安市雁塔区人民政府"}, want{code: "610113", province: "陕西省", city: "西安市", county: "雁塔区", level: County, kind: Government, id: "610113:雁塔区人民政府"}},
		{"甘肃 district", Hints{Agency: "兰州市城关区人民政府"}, want{code: "620102", province: "甘肃省", city: "兰州市", county: "城关区", level: County, kind: Government, id: "620102:城关区人民政府"}},
		{"青海 district", Hints{Agency: "西宁市城东区人民政府"}, want{code: "630102", province: "青海省", city: "西宁市", county: "城东区", level: County, kind: Government, id: "630102:城东区人民政府"}},
		{"宁夏 district", Hints{Agency: "银川市兴庆区人民政府"}, want{code: "640104", province: "宁夏回族自治区", city: "银川市", county: "兴庆区", level: County, kind: Government, id: "640104:兴庆区人民政府"}},
		{"新疆 district", Hints{Agency: "乌鲁木齐市天山区人民政府"}, want{code: "650102", province: "新疆维吾尔自治区", city: "乌鲁木齐市", county: "天山区", level: County, kind: Government, id: "650102:天山区人民政府"}},

		// Levels and kinds.
		{"national ministry", Hints{Agency: "教育部"}, want{level: National, kind: Department, id: "CN:教育部"}},
		{"national general office", Hints{Agency: "国务院办公厅"}, want{level: National, kind: Government, id: "CN:国务院办公厅"}},
		{"national administration", Hints{Agency: "国家统计局"}, want{level: National, kind: Department, id: "CN:国家统计局"}},
		{"national bureau named 中国", Hints{Agency: "中国气象局"}, want{level: National, kind: Department, id: "CN:中国气象局"}},
		{"central bank", Hints{Agency: "中国人民银行"}, want{level: National, kind: Department, id: "CN:中国人民银行"}},
		{"subdistrict after 人民政府", Hints{Agency: "洪泽区人民政府高良涧街道办事处"}, want{code: "320813001", province: "江苏省", city: "淮安市", county: "洪泽区", town: "高良涧街道", level: Town, kind: Government, id: "320813001:高良涧街道办事处"}},
		{"autonomous region, full name", Hints{Agency: "广西壮族自治区教育厅"}, want{code: "450000", province: "广西壮族自治区", level: Province, kind: Department, id: "450000:广西壮族自治区教育厅"}},
		{"province department", Hints{Agency: "江苏省生态环境厅"}, want{code: "320000", province: "江苏省", level: Province, kind: Department, id: "320000:江苏省生态环境厅"}},
		{"province short name", Hints{Agency: "江苏生态环境厅"}, want{code: "320000", province: "江苏省", level: Province, kind: Department, id: "320000:江苏省生态环境厅"}},
		{"city government", Hints{Agency: "淮安市人民政府"}, want{code: "320800", province: "江苏省", city: "淮安市", level: City, kind: Government, id: "320800:淮安市人民政府"}},
		{"city with province", Hints{Agency: "江苏省淮安市人民政府"}, want{code: "320800", province: "江苏省", city: "淮安市", level: City, kind: Government, id: "320800:淮安市人民政府"}},
		{"city bureau", Hints{Agency: "淮安市公安局"}, want{code: "320800", province: "江苏省", city: "淮安市", level: City, kind: Department, id: "320800:淮安市公安局"}},
		{"county general office", Hints{Agency: "淮安市洪泽区人民政府办公室"}, want{code: "320813", province: "江苏省", city: "淮安市", county: "洪泽区", level: County, kind: Government, id: "320813:洪泽区人民政府办公室"}},
		{"vertical bureau", Hints{Agency: "国家税务总局淮安市洪泽区税务局"}, want{code: "320813", province: "江苏省", city: "淮安市", county: "洪泽区", level: County, kind: Department, id: "320813:国家税务总局洪泽区税务局"}},
		{"development zone", Hints{Agency: "淮安经济技术开发区管理委员会"}, want{code: "320871", province: "江苏省", city: "淮安市", county: "淮安经济技术开发区", level: County, kind: Other, id: "320871:淮安经济技术开发区管理委员会"}},
		{"public institution", Hints{Agency: "淮安市第一人民医院"}, want{code: "320800", province: "江苏省", city: "淮安市", level: City, kind: Other, id: "320800:淮安市第一人民医院"}},
		{"county-level city under the province", Hints{Agency: "济源市人民政府"}, want{code: "419001", province: "河南省", county: "济源市", level: County, kind: Government, id: "419001:济源市人民政府"}},
		{"township of a county", Hints{Agency: "额敏县额玛勒郭楞蒙古民族乡人民政府"}, want{code: "654221202", province: "新疆维吾尔自治区", city: "塔城地区", county: "额敏县", town: "额玛勒郭楞蒙古民族乡", level: Town, kind: Government, id: "654221202:额玛勒郭楞蒙古民族乡人民政府"}},
		{"subdistrict of a city without counties", Hints{Agency: "东莞市东城街道办事处"}, want{code: "441900003", province: "广东省", city: "东莞市", town: "东城街道", level: Town, kind: Government, id: "441900003:东城街道办事处"}},
		{"two-character district after its city", Hints{Agency: "汕尾市城区人民政府"}, want{code: "441502", province: "广东省", city: "汕尾市", county: "城区", level: County, kind: Government, id: "441502:城区人民政府"}},
		{"one town of its county", Hints{Agency: "五河县城关镇人民政府"}, want{code: "340322100", province: "安徽省", city: "蚌埠市", county: "五河县", town: "城关镇", level: Town, kind: Government, id: "340322100:城关镇人民政府"}},
		{"spaces in the name", Hints{Agency: "淮安市 洪泽区　人民政府"}, want{code: "320813", province: "江苏省", city: "淮安市", county: "洪泽区", level: County, kind: Government, id: "320813:洪泽区人民政府"}},

		// Renamed and merged divisions: the current division, with a warning.
		{"county turned district", Hints{Agency: "洪泽县人民政府"}, want{code: "320813", province: "江苏省", city: "淮安市", county: "洪泽区", level: County, kind: Government, id: "320813:洪泽区人民政府", warn: "洪泽县 is now 洪泽区"}},
		{"renamed district", Hints{Agency: "淮安市楚州区人民政府"}, want{code: "320803", province: "江苏省", city: "淮安市", county: "淮安区", level: County, kind: Government, id: "320803:淮安区人民政府", warn: "楚州区 is now 淮安区"}},
		{"merged district", Hints{Agency: "上海市闸北区人民政府"}, want{code: "310106", province: "上海市", county: "静安区", level: County, kind: Government, id: "310106:静安区人民政府", warn: "闸北区 is now 静安区"}},
		{"renamed city", Hints{Agency: "襄樊市人民政府"}, want{code: "420600", province: "湖北省", city: "襄阳市", level: City, kind: Government, id: "420600:襄阳市人民政府", warn: "襄樊市 is now 襄阳市"}},
		{"former county of a municipality", Hints{Agency: "重庆市开县人民政府"}, want{code: "500154", province: "重庆市", county: "开州区", level: County, kind: Government, id: "500154:开州区人民政府", warn: "开县 is now 开州区"}},

		// Ambiguous names, without and with context.
		{"朝阳区 alone", Hints{Agency: "朝阳区人民政府"}, want{level: County, kind: Government, id: "朝阳区人民政府", warn: "朝阳区 is ambiguous: 北京市朝阳区 (110105), 吉林省长春市朝阳区 (220104); kept nothing", cands: 2}},
		{"朝阳区 by host", Hints{Agency: "朝阳区人民政府", Host: "www.bjchy.gov.cn"}, want{code: "110105", province: "北京市", county: "朝阳区", level: County, kind: Government, id: "110105:朝阳区人民政府", warn: "chosen from the source host www.bjchy.gov.cn"}},
		{"朝阳区 by city portal", Hints{Agency: "朝阳区人民政府", Host: "zwgk.changchun.gov.cn:443"}, want{code: "220104", province: "吉林省", city: "长春市", county: "朝阳区", level: County, kind: Government, id: "220104:朝阳区人民政府", warn: "chosen from the source host"}},
		{"朝阳区 by address", Hints{Agency: "朝阳区人民政府", Address: []string{"地址：长春市朝阳区人民大街"}}, want{code: "220104", province: "吉林省", city: "长春市", county: "朝阳区", level: County, kind: Government, id: "220104:朝阳区人民政府", warn: "chosen from the address"}},
		{"鼓楼区 by title", Hints{Agency: "鼓楼区人民政府", Title: "南京市鼓楼区人民政府2023年政府信息公开工作年度报告"}, want{code: "320106", province: "江苏省", city: "南京市", county: "鼓楼区", level: County, kind: Government, id: "320106:鼓楼区人民政府", warn: "chosen from the title"}},
		{"鼓楼区 in one province", Hints{Agency: "鼓楼区教育局", Host: "jyt.jiangsu.gov.cn"}, want{code: "320000", province: "江苏省", level: County, kind: Department, id: "320000:鼓楼区教育局", warn: "kept 江苏省", cands: 2}},
		{"鼓楼区 with unrelated context", Hints{Agency: "鼓楼区人民政府", Address: []string{"地址：广州市天河区"}}, want{level: County, kind: Government, id: "鼓楼区人民政府", warn: "鼓楼区 is ambiguous", cands: 4}},
		{"城关镇 alone", Hints{Agency: "城关镇人民政府"}, want{level: Town, kind: Government, id: "城关镇人民政府", warn: "and 80 more", cands: 88}},
		{"城关镇 in one province", Hints{Agency: "城关镇人民政府", Address: []string{"安徽省"}}, want{code: "340000", province: "安徽省", level: Town, kind: Government, id: "340000:城关镇人民政府", warn: "kept 安徽省", cands: 6}},
		{"城关镇 by signature", Hints{Agency: "城关镇人民政府", Signature: "五河县城关镇人民政府"}, want{code: "340322100", province: "安徽省", city: "蚌埠市", county: "五河县", town: "城关镇", level: Town, kind: Government, id: "340322100:城关镇人民政府", warn: "chosen from the signature"}},

		// Names not found, or wrong.
		{"not found", Hints{Agency: "青山县人民政府"}, want{kind: Government, id: "青山县人民政府", warn: "no division found in 青山县人民政府"}},
		{"district of another city", Hints{Agency: "南京市朝阳区人民政府"}, want{code: "320100", province: "江苏省", city: "南京市", level: City, kind: Government, id: "320100:南京市朝阳区人民政府", warn: "朝阳区 is not a division of 南京市"}},
		{"short name, signature in full", Hints{Agency: "区教育局", Signature: "淮安市洪泽区教育局"}, want{code: "320813", province: "江苏省", city: "淮安市", county: "洪泽区", level: County, kind: Department, id: "320813:洪泽区教育局"}},
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Resolve(c.h)
			got := want{code: r.Region.Code, province: r.Region.Province, city: r.Region.City, county: r.Region.County, town: r.Region.Town,
				level: r.Region.Level, kind: r.Kind, id: r.ID, warn: c.w.warn, cands: len(r.Candidates)}
			if got != c.w {
				t.Errorf("Resolve(%+v)\n got %+v\nwant %+v\nwarnings %q", c.h, got, c.w, r.Warnings)
			}
			found := c.w.warn == "" && len(r.Warnings) == 0
			for _, w := range r.Warnings {
				if c.w.warn != "" && strings.Contains(w, c.w.warn) {
					found = true
				}
			}
			if !found {
				t.Errorf("Resolve(%+v): warnings %q, want one with %q", c.h, r.Warnings, c.w.warn)
			}
		})
	}
}

// TestOneAgencyAcrossYears: the spellings the Huai'an reports print for
// one agency give one ID.
func TestOneAgencyAcrossYears(t *testing.T) {
	ids := map[string]bool{}
	for _, n := range []string{"洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府", "洪泽县人民政府"} {
		ids[Resolve(Hints{Agency: n}).ID] = true
	}
	if len(ids) != 1 || !ids["320813:洪泽区人民政府"] {
		t.Errorf("IDs %v, want only 320813:洪泽区人民政府", ids)
	}
}

func TestTable(t *testing.T) {
	tb := data()
	var provinces, cities, counties, towns int
	for _, d := range tb.divs {
		if d.cur != int32(len(tb.divs)) && tb.divs[d.cur].code() != d.code() && d.year == 0 {
			t.Fatalf("current division %s %s points elsewhere", d.code(), d.name())
		}
		if d.year != 0 {
			continue
		}
		switch d.level() {
		case Province:
			provinces++
		case City:
			cities++
		case County:
			counties++
		case Town:
			towns++
		}
	}
	// 31 province-level divisions; about 333 prefecture-level; county
	// level about 2,850 (with the statistical development zones); about
	// 38,600 township-level divisions.
	if provinces != 31 || cities < 330 || cities > 340 || counties < 2800 || counties > 3000 || towns < 38000 || towns > 45000 {
		t.Errorf("table has %d provinces, %d cities, %d counties, %d towns", provinces, cities, counties, towns)
	}
	for _, code := range []string{"11", "3208", "320813", "654221202"} {
		if _, ok := tb.byCode(code); !ok {
			t.Errorf("code %s missing", code)
		}
	}
	// Every former division maps to a current one of the same level.
	for _, d := range tb.divs {
		if d.year != 0 && tb.divs[d.cur].year != 0 {
			t.Errorf("former %s maps to a former division", d.name())
		}
	}
}

func TestLookupAndPrefix(t *testing.T) {
	for _, c := range []struct{ in, code string }{
		{"320813", "320813"}, {"320829", "320813"}, {"3208", "320800"}, {"淮安市", "320800"}, {"北京市", "110000"},
	} {
		if r := Lookup(c.in); r.Region.Code != c.code {
			t.Errorf("Lookup(%s) = %+v, want code %s", c.in, r.Region, c.code)
		}
	}
	for _, c := range []struct{ in, prefix, err string }{
		{"3208", "3208", ""}, {"320800", "3208", ""}, {"淮安", "3208", ""}, {"淮安市", "3208", ""}, {"洪泽区", "320813", ""},
		{"江苏", "32", ""}, {"北京市朝阳区", "110105", ""},
		{"朝阳区", "", "ambiguous: 北京市朝阳区 (110105), 吉林省长春市朝阳区 (220104)"}, {"青山县", "", "no such division"},
	} {
		p, err := Prefix(c.in)
		if p != c.prefix || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("Prefix(%s) = %q, %v; want %q, %q", c.in, p, err, c.prefix, c.err)
		}
	}
}

func TestHostCode(t *testing.T) {
	tb := data()
	for host, want := range map[string]string{
		"www.huaian.gov.cn": "3208", "huaian.gov.cn": "3208", "WWW.HONGZE.GOV.CN.": "320813", "www.gov.cn": "CN",
		"www.example.gov.cn": "", "notjiangsu.gov.cn": "", "127.0.0.1:8080": "",
	} {
		got, _ := tb.hostCode(host)
		if got != want {
			t.Errorf("hostCode(%s) = %q, want %q", host, got, want)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	hs := []Hints{
		{Agency: "淮安市洪泽区人民政府", Title: "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"},
		{Agency: "深圳市南山区教育局"},
		{Agency: "额敏县额玛勒郭楞蒙古民族乡人民政府", Signature: "额敏县额玛勒郭楞蒙古民族乡人民政府"},
		{Agency: "朝阳区人民政府", Title: "朝阳区人民政府2023年政府信息公开工作年度报告", Address: []string{"地址：长春市朝阳区人民大街"}, Host: "www.example.gov.cn"},
		{Agency: "城关镇人民政府", Address: []string{"联系地址：安徽省蚌埠市五河县城关镇"}},
	}
	data()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Resolve(hs[i%len(hs)])
	}
}

// BenchmarkLoad measures reading the embedded table, paid once per
// process.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParents: every division's parent is the nearest of its county, city
// and province codes in the table, as a search by code finds it.
func TestParents(t *testing.T) {
	tb, err := load()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range tb.codes {
		d := tb.divs[i]
		code := d.code()
		want := int32(-1)
		for _, n := range []int{6, 4, 2} {
			if n < len(code) {
				if p, ok := tb.byCode(code[:n]); ok {
					want = p
					break
				}
			}
		}
		if d.parent != want {
			t.Fatalf("%s %s: parent %d, want %d", code, d.name(), d.parent, want)
		}
	}
	if len(tb.codes) < 40000 {
		t.Fatalf("%d divisions read", len(tb.codes))
	}
}
