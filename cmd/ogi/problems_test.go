package main

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"ogi/extract"
)

// TestProblemsReportPage: the problems report names the PDF page a
// problem was found on, in its own column, and leaves it blank when no
// page is known.
func TestProblemsReportPage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "problems.csv")
	pw, err := newProblemsWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	probs := []extract.Problem{
		{Stage: extract.StageCell, Table: 3, Row: "（一）予以公开", Column: "自然人", Cell: "1,23", Page: 4, Err: errors.New("bad thousands grouping")},
		{Stage: extract.StageHeader, Table: 2, Err: errors.New("no column header found")},
	}
	pw.write(problemRows("r.pdf", probs))
	if err := pw.close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want a header and 2", len(rows))
	}
	if want := []string{"file", "stage", "table", "row", "column", "cell", "page", "error"}; !reflect.DeepEqual(rows[0], want) {
		t.Errorf("header %q, want %q", rows[0], want)
	}
	if rows[1][6] != "4" || rows[2][6] != "" {
		t.Errorf("page columns %q and %q, want 4 and blank", rows[1][6], rows[2][6])
	}
}
