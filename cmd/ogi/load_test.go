package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ogi/extract"
	"ogi/index"
	"ogi/numeral"
)

// TestLoadRecords: the JSONL that extract writes loads into SQLite and
// exports back unchanged; bad lines are refused with their line numbers
// (a record of another extractor version among them) and the good ones
// are loaded; exit 3 says some were refused.
func TestLoadRecords(t *testing.T) {
	ctx := context.Background()
	in := corpusDir(t)
	direct, _, code := runCLI(t, ctx, "", "extract", "--quiet", in)
	if code != 0 && code != exitPartial {
		t.Fatalf("extract exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(direct), "\n")
	if len(lines) < 5 {
		t.Fatalf("extract gave %d records", len(lines))
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "records.jsonl")
	os.WriteFile(good, []byte(direct), 0o644)

	db := filepath.Join(dir, "load.db")
	_, errOut, code := runCLI(t, ctx, "", "load", "--quiet", "--db", db, good)
	if code != 0 {
		t.Fatalf("load: exit %d\n%s", code, errOut)
	}
	out, _, _ := runCLI(t, ctx, "", "export", "--all-versions", "--db", db, "--format", "jsonl")
	want, got := decodeRecords(t, direct), decodeRecords(t, out)
	if len(got) != len(want) {
		t.Fatalf("loaded %d records, want %d", len(got), len(want))
	}
	for id := range want {
		if _, ok := got[id]; !ok {
			t.Errorf("record %s not loaded", id)
		}
	}
	// Loading again changes nothing.
	if _, errOut, code := runCLI(t, ctx, "", "load", "--quiet", "--db", db, good); code != 0 {
		t.Fatalf("second load: exit %d\n%s", code, errOut)
	}
	if n := strings.Count(mustExport(t, db), "\n"); n != len(want) {
		t.Errorf("after a second load %d records, want %d", n, len(want))
	}

	old := strings.Replace(lines[1], `"extractor":"`+extract.Version+`"`, `"extractor":"ogi 0.0.1"`, 1)
	badID := strings.Replace(lines[2], lines[2][8:72], strings.ToUpper(lines[2][8:72]), 1)
	badNum := strings.Replace(lines[3], `:0,`, `:0.50,`, 1)
	unknown := strings.Replace(lines[4], `{"id":`, `{"colour":"red","id":`, 1)
	mixed := strings.Join([]string{lines[0], old, badID, "", "not json", badNum, unknown}, "\n") + "\n"
	bad := filepath.Join(dir, "mixed.jsonl")
	os.WriteFile(bad, []byte(mixed), 0o644)
	db2 := filepath.Join(dir, "mixed.db")
	problems := filepath.Join(dir, "problems.csv")
	_, errOut, code = runCLI(t, ctx, "", "load", "--quiet", "--db", db2, "--problems", problems, bad)
	if code != exitPartial {
		t.Errorf("load of a mixed file: exit %d, want %d\n%s", code, exitPartial, errOut)
	}
	for _, w := range []string{
		"mixed.jsonl:2: record", `made by "ogi 0.0.1", this is "` + extract.Version + `"`,
		"mixed.jsonl:3: id", "mixed.jsonl:5: not a record",
		"mixed.jsonl:6: record", "not a canonical decimal",
		"mixed.jsonl:7: not a record", "colour",
		"1 records loaded, 5 refused",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if b, err := os.ReadFile(problems); err != nil || strings.Count(string(b), "\n") != 6 {
		t.Errorf("problems report (header and 5 rows):\n%s (%v)", b, err)
	}
	// --any-version takes the older record.
	_, errOut, _ = runCLI(t, ctx, "", "load", "--quiet", "--any-version", "--db", db2, bad)
	if !strings.Contains(errOut, "2 records loaded, 4 refused") {
		t.Errorf("--any-version: %s", errOut)
	}
	if _, errOut, code := runCLI(t, ctx, "", "load", "--db", db2); code != exitUsage {
		t.Errorf("load without files: exit %d\n%s", code, errOut)
	}
	// The store is opened while the file is read: one that cannot be is
	// the error, and the lines read meanwhile are not reported as if the
	// run had gone on.
	noStore := filepath.Join(dir, "missing", "x.db")
	badFirst := filepath.Join(dir, "bad-first.jsonl")
	os.WriteFile(badFirst, []byte("not json\n"+lines[0]+"\n"), 0o644)
	_, errOut, code = runCLI(t, ctx, "", "load", "--quiet", "--db", noStore, badFirst)
	if code != exitFatal || !strings.Contains(errOut, noStore) || strings.Contains(errOut, "bad-first.jsonl:") || strings.Contains(errOut, "records loaded") {
		t.Errorf("load into a store that cannot be opened: exit %d, want %d, with only the store's error:\n%s", code, exitFatal, errOut)
	}
}

func mustExport(t *testing.T, db string) string {
	t.Helper()
	out, errOut, code := runCLI(t, context.Background(), "", "export", "--all-versions", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	return out
}

func TestCanonicalDecimalMatchesNumeral(t *testing.T) {
	for _, s := range []string{"0", "-0", "12", "012", "-3", "7730.28", "7730.280", "0.5", "-0.5", ".5", "5.", "1e5", "+3", "", "-", "1.2.3", "00", "10", "100.01"} {
		c, err := numeral.Canonical(s)
		want := err == nil && c == s
		if got := canonicalDecimal(s); got != want {
			t.Errorf("canonicalDecimal(%q) = %v, numeral.Canonical says %v", s, got, want)
		}
	}
}

// TestLoadIntoElasticsearch: records loaded into Elasticsearch come back
// from export exactly as extract wrote them.
func TestLoadIntoElasticsearch(t *testing.T) {
	url := esURL(t)
	ctx := context.Background()
	in := corpusDir(t)
	direct, _, _ := runCLI(t, ctx, "", "extract", "--quiet", in)
	path := filepath.Join(t.TempDir(), "records.jsonl")
	os.WriteFile(path, []byte(direct), 0o644)
	alias := fmt.Sprintf("ogi-load-%d", time.Now().UnixNano())
	t.Cleanup(func() { deleteIndices(t, url, alias) })
	if _, errOut, code := runCLI(t, ctx, "", "load", "--quiet", "--es", url, "--index", alias, path); code != 0 {
		t.Fatalf("load: exit %d\n%s", code, errOut)
	}
	out, errOut, code := runCLI(t, ctx, "", "export", "--all-versions", "--es", url, "--index", alias, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	want, got := decodeRecords(t, direct), decodeRecords(t, out)
	if len(got) != len(want) {
		t.Fatalf("index holds %d records, want %d", len(got), len(want))
	}
	for id, w := range want {
		wj, _ := json.Marshal(w)
		// The store adds the versions.agree checks of a report's versions.
		gj, _ := json.Marshal(index.StripVersionChecks([]extract.Record{got[id]})[0])
		if string(wj) != string(gj) {
			t.Errorf("record %s differs after load", id)
		}
	}
}
