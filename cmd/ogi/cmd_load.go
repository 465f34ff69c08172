package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"ogi/batch"
	"ogi/extract"
	"ogi/index"
)

// load is a command of its own rather than an ingest flag: its inputs are
// record files, not report files, none of the reading flags (limits,
// timeout, manifest) apply, and a JSONL file given to ingest by mistake is
// refused as not a report instead of being taken for records.
func runLoad(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "load", "[--es URL | --db FILE] [flags] FILE.jsonl...", "ogi load --es http://127.0.0.1:9200 records-*.jsonl")
	batchSize := fs.Int("batch-size", 250, "records per store write at most (half as many when the store is idle)")
	anyVersion := fs.Bool("any-version", false, "accept records made by another extractor version (refused by default)")
	quiet := fs.Bool("quiet", false, "no progress lines")
	problems := fs.String("problems", "", "write the refused records to `FILE` (CSV: file, stage, table, row, column, cell, error; row is the line number)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	var sf storeFlags
	sf.register(fs, e)
	sf.registerBulk(fs, e)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if len(paths) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no record files (JSONL as extract writes it; - for stdin)", errUsage)
	}
	pw, err := newProblemsWriter(*problems)
	if err != nil {
		return err
	}
	defer pw.close()

	start := time.Now()
	// The store is opened while the first file is read: grouping its
	// lines reads the whole window before the first record is handed on,
	// and opening an Elasticsearch store takes a dozen round trips. Lines
	// are decoded lean (without the raw cells and sections, which it does
	// not read) when the store will be Elasticsearch, which sends each
	// record's line itself.
	lean := sf.elastic()
	openc := make(chan openedStore, 1)
	go func() { openc <- openForLoad(ctx, e, &sf) }()
	var st index.Store
	var endBulk func(context.Context) error
	var w *storeWriter
	var openErr error
	waiting := true
	defer func() {
		if waiting { // returned before the store was needed: close it
			st = (<-openc).st
		}
		if w != nil {
			w.stop()
		}
		if st != nil {
			st.Close()
		}
	}()
	var loaded, refused, notIndexed int
	shown := 0
	where2 := map[string]string{} // record id → file:line, for store refusals
	newWriter := func() *storeWriter {
		return newStoreWriter(ctx, st, *batchSize, putDepth(st), func(res putResult) {
			byID := map[string]index.Failure{}
			for _, f := range res.failures {
				byID[f.ID] = f
			}
			for _, r := range res.recs {
				at := where2[r.ID]
				delete(where2, r.ID)
				switch f, bad := byID[r.ID]; {
				case bad:
					notIndexed++
					fmt.Fprintf(e.stderr, "ogi: %s: record %s not indexed: %s\n", at, r.ID, storeFailureText(f))
					pw.write([]problemRow{{File: at, Stage: string(extract.StageIndex), Error: storeFailureText(f)}})
				case res.err != nil && len(res.failures) == 0 && !errors.Is(res.err, index.ErrAfterWrite):
					// Nothing listed: the call wrote nothing (see ingest).
					notIndexed++
					fmt.Fprintf(e.stderr, "ogi: %s: record %s not indexed: %v\n", at, r.ID, res.err)
				default:
					loaded++
				}
			}
		})
	}
	// storeReady waits for the store, once, and makes the writer.
	storeReady := func() error {
		if waiting {
			o := <-openc
			waiting = false
			st, endBulk, openErr = o.st, o.endBulk, o.err
			if openErr == nil {
				if _, ok := st.(linePutter); lean && !ok {
					openErr = fmt.Errorf("load: %s does not take record lines", o.where)
				} else {
					if !*quiet {
						fmt.Fprintf(e.stderr, "ogi: loading into %s\n", o.where)
					}
					w = newWriter()
				}
			}
		}
		return openErr
	}
	report := func(file string, line int, reason string) {
		if storeReady() != nil {
			return // the run ends with that error, the next add's
		}
		pw.write([]problemRow{{File: file, Stage: "load", Row: fmt.Sprint(line), Error: reason}})
		if shown < 20 {
			fmt.Fprintf(e.stderr, "ogi: %s:%d: %s\n", file, line, reason)
		} else if shown == 20 {
			fmt.Fprintf(e.stderr, "ogi: more refused records in the problems report\n")
		}
		shown++
	}
	opts := loadOptions{anyVersion: *anyVersion, lean: lean}
	for _, p := range paths {
		if err = loadFile(ctx, e, p, opts, report, func(r extract.Record, at string, more bool, line *extract.Line) error {
			if err := storeReady(); err != nil {
				return err
			}
			where2[r.ID] = at
			return w.addLine(r, batch.OK, more, line)
		}, &refused); err != nil {
			break
		}
	}
	// A store that could not be opened is the error, whatever reading
	// the files met before it was known.
	if oerr := storeReady(); oerr != nil {
		return oerr
	}
	if ferr := w.close(); ferr != nil && err == nil {
		err = ferr
	}
	if endBulk != nil {
		rctx, cancel := context.WithTimeout(w.context(), 30*time.Second)
		if rerr := endBulk(rctx); rerr != nil && err == nil {
			err = rerr
		}
		cancel()
	} else if r, ok := st.(interface{ Refresh(context.Context) error }); ok && loaded > 0 {
		rctx, cancel := context.WithTimeout(w.context(), 30*time.Second)
		if rerr := r.Refresh(rctx); rerr != nil && err == nil {
			err = rerr
		}
		cancel()
	}
	secs := time.Since(start).Seconds()
	fmt.Fprintf(e.stderr, "ogi: %d records loaded, %d refused, %d not indexed in %.1fs, %.1f records/s\n",
		loaded, refused, notIndexed, secs, float64(loaded)/max(secs, 1e-9))
	if cerr := pw.close(); cerr != nil && err == nil {
		err = fmt.Errorf("--problems: %w", cerr)
	}
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return err
	}
	if refused > 0 || notIndexed > 0 {
		return errPartial
	}
	return nil
}

// openedStore is the store load writes to, set up for a bulk load.
type openedStore struct {
	st    index.Store
	where string
	// endBulk, when not nil, ends the bulk load: Elasticsearch refreshes
	// seldom while the records go in, and the end puts it back and
	// refreshes.
	endBulk func(context.Context) error
	err     error
}

func openForLoad(ctx context.Context, e *env, sf *storeFlags) openedStore {
	st, where, err := sf.open(ctx, e)
	if err != nil {
		return openedStore{err: err}
	}
	o := openedStore{st: st, where: where}
	if b, ok := st.(interface {
		BulkLoad(context.Context) (func(context.Context) error, error)
	}); ok {
		if o.endBulk, err = b.BulkLoad(ctx); err != nil {
			st.Close()
			return openedStore{err: err}
		}
	}
	return o
}

type loadOptions struct {
	anyVersion bool
	// lean: records with a line may lack Raw and Sections
	// (extract.ParseJSONLineLean); the store sends the line.
	lean bool
}

// loadFile reads one JSONL file of records, validates each line on every
// core and hands the good ones to add: a regular file in report order
// (loadorder.go), standard input in file order. more says that the next
// record given belongs to the same report. A bad line is reported with
// its number and skipped; a file that cannot be read ends the run.
func loadFile(ctx context.Context, e *env, path string, opts loadOptions, report func(string, int, string), add func(r extract.Record, at string, more bool, line *extract.Line) error, refused *int) error {
	if path == "-" {
		d := &lineDecoder{name: "stdin", opts: opts, report: report, add: add, refused: refused}
		return d.stream(ctx, e.stdin)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("load %s: not a regular file", path)
	}
	d := &lineDecoder{name: path, opts: opts, report: report, add: add, refused: refused}
	return d.grouped(ctx, f)
}

// maxLine is the longest record line taken.
const maxLine = 256 << 20

// lineDecoder decodes record lines in chunks on every core and hands
// them on in the order they were pushed.
type lineDecoder struct {
	name   string
	opts   loadOptions
	report func(string, int, string)
	// add takes a record, where it was read, whether more of its group
	// follow, and its line when that is exactly the record's JSON.
	add     func(extract.Record, string, bool, *extract.Line) error
	refused *int
	items   []decodeItem
}

type decodeItem struct {
	line int
	text []byte
	more bool
	long bool
	rec  extract.Record
	// ln: text is exactly the record as extract writes it.
	ln  *extract.Line
	err error
}

// decodeChunk is how many lines are decoded at once, on every core.
const decodeChunk = 64

func (d *lineDecoder) push(it decodeItem) error {
	d.items = append(d.items, it)
	if len(d.items) == decodeChunk {
		return d.flush()
	}
	return nil
}

func (d *lineDecoder) flush() error {
	index.ForEach(len(d.items), 1, func(i int) {
		if it := &d.items[i]; !it.long {
			it.rec, it.ln, it.err = decodeRecord(it.text, d.opts)
		}
	})
	for i := range d.items {
		it := &d.items[i]
		switch {
		case it.long:
			*d.refused++
			d.report(d.name, it.line, errLineTooLong.Error())
		case it.err != nil:
			*d.refused++
			d.report(d.name, it.line, it.err.Error())
		default:
			if err := d.add(it.rec, fmt.Sprintf("%s:%d", d.name, it.line), it.more, it.ln); err != nil {
				return err
			}
		}
	}
	clear(d.items)
	d.items = d.items[:0]
	return nil
}

// stream hands on the lines of rd in file order.
func (d *lineDecoder) stream(ctx context.Context, rd io.Reader) error {
	br := bufio.NewReaderSize(rd, 1<<20)
	lineNo := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, _, err := readLine(br, maxLine)
		if err == io.EOF {
			return d.flush()
		}
		lineNo++
		switch {
		case errors.Is(err, errLineTooLong):
			err = d.push(decodeItem{line: lineNo, long: true})
		case err != nil:
			return fmt.Errorf("load %s: line %d: %w", d.name, lineNo, err)
		case len(bytes.TrimSpace(line)) > 0:
			err = d.push(decodeItem{line: lineNo, text: bytes.TrimSpace(line)})
		}
		if err != nil {
			return err
		}
	}
}

// grouped hands on the lines of f window by window, each window in report
// order: the first pass reads every line's grouping keys, the second
// reads the lines again group by group.
func (d *lineDecoder) grouped(ctx context.Context, f *os.File) error {
	br := bufio.NewReaderSize(f, 1<<20)
	var off int64
	lineNo := 0
	refs := make([]lineRef, 0, 1024)
	keys := make([][2]uint64, 0, 1024)
	for eof := false; !eof; {
		refs, keys = refs[:0], keys[:0]
		for len(refs) < groupWindow {
			if err := ctx.Err(); err != nil {
				return err
			}
			line, n, err := readLine(br, maxLine)
			if err == io.EOF {
				eof = true
				break
			}
			lineNo++
			ref := lineRef{off: off, n: len(line), no: lineNo}
			off += int64(n)
			switch {
			case errors.Is(err, errLineTooLong):
				ref.long = true
				keys = append(keys, [2]uint64{})
			case err != nil:
				return fmt.Errorf("load %s: line %d: %w", d.name, lineNo, err)
			case len(bytes.TrimSpace(line)) == 0:
				continue
			default:
				keys = append(keys, groupKeys(line))
			}
			refs = append(refs, ref)
		}
		order, more := groupOrder(keys)
		for i, k := range order {
			if err := ctx.Err(); err != nil {
				return err
			}
			ref := refs[k]
			it := decodeItem{line: ref.no, more: more[i], long: ref.long}
			if !ref.long {
				buf := make([]byte, ref.n)
				if _, err := f.ReadAt(buf, ref.off); err != nil {
					return fmt.Errorf("load %s: line %d: read again: %w", d.name, ref.no, err)
				}
				it.text = bytes.TrimSpace(buf)
			}
			if err := d.push(it); err != nil {
				return err
			}
		}
		if err := d.flush(); err != nil {
			return err
		}
	}
	return nil
}

var errLineTooLong = errors.New("line longer than 256 MB")

// readLine returns the next line without its newline, and how many bytes
// it took from br; a line over limit is skipped whole and reported as
// errLineTooLong.
func readLine(br *bufio.Reader, limit int) ([]byte, int, error) {
	var out []byte
	n := 0
	for {
		part, err := br.ReadSlice('\n')
		n += len(part)
		if len(out)+len(part) > limit {
			for errors.Is(err, bufio.ErrBufferFull) {
				part, err = br.ReadSlice('\n')
				n += len(part)
			}
			if err == io.EOF {
				err = nil
			}
			if err != nil {
				return nil, n, err
			}
			return nil, n, errLineTooLong
		}
		out = append(out, part...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == nil {
			out = out[:len(out)-1]
		}
		if err == io.EOF && len(out) == 0 {
			return nil, n, io.EOF
		}
		if err == io.EOF {
			err = nil
		}
		return out, n, err
	}
}

// decodeRecord parses and checks one line: a record as extract writes it
// (no unknown field, every required one), its id the SHA-256 of the file,
// every value a canonical decimal, made by this extractor version unless
// opts.anyVersion. ln is the line when it is exactly the record's JSON as
// extract writes it (extract.ParseJSONLine), else nil.
func decodeRecord(line []byte, opts loadOptions) (r extract.Record, ln *extract.Line, err error) {
	// Lines as extract writes them take the fast reader; anything it does
	// not take exactly is decoded by encoding/json, which says what is
	// wrong.
	ok := false
	if opts.lean {
		r, ln, ok = extract.ParseJSONLineLean(line)
		// Not canonical, or holding checks the store decides: the
		// record itself is written, so it is read whole.
		ok = ok && ln != nil && !hasVersionsCheck(&r)
	}
	if !ok {
		r, ln, ok = extract.ParseJSONLine(line)
		if ln != nil && hasVersionsCheck(&r) {
			ln = nil // the store strips them and encodes the record
		}
	}
	if !ok {
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return r, nil, fmt.Errorf("not a record: %v", err)
		}
		if dec.More() {
			return r, nil, fmt.Errorf("not a record: more than one JSON value on the line")
		}
	}
	switch {
	case !isSHA256Hex(r.ID):
		return r, nil, fmt.Errorf("id %q is not a SHA-256 in lower-case hex", r.ID)
	case r.Source.SHA256 != r.ID:
		return r, nil, fmt.Errorf("record %s: source.sha256 %q differs from the id", r.ID, r.Source.SHA256)
	case r.Source.Path == "":
		return r, nil, fmt.Errorf("record %s: no source.path", r.ID)
	case r.Source.Format == "":
		return r, nil, fmt.Errorf("record %s: no source.format", r.ID)
	case r.Fields == nil:
		return r, nil, fmt.Errorf("record %s: no fields", r.ID)
	case r.Extractor == "":
		return r, nil, fmt.Errorf("record %s: no extractor version", r.ID)
	case r.Extractor != extract.Version && !opts.anyVersion:
		return r, nil, fmt.Errorf("record %s was made by %q, this is %q: extract it again, or pass --any-version", r.ID, r.Extractor, extract.Version)
	}
	for k, v := range r.Fields {
		if v == nil {
			continue
		}
		if !canonicalDecimal(string(*v)) {
			return r, nil, fmt.Errorf("record %s: field %s: %q is not a canonical decimal", r.ID, k, string(*v))
		}
	}
	return r, ln, nil
}

func hasVersionsCheck(r *extract.Record) bool {
	return slices.ContainsFunc(r.Checks, func(c extract.Check) bool { return c.Name == index.VersionsCheck })
}

// canonicalDecimal reports whether s is a decimal in the form records
// use (numeral.Canonical's output): no sign but a minus, no leading or
// trailing zeros, no exponent, no "-0".
func canonicalDecimal(s string) bool {
	t := strings.TrimPrefix(s, "-")
	intPart, frac, dot := strings.Cut(t, ".")
	if intPart == "" || !allDigits(intPart) || (len(intPart) > 1 && intPart[0] == '0') {
		return false
	}
	if dot && (frac == "" || !allDigits(frac) || frac[len(frac)-1] == '0') {
		return false
	}
	return !(len(t) < len(s) && intPart == "0" && !dot)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
