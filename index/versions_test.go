package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"ogi/extract"
)

// memVersions is a VersionStore in memory: records and their states.
type memVersions struct {
	recs   map[string]extract.Record
	states map[string]VersionUpdate // last saved
	saves  int
}

func newMem() *memVersions {
	return &memVersions{recs: map[string]extract.Record{}, states: map[string]VersionUpdate{}}
}

// put stores recs as a store's write does (the state of a changed record
// is dropped), then calls Regroup.
func (m *memVersions) put(t *testing.T, recs []extract.Record, now int64) {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	before, err := m.Versions(ctx, VersionSelect{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if old, ok := m.recs[r.ID]; !ok || !reflect.DeepEqual(old, r) {
			delete(m.states, r.ID)
		}
		m.recs[r.ID] = r
	}
	if err := Regroup(ctx, m, recs, before, now); err != nil {
		t.Fatal(err)
	}
}

func (m *memVersions) Versions(_ context.Context, sel VersionSelect) ([]Version, error) {
	var out []Version
	for _, id := range slices.Sorted(maps.Keys(m.recs)) {
		r := m.recs[id]
		v := VersionOf(&r)
		st, has := m.states[id]
		if has {
			v.StoredAt = st.StoredAt
			s := st.New
			v.State = &s
		}
		pick := sel.All || slices.Contains(sel.IDs, id) ||
			(has && slices.Contains(sel.Sources, st.SourceKey)) ||
			(v.ReportKey != "" && slices.Contains(sel.Keys, v.ReportKey))
		if pick {
			out = append(out, v)
		}
	}
	return out, nil
}

func (m *memVersions) VersionFields(_ context.Context, ids []string) (map[string]map[string]*extract.Number, error) {
	out := map[string]map[string]*extract.Number{}
	for _, id := range ids {
		out[id] = m.recs[id].Fields
	}
	return out, nil
}

func (m *memVersions) SaveVersions(_ context.Context, ups []VersionUpdate) error {
	for _, u := range ups {
		m.states[u.ID] = u
		m.saves++
	}
	return nil
}

func num(s string) *extract.Number {
	n := extract.Number(s)
	return &n
}

// TestRegroupMatchesRegroupAll: after any sequence of puts, the states
// Regroup keeps up one put at a time are those RegroupAll decides from
// scratch (the shortcuts, comparing only what changed, lose nothing).
func TestRegroupMatchesRegroupAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 300; round++ {
		m := newMem()
		pool := 0
		for step := 0; step < 10; step++ {
			var batch []extract.Record
			for n := 1 + rng.IntN(4); n > 0; n-- {
				pool++
				r := extract.Record{ID: fmt.Sprintf("%064d", pool), Extractor: "x", Fields: map[string]*extract.Number{}}
				src := rng.IntN(4)
				r.Source.Path = fmt.Sprintf("d/%d.html", src)
				if rng.IntN(2) == 0 {
					r.Source.URL = fmt.Sprintf("https://e.gov.cn/%d", src)
				}
				if rng.IntN(3) > 0 {
					r.Source.FetchedAt = fmt.Sprintf("2025-03-0%dT00:00:00Z", 1+rng.IntN(5))
				}
				if k := rng.IntN(3); k > 0 {
					r.ReportKey = Ptr(fmt.Sprintf("agency%d/2024", k))
				}
				for _, key := range []string{"a", "b", "c"}[:1+rng.IntN(3)] {
					r.Fields[key] = num(fmt.Sprint(rng.IntN(2)))
				}
				if rng.IntN(4) == 0 {
					r.Warnings = []string{"w"}
				}
				batch = append(batch, r)
			}
			if stored := pool - len(batch); rng.IntN(3) == 0 && stored > 0 { // a record put again
				batch = append(batch, m.recs[fmt.Sprintf("%064d", 1+rng.IntN(stored))])
			}
			m.put(t, batch, int64(step*100))

			fresh := newMem()
			for id, r := range m.recs {
				fresh.recs[id] = r
				fresh.states[id] = VersionUpdate{Version: Version{StoredAt: m.states[id].StoredAt}}
			}
			// RegroupAll over the same records and storing times.
			all, _ := fresh.Versions(context.Background(), VersionSelect{All: true})
			for i := range all {
				all[i].State = nil
			}
			fresh.states = map[string]VersionUpdate{}
			allMap := map[string]*Version{}
			sources := map[string]bool{}
			for i := range all {
				allMap[all[i].ID] = &all[i]
				sources[all[i].SourceKey] = true
			}
			if err := settle(context.Background(), fresh, allMap, sources, nil, nil); err != nil {
				t.Fatal(err)
			}
			for id := range m.recs {
				got, want := m.states[id].New, fresh.states[id].New
				if !reflect.DeepEqual(got, want) {
					for _, id := range slices.Sorted(maps.Keys(m.recs)) {
						r := m.recs[id]
						t.Logf("%s %s url=%q f=%q key=%v at=%d inc=%+v", id[60:], r.Source.Path, r.Source.URL, r.Source.FetchedAt, deref(r.ReportKey), m.states[id].StoredAt, m.states[id].New)
					}
					t.Fatalf("round %d step %d: record %s (%s, key %v):\n incremental %+v\n from scratch %+v",
						round, step, id[60:], m.recs[id].Source.Path, m.recs[id].ReportKey, got, want)
				}
			}
		}
	}
}

func Ptr[T any](v T) *T { return &v }

func TestNewerAndBetter(t *testing.T) {
	a := &Version{ID: "a", FetchedAt: "2025-03-02T00:00:00Z", StoredAt: 1, Keys: 10}
	b := &Version{ID: "b", FetchedAt: "2025-03-01T00:00:00Z", StoredAt: 2, Keys: 10}
	if !Newer(a, b) || Newer(b, a) {
		t.Errorf("the later fetched_at is not the newer")
	}
	b.FetchedAt, b.StoredAt = "", time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC).UnixNano()
	if Newer(a, b) || !Newer(b, a) {
		t.Errorf("without two fetched_at, the later stored is not the newer")
	}
	b.Keys = 11
	if !Better(b, a) {
		t.Errorf("the file that read more fields does not win")
	}
	b.Keys, b.Warnings = 10, 1
	if !Better(a, b) {
		t.Errorf("the file with fewer problems does not win")
	}
}

// TestVersionChecksBounded: a report downloaded many times over with
// other numbers gives its current record a bounded number of checks.
func TestVersionChecksBounded(t *testing.T) {
	m := newMem()
	var recs []extract.Record
	for i := 0; i < 30; i++ {
		recs = append(recs, extract.Record{ID: fmt.Sprintf("%064d", i), Extractor: "x",
			Source:    extract.Source{Path: fmt.Sprintf("m/%d.html", i)},
			ReportKey: Ptr("k/2024"), Fields: map[string]*extract.Number{"a": num(fmt.Sprint(i))}})
	}
	m.put(t, recs, 0)
	cur := ""
	for id, s := range m.states {
		if s.New.Current {
			cur = id
		}
	}
	cs := m.states[cur].New.Checks
	if len(cs) != maxVersionChecks+1 || !strings.Contains(cs[len(cs)-1].Detail, "19 more files") {
		t.Errorf("current record has %d checks, last %q; want %d and a count of the rest", len(cs), cs[len(cs)-1].Detail, maxVersionChecks+1)
	}
	for _, c := range cs[:maxVersionChecks] {
		if c.OK || !strings.Contains(c.Detail, "differ on a (") {
			t.Errorf("check %+v: want a failing comparison naming key a", c)
		}
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// digestStreamed is NumbersDigest as first written (files store its
// output), the reference for the faster one.
func digestStreamed(fields map[string]*extract.Number) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write([]byte(numText(fields[k])))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func TestNumbersDigestUnchanged(t *testing.T) {
	num := func(s string) *extract.Number { n := extract.Number(s); return &n }
	all := map[string]*extract.Number{}
	for i, k := range extract.FieldKeys() {
		switch i % 3 {
		case 0:
			all[k] = num(fmt.Sprint(i))
		case 1:
			all[k] = nil
		}
	}
	extra := maps.Clone(all)
	extra["zzz.not.in.contract"] = num("7")
	extra["aaa"] = num("-1.5")
	for name, fields := range map[string]map[string]*extract.Number{
		"contract keys": all, "other keys too": extra, "none": {}, "nil": nil,
		"one": {"requests.new.total": num("12")},
	} {
		if got, want := NumbersDigest(fields), digestStreamed(fields); got != want {
			t.Errorf("%s: NumbersDigest = %s, want %s", name, got, want)
		}
	}
	// sha256("a\x001\x00b\x000\x00"), first 16 bytes.
	if got, want := NumbersDigest(map[string]*extract.Number{"a": num("1"), "b": nil}), "983fa9e4203e82b624432aa0bdf6f58a"; got != want {
		t.Errorf("NumbersDigest(a=1, b=blank) = %s, want %s", got, want)
	}
}
