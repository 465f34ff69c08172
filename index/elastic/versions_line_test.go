package elastic

import (
	"bytes"
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
