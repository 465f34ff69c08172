// Package sqlite is the embedded local store: records in one SQLite file
// (modernc.org/sqlite, no cgo) that people can open directly as well.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"ogi/extract"
	"ogi/index"
	"ogi/numeral"
	"ogi/region"
)

// The SQLite file is meant to be opened directly by people (DB Browser,
// Datasette, pandas, R) as well as by ogi. Each record is stored once, in
// reports; the other tables people query are views of it:
//
//	reports  one row per record: rid (integer key), metadata columns, the
//	         narrative sections (overview, problems, other, one more
//	         column per further section key, all of them as JSON in
//	         "sections"), the whole record as JSON in record_json, then
//	         one column per key of fields.tsv, named exactly as the key
//	         ("requests.new.natural_person", quote it in SQL). Count columns
//	         are INTEGER, so SUM in plain SQL is exact. The two 万元 columns
//	         are REAL for convenience in SQL and data frames; their exact
//	         decimal text is in cells.value, and Sum adds that text exactly.
//	cells    view (report_id, key, value, raw): every field of every record,
//	         value as canonical decimal text (NULL for a blank or dash cell),
//	         raw as printed, read from record_json. Holds keys outside
//	         fields.tsv too.
//	checks   view (report_id, seq, name, ok, detail): the arithmetic checks.
//	fields   the dictionary of fields.tsv (key, template, tbl, row, col,
//	         unit, label_zh).
//	reports_fts  contentless FTS5 (ascii tokenizer over text segmented by
//	         ogi), rowid = reports.rid, over
//	         agency and narrative text written as overlapping CJK bigrams:
//	         政府信息 is indexed as 政府 府信 信息, so a two-character word is one
//	         token and a longer phrase a phrase query. Search segments
//	         queries the same way; a query holding a lone CJK character falls
//	         back to a substring scan.
//
// PRAGMA user_version is the schema version; Open migrates older files
// (inside one BEGIN IMMEDIATE transaction that checks the version again,
// so concurrent runs migrate once) and refuses newer ones. The file is in
// WAL mode with synchronous=NORMAL: a batch is one transaction, so a
// crash or kill -9 loses at most the batch being written, never part of a
// record.

// Store is the embedded local store: one file, safe to copy when no run
// is writing to it.
type Store struct {
	db   *sql.DB
	path string

	mu          sync.Mutex // serializes Put; guards the fields below
	sectionCols []string   // section columns of reports besides the base ones
	lastChanged int

	stmts map[string]*sql.Stmt // prepared writes, reused across batches (guarded by mu)

	dirty              atomic.Bool // written since the last checkpoint
	stopCkpt, ckptDone chan struct{}
	closeOnce          sync.Once

	afterRecord func(i int) // test hook: called after each record written in Put
}

const schemaVersion = 4

// Base columns of reports, in order, before section and field columns.
var reportBaseCols = append([]string{
	"id", "path", "sha256", "format", "size", "url", "fetched_at",
	"agency", "year", "published", "template", "report_key", "extractor",
	"checks_failed", "warnings", "sections", "overview", "problems", "other",
	"record_json",
}, regionCols...)

// checksFailedCol is the place of checks_failed in reportBaseCols.
var checksFailedCol = slices.Index(reportBaseCols, "checks_failed")

// regionCols place the agency (schema 2): the region's code and names, its
// level, the agency kind and agency id.
var regionCols = []string{"region_code", "province", "city", "county", "town", "level", "agency_kind", "agency_id"}

// regionArgs are a record's values for regionCols.
func regionArgs(r *extract.Record) []any {
	g := r.Region
	if g == nil {
		g = &region.Region{}
	}
	return []any{nullString(g.Code), nullString(g.Province), nullString(g.City), nullString(g.County),
		nullString(g.Town), nullString(string(g.Level)), ptrString(r.AgencyKind), ptrString(r.AgencyID)}
}

// fieldKeys caches extract.FieldKeys, which builds the list anew on
// every call.
var fieldKeys = extract.FieldKeys()

var sectionKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// Open opens or creates the store file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open sqlite %q: %w: bad file name", path, index.ErrUnavailable)
	}
	// A new file gets 16 KB pages: a record is some 40 KB, and with the
	// default 4 KB it spanned ten overflow pages, each a WAL frame written
	// and checkpointed (about 10% of the store's CPU). page_size only
	// applies to a file without tables, so it is set before journal_mode
	// (_journal_mode runs after the _pragma list; WAL fixes the page
	// size); an existing file keeps its own.
	//
	// The writer checkpoints at the end of a commit once the WAL holds
	// 1,000 pages (16 MB), besides the checkpointer's passive ones: a
	// passive checkpoint overlapping a write never completes, so without
	// the writer's the WAL was never rewound. It grew past the file itself
	// (170 MB for 2,000 reports, 96 MB of file), and closing it (the last
	// checkpoint, then deleting the WAL) took 0.3–0.6 s after the last
	// batch, 10–15% of an ingest of 2,000 files; it takes 0.03–0.1 s now.
	dsn := "file:" + path +
		"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=page_size(16384)" +
		"&_journal_mode=WAL&_synchronous=NORMAL&_pragma=wal_autocheckpoint(1000)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w: %v", path, index.ErrUnavailable, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path, stopCkpt: make(chan struct{}), ckptDone: make(chan struct{})}
	// Runs opening a new file at once race to set it up (the first one
	// turns it to WAL while the others look); a lock refused without
	// waiting there is tried again.
	for try := 0; ; try++ {
		err = s.migrate(ctx)
		if err == nil || try == 50 || !isBusy(err) || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(10+try*10) * time.Millisecond)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w: %v", path, index.ErrUnavailable, err)
	}
	go s.checkpointer()
	return s, nil
}

// isBusy reports a lock SQLite refused (SQLITE_BUSY).
func isBusy(err error) bool {
	return strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked")
}

// checkpointInterval is how often the WAL is folded into the file while
// writes go on.
const checkpointInterval = time.Second

// checkpointer folds the WAL back into the file once a second after
// writes, on a connection of its own: a checkpoint waits for the disk
// (fsync), and done by the writer at the end of every commit it held up
// the next batch. A passive checkpoint never blocks the writer; the
// writer's own, past 16 MB of WAL (Open), then has little left to copy
// and rewinds the WAL; the last connection to close does a full one.
func (s *Store) checkpointer() {
	defer close(s.ckptDone)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stopCkpt:
			return
		case <-t.C:
			if s.dirty.Swap(false) {
				s.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}
}

// migrations[i] brings the schema from version i to i+1.
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	schema1,
	schema2,
	schemaVersions, // versions.go
	schema4,
}

// schema2 adds the region columns and places the records already stored
// from their agency name and source URL (extract.Place), in their
// record_json too. Their extractor version is kept, so the next ingest of
// their files re-extracts them with the whole document as context.
func schema2(ctx context.Context, tx *sql.Tx) error {
	for _, c := range regionCols {
		if _, err := tx.ExecContext(ctx, "ALTER TABLE reports ADD COLUMN "+ident(c)+" TEXT"); err != nil {
			return fmt.Errorf("schema 2: %w", err)
		}
	}
	for _, q := range []string{
		`CREATE INDEX reports_region_code ON reports(region_code)`,
		`CREATE INDEX reports_agency_id ON reports(agency_id)`,
		`CREATE INDEX reports_level ON reports(level)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("schema 2: %w", err)
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, record_json FROM reports ORDER BY id")
	if err != nil {
		return fmt.Errorf("schema 2: %w", err)
	}
	var recs []extract.Record
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			rows.Close()
			return fmt.Errorf("schema 2: %w", err)
		}
		var r extract.Record
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			rows.Close()
			return fmt.Errorf("schema 2: record %s: %w", id, err)
		}
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("schema 2: %w", err)
	}
	set := make([]string, 0, len(regionCols))
	for _, c := range regionCols {
		set = append(set, ident(c)+" = ?")
	}
	upd, err := tx.PrepareContext(ctx, "UPDATE reports SET record_json = ?, report_key = ?, warnings = ?, "+strings.Join(set, ", ")+" WHERE id = ?")
	if err != nil {
		return fmt.Errorf("schema 2: %w", err)
	}
	defer upd.Close()
	for i := range recs {
		r := &recs[i]
		extract.Place(r)
		js, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("schema 2: record %s: %w", r.ID, err)
		}
		warnings, _ := json.Marshal(nonNil(r.Warnings))
		args := append([]any{string(js), ptrString(r.ReportKey), string(warnings)}, regionArgs(r)...)
		if _, err := upd.ExecContext(ctx, append(args, r.ID)...); err != nil {
			return fmt.Errorf("schema 2: record %s: %w", r.ID, err)
		}
	}
	return nil
}

func schema1(ctx context.Context, tx *sql.Tx) error {
	var b strings.Builder
	b.WriteString(`CREATE TABLE reports (
	id TEXT PRIMARY KEY,
	path TEXT, sha256 TEXT, format TEXT, size INTEGER, url TEXT, fetched_at TEXT,
	agency TEXT, year INTEGER, published TEXT, template TEXT, report_key TEXT,
	extractor TEXT NOT NULL,
	checks_failed INTEGER NOT NULL,
	warnings TEXT NOT NULL,
	sections TEXT NOT NULL,
	overview TEXT, problems TEXT, other TEXT,
	record_json TEXT NOT NULL`)
	for _, k := range fieldKeys {
		fmt.Fprintf(&b, ",\n\t%s %s", ident(k), fieldType(k))
	}
	b.WriteString("\n)")
	stmts := []string{
		b.String(),
		`CREATE INDEX reports_year ON reports(year)`,
		`CREATE INDEX reports_agency ON reports(agency)`,
		`CREATE INDEX reports_template ON reports(template)`,
		`CREATE INDEX reports_report_key ON reports(report_key)`,
		`CREATE TABLE cells (
	report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	value TEXT,
	raw TEXT,
	PRIMARY KEY (report_id, key)
) WITHOUT ROWID`,
		`CREATE TABLE checks (
	report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	name TEXT NOT NULL,
	ok INTEGER NOT NULL,
	detail TEXT,
	PRIMARY KEY (report_id, seq)
) WITHOUT ROWID`,
		`CREATE TABLE fields (
	key TEXT NOT NULL, template TEXT NOT NULL, tbl INTEGER, row TEXT, col TEXT,
	unit TEXT, label_zh TEXT,
	PRIMARY KEY (key, template)
)`,
		`CREATE VIRTUAL TABLE reports_fts USING fts5(id UNINDEXED, agency, body, tokenize = 'unicode61')`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("schema 1: %w", err)
		}
	}
	return nil
}

// schema4 keeps each record once: the cells and checks tables become
// views over record_json (they were about 200 rows per report, each
// carrying the hex id), reports gains an integer key (rid) and the
// full-text index becomes contentless, keyed by rid. Everything already
// stored is carried over.
func schema4(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT name, type, \"notnull\" FROM pragma_table_info('reports') ORDER BY cid")
	if err != nil {
		return fmt.Errorf("schema 4: %w", err)
	}
	var defs, names []string
	for rows.Next() {
		var name, typ string
		var notNull bool
		if err := rows.Scan(&name, &typ, &notNull); err != nil {
			rows.Close()
			return fmt.Errorf("schema 4: %w", err)
		}
		names = append(names, ident(name))
		d := ident(name) + " " + typ
		switch {
		case name == "id":
			d += " NOT NULL UNIQUE"
		case notNull:
			d += " NOT NULL"
		}
		defs = append(defs, d)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("schema 4: %w", err)
	}
	cols := strings.Join(names, ", ")
	stmts := []string{
		"CREATE TABLE reports_v2 (\n\trid INTEGER PRIMARY KEY,\n\t" + strings.Join(defs, ",\n\t") + "\n)",
		"INSERT INTO reports_v2 (" + cols + ") SELECT " + cols + " FROM reports ORDER BY id",
		// The text is tokenized already (bigramText: CJK bigrams and
		// lower-cased words, one space between), so the ascii tokenizer,
		// which only splits on ASCII spaces and punctuation, reads it as
		// unicode61 would at a fraction of the cost.
		`CREATE VIRTUAL TABLE reports_fts_v2 USING fts5(agency, body, content = '', contentless_delete = 1, tokenize = 'ascii')`,
		// Segments are merged once 8 of a level exist, not FTS5's 4: each
		// write adds a segment or two, and merging took a third of the
		// full-text index's time (about 3% of an ingest's CPU saved), for
		// a few more segments a search reads.
		`INSERT INTO reports_fts_v2 (reports_fts_v2, rank) VALUES ('automerge', 8)`,
		`INSERT INTO reports_fts_v2 (rowid, agency, body) SELECT r.rid, f.agency, f.body FROM reports_fts f JOIN reports_v2 r ON r.id = f.id`,
		`DROP TABLE cells`,
		`DROP TABLE checks`,
		`DROP TABLE reports_fts`,
		`DROP TABLE reports`,
		`ALTER TABLE reports_v2 RENAME TO reports`,
		`ALTER TABLE reports_fts_v2 RENAME TO reports_fts`,
		`CREATE INDEX reports_year ON reports(year)`,
		`CREATE INDEX reports_agency ON reports(agency)`,
		`CREATE INDEX reports_template ON reports(template)`,
		`CREATE INDEX reports_report_key ON reports(report_key)`,
		`CREATE INDEX reports_region_code ON reports(region_code)`,
		`CREATE INDEX reports_agency_id ON reports(agency_id)`,
		`CREATE INDEX reports_level ON reports(level)`,
		`CREATE INDEX reports_source_key ON reports(source_key)`,
		`CREATE INDEX reports_current ON reports(current, year)`,
		// value is the canonical decimal text exactly as in record_json
		// (-> gives a number's JSON text), NULL for a blank or dash cell.
		`CREATE VIEW cells (report_id, key, value, raw) AS
SELECT r.id, f.key, CASE f.type WHEN 'null' THEN NULL ELSE r.record_json -> f.fullkey END,
	r.record_json ->> ('$.raw.' || json_quote(f.key))
FROM reports r, json_each(r.record_json, '$.fields') f
WHERE f.key IS NOT NULL
UNION ALL
SELECT r.id, w.key, NULL, w.atom
FROM reports r, json_each(r.record_json, '$.raw') w
WHERE w.key IS NOT NULL AND r.record_json -> ('$.fields.' || json_quote(w.key)) IS NULL`,
		`CREATE VIEW checks (report_id, seq, name, ok, detail) AS
SELECT r.id, c.key, c.value ->> '$.name', c.value ->> '$.ok', c.value ->> '$.detail'
FROM reports r, json_each(r.record_json, '$.checks') c
WHERE c.key IS NOT NULL
UNION ALL
SELECT r.id, r.n_checks + v.key, v.value ->> '$.name', v.value ->> '$.ok', v.value ->> '$.detail'
FROM reports r, json_each(r.version_checks) v
WHERE v.key IS NOT NULL`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("schema 4: %w", err)
		}
	}
	return nil
}

func fieldType(key string) string {
	for _, f := range extract.Fields() {
		if f.Key == key && f.Unit == "万元" {
			return "REAL"
		}
	}
	return "INTEGER"
}

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (s *Store) migrate(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program's %d", v, len(migrations))
	}
	if v == len(migrations) {
		return s.loadColumns(ctx)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have migrated between the check and the lock.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	for ; v < len(migrations); v++ {
		if err := migrations[v](ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		return err
	}
	if err := ensureFieldColumns(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return s.loadColumns(ctx)
}

// ensureFieldColumns adds columns for keys that fields.tsv gained since the
// file was made, and refreshes the fields dictionary.
func ensureFieldColumns(ctx context.Context, tx *sql.Tx) error {
	have, err := tableColumns(ctx, tx, "reports")
	if err != nil {
		return err
	}
	for _, k := range fieldKeys {
		if !have[k] {
			q := fmt.Sprintf("ALTER TABLE reports ADD COLUMN %s %s", ident(k), fieldType(k))
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("add column %s: %w", k, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM fields"); err != nil {
		return err
	}
	for _, f := range extract.Fields() {
		if _, err := tx.ExecContext(ctx,
			`INSERT OR REPLACE INTO fields (key, template, tbl, row, col, unit, label_zh) VALUES (?,?,?,?,?,?,?)`,
			f.Key, f.Template, f.Table, f.Row, f.Column, f.Unit, extract.LabelZH(f.Key)); err != nil {
			return err
		}
	}
	return nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func tableColumns(ctx context.Context, q queryer, table string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		cols[n] = true
	}
	return cols, rows.Err()
}

// loadColumns finds the section columns added after the schema was made,
// and the columns of keys fields.tsv gained (added when first missing).
func (s *Store) loadColumns(ctx context.Context) error {
	cols, err := tableColumns(ctx, s.db, "reports")
	if err != nil {
		return err
	}
	for _, k := range fieldKeys {
		if !cols[k] {
			tx, err := s.db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			if err := ensureFieldColumns(ctx, tx); err != nil {
				tx.Rollback()
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
			break
		}
	}
	s.sectionCols, err = sectionColumns(ctx, s.db)
	return err
}

// sectionColumns lists the section columns of reports besides the base
// ones, in table order.
func sectionColumns(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM pragma_table_info('reports') ORDER BY cid")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	base := map[string]bool{"rid": true}
	for _, c := range slices.Concat(reportBaseCols, versionCols) {
		base[c] = true
	}
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if !base[n] && !strings.Contains(n, ".") {
			out = append(out, n)
		}
	}
	return out, rows.Err()
}

// Path returns the file the store lives in.
func (s *Store) Path() string { return s.path }

// LastChanged returns how many records the last Put inserted or replaced;
// records already stored unchanged are not counted.
func (s *Store) LastChanged() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastChanged
}

// Close closes the file; the last connection to close folds the WAL back
// into it.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.stopCkpt)
		<-s.ckptDone
	})
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	s.db.Exec("PRAGMA optimize")
	return s.db.Close()
}

// encoded is a record made ready for the writer: everything that does not
// depend on the file is computed before the write lock is taken, on every
// core.
type encoded struct {
	rec      *extract.Record
	json     string
	base     []any // the reportBaseCols values
	fields   []any // one per fieldKeys
	ftsAgent string
	ftsBody  string
}

// encodeBufs are the buffers a record is encoded in, reused: the JSON of
// a record is some 30 KB.
var encodeBufs = sync.Pool{New: func() any { return new([]byte) }}

func encodeRecord(r *extract.Record) (encoded, error) {
	buf := encodeBufs.Get().(*[]byte)
	defer encodeBufs.Put(buf)
	// The bytes json.Marshal gives, which the files written before hold
	// (a record stored unchanged is recognized by them).
	js, err := extract.AppendJSON((*buf)[:0], r, true)
	if err != nil {
		return encoded{}, err
	}
	p := encoded{rec: r, json: string(js)}
	failed := 0
	for _, c := range r.Checks {
		if !c.OK {
			failed++
		}
	}
	warnings, _ := json.Marshal(nonNil(r.Warnings))
	sections := "{}"
	if len(r.Sections) > 0 {
		sections = string(extract.AppendStringMapJSON(js[len(js):], r.Sections, false))
	}
	p.base = []any{
		r.ID, r.Source.Path, r.Source.SHA256, r.Source.Format, r.Source.Size,
		nullString(r.Source.URL), nullString(r.Source.FetchedAt),
		ptrString(r.Agency), ptrInt(r.Year), ptrString(r.Published), ptrString(r.Template),
		ptrString(r.ReportKey), r.Extractor, failed, string(warnings), sections,
		sectionValue(r, "overview"), sectionValue(r, "problems"), sectionValue(r, "other"),
		p.json,
	}
	p.base = append(p.base, regionArgs(r)...)
	p.fields = make([]any, len(fieldKeys))
	for i, k := range fieldKeys {
		p.fields[i] = numberArg(r.Fields[k])
	}
	agency := ""
	if r.Agency != nil {
		agency = *r.Agency
	}
	p.ftsAgent = bigramText(agency)
	// The narrative (recordNarrative) section by section: the newline
	// between them separates tokens anyway.
	b := js[:0]
	for _, k := range sectionKeysOrdered(r.Sections) {
		b = appendBigrams(b, r.Sections[k])
	}
	p.ftsBody = string(b)
	*buf = b
	return p, nil
}

// encodeAll encodes recs on up to GOMAXPROCS goroutines; failures come
// back in input order.
func encodeAll(recs []extract.Record) ([]encoded, []index.Failure) {
	out := make([]encoded, len(recs))
	reasons := make([]string, len(recs)) // why a record is refused, "" if it is not
	index.ForEach(len(recs), 16, func(i int) {
		r := &recs[i]
		switch {
		case r.ID == "":
			reasons[i] = "record has no id"
		case r.Extractor == "":
			reasons[i] = "record has no extractor version"
		default:
			p, err := encodeRecord(r)
			if err != nil {
				reasons[i] = "encode record: " + err.Error()
			} else {
				out[i] = p
			}
		}
	})
	var todo []encoded
	var failures []index.Failure
	for i := range recs {
		if reasons[i] != "" {
			failures = append(failures, index.Failure{ID: recs[i].ID, Path: recs[i].Source.Path, Reason: reasons[i], Cause: index.ErrRefused})
			continue
		}
		todo = append(todo, out[i])
	}
	return todo, failures
}

// Put writes recs in one transaction. A record already stored with the
// same content is left alone; one that differs (a newer extractor, a
// changed manifest) is replaced with its text. If the context ends or the
// file fails, nothing of this call is written and every record comes back
// as a failure beside the error.
func (s *Store) Put(ctx context.Context, recs []extract.Record) ([]index.Failure, error) {
	recs = index.StripVersionChecks(recs)
	todo, failures := encodeAll(recs)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastChanged = 0
	if len(todo) == 0 {
		return failures, nil
	}
	changed, newCols, err := s.putTx(ctx, todo)
	if err != nil {
		for _, p := range todo {
			failures = append(failures, index.Failure{ID: p.rec.ID, Path: p.rec.Source.Path, Reason: "not written: " + err.Error(), Cause: index.ErrNotWritten})
		}
		return failures, fmt.Errorf("put into %s: %w", s.path, err)
	}
	s.sectionCols = newCols
	s.lastChanged = changed
	return failures, nil
}

// Rows per multi-row INSERT: enough to cut the per-statement cost, few
// enough to stay far below SQLite's 32,766 bound variables. FTS5 writes
// what it holds as a segment at the start of each statement that writes
// to it; 64 rows a statement cost less than 16, or than a batch of 250 in
// one (FTS5's pending lists then grow by reallocation).
const (
	reportRowsPerInsert = 16
	ftsRowsPerInsert    = 64
	lookupChunk         = 500
	maxCachedStmts      = 64 // prepared statements kept across batches
)

func (s *Store) putTx(ctx context.Context, todo []encoded) (changed int, cols []string, err error) {
	tx, err := s.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock in the DSN)
	if err != nil {
		return 0, nil, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	cols, err = s.addSectionColumns(ctx, tx, todo)
	if err != nil {
		return 0, nil, err
	}
	// Columns added in this transaction are not visible to the other
	// connections yet, so the insert is prepared in it, uncached.
	altered := len(cols) != len(s.sectionCols)
	vs := &txVersions{tx: tx}
	before, err := versionsBefore(ctx, vs, todo)
	if err != nil {
		return 0, nil, err
	}

	// The last copy of an id in the call wins, as a later Put would.
	last := make(map[string]int, len(todo))
	ids := make([]string, 0, len(todo))
	for i, p := range todo {
		if _, seen := last[p.rec.ID]; !seen {
			ids = append(ids, p.rec.ID)
		}
		last[p.rec.ID] = i
	}
	type stored struct {
		rid  int64
		json string
	}
	old := map[string]stored{}
	for start := 0; start < len(ids); start += lookupChunk {
		part := ids[start:min(start+lookupChunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		st, err := s.stmt(ctx, tx, "SELECT id, rid, record_json FROM reports WHERE id IN ("+placeholders(len(part))+")")
		if err != nil {
			return 0, nil, err
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return 0, nil, err
		}
		for rows.Next() {
			var id string
			var o stored
			if err := rows.Scan(&id, &o.rid, &o.json); err != nil {
				rows.Close()
				return 0, nil, err
			}
			old[id] = o
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return 0, nil, err
		}
	}
	var write []int // indexes into todo, in call order
	var drop []int64
	for _, id := range ids {
		i := last[id]
		if o, ok := old[id]; ok {
			if o.json == todo[i].json {
				continue
			}
			drop = append(drop, o.rid)
		}
		write = append(write, i)
	}
	// Many rows to a statement: each statement that writes to the
	// full-text index makes it flush what it holds.
	for start := 0; start < len(drop); start += lookupChunk {
		part := drop[start:min(start+lookupChunk, len(drop))]
		args := make([]any, len(part))
		for i, rid := range part {
			args[i] = rid
		}
		for _, q := range []string{"DELETE FROM reports WHERE rid IN ", "DELETE FROM reports_fts WHERE rowid IN "} {
			st, err := s.stmt(ctx, tx, q+"("+placeholders(len(part))+")")
			if err != nil {
				return 0, nil, err
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return 0, nil, err
			}
		}
	}
	written := make(map[string]bool, len(write))
	for _, i := range write {
		written[todo[i].rec.ID] = true
	}
	final, err := regroupPut(ctx, vs, todo, before, written)
	if err != nil {
		return 0, nil, err
	}
	if len(write) == 0 {
		return 0, cols, tx.Commit()
	}
	// The write lock is held from BEGIN IMMEDIATE, so the next rids are
	// ours; the full-text row of a report is its rid.
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(rid), 0) + 1 FROM reports").Scan(&next); err != nil {
		return 0, nil, err
	}
	names := append([]string{"rid"}, reportBaseCols...)
	names = append(names, cols...)
	names = append(names, fieldKeys...)
	// The counts the versions of a report are compared by, known here, so
	// deciding them does not parse record_json again.
	names = append(names, "n_keys", "n_checks")
	names = append(names, finalVersionCols...)
	quoted := make([]string, len(names))
	for i, c := range names {
		quoted[i] = ident(c)
	}
	insReport := "INSERT INTO reports (" + strings.Join(quoted, ", ") + ") VALUES "
	rowMarks := "(" + placeholders(len(names)) + ")"
	for start := 0; start < len(write); start += reportRowsPerInsert {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		part := write[start:min(start+reportRowsPerInsert, len(write))]
		args := make([]any, 0, len(part)*len(names))
		for j, i := range part {
			p := &todo[i]
			args = append(args, next+int64(start+j))
			u, ok := final[p.rec.ID]
			if !ok {
				return 0, nil, fmt.Errorf("record %s: no versions decided", p.rec.ID)
			}
			vargs, failed, err := versionArgs(u)
			if err != nil {
				return 0, nil, err
			}
			base := len(args)
			args = append(args, p.base...)
			args[base+checksFailedCol] = failed
			for _, c := range cols {
				args = append(args, sectionValue(p.rec, c))
			}
			args = append(args, p.fields...)
			args = append(args, len(p.rec.Fields), len(p.rec.Checks))
			args = append(args, vargs...)
		}
		q := insReport + repeatJoin(rowMarks, len(part))
		var st *sql.Stmt
		if altered {
			st, err = tx.PrepareContext(ctx, q)
		} else {
			st, err = s.stmt(ctx, tx, q)
		}
		if err != nil {
			return 0, nil, err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return 0, nil, fmt.Errorf("%s: %w", describe(todo, part), err)
		}
	}
	for start := 0; start < len(write); start += ftsRowsPerInsert {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		part := write[start:min(start+ftsRowsPerInsert, len(write))]
		args := make([]any, 0, 3*len(part))
		for j, i := range part {
			args = append(args, next+int64(start+j), todo[i].ftsAgent, todo[i].ftsBody)
		}
		st, err := s.stmt(ctx, tx, "INSERT INTO reports_fts (rowid, agency, body) VALUES "+repeatJoin("(?,?,?)", len(part)))
		if err != nil {
			return 0, nil, err
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return 0, nil, fmt.Errorf("%s: %w", describe(todo, part), err)
		}
		if s.afterRecord != nil {
			for _, i := range part {
				s.afterRecord(i)
			}
		}
	}
	if isTable, err := vs.isChecksTable(ctx); err != nil {
		return 0, nil, err
	} else if isTable {
		// A file of an older schema keeps the versions.agree checks as
		// rows too, which need the report rows in place.
		ups := make([]index.VersionUpdate, 0, len(write))
		for _, i := range write {
			ups = append(ups, final[todo[i].rec.ID])
		}
		if err := vs.SaveVersions(ctx, ups); err != nil {
			return 0, nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	s.dirty.Store(true)
	return len(write), cols, nil
}

// describe names the records of a failed multi-row statement.
func describe(todo []encoded, part []int) string {
	if len(part) == 1 {
		p := todo[part[0]]
		return fmt.Sprintf("record %s (%s)", p.rec.ID, p.rec.Source.Path)
	}
	first, lastp := todo[part[0]], todo[part[len(part)-1]]
	return fmt.Sprintf("records %s (%s) to %s (%s)", first.rec.ID, first.rec.Source.Path, lastp.rec.ID, lastp.rec.Source.Path)
}

func placeholders(n int) string { return repeatJoin("?", n) }

func repeatJoin(s string, n int) string {
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n * (len(s) + 1))
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s)
	}
	return b.String()
}

// stmt returns query prepared once for the store and bound to tx, so a
// batch does not parse its statements again (database/sql keeps one
// prepared copy per connection).
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, ok := s.stmts[query]
	if !ok && len(s.stmts) >= maxCachedStmts {
		// Statements of ever new sizes (the deletes of a re-run) live
		// with tx.
		return tx.PrepareContext(ctx, query)
	}
	if !ok {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		s.stmts[query] = st
	}
	return tx.StmtContext(ctx, st), nil
}

// addSectionColumns gives a section key that is a plain name its own
// column, so narrative text is readable without JSON functions. Another
// process may have added a column since this one last looked, so the
// columns are read again, under the write lock, before one is added.
func (s *Store) addSectionColumns(ctx context.Context, tx *sql.Tx, todo []encoded) ([]string, error) {
	cols := slices.Clone(s.sectionCols)
	reread := false
	for _, p := range todo {
		for k := range p.rec.Sections {
			if sectionHasColumn(k, cols) || !sectionKeyRE.MatchString(k) || slices.Contains(reportBaseCols, k) || slices.Contains(versionCols, k) || k == "rid" {
				continue
			}
			if !reread {
				reread = true
				have, err := sectionColumns(ctx, tx)
				if err != nil {
					return nil, err
				}
				cols = have
				if sectionHasColumn(k, cols) {
					continue
				}
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE reports ADD COLUMN %s TEXT", ident(k))); err != nil {
				return nil, fmt.Errorf("add section column %s: %w", k, err)
			}
			cols = append(cols, k)
		}
	}
	return cols, nil
}

// sectionHasColumn reports whether section key k has a column of its own.
func sectionHasColumn(k string, extra []string) bool {
	return k == "overview" || k == "problems" || k == "other" || slices.Contains(extra, k)
}

func numberArg(n *extract.Number) any {
	if n == nil || *n == "" {
		return nil
	}
	s := string(*n)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	return s // the column's affinity makes a number of it where it is one
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func ptrString(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func ptrInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func sectionValue(r *extract.Record, k string) any {
	if v, ok := r.Sections[k]; ok {
		return v
	}
	return nil
}

// sectionKeysOrdered gives the sections in a fixed order: overview, problems,
// other, then the rest by key.
func sectionKeysOrdered(sec map[string]string) []string {
	var keys []string
	for _, k := range []string{"overview", "problems", "other"} {
		if _, ok := sec[k]; ok {
			keys = append(keys, k)
		}
	}
	var rest []string
	for k := range sec {
		if k != "overview" && k != "problems" && k != "other" {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// narrative is the searchable text of a record's sections.
func recordNarrative(r *extract.Record) string {
	var b strings.Builder
	for _, k := range sectionKeysOrdered(r.Sections) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.Sections[k])
	}
	return b.String()
}

// Have reports which ids are stored with the given extractor version.
func (s *Store) Have(ctx context.Context, ids []string, extractor string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = false
	}
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := []any{extractor}
		for _, id := range part {
			args = append(args, id)
		}
		q := "SELECT id FROM reports WHERE extractor = ? AND id IN (" +
			strings.TrimSuffix(strings.Repeat("?,", len(part)), ",") + ")"
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("have in %s: %w", s.path, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("have in %s: %w", s.path, err)
			}
			out[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("have in %s: %w", s.path, err)
		}
	}
	return out, nil
}

// ftsQuery is a full-text query made ready for FTS5 or, where it holds a
// lone CJK character no bigram can find, for a substring scan.
type ftsQuery struct {
	match string   // FTS5 MATCH expression; "" when like is used
	like  []string // words every record must contain
	terms []string // what to mark in snippets, most specific first
}

// parseFTSQuery segments q.Text the way the index was written. ok is false
// when the text holds nothing searchable.
func parseFTSQuery(text string) (tq ftsQuery, ok bool) {
	words := strings.Fields(strings.ReplaceAll(text, "\u3000", " "))
	if len(words) == 0 {
		return tq, false
	}
	if len(words) > 1 {
		tq.terms = append(tq.terms, strings.Join(words, " "))
	}
	var phrases []string
	lone := false
	for _, w := range words {
		var toks []string
		bigramSegment(w, func(tok string, single bool) {
			toks = append(toks, tok)
			lone = lone || single
		})
		tq.terms = append(tq.terms, w)
		if len(toks) > 0 {
			phrases = append(phrases, `"`+strings.Join(toks, " ")+`"`)
		}
	}
	if lone {
		tq.like = words
		return tq, true
	}
	if len(phrases) == 0 {
		return tq, false
	}
	tq.match = strings.Join(phrases, " AND ")
	return tq, true
}

// whereClause builds the filter of q over reports aliased r.
func whereClause(q index.Query, tq *ftsQuery) (string, []any) {
	var conds []string
	var args []any
	if q.Year != 0 {
		conds = append(conds, "r.year = ?")
		args = append(args, q.Year)
	}
	if q.Agency != "" {
		conds = append(conds, "instr(r.agency, ?) > 0")
		args = append(args, q.Agency)
	}
	if q.Template != "" {
		conds = append(conds, "r.template = ?")
		args = append(args, q.Template)
	}
	if q.Region != "" {
		// Codes are digits: GLOB has no wildcard to escape and, unlike
		// LIKE, can use the index.
		conds = append(conds, "r.region_code GLOB ?")
		args = append(args, strings.Trim(q.Region, "*?[]")+"*")
	}
	if q.Level != "" {
		conds = append(conds, "r.level = ?")
		args = append(args, q.Level)
	}
	if !q.AllVersions {
		conds = append(conds, "r.current = 1")
	}
	if tq != nil {
		if tq.match != "" {
			conds = append(conds, "r.rid IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)")
			args = append(args, tq.match)
		}
		for _, w := range tq.like {
			conds = append(conds, "(instr(r.agency, ?) > 0 OR instr(r.sections, ?) > 0)")
			args = append(args, w, w)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// textFilter prepares q's text part; empty is false when the text can match
// nothing.
func textFilter(q index.Query) (tq *ftsQuery, empty bool) {
	if strings.TrimSpace(q.Text) == "" {
		return nil, false
	}
	t, ok := parseFTSQuery(q.Text)
	if !ok {
		return nil, true
	}
	return &t, false
}

// Search finds records by text (ranked by BM25, agency weighted above the
// narrative) or, with no text, lists records matching the filters in id
// order. Limit defaults to 20.
func (s *Store) Search(ctx context.Context, q index.Query) ([]index.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	tq, empty := textFilter(q)
	if empty {
		return nil, nil
	}
	var query string
	var args []any
	if tq != nil && tq.match != "" {
		noText := q
		noText.Text = ""
		where, wargs := whereClause(noText, nil)
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		query = `SELECT r.id, r.agency, r.year, r.path, r.sections, bm25(reports_fts, 3.0, 1.0) AS rank
FROM reports_fts JOIN reports r ON r.rid = reports_fts.rowid` + where + `reports_fts MATCH ? ORDER BY rank, r.id LIMIT ?`
		args = append(wargs, tq.match, limit)
	} else {
		where, wargs := whereClause(q, tq)
		query = "SELECT r.id, r.agency, r.year, r.path, r.sections, 0.0 FROM reports r" + where + " ORDER BY r.id LIMIT ?"
		args = append(wargs, limit)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", s.path, err)
	}
	defer rows.Close()
	var hits []index.Hit
	for rows.Next() {
		var h index.Hit
		var agency, sections sql.NullString
		var year sql.NullInt64
		var rank float64
		if err := rows.Scan(&h.ID, &agency, &year, &h.Path, &sections, &rank); err != nil {
			return nil, fmt.Errorf("search %s: %w", s.path, err)
		}
		h.Agency = agency.String
		h.Year = int(year.Int64)
		h.Score = -rank
		if tq != nil {
			var sec map[string]string
			json.Unmarshal([]byte(sections.String), &sec)
			r := extract.Record{Sections: sec}
			h.Snippet = snippetAround(recordNarrative(&r), h.Agency, tq.terms)
			if tq.match == "" {
				h.Score = 1
			}
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %s: %w", s.path, err)
	}
	return hits, nil
}

// Sum adds up field across the records matching q, exactly, grouped as
// index.GroupKey says, or "" for one total. Records whose group
// value is unknown (null) fall in the group with key "". Buckets come in
// key order.
func (s *Store) Sum(ctx context.Context, field, by string, q index.Query) ([]index.Bucket, error) {
	var group string
	switch by {
	case "":
		group = "''"
	case "year":
		group = "coalesce(CAST(r.year AS TEXT), '')"
	case "agency":
		group = "coalesce(r.agency_id, '')"
	case "template":
		group = "coalesce(r.template, '')"
	case "province":
		group = "coalesce(r.province, '')"
	case "city":
		group = "CASE WHEN r.city IS NULL THEN '' ELSE coalesce(r.province, '') || r.city END"
	case "county":
		group = "CASE WHEN r.county IS NULL THEN '' ELSE coalesce(r.province, '') || coalesce(r.city, '') || r.county END"
	case "level":
		group = "coalesce(r.level, '')"
	default:
		return nil, fmt.Errorf("sum %s by %q: can group by %s or nothing", field, by, strings.Join(index.SumGroups, ", "))
	}
	if err := s.knownField(ctx, field); err != nil {
		return nil, err
	}
	tq, empty := textFilter(q)
	if empty {
		return nil, nil
	}
	where, args := whereClause(q, tq)
	// The exact text of a value is in record_json; a count column holds
	// the same integer and is read without parsing the JSON. A REAL value
	// (the 万元 columns) is only near the printed decimal, so it is read
	// from the JSON.
	jpath, _ := json.Marshal(field)
	value := "r.record_json -> ?"
	if slices.Contains(fieldKeys, field) {
		value = "CASE WHEN typeof(r." + ident(field) + ") = 'real' THEN r.record_json -> ? ELSE r." + ident(field) + " END"
	}
	query := "SELECT r.id, " + group + ", " + value + " FROM reports r" + where
	rows, err := s.db.QueryContext(ctx, query, append([]any{"$.fields." + string(jpath)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sum %s in %s: %w", field, s.path, err)
	}
	defer rows.Close()
	type acc struct {
		sum     exactSum
		reports int
	}
	groups := map[string]*acc{}
	for rows.Next() {
		var id, key string
		var val sql.NullString
		if err := rows.Scan(&id, &key, &val); err != nil {
			return nil, fmt.Errorf("sum %s in %s: %w", field, s.path, err)
		}
		a := groups[key]
		if a == nil {
			a = &acc{}
			groups[key] = a
		}
		a.reports++
		if val.Valid && val.String != "null" {
			if strings.HasPrefix(val.String, `"`) {
				json.Unmarshal([]byte(val.String), &val.String)
			}
			if err := a.sum.Add(val.String); err != nil {
				return nil, fmt.Errorf("sum %s in %s: report %s: %w", field, s.path, id, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum %s in %s: %w", field, s.path, err)
	}
	keys := slices.Sorted(maps.Keys(groups))
	out := make([]index.Bucket, 0, len(keys))
	for _, k := range keys {
		out = append(out, index.Bucket{Key: k, Sum: extract.Number(groups[k].sum.String()), Reports: groups[k].reports})
	}
	return out, nil
}

func (s *Store) knownField(ctx context.Context, field string) error {
	if slices.Contains(fieldKeys, field) {
		return nil
	}
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM cells WHERE key = ? LIMIT 1", field).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sum %q: %w", field, index.ErrUnknownField)
	}
	if err != nil {
		return fmt.Errorf("sum %s in %s: %w", field, s.path, err)
	}
	return nil
}

// Scan calls fn with every record matching q in export order (index.CompareExportOrder), exactly as it
// was put. q.Limit 0 means all.
func (s *Store) Scan(ctx context.Context, q index.Query, fn func(extract.Record) error) error {
	tq, empty := textFilter(q)
	if empty {
		return nil
	}
	where, args := whereClause(q, tq)
	// index.CompareExportOrder: SQLite's default collation compares text
	// bytewise, as the comparison does.
	query := "SELECT r.id, r.record_json, r.version_checks FROM reports r" + where +
		" ORDER BY r.year IS NULL, r.year, r.agency IS NULL, r.agency, r.path, r.id"
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("scan %s: %w", s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, js string
		var vchecks sql.NullString
		if err := rows.Scan(&id, &js, &vchecks); err != nil {
			return fmt.Errorf("scan %s: %w", s.path, err)
		}
		var rec extract.Record
		if err := json.Unmarshal([]byte(js), &rec); err != nil {
			return fmt.Errorf("scan %s: record %s: %w", s.path, id, err)
		}
		if err := appendVersionChecks(&rec, vchecks); err != nil {
			return fmt.Errorf("scan %s: %w", s.path, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan %s: %w", s.path, err)
	}
	return nil
}

// Count returns how many records match q.
func (s *Store) Count(ctx context.Context, q index.Query) (int, error) {
	tq, empty := textFilter(q)
	if empty {
		return 0, nil
	}
	where, args := whereClause(q, tq)
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM reports r"+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", s.path, err)
	}
	return n, nil
}

// Text segmentation for the full-text index.

func cjkRune(r rune) bool {
	return (unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul)) &&
		(unicode.IsLetter(r) || unicode.IsNumber(r))
}

// foldSearchRune maps full-width ASCII to ASCII and upper to lower case (in
// every script, as the full-text index does not fold case itself), one
// rune for one rune, so positions in folded text are positions in the
// original.
func foldSearchRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r == 0x3000 {
		r = ' '
	}
	return unicode.ToLower(r)
}

// Rune classes of the full-text segmentation.
const (
	sepRune  = iota // separates tokens
	wordRune        // a letter or digit of a word
	cjkChar         // a CJK character: bigrams
)

// classifyRune folds r (foldSearchRune) and says what it is to the
// segmenter; the rune it gives for a separator is not used. ASCII takes a
// fast path and the rest of the Basic Multilingual Plane a table, built
// on first use from the Unicode tables, which Chinese punctuation and
// ideographs would otherwise search several times a rune.
// TestClassifyRune checks both against classifyRuneSlow for every rune.
func classifyRune(r rune) (rune, int) {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r, wordRune
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A', wordRune
		}
		return r, sepRune
	case r <= 0xFFFF:
		switch c := int(bmpClasses()[r]); c {
		case wordRune:
			return foldSearchRune(r), c
		default:
			return r, c
		}
	}
	return classifyRuneSlow(r)
}

// bmpClasses are the classes of the runes below U+10000.
var bmpClasses = sync.OnceValue(func() *[0x10000]uint8 {
	var t [0x10000]uint8
	for r := range t {
		_, c := classifyRuneSlow(rune(r))
		t[r] = uint8(c)
	}
	return &t
})

// classifyRuneSlow is classifyRune by the Unicode tables alone.
func classifyRuneSlow(r rune) (rune, int) {
	r = foldSearchRune(r)
	switch {
	case cjkRune(r):
		return r, cjkChar
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return r, wordRune
	}
	return r, sepRune
}

// segment emits the index tokens of text: overlapping bigrams for each run
// of CJK characters (a run of one as itself, with single set), and words
// of other letters and digits, lower-cased. Everything else separates.
// appendBigrams writes the same tokens for the index.
func bigramSegment(text string, emit func(tok string, single bool)) {
	var word []rune
	var prev rune
	run := 0
	flushWord := func() {
		if len(word) > 0 {
			emit(string(word), false)
			word = word[:0]
		}
	}
	endRun := func() {
		if run == 1 {
			emit(string(prev), true)
		}
		run = 0
	}
	for _, r := range text {
		r, class := classifyRune(r)
		switch class {
		case cjkChar:
			flushWord()
			if run > 0 {
				emit(string([]rune{prev, r}), false)
			}
			prev = r
			run++
		case wordRune:
			endRun()
			word = append(word, r)
		default:
			endRun()
			flushWord()
		}
	}
	endRun()
	flushWord()
}

// appendBigrams appends the tokens of text (bigramSegment) to b, each
// after a space unless b is empty. Each token is written where it begins:
// a word's letters as they come, a bigram when its second character does,
// a lone CJK character when its run ends (nothing else can start before
// then). A text written in parts separated by a separator gives what the
// whole text gives.
func appendBigrams(b []byte, text string) []byte {
	var prev rune
	run := 0 // CJK characters in the current run
	inWord := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		r, class := classifyRune(r)
		if class != cjkChar && run == 1 {
			b = appendToken(b, prev)
		}
		switch class {
		case cjkChar:
			inWord = false
			if run > 0 {
				b = utf8.AppendRune(appendToken(b, prev), r)
			}
			prev = r
			run++
		case wordRune:
			run = 0
			if !inWord {
				b = appendToken(b, r)
				inWord = true
			} else {
				b = utf8.AppendRune(b, r)
			}
		default:
			run = 0
			inWord = false
		}
	}
	if run == 1 {
		b = appendToken(b, prev)
	}
	return b
}

// appendToken starts a token with r.
func appendToken(b []byte, r rune) []byte {
	if len(b) > 0 {
		b = append(b, ' ')
	}
	return utf8.AppendRune(b, r)
}

// bigramText is text as the index stores it: its tokens joined by spaces.
func bigramText(text string) string { return string(appendBigrams(nil, text)) }

const snippetBefore, snippetAfter = 30, 60

// snippet cuts the original text around the first place one of terms
// occurs (narrative first, then agency) and marks it 【…】. With no term
// found (a match across punctuation) it gives the start of the narrative.
func snippetAround(text, agency string, terms []string) string {
	for _, src := range []string{text, agency} {
		runes := []rune(src)
		folded := make([]rune, len(runes))
		for i, r := range runes {
			folded[i] = foldSearchRune(r)
		}
		for _, t := range snippetTokens(terms) {
			ft := []rune(t)
			for i, r := range ft {
				ft[i] = foldSearchRune(r)
			}
			if at := runeIndex(folded, ft); at >= 0 {
				return markedSnippet(runes, at, at+len(ft))
			}
		}
	}
	runes := []rune(text)
	if len(runes) > snippetBefore+snippetAfter {
		return string(runes[:snippetBefore+snippetAfter]) + "…"
	}
	return string(runes)
}

// snippetTokens adds the tokens of each term after the terms themselves.
func snippetTokens(terms []string) []string {
	out := slices.Clone(terms)
	for _, t := range terms {
		bigramSegment(t, func(tok string, _ bool) { out = append(out, tok) })
	}
	return out
}

func runeIndex(s, sub []rune) int {
	if len(sub) == 0 {
		return -1
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func markedSnippet(runes []rune, from, to int) string {
	start := max(0, from-snippetBefore)
	end := min(len(runes), to+snippetAfter)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	b.WriteString(string(runes[start:from]))
	b.WriteString("【")
	b.WriteString(string(runes[from:to]))
	b.WriteString("】")
	b.WriteString(string(runes[to:end]))
	if end < len(runes) {
		b.WriteString("…")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// exactSum adds stored decimals exactly (numeral.Total); a value that is
// not a plain decimal (a percentage, a fraction) is refused with
// index.ErrNotDecimal.
type exactSum struct {
	numeral.Total
}

// Add adds one canonical decimal such as "12", "-3" or "7730.28".
func (d *exactSum) Add(s string) error {
	if err := d.Total.Add(s); err != nil {
		return fmt.Errorf("%q: %w", s, index.ErrNotDecimal)
	}
	return nil
}
