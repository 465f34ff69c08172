package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"ogi/extract"
	"ogi/index"
)

// TestSQLiteMigratesToOneCopy: testdata/schema1.db was written by ogi
// 0.1.0 from four fixture reports (cells and checks as tables, full text
// keyed by a hash of the id). Opening it runs every migration (schema 2
// places the records; schema 3 keeps each record once) and carries
// everything over: the same records (placed), cells, checks and search
// hits.
func TestSQLiteMigratesToOneCopy(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "schema1.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	q := func(db *sql.DB, query string) []string {
		rows, err := db.Query(query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s sql.NullString
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s.String)
		}
		return out
	}
	const cellsQ = "SELECT report_id || '|' || key || '|' || coalesce(value, 'NULL') || '|' || coalesce(raw, 'NULL') FROM cells ORDER BY report_id, key"
	// The versions.agree checks the migration adds (as rows of their
	// own) are left out.
	const checksQ = "SELECT report_id || '|' || seq || '|' || name || '|' || ok || '|' || detail FROM checks WHERE name <> 'versions.agree' ORDER BY report_id, seq"
	wantRecords := q(old, "SELECT record_json FROM reports ORDER BY id")
	wantCells := q(old, cellsQ)
	wantChecks := q(old, checksQ)
	wantHits := q(old, `SELECT id FROM reports_fts WHERE reports_fts MATCH '"信息 息公 公开"' ORDER BY id`)
	if v := q(old, "PRAGMA user_version"); v[0] != "1" || len(wantRecords) != 4 || len(wantCells) < 400 || len(wantHits) == 0 {
		t.Fatalf("fixture: version %v, %d records, %d cells, %d hits", v, len(wantRecords), len(wantCells), len(wantHits))
	}
	old.Close()

	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(schema 1 file): %v", err)
	}
	defer s.Close()
	if v := q(s.db, "PRAGMA user_version"); v[0] != strconv.Itoa(schemaVersion) {
		t.Errorf("user_version after Open = %v, want %d", v, schemaVersion)
	}
	for i, js := range wantRecords {
		var r extract.Record
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		extract.Place(&r)
		b, _ := json.Marshal(r)
		wantRecords[i] = string(b)
	}
	var got []string
	s.Scan(ctx, index.Query{AllVersions: true}, func(r extract.Record) error {
		r = index.StripVersionChecks([]extract.Record{r})[0]
		b, _ := json.Marshal(r)
		got = append(got, string(b))
		return nil
	})
	if !slices.Equal(got, wantRecords) {
		t.Errorf("records after migration differ (%d, want %d)", len(got), len(wantRecords))
	}
	if c := q(s.db, cellsQ); !slices.Equal(c, wantCells) {
		t.Errorf("cells after migration differ (%d rows, want %d)", len(c), len(wantCells))
	}
	if c := q(s.db, checksQ); !slices.Equal(c, wantChecks) {
		t.Errorf("checks after migration differ (%d rows, want %d)", len(c), len(wantChecks))
	}
	hits, err := s.Search(ctx, index.Query{Text: "信息公开", Limit: 100, AllVersions: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, wantHits) {
		t.Errorf("search after migration = %v, want %v", ids, wantHits)
	}
	consistent(t, s.db)
	// The migrated file takes new writes like a fresh one.
	var rec extract.Record
	json.Unmarshal([]byte(wantRecords[0]), &rec)
	rec.Extractor = "ogi 9.9.9"
	if f, err := s.Put(ctx, []extract.Record{rec}); err != nil || len(f) > 0 || s.LastChanged() != 1 {
		t.Errorf("Put into the migrated file = %v, %v, changed %d", f, err, s.LastChanged())
	}
	consistent(t, s.db)
}
