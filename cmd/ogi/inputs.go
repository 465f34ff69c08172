package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"ogi/batch"
)

// reportExts are the file endings a directory walk picks up. Files named
// on the command line or in --from are always read, whatever their name.
var reportExts = map[string]bool{
	".docx": true, ".doc": true, ".wps": true, ".docm": true,
	".html": true, ".htm": true, ".shtml": true, ".xhtml": true,
	".mht": true, ".mhtml": true, ".pdf": true,
}

// inputError is a path that could not be listed.
type inputError struct {
	path string
	err  error
}

// inputs are the command's paths (files and directories, walked
// recursively, symlinks followed with loop detection) and the --from
// list, yielded lazily as the files to read, in order, each once: a run
// never holds the whole list. A --from file is read as the run goes;
// --from - (stdin) cannot be read twice, so its lines are kept in memory.
type inputs struct {
	args  []string
	from  string   // a --from file, read lazily; "" for none or stdin
	stdin []string // the lines of --from -
}

// newInputs checks the --from list can be read (a usage error if not).
func newInputs(paths []string, from string, stdin io.Reader) (*inputs, error) {
	in := &inputs{args: paths}
	switch from {
	case "":
	case "-":
		var err error
		if in.stdin, err = readList(from, stdin); err != nil {
			return nil, err
		}
	default:
		f, err := os.Open(from)
		if err != nil {
			return nil, fmt.Errorf("--from: %w", err)
		}
		f.Close()
		in.from = from
	}
	return in, nil
}

// count walks the inputs once without keeping them, for a progress total.
func (in *inputs) count() int {
	n := 0
	for range in.seq(nil) {
		n++
	}
	return n
}

// seq yields the files to read; paths that cannot be listed go to bad
// (when not nil) as the walk meets them.
func (in *inputs) seq(bad func(inputError)) iter.Seq[string] {
	if bad == nil {
		bad = func(inputError) {}
	}
	return func(yield func(string) bool) {
		// One walk never yields a path twice (each is its directory's path
		// and a name in it), so only several roots need the check: a set
		// of 64-bit hashes of the paths, about 10 bytes a file instead of
		// the path itself. Two different paths share a hash with odds of
		// about one in 30 million in a run of a million files.
		var seen map[uint64]struct{}
		if len(in.args) > 1 || in.from != "" || len(in.stdin) > 0 {
			seen = map[uint64]struct{}{}
		}
		seed := maphash.MakeSeed()
		emit := func(p string) bool {
			if seen != nil {
				h := maphash.String(seed, p)
				if _, dup := seen[h]; dup {
					return true
				}
				seen[h] = struct{}{}
			}
			return yield(p)
		}
		root := func(p string) bool {
			fi, err := os.Stat(p)
			if err != nil || !fi.IsDir() {
				// Left in the list, in its place: the batch checks it before
				// opening anything and reports a missing path as not found and
				// a FIFO or device as not a regular file.
				return emit(p)
			}
			w := walker{visited: map[[2]uint64]bool{}, yield: emit, bad: bad}
			return w.walk(p, fi)
		}
		for _, p := range in.args {
			if !root(p) {
				return
			}
		}
		for _, p := range in.stdin {
			if !root(p) {
				return
			}
		}
		if in.from != "" {
			f, err := os.Open(in.from)
			if err != nil {
				bad(inputError{in.from, err})
				return
			}
			defer f.Close()
			sc := listScanner(f)
			for sc.Scan() {
				if line := listLine(sc.Text()); line != "" && !root(line) {
					return
				}
			}
			if err := sc.Err(); err != nil {
				bad(inputError{in.from, err})
			}
		}
	}
}

type walker struct {
	visited map[[2]uint64]bool
	yield   func(string) bool
	bad     func(inputError)
}

// walk yields the directory's files, depth first in name order; false
// when the consumer stopped.
func (w *walker) walk(dir string, fi os.FileInfo) bool {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		key := [2]uint64{uint64(st.Dev), st.Ino}
		if w.visited[key] {
			return true // a symlink loop, or a directory seen by another way
		}
		w.visited[key] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.bad(inputError{dir, err})
		return true
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		info, err := os.Stat(p) // follows symlinks
		if err != nil {
			w.bad(inputError{p, err})
			continue
		}
		if info.IsDir() {
			if !w.walk(p, info) {
				return false
			}
			continue
		}
		switch {
		case info.Mode().IsRegular():
			if reportExts[strings.ToLower(filepath.Ext(name))] && !w.yield(p) {
				return false
			}
		default:
			// A FIFO, socket or device: listed so the batch reports it as
			// not a regular file (it is checked, never opened), whatever
			// its name, instead of vanishing from the run.
			if !w.yield(p) {
				return false
			}
		}
	}
	return true
}

func listScanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	return sc
}

// listLine is a --from line's path, or "" for a blank line or comment.
func listLine(s string) string {
	line := strings.TrimSpace(s)
	if strings.HasPrefix(line, "#") {
		return ""
	}
	return line
}

// readList reads one path per line from a file, or stdin for "-".
func readList(name string, stdin io.Reader) ([]string, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("--from: %w", err)
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := listScanner(r)
	for sc.Scan() {
		if line := listLine(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--from %s: %w", name, err)
	}
	return out, nil
}

// manifestEntry is what a crawl manifest says of one file.
type manifestEntry = batch.Origin

// manifest maps cleaned paths (and absolute paths) to crawl metadata.
type manifest map[string]manifestEntry

func (m manifest) lookup(path string) (manifestEntry, bool) {
	if m == nil {
		return manifestEntry{}, false
	}
	if e, ok := m[filepath.Clean(path)]; ok {
		return e, true
	}
	if abs, err := filepath.Abs(path); err == nil {
		if e, ok := m[abs]; ok {
			return e, true
		}
	}
	return manifestEntry{}, false
}

// readManifest reads a CSV (with a header row) or JSONL manifest with at
// least a path column; url and fetched_at are recognized, every other
// column is kept as extra crawl metadata.
func readManifest(name string) (manifest, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--manifest: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	first, _ := br.Peek(1)
	var rows []map[string]string
	if len(first) == 1 && first[0] == '{' || strings.HasSuffix(strings.ToLower(name), ".jsonl") {
		dec := json.NewDecoder(br)
		for line := 1; ; line++ {
			var obj map[string]any
			if err := dec.Decode(&obj); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return nil, fmt.Errorf("--manifest %s: record %d: %w", name, line, err)
			}
			row := map[string]string{}
			for k, v := range obj {
				switch v := v.(type) {
				case string:
					row[k] = v
				case nil:
				default:
					b, _ := json.Marshal(v)
					row[k] = string(b)
				}
			}
			rows = append(rows, row)
		}
	} else {
		r := csv.NewReader(br)
		r.FieldsPerRecord = -1
		header, err := r.Read()
		if err != nil {
			return nil, fmt.Errorf("--manifest %s: header: %w", name, err)
		}
		for i := range header {
			header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("--manifest %s: %w", name, err)
			}
			row := map[string]string{}
			for i, v := range rec {
				if i < len(header) {
					row[header[i]] = v
				}
			}
			rows = append(rows, row)
		}
	}
	m := manifest{}
	for i, row := range rows {
		p := row["path"]
		if p == "" {
			return nil, fmt.Errorf("--manifest %s: row %d has no path", name, i+1)
		}
		e := manifestEntry{URL: row["url"], FetchedAt: row["fetched_at"]}
		for _, k := range slices.Sorted(maps.Keys(row)) {
			if k == "path" || k == "url" || k == "fetched_at" || row[k] == "" {
				continue
			}
			if e.Extra == nil {
				e.Extra = map[string]string{}
			}
			e.Extra[k] = row[k]
		}
		m[filepath.Clean(p)] = e
		if abs, err := filepath.Abs(p); err == nil {
			m[abs] = e
		}
	}
	return m, nil
}
