package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ogi/extract"
	"ogi/index"
)

func TestRegionCommand(t *testing.T) {
	out, errOut, code := runCLI(t, context.Background(), "", "region", "淮安市洪泽区人民政府", "洪泽县", "朝阳区", "3208", "教育部")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := []string{
		"淮安市洪泽区人民政府\t320813\t江苏省 淮安市 洪泽区\tcounty\tgovernment\t320813:洪泽区人民政府",
		"洪泽县\t320813\t江苏省 淮安市 洪泽区\tcounty\tgovernment\t320813:洪泽区\t-- 洪泽县 is now 洪泽区 (320813, changed in 2016)",
		"朝阳区\tambiguous (2): 110105 北京市 朝阳区, 220104 吉林省 长春市 朝阳区",
		"3208\t320800\t江苏省 淮安市\tcity\tgovernment\t320800:淮安市",
		"教育部\t-\t-\tnational\tdepartment\tCN:教育部",
	}
	if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("region output:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	out, _, code = runCLI(t, context.Background(), "", "region", "--host", "www.bjchy.gov.cn", "朝阳区人民政府")
	if code != 0 || !strings.HasPrefix(out, "朝阳区人民政府\t110105\t北京市 朝阳区\tcounty") {
		t.Errorf("with --host: exit %d, %q", code, out)
	}
	out, errOut, code = runCLI(t, context.Background(), "", "region", "青山县")
	if code != exitPartial || out != "青山县\tnot found\n" || !strings.Contains(errOut, "1 of 1 names not found") {
		t.Errorf("not found: exit %d, %q, %q", code, out, errOut)
	}
	if _, _, code := runCLI(t, context.Background(), "", "region"); code != exitUsage {
		t.Errorf("no names: exit %d, want %d", code, exitUsage)
	}
}

// TestManifestHostPlacesAgency: the manifest's URL host decides a name
// that two cities share.
func TestManifestHostPlacesAgency(t *testing.T) {
	dir := t.TempDir()
	page := `<html><head><meta charset="utf-8"><title>朝阳区人民政府2024年政府信息公开工作年度报告</title></head><body>
<h1>朝阳区人民政府2024年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>2024年，朝阳区人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。</p>
<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p></body></html>`
	var paths []string
	var man strings.Builder
	man.WriteString("path,url\n")
	for _, x := range []struct{ name, url string }{
		{"bj.html", "https://www.bjchy.gov.cn/gk/2025/r.html"},
		{"cc.html", "http://zwgk.changchun.gov.cn/r.html"},
		{"none.html", ""},
	} {
		p := filepath.Join(dir, x.name)
		// Different bytes, so the records differ.
		if err := os.WriteFile(p, []byte(page+"<!-- "+x.name+" -->"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		man.WriteString(p + "," + x.url + "\n")
	}
	mp := filepath.Join(dir, "crawl.csv")
	os.WriteFile(mp, []byte(man.String()), 0o644)
	out, errOut, code := runCLI(t, context.Background(), "", append([]string{"extract", "--quiet", "--manifest", mp}, paths...)...)
	if code != 0 && code != exitPartial {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d records: %s", len(lines), out)
	}
	for i, want := range []string{"110105:朝阳区人民政府", "220104:朝阳区人民政府", "朝阳区人民政府"} {
		var r extract.Record
		if err := json.Unmarshal([]byte(lines[i]), &r); err != nil {
			t.Fatal(err)
		}
		if r.AgencyID == nil || *r.AgencyID != want {
			t.Errorf("%s: agency_id %v, want %s (warnings %q)", paths[i], r.AgencyID, want, r.Warnings)
		}
		if i == 2 && (r.Region == nil || r.Region.Code != "" || r.Region.Level != "county") {
			t.Errorf("%s: region %+v, want only the level", paths[i], r.Region)
		}
	}
}

// TestRegionalStatsOnLocalStore: the samples and the three Huai'an
// reports, filtered and grouped by region; the two Hongze years are one
// agency.
func TestRegionalStatsOnLocalStore(t *testing.T) {
	ctx := context.Background()
	in := corpusDir(t)
	real, _ := filepath.Glob(fixture("real/*.*"))
	for _, p := range real {
		if strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".golden") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, filepath.Base(p)), b, 0o644)
	}
	db := filepath.Join(t.TempDir(), "ogi.db")
	if _, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--db", db, in); code != 0 && code != exitPartial {
		t.Fatalf("ingest exit %d: %s", code, errOut)
	}
	direct, _, _ := runCLI(t, ctx, "", "extract", "--quiet", in)
	recs := decodeRecords(t, direct)

	// want sums requests.new.total by group over the records matching q.
	want := func(by string, q index.Query) map[string][2]int {
		out := map[string][2]int{}
		for _, r := range recs {
			if !index.Matches(&r, q) {
				continue
			}
			k := index.GroupKey(&r, by)
			n := 0
			if v := r.Fields["requests.new.total"]; v != nil {
				json.Unmarshal([]byte(*v), &n)
			}
			g := out[k]
			out[k] = [2]int{g[0] + n, g[1] + 1}
		}
		return out
	}
	for _, c := range []struct {
		args []string
		by   string
		q    index.Query
	}{
		{[]string{"--by", "province"}, "province", index.Query{}},
		{[]string{"--by", "city"}, "city", index.Query{}},
		{[]string{"--by", "county", "--region", "江苏省"}, "county", index.Query{Region: "32"}},
		{[]string{"--by", "level"}, "level", index.Query{}},
		{[]string{"--by", "agency", "--region", "淮安"}, "agency", index.Query{Region: "3208"}},
		{[]string{"--by", "year", "--region", "3208", "--level", "county"}, "year", index.Query{Region: "3208", Level: "county"}},
	} {
		// Every file counts here (--all-versions): the page and the DOCX of
		// one report are told apart by their files.
		args := append([]string{"stats", "--db", db, "--sum", "requests.new.total", "--format", "csv", "--all-versions"}, c.args...)
		out, errOut, code := runCLI(t, ctx, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		rows, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
		got := map[string][2]int{}
		for _, r := range rows[1:] {
			if c.by == "agency" {
				if index.AgencyName(r[1]) != r[0] {
					t.Errorf("%v: agency column %q for id %q", c.args, r[0], r[1])
				}
				r = r[1:]
			}
			var s, n int
			json.Unmarshal([]byte(r[1]), &s)
			json.Unmarshal([]byte(r[2]), &n)
			got[r[0]] = [2]int{s, n}
		}
		w := want(c.by, c.q)
		if len(w) < 2 && c.by != "year" {
			t.Errorf("%v: only %d groups expected: the test tells nothing apart", c.args, len(w))
		}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("stats %v:\n got %v\nwant %v", c.args, got, w)
		}
		if c.by == "agency" {
			// PDF, HTML and DOCX of 2023 and of 2024: six reports of one agency.
			if g := got["320813:洪泽区人民政府"]; g[1] != 6 {
				t.Errorf("洪泽区人民政府 has %d reports, want 6 (both years, three formats)", g[1])
			}
			if g := got["320800:淮安市人民政府"]; g[1] != 3 {
				t.Errorf("淮安市人民政府 has %d reports, want 3", g[1])
			}
		}
	}
	out, _, code := runCLI(t, ctx, "", "search", "--db", db, "--region", "洪泽区", "--format", "csv", "--limit", "100", "--all-versions")
	if rows, _ := csv.NewReader(strings.NewReader(out)).ReadAll(); code != 0 || len(rows) != 7 {
		t.Errorf("search --region 洪泽区: exit %d, %d rows, want 6 hits: %s", code, len(rows)-1, out)
	}
	out, _, code = runCLI(t, ctx, "", "export", "--db", db, "--region", "654221", "--format", "jsonl", "--all-versions")
	if n := strings.Count(out, "\n"); code != 0 || n != 2 {
		t.Errorf("export --region 654221: exit %d, %d records, want the two seed copies", code, n)
	}
	for _, bad := range [][]string{{"--region", "朝阳区"}, {"--region", "青山县"}, {"--level", "village"}, {"--by", "town"}} {
		args := append([]string{"stats", "--db", db, "--sum", "requests.new.total"}, bad...)
		if _, errOut, code := runCLI(t, ctx, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", bad, code, exitUsage, errOut)
		}
	}
}
