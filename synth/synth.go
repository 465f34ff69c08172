// Package synth writes realistic government information disclosure annual
// reports (政府信息公开工作年度报告) in DOCX, HTML and PDF, in the 2019 and 2021
// national formats and the hybrid seen in the wild, with the mess of real
// published files, together with the true value of every statistic. Tests
// extract the generated files and compare field by field; the throughput
// benchmark reads a generated corpus.
//
// Everything is deterministic for a seed: the same Options give the same
// bytes.
package synth

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
)

// Template names.
const (
	Template2021   = "2021"
	Template2019   = "2019"
	TemplateHybrid = "hybrid" // 2021 table 2, 2019 single-row 其他处理 in table 3
)

// Default sizes Corpus aims at: a real Word/WPS report's word/document.xml
// is around 250 KB; a published HTML page somewhat less.
const (
	DefaultDOCXSize = 250_000
	DefaultHTMLSize = 120_000
)

// ErrOptions is wrapped by Generate for options it cannot honour.
var ErrOptions = errors.New("synth: bad options")

// Options choose one report.
type Options struct {
	Seed     int64  `json:"seed"`
	Template string `json:"template"` // "2021", "2019", "hybrid", or "" = random
	Format   string `json:"format"`   // "docx", "html" or "pdf"
	Mess     Mess   `json:"mess"`
	// PadTo is the approximate size in bytes of word/document.xml or of
	// the HTML page; the narrative grows until the size is reached. Each
	// report varies around it by up to ±15%. 0 leaves the natural size.
	// For PDF it is a number of pages instead (DefaultPDFPages).
	PadTo int `json:"pad_to"`
}

// Truth is what an exact extractor must read from a report.
type Truth struct {
	Agency    string `json:"agency"`
	Year      int    `json:"year"`
	Published string `json:"published"` // ISO date of the signature
	Template  string `json:"template"`  // "2021" or "2019", following table 2
	// Fields maps the canonical keys of fields.tsv, as the document prints
	// them, to canonical decimal text; nil for a blank or dash cell.
	Fields map[string]*string `json:"fields"`
	// Raw is each field's cell text exactly as printed, before any
	// normalization ("12件", "\u3000", "7,730.28").
	Raw map[string]string `json:"raw"`
	// FailingChecks names, sorted, the identity checks that fail on the
	// printed values; every other check passes.
	FailingChecks []string `json:"failing_checks"`
}

// Report is one generated file and its truth.
type Report struct {
	Name    string  `json:"name"`
	Data    []byte  `json:"-"`
	Format  string  `json:"format"`
	Truth   Truth   `json:"truth"`
	Options Options `json:"options"` // what produced it, template resolved
}

// Generate writes one report.
func Generate(opt Options) (Report, error) {
	rep, _, err := generate(opt)
	return rep, err
}

func generate(opt Options) (Report, *gen, error) {
	r := rand.New(rand.NewSource(opt.Seed))
	tpl := opt.Template
	switch tpl {
	case "":
		// Drawn from the seed apart from the stream, so that options with
		// the template filled in reproduce the same report.
		tpl = []string{Template2021, Template2021, Template2019, TemplateHybrid}[uint64(opt.Seed)*0x9E3779B97F4A7C15>>62]
	case Template2021, Template2019, TemplateHybrid:
	default:
		return Report{}, nil, fmt.Errorf("%w: template %q", ErrOptions, opt.Template)
	}
	if !knownFormat(opt.Format) {
		return Report{}, nil, fmt.Errorf("%w: format %q", ErrOptions, opt.Format)
	}
	if opt.Format == "pdf" {
		// The HTML-only kinds mean nothing in a PDF; say so in the
		// options the truth records.
		opt.Mess.WordPaste, opt.Mess.GBK, opt.Mess.CMSChrome = false, false, false
	}
	if opt.PadTo < 0 {
		return Report{}, nil, fmt.Errorf("%w: negative PadTo", ErrOptions)
	}
	if opt.Format == "pdf" && opt.PadTo > maxPDFPages {
		return Report{}, nil, fmt.Errorf("%w: PadTo %d: a PDF's PadTo is a page count, at most %d", ErrOptions, opt.PadTo, maxPDFPages)
	}
	opt.Template = tpl
	g := newGen(r, opt)
	g.build()
	var data []byte
	var err error
	switch opt.Format {
	case "docx":
		data, err = g.docx()
	case "pdf":
		data, err = g.pdf()
	default:
		data, err = g.html()
	}
	if err != nil {
		return Report{}, nil, fmt.Errorf("synth seed %d: %w", opt.Seed, err)
	}
	ext := opt.Format
	if ext == "html" && r.Intn(4) == 0 {
		ext = "htm"
	}
	return Report{
		Name:    fmt.Sprintf("report-%d.%s", uint64(opt.Seed), ext),
		Data:    data,
		Format:  opt.Format,
		Truth:   g.truth(),
		Options: opt,
	}, g, nil
}

// Corpus returns n varied reports: a mix of templates, formats (taken in
// turn from formats; nil means DOCX and HTML), messes and sizes, deterministic for
// a seed. A fifth of the reports are clean. DOCX aims at DefaultDOCXSize,
// HTML at DefaultHTMLSize, PDF at DefaultPDFPages. Reports are generated in parallel.
func Corpus(seed int64, n int, formats []string) ([]Report, error) {
	out := make([]Report, 0, max(n, 0))
	err := eachReport(seed, n, formats, func(rep Report) error {
		out = append(out, rep)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// corpusOptions draws the options of the reports of a corpus.
func corpusOptions(seed int64, n int, formats []string) ([]Options, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: negative count", ErrOptions)
	}
	if len(formats) == 0 {
		formats = []string{"docx", "html"}
	}
	for _, f := range formats {
		if !knownFormat(f) {
			return nil, fmt.Errorf("%w: format %q", ErrOptions, f)
		}
	}
	opts := make([]Options, n)
	r := rand.New(rand.NewSource(seed))
	for i := range opts {
		o := Options{Seed: r.Int63(), Format: formats[i%len(formats)]}
		if r.Intn(5) != 0 {
			o.Mess = RandomMess(r)
		}
		switch o.Format {
		case "html":
			o.PadTo = DefaultHTMLSize
		case "pdf":
			o.PadTo = DefaultPDFPages
			if o.Mess != (Mess{}) {
				o.Mess = pdfMess(o.Seed, o.Mess)
			}
		default:
			o.PadTo = DefaultDOCXSize
		}
		opts[i] = o
	}
	return opts, nil
}

// eachReport generates a corpus in parallel, a chunk at a time so memory
// stays bounded, and hands the reports to fn in order.
func eachReport(seed int64, n int, formats []string, fn func(Report) error) error {
	opts, err := corpusOptions(seed, n, formats)
	if err != nil {
		return err
	}
	workers := runtime.GOMAXPROCS(0)
	const chunk = 512
	reps := make([]Report, chunk)
	errs := make([]error, chunk)
	for base := 0; base < len(opts); base += chunk {
		m := min(chunk, len(opts)-base)
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					reps[i], errs[i] = Generate(opts[base+i])
					reps[i].Name = fmt.Sprintf("report-%05d.%s", base+i, extOf(reps[i].Name))
				}
			}()
		}
		for i := 0; i < m; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := 0; i < m; i++ {
			if errs[i] != nil {
				return errs[i]
			}
			if err := fn(reps[i]); err != nil {
				return err
			}
			reps[i] = Report{}
		}
	}
	return nil
}

// Formats lists the formats Generate writes.
var Formats = []string{"docx", "html", "pdf"}

func knownFormat(f string) bool {
	for _, x := range Formats {
		if f == x {
			return true
		}
	}
	return false
}

func extOf(name string) string {
	return filepath.Ext(name)[1:]
}

// TruthLine is one line of truth.jsonl: a file's name and format, its
// Truth (flattened) and the options that made it.
type TruthLine struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	Truth
	Options Options `json:"options"`
}

// WriteCorpus writes the reports of Corpus(seed, n, formats) into dir
// (created if needed) and truth.jsonl beside them, one TruthLine per file
// in order. Reports are written as they are made, not held in memory.
func WriteCorpus(dir string, seed int64, n int, formats []string) error {
	if _, err := corpusOptions(seed, 0, formats); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = eachReport(seed, n, formats, func(rep Report) error {
		if err := os.WriteFile(filepath.Join(dir, rep.Name), rep.Data, 0o644); err != nil {
			return fmt.Errorf("write corpus: %w", err)
		}
		if err := enc.Encode(TruthLine{Name: rep.Name, Format: rep.Format, Truth: rep.Truth, Options: rep.Options}); err != nil {
			return fmt.Errorf("write corpus %s: %w", rep.Name, err)
		}
		return nil
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write corpus: %w", cerr)
	}
	return err
}

// ReadTruth reads a truth.jsonl written by WriteCorpus.
func ReadTruth(path string) ([]TruthLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	defer f.Close()
	var out []TruthLine
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var t TruthLine
		err := dec.Decode(&t)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("read truth %s line %d: %w", path, len(out)+1, err)
		}
		out = append(out, t)
	}
}

// Columns of table 3, in printed order.
var Columns = []string{"natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total"}

// Checks evaluates every identity of template.md on a set of printed
// values (nil and absent count as 0) and returns the names of those that
// fail, sorted. It is how FailingChecks is computed; tests of an extractor
// may use it on what they read.
func Checks(fields map[string]*string) []string {
	get := func(k string) int64 {
		p := fields[k]
		if p == nil {
			return 0
		}
		v, err := strconv.ParseInt(*p, 10, 64)
		if err != nil {
			return 0
		}
		return v
	}
	var fail []string
	if _, ok := fields["requests.new.total"]; ok {
		single := true
		if _, ok := fields["requests.other.no_correction.total"]; ok {
			single = false
		}
		rows := table3Rows(single)
		for _, col := range Columns {
			if get("requests.new."+col)+get("requests.carried_over."+col) !=
				get("requests.total."+col)+get("requests.carried_forward."+col) {
				fail = append(fail, "requests.balance."+col)
			}
			var sum int64
			for _, row := range rows {
				if row.result {
					sum += get("requests." + row.key + "." + col)
				}
			}
			if sum != get("requests.total."+col) {
				fail = append(fail, "requests.results."+col)
			}
		}
		for _, row := range rows {
			var sum int64
			for _, col := range Columns[:6] {
				sum += get("requests." + row.key + "." + col)
			}
			if sum != get("requests."+row.key+".total") {
				fail = append(fail, "requests.row."+row.key)
			}
		}
	}
	for _, grp := range table4Groups {
		if _, ok := fields[grp+".total"]; !ok {
			continue
		}
		var sum int64
		for _, c := range table4Cols[:4] {
			sum += get(grp + "." + c)
		}
		if sum != get(grp+".total") {
			fail = append(fail, grp+".total")
		}
	}
	sort.Strings(fail)
	return fail
}
