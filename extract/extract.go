// Package extract turns a parsed report into a record: it finds the three
// statistical tables of the national template by their content, matches
// their rows and columns by label, reads every value cell as an exact
// number, checks the tables' identities, and reads the agency, year,
// publication date and narrative sections. It never corrects a number:
// what it cannot read with confidence becomes a Problem, and what it
// inferred rather than read becomes a warning.
package extract

import (
	"fmt"

	"ogi/numeral"
	"ogi/parser"
)

// Extract builds the record of one parsed document. It fills everything
// except ID and Source (the caller sets those from the file's bytes) and
// sets Extractor = Version. Problems are what went wrong on the way (a
// table not found, a cell that is not a number); the record is still
// returned with what could be read.
func Extract(doc *parser.Document) (*Record, []Problem) {
	return ExtractWith(doc, Options{})
}

// Options tells the extractor what is known about a document from outside it.
type Options struct {
	// URL is where the document was fetched from (a crawl manifest's url):
	// its host helps place an agency whose name is ambiguous.
	URL string
}

// ExtractWith is Extract with what is known about the document from
// outside it.
func ExtractWith(doc *parser.Document, opts Options) (*Record, []Problem) {
	e := &extractor{opts: opts, rec: &Record{
		Fields:    make(map[string]*Number, fieldsPerRecord),
		Raw:       make(map[string]string, fieldsPerRecord),
		Checks:    make([]Check, 0, 48),
		Warnings:  []string{},
		Sections:  map[string]string{},
		Extractor: Version,
	}, slots: make([]slotValue, len(checkSlots))}
	if doc == nil {
		e.problem(Problem{Stage: StageLocate, Err: ErrNotReport})
		return e.rec, e.probs
	}
	// What the reader inferred (a PDF table rebuilt from text alignment)
	// is inferred for the record too.
	e.rec.Warnings = append(e.rec.Warnings, doc.Warnings...)
	items := flatten(doc)
	loc := locate(items)

	if loc.t3Joined {
		e.warn("table 3 printed in two pieces (a page break); joined")
	}
	if loc.t4Joined {
		e.warn("table 4 printed in two pieces (a page break); joined")
	}
	if loc.extraT3T4 > 0 {
		e.warn("%d further tables like table 3 or 4 ignored; the first of each was read", loc.extraT3T4)
	}
	t2 := e.table2(loc.t2)
	t3 := e.table3(loc.t3)
	t4 := e.table4(loc.t4)
	e.meta(doc, items)

	found := loc.t2 != nil || loc.t3 != nil || loc.t4 != nil
	if !found {
		if e.looksLikeReport(items, doc) {
			for _, n := range []int{2, 3, 4} {
				e.problem(Problem{Stage: StageLocate, Table: n, Err: ErrTableNotFound})
			}
			e.warn("no statistical table found; fields are absent")
		} else {
			e.problem(Problem{Stage: StageLocate, Err: ErrNotReport})
		}
	} else {
		for _, x := range []struct {
			n     int
			found bool
		}{{2, loc.t2 != nil}, {3, loc.t3 != nil}, {4, loc.t4 != nil}} {
			if !x.found {
				e.problem(Problem{Stage: StageLocate, Table: x.n, Err: ErrTableNotFound})
				e.warn("table %d not found; its keys are absent", x.n)
			}
		}
	}

	// The template follows table 2; without it, table 3 decides.
	switch {
	case t2 != "":
		tpl := t2
		e.rec.Template = &tpl
	case t3 != "":
		tpl := t3
		e.rec.Template = &tpl
		e.warn("template taken from table 3 (table 2 not read)")
	}

	e.checks(t3, t4)
	e.proseChecks()
	e.rec.ReportKey = ReportKey(e.rec)
	return e.rec, e.probs
}

// fieldsPerRecord is about how many value cells a record reads.
const fieldsPerRecord = 200

// extractor carries one record being built and the problems met.
type extractor struct {
	opts  Options
	rec   *Record
	probs []Problem
	nums  []Number // backing store of the record's numbers
	// slots mirrors rec.Fields for the keys the identities read, by
	// their number in checkSlots.
	slots []slotValue
}

// slotValue is one field of extractor.slots.
type slotValue struct {
	v  *Number
	ok bool // the key is in rec.Fields
}

// number returns a pointer to a copy of n, allocated in chunks.
func (e *extractor) number(n Number) *Number {
	if len(e.nums) == cap(e.nums) {
		e.nums = make([]Number, 0, 64)
	}
	e.nums = append(e.nums, n)
	return &e.nums[len(e.nums)-1]
}

func (e *extractor) warn(format string, args ...any) {
	e.rec.Warnings = append(e.rec.Warnings, fmt.Sprintf(format, args...))
}

func (e *extractor) problem(p Problem) { e.probs = append(e.probs, p) }

// set reads one value cell into key. A cell that is not a number leaves
// the key absent from Fields, keeps its text in Raw and becomes a Problem.
// slot is the key's number in checkSlots, -1 for a key no identity reads.
func (e *extractor) set(key string, slot int, c *parser.Cell, u colUnit, table int, row, col string) {
	text := c.Text
	e.rec.Raw[key] = cleanRaw(text)
	if u != unitYuan {
		if d, ok := plainDigits(text); ok {
			// What readCell gives a plain Arabic integer, without the
			// general parser.
			v := e.number(Number(numeral.TrimLeadingZeros(d)))
			e.rec.Fields[key] = v
			if slot >= 0 {
				e.slots[slot] = slotValue{v, true}
			}
			return
		}
	}
	res := readCell(text, u)
	note := ""
	if res.Err != nil {
		if r, n, ok := readNoted(text, u); ok {
			res, note = r, n
		}
	}
	if res.Err != nil {
		e.problem(Problem{Stage: StageCell, Table: table, Row: row, Column: col, Cell: cleanRaw(text), Page: c.Page, Err: res.Err})
		return
	}
	e.rec.Fields[key] = res.Value
	if slot >= 0 {
		e.slots[slot] = slotValue{res.Value, true}
	}
	if note != "" {
		e.warn("table %d, row %q, column %s: cell %q read as %s; the note %q after the number ignored", table, row, col, cleanRaw(text), *res.Value, cleanRaw(note))
	}
	if res.Lenient {
		v := "blank"
		if res.Value != nil {
			v = string(*res.Value)
		}
		e.warn("table %d, row %q, column %s: cell %q read leniently as %s", table, row, col, cleanRaw(text), v)
	}
}
