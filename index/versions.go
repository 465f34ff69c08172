package index

// Versions: every file keeps its record, and each report has one current
// record, the one that counts.
//
//   - A file's source is its manifest URL, or its path when it has none
//     (SourceKey). Of the records of one source, the newest is the latest;
//     the older ones stay as versions (a page downloaded again with a view
//     counter changed replaces the earlier download).
//   - The latest records of one report key (extract.ReportKey: the page and
//     its attachment) are one report; the most complete of them is the
//     report's current record (Better). A record without a report key is a
//     report of its own, current while it is the latest of its source.
//   - Every other record of a report is compared with the current one: a
//     number that differs gives both a failing check named VersionsCheck
//     naming the two files and the keys; versions that agree get a passing
//     one.
//
// Search, Sum, Count and Scan see current records only unless
// Query.AllVersions is set. The rules are here, once; a store keeps each
// record's VersionState and lets Regroup read and write it through
// VersionStore.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"ogi/extract"
)

// VersionsCheck names the check that compares the versions of a report.
const VersionsCheck = "versions.agree"

// SourceKey says where a file came from: "url:" and the manifest URL, or
// "path:" and the cleaned path when there is no URL.
func SourceKey(r *extract.Record) string { return SourceKeyOf(r.Source.URL, r.Source.Path) }

// SourceKeyOf is the source key of a file with this manifest URL ("" when
// none) and path.
func SourceKeyOf(url, p string) string {
	if url != "" {
		return "url:" + url
	}
	return "path:" + path.Clean(p)
}

// Version is what deciding a report's current record needs of one stored
// record, and the state the store keeps for it.
type Version struct {
	ID        string
	Path      string
	SourceKey string
	ReportKey string // "" when unknown
	FetchedAt string
	StoredAt  int64 // when the store first took this id (Unix ns; older stores: a smaller number)
	Failed    int   // failed checks of the record itself (VersionsCheck aside)
	NChecks   int   // checks of the record itself
	Warnings  int
	Keys      int           // fields read
	Numbers   string        // NumbersDigest of the fields; "" when not known
	State     *VersionState // as stored; nil when not decided yet
}

// VersionState is a record's place among the versions of its report.
type VersionState struct {
	Latest  bool            // the newest file of its source
	Current bool            // the record its report is counted by
	Checks  []extract.Check // VersionsCheck results, none for a report of one file
}

// VersionOf is the Version of a record as put (State nil). Checks named
// VersionsCheck are not counted: they are the store's, not the file's.
func VersionOf(r *extract.Record) Version {
	v := Version{ID: r.ID, Path: r.Source.Path, SourceKey: SourceKey(r), FetchedAt: r.Source.FetchedAt,
		Warnings: len(r.Warnings), Keys: len(r.Fields), Numbers: NumbersDigest(r.Fields)}
	if r.ReportKey != nil {
		v.ReportKey = *r.ReportKey
	}
	for _, c := range r.Checks {
		if c.Name == VersionsCheck {
			continue
		}
		v.NChecks++
		if !c.OK {
			v.Failed++
		}
	}
	return v
}

// NumbersDigest is a digest of a record's keys and numbers (a blank or
// dash cell as 0, as versions are compared): two records with the same
// digest agree on every number, so they need not be loaded to compare.
func NumbersDigest(fields map[string]*extract.Number) string {
	// Keys and values in key order, each followed by a zero byte, hashed
	// at once. The keys of a record are the contract's, so they are taken
	// along the list sorted once; a record with other keys sorts its own.
	b := make([]byte, 0, 40*len(fields))
	n := 0
	for _, k := range sortedFieldKeys {
		if v, ok := fields[k]; ok {
			b = appendDigestEntry(b, k, v)
			n++
		}
	}
	if n != len(fields) {
		b = b[:0]
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			b = appendDigestEntry(b, k, fields[k])
		}
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func appendDigestEntry(b []byte, k string, v *extract.Number) []byte {
	b = append(b, k...)
	b = append(b, 0)
	b = append(b, numText(v)...)
	return append(b, 0)
}

// sortedFieldKeys are the contract's field keys in byte order.
var sortedFieldKeys = func() []string {
	k := extract.FieldKeys()
	slices.Sort(k)
	return k
}()

// Newer reports whether a is a later file than b: the one fetched later,
// a file without a fetched_at counting as fetched when it was stored;
// then the one stored later; then the greater id. The order is total, so
// the newest of a source does not depend on the order files are met.
func Newer(a, b *Version) bool {
	if ta, tb := fetchedTime(a), fetchedTime(b); ta != tb {
		return ta > tb
	}
	if a.StoredAt != b.StoredAt {
		return a.StoredAt > b.StoredAt
	}
	return a.ID > b.ID
}

// fetchedTime is when a file was fetched (Unix ns): its manifest
// fetched_at, else its storing time.
func fetchedTime(v *Version) int64 {
	if t, err := time.Parse(time.RFC3339, v.FetchedAt); err == nil {
		return t.UnixNano()
	}
	return v.StoredAt
}

// Better reports whether a represents a report better than b: the most
// complete file wins, the one that read more fields (all three tables
// found), then the one with fewer problems (failed checks and warnings),
// then the newer (Newer).
func Better(a, b *Version) bool {
	if a.Keys != b.Keys {
		return a.Keys > b.Keys
	}
	if pa, pb := a.Failed+a.Warnings, b.Failed+b.Warnings; pa != pb {
		return pa < pb
	}
	return Newer(a, b)
}

// StripVersionChecks returns recs without checks named VersionsCheck (a
// record exported from a store and put again carries them; the store
// derives its own). recs itself is returned when none has one.
func StripVersionChecks(recs []extract.Record) []extract.Record {
	var out []extract.Record
	for i := range recs {
		has := slices.ContainsFunc(recs[i].Checks, func(c extract.Check) bool { return c.Name == VersionsCheck })
		if !has {
			continue
		}
		if out == nil {
			out = slices.Clone(recs)
		}
		out[i].Checks = slices.DeleteFunc(slices.Clone(out[i].Checks), func(c extract.Check) bool { return c.Name == VersionsCheck })
	}
	if out == nil {
		return recs
	}
	return out
}

// VersionSelect picks stored records for Regroup: those with any of the
// ids, source keys or report keys, or every record.
type VersionSelect struct {
	IDs, Sources, Keys []string
	All                bool
}

// VersionUpdate is a new state for a stored record.
type VersionUpdate struct {
	Version // as loaded (State: the state stored before)
	New     VersionState
}

// VersionStore is what a store gives Regroup.
type VersionStore interface {
	// Versions returns the stored records sel picks.
	Versions(ctx context.Context, sel VersionSelect) ([]Version, error)
	// VersionFields returns the fields of stored records, to compare them.
	VersionFields(ctx context.Context, ids []string) (map[string]map[string]*extract.Number, error)
	// SaveVersions stores new states.
	SaveVersions(ctx context.Context, ups []VersionUpdate) error
}

// Regroup decides the versions of the reports that the records just put
// (recs) touch, and saves the states that changed. before are the stored
// versions of the same ids as they were before the put (to keep their
// first storing time and to settle the reports they left); now stamps ids
// stored for the first time, in input order.
func Regroup(ctx context.Context, vs VersionStore, recs []extract.Record, before []Version, now int64) error {
	prev := map[string]*Version{}
	sources, keys := map[string]bool{}, map[string]bool{}
	for i := range before {
		b := &before[i]
		prev[b.ID] = b
		sources[b.SourceKey] = true
		if b.ReportKey != "" {
			keys[b.ReportKey] = true
		}
	}
	incoming := map[string]*Version{}
	fields := map[string]map[string]*extract.Number{}
	for i := range recs {
		r := &recs[i]
		v := VersionOf(r)
		v.StoredAt = now + int64(i)
		if p := prev[r.ID]; p != nil {
			v.StoredAt = p.StoredAt
		}
		incoming[r.ID] = &v
		fields[r.ID] = r.Fields
		sources[v.SourceKey] = true
		if v.ReportKey != "" {
			keys[v.ReportKey] = true
		}
	}
	all := map[string]*Version{}
	got, err := vs.Versions(ctx, VersionSelect{Sources: slices.Sorted(maps.Keys(sources))})
	if err != nil {
		return err
	}
	for i := range got {
		all[got[i].ID] = &got[i]
	}
	for id, v := range incoming {
		if old := all[id]; old != nil {
			v.State = old.State // unchanged records keep their stored state
		}
		all[id] = v
	}
	for _, v := range all {
		if v.ReportKey != "" {
			keys[v.ReportKey] = true
		}
	}
	got, err = vs.Versions(ctx, VersionSelect{Keys: slices.Sorted(maps.Keys(keys))})
	if err != nil {
		return err
	}
	for i := range got {
		if _, ok := all[got[i].ID]; !ok {
			all[got[i].ID] = &got[i]
		}
	}
	force := map[string]bool{}
	for id := range incoming {
		force[id] = true
	}
	return settle(ctx, vs, all, sources, fields, force)
}

// RegroupAll decides the versions of every stored record (a store made
// before versions were kept, or one whose states are in doubt).
func RegroupAll(ctx context.Context, vs VersionStore) error {
	got, err := vs.Versions(ctx, VersionSelect{All: true})
	if err != nil {
		return err
	}
	all := make(map[string]*Version, len(got))
	sources := map[string]bool{}
	for i := range got {
		all[got[i].ID] = &got[i]
		sources[got[i].SourceKey] = true
	}
	return settle(ctx, vs, all, sources, nil, nil)
}

// fieldsBatch is how many records' fields are loaded at once to compare
// versions.
const fieldsBatch = 500

// settle decides the state of every record in all: latest afresh for the
// sources given (the stored flag for the others), then each report's
// current record and the comparison of its versions. It saves the states
// that changed or were not stored; the ids in force (records just put)
// are compared afresh.
func settle(ctx context.Context, vs VersionStore, all map[string]*Version, sources map[string]bool,
	fields map[string]map[string]*extract.Number, force map[string]bool) error {
	ids := slices.Sorted(maps.Keys(all))
	states := make(map[string]*VersionState, len(all))
	newest := map[string]*Version{}
	for _, id := range ids {
		v := all[id]
		st := &VersionState{}
		states[id] = st
		if !sources[v.SourceKey] {
			st.Latest = v.State == nil || v.State.Latest
			continue
		}
		if n := newest[v.SourceKey]; n == nil || Newer(v, n) {
			newest[v.SourceKey] = v
		}
	}
	for _, v := range newest {
		states[v.ID].Latest = true
	}
	reports := map[string][]*Version{}
	for _, id := range ids {
		v := all[id]
		if v.ReportKey == "" {
			states[id].Current = states[id].Latest
			continue
		}
		reports[v.ReportKey] = append(reports[v.ReportKey], v)
	}
	var multi [][]*Version // reports of several files, current first
	for _, k := range slices.Sorted(maps.Keys(reports)) {
		g := reports[k]
		var cur *Version
		for _, v := range g {
			if states[v.ID].Latest && (cur == nil || Better(v, cur)) {
				cur = v
			}
		}
		if cur == nil {
			continue // every file was replaced at its source by another report's
		}
		states[cur.ID].Current = true
		if len(g) > 1 {
			rest := slices.DeleteFunc(slices.Clone(g), func(v *Version) bool { return v == cur })
			multi = append(multi, append([]*Version{cur}, rest...))
		}
	}
	if fields == nil {
		fields = map[string]map[string]*extract.Number{}
	}
	// A member is compared again only when the current record changed,
	// the member is new, or it was never compared; otherwise its stored
	// check, made against the same current record, stands. Members whose
	// numbers digest equals the current record's agree without loading.
	plans := make([]comparePlan, len(multi))
	for i, g := range multi {
		cur := g[0]
		same := !force[cur.ID] && cur.State != nil && cur.State.Current
		p := comparePlan{group: g}
		for _, v := range g[1:] {
			switch {
			case same && !force[v.ID] && v.State != nil && len(v.State.Checks) > 0:
				p.kept = append(p.kept, v)
			case v.Numbers != "" && v.Numbers == cur.Numbers:
				p.equal = append(p.equal, v)
			default:
				p.load = append(p.load, v)
			}
		}
		plans[i] = p
	}
	for start := 0; start < len(plans); {
		var need []string
		end := start
		for ; end < len(plans) && len(need) < fieldsBatch; end++ {
			if len(plans[end].load) == 0 {
				continue
			}
			for _, v := range append([]*Version{plans[end].group[0]}, plans[end].load...) {
				if _, ok := fields[v.ID]; !ok {
					need = append(need, v.ID)
				}
			}
		}
		if len(need) > 0 {
			got, err := vs.VersionFields(ctx, need)
			if err != nil {
				return err
			}
			for _, id := range need {
				fields[id] = got[id]
			}
		}
		for _, p := range plans[start:end] {
			compareVersions(p, fields, states)
			for _, v := range p.group {
				if !force[v.ID] {
					delete(fields, v.ID) // bound memory over a whole store
				}
			}
		}
		start = end
	}
	var ups []VersionUpdate
	for _, id := range ids {
		v, st := all[id], states[id]
		if v.State == nil || !sameState(v.State, st) {
			ups = append(ups, VersionUpdate{Version: *v, New: *st})
		}
	}
	if len(ups) == 0 {
		return nil
	}
	return vs.SaveVersions(ctx, ups)
}

func sameState(a, b *VersionState) bool {
	return a.Latest == b.Latest && a.Current == b.Current && slices.Equal(a.Checks, b.Checks)
}

// maxVersionChecks bounds the failing checks the current record gets, one
// per disagreeing file (a page downloaded every night gives many files).
const maxVersionChecks = 10

// maxKeysShown bounds the differing keys one check lists.
const maxKeysShown = 8

// comparePlan says how each other file of a report (group[1:]) is
// compared with its current record (group[0]).
type comparePlan struct {
	group []*Version
	kept  []*Version // stored check stands
	equal []*Version // same numbers digest: they agree
	load  []*Version // compared key by key
}

// compareVersions gives each other file of a report its versions.agree
// check against the current record, and the current record one failing
// check per disagreeing file (the same text both carry) or one passing
// check when all agree.
func compareVersions(p comparePlan, fields map[string]map[string]*extract.Number, states map[string]*VersionState) {
	cur := p.group[0]
	agree := func(v *Version, compared int) []extract.Check {
		return []extract.Check{{Name: VersionsCheck, OK: true,
			Detail: fmt.Sprintf("%s agrees with %s, the current record of the report, on all %d numbers both print", fileName(v), fileName(cur), compared)}}
	}
	for _, v := range p.kept {
		states[v.ID].Checks = v.State.Checks
	}
	for _, v := range p.equal {
		states[v.ID].Checks = agree(v, v.Keys)
	}
	cf := fields[cur.ID]
	for _, v := range p.load {
		diff, compared := differingKeys(cf, fields[v.ID])
		if len(diff) == 0 {
			states[v.ID].Checks = agree(v, compared)
			continue
		}
		states[v.ID].Checks = []extract.Check{{Name: VersionsCheck, OK: false,
			Detail: fmt.Sprintf("%s and %s differ on %s", fileName(cur), fileName(v), diffText(diff, cf, fields[v.ID]))}}
	}
	var failing []extract.Check
	agreeing, disagree := 0, 0
	for _, v := range p.group[1:] {
		for _, c := range states[v.ID].Checks {
			if c.OK {
				agreeing++
				continue
			}
			disagree++
			if len(failing) < maxVersionChecks {
				failing = append(failing, c)
			}
		}
	}
	if disagree > len(failing) {
		failing = append(failing, extract.Check{Name: VersionsCheck, OK: false,
			Detail: fmt.Sprintf("and %d more files of this report differ from %s", disagree-len(failing), fileName(cur))})
	}
	if disagree == 0 {
		failing = []extract.Check{{Name: VersionsCheck, OK: true,
			Detail: fmt.Sprintf("%s is the current record of the report; its %d other files agree on every number both print", fileName(cur), agreeing)}}
	}
	states[cur.ID].Checks = failing
}

// fileName names a file by path and the start of its id, since two
// versions of one source may share the path.
func fileName(v *Version) string {
	return fmt.Sprintf("%s [%s]", v.Path, v.ID[:min(12, len(v.ID))])
}

// differingKeys lists the keys both records print whose numbers differ (a
// blank or dash cell counts as 0, as in the checks), and how many keys were
// compared.
func differingKeys(a, b map[string]*extract.Number) (diff []string, compared int) {
	for k, av := range a {
		bv, ok := b[k]
		if !ok {
			continue
		}
		compared++
		if numText(av) != numText(bv) {
			diff = append(diff, k)
		}
	}
	slices.Sort(diff)
	return diff, compared
}

func numText(n *extract.Number) string {
	if n == nil || *n == "" {
		return "0"
	}
	return string(*n)
}

func diffText(keys []string, a, b map[string]*extract.Number) string {
	var parts []string
	for i, k := range keys {
		if i == maxKeysShown {
			parts = append(parts, fmt.Sprintf("and %d more keys", len(keys)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s ≠ %s)", k, numText(a[k]), numText(b[k])))
	}
	return strings.Join(parts, ", ")
}
