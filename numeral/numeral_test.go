package numeral

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// A case's want is what `ogi numeral` prints: the value, EMPTY or
// "ERROR: <reason>". unit is the unit suffix the value must carry.
type parseCase struct {
	in, want, unit string
}

type parseGroup struct {
	rule  string // the rule of numerals.md the cases exercise
	opt   Options
	cases []parseCase
}

var (
	strict  = Options{Mode: Strict}
	lenient = Options{Mode: Lenient}
	digits  = Options{Mode: Digits}
	jian    = Options{Mode: Strict, AllowJian: true}
)

func err(reason string) string { return "ERROR: " + reason }

var parseGroups = []parseGroup{
	{"empty tokens", strict, []parseCase{
		{"", "EMPTY", ""}, {"-", "EMPTY", ""}, {"--", "EMPTY", ""}, {"—", "EMPTY", ""},
		{"——", "EMPTY", ""}, {"–", "EMPTY", ""}, {"/", "EMPTY", ""}, {"无", "EMPTY", ""},
		{"空", "EMPTY", ""}, {"暂无", "EMPTY", ""}, {"…", "EMPTY", ""}, {"……", "EMPTY", ""},
		{"...", "EMPTY", ""}, {"  —  ", "EMPTY", ""}, {"\u3000暂无\u00a0", "EMPTY", ""},
		{"\t\n", "EMPTY", ""}, {"－", "EMPTY", ""}, {"−", "EMPTY", ""}, {"／", "EMPTY", ""},
		{"———", err("range or approximation"), ""}, {"无无", err("no digits"), ""},
		{"- -", err("range or approximation"), ""}, {"....", err("decimal without integer part"), ""},
	}},
	{"empty tokens", lenient, []parseCase{
		{"", "EMPTY", ""}, {"—", "EMPTY", ""}, {"暂无", "EMPTY", ""}, {"...", "EMPTY", ""},
	}},
	{"empty tokens", digits, []parseCase{
		{"", "EMPTY", ""}, {"--", "EMPTY", ""}, {"无", "EMPTY", ""}, {"……", "EMPTY", ""},
	}},
	{"zero is a value", strict, []parseCase{
		{"0", "0", ""}, {"零", "0", ""}, {"0件", "0", "件"}, {"零件", "0", "件"},
		{"00", "0", ""}, {"0.0", "0", ""}, {"0元", "0", "元"},
	}},
	{"trim whitespace", strict, []parseCase{
		{" 12 ", "12", ""}, {"\t12\r\n", "12", ""}, {"\u00a012\u00a0", "12", ""},
		{"\u300012\u3000", "12", ""}, {"\u200012\u200a", "12", ""}, {"\u2005十二\u2009", "12", ""},
		{"\u202f12\u205f", "12", ""}, {"\u200b12\u200b", "12", ""}, {"\ufeff12", "12", ""},
		{"\v\f12", "12", ""}, {"\u2028 7 \u2029", "7", ""},
	}},
	{"whitespace inside a number", strict, []parseCase{
		{"1 234", err("whitespace inside number"), ""}, {"一 百", err("whitespace inside number"), ""},
		{"1\u00a0234", err("whitespace inside number"), ""}, {"1,\u3000234", err("whitespace inside number"), ""},
		{"12\u200b3", err("whitespace inside number"), ""}, {"- 5", err("whitespace inside number"), ""},
		{"3 .5", err("whitespace inside number"), ""}, {"百分之 五", err("whitespace inside number"), ""},
		{"壹元 零壹分", err("whitespace inside number"), ""},
	}},
	{"whitespace before a unit or percent sign", strict, []parseCase{
		{"12 件", "12", "件"}, {"12\u3000件", "12", "件"}, {"25 %", "25%", ""}, {"5\u00a0‰", "5‰", ""},
		{"3.6万 元", "36000", "元"}, {"一百 人次", "100", "人次"},
	}},
	{"fold full-width ASCII", strict, []parseCase{
		{"１２３", "123", ""}, {"１，２３４．５", "1234.5", ""}, {"２５％", "25%", ""},
		{"－５", "-5", ""}, {"＋５", "5", ""}, {"１２件", "12", "件"}, {"１，２３", err("bad thousands grouping"), ""},
		{"１ｅ５", err("exponent not allowed"), ""}, {"１２０　", "120", ""},
	}},
	{"fold U+2212 and Traditional forms", strict, []parseCase{
		{"−5", "-5", ""}, {"−3.5", "-3.5", ""}, {"三萬", "30000", ""}, {"一億", "100000000", ""},
		{"兩千", "2000", ""}, {"貳仟", "2000", ""}, {"參佰", "300", ""}, {"陸拾", "60", ""},
		{"三點五", "3.5", ""}, {"負五", "-5", ""}, {"伍圓", "5", "圆"}, {"壹萬貳仟", "12000", ""},
		{"兩萬兩千", "22000", ""}, {"3.6萬", "36000", ""}, {"1.2億", "120000000", ""},
	}},
	{"signs", strict, []parseCase{
		{"-5", "-5", ""}, {"+5", "5", ""}, {"负五", "-5", ""}, {"负三点五", "-3.5", ""},
		{"-0", "0", ""}, {"+0", "0", ""}, {"-0.00", "0", ""}, {"负零", "0", ""},
		{"--5", err("more than one sign"), ""}, {"+-5", err("more than one sign"), ""},
		{"负-5", err("more than one sign"), ""}, {"-负五", err("more than one sign"), ""},
		{"+", err("sign without number"), ""}, {"负", err("sign without number"), ""},
		{"负5", err("负 before Arabic digits (lenient)"), ""}, {"负1.5万", err("负 before Arabic digits (lenient)"), ""},
		{"减3", err("减 as a sign only in 增/减 columns"), ""}, {"-12件", "-12", "件"},
		{"5-", err("range or approximation"), ""}, {"-5%", "-5%", ""}, {"负百分之五", "-5%", ""},
		{"-3/4", "-3/4", ""}, {"负三分之一", "-1/3", ""}, {"-件", err("unit without number"), ""},
	}},
	{"signs", lenient, []parseCase{
		{"负5", "-5", ""}, {"负1.5万", "-15000", ""}, {"负五", "-5", ""}, {"--5", err("more than one sign"), ""},
		{"减3", err("减 as a sign only in 增/减 columns"), ""},
	}},
	{"减 in 增/减 columns", jian, []parseCase{
		{"减3", "-3", ""}, {"减三", "-3", ""}, {"减0", "0", ""}, {"减", err("sign without number"), ""},
		{"减-3", err("more than one sign"), ""}, {"-减3", err("more than one sign"), ""}, {"减3项", "-3", "项"},
		{"+3", "3", ""}, {"-3", "-3", ""},
	}},
	{"signs", digits, []parseCase{
		{"-1", err("sign in digits mode"), ""}, {"负一", err("sign in digits mode"), ""},
	}},
	{"thousands separators", strict, []parseCase{
		{"1,234", "1234", ""}, {"1,234.56", "1234.56", ""}, {"12,345,678", "12345678", ""},
		{"1，234", "1234", ""}, {"123,456", "123456", ""}, {"1,234万", "12340000", ""},
		{"1,23", err("bad thousands grouping"), ""}, {"1,2345", err("bad thousands grouping"), ""},
		{"1234,567", err("bad thousands grouping"), ""}, {",123", err("bad thousands grouping"), ""},
		{"1,,234", err("bad thousands grouping"), ""}, {"1,234,", err("bad thousands grouping"), ""},
		{"1.234,5", err("bad thousands grouping"), ""}, {"1,234.5,6", err("bad thousands grouping"), ""},
		{"0,001", "1", ""},
	}},
	{"Arabic decimals", strict, []parseCase{
		{"7730.28", "7730.28", ""}, {"0.5", "0.5", ""}, {"007.50", "7.5", ""}, {"3.000", "3", ""},
		{"1.2.3", err("more than one decimal point"), ""}, {"1e5", err("exponent not allowed"), ""},
		{"1E5", err("exponent not allowed"), ""}, {"1.5e-3", err("exponent not allowed"), ""},
		{"3.", err("decimal point without digits"), ""}, {".5", err("decimal without integer part"), ""},
		{"3..5", err("decimal point without digits"), ""}, {"12a", `ERROR: unknown suffix "a"`, ""},
		{"1a2", `ERROR: unexpected character "a"`, ""}, {"0x1F", `ERROR: unknown suffix "F"`, ""}, {"0x1", `ERROR: unexpected character "x"`, ""},
		{"123456789012345678901234567890", "123456789012345678901234567890", ""},
		{"0.000000000000000000001", "0.000000000000000000001", ""},
	}},
	{"Arabic magnitudes", strict, []parseCase{
		{"3.6万", "36000", ""}, {"12.5万亿", "12500000000000", ""}, {"1亿", "100000000", ""},
		{"0.05万", "500", ""}, {"1.23456万", "12345.6", ""}, {"12345万", "123450000", ""},
		{"3.6万元", "36000", "元"}, {"2.5亿元", "250000000", "元"}, {"0万", "0", ""},
		{"3.6万万", err("doubled magnitude"), ""}, {"3亿亿", err("doubled magnitude"), ""},
		{"3亿万", err("doubled magnitude"), ""}, {"1万亿万", err("doubled magnitude"), ""},
		{"5千", err("Arabic with 十/百/千 (lenient)"), ""}, {"3百万", err("Arabic with 十/百/千 (lenient)"), ""},
		{"1万600", err("mixed Arabic and Chinese numerals (lenient)"), ""},
		{"3万5千", err("mixed Arabic and Chinese numerals (lenient)"), ""},
		{"3.6万万元", err("doubled magnitude"), ""}, {"万元", err("magnitude without number"), ""},
	}},
	{"Arabic magnitudes", lenient, []parseCase{
		{"3.6万万", err("doubled magnitude"), ""}, {"5千", "5000", ""}, {"1.5千", "1500", ""},
		{"3千万", "30000000", ""}, {"2.5百万", "2500000", ""}, {"12百", err("Arabic number before 十/百/千 too large"), ""},
		{"5十", "50", ""}, {"1.5千万", "15000000", ""},
	}},
	{"units", strict, []parseCase{
		{"12元", "12", "元"}, {"12圆", "12", "圆"}, {"12件", "12", "件"}, {"12人", "12", "人"},
		{"12人次", "12", "人次"}, {"12个", "12", "个"}, {"12次", "12", "次"}, {"12户", "12", "户"},
		{"12项", "12", "项"}, {"12家", "12", "家"}, {"12条", "12", "条"}, {"12起", "12", "起"},
		{"12份", "12", "份"}, {"12名", "12", "名"}, {"12所", "12", "所"}, {"2024年", "2024", "年"},
		{"2024年度", "2024", "年度"}, {"12天", "12", "天"}, {"1.2个百分点", "1.2", "个百分点"},
		{"壹仟贰佰元整", "1200", "元整"}, {"伍拾圆整", "50", "圆整"}, {"十二件", "12", "件"},
		{"12例", "12", "例"}, {"3个月", "3", "个月"}, {"12篇", "12", "篇"}, {"12期", "12", "期"},
		{"件", err("unit without number"), ""}, {"元整", err("unit without number"), ""},
		{"12件件", err("doubled unit"), ""}, {"12元件", err("doubled unit"), ""}, {"12件次件", err("doubled unit"), ""},
		{"12斤", `ERROR: unknown suffix "斤"`, ""}, {"12 公斤", `ERROR: unknown suffix "公斤"`, ""},
		{"12件整", `ERROR: unknown suffix "件整"`, ""}, {"12件5", `ERROR: unexpected character "件"`, ""},
		{"十二斤", `ERROR: unknown suffix "斤"`, ""}, {"三分", `ERROR: unknown suffix "分"`, ""},
		{"三成", `ERROR: unknown suffix "成"`, ""}, {"见附件", err("no digits"), ""}, {"abc", err("no digits"), ""},
		{"3.6万元", "36000", "元"}, {"二〇二四年", err("digit string (lenient)"), ""},
	}},
	{"RMB with 角 and 分", strict, []parseCase{
		{"壹元零壹分", "1.01", "元"}, {"三元五角", "3.5", "元"}, {"三元五角二分", "3.52", "元"},
		{"五角", "0.5", "元"}, {"壹拾元零伍角", "10.5", "元"}, {"壹元零伍分整", "1.05", "元"},
		{"叁佰元伍角整", "300.5", "元"}, {"伍圆贰角", "5.2", "圆"}, {"零元五角", "0.5", "元"},
		{"12元5角", "12.5", "元"}, {"元五角", err("unit without number"), ""},
		{"三元五", `ERROR: unexpected character "元"`, ""}, {"三元十角", err("malformed 角/分 amount"), ""},
		{"三元五分五角", err("malformed 角/分 amount"), ""}, {"1.5元5角", err("decimal before 角/分"), ""},
		{"负三元五角", "-3.5", "元"}, {"三元〇五分", err("malformed 角/分 amount"), ""},
	}},
	{"RMB with 角 and 分", lenient, []parseCase{
		{"三元〇五分", "3.05", "元"}, {"两元两角", "2.2", "元"},
	}},
	{"strict 零 rules", strict, []parseCase{
		{"一十亿零一千", "1000001000", ""}, {"十万一千", "101000", ""},
		{"十万零一千", err("零 before a full thousands group (strict)"), ""},
		{"一千零五", "1005", ""}, {"一千零五十", "1050", ""}, {"一万零五", "10005", ""},
		{"一万零五十", "10050", ""}, {"一亿零一百万", "101000000", ""}, {"一亿零一万", "100010000", ""},
		{"一亿一千万", "110000000", ""}, {"一百万零一", "1000001", ""}, {"一千零一万零一", "10010001", ""},
		{"一千五十", err("missing 零 (strict)"), ""}, {"一万五十", err("missing 零 (strict)"), ""},
		{"一亿一万", err("missing 零 (strict)"), ""}, {"一十亿一千", err("missing 零 (strict)"), ""},
		{"一千零", err("零 at end of section (strict)"), ""}, {"一百零", err("零 at end of section (strict)"), ""},
		{"一千零万", err("零 at end of section (strict)"), ""}, {"十零", err("零 at end of section (strict)"), ""},
		{"一千零零五", err("doubled 零 (strict)"), ""}, {"零五", err("digit string (lenient)"), ""},
		{"一百零十", err("extra 零 (strict)"), ""}, {"零十", err("leading 零 (strict)"), ""},
		{"一亿零一千万", err("零 before a full thousands group (strict)"), ""},
		{"一千零百", err("百 without a digit"), ""}, {"一千零一百", err("extra 零 (strict)"), ""},
		{"九千九百九十九万九千九百九十九", "99999999", ""}, {"一万亿", "1000000000000", ""},
		{"一万零一亿", "1000100000000", ""}, {"三万二千亿", "3200000000000", ""},
	}},
	{"strict 十 may drop its 一", strict, []parseCase{
		{"十", "10", ""}, {"十五", "15", ""}, {"一十五", "15", ""}, {"十万", "100000", ""},
		{"十亿", "1000000000", ""}, {"一百一十", "110", ""}, {"一千零十", "1010", ""}, {"一千零一十", "1010", ""},
		{"一百十", err("十 without 一 (strict)"), ""}, {"一万十", err("十 without 一 (strict)"), ""},
		{"二十", "20", ""}, {"十十", err("misordered units"), ""}, {"拾", "10", ""}, {"壹佰拾", err("十 without 一 (strict)"), ""},
	}},
	{"strict 两", strict, []parseCase{
		{"两", "2", ""}, {"两百", "200", ""}, {"两千", "2000", ""}, {"两万", "20000", ""}, {"两亿", "200000000", ""},
		{"两千两百", "2200", ""}, {"两十", err("两 only alone or before 百/千/万/亿 (strict)"), ""},
		{"十两", err("两 only alone or before 百/千/万/亿 (strict)"), ""},
		{"一百两", err("两 only alone or before 百/千/万/亿 (strict)"), ""},
		{"两点五", err("两 only alone or before 百/千/万/亿 (strict)"), ""}, {"两件", "2", "件"},
	}},
	{"两 in lenient mode", lenient, []parseCase{
		{"两十", "20", ""}, {"两三", err("range or approximation"), ""}, {"三两", err("range or approximation"), ""},
	}},
	{"strict 〇", strict, []parseCase{
		{"〇", err("〇 (strict)"), ""}, {"一千〇五", err("〇 (strict)"), ""}, {"三点〇五", err("〇 (strict)"), ""},
	}},
	{"financial capitals", strict, []parseCase{
		{"壹", "1", ""}, {"贰", "2", ""}, {"叁", "3", ""}, {"肆", "4", ""}, {"伍", "5", ""}, {"陆", "6", ""},
		{"柒", "7", ""}, {"捌", "8", ""}, {"玖", "9", ""}, {"拾", "10", ""}, {"壹拾", "10", ""},
		{"壹佰", "100", ""}, {"壹仟", "1000", ""}, {"壹仟贰佰元", "1200", "元"}, {"壹万零伍拾", "10050", ""},
		{"叁亿肆仟万", "340000000", ""}, {"玖仟玖佰玖拾玖", "9999", ""},
		{"壹千二百", err("mixed financial and ordinary numerals (strict)"), ""},
		{"壹仟伍拾", err("missing 零 (strict)"), ""}, {"壹仟零", err("零 at end of section (strict)"), ""},
	}},
	{"financial capitals", lenient, []parseCase{
		{"壹千二百", "1200", ""}, {"壹仟伍拾", "1050", ""}, {"壹仟零", "1000", ""},
	}},
	{"structural errors", strict, []parseCase{
		{"百", err("百 without a digit"), ""}, {"千", err("千 without a digit"), ""}, {"万", err("magnitude without number"), ""},
		{"亿", err("magnitude without number"), ""}, {"一百千", err("misordered units"), ""}, {"五十百", err("misordered units"), ""},
		{"一万万", err("doubled magnitude"), ""}, {"一亿亿", err("doubled magnitude"), ""}, {"一亿万", err("doubled magnitude"), ""},
		{"一万二万", err("doubled magnitude"), ""}, {"零万", err("magnitude without number"), ""},
		{"三二", err("digit string (lenient)"), ""}, {"二零", err("digit string (lenient)"), ""},
		{"一百二零", err("零 after a digit"), ""}, {"一x", `ERROR: unknown suffix "x"`, ""},
		{"一x二", `ERROR: unexpected character "x"`, ""}, {"三.五", err("mixed Arabic and Chinese numerals (lenient)"), ""},
	}},
	{"Chinese decimals", strict, []parseCase{
		{"三点一四", "3.14", ""}, {"零点五", "0.5", ""}, {"十点五", "10.5", ""}, {"一百零五点零五", "105.05", ""},
		{"三点五零", "3.5", ""}, {"三点六万", "36000", ""}, {"一点二五亿", "125000000", ""}, {"一点五万亿", "1500000000000", ""},
		{"点一", err("decimal without integer part"), ""}, {"零点", err("decimal point without digits"), ""},
		{"三点", err("decimal point without digits"), ""}, {"三点一点四", err("more than one decimal point"), ""},
		{"三点十", err("decimal point without digits"), ""}, {"三点五千", err("unit after decimal digits (lenient)"), ""},
		{"三点五万万", err("doubled magnitude"), ""}, {"三点五件", "3.5", "件"}, {"三点5", err("mixed Arabic and Chinese numerals (lenient)"), ""},
		{"壹点伍", "1.5", ""}, {"一百十点五", err("十 without 一 (strict)"), ""},
	}},
	{"Chinese decimals", lenient, []parseCase{
		{"三点五千", "3500", ""}, {"三点〇五", "3.05", ""}, {"三点五千万", "35000000", ""},
	}},
	{"percent, per mille, fraction", strict, []parseCase{
		{"百分之二十五", "25%", ""}, {"25%", "25%", ""}, {"25.50%", "25.5%", ""}, {"千分之五", "5‰", ""},
		{"5‰", "5‰", ""}, {"四分之二", "2/4", ""}, {"三分之一", "1/3", ""}, {"十分之零", "0/10", ""},
		{"百分之零", "0%", ""}, {"百分之一百", "100%", ""}, {"百分之二十五点五", "25.5%", ""},
		{"百分之零点五", "0.5%", ""}, {"二十五%", "25%", ""}, {"0%", "0%", ""}, {"-0%", "0%", ""},
		{"2/4", "2/4", ""}, {"02/04", "2/4", ""}, {"1/0", err("zero denominator"), ""},
		{"零分之一", err("zero denominator"), ""}, {"分之一", err("fraction without denominator"), ""},
		{"四分之", err("fraction without numerator"), ""}, {"三分之一点五", err("decimal in a fraction"), ""},
		{"百分之25", err("Arabic digits after 百分之 (lenient)"), ""}, {"百分之二十五%", err("doubled percent sign"), ""},
		{"25%%", err("doubled percent sign"), ""}, {"%", err("percent sign without number"), ""},
		{"25%件", err("unit after percent sign"), ""}, {"25件%", err("unit before percent sign"), ""},
		{"1/2/3", err("malformed fraction"), ""}, {"1.5/2", err("malformed fraction"), ""},
		{"三分之一件", err("unit after a fraction"), ""}, {"百分之五人", err("unit after a percentage"), ""}, {"1/2件", err("unit after a fraction"), ""},
		{"百分之负五", err("sign inside a percentage"), ""}, {"三分之负一", err("sign inside a fraction"), ""}, {"负三分之负一", err("sign inside a fraction"), ""}, {"一百分之五", "5/100", ""},
		{"1.2个百分点", "1.2", "个百分点"}, {"一点二个百分点", "1.2", "个百分点"}, {"25％", "25%", ""},
	}},
	{"percent, per mille, fraction", lenient, []parseCase{
		{"百分之25", "25%", ""}, {"千分之5", "5‰", ""}, {"百分之二十五", "25%", ""}, {"四分之二", "2/4", ""},
	}},
	{"ranges and approximations", strict, []parseCase{
		{"三四十", err("range or approximation"), ""}, {"十七八", err("range or approximation"), ""},
		{"1.2万余", err("range or approximation"), ""}, {"1000多", err("range or approximation"), ""},
		{"约3.6万", err("range or approximation"), ""}, {"1-2", err("range or approximation"), ""},
		{"<0.1", err("range or approximation"), ""}, {">5", err("range or approximation"), ""},
		{"100余件", err("range or approximation"), ""}, {"十几", err("range or approximation"), ""},
		{"数十", err("range or approximation"), ""}, {"近百", err("range or approximation"), ""},
		{"50左右", err("range or approximation"), ""}, {"1~2", err("range or approximation"), ""},
		{"1～2", err("range or approximation"), ""}, {"1—2", err("range or approximation"), ""},
		{"1至2", err("range or approximation"), ""}, {"三、四", err("range or approximation"), ""},
		{"100+", err("range or approximation"), ""}, {"十来个", err("range or approximation"), ""},
		{"≥5", err("range or approximation"), ""}, {"逾千", err("range or approximation"), ""},
		{"一百二三", err("range or approximation"), ""}, {"三五十", err("range or approximation"), ""},
		{"5以上", err("range or approximation"), ""}, {"不足5", err("range or approximation"), ""},
	}},
	{"ranges and approximations", lenient, []parseCase{
		{"三四十", err("range or approximation"), ""}, {"十七八", err("range or approximation"), ""},
		{"1.2万余", err("range or approximation"), ""}, {"1000多", err("range or approximation"), ""},
		{"约3.6万", err("range or approximation"), ""}, {"1-2", err("range or approximation"), ""},
		{"<0.1", err("range or approximation"), ""}, {"一百二三", err("range or approximation"), ""},
		{"两三", err("range or approximation"), ""}, {"三万四五", err("range or approximation"), ""},
	}},
	{"ranges and approximations", digits, []parseCase{
		{"三四十", err("range or approximation"), ""}, {"1000多", err("range or approximation"), ""},
		{"约3.6万", err("range or approximation"), ""}, {"1-2", err("range or approximation"), ""},
		{"<0.1", err("range or approximation"), ""}, {"2019至2020", err("range or approximation"), ""},
	}},
	{"lenient-only forms refused in strict", strict, []parseCase{
		{"三万五", err("elision (lenient)"), ""}, {"一百二", err("elision (lenient)"), ""},
		{"两千五", err("elision (lenient)"), ""}, {"一二三", err("digit string (lenient)"), ""},
		{"卅", err("廿/卅/卌 (lenient)"), ""}, {"卌五", err("廿/卅/卌 (lenient)"), ""},
		{"廿", err("廿/卅/卌 (lenient)"), ""}, {"廿三", err("廿/卅/卌 (lenient)"), ""},
		{"一万零五百", "10500", ""}, {"一万五百", err("missing 零 (strict)"), ""},
	}},
	{"lenient elisions", lenient, []parseCase{
		{"三万五", "35000", ""}, {"一百二", "120", ""}, {"两千五", "2500", ""}, {"一千五", "1500", ""},
		{"三亿五", "350000000", ""}, {"十万五", "105000", ""}, {"一万零五", "10005", ""},
		{"一百二万", err("ambiguous elision before a magnitude"), ""}, {"一亿二万", "100020000", ""},
	}},
	{"lenient digit strings and 〇", lenient, []parseCase{
		{"一二三", "123", ""}, {"二〇二四", "2024", ""}, {"〇", "0", ""}, {"零零", "0", ""}, {"一〇五", "105", ""},
		{"一千〇五", "1005", ""}, {"〇五", "5", ""}, {"二〇二四年", "2024", "年"},
	}},
	{"lenient mixed forms", lenient, []parseCase{
		{"1万600", "10600", ""}, {"3万5千", "35000", ""}, {"3万5", "35000", ""}, {"1千2百", "1200", ""},
		{"1亿2000万", "120000000", ""}, {"1万零600", "10600", ""}, {"1万60", "10060", ""},
		{"2万3千4百5十6", "23456", ""}, {"1万05", "10005", ""}, {"1千2000", err("misordered units"), ""},
		{"1万零60000", err("misordered units"), ""}, {"12千3", err("Arabic number before 十/百/千 too large"), ""},
		{"3万5.5千", `ERROR: unexpected character "."`, ""}, {"3.5万5千", err("decimal or separator in a mixed number"), ""}, {"1,000万5千", err("decimal or separator in a mixed number"), ""},
		{"10000万3", err("number too large before 万"), ""}, {"3五", err("range or approximation"), ""},
		{"五3", err("range or approximation"), ""}, {"一万2千", "12000", ""},
	}},
	{"lenient 零 and 十", lenient, []parseCase{
		{"十万零一千", "101000", ""}, {"一千零", "1000", ""}, {"一千五十", "1050", ""}, {"一百十", "110", ""},
		{"一千零零五", "1005", ""}, {"零十", "10", ""}, {"一百零十", "110", ""}, {"一万五百", "10500", ""},
	}},
	{"lenient 卅 and 卌", lenient, []parseCase{
		{"卅", "30", ""}, {"卌", "40", ""}, {"卅五", "35", ""}, {"卌二件", "42", "件"}, {"三百卅", "330", ""}, {"卅百", err("misordered units"), ""},
	}},
	{"lenient 廿", lenient, []parseCase{
		{"廿", "20", ""}, {"廿三", "23", ""}, {"廿一件", "21", "件"}, {"三百廿五", "325", ""},
		{"廿万", "200000", ""}, {"廿百", err("misordered units"), ""}, {"廿廿", err("misordered units"), ""},
		{"十廿", err("misordered units"), ""},
	}},
	{"廿 in digits mode", digits, []parseCase{
		{"廿", err("positional unit in digits mode"), ""}, {"廿三", err("positional unit in digits mode"), ""},
	}},
	{"幺 in digit strings", lenient, []parseCase{
		{"幺", "1", ""}, {"幺三五", "135", ""}, {"二〇幺九", "2019", ""}, {"幺〇幺", "101", ""},
		{"三点幺四", "3.14", ""}, {"幺百", err("幺 outside a digit string"), ""}, {"十幺", err("幺 outside a digit string"), ""},
		{"幺万", err("幺 outside a digit string"), ""},
	}},
	{"幺 in digit strings", strict, []parseCase{
		{"幺", err("幺 (lenient)"), ""}, {"幺三五", err("幺 (lenient)"), ""}, {"三点幺四", err("幺 (lenient)"), ""},
		{"幺百", err("幺 outside a digit string"), ""},
	}},
	{"幺 in digit strings", digits, []parseCase{
		{"幺", "1", ""}, {"二〇幺九", "2019", ""}, {"〇幺", "01", ""}, {"幺九九八年", "1998", "年"},
	}},
	{"〇 inside digit strings", lenient, []parseCase{
		{"二〇〇九", "2009", ""}, {"一〇〇", "100", ""}, {"〇〇", "0", ""}, {"二〇二四件", "2024", "件"},
	}},
	{"per ten thousand", strict, []parseCase{
		{"万分之三", "3‱", ""}, {"万分之零点五", "0.5‱", ""}, {"万分之二十五", "25‱", ""}, {"3‱", "3‱", ""},
		{"2.5‱", "2.5‱", ""}, {"万分之3", err("Arabic digits after 万分之 (lenient)"), ""},
		{"万分之三‱", err("doubled percent sign"), ""}, {"3‱件", err("unit after percent sign"), ""},
		{"万分之", err("fraction without numerator"), ""}, {"一万分之三", "3/10000", ""},
		{"万分之三人", err("unit after a percentage"), ""}, {"5%‱", err("doubled percent sign"), ""},
	}},
	{"per ten thousand", lenient, []parseCase{
		{"万分之3", "3‱", ""}, {"万分之3.5", "3.5‱", ""}, {"万分之三", "3‱", ""}, {"千分之2.5", "2.5‰", ""},
		{"百分之12.5", "12.5%", ""},
	}},
	{"per ten thousand", digits, []parseCase{
		{"万分之三", err("not a digit string"), ""}, {"3‱", err("not a digit string"), ""},
	}},
	{"mixed Arabic and Chinese decimals", lenient, []parseCase{
		{"3点5", "3.5", ""}, {"三点5", "3.5", ""}, {"3.五", "3.5", ""}, {"三.五", "3.5", ""},
		{"十二点05", "12.05", ""}, {"2点5万", "25000", ""}, {"二十点5万元", "205000", "元"}, {"3点五亿", "350000000", ""},
		{"1.5万", "15000", ""}, {"三点五", "3.5", ""}, {"0点5", "0.5", ""}, {"3点", err("decimal point without digits"), ""},
		{"3点5点6", err("more than one decimal point"), ""}, {"3点5万万", err("doubled magnitude"), ""},
		{"百分之3点5", "3.5%", ""}, {"3点5件", "3.5", "件"}, {"三万五点5", "35000.5", ""},
	}},
	{"mixed Arabic and Chinese decimals", strict, []parseCase{
		{"3点5", err("mixed Arabic and Chinese numerals (lenient)"), ""}, {"三点5", err("mixed Arabic and Chinese numerals (lenient)"), ""},
		{"3.五", err("mixed Arabic and Chinese numerals (lenient)"), ""}, {"2点5万", err("mixed Arabic and Chinese numerals (lenient)"), ""},
	}},
	{"digits mode", digits, []parseCase{
		{"二〇二四年", "2024", "年"}, {"零一", "01", ""}, {"2024", "2024", ""}, {"01", "01", ""},
		{"二零二四", "2024", ""}, {"〇〇七", "007", ""}, {"壹贰", "12", ""}, {"2〇24", "2024", ""},
		{"二〇二四年度", "2024", "年度"}, {"0", "0", ""}, {"零", "0", ""},
		{"二十", err("positional unit in digits mode"), ""}, {"十二", err("positional unit in digits mode"), ""},
		{"二〇二四万", err("positional unit in digits mode"), ""}, {"3.5", err("decimal point in digits mode"), ""},
		{"三点五", err("decimal point in digits mode"), ""}, {"1,234", err("thousands separator in digits mode"), ""},
		{"25%", err("not a digit string"), ""}, {"四分之一", err("not a digit string"), ""},
		{"两", `ERROR: unexpected character "两"`, ""}, {"2024斤", `ERROR: unknown suffix "斤"`, ""},
		{"20 24", err("whitespace inside number"), ""}, {"年", err("unit without number"), ""},
		{"三元五角", err("amount in 角/分 in digits mode"), ""},
	}},
	{"rules shared by every mode", lenient, []parseCase{
		{" 12 ", "12", ""}, {"1 234", err("whitespace inside number"), ""}, {"12 件", "12", "件"},
		{"1,23", err("bad thousands grouping"), ""}, {"1,234.56", "1234.56", ""}, {"1.2.3", err("more than one decimal point"), ""},
		{"1e5", err("exponent not allowed"), ""}, {"3.", err("decimal point without digits"), ""},
		{"12件件", err("doubled unit"), ""}, {"件", err("unit without number"), ""}, {"12斤", `ERROR: unknown suffix "斤"`, ""},
		{"0", "0", ""}, {"零", "0", ""}, {"0件", "0", "件"}, {"３．６萬元", "36000", "元"}, {"壹元零壹分", "1.01", "元"},
		{"点一", err("decimal without integer part"), ""}, {"零点", err("decimal point without digits"), ""},
		{"-0", "0", ""}, {"1.2个百分点", "1.2", "个百分点"}, {"四分之二", "2/4", ""}, {"千分之五", "5‰", ""},
	}},
	{"rules shared by every mode", digits, []parseCase{
		{" 2024 ", "2024", ""}, {"0件", "0", "件"}, {"零", "0", ""}, {"20件件", err("doubled unit"), ""},
		{"件", err("unit without number"), ""}, {"12斤", `ERROR: unknown suffix "斤"`, ""}, {"１２", "12", ""},
		{"1e5", err("exponent not allowed"), ""}, {"〇一件", "01", "件"}, {"2024 年", "2024", "年"},
	}},
	{"canonical output", strict, []parseCase{
		{"1.50", "1.5", ""}, {"0001", "1", ""}, {"0.50", "0.5", ""}, {"-0.0", "0", ""}, {"+12", "12", ""},
		{"1,000.000", "1000", ""}, {"1.0万", "10000", ""}, {"0.0001万", "1", ""}, {"0.00001万", "0.1", ""},
		{"100.00%", "100%", ""}, {"-000", "0", ""},
	}},
}

func TestParse(t *testing.T) {
	for _, g := range parseGroups {
		for _, c := range g.cases {
			name := fmt.Sprintf("%s/%v/%s", g.rule, g.opt.Mode, c.in)
			if g.opt.AllowJian {
				name = fmt.Sprintf("%s/jian/%s", g.rule, c.in)
			}
			t.Run(name, func(t *testing.T) {
				v, err := Parse(c.in, g.opt)
				if got := Format(v, err); got != c.want {
					t.Fatalf("Parse(%q, %v) = %v, want %v", c.in, g.opt, got, c.want)
				}
				if err == nil && v.Unit != c.unit {
					t.Errorf("Parse(%q, %v).Unit = %q, want %q", c.in, g.opt, v.Unit, c.unit)
				}
				if err != nil {
					var e *Error
					if !errors.Is(err, ErrNumeral) || !errors.As(err, &e) || e.Input != c.in {
						t.Errorf("Parse(%q, %v) error %#v does not wrap ErrNumeral with the input", c.in, g.opt, err)
					}
				}
			})
		}
	}
}

// Lenient mode accepts everything strict mode does, with the same value.
func TestLenientContainsStrict(t *testing.T) {
	for _, g := range parseGroups {
		if g.opt.Mode != Strict {
			continue
		}
		for _, c := range g.cases {
			sv, serr := Parse(c.in, g.opt)
			if serr != nil {
				continue
			}
			opt := g.opt
			opt.Mode = Lenient
			lv, lerr := Parse(c.in, opt)
			if lerr != nil || lv != sv {
				t.Errorf("Parse(%q, %v) = %v, %v, want %v as in strict mode", c.in, opt, lv, lerr, sv)
			}
		}
	}
}

func TestKind(t *testing.T) {
	cases := []struct {
		in   string
		want Kind
	}{
		{"12", Number}, {"25%", Percent}, {"百分之五", Percent}, {"5‰", PerMille}, {"千分之五", PerMille},
		{"四分之二", Fraction}, {"2/4", Fraction}, {"1.2个百分点", Number}, {"三元五角", Number},
	}
	for _, c := range cases {
		v, err := Parse(c.in, strict)
		if err != nil || v.Kind != c.want {
			t.Errorf("Parse(%q, strict).Kind = %v (err %v), want %v", c.in, v.Kind, err, c.want)
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"strict": Strict, "lenient": Lenient, "digits": Digits, " Digits ": Digits} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v, want %v", in, got, err, want)
		}
		if got := want.String(); strings.TrimSpace(strings.ToLower(in)) != got {
			t.Errorf("%d.String() = %q, want %q", want, got, strings.TrimSpace(strings.ToLower(in)))
		}
	}
	if _, err := ParseMode("loose"); err == nil {
		t.Errorf("ParseMode(%q) = nil error, want an error", "loose")
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse("1,23", strict)
	if got, want := err.Error(), `numeral "1,23": bad thousands grouping`; got != want {
		t.Errorf("Parse(%q).Error() = %q, want %q", "1,23", got, want)
	}
	if got := (Value{Empty: true}).String(); got != "EMPTY" {
		t.Errorf("Value{Empty: true}.String() = %q, want EMPTY", got)
	}
	if got := Format(Value{}, errors.New("boom")); got != "ERROR: boom" {
		t.Errorf("Format(foreign error) = %q, want %q", got, "ERROR: boom")
	}
}

// capitals writes an ordinary canonical numeral in financial capitals.
var capitals = strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍",
	"六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟")

// samples returns 0..2000, k values sampled from 0..100000, k/4 from
// 0..10^16 and the edges of every section.
func samples(seed uint64, k int) []uint64 {
	var out []uint64
	for n := uint64(0); n <= 2000; n++ {
		out = append(out, n)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	for range k {
		out = append(out, r.Uint64N(100001))
	}
	for range k / 4 {
		out = append(out, r.Uint64N(1e16))
	}
	for _, p := range []uint64{1e4, 1e5, 1e7, 1e8, 1e9, 1e12, 1e15} {
		out = append(out, p-1, p, p+1, p+10, p+1000, p*10+p/10)
	}
	return append(out, 1e16-1)
}

// Every canonical spelling reads back as its value in strict and lenient
// mode, in ordinary numerals and in financial capitals.
func TestFormatChineseRoundTrip(t *testing.T) {
	for _, n := range samples(1, 20000) {
		want := strconv.FormatUint(n, 10)
		spellings := []string{FormatChinese(n), capitals.Replace(FormatChinese(n))}
		if s := FormatChinese(n); strings.HasPrefix(s, "一十") {
			spellings = append(spellings, strings.TrimPrefix(s, "一"))
		}
		for _, s := range spellings {
			for _, opt := range []Options{strict, lenient} {
				v, err := Parse(s, opt)
				if err != nil || v.Text != want {
					t.Fatalf("Parse(%q, %v) = %v, %v, want %v", s, opt, v, err, want)
				}
			}
		}
	}
}

// Inserting a 零 where the canonical spelling has none, or dropping one it
// has, is refused in strict mode (10 is the exception: 一十 and 十).
func TestStrictRefusesZeroMistakes(t *testing.T) {
	for _, n := range samples(2, 4000) {
		s := []rune(FormatChinese(n))
		for i := 1; i < len(s); i++ {
			if s[i-1] == '零' || s[i] == '零' {
				continue
			}
			bad := string(s[:i]) + "零" + string(s[i:])
			if v, err := Parse(bad, strict); err == nil {
				t.Fatalf("Parse(%q, strict) = %v, want an error (canonical %s)", bad, v, string(s))
			}
		}
		for i, r := range s {
			if r != '零' || i == 0 {
				continue
			}
			bad := string(s[:i]) + string(s[i+1:])
			if v, err := Parse(bad, strict); err == nil {
				t.Fatalf("Parse(%q, strict) = %v, want an error (canonical %s)", bad, v, string(s))
			}
		}
	}
}

func TestFormatChinese(t *testing.T) {
	cases := map[uint64]string{
		0: "零", 7: "七", 10: "一十", 15: "一十五", 101: "一百零一", 110: "一百一十", 1005: "一千零五",
		1050: "一千零五十", 10005: "一万零五", 101000: "一十万一千", 100100: "一十万零一百",
		1000001000: "一十亿零一千", 100010000: "一亿零一万", 110000000: "一亿一千万",
		1000000000000: "一万亿", 1000100000000: "一万零一亿", 1e16: "10000000000000000",
	}
	for n, want := range cases {
		if got := FormatChinese(n); got != want {
			t.Errorf("FormatChinese(%d) = %q, want %q", n, got, want)
		}
	}
}

// Arabic numbers in every notation read back as themselves.
func TestArabicRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		n := r.Uint64()
		s := strconv.FormatUint(n, 10)
		grouped := group(s)
		for _, in := range []string{s, grouped, "+" + s, s + ".000", "00" + s} {
			v, err := Parse(in, strict)
			if err != nil || v.Text != s {
				t.Fatalf("Parse(%q, strict) = %v, %v, want %v", in, v, err, s)
			}
		}
		if v, err := Parse("-"+grouped+"件", strict); err != nil || v.Text != withSign(true, s) {
			t.Fatalf("Parse(%q, strict) = %v, %v, want -%v", "-"+grouped+"件", v, err, s)
		}
	}
}

func group(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

var decimalCases = []struct {
	name string
	got  func() (string, error)
	want string
}{
	{"Canonical trims zeros", func() (string, error) { return Canonical("007.50") }, "7.5"},
	{"Canonical -0", func() (string, error) { return Canonical("-0") }, "0"},
	{"Canonical -0.000", func() (string, error) { return Canonical("-0.000") }, "0"},
	{"Canonical +3", func() (string, error) { return Canonical("+3") }, "3"},
	{"Canonical .5", func() (string, error) { return Canonical(".5") }, "ERROR: not a plain decimal"},
	{"Canonical 3.", func() (string, error) { return Canonical("3.") }, "ERROR: not a plain decimal"},
	{"Canonical 1e5", func() (string, error) { return Canonical("1e5") }, "ERROR: not a plain decimal"},
	{"Canonical 1,000", func() (string, error) { return Canonical("1,000") }, "ERROR: not a plain decimal"},
	{"Canonical empty", func() (string, error) { return Canonical("") }, "ERROR: not a plain decimal"},
	{"Canonical --1", func() (string, error) { return Canonical("--1") }, "ERROR: not a plain decimal"},
	{"Add", func() (string, error) { return Add("0.1", "0.2") }, "0.3"},
	{"Add carries", func() (string, error) { return Add("99.99", "0.01") }, "100"},
	{"Add negative", func() (string, error) { return Add("-5", "3.25") }, "-1.75"},
	{"Add to zero", func() (string, error) { return Add("-1.5", "1.50") }, "0"},
	{"Add huge", func() (string, error) { return Add("99999999999999999999", "1") }, "100000000000000000000"},
	{"Add bad", func() (string, error) { return Add("1", "x") }, "ERROR: not a plain decimal"},
	{"Sum none", func() (string, error) { return Sum() }, "0"},
	{"Sum column", func() (string, error) { return Sum("12", "0", "7730.28", "-3", "0.72") }, "7740"},
	{"Shift down", func() (string, error) { return Shift("251000", -4) }, "25.1"},
	{"Shift up", func() (string, error) { return Shift("3.6", 4) }, "36000"},
	{"Shift small", func() (string, error) { return Shift("5", -3) }, "0.005"},
	{"Shift zero", func() (string, error) { return Shift("0", 9) }, "0"},
	{"Shift negative", func() (string, error) { return Shift("-12.5", -1) }, "-1.25"},
	{"Shift by 0", func() (string, error) { return Shift("1.10", 0) }, "1.1"},
	{"Shift too far", func() (string, error) { return Shift("1", 1e6) }, "ERROR: shift out of range"},
}

func TestDecimal(t *testing.T) {
	for _, c := range decimalCases {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.got()
			if got := Format(Value{Text: s}, err); got != c.want {
				t.Errorf("%s = %v, want %v", c.name, got, c.want)
			}
		})
	}
	cmp := []struct {
		a, b string
		want int
	}{{"1", "1.0", 0}, {"0.1", "0.09", 1}, {"-2", "1", -1}, {"-0", "0", 0}, {"10", "9.999", 1}}
	for _, c := range cmp {
		if got, err := Cmp(c.a, c.b); err != nil || got != c.want {
			t.Errorf("Cmp(%q, %q) = %d, %v, want %d", c.a, c.b, got, err, c.want)
		}
	}
	if _, err := Cmp("1", "1.2.3"); !errors.Is(err, ErrNumeral) {
		t.Errorf("Cmp(%q, %q) error = %v, want ErrNumeral", "1", "1.2.3", err)
	}
}

// CountCases reports how many table cases the tests hold.
func TestCaseCount(t *testing.T) {
	n := len(decimalCases)
	for _, g := range parseGroups {
		n += len(g.cases)
	}
	t.Logf("%d table cases", n)
	if n < 300 {
		t.Errorf("only %d table cases, want at least 300", n)
	}
}

func FuzzParse(f *testing.F) {
	for _, g := range parseGroups {
		for _, c := range g.cases {
			f.Add(c.in)
		}
	}
	for _, s := range []string{"\xb1", "三\xff万", "1\xe4\xb8", "壹元\xe8\xa7", "\xe5\x8d", "百分之\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, opt := range []Options{strict, lenient, digits, {Mode: Lenient, AllowJian: true}} {
			v, err := Parse(s, opt)
			if err != nil {
				var e *Error
				if !errors.Is(err, ErrNumeral) || !errors.As(err, &e) || e.Reason == "" || err.Error() == "" {
					t.Fatalf("Parse(%q, %v) error %#v does not format or wrap ErrNumeral", s, opt, err)
				}
				continue
			}
			if v.Empty {
				if v.Text != "" {
					t.Fatalf("Parse(%q, %v) = empty with text %q", s, opt, v.Text)
				}
				continue
			}
			again := strict
			if opt.Mode == Digits {
				again = digits
			}
			w, err := Parse(v.Text, again)
			if err != nil || w.Text != v.Text || w.Kind != v.Kind {
				t.Fatalf("Parse(%q, %v) = %q, read again = %v, %v", s, opt, v.Text, w, err)
			}
			if opt.Mode == Strict {
				l, err := Parse(s, Options{Mode: Lenient, AllowJian: opt.AllowJian})
				if err != nil || l != v {
					t.Fatalf("Parse(%q, lenient) = %v, %v, want %v as in strict mode", s, l, err, v)
				}
			}
		}
	})
}

func FuzzDecimal(f *testing.F) {
	f.Add("007.50", "0.5", 3)
	f.Add("-1", "1", -4)
	f.Add("251000", "-0.0001", -4)
	f.Add("1e5", "", 0)
	f.Fuzz(func(t *testing.T, a, b string, k int) {
		k %= 64
		ca, err := Canonical(a)
		if err != nil {
			if !errors.Is(err, ErrNumeral) || err.Error() == "" {
				t.Fatalf("Canonical(%q) error %v does not wrap ErrNumeral", a, err)
			}
			return
		}
		if again, err := Canonical(ca); err != nil || again != ca {
			t.Fatalf("Canonical(%q) = %q, again %q, %v", a, ca, again, err)
		}
		if v, err := Parse(ca, strict); err != nil || v.Text != ca {
			t.Fatalf("Parse(Canonical(%q) = %q) = %v, %v", a, ca, v, err)
		}
		up, err := Shift(a, k)
		if err != nil {
			t.Fatalf("Shift(%q, %d): %v", a, k, err)
		}
		if back, err := Shift(up, -k); err != nil || back != ca {
			t.Fatalf("Shift(Shift(%q, %d), %d) = %q, %v, want %q", a, k, -k, back, err, ca)
		}
		cb, err := Canonical(b)
		if err != nil {
			return
		}
		ab, err1 := Add(a, b)
		ba, err2 := Add(b, a)
		if err1 != nil || err2 != nil || ab != ba {
			t.Fatalf("Add(%q, %q) = %q, Add(%q, %q) = %q", a, b, ab, b, a, ba)
		}
		c1, _ := Cmp(ab, ca)
		c2, _ := Cmp(cb, "0")
		if c1 != c2 {
			t.Fatalf("Cmp(%q+%q, %q) = %d, Cmp(%q, 0) = %d", a, b, a, c1, b, c2)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	cells := []struct {
		name, in string
		opt      Options
	}{
		{"zero", "0", strict}, {"unit", "12件", strict}, {"decimal", "7730.28", strict},
		{"digits", "二〇二四", digits}, {"capitals", "壹仟贰佰元", strict}, {"chinese", "一十亿零一千", strict},
		{"empty", "—", strict}, {"lenient", "三万五", lenient},
	}
	for _, c := range cells {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(c.in, c.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSum(b *testing.B) {
	col := []string{"12", "0", "7730.28", "3", "0.72", "105", "36000", "25.1"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sum(col...); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleParse() {
	for _, cell := range []string{"3.6万元", "壹仟贰佰元整", "百分之二十五", "—", "十万零一千", "1,23"} {
		v, err := Parse(cell, Options{Mode: Strict})
		fmt.Printf("%s → %s\n", cell, strings.TrimSpace(Format(v, err)+" "+v.Unit))
	}
	// Output:
	// 3.6万元 → 36000 元
	// 壹仟贰佰元整 → 1200 元整
	// 百分之二十五 → 25%
	// — → EMPTY
	// 十万零一千 → ERROR: 零 before a full thousands group (strict)
	// 1,23 → ERROR: bad thousands grouping
}

func ExampleShift() {
	wan, _ := Shift("251000", -4) // 元 to 万元
	fmt.Println(wan)
	// Output: 25.1
}

func TestIsDecimalAndTotal(t *testing.T) {
	for _, s := range []string{"0", "12", "-3", "7730.28", "007", "-0.05"} {
		if !IsDecimal(s) {
			t.Errorf("IsDecimal(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "-", "25%", "2/4", "1.2.3", "3.", ".5", "1e5", "+1", " 1", "1,000", "１２"} {
		if IsDecimal(s) {
			t.Errorf("IsDecimal(%q) = true, want false", s)
		}
		var tot Total
		if err := tot.Add(s); !errors.Is(err, ErrNumeral) {
			t.Errorf("Total.Add(%q) = %v, want ErrNumeral", s, err)
		}
	}
	var tot Total
	if got := tot.String(); got != "0" {
		t.Errorf("empty Total = %s, want 0", got)
	}
	for _, v := range []string{"7730.28", "25.1", "0.5", "12.345", "-0.225", "9223372036854775807"} {
		if err := tot.Add(v); err != nil {
			t.Fatalf("Total.Add(%q): %v", v, err)
		}
	}
	if got, want := tot.String(), "9223372036854783575"; got != want {
		t.Errorf("Total = %s, want %s", got, want)
	}
}
