package elastic

import (
	"context"
	"slices"
	"testing"

	"ogi/index"
	"ogi/index/storetest"
)

// A selection of ids, source keys and report keys finds every stored
// record any of them names, each once, however many searches it takes:
// with two values to a terms clause, seven ids, five sources and three
// keys need four searches of one, two or three clauses.
func TestESVersionsSearchInChunks(t *testing.T) {
	es := openTestES(t, Config{})
	recs := storetest.Records(60)
	putAll(t, es, recs)
	ctx := context.Background()

	var sel index.VersionSelect
	for i := 0; i < 7; i++ {
		sel.IDs = append(sel.IDs, recs[i*3].ID)
	}
	for i := 0; i < 5; i++ {
		sel.Sources = append(sel.Sources, index.SourceKey(&recs[40+i*2]))
	}
	for i := range recs {
		if k := recs[len(recs)-1-i].ReportKey; k != nil && *k != "" && !slices.Contains(sel.Keys, *k) {
			sel.Keys = append(sel.Keys, *k)
		}
		if len(sel.Keys) == 3 {
			break
		}
	}
	if len(sel.Keys) != 3 {
		t.Fatalf("the sample records have %d report keys, want 3", len(sel.Keys))
	}
	var want []string
	for i := range recs {
		r := &recs[i]
		if slices.Contains(sel.IDs, r.ID) || slices.Contains(sel.Sources, index.SourceKey(r)) ||
			(r.ReportKey != nil && slices.Contains(sel.Keys, *r.ReportKey)) {
			want = append(want, r.ID)
		}
	}
	slices.Sort(want)

	for _, terms := range []int{1000, 2, 1} {
		versionTerms = terms
		got, err := (&esVersions{es: es}).searchVersions(ctx, sel)
		versionTerms = 1000
		if err != nil {
			t.Fatalf("%d terms a clause: %v", terms, err)
		}
		ids := make([]string, len(got))
		for i, v := range got {
			ids[i] = v.ID
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("%d terms a clause: found %d records %v, want %d %v", terms, len(ids), ids, len(want), want)
		}
	}
}
