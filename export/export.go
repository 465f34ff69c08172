// Package export writes records as files people open: CSV (one row per
// report), long CSV (one row per field), JSONL and XLSX (excelize).
package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"ogi/extract"
	"ogi/numeral"
	"ogi/region"
)

// ErrOption is returned by New for an unknown format or
// label set.
var ErrOption = errors.New("bad export option")

// Options says how records are written.
type Options struct {
	Format string // csv, csv-long, jsonl or xlsx
	BOM    bool   // CSV formats: start with a UTF-8 byte order mark, for Excel
	Labels string // "" or "keys": field keys as headers; "zh": Chinese headers
}

// Writer writes records one at a time; Close finishes the output (the
// XLSX file is only written then) and must be called.
type Writer interface {
	Write(rec extract.Record) error
	Close() error
}

// Formats lists the formats New accepts.
var Formats = []string{"csv", "csv-long", "jsonl", "xlsx"}

// New returns an Writer writing opt.Format to w.
func New(w io.Writer, opt Options) (Writer, error) {
	if opt.Labels != "" && opt.Labels != "keys" && opt.Labels != "zh" {
		return nil, fmt.Errorf("export labels %q: %w (want keys or zh)", opt.Labels, ErrOption)
	}
	switch opt.Format {
	case "csv":
		return newCSVWriter(w, opt, false)
	case "csv-long":
		return newCSVWriter(w, opt, true)
	case "jsonl":
		return &jsonlWriter{bw: bufio.NewWriter(w)}, nil
	case "xlsx":
		return newXLSXWriter(w, opt)
	}
	return nil, fmt.Errorf("export format %q: %w (want %s)", opt.Format, ErrOption, strings.Join(Formats, ", "))
}

// metaColumns are the metadata columns of the wide layouts, before the
// field columns; extraKey comes after them and holds, as key=value
// pairs, any field outside fields.tsv so no number is dropped.
var metaColumns = []struct{ key, zh string }{
	{"id", "记录ID"},
	{"path", "文件路径"},
	{"sha256", "SHA-256"},
	{"format", "文件格式"},
	{"agency", "机关"},
	{"region_code", "区划代码"},
	{"province", "省级"},
	{"city", "地级"},
	{"county", "县级"},
	{"town", "乡级"},
	{"level", "层级"},
	{"agency_kind", "机关类别"},
	{"agency_id", "机关ID"},
	{"year", "年度"},
	{"published", "发布日期"},
	{"template", "模板"},
	{"report_key", "报告键"},
	{"url", "来源网址"},
	{"fetched_at", "抓取时间"},
	// checks_failed is a count, as in the SQLite store's reports table;
	// the names of the failed checks are in checks_failed_names.
	{"checks_failed", "未通过的校验数"},
	{"checks_failed_names", "未通过的校验"},
	{"warnings", "提示"},
	{"extractor", "提取程序版本"},
}

const extraKey, extraZH = "extra_fields", "其他字段"

// wideHeader is the header row of the csv and xlsx layouts.
func wideHeader(labels string) []string {
	var h []string
	for _, m := range metaColumns {
		h = append(h, headerLabel(labels, m.key, m.zh))
	}
	seen := map[string]bool{}
	for _, k := range fieldKeys {
		l := k
		if labels == "zh" {
			l = extract.LabelZH(k)
			if seen[l] {
				l += "（" + k + "）"
			}
			seen[l] = true
		}
		h = append(h, l)
	}
	return append(h, headerLabel(labels, extraKey, extraZH))
}

func headerLabel(labels, key, zh string) string {
	if labels == "zh" {
		return zh
	}
	return key
}

// wideMeta gives a record's metadata cells in metaColumns order; year is
// "" when unknown.
func wideMeta(r *extract.Record) []string {
	var failed []string
	for _, c := range r.Checks {
		if !c.OK {
			failed = append(failed, c.Name)
		}
	}
	year := ""
	if r.Year != nil {
		year = strconv.Itoa(*r.Year)
	}
	g := r.Region
	if g == nil {
		g = &region.Region{}
	}
	return []string{
		r.ID, r.Source.Path, r.Source.SHA256, r.Source.Format, deref(r.Agency),
		g.Code, g.Province, g.City, g.County, g.Town, string(g.Level), deref(r.AgencyKind), deref(r.AgencyID), year,
		deref(r.Published), deref(r.Template), deref(r.ReportKey), r.Source.URL,
		r.Source.FetchedAt, strconv.Itoa(len(failed)), strings.Join(failed, ";"), strings.Join(r.Warnings, "\n"), r.Extractor,
	}
}

// extraFields lists fields outside fields.tsv as key=value pairs.
func extraFields(r *extract.Record) string {
	var parts []string
	for _, k := range r.Keys() {
		if keySet[k] {
			continue
		}
		v := ""
		if n := r.Fields[k]; n != nil {
			v = string(*n)
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ";")
}

var keySet = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range fieldKeys {
		m[k] = true
	}
	return m
}()

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// isNumber reports whether s is a plain number as the normalizer
// writes it ("12", "-3", "7730.28"), possibly followed by % or ‰.
func isNumber(s string) bool {
	return numeral.IsDecimal(strings.TrimSuffix(strings.TrimSuffix(s, "%"), "‰"))
}

// SafeText is the escaping every CSV, XLSX and table cell of text goes
// through, so that any output opened in a spreadsheet never runs a cell
// as a formula: see csvSafe.
func SafeText(s string) string { return csvSafe(s) }

// csvSafe keeps a spreadsheet from reading a text cell as a formula: a
// cell starting with = + - @ or a tab or carriage return gets a leading
// apostrophe. Numbers, and cells of one character or only dashes (which
// no spreadsheet evaluates), are left alone.
func csvSafe(s string) string {
	if s == "" || isNumber(s) || utf8.RuneCountInString(s) == 1 || strings.Trim(s, "-") == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

type csvWriter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	long   bool
	labels string
	row    []string
}

func newCSVWriter(w io.Writer, opt Options, long bool) (*csvWriter, error) {
	e := &csvWriter{bw: bufio.NewWriter(w), long: long, labels: opt.Labels}
	e.cw = csv.NewWriter(e.bw)
	if opt.BOM {
		e.bw.WriteString("\uFEFF")
	}
	header := wideHeader(opt.Labels)
	if long {
		header = []string{
			headerLabel(opt.Labels, "id", "记录ID"), headerLabel(opt.Labels, "path", "文件路径"),
			headerLabel(opt.Labels, "key", "字段"), headerLabel(opt.Labels, "label", "字段名称"),
			headerLabel(opt.Labels, "value", "数值"), headerLabel(opt.Labels, "raw", "原文"),
		}
	}
	if err := e.cw.Write(header); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	return e, nil
}

// Write adds one record: a row, or in csv-long one row per present field.
func (e *csvWriter) Write(r extract.Record) error {
	if e.long {
		for _, k := range r.Keys() {
			v := ""
			if n := r.Fields[k]; n != nil {
				v = csvSafe(string(*n))
			}
			label := extract.LabelZH(k)
			if label == k {
				label = ""
			}
			if err := e.cw.Write([]string{r.ID, csvSafe(r.Source.Path), k, label, v, csvSafe(r.Raw[k])}); err != nil {
				return fmt.Errorf("export csv-long %s: %w", r.Source.Path, err)
			}
		}
		return e.flushErr(r)
	}
	e.row = e.row[:0]
	for _, c := range wideMeta(&r) {
		e.row = append(e.row, csvSafe(c))
	}
	for _, k := range fieldKeys {
		v := ""
		if n := r.Fields[k]; n != nil {
			v = csvSafe(string(*n))
		}
		e.row = append(e.row, v)
	}
	e.row = append(e.row, csvSafe(extraFields(&r)))
	if err := e.cw.Write(e.row); err != nil {
		return fmt.Errorf("export csv %s: %w", r.Source.Path, err)
	}
	return e.flushErr(r)
}

// flushErr surfaces a write error of the underlying writer early, without
// flushing after every row.
func (e *csvWriter) flushErr(r extract.Record) error {
	if err := e.cw.Error(); err != nil {
		return fmt.Errorf("export %s: %w", r.Source.Path, err)
	}
	return nil
}

func (e *csvWriter) Close() error {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	if err := e.bw.Flush(); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

type jsonlWriter struct {
	bw *bufio.Writer
}

// Write adds the record as one line of JSON.
func (e *jsonlWriter) Write(r extract.Record) error {
	line, err := MarshalJSONL(r)
	if err != nil {
		return err
	}
	return e.WriteLine(line)
}

// WriteLine adds a line made by MarshalJSONL, so a batch can encode its
// records in parallel and write them in order.
func (e *jsonlWriter) WriteLine(line []byte) error {
	_, err := e.bw.Write(line)
	return err
}

// MarshalJSONL encodes a record as one line of JSONL, newline included:
// the bytes encoding/json gives without HTML escaping (extract.AppendJSON).
func MarshalJSONL(r extract.Record) ([]byte, error) {
	b, err := extract.AppendJSON(make([]byte, 0, 16<<10), &r, false)
	if err != nil {
		return nil, fmt.Errorf("export jsonl %s: %w", r.Source.Path, err)
	}
	return append(b, '\n'), nil
}

// LineWriter is an Writer that also takes lines made by MarshalJSONL.
type LineWriter interface {
	WriteLine(line []byte) error
}

func (e *jsonlWriter) Close() error {
	if err := e.bw.Flush(); err != nil {
		return fmt.Errorf("export jsonl: %w", err)
	}
	return nil
}

// xlsxWriter streams two sheets: "reports" (the CSV columns, numbers
// as numbers) and "checks" (one row per check of every record).
type xlsxWriter struct {
	w                   io.Writer
	f                   *excelize.File
	reports, checks     *excelize.StreamWriter
	reportRow, checkRow int
	closed              bool
}

const xlsxMaxCell = 32767 // characters Excel allows in one cell

func newXLSXWriter(w io.Writer, opt Options) (*xlsxWriter, error) {
	f := excelize.NewFile()
	e := &xlsxWriter{w: w, f: f, reportRow: 1, checkRow: 1}
	fail := func(err error) (*xlsxWriter, error) {
		f.Close()
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	if err := f.SetSheetName("Sheet1", "reports"); err != nil {
		return fail(err)
	}
	if _, err := f.NewSheet("checks"); err != nil {
		return fail(err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fail(err)
	}
	if e.reports, err = f.NewStreamWriter("reports"); err != nil {
		return fail(err)
	}
	if e.checks, err = f.NewStreamWriter("checks"); err != nil {
		return fail(err)
	}
	header := wideHeader(opt.Labels)
	widths := map[string]float64{"id": 18, "path": 40, "sha256": 18, "agency": 36, "agency_id": 36, "published": 12,
		"report_key": 40, "url": 36, "fetched_at": 20, "checks_failed": 12, "checks_failed_names": 30, "warnings": 40, "extractor": 14}
	for i, m := range metaColumns {
		wd, ok := widths[m.key]
		if !ok {
			wd = 9
		}
		if err := e.reports.SetColWidth(i+1, i+1, wd); err != nil {
			return fail(err)
		}
	}
	nf := len(fieldKeys)
	if err := e.reports.SetColWidth(len(metaColumns)+1, len(metaColumns)+nf, 14); err != nil {
		return fail(err)
	}
	if err := e.reports.SetColWidth(len(metaColumns)+nf+1, len(metaColumns)+nf+1, 30); err != nil {
		return fail(err)
	}
	checkHeader := []string{
		headerLabel(opt.Labels, "id", "记录ID"), headerLabel(opt.Labels, "agency", "机关"), headerLabel(opt.Labels, "year", "年度"),
		headerLabel(opt.Labels, "check", "校验"), headerLabel(opt.Labels, "ok", "通过"), headerLabel(opt.Labels, "detail", "算式"),
	}
	for i, wd := range []float64{18, 36, 8, 36, 8, 50} {
		if err := e.checks.SetColWidth(i+1, i+1, wd); err != nil {
			return fail(err)
		}
	}
	for _, sw := range []*excelize.StreamWriter{e.reports, e.checks} {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fail(err)
		}
	}
	if err := e.reports.SetRow("A1", styledRow(header, bold)); err != nil {
		return fail(err)
	}
	if err := e.checks.SetRow("A1", styledRow(checkHeader, bold)); err != nil {
		return fail(err)
	}
	return e, nil
}

func styledRow(cells []string, style int) []any {
	row := make([]any, len(cells))
	for i, c := range cells {
		row[i] = excelize.Cell{StyleID: style, Value: c}
	}
	return row
}

// xlsxNumber gives a canonical decimal as a number cell value: an exact
// integer where it fits, else a float64 (the closest Excel can hold).
// Text that is not a plain decimal stays text.
func xlsxNumber(s string) any {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if isNumber(s) && !strings.HasSuffix(s, "%") && !strings.HasSuffix(s, "‰") {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return xlsxText(s)
}

func xlsxText(s string) any {
	if s == "" {
		return nil
	}
	if utf8.RuneCountInString(s) > xlsxMaxCell {
		s = string([]rune(s)[:xlsxMaxCell-1]) + "…"
	}
	return s
}

// Write adds the record's row to "reports" and its checks to "checks".
func (e *xlsxWriter) Write(r extract.Record) error {
	meta := wideMeta(&r)
	row := make([]any, 0, len(meta)+len(fieldKeys)+1)
	for i, m := range metaColumns {
		if m.key == "year" && r.Year != nil {
			row = append(row, *r.Year)
			continue
		}
		if m.key == "checks_failed" {
			n, _ := strconv.Atoi(meta[i])
			row = append(row, n)
			continue
		}
		row = append(row, xlsxText(meta[i]))
	}
	for _, k := range fieldKeys {
		if n := r.Fields[k]; n != nil && *n != "" {
			row = append(row, xlsxNumber(string(*n)))
		} else {
			row = append(row, nil)
		}
	}
	row = append(row, xlsxText(extraFields(&r)))
	e.reportRow++
	cell, _ := excelize.CoordinatesToCellName(1, e.reportRow)
	if err := e.reports.SetRow(cell, row); err != nil {
		return fmt.Errorf("export xlsx %s: %w", r.Source.Path, err)
	}
	var year any
	if r.Year != nil {
		year = *r.Year
	}
	for _, c := range r.Checks {
		e.checkRow++
		cell, _ := excelize.CoordinatesToCellName(1, e.checkRow)
		if err := e.checks.SetRow(cell, []any{r.ID, xlsxText(deref(r.Agency)), year, c.Name, c.OK, xlsxText(c.Detail)}); err != nil {
			return fmt.Errorf("export xlsx %s: %w", r.Source.Path, err)
		}
	}
	return nil
}

// Close writes the workbook.
func (e *xlsxWriter) Close() error {
	if e.closed {
		return nil
	}
	e.closed = true
	defer e.f.Close()
	for _, sw := range []*excelize.StreamWriter{e.reports, e.checks} {
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("export xlsx: %w", err)
		}
	}
	if err := e.f.Write(e.w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

// fieldKeys caches extract.FieldKeys, which builds the list anew on every
// call.
var fieldKeys = extract.FieldKeys()
