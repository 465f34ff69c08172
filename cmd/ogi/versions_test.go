package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ogi/extract"
	"ogi/index"
)

// TestEachReportCountedOnce: a real report published as a page and as a
// DOCX attachment, the page downloaded again with one byte changed (same
// URL, new path) and a copy whose table prints a different number. Over
// both stores: stats counts each report once, the re-download becomes the
// current record, the disagreeing copy fails versions.agree naming both
// files and the key, and --all-versions sees every file.
func TestEachReportCountedOnce(t *testing.T) {
	stores := map[string][]string{"sqlite": {"--db", filepath.Join(t.TempDir(), "ogi.db")}}
	if u := os.Getenv("ELASTICSEARCH_URL"); u != "" {
		alias := fmt.Sprintf("ogi-cliversions-%d", time.Now().UnixNano())
		t.Cleanup(func() { deleteIndices(t, u, alias) })
		stores["elasticsearch"] = []string{"--es", u, "--index", alias}
	} else {
		t.Log("ELASTICSEARCH_URL not set: Elasticsearch part SKIPPED")
	}
	for name, store := range stores {
		t.Run(name, func(t *testing.T) { countedOnce(t, store) })
	}
}

func countedOnce(t *testing.T, store []string) {
	ctx := context.Background()
	dir := t.TempDir()
	read := func(name string) []byte {
		b, err := os.ReadFile(fixture("real/" + name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	write := func(rel string, b []byte) string {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	page := read("huaian-city-2024.html")
	first := write("crawl-1/city-2024.html", page)
	att := write("crawl-1/city-2024.docx", read("huaian-city-2024.docx"))
	hzPage := write("crawl-1/hongze-2024.html", read("huaian-hongze-2024.html"))
	hzDoc := write("crawl-1/hongze-2024.docx", read("huaian-hongze-2024.docx"))
	// The same page saved again: one byte of its style sheet differs.
	again := bytes.Replace(page, []byte("padding: 2px 4px"), []byte("padding: 2px 5px"), 1)
	if bytes.Equal(again, page) {
		t.Fatal("the page has no byte to change")
	}
	second := write("crawl-2/city-2024.html", again)
	// A copy whose table prints 3120 new requests where the report has 3119.
	wrong := bytes.Replace(page, []byte("<td>3119</td>"), []byte("<td>3120</td>"), 1)
	if bytes.Equal(wrong, page) {
		t.Fatal("the page has no cell 3119")
	}
	copyPath := write("mirror/city-2024.html", wrong)

	const site = "https://www.huaian.gov.cn/zwgk/2024/"
	manifest := write("manifest.csv", []byte(strings.Join([]string{
		"path,url,fetched_at",
		first + "," + site + "city.html,2025-03-01T08:00:00Z",
		att + "," + site + "city.docx,2025-03-01T08:00:00Z",
		hzPage + "," + site + "hongze.html,2025-03-01T08:00:00Z",
		hzDoc + "," + site + "hongze.docx,2025-03-01T08:00:00Z",
		second + "," + site + "city.html,2025-03-02T08:00:00Z",
		copyPath + ",https://mirror.example.cn/city.html,2025-03-03T08:00:00Z",
	}, "\n")+"\n"))

	cli := func(args ...string) string {
		t.Helper()
		args = append(append(args[:1:1], store...), args[1:]...)
		out, errOut, code := runCLI(t, ctx, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	ingest := func(files ...string) {
		t.Helper()
		cli(append([]string{"ingest", "--quiet", "--manifest", manifest}, files...)...)
	}
	// stats gives the total of requests.new.total and the reports counted.
	stats := func(extra ...string) (string, string) {
		t.Helper()
		rows, err := csv.NewReader(strings.NewReader(cli(append([]string{"stats", "--sum", "requests.new.total", "--format", "csv"}, extra...)...))).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("stats: %v %v", rows, err)
		}
		return rows[1][1], rows[1][2]
	}
	records := func(extra ...string) map[string]extract.Record {
		t.Helper()
		return decodeRecords(t, cli(append([]string{"export", "--format", "jsonl"}, extra...)...))
	}
	byPath := func(recs map[string]extract.Record, path string) extract.Record {
		t.Helper()
		for _, r := range recs {
			if r.Source.Path == path {
				return r
			}
		}
		t.Fatalf("no record of %s", path)
		return extract.Record{}
	}

	// The page and its attachment are one report; so are the Hongze ones.
	ingest(first, att, hzPage, hzDoc)
	all := records("--all-versions")
	hongze := byPath(all, hzPage).Fields["requests.new.total"]
	want := fmt.Sprint(3119 + atoiNum(t, hongze))
	if sum, n := stats(); sum != want || n != "2" {
		t.Errorf("stats over a page and its attachment, twice: sum %s over %s reports, want %s over 2", sum, n, want)
	}
	if _, n := stats("--all-versions"); n != "4" {
		t.Errorf("stats --all-versions: %s files, want 4", n)
	}

	// The page downloaded again (same URL, new path, one byte changed):
	// still one report, and the new download is its current record.
	ingest(second)
	if sum, n := stats(); sum != want || n != "2" {
		t.Errorf("stats after the re-download: sum %s over %s reports, want %s over 2", sum, n, want)
	}
	cur := records()
	if len(cur) != 2 {
		t.Errorf("export gave %d records, want one per report (2)", len(cur))
	}
	if _, ok := cur[byPath(all, first).ID]; ok {
		t.Errorf("the first download is still the current record")
	}
	if r := byPath(cur, second); r.Source.URL != site+"city.html" {
		t.Errorf("current record of the re-download has url %q", r.Source.URL)
	}
	hits := cli("search", "淮安市人民政府", "--format", "csv", "--limit", "50")
	if n := strings.Count(hits, "\n") - 1; n != 1 {
		t.Errorf("search 淮安市人民政府 gave %d hits, want the one report:\n%s", n, hits)
	}

	// A copy that prints another number: still one report, and
	// versions.agree fails on it and on the current record, naming both.
	ingest(copyPath)
	if sum, n := stats(); sum != want || n != "2" {
		t.Errorf("stats after the disagreeing copy: sum %s over %s reports, want %s over 2", sum, n, want)
	}
	all = records("--all-versions")
	if len(all) != 6 {
		t.Errorf("export --all-versions gave %d records, want 6", len(all))
	}
	for _, p := range []string{second, copyPath} {
		found := false
		for _, c := range byPath(all, p).Checks {
			if c.Name != index.VersionsCheck || c.OK {
				continue
			}
			found = true
			for _, s := range []string{second, copyPath, "requests.new.total (3119 ≠ 3120)"} {
				if !strings.Contains(c.Detail, s) {
					t.Errorf("versions.agree of %s: %q does not name %s", p, c.Detail, s)
				}
			}
		}
		if !found {
			t.Errorf("%s has no failing versions.agree check: %+v", p, byPath(all, p).Checks)
		}
	}
	for _, p := range []string{att, first} {
		for _, c := range byPath(all, p).Checks {
			if c.Name == index.VersionsCheck && !c.OK {
				t.Errorf("%s agrees with the current record but fails versions.agree: %s", p, c.Detail)
			}
		}
	}
	// The failing check is in the exported checks of the current record.
	rows, err := csv.NewReader(strings.NewReader(cli("export", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "checks_failed_names" {
			col = i
		}
	}
	failed := false
	for _, r := range rows[1:] {
		failed = failed || (col >= 0 && strings.Contains(r[col], index.VersionsCheck))
	}
	if !failed {
		t.Errorf("export csv: no checks_failed_names cell names %s", index.VersionsCheck)
	}
	if _, n := stats("--all-versions"); n != "6" {
		t.Errorf("stats --all-versions: %s files, want 6", n)
	}
}

func atoiNum(t *testing.T, n *extract.Number) int {
	t.Helper()
	if n == nil {
		return 0
	}
	var v int
	if _, err := fmt.Sscan(string(*n), &v); err != nil {
		t.Fatal(err)
	}
	return v
}
