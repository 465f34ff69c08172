package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ogi/batch"
)

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIngestNonRegularInputs: FIFOs given as an argument, in --from and
// inside a walked directory are each reported as not a regular file; the
// run neither blocks on them nor skips them silently; a missing argument
// is reported as not found; a duplicate is named on stderr.
func TestIngestNonRegularInputs(t *testing.T) {
	dir := t.TempDir()
	walked := filepath.Join(dir, "walked")
	os.Mkdir(walked, 0o755)
	copyFile(t, fixture("seed-report.docx"), filepath.Join(walked, "a.docx"))
	copyFile(t, fixture("seed-report.docx"), filepath.Join(walked, "b-copy.docx"))
	fifos := map[string]string{}
	for _, name := range []string{"arg.html", "listed.docx", "walked/inner.html"} {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		fifos[name] = p
	}
	list := filepath.Join(dir, "list.txt")
	os.WriteFile(list, []byte(fifos["listed.docx"]+"\n"), 0o644)
	missing := filepath.Join(dir, "missing.docx")
	sumPath := filepath.Join(dir, "summary.json")
	db := filepath.Join(dir, "ogi.db")

	type res struct {
		errOut string
		code   int
	}
	done := make(chan res, 1)
	go func() {
		_, errOut, code := runCLI(t, context.Background(), "", "ingest", "--quiet", "--db", db, "--summary", sumPath,
			"--from", list, fifos["arg.html"], walked, missing)
		done <- res{errOut, code}
	}()
	var r res
	select {
	case r = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("ingest blocked on a FIFO")
	}
	if r.code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitPartial, r.errOut)
	}
	var sum summary
	b, err := os.ReadFile(sumPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("summary: %v\n%s", err, b)
	}
	got := map[string]fileSummary{}
	for _, f := range sum.PerFile {
		got[f.Path] = f
	}
	for name, p := range fifos {
		f, ok := got[p]
		if !ok || f.Outcome != batch.Failed || !strings.Contains(f.Error, "not a regular file") {
			t.Errorf("FIFO %s: summary entry %+v, want failed: not a regular file", name, f)
		}
		if !strings.Contains(r.errOut, `"`+p+`": `) || !strings.Contains(r.errOut, "not a regular file") {
			t.Errorf("FIFO %s not reported on stderr:\n%s", name, r.errOut)
		}
	}
	if f := got[missing]; f.Outcome != batch.NotFound || !strings.Contains(f.Error, "not found") {
		t.Errorf("missing file: summary entry %+v, want not_found", f)
	}
	if sum.Counts[batch.NotFound] != 1 || sum.Counts[batch.Failed] != 3 || sum.Counts[batch.OK] != 1 || sum.Counts[batch.Duplicate] != 1 {
		t.Errorf("counts %v, want 1 ok, 3 failed, 1 not_found, 1 duplicate", sum.Counts)
	}
	dup := filepath.Join(walked, "b-copy.docx")
	if !strings.Contains(r.errOut, `"`+dup+`": duplicate: same bytes as "`+filepath.Join(walked, "a.docx")+`"`) {
		t.Errorf("duplicate not named on stderr:\n%s", r.errOut)
	}
}

// TestLogLinesQuoteNames: a file name with a newline cannot forge a log
// line, and a name that is not UTF-8 keeps its exact bytes in the summary.
func TestLogLinesQuoteNames(t *testing.T) {
	dir := t.TempDir()
	forged := filepath.Join(dir, "x.html\nogi: all good.html")
	if err := os.WriteFile(forged, []byte("\x00\x01\x02 binary"), 0o644); err != nil {
		t.Skipf("file name with a newline: %v", err)
	}
	gbk := filepath.Join(dir, "\xba\xba.html") // 汉 in GBK: not UTF-8
	if err := os.WriteFile(gbk, []byte("\x00\x01\x02 binary"), 0o644); err != nil {
		t.Skipf("non-UTF-8 file name: %v", err)
	}
	sumPath := filepath.Join(dir, "summary.json")
	_, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", "--summary", sumPath, dir)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if strings.HasPrefix(line, "ogi: all good") {
			t.Errorf("forged log line %q in stderr:\n%s", line, errOut)
		}
	}
	if !strings.Contains(errOut, `x.html\nogi: all good.html"`) {
		t.Errorf("name with a newline not quoted on stderr:\n%s", errOut)
	}
	b, err := os.ReadFile(sumPath)
	if err != nil {
		t.Fatal(err)
	}
	var sum summary
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range sum.PerFile {
		if f.PathB64 == "" {
			if f.Path != forged {
				t.Errorf("summary path %q without path_b64, want one of the inputs", f.Path)
			}
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(f.PathB64)
		if err != nil || string(raw) != gbk {
			t.Errorf("path_b64 %q decodes to %q (%v), want %q", f.PathB64, raw, err, gbk)
		}
		found = true
	}
	if !found {
		t.Errorf("no path_b64 for the non-UTF-8 name in the summary:\n%s", b)
	}
}

// TestReadCommandsNeedAStore: search, stats and export on a --db file
// that does not exist fail with a clear message and exit 1, and create
// nothing; only ingest creates a store.
func TestReadCommandsNeedAStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nowhere.db")
	for _, args := range [][]string{
		{"search", "--db", db, "公开"},
		{"stats", "--db", db, "--sum", "requests.new.total"},
		{"export", "--db", db, "--format", "csv"},
	} {
		out, errOut, code := runCLI(t, context.Background(), "", args...)
		if code != exitFatal || !strings.Contains(errOut, "no such store") || !strings.Contains(errOut, db) || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 naming the missing store", args[0], code, out, errOut)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%s created %s", args[0], db)
		}
	}
}
