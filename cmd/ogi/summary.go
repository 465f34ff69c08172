package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ogi/batch"
	"ogi/extract"
)

// problemRow is one line of the problems report.
type problemRow struct {
	File, Stage, Table, Row, Column, Cell, Page, Error string
}

// problemRows turns a file's problems into lines of the problems report.
func problemRows(path string, probs []extract.Problem) []problemRow {
	rows := make([]problemRow, 0, len(probs))
	for _, p := range probs {
		row := problemRow{File: path, Stage: string(p.Stage), Row: p.Row, Column: p.Column, Cell: p.Cell, Error: p.Error()}
		if p.Table != 0 {
			row.Table = strconv.Itoa(p.Table)
		}
		if p.Page > 0 {
			row.Page = strconv.Itoa(p.Page)
		}
		rows = append(rows, row)
	}
	return rows
}

// summary is the account of a run: counts per outcome and per file.
// Per-file entries are kept only when a summary file is asked for, and
// then spooled to a temporary file beside it as the run goes, so the
// memory a run takes does not grow with the number of files.
type summary struct {
	Started  time.Time             `json:"started"`
	Finished time.Time             `json:"finished"`
	Seconds  float64               `json:"seconds"`
	Files    int                   `json:"files"`
	Counts   map[batch.Outcome]int `json:"counts"`
	Bytes    int64                 `json:"bytes"`
	// PerFile is filled only when a summary file is read back; a run
	// writes its entries through the spool.
	PerFile []fileSummary `json:"per_file,omitempty"`
	// Indexed is how many records a store took (ingest only).
	Indexed *int `json:"indexed,omitempty"`

	path  string        // the --summary file; "" keeps no per-file entries
	spool *os.File      // per-file entries, one JSON object a line
	sw    *bufio.Writer // buffers spool
	err   error         // the first spool write error
	// fixes are outcomes changed after a file was spooled (a record the
	// store refused): few, so kept in memory and applied when writing.
	fixes map[string]fileFix
}

type fileFix struct {
	outcome batch.Outcome
	msg     string
}

type fileSummary struct {
	Path string `json:"path"`
	// PathB64 holds the exact bytes of a path that is not valid UTF-8
	// (JSON strings cannot carry them; Path then has U+FFFD in their
	// place), base64-encoded (standard alphabet, padded).
	PathB64  string        `json:"path_b64,omitempty"`
	Outcome  batch.Outcome `json:"outcome"`
	ID       string        `json:"id,omitempty"`
	Millis   float64       `json:"ms"`
	Problems int           `json:"problems,omitempty"`
	Error    string        `json:"error,omitempty"`
}

// newSummary starts the account of a run; path is the --summary file, or
// "" for none.
func newSummary(path string) (*summary, error) {
	s := &summary{Started: time.Now(), Counts: map[batch.Outcome]int{}, path: path}
	if path == "" {
		return s, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("--summary: %w", err)
	}
	s.spool, s.sw = f, bufio.NewWriterSize(f, 64<<10)
	return s, nil
}

func (s *summary) add(r *batch.Result) {
	s.Files++
	s.Counts[r.Outcome]++
	s.Bytes += r.Size
	if s.spool == nil {
		return
	}
	fs := fileSummary{Path: r.Path, Outcome: r.Outcome, ID: r.ID, Millis: float64(r.Dur.Microseconds()) / 1000, Problems: len(r.Problems)}
	if r.Err != nil {
		fs.Error = r.Err.Error()
	}
	s.spoolEntry(fs)
}

// addFailed counts a path that failed before the batch saw it (a
// directory that could not be listed).
func (s *summary) addFailed(path string, err error) {
	s.Files++
	s.Counts[batch.Failed]++
	if s.spool != nil {
		s.spoolEntry(fileSummary{Path: path, Outcome: batch.Failed, Error: err.Error()})
	}
}

func (s *summary) spoolEntry(fs fileSummary) {
	if !utf8.ValidString(fs.Path) {
		fs.PathB64 = base64.StdEncoding.EncodeToString([]byte(fs.Path))
	}
	b, err := json.Marshal(fs)
	if err == nil {
		b = append(b, '\n')
		_, err = s.sw.Write(b)
	}
	if err != nil && s.err == nil {
		s.err = err
	}
}

// setOutcome changes the outcome of a file already counted as was (a
// record the store refused after extraction).
func (s *summary) setOutcome(path string, was, outcome batch.Outcome, msg string) {
	if was == outcome {
		return
	}
	s.Counts[was]--
	if s.Counts[was] <= 0 {
		delete(s.Counts, was)
	}
	s.Counts[outcome]++
	if s.spool != nil {
		if s.fixes == nil {
			s.fixes = map[string]fileFix{}
		}
		s.fixes[path] = fileFix{outcome, msg}
	}
}

func (s *summary) finish() {
	s.Finished = time.Now()
	s.Seconds = s.Finished.Sub(s.Started).Seconds()
}

// line is the one-line account printed at the end of a run.
func (s *summary) line() string {
	var parts []string
	for _, k := range batch.Outcomes {
		if n := s.Counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(string(k), "_", " ")))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing to do")
	}
	rate := ""
	if done := s.Files - s.Counts[batch.Interrupted]; s.Seconds > 0 && done > 0 {
		rate = fmt.Sprintf(", %.1f files/s", float64(done)/s.Seconds)
	}
	idx := ""
	if s.Indexed != nil {
		idx = fmt.Sprintf("; %d indexed", *s.Indexed)
	}
	return fmt.Sprintf("ogi: %s: %s%s in %.1fs%s", plural(s.Files, "file", "files"), strings.Join(parts, ", "), idx, s.Seconds, rate)
}

// incomplete reports whether some files or cells were skipped (exit 3).
func (s *summary) incomplete() bool {
	for k, n := range s.Counts {
		if n > 0 && k != batch.OK && k != batch.Duplicate && k != batch.Unchanged {
			return true
		}
	}
	return false
}

// writeJSON writes the summary file: the counts, then every spooled
// per-file entry with its later fixes applied. It writes nothing without
// a --summary file.
func (s *summary) writeJSON() error {
	if s.spool == nil {
		return nil
	}
	if err := s.sw.Flush(); err != nil && s.err == nil {
		s.err = err
	}
	if s.err != nil {
		return s.err
	}
	head := *s
	head.PerFile = nil
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	b = bytes.TrimSuffix(bytes.TrimSpace(b), []byte("}"))
	b = bytes.TrimSpace(b)
	out, err := createAtomic(s.path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 64<<10)
	w.Write(b)
	w.WriteString(",\n  \"per_file\": [")
	if _, err := s.spool.Seek(0, io.SeekStart); err != nil {
		out.abort()
		return err
	}
	sc := bufio.NewScanner(s.spool)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	first := true
	for sc.Scan() {
		line := sc.Bytes()
		if len(s.fixes) > 0 {
			var fs fileSummary
			if err := json.Unmarshal(line, &fs); err == nil {
				if fx, ok := s.fixes[fs.Path]; ok {
					fs.Outcome, fs.Error = fx.outcome, fx.msg
					line, _ = json.Marshal(fs)
				}
			}
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		w.WriteString("\n    ")
		w.Write(line)
	}
	if err := sc.Err(); err != nil {
		out.abort()
		return err
	}
	if !first {
		w.WriteString("\n  ")
	}
	w.WriteString("]\n}\n")
	if err := w.Flush(); err != nil {
		out.abort()
		return err
	}
	return out.commit()
}

// close removes the spool.
func (s *summary) close() {
	if s.spool != nil {
		s.spool.Close()
		os.Remove(s.spool.Name())
		s.spool = nil
	}
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
	w.Write([]string{"file", "stage", "table", "row", "column", "cell", "page", "error"})
	return &problemsWriter{f: f, w: w}, nil
}

func (p *problemsWriter) write(rows []problemRow) {
	p.n += len(rows)
	if p.w == nil {
		return
	}
	for _, r := range rows {
		p.w.Write([]string{r.File, r.Stage, r.Table, r.Row, r.Column, r.Cell, r.Page, r.Error})
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

// atomicFile is written under a unique temporary name in its target's
// directory and renamed over the target by commit, after an fsync: a
// reader never sees half a file, and a crash leaves the old one whole.
type atomicFile struct {
	*os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes it 0600
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit syncs, closes and renames the file into place.
func (a *atomicFile) commit() error {
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.Name())
	}
	return err
}

// abort drops the temporary file; after commit it does nothing.
func (a *atomicFile) abort() {
	a.Close()
	os.Remove(a.Name())
}

// writeFileAtomic writes data to path through an atomicFile.
func writeFileAtomic(path string, data []byte) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.abort()
		return err
	}
	return f.commit()
}

// printProblems writes each problem as one line on stderr (at most max).
// The file name is quoted (Go %q style) and the message's control
// characters escaped, so a name with a newline cannot forge log lines.
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
		msg = strings.TrimPrefix(msg, r.File)
		msg = strings.TrimPrefix(msg, strconv.Quote(r.File))
		msg = strings.TrimLeft(msg, ": ")
		fmt.Fprintf(w, "ogi: %q: %s\n", r.File, logText(msg))
	}
}

// logText escapes the control characters of s (newlines included) the
// way %q would, leaving every other character as it is.
func logText(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if unicode.IsControl(c) {
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
