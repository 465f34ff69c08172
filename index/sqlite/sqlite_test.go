package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"ogi/extract"
	"ogi/index"
	"ogi/index/storetest"
)

func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ogi.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestSQLiteConformance(t *testing.T) {
	for name, recs := range map[string][]extract.Record{
		"TextRecords": storetest.TextRecords(60),
		"Records":     storetest.Records(60),
	} {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t)
			storetest.Run(t, s, recs)
		})
	}
}

// snapshot is everything a Put could change, for comparing runs.
func snapshot(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT count(*) FROM reports",
		"SELECT count(*) FROM cells",
		"SELECT count(*) FROM checks",
		"SELECT count(*) FROM reports_fts",
		"SELECT group_concat(id || record_json || coalesce(\"requests.new.total\", 'null'), '|') FROM (SELECT * FROM reports ORDER BY id)",
		"SELECT group_concat(report_id || key || coalesce(value, 'null') || coalesce(raw, 'null'), '|') FROM (SELECT * FROM cells ORDER BY report_id, key)",
		"SELECT group_concat(report_id || seq || name || ok || detail, '|') FROM (SELECT * FROM checks ORDER BY report_id, seq)",
		"SELECT group_concat(f.rowid || r.id, '|') FROM (SELECT rowid FROM reports_fts ORDER BY rowid) f JOIN reports r ON r.rid = f.rowid",
		"SELECT group_concat(r.id, '|') FROM reports_fts('全文 OR 公开') f JOIN reports r ON r.rid = f.rowid ORDER BY r.id",
	} {
		var v sql.NullString
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%s\n", v.String)
	}
	return b.String()
}

func TestSQLitePutIdempotent(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	recs := storetest.TextRecords(30)
	if f, err := s.Put(ctx, recs); err != nil || len(f) > 0 {
		t.Fatalf("Put = %v, %v", f, err)
	}
	if got := s.LastChanged(); got != 30 {
		t.Errorf("LastChanged after first Put = %d, want 30", got)
	}
	before := snapshot(t, s.db)
	if f, err := s.Put(ctx, storetest.TextRecords(30)); err != nil || len(f) > 0 {
		t.Fatalf("second Put = %v, %v", f, err)
	}
	if got := s.LastChanged(); got != 0 {
		t.Errorf("LastChanged after identical Put = %d, want 0", got)
	}
	if after := snapshot(t, s.db); after != before {
		t.Errorf("identical Put changed the store")
	}

	// A newer extractor replaces the record, cells and all.
	newer := storetest.TextRecords(30)[4]
	newer.Extractor = "ogi 9.9.9"
	seven := extract.Number("7")
	newer.Fields = map[string]*extract.Number{"requests.new.total": &seven}
	newer.Raw = map[string]string{"requests.new.total": "七"}
	newer.Checks = nil
	newer.Sections = map[string]string{"overview": "全新的概述文本"}
	if f, err := s.Put(ctx, []extract.Record{newer}); err != nil || len(f) > 0 {
		t.Fatalf("Put newer = %v, %v", f, err)
	}
	if got := s.LastChanged(); got != 1 {
		t.Errorf("LastChanged after newer extractor = %d, want 1", got)
	}
	var cells, checks, fts int
	var col sql.NullInt64
	s.db.QueryRow("SELECT count(*) FROM cells WHERE report_id = ?", newer.ID).Scan(&cells)
	s.db.QueryRow("SELECT count(*) FROM checks WHERE report_id = ?", newer.ID).Scan(&checks)
	s.db.QueryRow("SELECT count(*) FROM reports_fts WHERE rowid = (SELECT rid FROM reports WHERE id = ?)", newer.ID).Scan(&fts)
	s.db.QueryRow(`SELECT "requests.new.total" FROM reports WHERE id = ?`, newer.ID).Scan(&col)
	if cells != 1 || checks != 0 || fts != 1 || col.Int64 != 7 {
		t.Errorf("replaced record: cells %d checks %d fts %d column %v, want 1 0 1 7", cells, checks, fts, col)
	}
	if n, _ := s.Count(ctx, index.Query{}); n != 30 {
		t.Errorf("Count after replace = %d, want 30", n)
	}
	have, err := s.Have(ctx, []string{newer.ID, recs[0].ID}, "ogi 9.9.9")
	if err != nil || !have[newer.ID] || have[recs[0].ID] {
		t.Errorf("Have(newer) = %v, %v", have, err)
	}
	hits, err := s.Search(ctx, index.Query{Text: "全新"})
	if err != nil || len(hits) != 1 || hits[0].ID != newer.ID {
		t.Errorf("Search(全新) = %v, %v; want the replaced record", hits, err)
	}
}

func TestSQLitePutFailures(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	recs := storetest.TextRecords(4)
	recs[1].ID = ""
	recs[2].Extractor = ""
	pct := extract.Number("25%")
	recs[3].Fields["requests.new.total"] = &pct
	f, err := s.Put(ctx, recs)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if len(f) != 3 || f[0].Path != recs[1].Source.Path || f[1].ID != recs[2].ID || f[2].ID != recs[3].ID {
		t.Errorf("failures = %+v, want the records without id, without extractor, and with a percentage", f)
	}
	for _, fl := range f {
		if !errors.Is(fl, index.ErrRefused) || fl.Error() != fl.Reason {
			t.Errorf("failure %+v: want an error with its reason, wrapping ErrRefused", fl)
		}
	}
	if n, _ := s.Count(ctx, index.Query{}); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

// consistent checks the file and that every table covers the same reports.
func consistent(t *testing.T, db *sql.DB) int {
	t.Helper()
	var ic string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("integrity_check = %q, %v", ic, err)
	}
	var reports, cells, checks, fts, orphans int
	db.QueryRow("SELECT count(*) FROM reports").Scan(&reports)
	db.QueryRow("SELECT count(DISTINCT report_id) FROM cells").Scan(&cells)
	db.QueryRow("SELECT count(DISTINCT report_id) FROM checks").Scan(&checks)
	db.QueryRow("SELECT count(*) FROM reports_fts").Scan(&fts)
	db.QueryRow("SELECT count(*) FROM reports_fts f LEFT JOIN reports r ON r.rid = f.rowid WHERE r.rid IS NULL").Scan(&orphans)
	if cells != reports || checks != reports || fts != reports || orphans != 0 {
		t.Errorf("reports %d, with cells %d, with checks %d, fts rows %d, orphan fts %d", reports, cells, checks, fts, orphans)
	}
	var fk int
	rows, err := db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		fk++
	}
	rows.Close()
	if fk != 0 {
		t.Errorf("foreign_key_check: %d violations", fk)
	}
	return reports
}

func TestSQLiteInterruptedPut(t *testing.T) {
	const batch, total, stopBatch = 10, 200, 7
	recs := storetest.TextRecords(total)
	path := filepath.Join(t.TempDir(), "ogi.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var putErr error
	var failed []index.Failure
	for b := 0; b*batch < total; b++ {
		if b == stopBatch {
			s.afterRecord = func(i int) {
				if i == 3 {
					cancel()
				}
			}
		}
		failed, putErr = s.Put(ctx, recs[b*batch:(b+1)*batch])
		if putErr != nil {
			break
		}
	}
	if !errors.Is(putErr, context.Canceled) {
		t.Fatalf("Put error = %v, want context.Canceled", putErr)
	}
	if len(failed) != batch {
		t.Errorf("failures of the cancelled batch = %d, want %d", len(failed), batch)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if n := consistent(t, s.db); n != stopBatch*batch {
		t.Errorf("reports after interruption = %d, want %d", n, stopBatch*batch)
	}
	changed := 0
	for b := 0; b*batch < total; b++ {
		if f, err := s.Put(context.Background(), recs[b*batch:(b+1)*batch]); err != nil || len(f) > 0 {
			t.Fatalf("re-run batch %d: %v %v", b, f, err)
		}
		changed += s.LastChanged()
	}
	if changed != total-stopBatch*batch {
		t.Errorf("re-run changed %d records, want %d", changed, total-stopBatch*batch)
	}
	if n := consistent(t, s.db); n != total {
		t.Errorf("reports after re-run = %d, want %d", n, total)
	}
}

func TestSQLiteSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	recs := storetest.TextRecords(40)
	if _, err := s.Put(ctx, recs); err != nil {
		t.Fatal(err)
	}
	var version int
	s.db.QueryRow("PRAGMA user_version").Scan(&version)
	if version != schemaVersion {
		t.Errorf("user_version = %d, want %d", version, schemaVersion)
	}
	var mode string
	s.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var pageSize, syncMode int
	s.db.QueryRow("PRAGMA page_size").Scan(&pageSize)
	s.db.QueryRow("PRAGMA synchronous").Scan(&syncMode)
	if pageSize != 16384 || syncMode != 1 {
		t.Errorf("page_size = %d, synchronous = %d; want 16384 and 1 (NORMAL)", pageSize, syncMode)
	}
	var automerge int
	if err := s.db.QueryRow("SELECT v FROM reports_fts_config WHERE k = 'automerge'").Scan(&automerge); err != nil || automerge != 8 {
		t.Errorf("full-text automerge = %d (%v), want 8", automerge, err)
	}
	types := map[string]string{}
	rows, err := s.db.Query("SELECT name, type FROM pragma_table_info('reports')")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, ty string
		rows.Scan(&n, &ty)
		types[n] = ty
	}
	rows.Close()
	for _, k := range extract.FieldKeys() {
		want := "INTEGER"
		if k == "active.fees.amount" || k == "active.procurement.amount" {
			want = "REAL"
		}
		if types[k] != want {
			t.Errorf("column %q type = %q, want %q", k, types[k], want)
		}
	}
	if types["active"] != "TEXT" {
		t.Errorf("section key active has no column (types %q)", types["active"])
	}

	// Plain SQL over a count column gives the exact sum.
	for _, key := range []string{"requests.new.total", "active.licensing.items_change"} {
		var got sql.NullInt64
		if err := s.db.QueryRow(fmt.Sprintf("SELECT sum(%s) FROM reports", ident(key))).Scan(&got); err != nil {
			t.Fatal(err)
		}
		var want int64
		for _, r := range recs {
			if n := r.Fields[key]; n != nil {
				v, _ := strconv.ParseInt(string(*n), 10, 64)
				want += v
			}
		}
		if got.Int64 != want {
			t.Errorf("SQL sum(%s) = %d, want %d", key, got.Int64, want)
		}
	}
	var typ string
	s.db.QueryRow(`SELECT typeof("requests.new.total") FROM reports WHERE "requests.new.total" IS NOT NULL LIMIT 1`).Scan(&typ)
	if typ != "integer" {
		t.Errorf("typeof count cell = %q, want integer", typ)
	}
	var fields int
	s.db.QueryRow("SELECT count(*) FROM fields").Scan(&fields)
	if fields != len(extract.Fields()) {
		t.Errorf("fields rows = %d, want %d", fields, len(extract.Fields()))
	}
	s.Close()

	// Reopening keeps everything; a file from a newer program is refused.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if n, _ := s2.Count(ctx, index.Query{AllVersions: true}); n != len(recs) {
		t.Errorf("Count after reopen = %d, want %d", n, len(recs))
	}
	if !slices.Contains(s2.sectionCols, "active") {
		t.Errorf("section columns after reopen = %v, want active among them", s2.sectionCols)
	}
	s2.db.Exec("PRAGMA user_version = 99")
	s2.Close()
	if _, err := Open(ctx, path); !errors.Is(err, index.ErrUnavailable) || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open(newer schema) = %v, want index.ErrUnavailable naming the version", err)
	}
}

func TestSQLiteOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	if !errors.Is(err, index.ErrUnavailable) || !strings.Contains(err.Error(), path) {
		t.Errorf("Open(junk) = %v, want index.ErrUnavailable naming the file", err)
	}
}

func TestSQLiteSearch(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	mk := func(n int, agency, overview string) extract.Record {
		r := storetest.TextRecords(n + 1)[n]
		r.Agency = &agency
		r.Sections = map[string]string{"overview": overview}
		return r
	}
	recs := []extract.Record{
		mk(0, "甲市人民政府", "本年度未收到行政复议申请。"),
		mk(1, "乙县教育局", "行政复议。行政复议案件2件，均维持。行政复议。"),
		mk(2, "丙区财政局", "主动公开政府信息120条，依申请公开3件。Open Data PORTAL上线。"),
		mk(3, "丁镇人民政府", "加强ＡＢＣ平台建设，公开栏更新。"),
	}
	if _, err := s.Put(ctx, recs); err != nil {
		t.Fatal(err)
	}
	ids := func(hits []index.Hit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, h.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name, text string
		want       []string // ids in rank order
		snippet    string   // in the first hit
	}{
		{"two-char word ranked by frequency", "复议", []string{recs[1].ID, recs[0].ID}, "【复议】"},
		{"phrase", "政府信息", []string{recs[2].ID}, "主动公开【政府信息】120条"},
		{"phrase not split across words", "信息公开", nil, ""},
		{"agency", "教育局", []string{recs[1].ID}, "【教育局】"},
		{"two words", "公开 平台", []string{recs[3].ID}, "【公开】"},
		{"ascii case-insensitive", "portal", []string{recs[2].ID}, "【PORTAL】"},
		{"full-width folded", "abc", []string{recs[3].ID}, "【ＡＢＣ】"},
		{"single character falls back to substring", "镇", []string{recs[3].ID}, "【镇】"},
		{"punctuation only", "。，", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := s.Search(ctx, index.Query{Text: tc.text})
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.text, err)
			}
			if got := ids(hits); !slices.Equal(got, tc.want) {
				t.Fatalf("Search(%q) ids = %v, want %v", tc.text, got, tc.want)
			}
			if len(hits) > 0 && !strings.Contains(hits[0].Snippet, tc.snippet) {
				t.Errorf("Search(%q) snippet = %q, want it to contain %q", tc.text, hits[0].Snippet, tc.snippet)
			}
		})
	}
	hits, err := s.Search(ctx, index.Query{Text: "公开", Agency: "财政"})
	if err != nil || len(hits) != 1 || hits[0].ID != recs[2].ID || hits[0].Agency != "丙区财政局" || hits[0].Score <= 0 {
		t.Errorf("Search(公开, agency 财政) = %+v, %v", hits, err)
	}
	hits, err = s.Search(ctx, index.Query{Limit: 2})
	if err != nil || len(hits) != 2 {
		t.Errorf("Search(no text, limit 2) = %d hits, %v", len(hits), err)
	}
}

func TestSQLiteSumErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	recs := storetest.TextRecords(5)
	if _, err := s.Put(ctx, recs); err != nil {
		t.Fatal(err)
	}
	// Records cannot carry a percentage (it does not encode as a JSON
	// number), but a file edited by hand can.
	if _, err := s.db.Exec(`UPDATE reports SET "requests.new.total" = '25%' WHERE id = ?`, recs[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sum(ctx, "requests.new.totl", "", index.Query{}); !errors.Is(err, index.ErrUnknownField) {
		t.Errorf("Sum(misspelt key) = %v, want ErrUnknownField", err)
	}
	if _, err := s.Sum(ctx, "requests.new.total", "month", index.Query{}); err == nil {
		t.Errorf("Sum(by month) = nil error")
	}
	if _, err := s.Sum(ctx, "requests.new.total", "", index.Query{}); !errors.Is(err, index.ErrNotDecimal) || !strings.Contains(err.Error(), recs[0].ID) {
		t.Errorf("Sum over a percentage = %v, want index.ErrNotDecimal naming the report", err)
	}
	// A key outside fields.tsv that records carry can be summed.
	b, err := s.Sum(ctx, "requests.extra.total", "", index.Query{})
	if err != nil || len(b) != 1 || b[0].Sum != "4" || b[0].Reports != 5 {
		t.Errorf("Sum(requests.extra.total) = %+v, %v; want 4 over 5 reports", b, err)
	}
}

func TestExactSum(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		want string
	}{
		{"empty", nil, "0"},
		{"integers", []string{"1", "2", "39"}, "42"},
		{"decimals no float error", []string{"0.1", "0.2"}, "0.3"},
		{"money", []string{"7730.28", "25.1", "0.5", "12.345"}, "7768.225"},
		{"trailing zeros trimmed", []string{"0.25", "0.75"}, "1"},
		{"negative", []string{"-3", "1"}, "-2"},
		{"to zero", []string{"-0.5", "0.5"}, "0"},
		{"small negative", []string{"-0.05"}, "-0.05"},
		{"beyond int64", []string{"9223372036854775807", "1"}, "9223372036854775808"},
	} {
		var s exactSum
		for _, v := range tc.in {
			if err := s.Add(v); err != nil {
				t.Fatalf("%s: Add(%q): %v", tc.name, v, err)
			}
		}
		if got := s.String(); got != tc.want {
			t.Errorf("%s: sum of %q = %s, want %s", tc.name, tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", "-", "25%", "2/4", "1.2.3", "3.", ".5", "1e5", "+1", " 1"} {
		var s exactSum
		if err := s.Add(bad); !errors.Is(err, index.ErrNotDecimal) {
			t.Errorf("Add(%q) = %v, want ErrNotDecimal", bad, err)
		}
	}
}

func TestBigramSegment(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"政府信息公开", "政府 府信 信息 息公 公开"},
		{"公开", "公开"},
		{"年", "年"},
		{"2024年度报告", "2024 年度 度报 报告"},
		{"Open Data：ＡＢＣ平台", "open data abc 平台"},
		{"复议。诉讼", "复议 诉讼"},
		{"", ""},
	} {
		if got := bigramText(tc.in); got != tc.want {
			t.Errorf("bigramText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestClassifyRune checks the fast paths of classifyRune against the
// Unicode tables, for every rune.
func TestClassifyRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		gotR, gotC := classifyRune(r)
		wantR, wantC := classifyRuneSlow(r)
		if gotC != wantC || gotC != sepRune && gotR != wantR {
			t.Fatalf("classifyRune(%U) = %U, %d; the tables say %U, %d", r, gotR, gotC, wantR, wantC)
		}
	}
}

// segmentJoined is bigramText by way of bigramSegment, the reference for
// appendBigrams.
func segmentJoined(text string) string {
	var toks []string
	bigramSegment(text, func(tok string, _ bool) { toks = append(toks, tok) })
	return strings.Join(toks, " ")
}

func TestAppendBigramsMatchesSegment(t *testing.T) {
	texts := []string{"", "a", "年", "年a", "a年", "年。年", "年年a年", "ab年cd年年", "　Ａ年ｂ\xff年\u3000年年",
		"Ünïcödé ΣΑΣ 日本語のテキスト 한국어 text", "第1条 2024年度（一）收到申请123件。"}
	for _, r := range storetest.TextRecords(50) {
		texts = append(texts, recordNarrative(&r))
	}
	for _, text := range texts {
		if got, want := bigramText(text), segmentJoined(text); got != want {
			t.Errorf("bigramText(%q) = %q, want %q", text, got, want)
		}
	}
	// Sections written one after another, as encodeRecord does.
	if got, want := string(appendBigrams(appendBigrams(nil, "政府a"), "\n信息")), bigramText("政府a\n信息"); got != want {
		t.Errorf("appendBigrams in parts = %q, want %q", got, want)
	}
}

func FuzzBigrams(f *testing.F) {
	f.Add("政府信息公开 Open Data：ＡＢＣ平台")
	f.Add("年a\xff年")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := bigramText(text), segmentJoined(text); got != want {
			t.Fatalf("bigramText(%q) = %q, want %q", text, got, want)
		}
	})
}

// FuzzSQLiteQueryText checks that any query text segments, parses and cuts
// a snippet without panicking, and that a found term is marked.
func FuzzSQLiteQueryText(f *testing.F) {
	for _, s := range []string{"复议", "政府信息公开", "年", "ＡＢＣ portal", "。，", "\"AND\" OR*", "2024年度"} {
		f.Add(s, "本年度未收到行政复议申请，政府信息公开ＡＢＣ portal。")
	}
	f.Fuzz(func(t *testing.T, query, text string) {
		tq, ok := parseFTSQuery(query)
		if !ok {
			return
		}
		if strings.Contains(tq.match, `""`) {
			t.Errorf("parseFTSQuery(%q) made an empty phrase: %q", query, tq.match)
		}
		s := snippetAround(text, "", tq.terms)
		if strings.Contains(text, strings.TrimSpace(query)) && strings.TrimSpace(query) != "" && !strings.Contains(s, "【") {
			t.Errorf("snippetAround(%q, %q) = %q, want a mark", text, query, s)
		}
	})
}

func TestSQLiteVersions(t *testing.T) {
	s, _ := openTest(t)
	storetest.RunVersions(t, s)
}

// TestSQLiteMigratesToVersions: a file of schema 2 (no version columns,
// cells and checks as tables) opens with every record's version decided,
// as if put now.
func TestSQLiteMigratesToVersions(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(60) // 18 paths hold two files each
	// What a file made now holds.
	s, _ := openTest(t)
	if _, err := s.Put(ctx, recs); err != nil {
		t.Fatal(err)
	}
	want, err := s.Count(ctx, index.Query{})
	if err != nil || want >= len(recs) {
		t.Fatalf("Count() = %d, %v: want fewer reports than the %d files", want, err, len(recs))
	}
	var wantFailed int
	s.db.QueryRow("SELECT sum(checks_failed) FROM reports").Scan(&wantFailed)
	s.Close()
	// The same records in a schema 2 file, written as ogi wrote them then.
	path := filepath.Join(t.TempDir(), "schema2.db")
	writeSchema2(t, path, recs)
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(schema 2): %v", err)
	}
	defer s2.Close()
	if n, err := s2.Count(ctx, index.Query{}); err != nil || n != want {
		t.Errorf("Count() after migration = %d, %v, want %d", n, err, want)
	}
	if n, err := s2.Count(ctx, index.Query{AllVersions: true}); err != nil || n != len(recs) {
		t.Errorf("Count(AllVersions) after migration = %d, %v, want %d", n, err, len(recs))
	}
	var failed, agree int
	s2.db.QueryRow("SELECT sum(checks_failed) FROM reports").Scan(&failed)
	s2.db.QueryRow("SELECT count(*) FROM checks WHERE name = 'versions.agree'").Scan(&agree)
	if failed != wantFailed || agree == 0 {
		t.Errorf("after migration: %d failed checks (want %d), %d versions.agree rows (want some)", failed, wantFailed, agree)
	}
}

// TestSQLiteMigratesSchema1 opens a file of schema 1 (made the way ogi
// 0.1.0 made it: no region columns, records without region) and checks
// that the migration places every stored record and keeps the rest.
func TestSQLiteMigratesSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.BeginTx(ctx, nil)
	if err := schema1(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := ensureFieldColumns(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// Records as 0.1.0 wrote them: no region, report_key agency/year.
	recs := storetest.Records(30)
	old := make([]extract.Record, len(recs))
	for i, r := range recs {
		r.Region, r.AgencyKind, r.AgencyID = nil, nil, nil
		r.ReportKey = nil
		if r.Agency != nil && r.Year != nil {
			k := fmt.Sprintf("%s/%d", *r.Agency, *r.Year)
			r.ReportKey = &k
		}
		r.Warnings = slices.DeleteFunc(slices.Clone(r.Warnings), func(w string) bool { return strings.HasPrefix(w, "region: ") })
		r.Extractor = "ogi 0.1.0"
		old[i] = r
		js, _ := json.Marshal(r)
		warnings, _ := json.Marshal(nonNil(r.Warnings))
		if _, err := db.Exec(`INSERT INTO reports (id, path, sha256, format, size, agency, year, template, report_key, extractor, checks_failed, warnings, sections, record_json)
VALUES (?,?,?,?,?,?,?,?,?,?,0,?,'{}',?)`, r.ID, r.Source.Path, r.ID, r.Source.Format, r.Source.Size, ptrString(r.Agency), ptrInt(r.Year), ptrString(r.Template), ptrString(r.ReportKey), r.Extractor, string(warnings), string(js)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a schema 1 file: %v", err)
	}
	defer s.Close()
	var version int
	s.db.QueryRow("PRAGMA user_version").Scan(&version)
	if version != schemaVersion {
		t.Fatalf("user_version = %d after migration, want %d", version, schemaVersion)
	}
	// Every record is placed as extract.Place places it, in its columns
	// and its record_json; the extractor version is kept so ingest
	// re-extracts it.
	byID := map[string]extract.Record{}
	for _, r := range old {
		extract.Place(&r)
		byID[r.ID] = r
	}
	n := 0
	if err := s.Scan(ctx, index.Query{AllVersions: true}, func(got extract.Record) error {
		n++
		want := byID[got.ID]
		if !reflect.DeepEqual(got.Region, want.Region) || strOr(got.AgencyID) != strOr(want.AgencyID) || strOr(got.ReportKey) != strOr(want.ReportKey) || got.Extractor != "ogi 0.1.0" {
			t.Errorf("%s: region %+v id %s key %s extractor %s; want %+v %s %s", got.ID, got.Region, strOr(got.AgencyID), strOr(got.ReportKey), got.Extractor, want.Region, strOr(want.AgencyID), strOr(want.ReportKey))
		}
		return nil
	}); err != nil || n != len(old) {
		t.Fatalf("Scan after migration: %d records, %v", n, err)
	}
	var code, aid sql.NullString
	s.db.QueryRow(`SELECT region_code, agency_id FROM reports WHERE agency = '淮安市洪泽区人民政府' LIMIT 1`).Scan(&code, &aid)
	if code.String != "320813" || aid.String != "320813:洪泽区人民政府" {
		t.Errorf("columns after migration: region_code %q agency_id %q", code.String, aid.String)
	}
	c, err := s.Count(ctx, index.Query{AllVersions: true, Region: "3208"})
	want := 0
	for _, r := range byID {
		if index.Matches(&r, index.Query{Region: "3208"}) {
			want++
		}
	}
	if err != nil || c != want || want == 0 {
		t.Errorf("Count(region 3208) after migration = %d, %v; want %d", c, err, want)
	}
	have, _ := s.Have(ctx, []string{old[0].ID}, extract.Version)
	if have[old[0].ID] {
		t.Errorf("a migrated record counts as made by %s: ingest would not re-extract it", extract.Version)
	}
}

func strOr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// writeSchema2 makes a file of schema 2 holding recs the way that schema
// stored them: cells and checks as tables, full text with its content.
func writeSchema2(t *testing.T, path string, recs []extract.Record) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, m := range migrations[:2] {
		if err := m(ctx, tx); err != nil {
			t.Fatal(err)
		}
	}
	if err := ensureFieldColumns(ctx, tx); err != nil {
		t.Fatal(err)
	}
	cols := append(slices.Clone(reportBaseCols), fieldKeys...)
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = ident(c)
	}
	ins := "INSERT INTO reports (" + strings.Join(quoted, ", ") + ") VALUES (" + placeholders(len(cols)) + ")"
	for i := range recs {
		p, err := encodeRecord(&recs[i])
		if err != nil {
			t.Fatal(err)
		}
		r := p.rec
		if _, err := tx.Exec(ins, append(slices.Clone(p.base), p.fields...)...); err != nil {
			t.Fatal(err)
		}
		for _, k := range r.Keys() {
			var raw, val any
			if v, ok := r.Raw[k]; ok {
				raw = v
			}
			if n := r.Fields[k]; n != nil && *n != "" {
				val = string(*n)
			}
			if _, err := tx.Exec("INSERT INTO cells (report_id, key, value, raw) VALUES (?,?,?,?)", r.ID, k, val, raw); err != nil {
				t.Fatal(err)
			}
		}
		for j, c := range r.Checks {
			if _, err := tx.Exec("INSERT INTO checks (report_id, seq, name, ok, detail) VALUES (?,?,?,?,?)", r.ID, j, c.Name, c.OK, c.Detail); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.Exec("INSERT INTO reports_fts (rowid, id, agency, body) VALUES (?,?,?,?)", i+1, r.ID, p.ftsAgent, p.ftsBody); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec("PRAGMA user_version = 2"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
