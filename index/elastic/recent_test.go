package elastic

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"testing"

	"ogi/extract"
	"ogi/index"
	"ogi/index/sqlite"
	"ogi/index/storetest"
)

// TestESVersionsBetweenRefreshes: Put decides versions without a refresh
// per call, from what searches see plus what the store wrote since. With
// the node's own refreshes off, calls that follow each other must still
// decide every report's current record and its versions.agree checks as
// the SQLite store does from the same calls.
func TestESVersionsBetweenRefreshes(t *testing.T) {
	ctx := context.Background()
	es := openTestES(t, Config{})
	if err := es.call(ctx, http.MethodPut, "/"+url.PathEscape(es.alias)+"/_settings",
		map[string]any{"index": map[string]any{"refresh_interval": "-1"}}, nil); err != nil {
		t.Fatal(err)
	}
	sq, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ogi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()

	recs := storetest.Records(60) // 18 paths hold two files each
	// A second round changes some numbers of files already stored, so
	// versions disagree and current records move between calls.
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
	for start := 0; start < len(all); start += 7 {
		part := all[start:min(start+7, len(all))]
		for name, s := range map[string]index.Store{"elasticsearch": es, "sqlite": sq} {
			if f, err := s.Put(ctx, part); err != nil || len(f) > 0 {
				t.Fatalf("%s: Put: failures %v, error %v", name, f, err)
			}
		}
	}
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
	if n := len(read(sq, index.Query{})); n == len(all) || n == 0 {
		t.Fatalf("%d current records of %d: the calls made no versions to decide", n, len(all))
	}
}
