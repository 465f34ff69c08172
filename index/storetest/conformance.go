// Store conformance: the behaviour every Store implementation shares.
//
// Call Run with a fresh, empty store and a few dozen varied
// records (Records or TextRecords): TestSQLiteConformance does it for
// the SQLite store; the Elasticsearch integration test calls it the same way
// for Elasticsearch. Besides the comments in index/store.go it holds stores to:
//   - records are visible to every read as soon as Put returns;
//   - Put of the same records again changes nothing;
//   - Search with a Limit above the number of matches returns exactly the
//     records whose agency or section text contains the query as a
//     substring, for Chinese words of two characters or more, and marks the
//     match 【…】 in the snippet;
//   - Sum groups records whose group value is unknown under Key "", returns
//     buckets sorted by Key, counts in Reports every matching record whether
//     or not it has the field, and adds exactly;
//   - Scan gives back records deeply equal to those put, in export order
//     (besides the versions.agree checks the store adds);
//   - every read sees only the current record of each report unless
//     Query.AllVersions is set (the checks above run with it set; the
//     Versions subtest and RunVersions check the default).

package storetest

import (
	"context"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"ogi/extract"
	"ogi/index"
)

// Run checks the behaviour every Store shares (see the file comment) on s,
// which must be fresh and empty, with recs put into it.
func Run(t *testing.T, store index.Store, recs []extract.Record) {
	t.Helper()
	ctx := context.Background()
	if len(recs) < 10 {
		t.Fatalf("conformance needs at least 10 records, got %d", len(recs))
	}
	for _, pass := range []string{"first", "second"} {
		f, err := store.Put(ctx, recs)
		if err != nil || len(f) > 0 {
			t.Fatalf("%s Put: failures %v, error %v", pass, f, err)
		}
	}
	t.Run("Versions", func(t *testing.T) { checkCurrent(t, store, recs) })
	s := allVersions{store}

	contains := func(r extract.Record, word string) bool {
		if r.Agency != nil && strings.Contains(*r.Agency, word) {
			return true
		}
		for _, v := range r.Sections {
			if strings.Contains(v, word) {
				return true
			}
		}
		return false
	}
	match := func(r extract.Record, q index.Query) bool {
		return index.Matches(&r, q) && (q.Text == "" || contains(r, q.Text))
	}
	var year int
	var agency, template string
	for _, r := range recs {
		if r.Year != nil && r.Agency != nil && r.Template != nil {
			year, agency, template = *r.Year, *r.Agency, *r.Template
			break
		}
	}
	if agency == "" {
		t.Fatal("conformance needs records with agency, year and template")
	}
	agencyPart := string([]rune(agency)[:min(4, len([]rune(agency)))])
	// Region filters, where the records have regions (Records and
	// TextRecords do).
	var regionQueries []index.Query
	for _, r := range recs {
		if r.Region != nil && len(r.Region.Code) >= 6 {
			c := r.Region.Code
			regionQueries = append(regionQueries, index.Query{Region: c[:2]}, index.Query{Region: c[:4], Level: string(r.Region.Level)}, index.Query{Region: c})
			break
		}
	}
	for _, r := range recs {
		if r.Region != nil && r.Region.Level == "national" {
			regionQueries = append(regionQueries, index.Query{Level: "national"})
			break
		}
	}

	t.Run("Count", func(t *testing.T) {
		queries := []index.Query{{}, {Year: year}, {Agency: agencyPart}, {Template: template}, {Year: year, Template: template}, {Year: 1900}}
		queries = append(queries, regionQueries...)
		for _, q := range queries {
			want := 0
			for _, r := range recs {
				if match(r, q) {
					want++
				}
			}
			if q.Region != "" && want == 0 {
				t.Errorf("no test record matches %+v: the region check checks nothing", q)
			}
			got, err := s.Count(ctx, q)
			if err != nil || got != want {
				t.Errorf("Count(%+v) = %d, %v, want %d", q, got, err, want)
			}
		}
	})

	t.Run("Have", func(t *testing.T) {
		var ids []string
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		ids = append(ids, "0000-not-stored")
		have, err := s.Have(ctx, ids, recs[0].Extractor)
		if err != nil {
			t.Fatalf("Have: %v", err)
		}
		for _, r := range recs {
			if have[r.ID] != (r.Extractor == recs[0].Extractor) {
				t.Errorf("Have[%s] = %v with extractor %q", r.ID, have[r.ID], r.Extractor)
			}
		}
		if have["0000-not-stored"] {
			t.Errorf("Have reports an id never stored")
		}
		have, err = s.Have(ctx, ids[:3], "another extractor")
		if err != nil || have[ids[0]] || have[ids[1]] {
			t.Errorf("Have(other extractor) = %v, %v, want all false", have, err)
		}
	})

	t.Run("Search", func(t *testing.T) {
		word := ""
		for _, w := range []string{"复议", "公开", "诉讼", "审查", "政府"} {
			n := 0
			for _, r := range recs {
				if contains(r, w) {
					n++
				}
			}
			if n > 0 && (word == "" || n < len(recs)) {
				word = w
				if n < len(recs) {
					break
				}
			}
		}
		if word == "" {
			t.Fatal("records hold none of the two-character test words")
		}
		queries := []index.Query{
			{Text: agency},
			{Text: word},
			{Text: word, Year: year},
			{Text: word, Template: template},
			{Text: word, Agency: agencyPart},
		}
		for _, rq := range regionQueries {
			rq.Text = word
			queries = append(queries, rq)
		}
		for _, q := range queries {
			q.Limit = len(recs) + 1
			var want []string
			for _, r := range recs {
				if match(r, q) {
					want = append(want, r.ID)
				}
			}
			hits, err := s.Search(ctx, q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", q, err)
			}
			var got []string
			for i, h := range hits {
				got = append(got, h.ID)
				if i > 0 && h.Score > hits[i-1].Score {
					t.Errorf("Search(%q) hit %d scores %v above hit %d (%v)", q.Text, i, h.Score, i-1, hits[i-1].Score)
				}
				if !strings.Contains(h.Snippet, "【") || !strings.Contains(h.Snippet, "】") {
					t.Errorf("Search(%q) hit %s snippet %q has no 【…】 mark", q.Text, h.ID, h.Snippet)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Search(%+v) found %d records, want %d\n got %v\nwant %v", q, len(got), len(want), got, want)
			}
		}
		hits, err := s.Search(ctx, index.Query{Text: word, Limit: 2})
		if err != nil || len(hits) > 2 {
			t.Errorf("Search(%q, Limit 2) = %d hits, %v", word, len(hits), err)
		}
		for _, h := range hits {
			if !strings.Contains(h.Snippet, "【"+word+"】") {
				t.Errorf("Search(%q) snippet %q does not mark the word", word, h.Snippet)
			}
		}
	})

	t.Run("Sum", func(t *testing.T) {
		fields := []string{"requests.new.total", "active.fees.amount", "active.licensing.items_change"}
		groupKey := func(r extract.Record, by string) string { return index.GroupKey(&r, by) }
		queries := []index.Query{{}, {Template: template}}
		if len(regionQueries) > 0 {
			queries = append(queries, regionQueries[0])
		}
		for _, field := range fields {
			for _, by := range append([]string{""}, index.SumGroups...) {
				for _, q := range queries {
					vals := map[string][]string{}
					reports := map[string]int{}
					for _, r := range recs {
						if !match(r, q) {
							continue
						}
						k := groupKey(r, by)
						reports[k]++
						if n := r.Fields[field]; n != nil {
							vals[k] = append(vals[k], string(*n))
						}
					}
					var want []index.Bucket
					for k, n := range reports {
						want = append(want, index.Bucket{Key: k, Sum: extract.Number(SumExact(vals[k])), Reports: n})
					}
					slices.SortFunc(want, func(a, b index.Bucket) int { return strings.Compare(a.Key, b.Key) })
					got, err := s.Sum(ctx, field, by, q)
					if err != nil {
						t.Fatalf("Sum(%s, %q, %+v): %v", field, by, q, err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("Sum(%s, %q, %+v) =\n %v\nwant\n %v", field, by, q, got, want)
					}
				}
			}
		}
	})

	t.Run("Scan", func(t *testing.T) {
		want := slices.Clone(recs)
		slices.SortFunc(want, index.CompareExportOrder)
		var got []extract.Record
		if err := s.Scan(ctx, index.Query{}, func(r extract.Record) error {
			got = append(got, r)
			return nil
		}); err != nil {
			t.Fatalf("Scan: %v", err)
		}
		if len(got) != len(want) {
			t.Fatalf("Scan gave %d records, want %d", len(got), len(want))
		}
		for i := range want {
			got[i].Checks = withoutVersionChecks(got[i].Checks)
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("Scan record %d (%s) differs from the record put\n got %+v\nwant %+v", i, want[i].ID, got[i], want[i])
			}
		}
		n := 0
		if err := s.Scan(ctx, index.Query{Year: year, Limit: 2}, func(r extract.Record) error {
			if r.Year == nil || *r.Year != year {
				t.Errorf("Scan(year %d) gave record %s of year %v", year, r.ID, r.Year)
			}
			n++
			return nil
		}); err != nil || n == 0 || n > 2 {
			t.Errorf("Scan(year %d, Limit 2) gave %d records, %v", year, n, err)
		}
	})
}

// SumExact adds canonical decimals with big.Rat, independently of the
// stores' own exact sums, to give the expected Sum.
func SumExact(vals []string) string {
	total := new(big.Rat)
	for _, v := range vals {
		r, ok := new(big.Rat).SetString(v)
		if !ok {
			panic("bad decimal " + v)
		}
		total.Add(total, r)
	}
	s := total.FloatString(10)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		s = "0"
	}
	return s
}
