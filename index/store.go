// Package index says what a store of extracted records does: the Store
// interface, its queries and results, and the errors callers test for.
// The stores themselves live in index/sqlite (the embedded file) and
// index/elastic (Elasticsearch); commands talk to Store and do not know
// which one is behind it. Exports to files are in package export.
package index

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"

	"ogi/extract"
	"ogi/region"
)

// ErrUnavailable wraps failures to reach a store at all (exit 1).
var ErrUnavailable = errors.New("store unavailable")

// Store is where records live. Both implementations key records by
// Record.ID, so putting the same record twice changes nothing, and a record
// from a newer extractor version replaces the old one.
type Store interface {
	// Put writes records. A record that could not be written for good (a
	// mapping conflict, say) comes back in the failures with its reason;
	// the others are written. The error is for failures of the whole call
	// (store gone after retries); failures then lists what was not written.
	Put(ctx context.Context, recs []extract.Record) ([]Failure, error)
	// Have reports which of the given ids are stored with the given
	// extractor version, so a run can skip them.
	Have(ctx context.Context, ids []string, extractor string) (map[string]bool, error)
	// Search runs a full-text query over agency and narrative with filters.
	Search(ctx context.Context, q Query) ([]Hit, error)
	// Sum adds up one field across the records matching q, grouped as
	// GroupKey says (one of SumGroups), or "" for one total.
	Sum(ctx context.Context, field, by string, q Query) ([]Bucket, error)
	// Scan calls fn for every stored record matching q, in export order
	// (see CompareExportOrder).
	Scan(ctx context.Context, q Query, fn func(extract.Record) error) error
	// Count returns how many records match q.
	Count(ctx context.Context, q Query) (int, error)
	Close() error
}

// Failure is one record a store did not take: which, why, and a cause to
// test with errors.Is (ErrRefused or ErrNotWritten).
type Failure struct {
	ID     string
	Path   string
	Reason string // what the store said, for people
	Cause  error  // ErrRefused or ErrNotWritten
}

// Error is the reason.
func (f Failure) Error() string { return f.Reason }

// Unwrap returns the cause.
func (f Failure) Unwrap() error { return f.Cause }

var (
	// ErrRefused: the store refused the record for good (no id, a mapping
	// conflict); sending it again does not help.
	ErrRefused = errors.New("record refused")
	// ErrNotWritten: the call failed (the store went away, the run was
	// stopped) before the record was written; a later run may write it.
	ErrNotWritten = errors.New("record not written")
	// ErrAfterWrite wraps the error of a Put whose records (those not
	// among its failures) were written, but whose bookkeeping after the
	// write failed: the new states of the reports' other files. Those
	// records count as stored (a later run finds them unchanged); the
	// other files' flags are settled when their report is next written.
	ErrAfterWrite = errors.New("records written; the update of their reports' other files failed")
)

// Query selects records. Zero fields do not filter.
type Query struct {
	Text     string // full text over agency and narrative sections
	Year     int
	Agency   string // substring of the agency name
	Template string
	// Region is a prefix of the region code ("32", "3208", "320813"):
	// region.Prefix turns a name into one.
	Region string
	Level  string // the region's level: national, province, city, county or town
	Limit  int    // 0: the store's default for Search; no limit for Scan
	// AllVersions selects every file's record; by default only the
	// current record of each report is seen (see versions.go).
	AllVersions bool
}

// SumGroups are the groupings of Sum besides one total.
var SumGroups = []string{"year", "agency", "template", "province", "city", "county", "level"}

// GroupKey is the group of r in a Sum grouped by by, "" when unknown:
// agency is the agency_id (one agency however its name was printed); city
// and county are the names from the province down (江苏省淮安市洪泽区), so two
// districts of one name in different cities stay apart.
func GroupKey(r *extract.Record, by string) string {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	g := r.Region
	if g == nil {
		g = &region.Region{}
	}
	switch by {
	case "year":
		if r.Year != nil {
			return strconv.Itoa(*r.Year)
		}
	case "agency":
		return s(r.AgencyID)
	case "template":
		return s(r.Template)
	case "province":
		return g.Province
	case "city":
		if g.City != "" {
			return g.Province + g.City
		}
	case "county":
		if g.County != "" {
			return g.Province + g.City + g.County
		}
	case "level":
		return string(g.Level)
	}
	return ""
}

// AgencyName is the canonical agency name in an agency_id
// ("320813:洪泽区人民政府" → 洪泽区人民政府).
func AgencyName(id string) string {
	if code, name, ok := strings.Cut(id, ":"); ok && code != "" && strings.Trim(code, "0123456789CN") == "" {
		return name
	}
	return id
}

// Matches reports whether r passes the filters of q other than Text: what
// every store's filters mean, in Go.
func Matches(r *extract.Record, q Query) bool {
	if q.Year != 0 && (r.Year == nil || *r.Year != q.Year) {
		return false
	}
	if q.Agency != "" && (r.Agency == nil || !strings.Contains(*r.Agency, q.Agency)) {
		return false
	}
	if q.Template != "" && (r.Template == nil || *r.Template != q.Template) {
		return false
	}
	if q.Region != "" && (r.Region == nil || !strings.HasPrefix(r.Region.Code, q.Region)) {
		return false
	}
	if q.Level != "" && (r.Region == nil || string(r.Region.Level) != q.Level) {
		return false
	}
	return true
}

// Hit is one search result.
type Hit struct {
	ID      string
	Agency  string
	Year    int // 0 when unknown
	Path    string
	Snippet string // the matched text, with the match marked 【…】
	Score   float64
}

// Bucket is one group of a Sum. Sum is an exact decimal in canonical form.
type Bucket struct {
	Key     string // "" for the single total
	Sum     extract.Number
	Reports int // reports in the group (whether or not the field was printed)
}

// ErrUnknownField is returned by Sum for a key that is neither in
// fields.tsv nor in any stored record: summing a misspelt key must not
// quietly give 0.
var ErrUnknownField = errors.New("unknown field")

// ErrNotDecimal is returned by Sum when a stored value is not a plain
// decimal (a percentage or a fraction) and so cannot be added.
var ErrNotDecimal = errors.New("value is not a decimal")

// CompareExportOrder is the order Scan, and so every export, gives
// records in: by year, then agency (by the bytes of its UTF-8 text), then
// source path, then id; a record without a year or agency comes after
// those with one. The order is stable from run to run and store to store.
func CompareExportOrder(a, b extract.Record) int {
	if c := compareMissingLast(a.Year, b.Year, cmp.Compare[int]); c != 0 {
		return c
	}
	if c := compareMissingLast(a.Agency, b.Agency, strings.Compare); c != 0 {
		return c
	}
	if c := strings.Compare(a.Source.Path, b.Source.Path); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func compareMissingLast[T any](a, b *T, f func(T, T) int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return f(*a, *b)
}
