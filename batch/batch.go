// Package batch turns many report files into records: an ordered worker
// pool that skips files a store already holds, drops byte-identical
// copies, gives each document its own deadline, and turns a reader panic
// into that file's error. It yields one Result per input file, in input
// order; what to do with them (write, index, count, report) is the
// caller's.
package batch

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"runtime"
	"slices"
	"sync"
	"time"

	"ogi/extract"
	"ogi/parser"
)

// Outcome is what became of one file, as summaries count it.
type Outcome string

// Outcomes of one file.
const (
	OK          Outcome = "ok"          // record built, nothing skipped
	Partial     Outcome = "partial"     // record built, some tables or cells skipped
	NotReport   Outcome = "not_report"  // read, but no report tables found
	Failed      Outcome = "failed"      // could not be read
	NotFound    Outcome = "not_found"   // the path does not exist
	Duplicate   Outcome = "duplicate"   // same bytes as an earlier file of this run
	Unchanged   Outcome = "unchanged"   // already in the store with this extractor version
	NotIndexed  Outcome = "not_indexed" // extracted, but the store did not take it
	Interrupted Outcome = "interrupted" // not started before the run was stopped
)

// Outcomes lists every outcome in the order summaries show them.
var Outcomes = []Outcome{OK, Partial, NotReport, Failed, NotFound, Duplicate, Unchanged, NotIndexed, Interrupted}

var (
	// ErrTimeout is a document that took longer than Config.Timeout.
	ErrTimeout = errors.New("over the per-document time limit")
	// ErrPanic is a reader or extractor panic, recovered as the file's error.
	ErrPanic = errors.New("internal error")
	// ErrInterrupted is returned by Run when the context ended before
	// every file was started.
	ErrInterrupted = errors.New("interrupted")
)

// Reader reads one file's bytes into a document; parser.Read is the one
// used unless Config.Read says otherwise.
type Reader func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error)

// Store is what a batch asks of a store: which ids it already holds with
// an extractor version, so those files are skipped before any parsing.
type Store interface {
	Have(ctx context.Context, ids []string, extractor string) (map[string]bool, error)
}

// Result is what processing one file gives.
type Result struct {
	Index    int // position in the input list
	Path     string
	ID       string // hex SHA-256 of the file's bytes, when they were read
	Record   *extract.Record
	Line     []byte            // the record encoded by Config.Encode, if set
	Problems []extract.Problem // what went wrong, a read failure included
	Outcome  Outcome
	Err      error
	Dur      time.Duration
	Size     int64
}

// Origin is what is known of where a file came from (a crawl manifest).
type Origin struct {
	URL       string
	FetchedAt string
	Extra     map[string]string
}

// Config is how a batch reads files.
type Config struct {
	Jobs    int // workers; 0 means GOMAXPROCS
	Limits  parser.Limits
	Timeout time.Duration // per document; 0 means none
	// MemBudget bounds the memory the documents being read at once are
	// expected to take (see estimateCost): 0 means DefaultMemBudget, a
	// negative value no bound.
	MemBudget int64
	Read      Reader // nil means parser.Read
	// Open opens an input file, once it is known to be a regular file
	// (openRegular when nil: non-blocking, checked again once open). Each
	// file is opened and read once: its bytes are hashed and parsed from
	// that one read.
	Open func(path string) (fs.File, error)
	// Known, when set, is asked for the ids already stored with the
	// current extractor version; those files are skipped as Unchanged.
	Known Store
	// Origin, when set, says where a file came from.
	Origin func(path string) (Origin, bool)
	// Encode, when set, encodes each record in the worker that made it,
	// so output encoding runs on every core.
	Encode func(extract.Record) ([]byte, error)
	// Done, when set, is called for every file's result in input order,
	// after emit: those the sink never saw (NotIndexed after it failed,
	// Interrupted) included.
	Done func(*Result)
}

// Run is RunSeq over a list of files.
func Run(ctx context.Context, files []string, cfg Config, emit func(*Result) error) error {
	return RunSeq(ctx, slices.Values(files), cfg, emit)
}

// RunSeq reads the files with cfg.Jobs workers and hands the results to
// emit in input order. The files are taken from the sequence only as
// workers have room, so a run never holds the whole list. Memory stays
// bounded: at most a window of files is in flight or waiting for its
// turn. On cancellation it stops taking new files, finishes the ones in
// flight and reports the rest of the sequence as Interrupted (to
// cfg.Done), returning ErrInterrupted. When emit fails, no later result
// is emitted: those holding a record become NotIndexed, the rest are
// Interrupted, and RunSeq returns emit's error.
func RunSeq(ctx context.Context, files iter.Seq[string], cfg Config, emit func(*Result) error) error {
	if cfg.Read == nil {
		cfg.Read = parser.Read
	}
	if cfg.Open == nil {
		cfg.Open = func(path string) (fs.File, error) { return openRegular(path) }
	}
	cfg.Limits = cfg.Limits.WithDefaults()
	var budget *memBudget
	switch {
	case cfg.MemBudget == 0:
		budget = newMemBudget(DefaultMemBudget)
	case cfg.MemBudget > 0:
		budget = newMemBudget(cfg.MemBudget)
	}
	done := cfg.Done
	if done == nil {
		done = func(*Result) {}
	}
	jobs := cfg.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	window := 4 * jobs
	tokens := make(chan struct{}, window)
	work := make(chan *input)
	results := make(chan *Result, window)
	// Paths taken from the sequence but never started, then the rest of
	// the sequence: each is reported as Interrupted, in order.
	rest := make(chan string)

	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				if in.stored {
					results <- &Result{Index: in.idx, Path: in.path, ID: in.id, Outcome: Unchanged}
					continue
				}
				results <- processFile(in, cfg, budget)
			}
		}()
	}

	var sinkErr error
	stopped := make(chan struct{}) // closed when the sink fails for good
	go func() {
		defer close(rest)
		pull, stopPull := iter.Pull(files)
		defer stopPull()
		var left []*input
		func() {
			defer close(work)
			idx := 0
			take := func() (*input, bool) {
				p, ok := pull()
				if !ok {
					return nil, false
				}
				idx++
				return &input{idx: idx - 1, path: p}, true
			}
			send := func(in *input) bool {
				select {
				case <-ctx.Done():
					return false
				case <-stopped:
					return false
				case tokens <- struct{}{}:
				}
				select {
				case <-ctx.Done():
					<-tokens
					return false
				case <-stopped:
					<-tokens
					return false
				case work <- in:
					return true
				}
			}
			if cfg.Known == nil {
				// Nothing to skip: each worker reads its own files.
				for {
					in, ok := take()
					if !ok {
						return
					}
					if !send(in) {
						left = append(left, in)
						return
					}
				}
			}
			// Files already stored are found before any parsing: files are
			// read ahead in order, up to readAheadFiles or readAheadBytes, so
			// one request asks for many ids, and the bytes read are what the
			// workers parse.
			var ahead []*input
			size := 0
			flush := func() bool {
				var ids []string
				for _, in := range ahead {
					if in.err == nil {
						ids = append(ids, in.id)
					}
				}
				if len(ids) > 0 {
					if have, err := cfg.Known.Have(ctx, ids, extract.Version); err == nil {
						for _, in := range ahead {
							if in.err == nil && have[in.id] {
								in.stored, in.data = true, nil
							}
						}
					}
				}
				for k, in := range ahead {
					if !send(in) {
						left = append(left, ahead[k:]...)
						return false
					}
				}
				ahead, size = ahead[:0], 0
				return true
			}
			for {
				if ctx.Err() != nil {
					left = append(left, ahead...)
					return
				}
				in, ok := take()
				if !ok {
					break
				}
				in.load(cfg)
				ahead = append(ahead, in)
				size += len(in.data)
				if len(ahead) >= readAheadFiles || size >= readAheadBytes {
					if !flush() {
						return
					}
				}
			}
			flush()
		}()
		for _, in := range left {
			rest <- in.path
		}
		left = nil
		for {
			p, ok := pull()
			if !ok {
				return
			}
			rest <- p
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int]*Result{}
	next := 0
	// The ids seen so far, by the first 64 bits of the digest, pointing at
	// the first file's path in firsts: about 13 bytes per distinct file
	// read (see idSet), the paths themselves on disk. Two different files
	// share a 64-bit prefix with odds of about one in 30 million in a run
	// of a million files.
	var seenIDs idSet
	var firsts firstPaths
	defer firsts.close()
	for r := range results {
		pending[r.Index] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-tokens
			if key, ok := idKey(r.ID); ok && r.Outcome != Failed {
				if at, dup := seenIDs.get(key); dup {
					r.Outcome = Duplicate
					r.Record = nil
					r.Problems = nil
					r.Line = nil
					r.Err = fmt.Errorf("same bytes as %q", firsts.name(at))
				} else {
					seenIDs.put(key, firsts.add(r.Path))
				}
			}
			if sinkErr == nil {
				if err := emit(r); err != nil {
					sinkErr = err
					close(stopped)
				}
			} else if r.Record != nil {
				// Read after the output or store failed: not written.
				r.Outcome, r.Err = NotIndexed, fmt.Errorf("%s: not written: %v", r.Path, sinkErr)
			}
			done(r)
		}
	}
	// Files never started: interrupted by a signal or by a failed sink.
	interrupted := false
	for p := range rest {
		done(&Result{Index: next, Path: p, Outcome: Interrupted})
		next++
		interrupted = true
	}
	if sinkErr != nil {
		return sinkErr
	}
	if ctx.Err() != nil && interrupted {
		return ErrInterrupted
	}
	return nil
}

// idKey is the first 64 bits of a hex SHA-256 id.
func idKey(id string) (uint64, bool) {
	if len(id) != 2*sha256.Size {
		return 0, false
	}
	var b [8]byte
	if _, err := hex.Decode(b[:], []byte(id[:16])); err != nil {
		return 0, false
	}
	return binary.BigEndian.Uint64(b[:]), true
}

// Read-ahead when asking a store which files it has: at most this many
// files or bytes are held waiting for the answer. The bytes count against
// a run's memory beside the documents being read (see memBudget), so
// they are kept to a few typical reports' worth.
const (
	readAheadFiles = 256
	readAheadBytes = 8 << 20
)

// input is one file on its way to a worker: its bytes and their id once
// read, or the error reading them gave.
type input struct {
	idx    int
	path   string
	loaded bool
	data   []byte
	id     string
	err    error
	stored bool // already in the store: skip
}

// load reads the file once, within the size limit, and hashes the bytes.
func (in *input) load(cfg Config) {
	in.loaded = true
	// Checked before opening: a FIFO or device would block or never end.
	if _, err := CheckRegular(in.path); err != nil {
		in.err = err
		return
	}
	f, err := cfg.Open(in.path)
	if err != nil {
		in.err = err
		return
	}
	defer f.Close()
	in.data, in.err = parser.Load(f, in.path, cfg.Limits)
	if errors.Is(in.err, parser.ErrTooLarge) {
		in.err = fmt.Errorf("%w (--max-file-size)", in.err)
	}
	if in.err == nil {
		in.id = extract.ID(in.data)
	}
}

// processFile reads, parses and extracts one file. It never panics: a
// panic becomes the file's error. A document that takes longer than the
// time limit is reported as such and abandoned.
func processFile(in *input, cfg Config, budget *memBudget) *Result {
	start := time.Now()
	path, idx := in.path, in.idx
	if !in.loaded {
		in.load(cfg)
	}
	// Admitted by expected memory before the clock starts: waiting for
	// room is not the document's time. The cost is given back when the
	// reader has actually stopped, after a time limit too; a reader that
	// ignores its cancellation gives it back one time limit later, so it
	// cannot stall the run.
	release := func() {}
	if in.err == nil && budget != nil {
		cost := budget.acquire(estimateCost(in.data, cfg.Limits))
		release = sync.OnceFunc(func() { budget.release(cost) })
		start = time.Now()
	}
	// The document's own context: cancelled at the time limit, so the
	// reader stops and frees its memory instead of running on.
	dctx, cancel := context.Background(), context.CancelFunc(func() {})
	if cfg.Timeout > 0 {
		dctx, cancel = context.WithTimeout(dctx, cfg.Timeout)
	}
	defer cancel()
	done := make(chan *Result, 1)
	go func() {
		defer release()
		defer func() {
			if p := recover(); p != nil {
				done <- &Result{Index: idx, Path: path, Outcome: Failed,
					Err: fmt.Errorf("%s: %w: panic: %v", path, ErrPanic, p)}
			}
		}()
		done <- readAndExtract(dctx, in, cfg)
	}()
	var r *Result
	if cfg.Timeout > 0 {
		t := time.NewTimer(cfg.Timeout)
		select {
		case r = <-done:
			t.Stop()
		case <-t.C:
			r = &Result{Index: idx, Path: path, Outcome: Failed,
				Err: fmt.Errorf("%s: %w (%s)", path, ErrTimeout, cfg.Timeout)}
			cancel()
			time.AfterFunc(cfg.Timeout, release)
		}
	} else {
		r = <-done
	}
	r.Dur = time.Since(start)
	if r.Err != nil && len(r.Problems) == 0 {
		r.Problems = []extract.Problem{{Stage: extract.StageRead, Err: r.Err}}
	}
	return r
}

func readAndExtract(ctx context.Context, in *input, cfg Config) *Result {
	path := in.path
	r := &Result{Index: in.idx, Path: path}
	if !in.loaded {
		in.load(cfg)
	}
	if in.err != nil {
		r.Outcome, r.Err = Failed, in.err
		if errors.Is(in.err, ErrNotFound) {
			r.Outcome = NotFound
		}
		return r
	}
	data := in.data
	in.data = nil // the result holds what it needs; let the bytes go with the document
	r.ID = in.id
	r.Size = int64(len(data))
	doc, err := cfg.Read(ctx, path, data, parser.Options{Limits: cfg.Limits})
	if err != nil {
		r.Outcome, r.Err = Failed, err
		return r
	}
	src := extract.Source{Path: path}
	if cfg.Origin != nil {
		if o, ok := cfg.Origin(path); ok {
			src.URL, src.FetchedAt, src.Extra = o.URL, o.FetchedAt, o.Extra
		}
	}
	// The URL's host helps place an agency whose name is ambiguous.
	rec, probs := extract.ExtractWith(doc, extract.Options{URL: src.URL})
	extract.Finish(rec, src, r.ID, r.Size, string(doc.Format))
	r.Record = rec
	r.Outcome = OK
	r.Problems = probs
	notReport := false
	for _, p := range probs {
		if errors.Is(p.Err, extract.ErrNotReport) {
			notReport = true
		}
	}
	if cfg.Encode != nil && !notReport {
		if r.Line, err = cfg.Encode(*rec); err != nil {
			r.Outcome, r.Err = Failed, err
			r.Record = nil
			return r
		}
	}
	switch {
	case notReport:
		r.Outcome = NotReport
		r.Record = nil
		r.Err = fmt.Errorf("%s: %w", path, extract.ErrNotReport)
	case len(probs) > 0:
		r.Outcome = Partial
	}
	return r
}
