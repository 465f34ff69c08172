package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"

	"ogi/extract"
	"ogi/index/sqlite"
)

// storeWithAgencies ingests the seed report once per agency name, each
// copy a record of its own (the id changed with the name), into a fresh
// SQLite store, and returns the store's path.
func storeWithAgencies(t *testing.T, agencies ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", "--format", "jsonl", fixture("seed-report.html"))
	if code != 0 {
		t.Fatalf("extract: exit %d\n%s", code, errOut)
	}
	var base extract.Record
	if err := json.Unmarshal([]byte(out), &base); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "ogi.db")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var recs []extract.Record
	for i, a := range agencies {
		var r extract.Record
		json.Unmarshal([]byte(out), &r)
		r.Agency = &agencies[i]
		// The agency's identity follows its name: one agency per name.
		id := "000000:" + a
		r.AgencyID = &id
		r.ReportKey = extract.ReportKey(&r)
		r.Region, r.AgencyKind = nil, nil
		r.ID = extract.ID([]byte(a))
		r.Source.SHA256 = r.ID
		r.Source.Path = "reports/" + a + ".html"
		recs = append(recs, r)
	}
	if fails, err := st.Put(context.Background(), recs); err != nil || len(fails) > 0 {
		t.Fatalf("Put: %v %v", fails, err)
	}
	return db
}

// TestCSVAndTablesEscapeFormulas: search and stats in CSV and as tables
// never write a text cell a spreadsheet would run as a formula.
func TestCSVAndTablesEscapeFormulas(t *testing.T) {
	const evil = `=HYPERLINK("http://127.0.0.1/x","洪泽区")`
	db := storeWithAgencies(t, evil, "@SUM(1)")
	for _, args := range [][]string{
		{"stats", "--db", db, "--sum", "requests.new.total", "--by", "agency", "--format", "csv"},
		{"search", "--db", db, "--agency", "HYPERLINK", "--format", "csv"},
		{"search", "--db", db, "--format", "csv", "公开"},
	} {
		out, errOut, code := runCLI(t, context.Background(), "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if len(rows) < 2 {
			t.Fatalf("%v: no rows:\n%s", args, out)
		}
		found := false
		for _, row := range rows[1:] {
			for _, c := range row {
				if _, err := strconv.ParseFloat(c, 64); err == nil {
					continue // numbers are never altered
				}
				if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Errorf("%v: live formula cell %q", args, c)
				}
				if c == "'"+evil {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%v: the agency is not there, escaped:\n%s", args, out)
		}
	}
	for _, args := range [][]string{
		{"stats", "--db", db, "--sum", "requests.new.total", "--by", "agency"},
		{"search", "--db", db, "--agency", "HYPERLINK"},
	} {
		out, _, code := runCLI(t, context.Background(), "", args...)
		if code != 0 || !strings.Contains(out, "'"+evil) {
			t.Errorf("%v: exit %d, table without the escaped agency:\n%s", args, code, out)
		}
	}
}

// TestTablesAlignByDisplayWidth: the columns of a terminal table line up
// on screen with Chinese names of different lengths, and counts agree
// in number with their noun.
func TestTablesAlignByDisplayWidth(t *testing.T) {
	db := storeWithAgencies(t, "淮安市洪泽区人民政府", "淮安市", "Huai'an")
	out, _, code := runCLI(t, context.Background(), "", "stats", "--db", db, "--sum", "requests.new.total", "--by", "agency")
	if code != 0 {
		t.Fatalf("stats: exit %d", code)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("stats table has %d lines, want a header and 3 rows:\n%s", len(lines), out)
	}
	// The number columns are right-aligned: every line has the same width,
	// and the sum column ends at the same screen column.
	w := runewidth.StringWidth(lines[0])
	for _, l := range lines[1:] {
		if runewidth.StringWidth(l) != w {
			t.Errorf("line %q is %d cells wide, the header %d:\n%s", l, runewidth.StringWidth(l), w, out)
		}
	}
	_, errOut, code := runCLI(t, context.Background(), "", "search", "--db", db, "--agency", "洪泽")
	if code != 0 || !strings.Contains(errOut, "ogi: 1 hit\n") {
		t.Errorf("search with one hit: exit %d, stderr %q, want \"1 hit\"", code, errOut)
	}
	out, _, _ = runCLI(t, context.Background(), "", "search", "--db", db, "--agency", "淮安")
	lines = strings.Split(strings.TrimRight(out, "\n"), "\n")
	col := -1
	for _, l := range lines {
		i := strings.Index(l, "2024")
		if i < 0 {
			i = strings.Index(l, "YEAR")
		}
		if c := runewidth.StringWidth(l[:max(i, 0)]); col < 0 {
			col = c
		} else if c != col {
			t.Errorf("year column starts at screen column %d in %q, %d in the header:\n%s", c, l, col, out)
		}
	}
	_, errOut, _ = runCLI(t, context.Background(), "", "export", "--db", db, "--agency", "洪泽", "--format", "jsonl")
	if !strings.Contains(errOut, "exported 1 record\n") {
		t.Errorf("export of one record: stderr %q, want \"exported 1 record\"", errOut)
	}
}

// TestExportOrderAndChecksFailed: exports list reports by year, then
// agency, then path, whatever order they were ingested in, and
// checks_failed is the same count in the CSV export and in SQLite.
func TestExportOrderAndChecksFailed(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "ogi.db")
	if _, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--db", db, fixture("real"), fixture("samples"), fixture("seed-report.html")); code != 0 {
		t.Fatalf("ingest: exit %d\n%s", code, errOut)
	}
	out, errOut, code := runCLI(t, ctx, "", "export", "--db", db, "--format", "csv")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 10 {
		t.Fatalf("export: %d rows, %v", len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	key := func(r []string) string {
		return r[col["year"]] + "\x00" + r[col["agency"]] + "\x00" + r[col["path"]]
	}
	for i := 2; i < len(rows); i++ {
		if key(rows[i-1]) > key(rows[i]) {
			t.Errorf("row %d (%s) before row %d (%s): not in year, agency, path order", i-1, key(rows[i-1]), i, key(rows[i]))
		}
	}
	sq, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	failedSome := false
	for _, r := range rows[1:] {
		var n int
		if err := sq.QueryRow("SELECT checks_failed FROM reports WHERE id = ?", r[col["id"]]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if r[col["checks_failed"]] != strconv.Itoa(n) {
			t.Errorf("%s: checks_failed %q in the export, %d in SQLite", r[col["path"]], r[col["checks_failed"]], n)
		}
		names := r[col["checks_failed_names"]]
		if (n == 0) != (names == "") || (n > 0 && len(strings.Split(names, ";")) != n) {
			t.Errorf("%s: checks_failed %d but checks_failed_names %q", r[col["path"]], n, names)
		}
		failedSome = failedSome || n > 0
	}
	if !failedSome {
		t.Log("no sample report fails a check: names column checked empty only")
	}
}
