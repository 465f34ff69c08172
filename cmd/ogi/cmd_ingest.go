package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ogi/batch"
	"ogi/extract"
	"ogi/index"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "[--es URL | --db FILE] [--force] [flags] PATH...", "ogi ingest --db reports.db --manifest crawl.csv downloads/")
	force := fs.Bool("force", false, "re-extract files already stored with this extractor version")
	batchSize := fs.Int("batch-size", 250, "records per store write at most (half as many when the store is idle)")
	var sf storeFlags
	sf.register(fs, e)
	sf.registerBulk(fs, e)
	var bf batchFlags
	bf.register(fs, e)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 && bf.from == "" {
		fs.Usage()
		return fmt.Errorf("%w: no input paths", errUsage)
	}
	st, where, err := sf.open(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	if !bf.quiet {
		fmt.Fprintf(e.stderr, "ogi: ingesting into %s\n", where)
	}

	pw, err := newProblemsWriter(bf.problems)
	if err != nil {
		return err
	}
	defer pw.close()
	indexed := 0
	var sum *summary
	// A record the store did not take, with the outcome the summary
	// counted it under before.
	type notIndexedFile struct {
		index.Failure
		was batch.Outcome
	}
	var notIndexed []notIndexedFile
	record := func(res putResult) {
		byID := map[string]index.Failure{}
		for _, f := range res.failures {
			byID[f.ID] = f
		}
		// A call that failed lists what it did not write (Store.Put), so
		// the others are stored and a later run finds them unchanged; so
		// are the records of a call whose bookkeeping after the write
		// failed. A failure with nothing listed (a batch never sent) wrote
		// nothing.
		written := res.err == nil || len(res.failures) > 0 || errors.Is(res.err, index.ErrAfterWrite)
		for i, r := range res.recs {
			if !written && len(res.failures) == 0 {
				f := index.Failure{ID: r.ID, Path: r.Source.Path, Reason: res.err.Error(), Cause: index.ErrNotWritten}
				notIndexed = append(notIndexed, notIndexedFile{f, res.outcomes[i]})
				pw.write([]problemRow{{File: f.Path, Stage: string(extract.StageIndex), Error: f.Reason}})
				continue
			}
			if f, bad := byID[r.ID]; bad {
				f.Path, f.Reason = r.Source.Path, storeFailureText(f)
				pw.write([]problemRow{{File: f.Path, Stage: string(extract.StageIndex), Error: f.Reason}})
				notIndexed = append(notIndexed, notIndexedFile{f, res.outcomes[i]})
			} else if written {
				indexed++
			}
		}
	}
	// Records already extracted are written even when the run is being
	// interrupted, so nothing done is lost, unless the store does not
	// answer within flushGrace. One batch is written while the next is
	// extracted.
	w := newStoreWriter(ctx, st, *batchSize, putDepth(st), record)
	defer w.stop()
	sum, err = runFiles(ctx, e, paths, bf, pw, func(cfg *batch.Config) {
		if !*force {
			cfg.Known = st
		}
	}, func(r *batch.Result) error {
		if r.Record == nil {
			return nil
		}
		return w.add(*r.Record, r.Outcome)
	})
	if ferr := w.close(); ferr != nil && err == nil {
		err = ferr
	}
	// Make what was written visible to search and export right away.
	if r, ok := st.(interface{ Refresh(context.Context) error }); ok && indexed > 0 {
		rctx, cancel := context.WithTimeout(w.context(), 30*time.Second)
		rerr := r.Refresh(rctx)
		cancel()
		if rerr != nil && err == nil {
			err = rerr
		}
	}
	if sum != nil {
		sum.Indexed = &indexed
		for _, f := range notIndexed {
			sum.setOutcome(f.Path, f.was, batch.NotIndexed, f.Reason)
			fmt.Fprintf(e.stderr, "ogi: %q: not indexed: %s\n", f.Path, logText(f.Reason))
		}
		if sum.Counts[batch.Unchanged] > 0 && indexed == 0 && len(notIndexed) == 0 && !bf.quiet {
			fmt.Fprintf(e.stderr, "ogi: nothing new to index: %s already stored with %s\n", plural(sum.Counts[batch.Unchanged], "file", "files"), extract.Version)
		}
	}
	if err != nil && errors.Is(err, index.ErrUnavailable) {
		err = fmt.Errorf("store lost during the run; files not indexed are listed in the summary and the next run picks them up: %w", err)
	}
	if cerr := pw.close(); cerr != nil && err == nil {
		err = fmt.Errorf("--problems: %w", cerr)
	}
	return finishRun(e, sum, bf, err)
}
