package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"ogi/extract"
	"ogi/index"
)

// corpusDir copies the report fixtures into a temporary directory.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"seed-report.docx", "seed-report.html"} {
		b, err := os.ReadFile(fixture(name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	samples, _ := filepath.Glob(fixture("samples/*"))
	for _, s := range samples {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(s)), b, 0o644)
	}
	return dir
}

func decodeRecords(t *testing.T, s string) map[string]extract.Record {
	t.Helper()
	out := map[string]extract.Record{}
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var r extract.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("decode record: %v", err)
		}
		out[r.ID] = r
	}
	return out
}

// TestIngestIsIdempotentAndExportsRoundTrip: ingest into a fresh SQLite
// file, ingest again (nothing new), export JSONL and CSV, and compare with
// what extract gives straight from the files.
func TestIngestIsIdempotentAndExportsRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := corpusDir(t)
	db := filepath.Join(t.TempDir(), "ogi.db")
	direct, _, code := runCLI(t, ctx, "", "extract", "--quiet", in)
	if code != 0 && code != exitPartial {
		t.Fatalf("extract exit %d", code)
	}
	want := decodeRecords(t, direct)
	if len(want) == 0 {
		t.Fatal("extract gave no records")
	}
	_, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--db", db, in)
	if code != 0 && code != exitPartial {
		t.Fatalf("ingest exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "indexed") {
		t.Errorf("ingest summary missing: %s", errOut)
	}
	_, errOut, code = runCLI(t, ctx, "", "ingest", "--db", db, "--quiet", in)
	if code != 0 && code != exitPartial {
		t.Fatalf("second ingest exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "; 0 indexed") || !strings.Contains(errOut, "unchanged") {
		t.Errorf("second ingest should index nothing and say the files are unchanged: %s", errOut)
	}
	// Every file's record, as extract made it, besides the versions.agree
	// checks the store adds (the seed report is a page and a DOCX).
	out, _, code := runCLI(t, ctx, "", "export", "--db", db, "--format", "jsonl", "--all-versions")
	if code != 0 {
		t.Fatalf("export exit %d", code)
	}
	got := decodeRecords(t, out)
	for id, r := range got {
		r.Checks = slices.DeleteFunc(r.Checks, func(c extract.Check) bool { return c.Name == index.VersionsCheck })
		got[id] = r
	}
	if len(got) != len(want) {
		t.Fatalf("export gave %d records, extract %d", len(got), len(want))
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("record %s (%s) missing from export", id, w.Source.Path)
			continue
		}
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(g)
		if !bytes.Equal(wj, gj) {
			t.Errorf("record %s differs after the store:\n got %s\nwant %s", w.Source.Path, gj, wj)
		}
	}
	// The store's CSV equals the CSV extract writes straight from the files
	// (row order aside: export goes in year, agency, path order).
	directCSV, _, _ := runCLI(t, ctx, "", "extract", "--quiet", "--format", "csv", in)
	storeCSV, _, code := runCLI(t, ctx, "", "export", "--db", db, "--format", "csv", "--all-versions")
	if code != 0 {
		t.Fatalf("export csv exit %d", code)
	}
	if a, b := sortedCSV(t, directCSV), sortedCSV(t, storeCSV); a != b {
		t.Errorf("CSV from the store differs from CSV from extract:\n%s\n---\n%s", b, a)
	}
	// CSV with a BOM and Chinese labels reads back with encoding/csv.
	csvPath := filepath.Join(t.TempDir(), "r.csv")
	if _, errOut, code := runCLI(t, ctx, "", "export", "--db", db, "--format", "csv", "--bom", "--labels", "zh", "--all-versions", "--out", csvPath); code != 0 {
		t.Fatalf("export csv exit %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatalf("CSV has no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 {
		t.Errorf("CSV has %d data rows, want %d", len(rows)-1, len(want))
	}
	if !strings.Contains(strings.Join(rows[0], ","), "自然人") {
		t.Errorf("zh headers missing: %v", rows[0][:5])
	}
}

func TestSearchAndStatsOnLocalStore(t *testing.T) {
	ctx := context.Background()
	in := corpusDir(t)
	db := filepath.Join(t.TempDir(), "ogi.db")
	if _, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--db", db, in); code != 0 && code != exitPartial {
		t.Fatalf("ingest exit %d: %s", code, errOut)
	}
	out, _, code := runCLI(t, ctx, "", "search", "--db", db, "额玛勒郭楞", "--format", "jsonl")
	if code != 0 || !strings.Contains(out, "额敏县额玛勒郭楞蒙古民族乡人民政府") {
		t.Errorf("search for the agency: exit %d, out %q", code, out)
	}
	direct, _, _ := runCLI(t, ctx, "", "extract", "--quiet", in)
	recs := decodeRecords(t, direct)
	byYear := map[string]int{}
	for _, r := range recs {
		if r.Year == nil {
			continue
		}
		if v := r.Fields["requests.new.total"]; v != nil {
			n := 0
			json.Unmarshal([]byte(*v), &n)
			byYear[itoa(*r.Year)] += n
		}
	}
	out, _, code = runCLI(t, ctx, "", "stats", "--db", db, "--sum", "requests.new.total", "--by", "year", "--format", "csv")
	if code != 0 {
		t.Fatalf("stats exit %d", code)
	}
	rows, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]] = r[1]
	}
	var years []string
	for y := range byYear {
		years = append(years, y)
	}
	sort.Strings(years)
	for _, y := range years {
		if got[y] != itoa(byYear[y]) {
			t.Errorf("stats year %s = %q, want %d", y, got[y], byYear[y])
		}
	}
	if _, _, code := runCLI(t, ctx, "", "stats", "--db", db, "--sum", "no.such.field"); code != exitUsage {
		t.Errorf("unknown field: exit %d, want 2", code)
	}
}

// sortedCSV parses CSV text and returns its rows, header first, the rest
// sorted, one per line.
func sortedCSV(t *testing.T, text string) string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, len(rows))
	for i, r := range rows {
		lines[i] = strings.Join(r, "\x1f")
	}
	sort.Strings(lines[1:])
	return strings.Join(lines, "\n")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
