// Package storetest holds what every Store implementation is tested
// against: varied records built the way the extractor writes them, and the
// conformance checks of Run. Both backends' tests call it.
package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"ogi/extract"
)

// testAgencies are real agencies at every level, two spellings of one
// agency, an ambiguous name and one that is no division, so region
// filters and groupings have something to tell apart.
var testAgencies = []string{
	"淮安市洪泽区人民政府",
	"淮安市生态环境局",
	"额敏县额玛勒郭楞蒙古民族乡人民政府",
	"北京市朝阳区教育局",
	"江苏省自然资源厅",
	"洪泽区人民政府",
	"淮安市人民政府办公室",
	"朝阳区卫生健康委员会",
	"教育部",
	"某某县人民政府",
}

// Records builds n varied, realistic records, the same on every call:
// agencies and years 2019–2024 repeat, both templates appear, every field
// key of the record's template is present with some nulls, 万元 amounts
// carry decimals (7730.28 among them), and a few records lack agency,
// year, template or published date. Ids are distinct.
func Records(n int) []extract.Record {
	recs := make([]extract.Record, 0, n)
	for i := 0; i < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("test report %d", i)))
		id := hex.EncodeToString(sum[:])
		agency := testAgencies[i%len(testAgencies)]
		year := 2019 + i%6
		tmpl := "2021"
		if year < 2021 {
			tmpl = "2019"
		}
		format := "docx"
		if i%3 == 1 {
			format = "html"
		}
		r := extract.Record{
			ID: id,
			Source: extract.Source{
				Path:   fmt.Sprintf("reports/%s/%d年政府信息公开工作年度报告.%s", agency, year, format),
				SHA256: id,
				Format: format,
				Size:   int64(40000 + i*37),
			},
			Agency:    Ptr(agency),
			Year:      Ptr(year),
			Published: Ptr(fmt.Sprintf("%d-0%d-%02d", year+1, 1+i%3, 1+i%28)),
			Template:  Ptr(tmpl),
			ReportKey: Ptr(fmt.Sprintf("%s/%d", agency, year)),
			Fields:    map[string]*extract.Number{},
			Raw:       map[string]string{},
			Sections: map[string]string{
				"overview": fmt.Sprintf("%d年，%s深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，持续推进政务公开标准化规范化建设。", year, agency),
				"problems": "存在的主要问题是政务公开工作人员业务能力有待提升，基层政务公开专区建设不够完善。下一步将加强培训，规范依申请公开办理流程。",
			},
			Extractor: extract.Version,
		}
		if i%4 == 0 {
			r.Sections["other"] = fmt.Sprintf("本年度共收取信息处理费0元。第%d号：行政复议案件依法办理，无被纠错情况。", i)
		}
		if i%5 == 0 {
			r.Source.URL = fmt.Sprintf("https://www.example.gov.cn/zwgk/%d/%d.html", year, i)
			r.Source.FetchedAt = "2025-03-01T08:00:00Z"
			r.Source.Extra = map[string]string{"column": "政府信息公开年报", "site": "某某县人民政府网"}
		}
		switch i % 13 {
		case 7:
			r.Agency = nil
			r.ReportKey = nil
		case 11:
			r.Year = nil
			r.Published = nil
		case 12:
			r.Template = nil
		}
		extract.Place(&r)
		for j, f := range extract.Fields() {
			if f.Template != "both" && f.Template != tmpl {
				continue
			}
			if (i+j)%17 == 0 {
				r.Fields[f.Key] = nil
				r.Raw[f.Key] = "—"
				continue
			}
			var v string
			if f.Unit == "万元" {
				amounts := []string{"7730.28", "25.1", "0", "1.5", "123.4567", "0.05"}
				v = amounts[(i+j)%len(amounts)]
			} else {
				v = fmt.Sprint((i*31 + j*7) % 97)
				if f.Unit == "项" && (i+j)%5 == 0 {
					v = "-" + v // 本年增/减 may be negative
				}
				if v == "-0" {
					v = "0"
				}
			}
			num := extract.Number(v)
			r.Fields[f.Key] = &num
			r.Raw[f.Key] = v
		}
		r.Checks = []extract.Check{
			{Name: "requests.balance.total", OK: true, Detail: "12 + 3 = 10 + 5"},
			{Name: "review.total", OK: i%9 != 0, Detail: "1 + 0 + 0 + 0 ≠ 2"},
		}
		if i%2 == 0 {
			r.Warnings = []string{"table 3: sub-row labels missing in （三）不予公开; rows identified by position"}
		}
		recs = append(recs, r)
	}
	return recs
}

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }
