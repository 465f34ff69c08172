package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"ogi/batch"
	"ogi/extract"
)

// problemRow is one line of the problems report.
type problemRow struct {
	File, Stage, Table, Row, Column, Cell, Error string
}

// problemRows turns a file's problems into lines of the problems report.
func problemRows(path string, probs []extract.Problem) []problemRow {
	rows := make([]problemRow, 0, len(probs))
	for _, p := range probs {
		row := problemRow{File: path, Stage: string(p.Stage), Row: p.Row, Column: p.Column, Cell: p.Cell, Error: p.Error()}
		if p.Table != 0 {
			row.Table = strconv.Itoa(p.Table)
		}
		rows = append(rows, row)
	}
	return rows
}

// summary is the account of a run: counts per outcome and per file.
type summary struct {
	Started  time.Time             `json:"started"`
	Finished time.Time             `json:"finished"`
	Seconds  float64               `json:"seconds"`
	Files    int                   `json:"files"`
	Counts   map[batch.Outcome]int `json:"counts"`
	Bytes    int64                 `json:"bytes"`
	PerFile  []fileSummary         `json:"per_file"`
	// Indexed is how many records a store took (ingest only).
	Indexed *int `json:"indexed,omitempty"`
}

type fileSummary struct {
	Path     string        `json:"path"`
	Outcome  batch.Outcome `json:"outcome"`
	ID       string        `json:"id,omitempty"`
	Millis   float64       `json:"ms"`
	Problems int           `json:"problems,omitempty"`
	Error    string        `json:"error,omitempty"`
}

func newSummary() *summary {
	return &summary{Started: time.Now(), Counts: map[batch.Outcome]int{}}
}

func (s *summary) add(r *batch.Result) {
	s.Files++
	s.Counts[r.Outcome]++
	s.Bytes += r.Size
	fs := fileSummary{Path: r.Path, Outcome: r.Outcome, ID: r.ID, Millis: float64(r.Dur.Microseconds()) / 1000, Problems: len(r.Problems)}
	if r.Err != nil {
		fs.Error = r.Err.Error()
	}
	s.PerFile = append(s.PerFile, fs)
}

// setOutcome changes the outcome of a file already counted (a record the
// store refused after extraction).
func (s *summary) setOutcome(path string, outcome batch.Outcome, msg string) {
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
	return fmt.Sprintf("ogi: %d files: %s%s in %.1fs%s", s.Files, strings.Join(parts, ", "), idx, s.Seconds, rate)
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
