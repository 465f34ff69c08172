package extract

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed fields.tsv
var fieldsTSV string

// Field is one canonical statistic of fields.tsv: the output contract.
type Field struct {
	Key      string // e.g. "requests.new.natural_person"
	Template string // "2021", "2019" or "both"
	Table    int    // 2, 3 or 4
	Row      string // row label path as printed in the template
	Column   string // column label path
	Unit     string // 件, 项 or 万元
}

var fields = mustParseFields(fieldsTSV)

// Fields returns every canonical field in fields.tsv order. A key that
// appears under both templates with different labels (active.licensing.decisions)
// appears once per line of the file.
func Fields() []Field { return fields }

// FieldKeys returns the distinct keys in fields.tsv order: the CSV columns.
func FieldKeys() []string {
	seen := map[string]bool{}
	var keys []string
	for _, f := range fields {
		if !seen[f.Key] {
			seen[f.Key] = true
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// LabelZH returns a Chinese column header for a key built from its labels,
// e.g. 本年新收申请·自然人 style: the last part of the row label and the
// column label joined by "·".
func LabelZH(key string) string {
	for _, f := range fields {
		if f.Key == key {
			row := f.Row
			if i := strings.LastIndex(row, "/"); i >= 0 {
				row = row[i+1:]
			}
			row = strings.TrimSpace(strings.TrimPrefix(row, "第二十条"))
			col := f.Column
			if i := strings.LastIndex(col, "/"); i >= 0 {
				col = col[i+1:]
			}
			return row + "·" + col
		}
	}
	return key
}

func mustParseFields(tsv string) []Field {
	var out []Field
	for i, line := range strings.Split(strings.TrimRight(tsv, "\n"), "\n") {
		if i == 0 {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 {
			panic(fmt.Sprintf("fields.tsv line %d: %d columns", i+1, len(c)))
		}
		var table int
		fmt.Sscan(c[2], &table)
		out = append(out, Field{Key: c[0], Template: c[1], Table: table, Row: c[3], Column: c[4], Unit: c[5]})
	}
	return out
}

// fieldKeyList caches FieldKeys, which builds the list anew on every call.
var fieldKeyList = FieldKeys()

// Keys lists the keys the record has in Fields or Raw: fields.tsv
// keys in its order, then any others sorted.
func (r *Record) Keys() []string {
	var keys []string
	known := map[string]bool{}
	for _, k := range fieldKeyList {
		known[k] = true
		if _, ok := r.Fields[k]; ok {
			keys = append(keys, k)
		} else if _, ok := r.Raw[k]; ok {
			keys = append(keys, k)
		}
	}
	var extra []string
	for k := range r.Fields {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	for k := range r.Raw {
		if _, ok := r.Fields[k]; !ok && !known[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	return append(keys, extra...)
}
