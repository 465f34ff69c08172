package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"time"

	"ogi/export"
	"ogi/extract"
	"ogi/index"
	"ogi/index/elastic"
	"ogi/index/sqlite"
	"ogi/parser"
	"ogi/region"
)

func osGetenv(k string) string { return os.Getenv(k) }

// batchFlags are the input and reporting flags of extract and ingest.
type batchFlags struct {
	from, manifest, problems, summary string
	cpuprofile                        string
	quiet                             bool
	jobs                              int
	timeout                           time.Duration
	maxFileMB, maxHTMLMB, maxCells    int
	maxPartMB, maxParts, maxDepth     int
}

func (b *batchFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&b.from, "from", "", "read more input paths from `FILE`, one per line (- for stdin)")
	fs.StringVar(&b.manifest, "manifest", "", "crawl manifest `FILE` (CSV with a header, or JSONL) with path, url, fetched_at and any extra columns")
	fs.StringVar(&b.problems, "problems", "", "write the problems report to `FILE` (CSV: file, stage, table, row, column, cell, error)")
	fs.StringVar(&b.summary, "summary", "", "write the run summary to `FILE` as JSON")
	fs.StringVar(&b.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	fs.BoolVar(&b.quiet, "quiet", false, "no progress bar or progress lines")
	fs.IntVar(&b.jobs, "jobs", envInt(e, "OGI_JOBS", 0), "files read in parallel (default: number of CPUs; env OGI_JOBS)")
	fs.DurationVar(&b.timeout, "timeout", envDuration(e, "OGI_TIMEOUT", 60*time.Second), "time limit per document (env OGI_TIMEOUT)")
	fs.IntVar(&b.maxFileMB, "max-file-size", envInt(e, "OGI_MAX_FILE_MB", int(parser.DefaultLimits.MaxFileBytes>>20)), "largest input file in MB (env OGI_MAX_FILE_MB)")
	fs.IntVar(&b.maxHTMLMB, "max-html-size", envInt(e, "OGI_MAX_HTML_MB", int(parser.DefaultLimits.MaxHTMLBytes>>20)), "largest HTML page in MB (env OGI_MAX_HTML_MB)")
	fs.IntVar(&b.maxPartMB, "max-part-size", envInt(e, "OGI_MAX_PART_MB", int(parser.DefaultLimits.MaxPartBytes>>20)), "largest uncompressed DOCX part in MB (env OGI_MAX_PART_MB)")
	fs.IntVar(&b.maxParts, "max-parts", envInt(e, "OGI_MAX_PARTS", parser.DefaultLimits.MaxParts), "most entries in a DOCX zip (env OGI_MAX_PARTS)")
	fs.IntVar(&b.maxDepth, "max-depth", envInt(e, "OGI_MAX_DEPTH", parser.DefaultLimits.MaxDepth), "deepest nesting of tables in tables (env OGI_MAX_DEPTH)")
	fs.IntVar(&b.maxCells, "max-cells", envInt(e, "OGI_MAX_CELLS", parser.DefaultLimits.MaxCells), "most table cells in one document (env OGI_MAX_CELLS)")
}

func (b *batchFlags) limits() parser.Limits {
	var l parser.Limits // zero fields take parser.DefaultLimits
	if b.maxFileMB > 0 {
		l.MaxFileBytes = int64(b.maxFileMB) << 20
	}
	if b.maxHTMLMB > 0 {
		l.MaxHTMLBytes = int64(b.maxHTMLMB) << 20
	}
	if b.maxPartMB > 0 {
		l.MaxPartBytes = int64(b.maxPartMB) << 20
	}
	if b.maxParts > 0 {
		l.MaxParts = b.maxParts
	}
	if b.maxDepth > 0 {
		l.MaxDepth = b.maxDepth
	}
	if b.maxCells > 0 {
		l.MaxCells = b.maxCells
	}
	return l
}

func envInt(e *env, k string, def int) int {
	if v := e.getenv(k); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func envDuration(e *env, k string, def time.Duration) time.Duration {
	if v := e.getenv(k); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

// storeFlags choose and configure the store: Elasticsearch when a URL is
// given (flag or ELASTICSEARCH_URL), else the local SQLite file.
type storeFlags struct {
	es, db, alias, analyzer string
	bulkWorkers, bulkMB     int
	flags                   *flag.FlagSet // to tell a flag given from a default
	apiKey, user, password  string
	caCert, fingerprint     string
}

func (s *storeFlags) register(fs *flag.FlagSet, e *env) {
	s.flags = fs
	s.es = e.getenv("ELASTICSEARCH_URL")
	fs.Var((*redactedURL)(&s.es), "es", "Elasticsearch `URL` (env ELASTICSEARCH_URL); without it the local SQLite store is used")
	fs.StringVar(&s.db, "db", envOr(e, "OGI_DB", "ogi.db"), "local SQLite store `FILE` (env OGI_DB)")
	fs.StringVar(&s.alias, "index", envOr(e, "OGI_INDEX", "ogi-reports"), "Elasticsearch index alias (env OGI_INDEX)")
	fs.StringVar(&s.analyzer, "analyzer", envOr(e, "OGI_ANALYZER", "auto"), "Elasticsearch analyzer for Chinese text: auto (best the cluster has), ik_max_word, smartcn, cjk or standard (env OGI_ANALYZER)")
	s.apiKey = e.getenv("ELASTICSEARCH_API_KEY")
	s.user = e.getenv("ELASTICSEARCH_USERNAME")
	s.password = e.getenv("ELASTICSEARCH_PASSWORD")
	fs.StringVar(&s.caCert, "ca-cert", e.getenv("ELASTICSEARCH_CA_CERT"), "CA certificate `FILE` for TLS to Elasticsearch (env ELASTICSEARCH_CA_CERT)")
	fs.StringVar(&s.fingerprint, "ca-fingerprint", e.getenv("ELASTICSEARCH_CA_FINGERPRINT"), "SHA-256 fingerprint of the Elasticsearch CA certificate (env ELASTICSEARCH_CA_FINGERPRINT)")
}

// registerBulk adds the flags that tune bulk writes to Elasticsearch.
func (s *storeFlags) registerBulk(fs *flag.FlagSet, e *env) {
	fs.IntVar(&s.bulkWorkers, "bulk-workers", envInt(e, "OGI_BULK_WORKERS", elastic.DefaultBulkWorkers), "Elasticsearch bulk requests in flight at once (env OGI_BULK_WORKERS)")
	fs.IntVar(&s.bulkMB, "bulk-mb", envInt(e, "OGI_BULK_MB", elastic.DefaultFlushBytes>>20), "size of one Elasticsearch bulk request in MB (env OGI_BULK_MB)")
}

func flagGiven(set *flag.FlagSet, name string) bool {
	given := false
	set.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// redactedURL is a URL flag whose default, shown by -h and usage errors,
// never includes a password.
type redactedURL string

func (u *redactedURL) String() string {
	if u == nil {
		return ""
	}
	return elastic.RedactURL(string(*u))
}

func (u *redactedURL) Set(v string) error { *u = redactedURL(v); return nil }

func envOr(e *env, k, def string) string {
	if v := e.getenv(k); v != "" {
		return v
	}
	return def
}

// errNoStore is a read command pointed at a store file that does not
// exist (exit 1): only ingest creates a store.
var errNoStore = errors.New("no such store")

// open returns the configured store for ingest, creating a local store
// file that does not exist yet.
func (s *storeFlags) open(ctx context.Context, e *env) (index.Store, string, error) {
	return s.openStore(ctx, e, true)
}

// openExisting returns the configured store for a read command: a local
// store file that does not exist is an error, not a new empty store.
func (s *storeFlags) openExisting(ctx context.Context, e *env) (index.Store, string, error) {
	return s.openStore(ctx, e, false)
}

// elastic reports whether the configured store is Elasticsearch: --db on
// the command line beats ELASTICSEARCH_URL from the environment; --es
// beats both.
func (s *storeFlags) elastic() bool {
	if s.flags != nil && flagGiven(s.flags, "db") && !flagGiven(s.flags, "es") {
		s.es = ""
	}
	return s.es != ""
}

func (s *storeFlags) openStore(ctx context.Context, e *env, create bool) (index.Store, string, error) {
	if s.elastic() {
		st, err := elastic.Open(ctx, elastic.Config{
			URL: s.es, APIKey: s.apiKey, Username: s.user, Password: s.password,
			CACertPath: s.caCert, CertFingerprint: s.fingerprint,
			Alias: s.alias, Analyzer: s.analyzer,
			BulkWorkers: s.bulkWorkers, FlushBytes: s.bulkMB << 20,
			EncodeRecord: func(r *extract.Record) ([]byte, error) { return export.MarshalJSONL(*r) },
		})
		if err != nil {
			return nil, "", err
		}
		return st, "elasticsearch", nil
	}
	if !create {
		if _, err := os.Stat(s.db); errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("%s: %w (ingest creates one: ogi ingest --db %s PATH...; or set --db / OGI_DB, or --es)", s.db, errNoStore, s.db)
		}
	}
	st, err := sqlite.Open(ctx, s.db)
	if err != nil {
		return nil, "", fmt.Errorf("open %s: %w", s.db, err)
	}
	return st, "sqlite " + s.db, nil
}

// queryFlags are the filters of search and export.
type queryFlags struct {
	year        int
	agency      string
	template    string
	region      string
	level       string
	allVersions bool
}

func (q *queryFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&q.year, "year", 0, "only reports on this year")
	fs.StringVar(&q.agency, "agency", "", "only agencies whose name contains `TEXT`")
	fs.StringVar(&q.template, "template", "", "only reports of this template (2021 or 2019)")
	fs.StringVar(&q.region, "region", "", "only agencies in this division: a name at any level (江苏省, 淮安市, 洪泽区, 淮安) or a code prefix (3208); see ogi region")
	fs.StringVar(&q.level, "level", "", "only agencies of this level: national, province, city, county or town")
	fs.BoolVar(&q.allVersions, "all-versions", false, "every file's record: each page, attachment and earlier download of a report (default: each report once, by its current record)")
}

// query is the store query of the flags; a region name is resolved to its
// code prefix here, and an ambiguous or unknown one is a usage error.
func (q *queryFlags) query() (index.Query, error) {
	iq := index.Query{Year: q.year, Agency: q.agency, Template: q.template, Level: q.level, AllVersions: q.allVersions}
	if q.level != "" && !slices.Contains(region.Levels, region.Level(q.level)) {
		return iq, fmt.Errorf("%w: --level must be national, province, city, county or town", errUsage)
	}
	if q.region != "" {
		p, err := region.Prefix(q.region)
		if err != nil {
			return iq, fmt.Errorf("%w: --region: %v", errUsage, err)
		}
		iq.Region = p
	}
	return iq, nil
}
