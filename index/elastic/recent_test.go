package elastic

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"ogi/extract"
	"ogi/index"
	"ogi/index/sqlite"
	"ogi/index/storetest"
)

// versionCalls are calls of Put, 7 records each, whose versions depend on
// the calls before: 60 records (18 paths hold two files each), then new
// files of 24 of those paths with some numbers changed, so versions
// disagree and current records move between calls.
func versionCalls() [][]extract.Record {
	recs := storetest.Records(60)
	again := slices.Clone(recs[:24])
	for i := range again {
		r := storetest.Records(60)[i]
		r.ID = r.ID[:len(r.ID)-2] + "ff"
		r.Source.SHA256 = r.ID
		for k := range r.Fields {
			n := extract.Number("7")
			r.Fields[k] = &n
			break
		}
		again[i] = r
	}
	all := append(slices.Clone(recs), again...)
	var calls [][]extract.Record
	for start := 0; start < len(all); start += 7 {
		calls = append(calls, all[start:min(start+7, len(all))])
	}
	return calls
}

// openNoRefresh opens a test store whose index the node never refreshes
// by itself, so decisions rely on what the store keeps of its writes.
func openNoRefresh(t *testing.T) *Store {
	t.Helper()
	es := openTestES(t, Config{})
	if err := es.call(context.Background(), http.MethodPut, "/"+url.PathEscape(es.alias)+"/_settings",
		map[string]any{"index": map[string]any{"refresh_interval": "-1"}}, nil); err != nil {
		t.Fatal(err)
	}
	return es
}

func openTestSQLite(t *testing.T) *sqlite.Store {
	t.Helper()
	sq, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "ogi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	return sq
}

// sameVersionChecks fails t unless es holds the records and the
// versions.agree checks sq does, current records and all.
func sameVersionChecks(t *testing.T, es *Store, sq index.Store, total int) {
	t.Helper()
	ctx := context.Background()
	if err := es.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	read := func(s index.Store, q index.Query) map[string][]extract.Check {
		t.Helper()
		out := map[string][]extract.Check{}
		if err := s.Scan(ctx, q, func(r extract.Record) error {
			out[r.ID] = slices.DeleteFunc(r.Checks, func(c extract.Check) bool { return c.Name != index.VersionsCheck })
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, q := range []index.Query{{}, {AllVersions: true}} {
		got, want := read(es, q), read(sq, q)
		if len(got) != len(want) {
			t.Errorf("AllVersions %v: %d records in Elasticsearch, %d in SQLite", q.AllVersions, len(got), len(want))
		}
		for id, w := range want {
			g, ok := got[id]
			if !ok {
				t.Errorf("AllVersions %v: %s missing in Elasticsearch", q.AllVersions, id)
				continue
			}
			if !slices.Equal(g, w) {
				t.Errorf("AllVersions %v: %s: versions checks\n%v\nwant (SQLite)\n%v", q.AllVersions, id, g, w)
			}
		}
	}
	if n := len(read(sq, index.Query{})); n == total || n == 0 {
		t.Fatalf("%d current records of %d: the calls made no versions to decide", n, total)
	}
}

// TestESVersionsBetweenRefreshes: Put decides versions without a refresh
// per call, from what searches see plus what the store wrote since. With
// the node's own refreshes off, calls that follow each other must still
// decide every report's current record and its versions.agree checks as
// the SQLite store does from the same calls.
func TestESVersionsBetweenRefreshes(t *testing.T) {
	ctx := context.Background()
	es, sq := openNoRefresh(t), openTestSQLite(t)
	total := 0
	for _, part := range versionCalls() {
		total += len(part)
		for name, s := range map[string]index.Store{"elasticsearch": es, "sqlite": sq} {
			if f, err := s.Put(ctx, part); err != nil || len(f) > 0 {
				t.Fatalf("%s: Put: failures %v, error %v", name, f, err)
			}
		}
	}
	sameVersionChecks(t, es, sq, total)
}

// TestESVersionsOverlappingPuts: calls of Put that overlap (PutDepth)
// decide while the calls before them are writing, and must come to what
// the same calls made one after the other give. One record of some calls
// is refused by Elasticsearch while the next call has already decided
// counting on it: that call decides again before it writes, and the
// result is that of the calls without the refused records.
func TestESVersionsOverlappingPuts(t *testing.T) {
	ctx := context.Background()
	es, sq := openNoRefresh(t), openTestSQLite(t)
	calls := versionCalls()
	// A new file of a path already stored, refused, in the tenth call;
	// the next call brings another new file of that path, whose versions
	// are decided counting on the refused one until its write fails.
	r := calls[9][0]
	r.Published = storetest.Ptr("2025-13-45")
	calls[9] = append([]extract.Record{r}, calls[9][1:]...)
	refused := map[string]bool{r.ID: true}
	r2 := r
	r2.Published = storetest.Ptr("2025-03-01")
	r2.ID = r.ID[:len(r.ID)-2] + "ee"
	r2.Source.SHA256 = r2.ID
	r2.Fields = maps.Clone(r.Fields)
	for k := range r2.Fields {
		n := extract.Number("8")
		r2.Fields[k] = &n
	}
	calls[10] = append([]extract.Record{r2}, calls[10]...)
	// The first of the two calls (the tenth) writes only once the next has
	// decided, counting on it.
	es.testBeforeWrite = func(seq int64) {
		for deadline := time.Now().Add(10 * time.Second); seq == 10 && es.pipe.decided.Load() < 11 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	depth := es.PutDepth()
	if depth < 2 {
		t.Fatalf("PutDepth() = %d: calls do not overlap", depth)
	}
	var inflight []func() ([]index.Failure, error)
	wait := func() {
		failures, err := inflight[0]()
		inflight = inflight[1:]
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		for _, f := range failures {
			if !refused[f.ID] {
				t.Errorf("Put: record %s failed: %s", f.ID, f.Reason)
			}
			delete(refused, f.ID)
		}
	}
	total := 0
	for _, part := range calls {
		if len(inflight) == depth {
			wait()
		}
		var kept []extract.Record
		for _, r := range part {
			if !refused[r.ID] {
				kept = append(kept, r)
			}
		}
		total += len(kept)
		if f, err := sq.Put(ctx, kept); err != nil || len(f) > 0 {
			t.Fatalf("sqlite: Put: failures %v, error %v", f, err)
		}
		inflight = append(inflight, es.PutAsync(ctx, part))
	}
	for len(inflight) > 0 {
		wait()
	}
	if len(refused) > 0 {
		t.Errorf("records not refused: %v", refused)
	}
	if es.pipe.redone.Load() == 0 {
		t.Errorf("no call decided again after the write before it failed")
	}
	sameVersionChecks(t, es, sq, total)
}

// TestESVersionsOverlappingChain: files of one report in calls that
// follow each other, each call writing only once the next has decided, so
// every decision counts on states the call before has planned and not yet
// written. The current record moves with the first four files (each reads
// more fields) and stays with the fifth (fewer). What the calls give must
// be what SQLite gives from the same calls one after the other.
func TestESVersionsOverlappingChain(t *testing.T) {
	ctx := context.Background()
	es, sq := openNoRefresh(t), openTestSQLite(t)
	base := storetest.Records(1)[0]
	var calls [][]extract.Record
	for c := 0; c < 6; c++ {
		r := base
		// Files of one report from different sources (paths, no URL).
		r.Source.Path = fmt.Sprintf("mirror-%d/%s", c, base.Source.Path)
		r.Source.URL, r.Source.FetchedAt, r.Source.Extra = "", "", nil
		r.ID = fmt.Sprintf("%s%02x", base.ID[:62], c)
		r.Source.SHA256 = r.ID
		r.Fields = maps.Clone(base.Fields)
		for k := range r.Fields {
			n := extract.Number(strconv.Itoa(c + 1)) // every file differs from the others
			r.Fields[k] = &n
		}
		for _, k := range slices.Sorted(maps.Keys(r.Fields))[:[]int{3, 2, 1, 0, 4, 0}[c]] {
			delete(r.Fields, k)
		}
		// A record of a report of its own beside it in each call; the last
		// call has only that, so what the call before decided stands.
		other := storetest.Records(8)[c+1]
		if c == 5 {
			calls = append(calls, []extract.Record{other})
			continue
		}
		calls = append(calls, []extract.Record{r, other})
	}
	n := int64(len(calls))
	es.testBeforeWrite = func(seq int64) {
		for deadline := time.Now().Add(10 * time.Second); seq < n && es.pipe.decided.Load() <= seq && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	var inflight []func() ([]index.Failure, error)
	wait := func() {
		if f, err := inflight[0](); err != nil || len(f) > 0 {
			t.Fatalf("Put: failures %v, error %v", f, err)
		}
		inflight = inflight[1:]
	}
	total := 0
	for _, part := range calls {
		if len(inflight) == es.PutDepth() {
			wait()
		}
		total += len(part)
		if f, err := sq.Put(ctx, part); err != nil || len(f) > 0 {
			t.Fatalf("sqlite: Put: failures %v, error %v", f, err)
		}
		inflight = append(inflight, es.PutAsync(ctx, part))
	}
	for len(inflight) > 0 {
		wait()
	}
	sameVersionChecks(t, es, sq, total)
}

// TestESBulkLoad: the index refreshes seldom during a bulk load, and the
// interval it had comes back at the end; one a killed load left behind
// counts as the default.
func TestESBulkLoad(t *testing.T) {
	ctx := context.Background()
	es := openTestES(t, Config{})
	interval := func() string {
		t.Helper()
		var res map[string]struct {
			Settings struct {
				Index struct {
					RefreshInterval string `json:"refresh_interval"`
				} `json:"index"`
			} `json:"settings"`
		}
		if err := es.call(ctx, http.MethodGet, "/"+url.PathEscape(es.alias)+"/_settings/index.refresh_interval", nil, &res); err != nil {
			t.Fatal(err)
		}
		for _, idx := range res {
			return idx.Settings.Index.RefreshInterval
		}
		return ""
	}
	set := func(v string) {
		t.Helper()
		if err := es.call(ctx, http.MethodPut, "/"+url.PathEscape(es.alias)+"/_settings",
			map[string]any{"index": map[string]any{"refresh_interval": v}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct{ before, after string }{{"", ""}, {"5s", "5s"}, {bulkRefreshInterval, ""}} {
		if tt.before != "" {
			set(tt.before)
		}
		end, err := es.BulkLoad(ctx)
		if err != nil {
			t.Fatalf("BulkLoad: %v", err)
		}
		if got := interval(); got != bulkRefreshInterval {
			t.Errorf("refresh interval during BulkLoad (before %q) = %q, want %q", tt.before, got, bulkRefreshInterval)
		}
		if err := end(ctx); err != nil {
			t.Fatalf("end of BulkLoad: %v", err)
		}
		if got := interval(); got != tt.after {
			t.Errorf("refresh interval after BulkLoad (before %q) = %q, want %q", tt.before, got, tt.after)
		}
	}
}

// TestESVersionsIndependentWrites: a call of Put that shares nothing
// with the calls still writing (no id, source or report key of what it
// puts or reads) writes at once, while the call before it has not
// written yet; one that shares a report with it waits for it. Both come
// to what SQLite gives from the same calls one after the other.
func TestESVersionsIndependentWrites(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			ctx := context.Background()
			es, sq := openNoRefresh(t), openTestSQLite(t)
			recs := storetest.Records(6)
			for i := range recs {
				recs[i].Source.Path = fmt.Sprintf("site-%d/%s", i, recs[i].Source.Path)
				recs[i].Source.URL, recs[i].Source.FetchedAt = "", ""
				recs[i].ReportKey = storetest.Ptr(fmt.Sprintf("report-%d", i))
			}
			// Two files of one report in the first call, so there are
			// versions to decide; with shared, a third in the second call.
			recs[1].ReportKey = recs[0].ReportKey
			if shared {
				recs[3].ReportKey = recs[0].ReportKey
			}
			calls := [][]extract.Record{recs[:3], recs[3:]}
			probe := recs[4].ID // written by the second call
			found := func() bool {
				var doc struct {
					Found bool `json:"found"`
				}
				err := es.call(ctx, http.MethodGet, "/"+url.PathEscape(es.alias)+"/_doc/"+url.PathEscape(probe), nil, &doc)
				return err == nil && doc.Found
			}
			seen := false
			es.testBeforeWrite = func(seq int64) {
				if seq != 1 {
					return
				}
				wait := 10 * time.Second
				if shared {
					wait = 500 * time.Millisecond // long enough to see a write that should not happen
				}
				for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
					if es.pipe.decided.Load() >= 2 && found() {
						seen = true
						return
					}
				}
			}
			var waits []func() ([]index.Failure, error)
			for _, part := range calls {
				waits = append(waits, es.PutAsync(ctx, part))
				if f, err := sq.Put(ctx, part); err != nil || len(f) > 0 {
					t.Fatalf("sqlite: Put: failures %v, error %v", f, err)
				}
			}
			for _, wait := range waits {
				if f, err := wait(); err != nil || len(f) > 0 {
					t.Fatalf("Put: failures %v, error %v", f, err)
				}
			}
			switch {
			case shared && seen:
				t.Errorf("the second call wrote before the first, though they share a report")
			case !shared && !seen:
				t.Errorf("the second call, independent of the first, did not write while the first waited")
			}
			sameVersionChecks(t, es, sq, len(recs))
		})
	}
}
