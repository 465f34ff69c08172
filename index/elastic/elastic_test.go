package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ogi/extract"
	"ogi/index"
	"ogi/index/storetest"
)

// testURL is the node the integration tests use: ELASTICSEARCH_URL, as
// scripts/elasticsearch.sh start prints it.
func testURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("ELASTICSEARCH_URL")
	if u == "" {
		msg := "ELASTICSEARCH_URL not set: Elasticsearch integration tests SKIPPED; run make test or scripts/elasticsearch.sh start"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

var testSeq atomic.Int64

// testAlias is an alias no other test uses.
func testAlias(t testing.TB) string {
	name := strings.ToLower(t.Name())
	name = regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(name, "-")
	return fmt.Sprintf("ogi-test-%s-%d-%d", strings.Trim(name, "-"), os.Getpid(), testSeq.Add(1))
}

// openTestES opens a store on a fresh alias and drops it when the test ends.
func openTestES(t testing.TB, cfg Config) *Store {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = testURL(t)
	}
	if cfg.Alias == "" {
		cfg.Alias = testAlias(t)
	}
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	ctx := context.Background()
	es, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open(%s): %v", cfg.URL, err)
	}
	t.Cleanup(func() {
		// Drop through the real node even when es went through a proxy.
		direct := es
		if u := os.Getenv("ELASTICSEARCH_URL"); u != "" && u != cfg.URL {
			if d, err := Open(ctx, Config{URL: u, Alias: cfg.Alias}); err == nil {
				direct = d
				defer d.Close()
			}
		}
		if err := direct.drop(ctx); err != nil {
			t.Errorf("drop %s: %v", cfg.Alias, err)
		}
		es.Close()
	})
	return es
}

func putAll(t testing.TB, es *Store, recs []extract.Record) {
	t.Helper()
	ctx := context.Background()
	failures, err := es.Put(ctx, recs)
	if err != nil {
		t.Fatalf("Put: %v (failures %v)", err, failures)
	}
	if len(failures) > 0 {
		t.Fatalf("Put: %d failures, first %+v", len(failures), failures[0])
	}
	if err := es.Refresh(ctx); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
}

func countAll(t testing.TB, es *Store, q index.Query) int {
	t.Helper()
	n, err := es.Count(context.Background(), q)
	if err != nil {
		t.Fatalf("Count(%+v): %v", q, err)
	}
	return n
}

func scanAll(t testing.TB, es *Store, q index.Query) []extract.Record {
	t.Helper()
	var out []extract.Record
	if err := es.Scan(context.Background(), q, func(r extract.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatalf("Scan(%+v): %v", q, err)
	}
	return out
}

func TestESIndexRoundTrip(t *testing.T) {
	es := openTestES(t, Config{})
	ctx := context.Background()
	recs := storetest.Records(620) // more than one Scan page
	// Copies of the same report in one call are stored once.
	withDups := append(append([]extract.Record{}, recs...), recs[3], recs[10], recs[3])
	putAll(t, es, withDups)

	if got := countAll(t, es, index.Query{AllVersions: true}); got != len(recs) {
		t.Fatalf("Count() = %d, want %d distinct ids", got, len(recs))
	}
	var before struct {
		Version int `json:"_version"`
		SeqNo   int `json:"_seq_no"`
	}
	if err := es.call(ctx, http.MethodGet, "/"+es.index+"/_doc/"+recs[3].ID, nil, &before); err != nil {
		t.Fatal(err)
	}

	// Putting the same records again replaces them; nothing is added.
	putAll(t, es, recs[:50])
	if got := countAll(t, es, index.Query{AllVersions: true}); got != len(recs) {
		t.Fatalf("Count() after re-Put = %d, want %d", got, len(recs))
	}
	var stats struct {
		All struct {
			Primaries struct {
				Docs struct {
					Count int `json:"count"`
				} `json:"docs"`
			} `json:"primaries"`
		} `json:"_all"`
	}
	if err := es.call(ctx, http.MethodGet, "/"+es.index+"/_stats/docs", nil, &stats); err != nil {
		t.Fatal(err)
	}
	if got := stats.All.Primaries.Docs.Count; got != len(recs) {
		t.Errorf("index stats docs.count = %d, want %d", got, len(recs))
	}
	var after struct {
		Version int `json:"_version"`
		SeqNo   int `json:"_seq_no"`
	}
	if err := es.call(ctx, http.MethodGet, "/"+es.index+"/_doc/"+recs[3].ID, nil, &after); err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version+1 || after.SeqNo <= before.SeqNo {
		t.Errorf("re-Put of %s: _version %d→%d, _seq_no %d→%d; want one replacement of the same document",
			recs[3].ID, before.Version, after.Version, before.SeqNo, after.SeqNo)
	}

	got := scanAll(t, es, index.Query{AllVersions: true})
	want := append([]extract.Record{}, recs...)
	slices.SortFunc(want, index.CompareExportOrder)
	if len(got) != len(want) {
		t.Fatalf("Scan() gave %d records, want %d", len(got), len(want))
	}
	for i := range want {
		got[i].Checks = slices.DeleteFunc(got[i].Checks, func(c extract.Check) bool { return c.Name == index.VersionsCheck })
		if !reflect.DeepEqual(got[i], want[i]) {
			gj, _ := json.Marshal(got[i])
			wj, _ := json.Marshal(want[i])
			t.Fatalf("Scan() record %d differs from the one written:\n got %s\nwant %s", i, gj, wj)
		}
	}
	// Spot checks of what DeepEqual covers, so a failure reads plainly.
	decimalSeen := false
	for _, r := range got {
		if v := r.Fields["active.fees.amount"]; v != nil && *v == "7730.28" {
			decimalSeen = true
		}
	}
	if !decimalSeen {
		t.Error("no record read back with active.fees.amount = 7730.28")
	}

	if got := scanAll(t, es, index.Query{AllVersions: true, Limit: 7}); len(got) != 7 {
		t.Errorf("Scan(Limit 7) gave %d records", len(got))
	}
	sub := scanAll(t, es, index.Query{AllVersions: true, Year: 2022, Agency: "教育局"})
	n := 0
	for _, r := range recs {
		if r.Year != nil && *r.Year == 2022 && r.Agency != nil && strings.Contains(*r.Agency, "教育局") {
			n++
		}
	}
	if len(sub) != n || n == 0 {
		t.Errorf("Scan(year 2022, agency 教育局) gave %d records, want %d", len(sub), n)
	}
}

func TestESSearch(t *testing.T) {
	es := openTestES(t, Config{})
	ctx := context.Background()
	recs := storetest.Records(60)
	putAll(t, es, recs)

	const agency = "额敏县额玛勒郭楞蒙古民族乡人民政府"
	hits, err := es.Search(ctx, index.Query{AllVersions: true, Text: "额玛勒郭楞"})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range recs {
		if r.Agency != nil && *r.Agency == agency {
			want++
		}
	}
	if len(hits) != min(want, defaultLimit) {
		t.Fatalf("Search(额玛勒郭楞) gave %d hits, want %d", len(hits), min(want, defaultLimit))
	}
	byID := map[string]extract.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, h := range hits {
		r := byID[h.ID]
		wantYear := 0
		if r.Year != nil {
			wantYear = *r.Year
		}
		if h.Agency != agency || h.Year != wantYear || h.Path != r.Source.Path || h.Score <= 0 {
			t.Errorf("hit %+v: want agency %s, year %d, path %s and a score", h, agency, wantYear, r.Source.Path)
		}
		if !strings.Contains(h.Snippet, "【") || !strings.Contains(h.Snippet, "】") || !strings.Contains(h.Snippet, "额") {
			t.Errorf("hit %s snippet %q: want the match marked 【…】", h.ID, h.Snippet)
		}
	}

	// Two words, both required, one from a section only some records have.
	hits, err = es.Search(ctx, index.Query{AllVersions: true, Text: "行政复议 信息处理费", Year: 2023, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want = 0
	for _, r := range recs {
		if r.Year != nil && *r.Year == 2023 && strings.Contains(r.Sections["other"], "行政复议") {
			want++
		}
	}
	if len(hits) != want || want == 0 {
		t.Errorf("Search(行政复议 信息处理费, 2023) gave %d hits, want %d", len(hits), want)
	}
	for _, h := range hits {
		if !strings.Contains(h.Snippet, "【") {
			t.Errorf("hit %s: snippet %q has no marked match", h.ID, h.Snippet)
		}
	}

	// A word in no report.
	hits, err = es.Search(ctx, index.Query{AllVersions: true, Text: "量子计算"})
	if err != nil || len(hits) != 0 {
		t.Errorf("Search(量子计算) = %d hits, %v; want none", len(hits), err)
	}

	// No text: every match, by agency then year.
	hits, err = es.Search(ctx, index.Query{AllVersions: true, Template: "2019", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	want = 0
	for _, r := range recs {
		if r.Template != nil && *r.Template == "2019" {
			want++
		}
	}
	if len(hits) != want {
		t.Errorf("Search(template 2019) gave %d hits, want %d", len(hits), want)
	}
	if !sort.SliceIsSorted(hits, func(i, j int) bool {
		// Unknown agency and year (empty, 0) sort last.
		a, b := hits[i], hits[j]
		if a.Agency != b.Agency {
			return b.Agency == "" || (a.Agency != "" && a.Agency < b.Agency)
		}
		return a.Year != b.Year && (b.Year == 0 || (a.Year != 0 && a.Year < b.Year))
	}) {
		t.Errorf("Search without text not sorted by agency and year")
	}
	if hits, _ := es.Search(ctx, index.Query{AllVersions: true}); len(hits) != defaultLimit {
		t.Errorf("Search({}) gave %d hits, want the default limit %d", len(hits), defaultLimit)
	}
}

// testSum adds up a field over records in exact decimals, grouped by key.
func testSum(recs []extract.Record, field string, key func(extract.Record) (string, bool)) map[string][2]string {
	sums := map[string]*big.Rat{}
	counts := map[string]int{}
	for _, r := range recs {
		k, ok := key(r)
		if !ok {
			continue
		}
		if sums[k] == nil {
			sums[k] = new(big.Rat)
		}
		counts[k]++
		if v := r.Fields[field]; v != nil {
			x, ok := new(big.Rat).SetString(string(*v))
			if !ok {
				panic("bad test number " + string(*v))
			}
			sums[k].Add(sums[k], x)
		}
	}
	out := map[string][2]string{}
	for k, s := range sums {
		d := strings.TrimRight(strings.TrimRight(s.FloatString(moneyDecimals), "0"), ".")
		if d == "" || d == "-" {
			d = "0"
		}
		out[k] = [2]string{d, fmt.Sprint(counts[k])}
	}
	return out
}

func TestESSum(t *testing.T) {
	es := openTestES(t, Config{})
	ctx := context.Background()
	recs := storetest.Records(200)
	putAll(t, es, recs)

	// Records whose group is unknown go under "" (index.GroupKey).
	groups := map[string]func(extract.Record) (string, bool){
		"": func(extract.Record) (string, bool) { return "", true },
	}
	for _, by := range index.SumGroups {
		groups[by] = func(r extract.Record) (string, bool) { return index.GroupKey(&r, by), true }
	}
	for _, field := range []string{"active.fees.amount", "requests.new.total", "active.procurement.amount", "active.fees.items_change", "review.total"} {
		for by, key := range groups {
			t.Run(field+"/"+by, func(t *testing.T) {
				got, err := es.Sum(ctx, field, by, index.Query{AllVersions: true})
				if err != nil {
					t.Fatal(err)
				}
				want := testSum(recs, field, key)
				if len(got) != len(want) {
					t.Fatalf("Sum(%s, %q) gave %d buckets, want %d", field, by, len(got), len(want))
				}
				for i, b := range got {
					w, ok := want[b.Key]
					if !ok {
						t.Errorf("Sum(%s, %q): unexpected bucket %q", field, by, b.Key)
						continue
					}
					if string(b.Sum) != w[0] || fmt.Sprint(b.Reports) != w[1] {
						t.Errorf("Sum(%s, %q)[%q] = %s over %d reports, want %s over %s", field, by, b.Key, b.Sum, b.Reports, w[0], w[1])
					}
					if i > 0 && got[i-1].Key >= b.Key {
						t.Errorf("Sum(%s, %q): buckets not in key order: %q before %q", field, by, got[i-1].Key, b.Key)
					}
				}
			})
		}
	}

	// Groups come in pages; none is lost between pages.
	defer func(n int) { aggSize = n }(aggSize)
	aggSize = 2
	for _, by := range []string{"agency", "county"} {
		paged, err := es.Sum(ctx, "requests.new.total", by, index.Query{AllVersions: true})
		if err != nil {
			t.Fatal(err)
		}
		want0 := testSum(recs, "requests.new.total", groups[by])
		if len(paged) != len(want0) {
			t.Errorf("Sum by %s in pages of 2 gave %d buckets, want %d", by, len(paged), len(want0))
		}
		for _, b := range paged {
			if w := want0[b.Key]; string(b.Sum) != w[0] || fmt.Sprint(b.Reports) != w[1] {
				t.Errorf("paged Sum by %s[%q] = %s over %d, want %s over %s", by, b.Key, b.Sum, b.Reports, w[0], w[1])
			}
		}
	}
	aggSize = 1000

	// Filters apply to sums.
	got, err := es.Sum(ctx, "active.fees.amount", "", index.Query{AllVersions: true, Year: 2023, Agency: "人民政府"})
	if err != nil {
		t.Fatal(err)
	}
	want := testSum(recs, "active.fees.amount", func(r extract.Record) (string, bool) {
		return "", r.Year != nil && *r.Year == 2023 && r.Agency != nil && strings.Contains(*r.Agency, "人民政府")
	})
	if len(got) != 1 || string(got[0].Sum) != want[""][0] || fmt.Sprint(got[0].Reports) != want[""][1] {
		t.Errorf("Sum(active.fees.amount, 2023, 人民政府) = %+v, want %v", got, want[""])
	}

	if _, err := es.Sum(ctx, "requests.new.nobody", "", index.Query{AllVersions: true}); !errors.Is(err, index.ErrUnknownField) {
		t.Errorf("Sum(unknown field) error = %v, want unknown field", err)
	}
	if _, err := es.Sum(ctx, "review.total", "month", index.Query{AllVersions: true}); err == nil {
		t.Error("Sum(by month) gave no error")
	}
}

func TestESHave(t *testing.T) {
	es := openTestES(t, Config{})
	ctx := context.Background()
	recs := storetest.Records(30)
	old := recs[:5]
	for i := range old {
		old[i].Extractor = "ogi 0.0.9"
	}
	putAll(t, es, recs)

	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	// Thousands of ids, most unknown, cross the batch size.
	for i := 0; i < 2500; i++ {
		ids = append(ids, fmt.Sprintf("%064x", i))
	}
	have, err := es.Have(ctx, ids, extract.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(have) != 25 {
		t.Errorf("Have(%s) found %d ids, want 25", extract.Version, len(have))
	}
	for i, r := range recs {
		if have[r.ID] != (i >= 5) {
			t.Errorf("Have(%s)[%s] = %v, want %v", extract.Version, r.ID, have[r.ID], i >= 5)
		}
	}
	have, err = es.Have(ctx, ids, "ogi 0.0.9")
	if err != nil || len(have) != 5 {
		t.Errorf("Have(ogi 0.0.9) = %d ids, %v; want 5", len(have), err)
	}
}

func TestESRejectedRecords(t *testing.T) {
	es := openTestES(t, Config{})
	ctx := context.Background()
	recs := storetest.Records(20)
	bad := []int{2, 9, 15}
	recs[2].Published = storetest.Ptr("2025-13-45")
	frac := extract.Number("1.5")
	recs[9].Fields["requests.new.total"] = &frac // a count with a fraction is refused, not truncated
	huge := extract.Number("99999999999999999999")
	recs[15].Fields["review.total"] = &huge
	failures, err := es.Put(ctx, recs)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if len(failures) != len(bad) {
		t.Fatalf("Put gave %d failures, want %d: %+v", len(failures), len(bad), failures)
	}
	sort.Slice(failures, func(i, j int) bool { return failures[i].Path < failures[j].Path })
	byID := map[string]index.Failure{}
	for _, f := range failures {
		byID[f.ID] = f
	}
	for _, i := range bad {
		f, ok := byID[recs[i].ID]
		if !ok {
			t.Errorf("record %d (%s) not among the failures", i, recs[i].Source.Path)
			continue
		}
		if f.Path != recs[i].Source.Path || !strings.Contains(f.Reason, "400") {
			t.Errorf("failure %+v: want path %s and the reason from Elasticsearch", f, recs[i].Source.Path)
		}
		if !errors.Is(f, index.ErrRefused) {
			t.Errorf("failure %+v: cause %v, want ErrRefused", f, f.Cause)
		}
	}
	if err := es.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := countAll(t, es, index.Query{AllVersions: true}); got != len(recs)-len(bad) {
		t.Errorf("Count() = %d, want %d", got, len(recs)-len(bad))
	}
}

func TestOpenESUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	const password, apiKey = "s3cr3t-pw", "QVBJa2V5LXNlY3JldA=="
	for _, cfg := range []Config{
		{URL: "http://elastic:" + password + "@" + addr},
		{URL: "http://" + addr, APIKey: apiKey},
		{URL: "http://" + addr, Username: "elastic", Password: password},
	} {
		cfg.MaxRetries, cfg.Backoff = 1, time.Millisecond
		_, err := Open(context.Background(), cfg)
		if !errors.Is(err, index.ErrUnavailable) {
			t.Errorf("Open(%s) = %v, want ErrUnavailable", redactURL(cfg.URL), err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, addr) || !strings.Contains(msg, "refused") {
			t.Errorf("Open error %q: want the address %s and the cause", msg, addr)
		}
		if strings.Contains(msg, password) || strings.Contains(msg, apiKey) {
			t.Errorf("Open error %q shows a secret", msg)
		}
	}
}

func TestESMigratesOldSchema(t *testing.T) {
	u := testURL(t)
	ctx := context.Background()
	alias := testAlias(t)
	es := openTestES(t, Config{Alias: alias})
	recs := storetest.Records(12)
	putAll(t, es, recs)
	// Pretend the data lives in an older version: move it to -v0.
	old := alias + "-v0"
	if n, err := es.copyDocs(ctx, []string{es.index}, old); err != nil || n != len(recs) {
		t.Fatalf("copy to %s: %d records, %v", old, n, err)
	}
	if err := es.call(ctx, http.MethodPost, "/_aliases", map[string]any{"actions": []any{
		map[string]any{"remove_index": map[string]any{"index": es.index}},
		map[string]any{"add": map[string]any{"index": old, "alias": alias}},
	}}, nil); err != nil {
		t.Fatal(err)
	}
	es2, err := Open(ctx, Config{URL: u, Alias: alias, Logf: t.Logf})
	if err != nil {
		t.Fatalf("Open over an old schema: %v", err)
	}
	defer es2.Close()
	idx, err := es2.aliasIndices(ctx)
	if err != nil || len(idx) != 1 || idx[0] != es.index {
		t.Fatalf("alias %s points to %v (%v), want [%s]", alias, idx, err, es.index)
	}
	if got := countAll(t, es2, index.Query{AllVersions: true}); got != len(recs) {
		t.Errorf("Count() after migration = %d, want %d", got, len(recs))
	}
	if err := es2.call(ctx, http.MethodDelete, "/"+old, nil, nil); err != nil {
		t.Error(err)
	}
}

func TestESFormatSum(t *testing.T) {
	tests := []struct {
		in    string
		money bool
		want  string
	}{
		{"0.0", false, "0"},
		{"1234.0", false, "1234"},
		{"-3.0", false, "-3"},
		{"7730.28", true, "7730.28"},
		{"7730.280000000001", true, "7730.28"},
		{"15460.559999999998", true, "15460.56"},
		{"25.1", true, "25.1"},
		{"0.0", true, "0"},
		{"-0.0000001", true, "0"},
		{"25.10005", true, "25.10005"},
	}
	for _, tt := range tests {
		got, err := formatSum(json.Number(tt.in), tt.money)
		if err != nil || string(got) != tt.want {
			t.Errorf("formatSum(%s, %v) = %q, %v, want %q", tt.in, tt.money, got, err, tt.want)
		}
	}
	if _, err := formatSum("1e300", false); err == nil {
		t.Error("formatSum(1e300) gave no error")
	}
}

func TestESMapping(t *testing.T) {
	m, err := mappings("standard")
	if err != nil {
		t.Fatal(err)
	}
	props := m["properties"].(map[string]any)["fields"].(map[string]any)["properties"].(map[string]any)
	for _, f := range extract.Fields() {
		node := props
		parts := strings.Split(f.Key, ".")
		for _, p := range parts[:len(parts)-1] {
			node = node[p].(map[string]any)["properties"].(map[string]any)
		}
		leaf := node[parts[len(parts)-1]].(map[string]any)
		want := "long"
		if f.Unit == "万元" {
			want = "double"
		}
		if leaf["type"] != want {
			t.Errorf("mapping of fields.%s = %v, want %s", f.Key, leaf["type"], want)
		}
	}
}

// refreshing makes writes visible when Put returns, as the shared store
// conformance expects; the store itself leaves that to Refresh.
type refreshing struct{ *Store }

func (s refreshing) Put(ctx context.Context, recs []extract.Record) ([]index.Failure, error) {
	f, err := s.Store.Put(ctx, recs)
	if err == nil {
		err = s.Store.Refresh(ctx)
	}
	return f, err
}

func TestESConformance(t *testing.T) {
	for name, recs := range map[string][]extract.Record{"Records": storetest.Records(40), "TextRecords": storetest.TextRecords(30)} {
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, refreshing{openTestES(t, Config{})}, recs)
		})
	}
}

func TestESVersions(t *testing.T) {
	storetest.RunVersions(t, refreshing{openTestES(t, Config{})})
}

// TestESBackfillsVersions: documents written without versions (an index
// made before they were kept) get them when the store is opened.
func TestESBackfillsVersions(t *testing.T) {
	ctx := context.Background()
	es := openTestES(t, Config{})
	recs := storetest.Records(60) // 18 paths hold two files each
	bodies, errs := es.encodeAll(recs, func(_ int, r *extract.Record) ([]byte, error) { return json.Marshal(r) })
	if f, err := es.putRecords(ctx, recs, bodies, errs); err != nil || len(f) > 0 {
		t.Fatalf("putRecords: %v %v", f, err)
	}
	if err := es.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countAll(t, es, index.Query{}); n != 0 {
		t.Fatalf("Count() before the backfill = %d, want 0 (no record has versions)", n)
	}
	if have, err := es.Have(ctx, []string{recs[0].ID}, recs[0].Extractor); err != nil || have[recs[0].ID] {
		t.Errorf("Have reports a record without versions as stored: %v, %v", have, err)
	}
	es2, err := Open(ctx, Config{URL: es.cfg.URL, Alias: es.alias, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer es2.Close()
	sq, _ := openSQLiteLike(t, recs)
	if n, want := countAll(t, es2, index.Query{}), sq; n != want {
		t.Errorf("Count() after the backfill = %d, want %d", n, want)
	}
	if n := countAll(t, es2, index.Query{AllVersions: true}); n != len(recs) {
		t.Errorf("Count(AllVersions) after the backfill = %d, want %d", n, len(recs))
	}
}

// openSQLiteLike counts the reports among recs put in one call: the
// distinct report keys of the newest file of each source, and the records
// without a key that are the newest of theirs.
func openSQLiteLike(t *testing.T, recs []extract.Record) (int, error) {
	newest := map[string]int{}
	for i := range recs {
		newest[index.SourceKey(&recs[i])] = i
	}
	reports := map[string]bool{}
	for _, i := range newest {
		if k := recs[i].ReportKey; k != nil {
			reports[*k] = true
		} else {
			reports["id:"+recs[i].ID] = true
		}
	}
	return len(reports), nil
}

// TestESMigratesSchema1Records: records of schema 1 (no region, report
// key agency/year, as ogi 0.1.0 indexed them) behind the alias are placed
// when Open moves them into the current version.
func TestESMigratesSchema1Records(t *testing.T) {
	u := testURL(t)
	ctx := context.Background()
	alias := testAlias(t)
	es := openTestES(t, Config{Alias: alias})
	old := alias + "-v1"
	if err := es.call(ctx, http.MethodPut, "/"+old, map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(20)
	var bulk bytes.Buffer
	placed := map[string]extract.Record{}
	for _, r := range recs {
		r.Region, r.AgencyKind, r.AgencyID, r.ReportKey = nil, nil, nil, nil
		if r.Agency != nil && r.Year != nil {
			k := fmt.Sprintf("%s/%d", *r.Agency, *r.Year)
			r.ReportKey = &k
		}
		r.Warnings = slices.DeleteFunc(slices.Clone(r.Warnings), func(w string) bool { return strings.HasPrefix(w, "region: ") })
		r.Extractor = "ogi 0.1.0"
		meta, _ := json.Marshal(map[string]any{"index": map[string]any{"_index": old, "_id": r.ID}})
		// 0.1.0 records have no such keys at all.
		var obj map[string]json.RawMessage
		js, _ := json.Marshal(r)
		json.Unmarshal(js, &obj)
		delete(obj, "region")
		delete(obj, "agency_kind")
		delete(obj, "agency_id")
		src, _ := json.Marshal(obj)
		if bytes.Contains(src, []byte(`"agency_id"`)) {
			t.Fatalf("old record carries an agency id: %s", src)
		}
		bulk.Write(meta)
		bulk.WriteByte('\n')
		bulk.Write(src)
		bulk.WriteByte('\n')
		extract.Place(&r)
		placed[r.ID] = r
	}
	var res struct {
		Errors bool `json:"errors"`
	}
	if err := es.callRaw(ctx, http.MethodPost, "/_bulk?refresh=true", "application/x-ndjson", bulk.Bytes(), &res); err != nil || res.Errors {
		t.Fatalf("bulk into %s: %v (errors %v)", old, err, res.Errors)
	}
	current := es.index
	if err := es.call(ctx, http.MethodPost, "/_aliases", map[string]any{"actions": []any{
		map[string]any{"remove_index": map[string]any{"index": current}},
		map[string]any{"add": map[string]any{"index": old, "alias": alias}},
	}}, nil); err != nil {
		t.Fatal(err)
	}
	es2, err := Open(ctx, Config{URL: u, Alias: alias, Logf: t.Logf})
	if err != nil {
		t.Fatalf("Open over schema 1: %v", err)
	}
	defer es2.Close()
	defer es2.call(ctx, http.MethodDelete, "/"+old, nil, nil)
	if idx, err := es2.aliasIndices(ctx); err != nil || len(idx) != 1 || idx[0] != current {
		t.Fatalf("alias %s points to %v (%v), want [%s]", alias, idx, err, current)
	}
	got := scanAll(t, es2, index.Query{AllVersions: true})
	if len(got) != len(recs) {
		t.Fatalf("%d records after migration, want %d", len(got), len(recs))
	}
	for _, r := range got {
		w := placed[r.ID]
		if !reflect.DeepEqual(r.Region, w.Region) || !reflect.DeepEqual(r.AgencyID, w.AgencyID) || !reflect.DeepEqual(r.ReportKey, w.ReportKey) || r.Extractor != "ogi 0.1.0" {
			t.Errorf("%s after migration: region %+v id %v key %v extractor %s", r.ID, r.Region, r.AgencyID, r.ReportKey, r.Extractor)
		}
	}
	want := 0
	for _, r := range placed {
		if index.Matches(&r, index.Query{Region: "3208", Level: "county"}) {
			want++
		}
	}
	if n := countAll(t, es2, index.Query{AllVersions: true, Region: "3208", Level: "county"}); n != want || want == 0 {
		t.Errorf("Count(region 3208, county) after migration = %d, want %d", n, want)
	}
}

// TestESIndexWithoutVersionsMapping: an index of this schema version made
// before versions were kept (its mapping has no versions object, its
// documents none) gains the mapping in place and the versions on open.
func TestESIndexWithoutVersionsMapping(t *testing.T) {
	u := testURL(t)
	ctx := context.Background()
	alias := testAlias(t)
	name := fmt.Sprintf("%s-v%d", alias, schemaVersion)
	body, err := indexBody("standard")
	if err != nil {
		t.Fatal(err)
	}
	delete(body["mappings"].(map[string]any)["properties"].(map[string]any), "versions")
	body["aliases"] = map[string]any{alias: map[string]any{}}
	plain := &Store{alias: alias}
	es := openTestES(t, Config{Alias: alias + "-scratch"}) // a client to send requests with
	plain.client, plain.url, plain.cfg = es.client, es.url, es.cfg
	if err := plain.call(ctx, http.MethodPut, "/"+name, body, nil); err != nil {
		t.Fatal(err)
	}
	defer plain.call(ctx, http.MethodDelete, "/"+name, nil, nil)
	recs := storetest.Records(60)
	var bulk bytes.Buffer
	for _, r := range recs {
		meta, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": r.ID}})
		src, _ := json.Marshal(r)
		bulk.Write(meta)
		bulk.WriteByte('\n')
		bulk.Write(src)
		bulk.WriteByte('\n')
	}
	var res struct {
		Errors bool `json:"errors"`
	}
	if err := plain.callRaw(ctx, http.MethodPost, "/"+alias+"/_bulk?refresh=true", "application/x-ndjson", bulk.Bytes(), &res); err != nil || res.Errors {
		t.Fatalf("bulk: %v (errors %v)", err, res.Errors)
	}
	es2, err := Open(ctx, Config{URL: u, Alias: alias, Logf: t.Logf})
	if err != nil {
		t.Fatalf("Open over an index without versions: %v", err)
	}
	defer es2.Close()
	want, _ := openSQLiteLike(t, recs)
	if n := countAll(t, es2, index.Query{}); n != want || want >= len(recs) {
		t.Errorf("Count() after open = %d, want %d reports of %d files", n, want, len(recs))
	}
	if n := countAll(t, es2, index.Query{AllVersions: true}); n != len(recs) {
		t.Errorf("Count(AllVersions) after open = %d, want %d", n, len(recs))
	}
	if have, err := es2.Have(ctx, []string{recs[0].ID}, recs[0].Extractor); err != nil || !have[recs[0].ID] {
		t.Errorf("Have after open = %v, %v: want the record stored", have, err)
	}
}
