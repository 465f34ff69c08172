package extract

import (
	"errors"
	"fmt"
	"strings"

	"ogi/numeral"
)

// Causes a Problem wraps; test for them with errors.Is.
var (
	// ErrNotReport: none of the three tables and nothing that looks like a report.
	ErrNotReport = errors.New("no report tables found")
	// ErrTableNotFound: one of the tables is missing; its keys are absent.
	ErrTableNotFound = errors.New("table not found")
	// ErrLayout: a table's rows or columns could not be told apart with
	// confidence; the keys concerned are absent rather than guessed.
	ErrLayout = errors.New("table layout not understood")
	// ErrNumeral: a value cell is not a number that fits its column.
	ErrNumeral = numeral.ErrNumeral
)

// Stage is where in the pipeline a problem was met: the stage column of
// the problems report. The stages around extraction (listing the inputs,
// reading a file, writing to a store) are named here too, so the column
// has one list of values.
type Stage string

// Stages, in pipeline order.
const (
	StageList   Stage = "list"   // expanding the input paths
	StageRead   Stage = "read"   // reading and parsing a file
	StageLocate Stage = "locate" // finding the three tables
	StageHeader Stage = "header" // a table's column or row labels
	StageRow    Stage = "row"    // identifying a row
	StageCell   Stage = "cell"   // a value cell
	StageMeta   Stage = "meta"   // agency, year, date
	StageIndex  Stage = "index"  // writing the record to a store
)

// Problem is one thing that went wrong while building a record: a table
// not found, a row not identified, a cell that is not a number. The record
// is still returned with what could be read.
type Problem struct {
	Stage  Stage  // StageLocate, StageHeader, StageRow, StageCell or StageMeta
	Table  int    // 2, 3, 4; 0 when not about a table
	Row    string // the row label as printed (or "row 12")
	Column string // the column label
	Cell   string // the cell text
	Page   int    // the PDF page the cell is printed on; 0 when not known
	Err    error  // wraps ErrNotReport, ErrTableNotFound, ErrNumeral or ErrLayout
}

// Error formats the problem with where it happened, e.g.
// table 3, row "（三）不予公开/2.其他法律行政法规禁止公开", column 自然人: cell "1,23": numeral "1,23": bad thousands grouping
func (p Problem) Error() string {
	var parts []string
	if p.Table != 0 {
		parts = append(parts, fmt.Sprintf("table %d", p.Table))
	}
	if p.Row != "" {
		parts = append(parts, fmt.Sprintf("row %q", p.Row))
	}
	if p.Column != "" {
		parts = append(parts, "column "+p.Column)
	}
	if p.Page > 0 {
		parts = append(parts, fmt.Sprintf("page %d", p.Page))
	}
	where := strings.Join(parts, ", ")
	var b strings.Builder
	if where != "" {
		b.WriteString(where)
		b.WriteString(": ")
	}
	if p.Stage == StageCell || p.Cell != "" {
		fmt.Fprintf(&b, "cell %q: ", p.Cell)
	}
	if p.Err != nil {
		b.WriteString(p.Err.Error())
	} else {
		b.WriteString("unknown problem")
	}
	return b.String()
}

// Unwrap returns the cause.
func (p Problem) Unwrap() error { return p.Err }
