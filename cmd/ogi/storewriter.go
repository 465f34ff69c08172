package main

import (
	"context"
	"slices"
	"time"

	"ogi/batch"
	"ogi/extract"
	"ogi/index"
)

// flushGrace is how long the batch being written may still take after
// the run is interrupted; past it the write is abandoned and its files are
// listed as not indexed.
var flushGrace = 3 * time.Second

// putTimeout bounds one store write even when nothing interrupts the run.
const putTimeout = 5 * time.Minute

type putResult struct {
	recs     []extract.Record
	outcomes []batch.Outcome // what the summary counted each record as
	failures []index.Failure
	err      error
}

// storeWriter writes records to a store in batches on goroutines of its
// own, so extraction goes on while batches are being written: up to depth
// batches are in flight while the next fills. Stores decide the versions
// of a report against what is stored, so commands take the depth the
// store gives (putDepth): 1, one batch written while the next fills,
// unless the store orders overlapping writes itself. Results are handed
// to onResult on the caller's goroutine, in order.
type storeWriter struct {
	st       index.Store
	size     int
	wctx     context.Context // writes: not cancelled with the run, but flushGrace after it
	stop     func()
	buf      []extract.Record
	outs     []batch.Outcome
	lines    []*extract.Line // per record of buf: its line, or nil (addLine)
	depth    int
	inflight []chan putResult
	onResult func(putResult)
	err      error
	started  bool // a batch has been written
}

// asyncPutter is a store whose calls of Put may overlap: PutAsync takes
// the call's place in the order before it returns.
type asyncPutter interface {
	PutAsync(ctx context.Context, recs []extract.Record) func() ([]index.Failure, error)
}

// linePutter is an asyncPutter that also takes records with their JSON
// as read (elastic.Store.PutAsyncLines).
type linePutter interface {
	PutAsyncLines(ctx context.Context, recs []extract.Record, lines []*extract.Line) func() ([]index.Failure, error)
}

// putDepth is how many batches may be in flight at once: 1, or what a
// store that orders overlapping calls of Put itself says
// (elastic.Store.PutDepth).
func putDepth(st index.Store) int {
	if d, ok := st.(interface{ PutDepth() int }); ok {
		if _, ok := st.(asyncPutter); ok {
			return max(d.PutDepth(), 1)
		}
	}
	return 1
}

func newStoreWriter(ctx context.Context, st index.Store, size, depth int, onResult func(putResult)) *storeWriter {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var timer *time.Timer
	stopAfter := context.AfterFunc(ctx, func() { timer = time.AfterFunc(flushGrace, cancel) })
	w := &storeWriter{st: st, size: max(size, 1), depth: max(depth, 1), wctx: wctx, onResult: onResult}
	w.stop = func() {
		if !stopAfter() && timer != nil {
			timer.Stop()
		}
		cancel()
	}
	return w
}

// add queues one record; it returns the first store error seen, after
// which the caller should stop. A batch is written when it is full, or
// when it is half full and no write is in flight: the store mostly keeps
// up, and the last batch, which nothing overlaps, is then written after
// the run's last file sooner (an ingest into SQLite ended 0.2–0.6 s
// after its last file with full batches, 0.1–0.3 s so).
func (w *storeWriter) add(r extract.Record, out batch.Outcome) error {
	return w.addMore(r, out, false)
}

// addMore is add for a record that more records of the same report
// follow: the batch is not cut before them, unless it has grown to twice
// its size.
func (w *storeWriter) addMore(r extract.Record, out batch.Outcome, more bool) error {
	return w.addLine(r, out, more, nil)
}

// addLine is addMore for a record read from a line that is exactly its
// JSON as the store encodes records (extract.ParseJSONLine), which a
// store may send as it is; nil when it is not.
func (w *storeWriter) addLine(r extract.Record, out batch.Outcome, more bool, line *extract.Line) error {
	w.buf = append(w.buf, r)
	w.outs = append(w.outs, out)
	w.lines = append(w.lines, line)
	w.poll()
	if more && len(w.buf) < 2*w.size {
		return w.err
	}
	idle := w.size / 2
	if !w.started {
		// The first batch goes at an eighth: nothing overlaps the wait for
		// it (an Elasticsearch load began its first bulk request 0.18 s in).
		idle = w.size / 8
	}
	if len(w.buf) >= w.size || len(w.inflight) == 0 && len(w.buf) >= idle {
		w.start()
	}
	return w.err
}

// poll reports the batches already written, without waiting.
func (w *storeWriter) poll() {
	for len(w.inflight) > 0 {
		select {
		case res := <-w.inflight[0]:
			w.inflight = w.inflight[1:]
			w.report(res)
		default:
			return
		}
	}
}

// start waits until fewer than depth batches are in flight, then begins
// writing the buffer.
func (w *storeWriter) start() {
	for len(w.inflight) >= w.depth {
		w.waitOne()
	}
	if len(w.buf) == 0 || w.err != nil {
		return
	}
	w.started = true
	recs, outs, lines := w.buf, w.outs, w.lines
	w.buf, w.outs, w.lines = make([]extract.Record, 0, w.size), make([]batch.Outcome, 0, w.size), make([]*extract.Line, 0, w.size)
	ch := make(chan putResult, 1)
	w.inflight = append(w.inflight, ch)
	ctx, cancel := context.WithTimeout(w.wctx, putTimeout)
	put := func() ([]index.Failure, error) { return w.st.Put(ctx, recs) }
	if a, ok := w.st.(linePutter); ok && slices.ContainsFunc(lines, func(l *extract.Line) bool { return l != nil }) {
		// Whatever the depth: a record with a line may be lean
		// (extract.ParseJSONLineLean), and only its line holds all of it.
		put = a.PutAsyncLines(ctx, recs, lines)
	} else if a, ok := w.st.(asyncPutter); ok && w.depth > 1 {
		put = a.PutAsync(ctx, recs) // its place in the order taken now
	}
	go func() {
		defer cancel()
		f, err := put()
		ch <- putResult{recs: recs, outcomes: outs, failures: f, err: err}
	}()
}

// waitOne waits for the oldest batch in flight and reports it.
func (w *storeWriter) waitOne() {
	res := <-w.inflight[0]
	w.inflight = w.inflight[1:]
	w.report(res)
}

func (w *storeWriter) report(res putResult) {
	if res.err != nil && w.err == nil {
		w.err = res.err
	}
	w.onResult(res)
}

// close writes what is left (records extracted before an interruption
// included, within flushGrace) and returns the first store error.
func (w *storeWriter) close() error {
	if w.err == nil {
		w.start()
	}
	for len(w.inflight) > 0 {
		w.waitOne()
	}
	if w.err != nil && len(w.buf) > 0 {
		// Never sent: the store failed first.
		w.onResult(putResult{recs: w.buf, outcomes: w.outs, err: w.err})
		w.buf, w.outs = nil, nil
	}
	return w.err
}

// context for follow-up requests (a refresh): ends with the writes.
func (w *storeWriter) context() context.Context { return w.wctx }
