package elastic

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"ogi/extract"
	"ogi/index"
	"ogi/index/storetest"
)

// TestVersionedDocFromLine: a document made from a record's line is the
// one made by encoding the record, with and without versions.agree
// checks, for records with checks and without.
func TestVersionedDocFromLine(t *testing.T) {
	es := &Store{encode: func(r *extract.Record) ([]byte, error) { return extract.AppendJSON(nil, r, false) }}
	recs := storetest.Records(6)
	recs[1].Checks = nil
	recs[2].Checks = []extract.Check{}
	agree := []extract.Check{{Name: index.VersionsCheck, OK: false, Detail: `a.b: 1 in "x.docx" <2>`}, {Name: index.VersionsCheck, OK: true}}
	tried := 0
	for i := range recs {
		b, err := es.encode(&recs[i])
		if err != nil {
			t.Fatal(err)
		}
		r, line, ok := extract.ParseJSONLine(b)
		if !ok || line == nil {
			t.Fatalf("record %d: its JSON is not a canonical line", i)
		}
		for n := range len(agree) + 1 {
			u := index.VersionUpdate{Version: index.VersionOf(&r), New: index.VersionState{Latest: true, Current: n == 0, Checks: slices.Clone(agree[:n])}}
			want, err := es.versionedDoc(&r, u, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := es.versionedDoc(&r, u, line)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("record %d, %d checks added: from its line\n%.400s\nencoded\n%.400s", i, n, got, want)
			}
			tried++
		}
	}
	if tried != 18 {
		t.Fatalf("%d documents compared", tried)
	}
}

// TestESLineWithVersionsChecks: a record given with a line that holds
// versions.agree checks of its own is refused (the store decides them,
// and the line cannot be written without them); the others are written.
func TestESLineWithVersionsChecks(t *testing.T) {
	ctx := context.Background()
	es := openTestES(t, Config{EncodeRecord: func(r *extract.Record) ([]byte, error) { return extract.AppendJSON(nil, r, false) }})
	recs := storetest.Records(2)
	recs[0].Checks = append(recs[0].Checks, extract.Check{Name: index.VersionsCheck, OK: true, Detail: "old"})
	var lines []*extract.Line
	for i := range recs {
		b, _ := extract.AppendJSON(nil, &recs[i], false)
		_, line, ok := extract.ParseJSONLine(b)
		if !ok || line == nil {
			t.Fatalf("record %d: not a canonical line", i)
		}
		lines = append(lines, line)
	}
	failures, err := es.PutAsyncLines(ctx, recs, lines)()
	if err != nil {
		t.Fatal(err)
	}
	if len(failures) != 1 || failures[0].ID != recs[0].ID || !errors.Is(failures[0].Cause, index.ErrRefused) {
		t.Fatalf("failures %+v, want %s refused", failures, recs[0].ID)
	}
	if err := es.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := es.Count(ctx, index.Query{AllVersions: true})
	if err != nil || n != 1 {
		t.Fatalf("Count = %d, %v; want the other record alone", n, err)
	}
}
