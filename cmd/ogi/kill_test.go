package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"ogi/extract"
	"ogi/index"
)

// buildOgi builds the command once per test binary run, for tests that
// need a real child process (signals, kill -9).
func buildOgi(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the ogi binary")
	}
	bin := filepath.Join(t.TempDir(), "ogi")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// sqliteCmd runs the binary with the local store whatever the
// environment says (ELASTICSEARCH_URL would choose Elasticsearch).
func sqliteCmd(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ELASTICSEARCH_URL=")
	return cmd
}

// TestIngestSurvivesKill9: an ingest into SQLite killed with SIGKILL at
// random moments leaves a file that passes integrity_check, holds only
// complete records (record, columns and full-text row together), and a
// re-run completes the set, matching what extract gives.
func TestIngestSurvivesKill9(t *testing.T) {
	bin := buildOgi(t)
	in := t.TempDir()
	if out, err := exec.Command(bin, "gen", "--out", in, "--n", "300", "--format", "docx,html", "--seed", "3").CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
	os.Remove(filepath.Join(in, "truth.jsonl"))
	db := filepath.Join(t.TempDir(), "kill.db")
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	prev := 0
	base := 300 * time.Millisecond // adapts: longer while kills land before any write, shorter once a run finishes first
	midRun, fresh := 0, 0
	for round := 0; round < 6; round++ {
		cmd := sqliteCmd(bin, "ingest", "--quiet", "--batch-size", "16", "--db", db, in)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := base/2 + time.Duration(rng.Int64N(int64(base)))
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		n := checkComplete(t, db)
		t.Logf("round %d: killed after %v: %d complete records", round, wait, n)
		switch {
		case n < prev:
			t.Errorf("round %d: %d records, fewer than the %d before", round, n, prev)
		case n == 300:
			// Finished before the kill: start again on a new file, sooner.
			base /= 2
			fresh++
			db = filepath.Join(t.TempDir(), fmt.Sprintf("kill-%d.db", fresh))
			n = 0
		case n == prev:
			base *= 2
		default:
			midRun++
		}
		prev = n
	}
	if midRun == 0 {
		t.Errorf("no kill landed while records were being written")
	}
	out, err := sqliteCmd(bin, "ingest", "--quiet", "--db", db, in).CombinedOutput()
	if err != nil {
		t.Fatalf("re-run: %v\n%s", err, out)
	}
	if n := checkComplete(t, db); n != 300 {
		t.Errorf("after the re-run %d records, want 300", n)
	}
	direct, err := exec.Command(bin, "extract", "--quiet", in).Output()
	if err != nil {
		t.Fatal(err)
	}
	exported, err := sqliteCmd(bin, "export", "--all-versions", "--db", db, "--format", "jsonl").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, got := decodeRecords(t, string(direct)), decodeRecords(t, string(exported))
	if len(got) != len(want) {
		t.Fatalf("export has %d records, extract %d", len(got), len(want))
	}
	for id, w := range want {
		wj, _ := json.Marshal(w)
		// The store adds the versions.agree checks of a report's versions.
		gj, _ := json.Marshal(index.StripVersionChecks([]extract.Record{got[id]})[0])
		if string(wj) != string(gj) {
			t.Errorf("record %s differs from extract's", id)
			break
		}
	}
}

// checkComplete opens the file as a reader would after a crash and checks
// every record is whole; it returns the number of records.
func checkComplete(t *testing.T, path string) int {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return 0 // killed before the file was made
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ic string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("integrity_check = %q, %v", ic, err)
	}
	var version int
	db.QueryRow("PRAGMA user_version").Scan(&version)
	if version == 0 {
		return 0 // killed before the schema was committed
	}
	rows, err := db.QueryContext(context.Background(), `SELECT r.id, r.record_json, r."requests.new.total", r.agency,
	(SELECT count(*) FROM reports_fts f WHERE f.rowid = r.rid) FROM reports r`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, js string
		var total sql.NullInt64
		var agency sql.NullString
		var fts int
		if err := rows.Scan(&id, &js, &total, &agency, &fts); err != nil {
			t.Fatal(err)
		}
		var rec extract.Record
		if err := json.Unmarshal([]byte(js), &rec); err != nil {
			t.Fatalf("record %s: stored JSON does not decode: %v", id, err)
		}
		if rec.ID != id || rec.Extractor == "" || len(rec.Fields) == 0 {
			t.Errorf("record %s incomplete: id %q, extractor %q, %d fields", id, rec.ID, rec.Extractor, len(rec.Fields))
		}
		if v := rec.Fields["requests.new.total"]; (v != nil) != total.Valid || (v != nil && string(*v) != strconv.FormatInt(total.Int64, 10)) {
			t.Errorf("record %s: column requests.new.total %v, JSON %v", id, total, v)
		}
		if (rec.Agency != nil) != agency.Valid {
			t.Errorf("record %s: agency column %v, JSON %v", id, agency, rec.Agency)
		}
		if fts != 1 {
			t.Errorf("record %s has %d full-text rows, want 1", id, fts)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var ftsRows int
	db.QueryRow("SELECT count(*) FROM reports_fts").Scan(&ftsRows)
	if ftsRows != n {
		t.Errorf("%d full-text rows for %d records", ftsRows, n)
	}
	// The versions are decided in the transaction that writes the rows:
	// every row has its state, and each source one latest file.
	var undecided, sourcesWrong int
	db.QueryRow("SELECT count(*) FROM reports WHERE latest IS NULL OR current IS NULL OR stored_at IS NULL OR source_key IS NULL").Scan(&undecided)
	db.QueryRow("SELECT count(*) FROM (SELECT source_key FROM reports GROUP BY source_key HAVING sum(latest) != 1)").Scan(&sourcesWrong)
	if undecided != 0 || sourcesWrong != 0 {
		t.Errorf("%d records without their versions decided, %d sources without exactly one latest record", undecided, sourcesWrong)
	}
	return n
}
