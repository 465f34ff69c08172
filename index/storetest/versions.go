package storetest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ogi/extract"
	"ogi/index"
)

// allVersions is a store whose every query sees every file's record.
type allVersions struct{ index.Store }

func (s allVersions) Search(ctx context.Context, q index.Query) ([]index.Hit, error) {
	q.AllVersions = true
	return s.Store.Search(ctx, q)
}

func (s allVersions) Sum(ctx context.Context, field, by string, q index.Query) ([]index.Bucket, error) {
	q.AllVersions = true
	return s.Store.Sum(ctx, field, by, q)
}

func (s allVersions) Scan(ctx context.Context, q index.Query, fn func(extract.Record) error) error {
	q.AllVersions = true
	return s.Store.Scan(ctx, q, fn)
}

func (s allVersions) Count(ctx context.Context, q index.Query) (int, error) {
	q.AllVersions = true
	return s.Store.Count(ctx, q)
}

func withoutVersionChecks(cs []extract.Check) []extract.Check {
	return slices.DeleteFunc(cs, func(c extract.Check) bool { return c.Name == index.VersionsCheck })
}

// expectedCurrent applies the rules of index/versions.go to records put
// in one call, in order (later in the call is stored later).
func expectedCurrent(recs []extract.Record) map[string]bool {
	vs := make([]index.Version, len(recs))
	now := time.Now().UnixNano()
	newest := map[string]int{}
	for i := range recs {
		vs[i] = index.VersionOf(&recs[i])
		vs[i].StoredAt = now + int64(i) // as a store stamps them
	}
	for i := range vs {
		if j, ok := newest[vs[i].SourceKey]; !ok || index.Newer(&vs[i], &vs[j]) {
			newest[vs[i].SourceKey] = i
		}
	}
	best := map[string]int{}
	cur := map[string]bool{}
	for _, i := range newest {
		k := vs[i].ReportKey
		if k == "" {
			cur[vs[i].ID] = true
			continue
		}
		if j, ok := best[k]; !ok || index.Better(&vs[i], &vs[j]) {
			best[k] = i
		}
	}
	for _, i := range best {
		cur[vs[i].ID] = true
	}
	return cur
}

// checkCurrent: by default every read sees the current records only.
func checkCurrent(t *testing.T, s index.Store, recs []extract.Record) {
	ctx := context.Background()
	cur := expectedCurrent(recs)
	if n, err := s.Count(ctx, index.Query{}); err != nil || n != len(cur) {
		t.Errorf("Count() = %d, %v, want %d current records of %d", n, err, len(cur), len(recs))
	}
	if n, err := s.Count(ctx, index.Query{AllVersions: true}); err != nil || n != len(recs) {
		t.Errorf("Count(AllVersions) = %d, %v, want %d", n, err, len(recs))
	}
	var got []string
	if err := s.Scan(ctx, index.Query{}, func(r extract.Record) error {
		got = append(got, r.ID)
		return nil
	}); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	slices.Sort(got) // Scan's order is the export order, tested elsewhere
	if want := slices.Sorted(maps.Keys(cur)); !slices.Equal(got, want) {
		t.Errorf("Scan() gave %d records, want the %d current ones", len(got), len(want))
	}
	var vals []string
	for _, r := range recs {
		if n := r.Fields["requests.new.total"]; cur[r.ID] && n != nil {
			vals = append(vals, string(*n))
		}
	}
	b, err := s.Sum(ctx, "requests.new.total", "", index.Query{})
	if err != nil || len(b) != 1 || string(b[0].Sum) != SumExact(vals) || b[0].Reports != len(cur) {
		t.Errorf("Sum(requests.new.total) = %v, %v, want %s over %d reports", b, err, SumExact(vals), len(cur))
	}
	hits, err := s.Search(ctx, index.Query{Text: "公开", Limit: len(recs) + 1})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	for _, h := range hits {
		if !cur[h.ID] {
			t.Errorf("Search(公开) found %s, not a current record", h.ID)
		}
	}
}

// variant is a copy of base as another file: its own id, path, URL and
// fetch time, and fields of its own to change.
func variant(base extract.Record, name, path, url, fetched string) extract.Record {
	r := base
	r.ID = strings.Repeat("0", 64-len(name)) + name
	r.Source.SHA256 = r.ID
	r.Source.Path, r.Source.URL, r.Source.FetchedAt = path, url, fetched
	r.Source.Extra = nil
	r.Source.Format = strings.TrimPrefix(path[strings.LastIndex(path, "."):], ".")
	r.Fields = maps.Clone(base.Fields)
	r.Raw = maps.Clone(base.Raw)
	r.Sections = maps.Clone(base.Sections)
	r.Warnings = slices.Clone(base.Warnings)
	r.Checks = slices.Clone(base.Checks)
	return r
}

// RunVersions checks, on a fresh empty store, that each report is counted
// once: a page and its attachment are one report, a download of the same
// URL replaces the earlier one as current, a file of the same path without
// a URL replaces the earlier one, a version that disagrees on a number
// gives a failing versions.agree check naming both files and the key, and
// AllVersions sees every file.
func RunVersions(t *testing.T, s index.Store) {
	t.Helper()
	ctx := context.Background()
	base := Records(2)
	const site = "https://www.example.gov.cn/zwgk/2019/"
	page := variant(base[0], "a1", "crawl/2019/report.html", site+"report.html", "2025-03-01T08:00:00Z")
	page.Warnings = append(page.Warnings, "table 4: a row label was guessed")
	att := variant(base[0], "b1", "crawl/2019/report.docx", site+"report.docx", "2025-03-01T08:00:00Z")
	other := base[1]
	nokey := variant(base[1], "c1", "crawl/misc/unknown.html", "", "")
	nokey.Agency, nokey.ReportKey = nil, nil
	put := func(recs ...extract.Record) {
		t.Helper()
		if f, err := s.Put(ctx, recs); err != nil || len(f) > 0 {
			t.Fatalf("Put: failures %v, error %v", f, err)
		}
	}
	count := func(q index.Query) int {
		t.Helper()
		n, err := s.Count(ctx, q)
		if err != nil {
			t.Fatalf("Count(%+v): %v", q, err)
		}
		return n
	}
	scan := func(q index.Query) map[string]extract.Record {
		t.Helper()
		out := map[string]extract.Record{}
		if err := s.Scan(ctx, q, func(r extract.Record) error {
			out[r.ID] = r
			return nil
		}); err != nil {
			t.Fatalf("Scan: %v", err)
		}
		return out
	}
	versionChecks := func(r extract.Record) []extract.Check {
		var out []extract.Check
		for _, c := range r.Checks {
			if c.Name == index.VersionsCheck {
				out = append(out, c)
			}
		}
		return out
	}
	expect := func(step string, reports, files int, current ...string) {
		t.Helper()
		if n := count(index.Query{}); n != reports {
			t.Errorf("%s: Count() = %d reports, want %d", step, n, reports)
		}
		if n := count(index.Query{AllVersions: true}); n != files {
			t.Errorf("%s: Count(AllVersions) = %d files, want %d", step, n, files)
		}
		got := scan(index.Query{})
		for _, id := range current {
			if _, ok := got[id]; !ok {
				t.Errorf("%s: %s is not among the current records %v", step, id, slices.Sorted(maps.Keys(got)))
			}
		}
		b, err := s.Sum(ctx, "requests.new.total", "year", index.Query{})
		total := 0
		for _, x := range b {
			total += x.Reports
		}
		if err != nil || total != reports {
			t.Errorf("%s: Sum by year counts %d reports (%v), want %d", step, total, err, reports)
		}
	}

	// A page and its attachment: one report. The attachment has fewer
	// problems, so it is the current record; they agree.
	put(page, att, other, nokey)
	expect("page and attachment", 3, 4, att.ID, other.ID, nokey.ID)
	all := scan(index.Query{AllVersions: true})
	for _, id := range []string{page.ID, att.ID} {
		vc := versionChecks(all[id])
		if len(vc) != 1 || !vc[0].OK {
			t.Errorf("page and attachment: %s has versions checks %+v, want one passing", all[id].Source.Path, vc)
		}
	}
	if vc := versionChecks(all[other.ID]); len(vc) != 0 {
		t.Errorf("a report of one file has versions checks %+v", vc)
	}

	// The page downloaded again with one byte changed, from the same URL:
	// it replaces the first download, and being newer and as complete as
	// the attachment it becomes the current record.
	redl := variant(page, "a2", page.Source.Path, page.Source.URL, "2025-03-02T08:00:00Z")
	redl.Warnings = slices.Clone(att.Warnings)
	redl.Sections["overview"] += "。"
	put(redl)
	expect("re-download", 3, 5, redl.ID)
	if _, ok := scan(index.Query{})[page.ID]; ok {
		t.Errorf("re-download: the first download is still current")
	}
	hits, err := s.Search(ctx, index.Query{Text: *page.Agency, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, h := range hits {
		if h.ID == page.ID || h.ID == att.ID || h.ID == redl.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("re-download: Search(%s) found %d files of the report, want 1", *page.Agency, n)
	}

	// A version that disagrees on a number (and misses a key, so it is not
	// the most complete): both it and the current record fail
	// versions.agree, naming both files and the key.
	bad := variant(att, "b2", "crawl/2019/report-v2.docx", site+"report-v2.docx", "2025-03-03T08:00:00Z")
	key := "requests.new.total"
	changed := extract.Number("99999")
	bad.Fields[key] = &changed
	for _, k := range slices.Sorted(maps.Keys(bad.Fields)) {
		if k != key {
			delete(bad.Fields, k)
			break
		}
	}
	put(bad)
	expect("disagreeing version", 3, 6, redl.ID)
	all = scan(index.Query{AllVersions: true})
	for _, id := range []string{redl.ID, bad.ID} {
		failing := 0
		for _, c := range versionChecks(all[id]) {
			if !c.OK {
				failing++
				for _, want := range []string{redl.Source.Path, bad.Source.Path, key, "99999"} {
					if !strings.Contains(c.Detail, want) {
						t.Errorf("disagreeing version: check of %s %q does not name %s", all[id].Source.Path, c.Detail, want)
					}
				}
			}
		}
		if failing != 1 {
			t.Errorf("disagreeing version: %s has %d failing versions checks, want 1: %+v", all[id].Source.Path, failing, versionChecks(all[id]))
		}
	}
	if vc := versionChecks(all[att.ID]); len(vc) != 1 || !vc[0].OK {
		t.Errorf("disagreeing version: the attachment, which agrees, has versions checks %+v", vc)
	}

	// Without a URL, the same path is the same source.
	nokey2 := variant(nokey, "c2", nokey.Source.Path, "", "")
	nokey2.Sections["overview"] += "。"
	put(nokey2)
	expect("same path", 3, 7, nokey2.ID)
	if _, ok := scan(index.Query{})[nokey.ID]; ok {
		t.Errorf("same path: the earlier file is still current")
	}

	// A record put again with another report key (a newer extractor read
	// another agency) leaves its report, which is settled without it, and
	// comes back.
	moved := variant(att, "b1", att.Source.Path, att.Source.URL, att.Source.FetchedAt)
	moved.Extractor = "another extractor"
	moved.ReportKey = Ptr("某某县人民政府办公室/2019")
	put(moved)
	expect("moved to another report", 4, 7, moved.ID, redl.ID)
	if vc := versionChecks(scan(index.Query{})[moved.ID]); len(vc) != 0 {
		t.Errorf("moved to another report: alone in its report, it has versions checks %+v", vc)
	}
	put(att)
	expect("moved back", 3, 7, redl.ID, other.ID, nokey2.ID)

	// Putting everything again, checks included as an export gives them,
	// changes nothing.
	var again []extract.Record
	for _, r := range scan(index.Query{AllVersions: true}) {
		again = append(again, r)
	}
	slices.SortFunc(again, func(a, b extract.Record) int { return strings.Compare(a.ID, b.ID) })
	put(again...)
	expect("put again", 3, 7, redl.ID, other.ID, nokey2.ID)
	after := scan(index.Query{AllVersions: true})
	for _, r := range again {
		if !slices.Equal(after[r.ID].Checks, r.Checks) {
			t.Errorf("put again: checks of %s changed:\n got %+v\nwant %+v", r.Source.Path, after[r.ID].Checks, r.Checks)
		}
	}
}
