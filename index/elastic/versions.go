package elastic

// The versions of a report (index/versions.go) in Elasticsearch: each
// document carries a "versions" object beside the record (source_key,
// stored_at, latest, current), and its versions.agree checks are in
// "checks" with the record's own, so Kibana filters on checks.ok see them.
// Reads see documents with versions.current true unless
// Query.AllVersions is set.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"ogi/extract"
	"ogi/index"
)

var versionsMapping = map[string]any{
	"dynamic": "strict",
	"properties": map[string]any{
		"source_key": map[string]any{"type": "keyword"},
		"stored_at":  map[string]any{"type": "long"},
		"latest":     map[string]any{"type": "boolean"},
		"current":    map[string]any{"type": "boolean"},
		"numbers":    map[string]any{"type": "keyword", "index": false, "doc_values": false},
		"keys":       map[string]any{"type": "integer", "index": false},
	},
}

var currentOnly = map[string]any{"term": map[string]any{"versions.current": true}}

// versionsDoc is the "versions" object of a document.
type versionsDoc struct {
	SourceKey string `json:"source_key"`
	StoredAt  int64  `json:"stored_at"`
	Latest    bool   `json:"latest"`
	Current   bool   `json:"current"`
	// Numbers and Keys (index.NumbersDigest and the number of fields) let
	// Regroup read a document without its fields.
	Numbers string `json:"numbers,omitempty"`
	Keys    int    `json:"keys"`
}

// Put decides the versions of the reports the records touch
// (index.Regroup, against what is stored), writes the records with their
// state (putRecords), then updates the other documents whose state
// changed. If some records were refused, the versions are decided again
// from what was written. A record whose state is not written is not
// reported by Have, so the next run puts it again.
//
// Calls may overlap (PutDepth): each decides in call order while the
// calls before it are still writing, and writes once they have ended (at
// once when it shares nothing with them: putPipe.claim), so the bulk
// requests of one batch are in flight while the next batch is decided.
// A decision counts on the writes still in flight (recent holds what
// they will write); if one of them fails, or had to decide again,
// the decision is made anew, against what is stored, before it is
// written.
func (es *Store) Put(ctx context.Context, recs []extract.Record) ([]index.Failure, error) {
	return es.put(ctx, recs, nil, es.pipe.take())
}

// PutAsync is Put in the background: the call takes its place in the
// order at once, and the function returned waits for its outcome. A
// caller that keeps several batches in flight (PutDepth) calls it in the
// order the batches are to be written.
func (es *Store) PutAsync(ctx context.Context, recs []extract.Record) func() ([]index.Failure, error) {
	return es.PutAsyncLines(ctx, recs, nil)
}

// PutAsyncLines is PutAsync for records read from JSON lines (ogi load):
// lines[i], when not nil, is recs[i] exactly as Config.EncodeRecord
// writes it, its newline aside (extract.ParseJSONLine). Its document is
// then always that line with its versions (and its versions.agree
// checks) put in, never the record encoded again: encoding took a fifth
// of a load's own CPU, and recs[i] may lack its raw cells and sections
// (extract.ParseJSONLineLean). A record with a line that holds
// versions.agree checks of its own is refused: they are the store's to
// decide. lines is nil or as long as recs.
func (es *Store) PutAsyncLines(ctx context.Context, recs []extract.Record, lines []*extract.Line) func() ([]index.Failure, error) {
	if len(lines) != len(recs) {
		lines = nil
	}
	t := es.pipe.take()
	type result struct {
		failures []index.Failure
		err      error
	}
	ch := make(chan result, 1)
	go func() {
		f, err := es.put(ctx, recs, lines, t)
		ch <- result{f, err}
	}()
	return func() ([]index.Failure, error) {
		r := <-ch
		return r.failures, r.err
	}
}

func (es *Store) put(ctx context.Context, recs []extract.Record, lines []*extract.Line, t *putTicket) ([]index.Failure, error) {
	stripped := index.StripVersionChecks(recs)
	var stale map[int]bool // records whose line holds versions.agree checks
	for i := range lines {
		if lines[i] != nil && len(stripped[i].Checks) != len(recs[i].Checks) {
			if stale == nil {
				stale = map[int]bool{}
			}
			stale[i] = true
		}
	}
	recs = stripped
	dirty := false
	defer func() {
		t.decide()
		es.pending.done(t.seq, recs)
		es.pipe.end(t, dirty)
	}()
	if err := t.waitDecided(ctx); err != nil {
		p := &putPlan{es: es, recs: recs}
		return p.notWritten(err), err
	}
	counted := es.pipe.ended.Load() // the calls after it are still writing
	p, failures, err := es.decide(ctx, recs, lines, stale, t, false)
	es.pipe.decided.Store(t.seq)
	t.decide()
	if err != nil {
		return failures, err
	}
	if es.testBeforeWrite != nil {
		es.testBeforeWrite(t.seq)
	}
	if p.independent {
		// Nothing the calls still writing do can change this decision,
		// nor this call's writes theirs: its bulk requests go beside
		// theirs.
		failures, err = es.write(ctx, p)
		if err != nil || len(failures) > 0 {
			dirty = true
		}
		return failures, err
	}
	if err := t.waitPrev(ctx); err != nil {
		dirty = true
		es.recent.invalidate()
		return p.notWritten(err), err
	}
	if es.pipe.dirty.Load() > counted {
		dirty = true
		es.pipe.redone.Add(1)
		if p, failures, err = es.decide(ctx, recs, lines, stale, t, true); err != nil {
			return failures, err
		}
	}
	failures, err = es.write(ctx, p)
	if err != nil || len(failures) > 0 {
		dirty = true
	}
	return failures, err
}

// PutDepth is how many calls of Put may overlap with profit: two
// writing (calls of different reports write at once) while the next
// decides. Against two, loading 2,000 records took 5–10% less time, best
// and mean of ten rounds each, on a node sharing two cores.
func (es *Store) PutDepth() int { return 3 }

// putPlan is one call of Put decided: the documents to write and the
// other documents whose state changes.
type putPlan struct {
	es     *Store
	recs   []extract.Record
	valid  []extract.Record
	before []index.Version
	now    int64
	bodies [][]byte
	errs   []error
	others []index.VersionUpdate
	// independent says that no call still writing touches what this one
	// read or writes (putPipe.claim): it may write without waiting.
	independent bool
}

func (p *putPlan) notWritten(err error) []index.Failure {
	var failures []index.Failure
	for _, r := range p.recs {
		failures = append(failures, index.Failure{ID: r.ID, Path: r.Source.Path, Reason: "not written: " + p.es.redact(err.Error()), Cause: index.ErrNotWritten})
	}
	return failures
}

// decide makes the plan of one call: the versions of the reports recs
// touch, from what searches see plus recent, and the documents encoded.
// It refreshes first when recent may not know every write since the last
// refresh (the first call, one after a failed write, again), waiting for
// the calls before t to end.
func (es *Store) decide(ctx context.Context, recs []extract.Record, lines []*extract.Line, stale map[int]bool, t *putTicket, again bool) (*putPlan, []index.Failure, error) {
	p := &putPlan{es: es, recs: recs}
	touched := &touchSet{}
	vs := &esVersions{es: es, touched: touched}
	var ids []string
	for _, r := range recs {
		if r.ID != "" {
			ids = append(ids, r.ID)
			p.valid = append(p.valid, r)
			touched.record(&r)
		}
	}
	// Searches see documents as of the last refresh; what this store
	// wrote or is writing since is overlaid from recent, so most calls
	// need no refresh. The first call refreshes (documents another store
	// wrote become visible), as does one after a failed write (recent may
	// not know what was written) or when recent has grown large.
	if again || !es.recent.isFresh() {
		if err := t.waitPrev(ctx); err != nil {
			return p, p.notWritten(err), err
		}
		if err := es.Refresh(ctx); err != nil {
			return p, p.notWritten(err), err
		}
		es.recent.reset()
	}
	// One search for what the batch itself names answers most of what
	// Regroup asks (all of it when the reports are new to the store).
	if err := vs.prefetch(ctx, p.valid); err != nil {
		return p, p.notWritten(err), err
	}
	var err error
	if p.before, err = vs.Versions(ctx, index.VersionSelect{IDs: ids}); err != nil {
		return p, p.notWritten(err), err
	}
	p.now = time.Now().UnixNano()
	plan := &plannedVersions{esVersions: vs, incoming: map[string]bool{}, own: map[string]index.VersionUpdate{}}
	for _, id := range ids {
		plan.incoming[id] = true
	}
	if err := index.Regroup(ctx, plan, p.valid, p.before, p.now); err != nil {
		return p, p.notWritten(err), fmt.Errorf("elasticsearch: versions: %w", err)
	}
	p.others = plan.others
	p.bodies, p.errs = es.encodeAll(recs, func(i int, r *extract.Record) ([]byte, error) {
		u, ok := plan.own[r.ID]
		if !ok {
			return nil, fmt.Errorf("no version state decided for %s", r.ID)
		}
		if stale[i] {
			return nil, fmt.Errorf("its line holds %s checks, which the store decides", index.VersionsCheck)
		}
		var line *extract.Line
		if lines != nil {
			line = lines[i]
		}
		return es.versionedDoc(r, u, line)
	})
	// The calls after this one decide against what it is about to write.
	es.recent.plan(plan.own, plan.others)
	es.pending.add(t.seq, p.valid)
	p.independent = es.pipe.claim(t, touched) && !again
	return p, nil, nil
}

// write sends a plan's documents, then the new states of the others.
func (es *Store) write(ctx context.Context, p *putPlan) ([]index.Failure, error) {
	failures, err := es.putRecords(ctx, p.recs, p.bodies, p.errs)
	if err != nil {
		es.recent.invalidate()
		return failures, err
	}
	vs := &esVersions{es: es}
	if len(failures) == 0 {
		if err := vs.writeVersions(ctx, p.others); err != nil {
			es.recent.invalidate()
			return failures, fmt.Errorf("elasticsearch: versions: %w: %w", index.ErrAfterWrite, err)
		}
		return failures, nil
	}
	// Some records were refused: decide their reports again from what was
	// written. The records written kept the states decided before;
	// Regroup saves those that changed, so recent misses some: the next
	// call refreshes.
	es.recent.invalidate()
	bad := map[string]bool{}
	for _, f := range failures {
		bad[f.ID] = true
	}
	written := slices.DeleteFunc(slices.Clone(p.valid), func(r extract.Record) bool { return bad[r.ID] })
	if err := es.Refresh(ctx); err != nil {
		return failures, fmt.Errorf("elasticsearch: versions: %w: %w", index.ErrAfterWrite, err)
	}
	es.recent.reset()
	if err := index.Regroup(ctx, vs, written, p.before, p.now); err != nil {
		return failures, fmt.Errorf("elasticsearch: versions: %w: %w", index.ErrAfterWrite, err)
	}
	es.recent.invalidate()
	return failures, nil
}

// putPipe orders overlapping calls of Put: decisions one at a time in
// call order, writes in the same order, each after the one before ended,
// unless a call is independent of every call still writing (claim): its
// writes then go at once.
type putPipe struct {
	mu      sync.Mutex
	seq     int64
	last    *putTicket
	ended   atomic.Int64 // every call up to this number has ended
	dirty   atomic.Int64 // the last call that failed or decided again
	decided atomic.Int64 // the last call that has decided
	redone  atomic.Int64 // decisions made again (for tests)
	// claimed holds, for each key a call not yet ended touched, the last
	// such call; all, the last call that touched everything.
	claimed map[string]int64
	all     int64
}

// putTicket is one call's place in the pipe.
type putTicket struct {
	seq     int64
	prev    *putTicket    // nil for the first call
	decided chan struct{} // closed once the call has decided (or given up)
	once    sync.Once
	done    chan struct{} // closed once the call has ended
	claimed []string      // the keys this call holds in putPipe.claimed
}

// touchSet is what one decision depends on and changes: the ids, source
// keys and report keys of the records put, of every selection made and
// of every version read. Two calls whose sets are disjoint decide nothing
// about each other: a version of one report is found through its id, its
// source key or its report key, so a record one call writes or changes
// is in the other's set only if the other read or wrote it too.
type touchSet struct {
	keys map[string]bool
	all  bool // a selection of everything
}

func (t *touchSet) add(kind, v string) {
	if v == "" {
		return
	}
	if t.keys == nil {
		t.keys = map[string]bool{}
	}
	t.keys[kind+":"+v] = true
}

func (t *touchSet) version(v *index.Version) {
	t.add("i", v.ID)
	t.add("s", v.SourceKey)
	t.add("k", v.ReportKey)
}

// record adds the keys of a record being put, as version would once it
// is stored.
func (t *touchSet) record(r *extract.Record) {
	t.add("i", r.ID)
	t.add("s", index.SourceKey(r))
	if r.ReportKey != nil {
		t.add("k", *r.ReportKey)
	}
}

// claim records what call t touched and reports whether no call before
// it that has not ended touched any of it. Calls claim in call order,
// once each decision is made.
func (pp *putPipe) claim(t *putTicket, ts *touchSet) bool {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	ended := pp.ended.Load()
	free := !ts.all && pp.all <= ended
	if pp.claimed == nil {
		pp.claimed = map[string]int64{}
	}
	if ts.all {
		pp.all = t.seq
	}
	for k := range ts.keys {
		if pp.claimed[k] > ended {
			free = false
		}
		pp.claimed[k] = t.seq
		t.claimed = append(t.claimed, k)
	}
	return free
}

// decide marks the call's decision made: the next call may decide.
func (t *putTicket) decide() { t.once.Do(func() { close(t.decided) }) }

// waitDecided waits until the call before t has decided.
func (t *putTicket) waitDecided(ctx context.Context) error {
	if t.prev == nil {
		return nil
	}
	return waitClosed(ctx, t.prev.decided)
}

// waitClosed waits until ch is closed or ctx ends.
func waitClosed(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (pp *putPipe) take() *putTicket {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	pp.seq++
	t := &putTicket{seq: pp.seq, prev: pp.last, decided: make(chan struct{}), done: make(chan struct{})}
	pp.last = t
	return t
}

// taken is the number of calls that have begun.
func (pp *putPipe) taken() int64 {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	return pp.seq
}

// end marks t ended (after the call before it: calls end in order);
// dirty says its writes were not what it planned.
func (pp *putPipe) end(t *putTicket, dirty bool) {
	if t.prev != nil {
		<-t.prev.done
	}
	if dirty {
		pp.dirty.Store(t.seq)
	}
	pp.ended.Store(t.seq)
	pp.mu.Lock()
	if pp.last == t {
		pp.last = nil
	}
	for _, k := range t.claimed {
		if pp.claimed[k] == t.seq {
			delete(pp.claimed, k)
		}
	}
	pp.mu.Unlock()
	close(t.done)
}

// waitPrev waits until the calls before t have ended.
func (t *putTicket) waitPrev(ctx context.Context) error {
	if t.prev == nil {
		return nil
	}
	return waitClosed(ctx, t.prev.done)
}

// pendingFields are the fields of the records calls of Put are writing,
// which a realtime get may not find yet.
type pendingFields struct {
	mu   sync.Mutex
	byID map[string]pendingRecord
}

type pendingRecord struct {
	seq    int64 // the call writing it
	fields map[string]*extract.Number
}

func (pf *pendingFields) add(seq int64, recs []extract.Record) {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if pf.byID == nil {
		pf.byID = map[string]pendingRecord{}
	}
	for i := range recs {
		pf.byID[recs[i].ID] = pendingRecord{seq, recs[i].Fields}
	}
}

// done forgets the records of call seq, which has ended.
func (pf *pendingFields) done(seq int64, recs []extract.Record) {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	for i := range recs {
		if p, ok := pf.byID[recs[i].ID]; ok && p.seq == seq {
			delete(pf.byID, recs[i].ID)
		}
	}
}

// fields puts the fields of the pending ones of ids into out and returns
// the others.
func (pf *pendingFields) fields(ids []string, out map[string]map[string]*extract.Number) []string {
	pf.mu.Lock()
	defer pf.mu.Unlock()
	var rest []string
	for _, id := range ids {
		if p, ok := pf.byID[id]; ok {
			out[id] = p.fields
		} else {
			rest = append(rest, id)
		}
	}
	return rest
}

// maxRecentVersions bounds recent: past it, Put refreshes and forgets.
const maxRecentVersions = 20000

// recentVersions are the versions written by one store since its last
// refresh, or about to be written by a call of Put in flight: searches do
// not see them yet (or see an older state), so Versions takes them from
// here.
type recentVersions struct {
	mu    sync.Mutex
	fresh bool // recent knows every write since the last refresh
	byID  map[string]index.Version
}

// isFresh reports whether decisions can rely on recent without a refresh.
func (r *recentVersions) isFresh() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fresh && len(r.byID) < maxRecentVersions
}

// reset forgets everything: the caller has just refreshed.
func (r *recentVersions) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID = nil
	r.fresh = true
}

// invalidate says a write may have ended otherwise than planned.
func (r *recentVersions) invalidate() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fresh = false
}

// plan keeps the states a call is about to write.
func (r *recentVersions) plan(own map[string]index.VersionUpdate, others []index.VersionUpdate) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range own {
		r.addLocked(u)
	}
	for _, u := range others {
		r.addLocked(u)
	}
}

// add keeps the state u gives its record.
func (r *recentVersions) add(u index.VersionUpdate) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(u)
}

func (r *recentVersions) addLocked(u index.VersionUpdate) {
	if r.byID == nil {
		r.byID = map[string]index.Version{}
	}
	v := u.Version
	st := u.New
	st.Checks = slices.Clone(u.New.Checks)
	v.State = &st
	r.byID[v.ID] = v
}

// overlay corrects what a search for sel returned (got, as of the last
// refresh) with the recent writes: a recent document replaces its
// searched copy, and is added when it matches sel but the search did not
// return it; one that no longer matches sel is left out.
func (r *recentVersions) overlay(sel index.VersionSelect, got []index.Version) []index.Version {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.byID) == 0 {
		return got
	}
	match := func(v *index.Version) bool { return sel.All }
	if !sel.All {
		ids, sources, keys := setOf(sel.IDs), setOf(sel.Sources), setOf(sel.Keys)
		match = func(v *index.Version) bool {
			return ids[v.ID] || sources[v.SourceKey] || (v.ReportKey != "" && keys[v.ReportKey])
		}
	}
	out := got[:0]
	seen := make(map[string]bool, len(got))
	for _, g := range got {
		seen[g.ID] = true
		if v, ok := r.byID[g.ID]; ok {
			if !match(&v) {
				continue
			}
			g = v
			st := *v.State
			g.State = &st
		}
		out = append(out, g)
	}
	for id, v := range r.byID {
		if seen[id] || !match(&v) {
			continue
		}
		st := *v.State
		v.State = &st
		out = append(out, v)
	}
	return out
}

func setOf(vals []string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

// plannedVersions decides versions before the records are written: the
// states of the records being put are kept for their documents, the
// others are written after them.
type plannedVersions struct {
	*esVersions
	incoming map[string]bool
	own      map[string]index.VersionUpdate
	others   []index.VersionUpdate
}

// Versions hides the stored state of the records being put: their
// documents are written anew, so each needs its state saved.
func (p *plannedVersions) Versions(ctx context.Context, sel index.VersionSelect) ([]index.Version, error) {
	got, err := p.esVersions.Versions(ctx, sel)
	for i := range got {
		if p.incoming[got[i].ID] {
			got[i].State = nil
		}
	}
	return got, err
}

func (p *plannedVersions) SaveVersions(_ context.Context, ups []index.VersionUpdate) error {
	for _, u := range ups {
		if p.incoming[u.ID] {
			p.own[u.ID] = u
		} else {
			p.others = append(p.others, u)
		}
	}
	return nil
}

// versionedDoc is the document of a record with its version state: the
// record (its line when given, else encoded by Config.EncodeRecord), its
// versions.agree checks after its own, and "versions" last.
func (es *Store) versionedDoc(r *extract.Record, u index.VersionUpdate, line *extract.Line) ([]byte, error) {
	var b []byte
	if line != nil {
		b = line.AppendWithChecks(make([]byte, 0, len(line.JSON)+512), u.New.Checks)
	} else {
		rec := r
		if len(u.New.Checks) > 0 {
			c := *r
			c.Checks = append(slices.Clone(r.Checks), u.New.Checks...)
			rec = &c
		}
		var err error
		if b, err = es.encode(rec); err != nil {
			return nil, err
		}
		b = bytes.TrimRight(b, " \t\r\n")
	}
	if len(b) < 2 || b[len(b)-1] != '}' {
		return nil, fmt.Errorf("record %s does not encode as a JSON object", r.ID)
	}
	v, err := json.Marshal(newVersionsDoc(u))
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-1], `,"versions":`...)
	b = append(b, v...)
	return append(b, '}'), nil
}

// backfillVersions decides the versions of documents that have none (an
// index made before versions were kept, the mapping having gained the
// versions object in place).
func (es *Store) backfillVersions(ctx context.Context) error {
	if err := es.Refresh(ctx); err != nil {
		return fmt.Errorf("elasticsearch: versions: %w", err)
	}
	var res struct {
		Count int `json:"count"`
	}
	q := map[string]any{"query": map[string]any{"bool": map[string]any{"must_not": []any{
		map[string]any{"exists": map[string]any{"field": "versions.source_key"}},
	}}}}
	if err := es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_count", q, &res); err != nil {
		return fmt.Errorf("elasticsearch: versions: %w", err)
	}
	if res.Count == 0 {
		return nil
	}
	es.cfg.Logf("elasticsearch: deciding the versions of %d records stored without them", res.Count)
	if err := index.RegroupAll(ctx, &esVersions{es: es}); err != nil {
		return fmt.Errorf("elasticsearch: versions: %w", err)
	}
	return es.Refresh(ctx)
}

// esVersions is the index.VersionStore of an Elasticsearch store.
type esVersions struct {
	es  *Store
	pre *prefetched // nil: every selection is searched
	// touched, when not nil, gathers the keys of what the selections
	// named and found (touchSet).
	touched *touchSet
}

// prefetched is what one search returned for the ids, source keys and
// report keys of a batch: a selection within those is answered from it.
type prefetched struct {
	ids, sources, keys map[string]bool
	got                []index.Version
}

// prefetch searches once for the stored records that share an id, a
// source or a report key with recs.
func (v *esVersions) prefetch(ctx context.Context, recs []extract.Record) error {
	p := &prefetched{ids: map[string]bool{}, sources: map[string]bool{}, keys: map[string]bool{}}
	for i := range recs {
		r := &recs[i]
		p.ids[r.ID] = true
		p.sources[index.SourceKey(r)] = true
		if r.ReportKey != nil && *r.ReportKey != "" {
			p.keys[*r.ReportKey] = true
		}
	}
	v.pre = nil
	got, err := v.searchVersions(ctx, index.VersionSelect{IDs: slices.Sorted(maps.Keys(p.ids)),
		Sources: slices.Sorted(maps.Keys(p.sources)), Keys: slices.Sorted(maps.Keys(p.keys))})
	if err != nil {
		return err
	}
	p.got = got
	v.pre = p
	return nil
}

// versionHit is the part of a document Versions reads.
type versionHit struct {
	ID        string                     `json:"id"`
	Source    extract.Source             `json:"source"`
	ReportKey *string                    `json:"report_key"`
	Checks    []extract.Check            `json:"checks"`
	Warnings  []string                   `json:"warnings"`
	Fields    map[string]*extract.Number `json:"fields"`
	Versions  *versionsDoc               `json:"versions"`
}

// versionTerms is how many values one terms clause of a versions search
// holds (a var for tests).
var versionTerms = 1000

// Versions returns the stored records sel picks, with what this store
// wrote since the last refresh (recentVersions).
func (v *esVersions) Versions(ctx context.Context, sel index.VersionSelect) ([]index.Version, error) {
	got, err := v.searchVersions(ctx, sel)
	if err != nil {
		return nil, err
	}
	got = v.es.recent.overlay(sel, got)
	if t := v.touched; t != nil {
		t.all = t.all || sel.All
		for _, id := range sel.IDs {
			t.add("i", id)
		}
		for _, s := range sel.Sources {
			t.add("s", s)
		}
		for _, k := range sel.Keys {
			t.add("k", k)
		}
		for i := range got {
			t.version(&got[i])
		}
	}
	return got, nil
}

// searchVersions returns the stored records sel picks, as searches see
// them.
func (v *esVersions) searchVersions(ctx context.Context, sel index.VersionSelect) ([]index.Version, error) {
	if sel.All {
		return v.page(ctx, map[string]any{"match_all": map[string]any{}}, true)
	}
	var out []index.Version
	seen := map[string]bool{}
	if p := v.pre; p != nil {
		// What the prefetch covered is taken from it; the rest searched.
		ids, sources, keys := map[string]bool{}, map[string]bool{}, map[string]bool{}
		var rest index.VersionSelect
		for _, by := range []struct {
			vals    []string
			covered map[string]bool
			want    map[string]bool
			rest    *[]string
		}{{sel.IDs, p.ids, ids, &rest.IDs}, {sel.Sources, p.sources, sources, &rest.Sources}, {sel.Keys, p.keys, keys, &rest.Keys}} {
			for _, s := range by.vals {
				if by.covered[s] {
					by.want[s] = true
				} else {
					*by.rest = append(*by.rest, s)
				}
			}
		}
		for _, g := range p.got {
			if ids[g.ID] || sources[g.SourceKey] || (g.ReportKey != "" && keys[g.ReportKey]) {
				seen[g.ID] = true
				out = append(out, g)
			}
		}
		sel = rest
	}
	// One search for as many terms as a clause may hold of each of the
	// three (a batch's worth in one round trip, not three), then one more
	// for the next of each, and so on.
	by := []struct {
		field string
		vals  []string
	}{{"id", sel.IDs}, {"versions.source_key", sel.Sources}, {"report_key", sel.Keys}}
	for start := 0; ; start += versionTerms {
		var should []any
		for _, b := range by {
			if start < len(b.vals) {
				part := b.vals[start:min(start+versionTerms, len(b.vals))]
				should = append(should, map[string]any{"terms": map[string]any{b.field: part}})
			}
		}
		if len(should) == 0 {
			return out, nil
		}
		query := should[0]
		if len(should) > 1 {
			query = map[string]any{"bool": map[string]any{"should": should, "minimum_should_match": 1}}
		}
		got, err := v.page(ctx, query, false)
		if err != nil {
			return nil, err
		}
		for _, g := range got {
			if !seen[g.ID] {
				seen[g.ID] = true
				out = append(out, g)
			}
		}
	}
}

// page reads every document matching query, in id order; withFields
// reads the fields too, for documents stored without versions.
func (v *esVersions) page(ctx context.Context, query any, withFields bool) ([]index.Version, error) {
	es := v.es
	var out []index.Version
	var after []any
	for {
		body := map[string]any{
			"size":    scanPage,
			"sort":    []any{map[string]any{"id": "asc"}},
			"query":   query,
			"_source": []string{"id", "source.path", "source.url", "source.fetched_at", "report_key", "checks", "warnings", "versions"},
		}
		if withFields {
			body["_source"] = append(body["_source"].([]string), "fields")
		}
		if after != nil {
			body["search_after"] = after
		}
		var res struct {
			Hits struct {
				Hits []struct {
					Source versionHit `json:"_source"`
					Sort   []any      `json:"sort"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if err := es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_search", body, &res); err != nil {
			return nil, fmt.Errorf("read versions: %w", err)
		}
		hits := res.Hits.Hits
		for _, h := range hits {
			d := h.Source
			r := extract.Record{ID: d.ID, Source: d.Source, ReportKey: d.ReportKey, Checks: d.Checks, Warnings: d.Warnings, Fields: d.Fields}
			ver := index.VersionOf(&r) // fields counted and digested, not kept
			if !withFields {
				ver.Numbers, ver.Keys = "", 0 // from versions below
			}
			st := &index.VersionState{}
			for _, c := range d.Checks {
				if c.Name == index.VersionsCheck {
					st.Checks = append(st.Checks, c)
				}
			}
			if d.Versions != nil {
				ver.StoredAt = d.Versions.StoredAt
				if !withFields {
					ver.Numbers, ver.Keys = d.Versions.Numbers, d.Versions.Keys
				}
				st.Latest, st.Current = d.Versions.Latest, d.Versions.Current
				ver.State = st
			} else if len(st.Checks) > 0 {
				// Copied from an older index without its versions object:
				// the stale checks must go (RegroupAll decides the rest).
				ver.State = st
			}
			out = append(out, ver)
		}
		if len(hits) < scanPage {
			return out, nil
		}
		after = hits[len(hits)-1].Sort
	}
}

// VersionFields returns the fields of the given records: those a call of
// Put is still writing from its records, the others from the index.
func (v *esVersions) VersionFields(ctx context.Context, ids []string) (map[string]map[string]*extract.Number, error) {
	out := make(map[string]map[string]*extract.Number, len(ids))
	ids = v.es.pending.fields(ids, out)
	err := v.mget(ctx, ids, "fields", func(id string, src json.RawMessage) error {
		var d struct {
			Fields map[string]*extract.Number `json:"fields"`
		}
		if err := json.Unmarshal(src, &d); err != nil {
			return fmt.Errorf("record %s: fields: %w", id, err)
		}
		out[id] = d.Fields
		return nil
	})
	return out, err
}

func (v *esVersions) mget(ctx context.Context, ids []string, includes string, fn func(id string, src json.RawMessage) error) error {
	es := v.es
	for start := 0; start < len(ids); start += mgetBatch {
		part := ids[start:min(start+mgetBatch, len(ids))]
		var res struct {
			Docs []struct {
				ID     string          `json:"_id"`
				Found  bool            `json:"found"`
				Source json.RawMessage `json:"_source"`
			} `json:"docs"`
		}
		path := "/" + url.PathEscape(es.alias) + "/_mget?realtime=true&_source_includes=" + url.QueryEscape(includes)
		if err := es.call(ctx, http.MethodPost, path, map[string]any{"ids": part}, &res); err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		for _, d := range res.Docs {
			if d.Found {
				if err := fn(d.ID, d.Source); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// versionUpdates is how many documents one bulk request updates.
const versionUpdates = 500

// SaveVersions writes the new states with partial updates: the versions
// object, and the checks (the record's own, then the new versions.agree
// ones) where those changed; recent keeps them.
func (v *esVersions) SaveVersions(ctx context.Context, ups []index.VersionUpdate) error {
	if err := v.writeVersions(ctx, ups); err != nil {
		return err
	}
	for _, u := range ups {
		v.es.recent.add(u)
	}
	return nil
}

// writeVersions writes the states; recent is not told (a call of Put
// told it when it decided them, and a later call may have decided
// otherwise since).
func (v *esVersions) writeVersions(ctx context.Context, ups []index.VersionUpdate) error {
	es := v.es
	var need []string
	for _, u := range ups {
		if checksChange(u) {
			need = append(need, u.ID)
		}
	}
	own := map[string][]extract.Check{}
	if err := v.mget(ctx, need, "checks", func(id string, src json.RawMessage) error {
		var d struct {
			Checks []extract.Check `json:"checks"`
		}
		if err := json.Unmarshal(src, &d); err != nil {
			return fmt.Errorf("record %s: checks: %w", id, err)
		}
		own[id] = slices.DeleteFunc(d.Checks, func(c extract.Check) bool { return c.Name == index.VersionsCheck })
		return nil
	}); err != nil {
		return err
	}
	for start := 0; start < len(ups); start += versionUpdates {
		var bulk bytes.Buffer
		for _, u := range ups[start:min(start+versionUpdates, len(ups))] {
			doc := map[string]any{"versions": newVersionsDoc(u)}
			if checksChange(u) {
				doc["checks"] = append(slices.Clone(own[u.ID]), u.New.Checks...)
			}
			meta, _ := json.Marshal(map[string]any{"update": map[string]any{"_id": u.ID, "retry_on_conflict": 3}})
			line, err := json.Marshal(map[string]any{"doc": doc})
			if err != nil {
				return err
			}
			bulk.Write(meta)
			bulk.WriteByte('\n')
			bulk.Write(line)
			bulk.WriteByte('\n')
		}
		var out struct {
			Errors bool `json:"errors"`
			Items  []map[string]struct {
				ID    string          `json:"_id"`
				Error json.RawMessage `json:"error"`
			} `json:"items"`
		}
		if err := es.callRaw(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_bulk", "application/x-ndjson", bulk.Bytes(), &out); err != nil {
			return fmt.Errorf("write versions: %w", err)
		}
		if out.Errors {
			for _, it := range out.Items {
				for _, r := range it {
					if len(r.Error) > 0 {
						return fmt.Errorf("write versions: record %s: %s", r.ID, es.redact(string(r.Error)))
					}
				}
			}
		}
	}
	return nil
}

// checksChange reports whether the versions.agree checks of a document
// must be written: they changed, or the document has no state yet and
// gets some (a document just written holds only the record's checks).
func checksChange(u index.VersionUpdate) bool {
	if u.State == nil {
		return len(u.New.Checks) > 0
	}
	return !slices.Equal(u.State.Checks, u.New.Checks)
}

func newVersionsDoc(u index.VersionUpdate) versionsDoc {
	return versionsDoc{SourceKey: u.SourceKey, StoredAt: u.StoredAt, Latest: u.New.Latest, Current: u.New.Current,
		Numbers: u.Numbers, Keys: u.Keys}
}
