package sqlite

// The versions of a report (index/versions.go) in the SQLite file: five
// columns of reports keep each record's state, so plain SQL can count each
// report once (WHERE current = 1):
//
//	source_key      url:<manifest URL> or path:<path>
//	stored_at       when the file first stored this id (Unix ns)
//	latest          1 for the newest record of its source
//	current         1 for the record its report is counted by
//	version_checks  the versions.agree checks (JSON), also rows of checks
//	numbers_hash    index.NumbersDigest of the fields (versions with the
//	                same digest agree without being loaded)
//	n_keys, n_checks  fields and checks of record_json, counted once
//
// record_json stays the record as put; Scan adds version_checks to its
// checks, and checks_failed counts them.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"ogi/extract"
	"ogi/index"
)

// schemaVersions adds the version columns and decides the versions of
// the records already stored. Records stored before have no storing time:
// they get their row order, older than any time stored from now on.
func schemaVersions(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`ALTER TABLE reports ADD COLUMN source_key TEXT`,
		`ALTER TABLE reports ADD COLUMN stored_at INTEGER`,
		`ALTER TABLE reports ADD COLUMN latest INTEGER`,
		`ALTER TABLE reports ADD COLUMN current INTEGER`,
		`ALTER TABLE reports ADD COLUMN version_checks TEXT`,
		`ALTER TABLE reports ADD COLUMN numbers_hash TEXT`,
		`ALTER TABLE reports ADD COLUMN n_keys INTEGER`,
		`ALTER TABLE reports ADD COLUMN n_checks INTEGER`,
		`UPDATE reports SET stored_at = rowid`,
		`CREATE INDEX reports_source_key ON reports(source_key)`,
		`CREATE INDEX reports_current ON reports(current, year)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("schema versions: %w", err)
		}
	}
	if err := index.RegroupAll(ctx, &txVersions{tx: tx}); err != nil {
		return fmt.Errorf("schema versions: %w", err)
	}
	return nil
}

// versionCols are the columns schemaVersions adds; the write path decides
// them before it inserts a row (regroupPut) and writes them with it.
var versionCols = []string{"source_key", "stored_at", "latest", "current", "version_checks", "numbers_hash", "n_keys", "n_checks"}

// txVersions is the index.VersionStore of one transaction.
type txVersions struct {
	tx          *sql.Tx
	checksTable *bool // whether checks is a table (not a view over record_json)
}

var _ index.VersionStore = (*txVersions)(nil)

// Versions returns the stored records sel picks, from columns: no record
// is decoded (the counts are taken from record_json only where not
// stored yet).
func (v *txVersions) Versions(ctx context.Context, sel index.VersionSelect) ([]index.Version, error) {
	const q = `SELECT id, path, url, fetched_at, report_key, stored_at, latest, current, version_checks, numbers_hash,
	checks_failed, json_array_length(warnings), coalesce(n_checks, json_array_length(record_json, '$.checks')),
	coalesce(n_keys, (SELECT count(*) FROM json_each(record_json, '$.fields')))
FROM reports`
	if sel.All {
		return v.scanVersions(ctx, q, nil)
	}
	var out []index.Version
	seen := map[string]bool{}
	for _, by := range []struct {
		col  string
		vals []string
	}{{"id", sel.IDs}, {"source_key", sel.Sources}, {"report_key", sel.Keys}} {
		for start := 0; start < len(by.vals); start += lookupChunkVersions {
			part := by.vals[start:min(start+lookupChunkVersions, len(by.vals))]
			args := make([]any, len(part))
			for i, s := range part {
				args[i] = s
			}
			got, err := v.scanVersions(ctx, q+" WHERE "+by.col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")+")", args)
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
	return out, nil
}

const lookupChunkVersions = 500

func (v *txVersions) scanVersions(ctx context.Context, q string, args []any) ([]index.Version, error) {
	rows, err := v.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	defer rows.Close()
	var out []index.Version
	for rows.Next() {
		var ver index.Version
		var path, url, fetched, key, checks, digest sql.NullString
		var storedAt, latest, current sql.NullInt64
		var failed, warnings, nchecks, keys int
		if err := rows.Scan(&ver.ID, &path, &url, &fetched, &key, &storedAt, &latest, &current, &checks, &digest,
			&failed, &warnings, &nchecks, &keys); err != nil {
			return nil, fmt.Errorf("versions: %w", err)
		}
		ver.Path, ver.FetchedAt, ver.ReportKey, ver.Numbers = path.String, fetched.String, key.String, digest.String
		ver.SourceKey = index.SourceKeyOf(url.String, path.String)
		ver.StoredAt = storedAt.Int64
		ver.Failed, ver.Warnings, ver.NChecks, ver.Keys = failed, warnings, nchecks, keys
		var st *index.VersionState
		if latest.Valid {
			st = &index.VersionState{Latest: latest.Int64 == 1, Current: current.Int64 == 1}
		}
		if checks.Valid {
			var cs []extract.Check
			if err := json.Unmarshal([]byte(checks.String), &cs); err != nil {
				return nil, fmt.Errorf("versions: record %s: version_checks: %w", ver.ID, err)
			}
			for _, c := range cs {
				if !c.OK {
					ver.Failed-- // checks_failed counts them too
				}
			}
			if st != nil {
				st.Checks = cs
			}
		}
		ver.State = st
		out = append(out, ver)
	}
	return out, rows.Err()
}

// VersionFields returns the fields of the given records.
func (v *txVersions) VersionFields(ctx context.Context, ids []string) (map[string]map[string]*extract.Number, error) {
	out := make(map[string]map[string]*extract.Number, len(ids))
	for start := 0; start < len(ids); start += lookupChunkVersions {
		part := ids[start:min(start+lookupChunkVersions, len(ids))]
		args := make([]any, len(part))
		for i, s := range part {
			args[i] = s
		}
		rows, err := v.tx.QueryContext(ctx, "SELECT id, json_extract(record_json, '$.fields') FROM reports WHERE id IN ("+
			strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")+")", args...)
		if err != nil {
			return nil, fmt.Errorf("versions: %w", err)
		}
		for rows.Next() {
			var id string
			var js sql.NullString
			if err := rows.Scan(&id, &js); err != nil {
				rows.Close()
				return nil, fmt.Errorf("versions: %w", err)
			}
			f := map[string]*extract.Number{}
			if js.Valid {
				if err := json.Unmarshal([]byte(js.String), &f); err != nil {
					rows.Close()
					return nil, fmt.Errorf("versions: record %s: fields: %w", id, err)
				}
			}
			out[id] = f
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("versions: %w", err)
		}
	}
	return out, nil
}

// SaveVersions writes the new states, and the versions.agree rows of
// checks when checks is a table.
func (v *txVersions) SaveVersions(ctx context.Context, ups []index.VersionUpdate) error {
	if _, err := v.isChecksTable(ctx); err != nil {
		return err
	}
	upd, err := v.tx.PrepareContext(ctx, `UPDATE reports SET source_key = ?, stored_at = ?, latest = ?, current = ?, version_checks = ?, numbers_hash = ?, n_keys = ?, n_checks = ?, checks_failed = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("versions: %w", err)
	}
	defer upd.Close()
	var del, ins *sql.Stmt
	if *v.checksTable {
		if del, err = v.tx.PrepareContext(ctx, "DELETE FROM checks WHERE report_id = ? AND name = ?"); err != nil {
			return fmt.Errorf("versions: %w", err)
		}
		defer del.Close()
		if ins, err = v.tx.PrepareContext(ctx, "INSERT INTO checks (report_id, seq, name, ok, detail) VALUES (?,?,?,?,?)"); err != nil {
			return fmt.Errorf("versions: %w", err)
		}
		defer ins.Close()
	}
	for _, u := range ups {
		var checks any
		failed := u.Failed
		if len(u.New.Checks) > 0 {
			b, err := json.Marshal(u.New.Checks)
			if err != nil {
				return err
			}
			checks = string(b)
			for _, c := range u.New.Checks {
				if !c.OK {
					failed++
				}
			}
		}
		if _, err := upd.ExecContext(ctx, u.SourceKey, u.StoredAt, u.New.Latest, u.New.Current, checks, nullString(u.Numbers), u.Keys, u.NChecks, failed, u.ID); err != nil {
			return fmt.Errorf("versions: record %s: %w", u.ID, err)
		}
		if !*v.checksTable {
			continue
		}
		if _, err := del.ExecContext(ctx, u.ID, index.VersionsCheck); err != nil {
			return fmt.Errorf("versions: record %s: %w", u.ID, err)
		}
		for i, c := range u.New.Checks {
			if _, err := ins.ExecContext(ctx, u.ID, u.NChecks+i, c.Name, c.OK, c.Detail); err != nil {
				return fmt.Errorf("versions: record %s: %w", u.ID, err)
			}
		}
	}
	return nil
}

// isChecksTable reports whether checks is a table (a file of an older
// schema), not the view over record_json and version_checks.
func (v *txVersions) isChecksTable(ctx context.Context) (bool, error) {
	if v.checksTable == nil {
		var typ string
		if err := v.tx.QueryRowContext(ctx, "SELECT type FROM sqlite_master WHERE name = 'checks'").Scan(&typ); err != nil {
			return false, fmt.Errorf("versions: %w", err)
		}
		isTable := typ == "table"
		v.checksTable = &isTable
	}
	return *v.checksTable, nil
}

// appendVersionChecks adds the stored versions.agree checks to a record
// read back.
func appendVersionChecks(r *extract.Record, checks sql.NullString) error {
	if !checks.Valid || checks.String == "" {
		return nil
	}
	var cs []extract.Check
	if err := json.Unmarshal([]byte(checks.String), &cs); err != nil {
		return fmt.Errorf("record %s: version_checks: %w", r.ID, err)
	}
	r.Checks = append(r.Checks, cs...)
	return nil
}

// versionsBefore loads the stored versions of the records about to be
// written, before the write replaces them.
func versionsBefore(ctx context.Context, vs *txVersions, todo []encoded) ([]index.Version, error) {
	ids := make([]string, len(todo))
	for i, p := range todo {
		ids[i] = p.rec.ID
	}
	return vs.Versions(ctx, index.VersionSelect{IDs: ids})
}

// regroupPut settles the versions of the reports the records of todo
// touch, before the rows of written (ids whose rows the write adds or
// replaces) are inserted: the stored rows are read as the write will
// leave them (a written id has no state yet), the states of other rows
// are updated here, and the states of the written ids come back so their
// rows are inserted with them, not updated right after.
func regroupPut(ctx context.Context, vs *txVersions, todo []encoded, before []index.Version, written map[string]bool) (map[string]index.VersionUpdate, error) {
	recs := make([]extract.Record, len(todo))
	for i, p := range todo {
		recs[i] = *p.rec
	}
	pv := &planVersions{txVersions: vs, written: written, final: make(map[string]index.VersionUpdate, len(written))}
	if err := index.Regroup(ctx, pv, recs, before, time.Now().UnixNano()); err != nil {
		return nil, err
	}
	return pv.final, nil
}

// planVersions is the VersionStore of a transaction before its write:
// the rows of written ids are about to be replaced, so they are read
// without their stored state, and their new states are kept for the
// insert instead of being saved.
type planVersions struct {
	*txVersions
	written map[string]bool
	final   map[string]index.VersionUpdate
}

func (v *planVersions) Versions(ctx context.Context, sel index.VersionSelect) ([]index.Version, error) {
	got, err := v.txVersions.Versions(ctx, sel)
	if err != nil {
		return nil, err
	}
	for i := range got {
		if v.written[got[i].ID] {
			got[i].State = nil
		}
	}
	return got, nil
}

func (v *planVersions) SaveVersions(ctx context.Context, ups []index.VersionUpdate) error {
	var rest []index.VersionUpdate
	for _, u := range ups {
		if v.written[u.ID] {
			v.final[u.ID] = u
			continue
		}
		rest = append(rest, u)
	}
	if len(rest) == 0 {
		return nil
	}
	return v.txVersions.SaveVersions(ctx, rest)
}

// versionArgs are the values of the version columns of a written row
// (finalVersionCols), and its checks_failed with the failing
// versions.agree checks counted.
func versionArgs(u index.VersionUpdate) (args []any, failed int, err error) {
	var checks any
	failed = u.Failed
	if len(u.New.Checks) > 0 {
		b, err := json.Marshal(u.New.Checks)
		if err != nil {
			return nil, 0, err
		}
		checks = string(b)
		for _, c := range u.New.Checks {
			if !c.OK {
				failed++
			}
		}
	}
	return []any{u.SourceKey, u.StoredAt, u.New.Latest, u.New.Current, checks, nullString(u.Numbers)}, failed, nil
}

// finalVersionCols are the version columns a row is inserted with (n_keys
// and n_checks are written from the record itself).
var finalVersionCols = []string{"source_key", "stored_at", "latest", "current", "version_checks", "numbers_hash"}
