package batch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ogi/extract"
	"ogi/parser"
)

func fixture(name string) string { return filepath.Join("..", "fixtures", name) }

// haveIDs is a store holding the given ids with this extractor version.
type haveIDs map[string]bool

func (h haveIDs) Have(_ context.Context, ids []string, extractor string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, id := range ids {
		out[id] = h[id] && extractor == extract.Version
	}
	return out, nil
}

// inputs writes n distinct copies of the seed report, a duplicate of the
// first, and a file that is not a report.
func inputs(t *testing.T, n int) []string {
	t.Helper()
	good, err := os.ReadFile(fixture("seed-report.docx"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, string(rune('a'+i))+".docx")
		os.WriteFile(p, append(append([]byte(nil), good...), byte(i)), 0o644)
		files = append(files, p)
	}
	dup := filepath.Join(dir, "dup.docx")
	os.WriteFile(dup, append(append([]byte(nil), good...), 0), 0o644)
	notReport := filepath.Join(dir, "notice.html")
	os.WriteFile(notReport, []byte("<html><body><p>关于开展安全生产检查的通知</p></body></html>"), 0o644)
	return append(files, dup, notReport)
}

func run(t *testing.T, files []string, cfg Config) []*Result {
	t.Helper()
	var emitted, done []*Result
	cfg.Done = func(r *Result) { done = append(done, r) }
	err := Run(context.Background(), files, cfg, func(r *Result) error {
		emitted = append(emitted, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(done) != len(files) || len(emitted) != len(files) {
		t.Fatalf("Run gave %d results to Done and %d to emit for %d files", len(done), len(emitted), len(files))
	}
	return done
}

func TestRunOrderDuplicatesAndSkip(t *testing.T) {
	files := inputs(t, 9)
	res := run(t, files, Config{Jobs: 4})
	for i, r := range res {
		if r.Index != i || r.Path != files[i] {
			t.Fatalf("result %d is %d %s, want input order", i, r.Index, r.Path)
		}
	}
	want := map[int]Outcome{0: OK, 9: Duplicate, 10: NotReport}
	for i, r := range res {
		w, ok := want[i]
		if !ok {
			w = OK
		}
		if r.Outcome != w {
			t.Errorf("%s: outcome %s (%v), want %s", filepath.Base(r.Path), r.Outcome, r.Err, w)
		}
	}
	rec := res[1].Record
	if rec == nil || rec.ID != res[1].ID || rec.Source.Path != files[1] || rec.Source.SHA256 != rec.ID || rec.Extractor != extract.Version || rec.Source.Format != "docx" {
		t.Fatalf("record of %s not finished: %+v", files[1], rec)
	}
	if res[9].Record != nil || !strings.Contains(res[9].Err.Error(), files[0]) {
		t.Errorf("duplicate: record %v, error %v; want no record and the first file named", res[9].Record, res[9].Err)
	}

	// A second run against a store that holds the first three skips them.
	have := haveIDs{res[0].ID: true, res[1].ID: true, res[2].ID: true}
	res2 := run(t, files, Config{Jobs: 2, Known: have})
	for i, r := range res2[:3] {
		if r.Outcome != Unchanged || r.ID != res[i].ID {
			t.Errorf("%s: outcome %s, want unchanged", filepath.Base(r.Path), r.Outcome)
		}
	}
	if res2[3].Outcome != OK {
		t.Errorf("%s: outcome %s, want ok", filepath.Base(res2[3].Path), res2[3].Outcome)
	}
}

func TestRunPanicAndTimeout(t *testing.T) {
	files := inputs(t, 3)[:3]
	read := func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		switch filepath.Base(path) {
		case "a.docx":
			panic("reader bug")
		case "b.docx":
			<-ctx.Done() // a reader that stops only when told to, a little late
			time.Sleep(50 * time.Millisecond)
			return nil, ctx.Err()
		}
		return parser.Read(ctx, path, data, opts)
	}
	res := run(t, files, Config{Jobs: 2, Timeout: 200 * time.Millisecond, Read: read})
	if r := res[0]; r.Outcome != Failed || !errors.Is(r.Err, ErrPanic) || !strings.Contains(r.Err.Error(), "a.docx") {
		t.Errorf("panic: outcome %s, error %v; want failed with ErrPanic naming the file", r.Outcome, r.Err)
	}
	if r := res[1]; r.Outcome != Failed || !errors.Is(r.Err, ErrTimeout) || len(r.Problems) != 1 || r.Problems[0].Stage != extract.StageRead {
		t.Errorf("timeout: outcome %s, error %v, problems %v; want failed with ErrTimeout and one read problem", r.Outcome, r.Err, r.Problems)
	}
	if r := res[2]; r.Outcome != OK {
		t.Errorf("good file: outcome %s (%v), want ok", r.Outcome, r.Err)
	}
}

func TestRunSinkFailure(t *testing.T) {
	files := inputs(t, 6)[:6]
	var done []*Result
	sinkErr := errors.New("disk full")
	n := 0
	err := Run(context.Background(), files, Config{Jobs: 1, Done: func(r *Result) { done = append(done, r) }}, func(r *Result) error {
		n++
		if n == 2 {
			return sinkErr
		}
		return nil
	})
	if !errors.Is(err, sinkErr) {
		t.Fatalf("Run = %v, want the sink's error", err)
	}
	if len(done) != len(files) {
		t.Fatalf("Done saw %d results, want %d", len(done), len(files))
	}
	for _, r := range done[2:] {
		if r.Outcome != NotIndexed && r.Outcome != Interrupted {
			t.Errorf("%s after the sink failed: outcome %s, want not_indexed or interrupted", filepath.Base(r.Path), r.Outcome)
		}
	}
}

// TestRunNonRegularFiles: a FIFO among the inputs is reported as not a
// regular file, before anything opens it (opening a FIFO without a writer
// blocks forever), both in the store pre-pass and when read; a missing
// path is reported as not found.
func TestRunNonRegularFiles(t *testing.T) {
	files := inputs(t, 2)[:2]
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.html")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	missing := filepath.Join(dir, "gone.docx")
	files = append([]string{fifo}, append(files, dir, missing)...)
	finished := make(chan []*Result, 1)
	go func() { finished <- run(t, files, Config{Jobs: 2, Known: haveIDs{}}) }()
	var res []*Result
	select {
	case res = <-finished:
	case <-time.After(20 * time.Second):
		t.Fatal("Run blocked on a FIFO")
	}
	for i, want := range []Outcome{Failed, OK, OK, Failed, NotFound} {
		if res[i].Outcome != want {
			t.Errorf("%s: outcome %s (%v), want %s", res[i].Path, res[i].Outcome, res[i].Err, want)
		}
	}
	if err := res[0].Err; !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "pipe.html") {
		t.Errorf("FIFO: error %v, want ErrNotRegular naming the file", err)
	}
	if err := res[3].Err; !errors.Is(err, ErrNotRegular) {
		t.Errorf("directory: error %v, want ErrNotRegular", err)
	}
	if err := res[4].Err; !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "gone.docx") {
		t.Errorf("missing: error %v, want ErrNotFound naming the file", err)
	}
}

// TestRunCancelDuringPrepass: a run cancelled while the store pre-pass is
// hashing ends promptly and reports every file as interrupted.
func TestRunCancelDuringPrepass(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := 0; i < 4; i++ {
		p := filepath.Join(dir, fmt.Sprintf("p%d.html", i))
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		files = append(files, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, files, Config{Jobs: 1, Known: haveIDs{}}, func(*Result) error { return nil })
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, ErrInterrupted) {
			t.Errorf("Run = %v, want ErrInterrupted", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a cancelled run kept blocking in the pre-pass")
	}
}

// TestRunReadsThroughLimit: a file that yields more bytes than stat
// reports (files under /proc report size 0) fails with ErrTooLarge
// instead of being read whole.
func TestRunReadsThroughLimit(t *testing.T) {
	const p = "/proc/self/maps"
	if fi, err := os.Stat(p); err != nil || fi.Size() != 0 {
		t.Skipf("%s not available with size 0", p)
	}
	lim := parser.DefaultLimits
	lim.MaxFileBytes = 64
	res := run(t, []string{p}, Config{Jobs: 1, Limits: lim})
	if r := res[0]; r.Outcome != Failed || !errors.Is(r.Err, parser.ErrTooLarge) {
		t.Fatalf("%s: outcome %s, error %v; want failed with ErrTooLarge", p, r.Outcome, r.Err)
	}
	lim.MaxFileBytes = 1 << 20
	res = run(t, []string{p}, Config{Jobs: 1, Limits: lim})
	if r := res[0]; errors.Is(r.Err, parser.ErrTooLarge) || r.Outcome == NotFound {
		t.Fatalf("%s within the limit: outcome %s, error %v", p, r.Outcome, r.Err)
	}
}

// TestEachFileOpenedOnce: a file's bytes are read once, whether or not a
// store is asked first, and hashed and parsed from that one read.
func TestEachFileOpenedOnce(t *testing.T) {
	files := inputs(t, 5)
	for _, tc := range []struct {
		name  string
		known Store
	}{{"no store", nil}, {"store asked", haveIDs{}}} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			opens := map[string]int{}
			open := func(path string) (fs.File, error) {
				mu.Lock()
				opens[path]++
				mu.Unlock()
				return os.Open(path)
			}
			reads := map[string]int{}
			read := func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
				mu.Lock()
				reads[path]++
				mu.Unlock()
				return parser.Read(ctx, path, data, opts)
			}
			res := run(t, files, Config{Jobs: 2, Known: tc.known, Open: open, Read: read})
			for i, p := range files {
				if opens[p] != 1 || reads[p] != 1 {
					t.Errorf("%s opened %d times and parsed %d times, want once each", filepath.Base(p), opens[p], reads[p])
				}
				if res[i].Outcome == Failed {
					t.Errorf("%s: %v", filepath.Base(p), res[i].Err)
				}
			}
		})
	}
}

// TestMemBudgetSerializesCostlyDocuments: documents expected to take
// more memory than the budget leaves are read one at a time however many
// workers there are, and small ones still run side by side.
func TestMemBudgetSerializesCostlyDocuments(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := 0; i < 6; i++ {
		p := filepath.Join(dir, fmt.Sprintf("big%d.html", i))
		os.WriteFile(p, []byte(fmt.Sprintf("<p>%d</p>%s", i, strings.Repeat("<p>政府信息公开</p>", 1<<16))), 0o644)
		files = append(files, p)
	}
	var mu sync.Mutex
	inFlight, most := 0, 0
	read := func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(30 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		return parser.Read(ctx, path, data, opts)
	}
	// Each page is about 1.5 MB, so expected to cost about 36 MB.
	run(t, files, Config{Jobs: 4, Read: read, MemBudget: 40 << 20})
	if most != 1 {
		t.Errorf("%d costly documents read at once within a budget for one", most)
	}
	most = 0
	run(t, files, Config{Jobs: 4, Read: read, MemBudget: 1 << 30})
	if most < 2 {
		t.Errorf("only %d document read at a time with room for all", most)
	}
}

// TestMemBudgetStuckReader: a reader that ignores its cancellation holds
// the memory budget only until one time limit after its own, so a costly
// document stuck forever does not stall the run.
func TestMemBudgetStuckReader(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, fmt.Sprintf("big%d.html", i))
		os.WriteFile(p, []byte(fmt.Sprintf("<p>%d</p>%s", i, strings.Repeat("<p>政府信息公开</p>", 1<<12))), 0o644)
		files = append(files, p)
	}
	stuck := make(chan struct{})
	defer close(stuck)
	read := func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		if filepath.Base(path) == "big0.html" {
			<-stuck // never looks at ctx
		}
		return parser.Read(ctx, path, data, opts)
	}
	finished := make(chan []*Result, 1)
	go func() {
		finished <- run(t, files, Config{Jobs: 2, Read: read, MemBudget: 3 << 20, Timeout: time.Second})
	}()
	select {
	case res := <-finished:
		if res[0].Outcome != Failed || !errors.Is(res[0].Err, ErrTimeout) || res[1].Outcome == Failed || res[2].Outcome == Failed {
			t.Logf("%v; %v; %v", res[0].Err, res[1].Err, res[2].Err)
			t.Errorf("outcomes %s, %s, %s; want the stuck file timed out and the others read", res[0].Outcome, res[1].Outcome, res[2].Outcome)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a reader stuck past its time limit stalled the run")
	}
}
