package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"ogi/extract"
)

var textAgencies = []string{
	"额敏县额玛勒郭楞蒙古民族乡人民政府",
	"北京市海淀区人民政府办公室",
	"上海市浦东新区教育局",
	"广州市天河区市场监督管理局",
	"成都市武侯区人民政府",
}

var textParagraphs = []string{
	"坚持以公开为常态、不公开为例外的原则，积极在乡公示栏公示政府信息。",
	"本年度未收到政府信息公开方面的行政复议和行政诉讼。",
	"健全完善信息公开保密审查制度，建立多层级信息发布审核制度。",
	"充分利用微信公众号等政务新媒体平台发布信息，提高公众关注度。",
	"因政府信息公开工作被申请行政复议2件，维持1件。",
	"存在的主要问题：公开内容不够全面，解读形式单一。",
	"2024年收取信息处理费0元，本年度无其他需要报告的事项。",
}

// TextRecords builds n varied records the way the extractor writes
// them: both templates, nulls, negative changes, 万元 decimals, a failed
// check, a key outside fields.tsv, and narrative text.
func TextRecords(n int) []extract.Record {
	keys := extract.FieldKeys()
	units := map[string]string{}
	templates := map[string]string{}
	for _, f := range extract.Fields() {
		units[f.Key] = f.Unit
		if templates[f.Key] == "" {
			templates[f.Key] = f.Template
		} else if templates[f.Key] != f.Template {
			templates[f.Key] = "both"
		}
	}
	recs := make([]extract.Record, 0, n)
	for i := 0; i < n; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprintf("report %d", i)))
		id := hex.EncodeToString(sum[:])
		rec := extract.Record{
			ID: id,
			Source: extract.Source{
				Path:   fmt.Sprintf("reports/%03d/年度报告-%d.docx", i%7, i),
				SHA256: id,
				Format: []string{"docx", "html"}[i%2],
				Size:   int64(40000 + i*37),
			},
			Fields:    map[string]*extract.Number{},
			Raw:       map[string]string{},
			Sections:  map[string]string{},
			Extractor: extract.Version,
		}
		if i%3 == 0 {
			rec.Source.URL = fmt.Sprintf("https://www.example.gov.cn/xxgk/%d.html", i)
			rec.Source.FetchedAt = "2025-03-01T08:00:00Z"
		}
		tpl := "2021"
		if i%4 == 3 {
			tpl = "2019"
		}
		if i%11 != 10 { // some reports lack metadata
			a := textAgencies[i%len(textAgencies)]
			y := 2019 + i%6
			pub := fmt.Sprintf("%d-02-%02d", y+1, 1+i%28)
			key := fmt.Sprintf("%s/%d", a, y)
			rec.Agency, rec.Year, rec.Published, rec.ReportKey = &a, &y, &pub, &key
			rec.Template = &tpl
			extract.Place(&rec)
		}
		for k, key := range keys {
			if t := templates[key]; t != "both" && t != tpl {
				continue
			}
			if (i+k)%13 == 0 {
				continue // absent: table not found
			}
			var v *extract.Number
			raw := ""
			switch {
			case (i+k)%17 == 0:
				raw = "—" // null
			case units[key] == "万元":
				s := []string{"7730.28", "0.5", "25.1", "0", "12.345", "100"}[(i+k)%6]
				num := extract.Number(s)
				v, raw = &num, s
			case strings.HasSuffix(key, "items_change"):
				s := strconv.Itoa((i+k)%9 - 4)
				num := extract.Number(s)
				v, raw = &num, s
			default:
				s := strconv.Itoa((i*7 + k*3) % 50)
				num := extract.Number(s)
				v, raw = &num, s
			}
			rec.Fields[key] = v
			rec.Raw[key] = raw
		}
		if i%5 == 4 { // a key outside fields.tsv
			num := extract.Number(strconv.Itoa(i))
			rec.Fields["requests.extra.total"] = &num
			rec.Raw["requests.extra.total"] = strconv.Itoa(i)
		}
		rec.Checks = []extract.Check{
			{Name: "requests.balance.total", OK: true, Detail: "3 + 1 = 3 + 1"},
			{Name: "review.total", OK: i%6 != 5, Detail: "1 + 0 + 0 + 0 = 2"},
		}
		if i%3 == 1 {
			rec.Warnings = []string{"table 3: sub-row labels missing; rows identified by position"}
		}
		p := func(j int) string { return textParagraphs[(i+j)%len(textParagraphs)] }
		rec.Sections["overview"] = p(0) + p(2)
		rec.Sections["problems"] = p(5)
		if i%2 == 0 {
			rec.Sections["other"] = p(6)
		}
		if i%4 == 1 {
			rec.Sections["active"] = p(3) + " Email: GOV@example.cn"
		}
		recs = append(recs, rec)
	}
	return recs
}
