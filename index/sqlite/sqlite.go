// Package sqlite is the embedded local store: records in one SQLite file
// (modernc.org/sqlite, no cgo) that people can open directly as well.
package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"ogi/extract"
	"ogi/index"
	"ogi/numeral"
	"ogi/region"
)

// The SQLite file is meant to be opened directly by people (DB Browser,
// Datasette, pandas, R) as well as by ogi:
//
//	reports  one row per record: metadata columns, the narrative sections
//	         (overview, problems, other, one more column per further section
//	         key, all of them as JSON in "sections"), the whole record as
//	         JSON in record_json, then one column per key of fields.tsv,
//	         named exactly as the key ("requests.new.natural_person", quote
//	         it in SQL). Count columns are INTEGER, so SUM in plain SQL is
//	         exact. The two 万元 columns are REAL for convenience in SQL and
//	         data frames; their exact decimal text is in cells.value, and
//	         Sum adds that text exactly.
//	cells    (report_id, key, value, raw): every field of every record,
//	         value as canonical decimal text (NULL for a blank or dash cell),
//	         raw as printed. Holds keys outside fields.tsv too.
//	checks   (report_id, seq, name, ok, detail): the arithmetic checks.
//	fields   the dictionary of fields.tsv (key, template, tbl, row, col,
//	         unit, label_zh).
//	reports_fts  FTS5 (unicode61) over agency and narrative text written as
//	         overlapping CJK bigrams: 政府信息 is indexed as 政府 府信 信息, so a
//	         two-character word is one token and a longer phrase a phrase
//	         query. Search segments queries the same way; a query holding a
//	         lone CJK character falls back to a substring scan.
//
// PRAGMA user_version is the schema version; Open migrates older
// files and refuses newer ones.

// Store is the embedded local store: one file, safe to copy when no run
// is writing to it.
type Store struct {
	db   *sql.DB
	path string

	mu          sync.Mutex // serializes Put; guards the fields below
	sectionCols []string   // section columns of reports besides the base ones
	lastChanged int

	afterRecord func(i int) // test hook: called after each record written in Put
}

const schemaVersion = 3

// Base columns of reports, in order, before section and field columns.
var reportBaseCols = append([]string{
	"id", "path", "sha256", "format", "size", "url", "fetched_at",
	"agency", "year", "published", "template", "report_key", "extractor",
	"checks_failed", "warnings", "sections", "overview", "problems", "other",
	"record_json",
}, regionCols...)

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
	dsn := "file:" + path +
		"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w: %v", path, index.ErrUnavailable, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w: %v", path, index.ErrUnavailable, err)
	}
	return s, nil
}

// migrations[i] brings the schema from version i to i+1.
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	schema1,
	schema2,
	schemaVersions, // versions.go
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
	s.sectionCols = s.sectionCols[:0]
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM pragma_table_info('reports') ORDER BY cid")
	if err != nil {
		return err
	}
	defer rows.Close()
	base := map[string]bool{}
	for _, c := range slices.Concat(reportBaseCols, versionCols) {
		base[c] = true
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		if !base[n] && !strings.Contains(n, ".") {
			s.sectionCols = append(s.sectionCols, n)
		}
	}
	return rows.Err()
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
	s.db.Exec("PRAGMA optimize")
	return s.db.Close()
}

type encoded struct {
	rec  *extract.Record
	json string
}

// Put writes recs in one transaction. A record already stored with the
// same content is left alone; one that differs (a newer extractor, a
// changed manifest) is replaced with its cells, checks and text. If the
// context ends or the file fails, nothing of this call is written and
// every record comes back as a failure beside the error.
func (s *Store) Put(ctx context.Context, recs []extract.Record) ([]index.Failure, error) {
	recs = index.StripVersionChecks(recs)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastChanged = 0
	var failures []index.Failure
	var todo []encoded
	for i := range recs {
		r := &recs[i]
		if r.ID == "" {
			failures = append(failures, index.Failure{ID: r.ID, Path: r.Source.Path, Reason: "record has no id", Cause: index.ErrRefused})
			continue
		}
		if r.Extractor == "" {
			failures = append(failures, index.Failure{ID: r.ID, Path: r.Source.Path, Reason: "record has no extractor version", Cause: index.ErrRefused})
			continue
		}
		js, err := json.Marshal(r)
		if err != nil {
			failures = append(failures, index.Failure{ID: r.ID, Path: r.Source.Path, Reason: "encode record: " + err.Error(), Cause: index.ErrRefused})
			continue
		}
		todo = append(todo, encoded{rec: r, json: string(js)})
	}
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

func (s *Store) putTx(ctx context.Context, todo []encoded) (changed int, cols []string, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
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
	vs := &txVersions{tx: tx}
	before, err := versionsBefore(ctx, vs, todo)
	if err != nil {
		return 0, nil, err
	}
	stmts, err := prepareWrite(ctx, tx, cols)
	if err != nil {
		return 0, nil, err
	}
	defer stmts.close()
	for i, p := range todo {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		did, err := stmts.write(ctx, p, cols)
		if err != nil {
			return 0, nil, fmt.Errorf("record %s (%s): %w", p.rec.ID, p.rec.Source.Path, err)
		}
		if did {
			changed++
		}
		if s.afterRecord != nil {
			s.afterRecord(i)
		}
	}
	if err := regroupPut(ctx, vs, todo, before); err != nil {
		return 0, nil, err
	}
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	return changed, cols, nil
}

// addSectionColumns gives a section key that is a plain name its own
// column, so narrative text is readable without JSON functions.
func (s *Store) addSectionColumns(ctx context.Context, tx *sql.Tx, todo []encoded) ([]string, error) {
	cols := slices.Clone(s.sectionCols)
	for _, p := range todo {
		for k := range p.rec.Sections {
			if sectionHasColumn(k, cols) || !sectionKeyRE.MatchString(k) || slices.Contains(reportBaseCols, k) || slices.Contains(versionCols, k) {
				continue
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

type writeStmts struct {
	existing, delReport, delCells, delChecks, delFTS *sql.Stmt
	insReport, insCell, insCheck, insFTS             *sql.Stmt
}

func prepareWrite(ctx context.Context, tx *sql.Tx, sectionCols []string) (*writeStmts, error) {
	all := append(slices.Clone(reportBaseCols), sectionCols...)
	all = append(all, fieldKeys...)
	quoted := make([]string, len(all))
	for i, c := range all {
		quoted[i] = ident(c)
	}
	insReport := "INSERT INTO reports (" + strings.Join(quoted, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?,", len(all)), ",") + ")"
	w := &writeStmts{}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&w.existing, "SELECT record_json FROM reports WHERE id = ?"},
		{&w.delReport, "DELETE FROM reports WHERE id = ?"},
		{&w.delCells, "DELETE FROM cells WHERE report_id = ?"},
		{&w.delChecks, "DELETE FROM checks WHERE report_id = ?"},
		{&w.delFTS, "DELETE FROM reports_fts WHERE rowid = ?"},
		{&w.insReport, insReport},
		{&w.insCell, "INSERT INTO cells (report_id, key, value, raw) VALUES (?,?,?,?)"},
		{&w.insCheck, "INSERT INTO checks (report_id, seq, name, ok, detail) VALUES (?,?,?,?,?)"},
		{&w.insFTS, "INSERT INTO reports_fts (rowid, id, agency, body) VALUES (?,?,?,?)"},
	} {
		st, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.st = st
	}
	return w, nil
}

func (w *writeStmts) close() {
	for _, st := range []*sql.Stmt{w.existing, w.delReport, w.delCells, w.delChecks, w.delFTS, w.insReport, w.insCell, w.insCheck, w.insFTS} {
		if st != nil {
			st.Close()
		}
	}
}

// write stores one record unless it is already there unchanged.
func (w *writeStmts) write(ctx context.Context, p encoded, sectionCols []string) (bool, error) {
	r := p.rec
	var old string
	switch err := w.existing.QueryRowContext(ctx, r.ID).Scan(&old); {
	case err == nil:
		if old == p.json {
			return false, nil
		}
		for _, st := range []*sql.Stmt{w.delCells, w.delChecks, w.delReport} {
			if _, err := st.ExecContext(ctx, r.ID); err != nil {
				return false, err
			}
		}
		if _, err := w.delFTS.ExecContext(ctx, ftsRowID(r.ID)); err != nil {
			return false, err
		}
	case errors.Is(err, sql.ErrNoRows):
	default:
		return false, err
	}

	failed := 0
	for _, c := range r.Checks {
		if !c.OK {
			failed++
		}
	}
	warnings, _ := json.Marshal(nonNil(r.Warnings))
	sections := "{}"
	if len(r.Sections) > 0 {
		sections = jsonNoEscape(r.Sections)
	}
	args := []any{
		r.ID, r.Source.Path, r.Source.SHA256, r.Source.Format, r.Source.Size,
		nullString(r.Source.URL), nullString(r.Source.FetchedAt),
		ptrString(r.Agency), ptrInt(r.Year), ptrString(r.Published), ptrString(r.Template),
		ptrString(r.ReportKey), r.Extractor, failed, string(warnings), sections,
		sectionValue(r, "overview"), sectionValue(r, "problems"), sectionValue(r, "other"),
		p.json,
	}
	args = append(args, regionArgs(r)...)
	for _, c := range sectionCols {
		args = append(args, sectionValue(r, c))
	}
	for _, k := range fieldKeys {
		args = append(args, numberArg(r.Fields[k]))
	}
	if _, err := w.insReport.ExecContext(ctx, args...); err != nil {
		return false, err
	}
	for _, k := range r.Keys() {
		var raw any
		if v, ok := r.Raw[k]; ok {
			raw = v
		}
		var val any
		if n := r.Fields[k]; n != nil && *n != "" {
			val = string(*n)
		}
		if _, err := w.insCell.ExecContext(ctx, r.ID, k, val, raw); err != nil {
			return false, err
		}
	}
	for i, c := range r.Checks {
		if _, err := w.insCheck.ExecContext(ctx, r.ID, i, c.Name, c.OK, c.Detail); err != nil {
			return false, err
		}
	}
	agency := ""
	if r.Agency != nil {
		agency = *r.Agency
	}
	if _, err := w.insFTS.ExecContext(ctx, ftsRowID(r.ID), r.ID, bigramText(agency), bigramText(recordNarrative(r))); err != nil {
		return false, err
	}
	return true, nil
}

// ftsRowID derives the full-text row from the record id, so it survives
// VACUUM (which may renumber implicit rowids) without an extra column.
func ftsRowID(id string) int64 {
	h := sha256.Sum256([]byte(id))
	return int64(binary.BigEndian.Uint64(h[:8]) >> 1)
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

func jsonNoEscape(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
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
			conds = append(conds, "r.id IN (SELECT id FROM reports_fts WHERE reports_fts MATCH ?)")
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
		query = `SELECT r.id, r.agency, r.year, r.path, r.sections, bm25(reports_fts, 0.0, 3.0, 1.0) AS rank
FROM reports_fts JOIN reports r ON r.id = reports_fts.id` + where + `reports_fts MATCH ? ORDER BY rank, r.id LIMIT ?`
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
	query := "SELECT r.id, " + group + ", c.value FROM reports r LEFT JOIN cells c ON c.report_id = r.id AND c.key = ?" + where
	rows, err := s.db.QueryContext(ctx, query, append([]any{field}, args...)...)
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
		if val.Valid {
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

// foldSearchRune maps full-width ASCII to ASCII and upper to lower case, one
// rune for one rune, so positions in folded text are positions in the
// original.
func foldSearchRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r == 0x3000 {
		r = ' '
	}
	if r < unicode.MaxASCII {
		return unicode.ToLower(r)
	}
	return r
}

// segment emits the index tokens of text: overlapping bigrams for each run
// of CJK characters (a run of one as itself, with single set), and words
// of other letters and digits, lower-cased. Everything else separates.
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
		r = foldSearchRune(r)
		switch {
		case cjkRune(r):
			flushWord()
			if run > 0 {
				emit(string([]rune{prev, r}), false)
			}
			prev = r
			run++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
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

// bigramText is text as the index stores it: its tokens joined by spaces.
func bigramText(text string) string {
	var b strings.Builder
	bigramSegment(text, func(tok string, _ bool) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	})
	return b.String()
}

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
