package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"ogi/extract"
	"ogi/parser"
)

// Outcomes of one file, as the summary counts them.
const (
	outOK          = "ok"          // record built, nothing skipped
	outPartial     = "partial"     // record built, some tables or cells skipped
	outNotReport   = "not_report"  // read, but no report tables found
	outFailed      = "failed"      // could not be read
	outDuplicate   = "duplicate"   // same bytes as an earlier file of this run
	outUnchanged   = "unchanged"   // already in the store with this extractor version
	outNotIndexed  = "not_indexed" // extracted, but the store did not take it
	outInterrupted = "interrupted" // not started before the run was stopped
)

// outcomeOrder fixes the order of counts in summaries.
var outcomeOrder = []string{outOK, outPartial, outNotReport, outFailed, outDuplicate, outUnchanged, outNotIndexed, outInterrupted}

// readDocument is the parser entry point; tests replace it to inject a
// panic or a hang.
var readDocument = parser.Read

// errTimeout is a document that took longer than --timeout.
var errTimeout = errors.New("over the per-document time limit")

// errPanic is a reader or extractor panic, recovered as the file's error.
var errPanic = errors.New("internal error")

// result is what processing one file gives.
type result struct {
	idx      int
	path     string
	id       string
	rec      *extract.Record
	line     []byte // the record encoded by batchConfig.encode, if set
	problems []problemRow
	outcome  string
	err      error
	dur      time.Duration
	size     int64
}

// problemRow is one line of the problems report.
type problemRow struct {
	File, Stage, Table, Row, Column, Cell, Error string
}

// batchConfig is how a batch reads files.
type batchConfig struct {
	jobs     int
	limits   parser.Limits
	timeout  time.Duration
	manifest manifest
	// known, when set, is asked for the ids already stored with the
	// current extractor version; those files are skipped.
	known func(ctx context.Context, ids []string) (map[string]bool, error)
	// encode, when set, encodes each record in the worker that made it, so
	// output encoding runs on every core.
	encode   func(extract.Record) ([]byte, error)
	progress progress
}

// sink receives results in input order.
type sink func(r *result) error

// runBatch reads the files with cfg.jobs workers and hands the results to
// emit in input order. Memory stays bounded: at most a window of files is
// in flight or waiting for its turn. On cancellation it stops taking new
// files, finishes the ones in flight and reports the rest as interrupted.
func runBatch(ctx context.Context, files []string, cfg batchConfig, emit sink) (*summary, error) {
	sum := newSummary()
	jobs := cfg.jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	window := 4 * jobs
	tokens := make(chan struct{}, window)
	work := make(chan int)
	results := make(chan *result, window)

	// Files whose bytes are already stored are found before any parsing,
	// in chunks, so one request covers many files.
	var skip map[int]string // idx → id of a file to skip
	var skipMu sync.Mutex
	if cfg.known != nil {
		skip = map[int]string{}
	}

	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				skipMu.Lock()
				id, skipped := skip[i]
				skipMu.Unlock()
				if skipped {
					results <- &result{idx: i, path: files[i], id: id, outcome: outUnchanged}
					continue
				}
				results <- processFile(files[i], i, cfg)
			}
		}()
	}

	var sinkErr error
	stopped := make(chan struct{}) // closed when the sink fails for good
	go func() {
		defer close(work)
		const chunk = 256
		for start := 0; start < len(files); start += chunk {
			end := min(start+chunk, len(files))
			if cfg.known != nil {
				ids := map[int]string{}
				var list []string
				for i := start; i < end; i++ {
					if id, err := hashFile(files[i], cfg.limits); err == nil {
						ids[i] = id
						list = append(list, id)
					}
				}
				if len(list) > 0 {
					have, err := cfg.known(ctx, list)
					if err == nil {
						skipMu.Lock()
						for i, id := range ids {
							if have[id] {
								skip[i] = id
							}
						}
						skipMu.Unlock()
					}
				}
			}
			for i := start; i < end; i++ {
				select {
				case <-ctx.Done():
					return
				case <-stopped:
					return
				case tokens <- struct{}{}:
				}
				select {
				case <-ctx.Done():
					<-tokens
					return
				case <-stopped:
					<-tokens
					return
				case work <- i:
				}
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int]*result{}
	next := 0
	seenIDs := map[string]string{} // id → first path
	for r := range results {
		pending[r.idx] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			if r.id != "" && r.outcome != outFailed {
				if first, dup := seenIDs[r.id]; dup {
					r.outcome = outDuplicate
					r.rec = nil
					r.problems = nil
					r.err = fmt.Errorf("same bytes as %s", first)
				} else {
					seenIDs[r.id] = r.path
				}
			}
			if sinkErr == nil {
				if err := emit(r); err != nil {
					sinkErr = err
					close(stopped)
				}
			} else if r.rec != nil {
				// Read after the output or store failed: not written.
				r.outcome, r.err = outNotIndexed, fmt.Errorf("%s: not written: %v", r.path, sinkErr)
			}
			sum.add(r)
			cfg.progress.done(r)
		}
	}
	// Files never started: interrupted by a signal or by a failed sink.
	for i := next; i < len(files); i++ {
		sum.add(&result{idx: i, path: files[i], outcome: outInterrupted})
	}
	sum.finish()
	if sinkErr != nil {
		return sum, sinkErr
	}
	if ctx.Err() != nil && next < len(files) {
		return sum, errInterrupted
	}
	return sum, nil
}

// hashFile returns the hex sha256 of a file, within the size limit.
func hashFile(path string, lim parser.Limits) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	max := lim.MaxFileBytes
	if max <= 0 {
		max = parser.DefaultLimits.MaxFileBytes
	}
	n, err := io.Copy(h, io.LimitReader(f, max+1))
	if err != nil {
		return "", err
	}
	if n > max {
		return "", parser.ErrTooLarge
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// processFile reads, parses and extracts one file. It never panics: a
// panic becomes the file's error. A document that takes longer than the
// time limit is reported as such and abandoned.
func processFile(path string, idx int, cfg batchConfig) *result {
	start := time.Now()
	// The document's own context: cancelled at the time limit, so the
	// reader stops and frees its memory instead of running on.
	dctx, cancel := context.Background(), context.CancelFunc(func() {})
	if cfg.timeout > 0 {
		dctx, cancel = context.WithTimeout(dctx, cfg.timeout)
	}
	defer cancel()
	done := make(chan *result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- &result{idx: idx, path: path, outcome: outFailed,
					err: fmt.Errorf("%s: %w: panic: %v", path, errPanic, p)}
			}
		}()
		done <- readAndExtract(dctx, path, idx, cfg)
	}()
	var r *result
	if cfg.timeout > 0 {
		t := time.NewTimer(cfg.timeout)
		select {
		case r = <-done:
			t.Stop()
		case <-t.C:
			r = &result{idx: idx, path: path, outcome: outFailed,
				err: fmt.Errorf("%s: %w (%s)", path, errTimeout, cfg.timeout)}
			cancel()
		}
	} else {
		r = <-done
	}
	r.dur = time.Since(start)
	if r.err != nil && len(r.problems) == 0 {
		r.problems = []problemRow{{File: path, Stage: "read", Error: r.err.Error()}}
	}
	return r
}

func readAndExtract(ctx context.Context, path string, idx int, cfg batchConfig) *result {
	r := &result{idx: idx, path: path}
	lim := cfg.limits
	if lim.MaxFileBytes <= 0 {
		lim.MaxFileBytes = parser.DefaultLimits.MaxFileBytes
	}
	fi, err := os.Stat(path)
	if err != nil {
		r.outcome, r.err = outFailed, err
		return r
	}
	if !fi.Mode().IsRegular() {
		r.outcome, r.err = outFailed, fmt.Errorf("%s: not a regular file", path)
		return r
	}
	if fi.Size() > lim.MaxFileBytes {
		r.outcome = outFailed
		r.err = &parser.Error{Path: path, Err: fmt.Errorf("%w: file is %d bytes, limit %d (--max-file-size)", parser.ErrTooLarge, fi.Size(), lim.MaxFileBytes)}
		return r
	}
	data, err := os.ReadFile(path)
	if err != nil {
		r.outcome, r.err = outFailed, err
		return r
	}
	sum := sha256.Sum256(data)
	r.id = hex.EncodeToString(sum[:])
	r.size = int64(len(data))
	doc, err := readDocument(ctx, path, data, parser.Options{Limits: lim})
	if err != nil {
		r.outcome, r.err = outFailed, err
		return r
	}
	rec, probs := extract.Extract(doc)
	rec.ID = r.id
	rec.Source = extract.Source{Path: path, SHA256: r.id, Format: string(doc.Format), Size: r.size}
	if e, ok := cfg.manifest.lookup(path); ok {
		rec.Source.URL, rec.Source.FetchedAt, rec.Source.Extra = e.URL, e.FetchedAt, e.Extra
	}
	rec.Extractor = extract.Version
	r.rec = rec
	r.outcome = outOK
	notReport := false
	for _, p := range probs {
		if errors.Is(p.Err, extract.ErrNotReport) {
			notReport = true
		}
		row := problemRow{File: path, Stage: p.Stage, Row: p.Row, Column: p.Column, Cell: p.Cell, Error: p.Error()}
		if p.Table != 0 {
			row.Table = strconv.Itoa(p.Table)
		}
		r.problems = append(r.problems, row)
	}
	if cfg.encode != nil && !notReport {
		if r.line, err = cfg.encode(*rec); err != nil {
			r.outcome, r.err = outFailed, err
			r.rec = nil
			return r
		}
	}
	switch {
	case notReport:
		r.outcome = outNotReport
		r.rec = nil
		r.err = fmt.Errorf("%s: %w", path, extract.ErrNotReport)
	case len(probs) > 0:
		r.outcome = outPartial
	}
	return r
}

// summary is the account of a run: counts per outcome and per file.
type summary struct {
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Seconds  float64        `json:"seconds"`
	Files    int            `json:"files"`
	Counts   map[string]int `json:"counts"`
	Bytes    int64          `json:"bytes"`
	PerFile  []fileSummary  `json:"per_file"`
	// Indexed is how many records a store took (ingest only).
	Indexed *int `json:"indexed,omitempty"`
}

type fileSummary struct {
	Path     string  `json:"path"`
	Outcome  string  `json:"outcome"`
	ID       string  `json:"id,omitempty"`
	Millis   float64 `json:"ms"`
	Problems int     `json:"problems,omitempty"`
	Error    string  `json:"error,omitempty"`
}

func newSummary() *summary {
	return &summary{Started: time.Now(), Counts: map[string]int{}}
}

func (s *summary) add(r *result) {
	s.Files++
	s.Counts[r.outcome]++
	s.Bytes += r.size
	fs := fileSummary{Path: r.path, Outcome: r.outcome, ID: r.id, Millis: float64(r.dur.Microseconds()) / 1000, Problems: len(r.problems)}
	if r.err != nil {
		fs.Error = r.err.Error()
	}
	s.PerFile = append(s.PerFile, fs)
}

// setOutcome changes the outcome of a file already counted (a record the
// store refused after extraction).
func (s *summary) setOutcome(path, outcome, msg string) {
	for i := range s.PerFile {
		if s.PerFile[i].Path == path && s.PerFile[i].Outcome != outcome {
			s.Counts[s.PerFile[i].Outcome]--
			if s.Counts[s.PerFile[i].Outcome] == 0 {
				delete(s.Counts, s.PerFile[i].Outcome)
			}
			s.Counts[outcome]++
			s.PerFile[i].Outcome = outcome
			s.PerFile[i].Error = msg
			return
		}
	}
}

func (s *summary) finish() {
	s.Finished = time.Now()
	s.Seconds = s.Finished.Sub(s.Started).Seconds()
}

// line is the one-line account printed at the end of a run.
func (s *summary) line() string {
	var parts []string
	for _, k := range outcomeOrder {
		if n := s.Counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(k, "_", " ")))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to do")
	}
	rate := ""
	if done := s.Files - s.Counts[outInterrupted]; s.Seconds > 0 && done > 0 {
		rate = fmt.Sprintf(", %.1f files/s", float64(done)/s.Seconds)
	}
	idx := ""
	if s.Indexed != nil {
		idx = fmt.Sprintf("; %d indexed", *s.Indexed)
	}
	return fmt.Sprintf("ogi: %d files: %s%s in %.1fs%s", s.Files, strings.Join(parts, ", "), idx, s.Seconds, rate)
}

// incomplete reports whether some files or cells were skipped (exit 3).
func (s *summary) incomplete() bool {
	for k, n := range s.Counts {
		if n > 0 && k != outOK && k != outDuplicate && k != outUnchanged {
			return true
		}
	}
	return false
}

func (s *summary) writeJSON(path string) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(b, '\n'))
}

// problemsWriter writes the problems report as CSV as the run goes, so a
// killed run keeps what it found.
type problemsWriter struct {
	f *os.File
	w *csv.Writer
	n int
}

func newProblemsWriter(path string) (*problemsWriter, error) {
	if path == "" {
		return &problemsWriter{}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--problems: %w", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "stage", "table", "row", "column", "cell", "error"})
	return &problemsWriter{f: f, w: w}, nil
}

func (p *problemsWriter) write(rows []problemRow) {
	p.n += len(rows)
	if p.w == nil {
		return
	}
	for _, r := range rows {
		p.w.Write([]string{r.File, r.Stage, r.Table, r.Row, r.Column, r.Cell, r.Error})
	}
	p.w.Flush()
}

func (p *problemsWriter) close() error {
	if p.f == nil {
		return nil
	}
	f := p.f
	p.f = nil
	p.w.Flush()
	if err := p.w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeFileAtomic writes via a temporary file and a rename, so a reader
// never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// printProblems writes each problem as one line on stderr (at most max).
func printProblems(w io.Writer, rows []problemRow, shown *int, max int) {
	for _, r := range rows {
		if *shown >= max {
			if *shown == max {
				fmt.Fprintf(w, "ogi: more problems not shown; see --problems FILE\n")
				*shown++
			}
			return
		}
		*shown++
		msg := strings.TrimSpace(r.Error)
		if !strings.HasPrefix(msg, r.File) {
			msg = r.File + ": " + msg
		}
		fmt.Fprintf(w, "ogi: %s\n", msg)
	}
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
