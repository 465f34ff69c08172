package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// expandInputs turns the command's paths (files and directories, walked
// recursively, symlinks followed with loop detection) and the --from list
// into the files to read, in order, each once.
func expandInputs(paths []string, from string, stdin io.Reader) ([]string, []inputError, error) {
	if from != "" {
		list, err := readList(from, stdin)
		if err != nil {
			return nil, nil, err
		}
		paths = append(paths, list...)
	}
	var out []string
	var bad []inputError
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			// Left in the list, in its place: the batch checks it before
			// opening anything and reports a missing path as not found and
			// a FIFO or device as not a regular file.
			add(p)
			continue
		}
		w := walker{visited: map[[2]uint64]bool{}}
		w.walk(p, fi)
		for _, f := range w.files {
			add(f)
		}
		bad = append(bad, w.errs...)
	}
	return out, bad, nil
}

type walker struct {
	visited map[[2]uint64]bool
	files   []string
	errs    []inputError
}

func (w *walker) walk(dir string, fi os.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		key := [2]uint64{uint64(st.Dev), st.Ino}
		if w.visited[key] {
			return // a symlink loop, or a directory seen by another way
		}
		w.visited[key] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.errs = append(w.errs, inputError{dir, err})
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		info, err := os.Stat(p) // follows symlinks
		if err != nil {
			w.errs = append(w.errs, inputError{p, err})
			continue
		}
		if info.IsDir() {
			w.walk(p, info)
			continue
		}
		switch {
		case info.Mode().IsRegular():
			if reportExts[strings.ToLower(filepath.Ext(name))] {
				w.files = append(w.files, p)
			}
		default:
			// A FIFO, socket or device: listed so the batch reports it as
			// not a regular file (it is checked, never opened), whatever
			// its name, instead of vanishing from the run.
			w.files = append(w.files, p)
		}
	}
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
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
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
