package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sync"

	"ogi/batch"
	"ogi/export"
	"ogi/extract"
	"ogi/parser"
)

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "[--format jsonl|csv|csv-long] [flags] PATH...", "ogi extract --format csv --problems problems.csv reports/ > reports.csv")
	format := fs.String("format", "jsonl", "output format: jsonl, csv or csv-long")
	bom := fs.Bool("bom", false, "start CSV output with a UTF-8 byte-order mark (for Excel)")
	labels := fs.String("labels", "keys", "CSV column headers: keys or zh (Chinese labels)")
	var bf batchFlags
	bf.register(fs, e)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "jsonl", "csv", "csv-long":
	default:
		return fmt.Errorf("%w: --format must be jsonl, csv or csv-long, not %q", errUsage, *format)
	}
	if len(paths) == 0 && bf.from == "" {
		fs.Usage()
		return fmt.Errorf("%w: no input paths", errUsage)
	}
	out := bufio.NewWriterSize(e.stdout, 1<<16)
	exp, err := export.New(out, export.Options{Format: *format, BOM: *bom, Labels: *labels})
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	pw, err := newProblemsWriter(bf.problems)
	if err != nil {
		return err
	}
	var hook func(*batch.Config)
	lw, _ := exp.(export.LineWriter)
	if lw != nil {
		hook = func(cfg *batch.Config) { cfg.Encode = export.MarshalJSONL }
	}
	sum, err := runFiles(ctx, e, paths, bf, pw, hook, func(r *batch.Result) error {
		if r.Record == nil {
			return nil
		}
		if lw != nil && r.Line != nil {
			if err := lw.WriteLine(r.Line); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
			return nil
		}
		if err := exp.Write(*r.Record); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	})
	if cerr := exp.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("write output: %w", cerr)
	}
	if cerr := pw.close(); cerr != nil && err == nil {
		err = fmt.Errorf("--problems: %w", cerr)
	}
	if ferr := out.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	return finishRun(e, sum, bf, err)
}

// runFiles expands the inputs and runs the batch, reporting problems on
// stderr and in the problems report as it goes.
func runFiles(ctx context.Context, e *env, paths []string, bf batchFlags, pw *problemsWriter, cfgHook func(*batch.Config), emit func(*batch.Result) error) (*summary, error) {
	if bf.cpuprofile != "" {
		f, err := os.Create(bf.cpuprofile)
		if err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	in, err := newInputs(paths, bf.from, e.stdin)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	var man manifest
	if bf.manifest != "" {
		if man, err = readManifest(bf.manifest); err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	// Listing errors come from the walk, which runs beside the results:
	// stderr, the problems file and the list are shared under mu.
	var mu sync.Mutex
	shown := 0
	var bad []inputError
	onBad := func(b inputError) {
		mu.Lock()
		defer mu.Unlock()
		bad = append(bad, b)
		row := problemRow{File: b.path, Stage: string(extract.StageList), Error: b.err.Error()}
		pw.write([]problemRow{row})
		printProblems(e.stderr, []problemRow{row}, &shown, 20)
	}
	// The progress total comes from a first walk that only counts, so the
	// list is never held; with --quiet there is no progress and no count.
	total := 0
	if !bf.quiet {
		total = in.count()
	}
	prog := newProgress(e, total, bf.quiet, 0)
	sum, err := newSummary(bf.summary)
	if err != nil {
		return nil, err
	}
	cfg := batch.Config{Jobs: bf.jobs, Limits: bf.limits(), Timeout: bf.timeout, Read: readDocument,
		Origin: man.lookup,
		Done: func(r *batch.Result) {
			sum.add(r)
			if r.Outcome != batch.Interrupted {
				prog.done(r)
			}
		}}
	if cfgHook != nil {
		cfgHook(&cfg)
	}
	err = batch.RunSeq(ctx, in.seq(onBad), cfg, func(r *batch.Result) error {
		mu.Lock()
		if r.Outcome == batch.Duplicate {
			// Named here as well as in the summary: the file was read but
			// gives no record of its own.
			printProblems(e.stderr, []problemRow{{File: r.Path, Error: "duplicate: " + r.Err.Error()}}, &shown, 20)
		}
		if len(r.Problems) > 0 {
			rows := problemRows(r.Path, r.Problems)
			pw.write(rows)
			if !bf.quiet || r.Outcome == batch.Failed {
				printProblems(e.stderr, rows, &shown, 20)
			}
		}
		mu.Unlock()
		return emit(r)
	})
	sum.finish()
	prog.stop()
	if len(bad) > 0 {
		for _, b := range bad {
			sum.addFailed(b.path, b.err)
		}
	}
	return sum, err
}

// readDocument is the parser entry point; tests replace it to inject a
// panic or a hang.
var readDocument batch.Reader = parser.Read

// tuneGC trades a little memory for CPU in batch runs: a batch keeps only
// a small window of documents alive, so the collector may let the heap
// grow well beyond what is live between cycles, while a soft limit makes
// it work harder before the process nears the memory target. The heap
// is let grow to a fixed size (gcHeapTarget) while the live heap is
// small, not to a multiple of the live heap or the live heap plus some
// room: what a run keeps per file (the duplicate check) and the documents
// in flight at the moment of a collection then change how often the
// collector runs, not how large the heap gets, and peak memory stays flat
// with the number of files. GOGC or GOMEMLIMIT in the environment take
// precedence. main applies it, so in-process tests keep the test
// binary's own GC settings.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercentMax)
		armGCTuner()
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(128 << 20)
	}
}

// The heap size the collector lets a small live heap grow to, and the
// bounds on GOGC: at least twice the live heap once that is more than
// the target, so a large live heap is not collected over and over, and
// no more than five times a tiny one.
const (
	gcHeapTarget = 22 << 20
	gcPercentMin = 100
	gcPercentMax = 400
)

// gcPercent is the GOGC that puts the next collection at gcHeapTarget,
// within the bounds, for a live heap of live bytes.
func gcPercent(live uint64) int {
	if live == 0 {
		return gcPercentMax
	}
	if live >= gcHeapTarget/2 {
		return gcPercentMin
	}
	return int(min(max((gcHeapTarget-live)*100/live, gcPercentMin), gcPercentMax))
}

// armGCTuner sets GOGC after every collection (gcPercent of the live
// heap): a finalizer on a fresh object runs once per cycle and re-arms
// itself.
func armGCTuner() {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	last := gcPercentMax
	var tune func(*gcSentinel)
	tune = func(*gcSentinel) {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			if live := sample[0].Value.Uint64(); live > 0 {
				if pct := gcPercent(live); pct != last {
					debug.SetGCPercent(pct)
					last = pct
				}
			}
		}
		runtime.SetFinalizer(&gcSentinel{}, tune)
	}
	runtime.SetFinalizer(&gcSentinel{}, tune)
}

// finishRun prints the summary line, writes --summary and turns the
// outcome into the command's error.
func finishRun(e *env, sum *summary, bf batchFlags, err error) error {
	if sum == nil {
		return err
	}
	defer sum.close()
	fmt.Fprintln(e.stderr, sum.line())
	if werr := sum.writeJSON(); werr != nil && err == nil {
		err = fmt.Errorf("--summary: %w", werr)
	}
	if err != nil {
		return err
	}
	if sum.incomplete() {
		return errPartial
	}
	return nil
}

// gcSentinel holds a pointer so it is never packed with other small
// objects, whose shared block would delay its finalizer.
type gcSentinel struct{ _ *int }
