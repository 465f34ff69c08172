package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ogi/extract"
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
