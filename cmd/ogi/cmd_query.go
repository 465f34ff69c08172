package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ogi/export"
	"ogi/extract"
	"ogi/index"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", "[QUERY] [--year Y] [--agency TEXT] [--template T] [--region NAME|CODE] [--level L] [--all-versions] [--format table|jsonl|csv] [--limit N]", "ogi search 依申请公开 --year 2024 --region 江苏省 --limit 5")
	var sf storeFlags
	sf.register(fs, e)
	var qf queryFlags
	qf.register(fs)
	format := fs.String("format", "table", "output: table, jsonl or csv")
	limit := fs.Int("limit", 20, "most hits to show")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "jsonl", "csv":
	default:
		return fmt.Errorf("%w: --format must be table, jsonl or csv", errUsage)
	}
	q, err := qf.query()
	if err != nil {
		return err
	}
	q.Text = strings.Join(pos, " ")
	q.Limit = *limit
	st, _, err := sf.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	hits, err := st.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	switch *format {
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, h := range hits {
			enc.Encode(map[string]any{"id": h.ID, "agency": h.Agency, "year": nullInt(h.Year), "path": h.Path, "snippet": h.Snippet, "score": h.Score})
		}
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "agency", "year", "path", "snippet", "score"})
		for _, h := range hits {
			cw.Write([]string{h.ID, export.SafeText(h.Agency), yearText(h.Year), export.SafeText(h.Path), export.SafeText(h.Snippet), strconv.FormatFloat(h.Score, 'f', 3, 64)})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	default:
		tt := textTable{}
		tt.add("AGENCY", "YEAR", "MATCH")
		for _, h := range hits {
			tt.add(h.Agency, yearText(h.Year), oneLine(h.Snippet, 80))
		}
		if err := tt.write(w); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "ogi: %s\n", plural(len(hits), "hit", "hits"))
	}
	return w.Flush()
}

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", "--sum FIELD [--by year|agency|template|province|city|county|level] [--region NAME|CODE] [--level L] [--all-versions] [--format table|csv]", "ogi stats --sum requests.new.total --by city --region 江苏省")
	var sf storeFlags
	sf.register(fs, e)
	var qf queryFlags
	qf.register(fs)
	field := fs.String("sum", "", "the field key to add up (see fields.tsv), e.g. requests.new.total")
	by := fs.String("by", "", "group by year, agency (one agency however its name is printed), template, province, city, county or level (default: one total)")
	format := fs.String("format", "table", "output: table or csv")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *field == "" {
		fs.Usage()
		return fmt.Errorf("%w: --sum FIELD is required", errUsage)
	}
	if !knownField(*field) {
		return fmt.Errorf("%w: unknown field %q (the keys are in fields.tsv, e.g. requests.new.total)", errUsage, *field)
	}
	if *by != "" && !slices.Contains(index.SumGroups, *by) {
		return fmt.Errorf("%w: --by must be one of %s", errUsage, strings.Join(index.SumGroups, ", "))
	}
	q, err := qf.query()
	if err != nil {
		return err
	}
	st, _, err := sf.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	buckets, err := st.Sum(ctx, *field, *by, q)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	label := *by
	if label == "" {
		label = "all"
	}
	// By agency, the key is the agency_id: print its canonical name, and
	// the id beside it so two agencies of one name stay apart.
	byAgency := *by == "agency"
	if *format == "csv" {
		cw := csv.NewWriter(w)
		head := []string{label, "sum", "reports"}
		if byAgency {
			head = []string{"agency", "agency_id", "sum", "reports"}
		}
		cw.Write(head)
		for _, b := range buckets {
			row := []string{export.SafeText(b.Key), b.Sum.String(), strconv.Itoa(b.Reports)}
			if byAgency {
				row = append([]string{export.SafeText(index.AgencyName(b.Key))}, row...)
			}
			cw.Write(row)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return w.Flush()
	}
	// The group columns read from the left, the numbers line up on the right.
	tt := textTable{right: []bool{false, true, true}}
	if byAgency {
		tt.right = []bool{false, false, true, true}
		tt.add("AGENCY", "AGENCY_ID", "sum("+*field+")", "reports")
	} else {
		tt.add(strings.ToUpper(label), "sum("+*field+")", "reports")
	}
	for _, b := range buckets {
		k := b.Key
		if k == "" {
			k = "unknown"
			if *by == "" {
				k = "all"
			}
		}
		if byAgency {
			tt.add(index.AgencyName(k), k, b.Sum.String(), strconv.Itoa(b.Reports))
			continue
		}
		tt.add(k, b.Sum.String(), strconv.Itoa(b.Reports))
	}
	if err := tt.write(w); err != nil {
		return err
	}
	return w.Flush()
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "[--format csv|csv-long|jsonl|xlsx] [--out FILE] [--bom] [--labels zh] [--year Y] [--agency TEXT] [--template T] [--region NAME|CODE] [--level L] [--all-versions]", "ogi export --format xlsx --out reports.xlsx --year 2024 --region 淮安市")
	var sf storeFlags
	sf.register(fs, e)
	var qf queryFlags
	qf.register(fs)
	format := fs.String("format", "csv", "csv, csv-long, jsonl or xlsx")
	out := fs.String("out", "", "write to `FILE` instead of stdout (required for xlsx)")
	bom := fs.Bool("bom", false, "start CSV with a UTF-8 byte-order mark so Excel on Chinese Windows opens it correctly")
	labels := fs.String("labels", "keys", "column headers: keys or zh (Chinese labels from fields.tsv)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *format == "xlsx" && *out == "" {
		return fmt.Errorf("%w: --format xlsx needs --out FILE", errUsage)
	}
	q, err := qf.query()
	if err != nil {
		return err
	}
	st, _, err := sf.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	w := e.stdout
	var f *atomicFile
	if *out != "" {
		if f, err = createAtomic(*out); err != nil {
			return err
		}
		defer f.abort()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	exp, err := export.New(bw, export.Options{Format: *format, BOM: *bom, Labels: *labels})
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	n := 0
	err = st.Scan(ctx, q, func(r extract.Record) error {
		n++
		return exp.Write(r)
	})
	if cerr := exp.Close(); err == nil {
		err = cerr
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if f != nil && err == nil {
		err = f.commit()
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stderr, "ogi: exported %s\n", plural(n, "record", "records"))
	return nil
}

func knownField(key string) bool {
	return slices.Contains(extract.FieldKeys(), key)
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func yearText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
