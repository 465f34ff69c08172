package elastic

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esutil"

	"ogi/extract"
	"ogi/index"
	"ogi/numeral"
)

// Config says how to reach Elasticsearch and which alias holds the records.
type Config struct {
	URL             string // e.g. http://127.0.0.1:9200; user:password@ in it is used and never shown
	APIKey          string
	Username        string
	Password        string
	CACertPath      string // PEM file of the CA that signed the cluster's certificate
	CertFingerprint string // hex SHA-256 of the cluster's certificate
	Alias           string // default "ogi-reports"; the data lives in <alias>-v<N>
	// Analyzer for agency and narrative text: "cjk", "smartcn",
	// "ik_max_word", "standard", or "" / "auto" to pick the best the
	// cluster has (ik_max_word, smartcn, cjk, then standard, which splits
	// Chinese into single characters).
	Analyzer string
	Logf     func(string, ...any)

	// Retries of one HTTP request on 429/502/503/504 and network errors
	// (default 5), and the first backoff, doubled per try up to 10s
	// (default 200ms). Items refused one by one with 429 are sent again as
	// often, with the same backoff.
	MaxRetries int
	Backoff    time.Duration

	// RequestTimeout bounds every request, a bulk write included, retries
	// and all (default 60s): a node that accepts connections and never
	// answers cannot hold a run.
	RequestTimeout time.Duration
	// BulkWorkers and FlushBytes tune bulk writes: concurrent bulk requests
	// and the size of one (defaults bulkWorkers and defaultFlushBytes).
	BulkWorkers int
	FlushBytes  int

	// EncodeRecord encodes a record as the JSON object of its document
	// (default encoding/json; a faster encoder of the same JSON may be
	// given). It is called on several goroutines at once.
	EncodeRecord func(*extract.Record) ([]byte, error)
}

// Store is the Elasticsearch store.
type Store struct {
	client   *elasticsearch.Client
	cfg      Config
	url      string // redacted, for messages
	alias    string
	index    string // the versioned index behind the alias
	analyzer string
	secrets  []string
	// flushBytes is the size of one bulk request (defaultFlushBytes).
	flushBytes int
	// recent holds the versions this store wrote since its last refresh
	// (see Put), so deciding versions needs no refresh per call.
	recent recentVersions
	// pipe orders calls of Put that overlap.
	pipe putPipe
	// pending holds the fields of the records being written.
	pending pendingFields
	encode  func(*extract.Record) ([]byte, error)
	// testBeforeWrite, when set, is called by Put between deciding and
	// writing, with the call's number (1, 2, ...).
	testBeforeWrite func(seq int64)
}

var _ index.Store = (*Store)(nil)

const (
	defaultAlias      = "ogi-reports"
	defaultLimit      = 20
	scanPage          = 500
	mgetBatch         = 1000
	defaultFlushBytes = DefaultFlushBytes
	bulkWorkers       = DefaultBulkWorkers

	defaultRequestTimeout = 60 * time.Second
	moneyDecimals         = 6
)

// Bulk write defaults (Config.BulkWorkers, Config.FlushBytes), measured
// on a two-core machine shared with the node (README "Benchmarks").
const (
	DefaultBulkWorkers = 2
	DefaultFlushBytes  = 4 << 20
)

// Open connects to Elasticsearch, checks that it answers, and makes sure
// the index template, the versioned index and the alias exist. A cluster
// that cannot be reached gives an error wrapping ErrUnavailable.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Alias == "" {
		cfg.Alias = defaultAlias
	}
	if cfg.URL == "" {
		cfg.URL = "http://127.0.0.1:9200"
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 5
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = defaultRequestTimeout
	}
	if cfg.BulkWorkers <= 0 {
		cfg.BulkWorkers = bulkWorkers
	}
	if cfg.FlushBytes <= 0 {
		cfg.FlushBytes = defaultFlushBytes
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("elasticsearch url %q: want http(s)://host:port", redactURL(cfg.URL))
	}
	if u.User != nil {
		if cfg.Username == "" {
			cfg.Username = u.User.Username()
		}
		if p, ok := u.User.Password(); ok && cfg.Password == "" {
			cfg.Password = p
		}
		u.User = nil
	}
	es := &Store{cfg: cfg, url: u.String(), alias: cfg.Alias, flushBytes: cfg.FlushBytes, encode: cfg.EncodeRecord}
	if es.encode == nil {
		es.encode = func(r *extract.Record) ([]byte, error) { return json.Marshal(r) }
	}
	for _, s := range []string{cfg.APIKey, cfg.Password} {
		if s != "" {
			es.secrets = append(es.secrets, s)
		}
	}
	var caCert []byte
	if cfg.CACertPath != "" {
		caCert, err = os.ReadFile(cfg.CACertPath)
		if err != nil {
			return nil, fmt.Errorf("elasticsearch CA certificate: %w", err)
		}
	}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.RequestTimeout,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
	}
	client, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses:              []string{u.String()},
		Username:               cfg.Username,
		Password:               cfg.Password,
		APIKey:                 cfg.APIKey,
		CACert:                 caCert,
		CertificateFingerprint: cfg.CertFingerprint,
		RetryOnStatus:          []int{429, 502, 503, 504},
		MaxRetries:             cfg.MaxRetries,
		RetryBackoff:           backoff(cfg.Backoff),
		Transport:              transport,
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch at %s: %s", es.url, es.redact(err.Error()))
	}
	es.client = client

	var info struct {
		Version struct {
			Number string `json:"number"`
		} `json:"version"`
	}
	// The ping. A node without the root endpoint (the minimal test
	// distribution answers 405) is there all the same.
	if err := es.call(ctx, http.MethodGet, "/", nil, &info); err != nil {
		var re *responseError
		if !errors.As(err, &re) || (re.Status != http.StatusMethodNotAllowed && re.Status != http.StatusNotFound) {
			return nil, err
		}
		info.Version.Number = "(version unknown)"
	}
	if err := es.setup(ctx); err != nil {
		return nil, err
	}
	if err := es.backfillVersions(ctx); err != nil {
		return nil, err
	}
	cfg.Logf("elasticsearch %s at %s: index %s behind alias %s, analyzer %s", info.Version.Number, es.url, es.index, es.alias, es.analyzer)
	return es, nil
}

// backoff doubles base per attempt, up to 10s.
func backoff(base time.Duration) func(int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < 10*time.Second; i++ {
			d *= 2
		}
		return min(d, 10*time.Second)
	}
}

// setup makes sure template, index and alias are there, and migrates an
// alias that points at an older schema version.
func (es *Store) setup(ctx context.Context) error {
	current, err := es.aliasIndices(ctx)
	if err != nil {
		return err
	}
	want := fmt.Sprintf("%s-v%d", es.alias, schemaVersion)
	analyzer := es.cfg.Analyzer
	if len(current) == 1 && current[0] == want {
		// Keep the analyzer the index was made with: changing it needs a
		// new index version.
		existing, err := es.indexAnalyzer(ctx, want)
		if err != nil {
			return err
		}
		if analyzer != "" && analyzer != "auto" && analyzer != existing {
			es.cfg.Logf("elasticsearch: index %s uses analyzer %s, not %s; reindex into a new version to change it", want, existing, analyzer)
		}
		analyzer = existing
	} else if analyzer, err = es.pickAnalyzer(ctx, analyzer); err != nil {
		return err
	}
	es.analyzer = analyzer
	es.index = want
	body, err := indexBody(analyzer)
	if err != nil {
		return err
	}
	tmpl := map[string]any{
		"index_patterns": []string{es.alias + "-v*"},
		"priority":       200,
		"template":       body,
		"_meta":          map[string]any{"description": "ogi report records", "schema_version": schemaVersion},
	}
	if err := es.call(ctx, http.MethodPut, "/_index_template/"+url.PathEscape(es.alias), tmpl, nil); err != nil {
		return fmt.Errorf("elasticsearch: put index template %s: %w", es.alias, err)
	}
	switch {
	case len(current) == 1 && current[0] == want:
		// Fields added to fields.tsv since the index was made go in place.
		if err := es.call(ctx, http.MethodPut, "/"+url.PathEscape(want)+"/_mapping", body["mappings"], nil); err != nil {
			return fmt.Errorf("elasticsearch: update mapping of %s (a changed mapping needs a new schema version): %w", want, err)
		}
		return nil
	case len(current) == 0:
		if err := es.createIndex(ctx, want); err != nil {
			return err
		}
		return nil
	default:
		return es.migrate(ctx, current, want)
	}
}

func (es *Store) createIndex(ctx context.Context, name string) error {
	body := map[string]any{"aliases": map[string]any{es.alias: map[string]any{}}}
	err := es.call(ctx, http.MethodPut, "/"+url.PathEscape(name), body, nil)
	var re *responseError
	if errors.As(err, &re) && re.Type == "resource_already_exists_exception" {
		return nil // made meanwhile by another process
	}
	if err != nil {
		return fmt.Errorf("elasticsearch: create index %s: %w", name, err)
	}
	return nil
}

// migrate copies the records of the indices behind the alias into a new
// index of the current schema version and moves the alias to it.
func (es *Store) migrate(ctx context.Context, from []string, to string) error {
	es.cfg.Logf("elasticsearch: reindexing %s into %s", strings.Join(from, ","), to)
	if err := es.call(ctx, http.MethodPut, "/"+url.PathEscape(to), map[string]any{}, nil); err != nil {
		var re *responseError
		if !errors.As(err, &re) || re.Type != "resource_already_exists_exception" {
			return fmt.Errorf("elasticsearch: create index %s: %w", to, err)
		}
	}
	// Copy with search_after and bulk rather than _reindex, which
	// minimal distributions lack.
	n, err := es.copyDocs(ctx, from, to)
	if err != nil {
		return fmt.Errorf("elasticsearch: copy records into %s: %w", to, err)
	}
	es.cfg.Logf("elasticsearch: copied %d records into %s", n, to)
	actions := []any{}
	for _, f := range from {
		actions = append(actions, map[string]any{"remove": map[string]any{"index": f, "alias": es.alias}})
	}
	actions = append(actions, map[string]any{"add": map[string]any{"index": to, "alias": es.alias}})
	if err := es.call(ctx, http.MethodPost, "/_aliases", map[string]any{"actions": actions}, nil); err != nil {
		return fmt.Errorf("elasticsearch: move alias %s to %s: %w", es.alias, to, err)
	}
	return nil
}

// copyDocs copies every document of the from indices into to, ids kept.
func (es *Store) copyDocs(ctx context.Context, from []string, to string) (int, error) {
	src := make([]string, len(from))
	for i, f := range from {
		src[i] = url.PathEscape(f)
	}
	copied := 0
	err := es.pageByID(ctx, "/"+strings.Join(src, ",")+"/_search", nil, 0, func(hits []rawHit) error {
		var bulk bytes.Buffer
		for _, h := range hits {
			meta, _ := json.Marshal(map[string]any{"index": map[string]any{"_index": to, "_id": h.ID}})
			bulk.Write(meta)
			bulk.WriteByte('\n')
			src, err := upgradeSource(h.Source)
			if err != nil {
				return fmt.Errorf("record %s: %w", h.ID, err)
			}
			bulk.Write(src)
			bulk.WriteByte('\n')
		}
		var out struct {
			Errors bool              `json:"errors"`
			Items  []json.RawMessage `json:"items"`
		}
		if err := es.callRaw(ctx, http.MethodPost, "/_bulk?refresh=true", "application/x-ndjson", bulk.Bytes(), &out); err != nil {
			return err
		}
		if out.Errors {
			for _, it := range out.Items {
				if bytes.Contains(it, []byte(`"error"`)) {
					return fmt.Errorf("a record was refused: %s", it)
				}
			}
		}
		copied += len(hits)
		return nil
	})
	return copied, err
}

// upgradeSource brings a record of an older schema up to this one: a
// record of schema 1 has no region, so it is placed from its agency name
// and source URL (extract.Place), keeping its extractor version so the
// next ingest of its file re-extracts it with the whole document.
func upgradeSource(src json.RawMessage) ([]byte, error) {
	src = bytes.TrimSpace(src)
	var r extract.Record
	if err := json.Unmarshal(src, &r); err != nil {
		return nil, err
	}
	if r.AgencyID != nil || r.Agency == nil {
		return src, nil // placed already, or nothing to place
	}
	extract.Place(&r)
	return json.Marshal(&r)
}

// rawHit is one document of a search response.
type rawHit struct {
	ID     string          `json:"_id"`
	Source json.RawMessage `json:"_source"`
	Sort   []any           `json:"sort"`
}

// byID sorts documents by record id.
var byID = []any{map[string]any{"id": "asc"}}

// byExportOrder is index.CompareExportOrder: keyword fields sort by
// their UTF-8 bytes, missing values last.
var byExportOrder = []any{
	map[string]any{"year": map[string]any{"order": "asc", "missing": "_last"}},
	map[string]any{"agency": map[string]any{"order": "asc", "missing": "_last"}},
	map[string]any{"source.path": map[string]any{"order": "asc", "missing": "_last"}},
	map[string]any{"id": "asc"},
}

// pageByID runs a search in pages sorted by record id (search_after) and
// hands each page to fn; limit > 0 stops after that many documents.
func (es *Store) pageByID(ctx context.Context, path string, query any, limit int, fn func([]rawHit) error) error {
	return es.pageSorted(ctx, path, query, byID, limit, fn)
}

// pageSorted runs a search in pages in the given order (which must end
// with a unique key, for search_after) and hands each page to fn.
func (es *Store) pageSorted(ctx context.Context, path string, query any, sortBy []any, limit int, fn func([]rawHit) error) error {
	var after []any
	seen := 0
	for {
		size := scanPage
		if limit > 0 {
			size = min(size, limit-seen)
			if size <= 0 {
				return nil
			}
		}
		body := map[string]any{"size": size, "sort": sortBy}
		if query != nil {
			body["query"] = query
		}
		if after != nil {
			body["search_after"] = after
		}
		var res struct {
			Hits struct {
				Hits []rawHit `json:"hits"`
			} `json:"hits"`
		}
		if err := es.call(ctx, http.MethodPost, path, body, &res); err != nil {
			return err
		}
		hits := res.Hits.Hits
		if len(hits) == 0 {
			return nil
		}
		if err := fn(hits); err != nil {
			return err
		}
		seen += len(hits)
		after = hits[len(hits)-1].Sort
		if len(hits) < size {
			return nil
		}
	}
}

// aliasIndices lists the indices behind the alias; none when it is missing.
// An index named like the alias is an error: the alias cannot be made.
func (es *Store) aliasIndices(ctx context.Context) ([]string, error) {
	var res map[string]json.RawMessage
	err := es.call(ctx, http.MethodGet, "/_alias/"+url.PathEscape(es.alias), nil, &res)
	var re *responseError
	if errors.As(err, &re) && re.Status == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("elasticsearch: look up alias %s: %w", es.alias, err)
	}
	var names []string
	for n := range res {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 1 && names[0] == es.alias {
		return nil, fmt.Errorf("elasticsearch: %s is an index, not an alias; choose another alias", es.alias)
	}
	return names, nil
}

func (es *Store) indexAnalyzer(ctx context.Context, index string) (string, error) {
	var res map[string]struct {
		Mappings struct {
			Properties struct {
				Agency struct {
					Fields struct {
						Text struct {
							Analyzer string `json:"analyzer"`
						} `json:"text"`
					} `json:"fields"`
				} `json:"agency"`
			} `json:"properties"`
		} `json:"mappings"`
	}
	if err := es.call(ctx, http.MethodGet, "/"+url.PathEscape(index)+"/_mapping", nil, &res); err != nil {
		return "", fmt.Errorf("elasticsearch: read mapping of %s: %w", index, err)
	}
	a := res[index].Mappings.Properties.Agency.Fields.Text.Analyzer
	if a == "" {
		a = "standard"
	}
	return a, nil
}

// pickAnalyzer resolves "auto" from the cluster's plugins and modules, and
// checks that an analyzer asked for by name exists.
func (es *Store) pickAnalyzer(ctx context.Context, want string) (string, error) {
	var res struct {
		Nodes map[string]struct {
			Plugins []struct{ Name string } `json:"plugins"`
			Modules []struct{ Name string } `json:"modules"`
		} `json:"nodes"`
	}
	if err := es.call(ctx, http.MethodGet, "/_nodes/plugins", nil, &res); err != nil {
		return "", fmt.Errorf("elasticsearch: list plugins: %w", err)
	}
	have := map[string]bool{"standard": true}
	for _, n := range res.Nodes {
		for _, p := range append(n.Plugins, n.Modules...) {
			switch p.Name {
			case "analysis-ik":
				have["ik_max_word"] = true
			case "analysis-smartcn":
				have["smartcn"] = true
			case "analysis-common":
				have["cjk"] = true
			}
		}
	}
	if want == "" || want == "auto" {
		for _, a := range []string{"ik_max_word", "smartcn", "cjk", "standard"} {
			if have[a] {
				return a, nil
			}
		}
	}
	need := map[string]string{"ik_max_word": "analysis-ik plugin", "smartcn": "analysis-smartcn plugin", "cjk": "analysis-common module"}
	if n, ok := need[want]; ok && !have[want] {
		return "", fmt.Errorf("elasticsearch: analyzer %s needs the %s, which %s lacks; use \"auto\"", want, n, es.url)
	}
	return want, nil
}

// putRecords writes records with the bulk API, document id = record id, so a
// record put twice is stored once; bodies[i] (or errs[i]) is the document
// of recs[i] (encodeAll). Items Elasticsearch refuses one by one
// with 429 go again after a backoff; items refused for good come back as
// failures. When the cluster stops answering, Put returns an error
// wrapping ErrUnavailable and failures for every record not confirmed
// written.
func (es *Store) putRecords(ctx context.Context, recs []extract.Record, bodies [][]byte, errs []error) ([]index.Failure, error) {
	var failures []index.Failure
	type item = putItem
	// The last copy of an id wins, as it would in the index.
	pos := map[string]int{}
	var pending []item
	for i := range recs {
		r := &recs[i]
		if r.ID == "" {
			failures = append(failures, index.Failure{Path: r.Source.Path, Reason: "record has no id", Cause: index.ErrRefused})
			continue
		}
		b, err := bodies[i], errs[i]
		if err != nil {
			failures = append(failures, index.Failure{ID: r.ID, Path: r.Source.Path, Reason: "encode record: " + err.Error(), Cause: index.ErrRefused})
			continue
		}
		if p, ok := pos[r.ID]; ok {
			pending[p] = item{r, b}
			continue
		}
		pos[r.ID] = len(pending)
		pending = append(pending, item{r, b})
	}

	var lastErr error
	for round := 0; len(pending) > 0; round++ {
		if round > 0 {
			if round > es.cfg.MaxRetries {
				for _, it := range pending {
					failures = append(failures, index.Failure{ID: it.rec.ID, Path: it.rec.Source.Path, Reason: "still refused after retries: " + es.redact(lastErr.Error()), Cause: index.ErrNotWritten})
				}
				break
			}
			d := backoff(es.cfg.Backoff)(round)
			es.cfg.Logf("elasticsearch: %d records refused for now (%v); again in %s", len(pending), es.redact(lastErr.Error()), d)
			select {
			case <-time.After(d):
			case <-ctx.Done():
				for _, it := range pending {
					failures = append(failures, index.Failure{ID: it.rec.ID, Path: it.rec.Source.Path, Reason: "not written: " + ctx.Err().Error(), Cause: index.ErrNotWritten})
				}
				return failures, ctx.Err()
			}
		}
		var (
			mu        sync.Mutex
			retry     []item
			written   int
			transport error // a whole bulk request failed after the client's retries
		)
		bi, err := esutil.NewBulkIndexer(esutil.BulkIndexerConfig{
			Client:        es.client,
			Index:         es.alias,
			NumWorkers:    es.cfg.BulkWorkers,
			FlushBytes:    es.flushBytes,
			FlushInterval: time.Minute,
			// Each bulk request ends with the call or after RequestTimeout.
			OnFlushStart: func(context.Context) context.Context {
				fctx, cancel := context.WithTimeout(ctx, es.cfg.RequestTimeout)
				return context.WithValue(fctx, flushCancelKey{}, cancel)
			},
			OnFlushEnd: func(fctx context.Context) {
				if cancel, ok := fctx.Value(flushCancelKey{}).(context.CancelFunc); ok {
					cancel()
				}
			},
		})
		if err != nil {
			for _, it := range pending {
				failures = append(failures, index.Failure{ID: it.rec.ID, Path: it.rec.Source.Path, Reason: "not written: " + err.Error(), Cause: index.ErrNotWritten})
			}
			return failures, err
		}
		added := 0
		for _, it := range pending {
			mu.Lock()
			stop := transport != nil
			mu.Unlock()
			if stop || ctx.Err() != nil {
				break
			}
			it := it
			err := bi.Add(ctx, esutil.BulkIndexerItem{
				Action:     "index",
				DocumentID: it.rec.ID,
				Body:       bytes.NewReader(it.body),
				OnSuccess: func(context.Context, esutil.BulkIndexerItem, esutil.BulkIndexerResponseItem) {
					mu.Lock()
					written++
					mu.Unlock()
				},
				OnFailure: func(_ context.Context, _ esutil.BulkIndexerItem, res esutil.BulkIndexerResponseItem, err error) {
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err != nil:
						if transport == nil {
							transport = err
						}
						retry = append(retry, it)
					case res.Status == 429 || res.Status == 502 || res.Status == 503 || res.Status == 504:
						lastErr = fmt.Errorf("%d %s: %s", res.Status, res.Error.Type, res.Error.Reason)
						retry = append(retry, it)
					default:
						failures = append(failures, index.Failure{ID: it.rec.ID, Path: it.rec.Source.Path, Reason: itemReason(res), Cause: index.ErrRefused})
					}
				},
			})
			if err != nil {
				break
			}
			added++
		}
		closeErr := bi.Close(context.WithoutCancel(ctx))
		mu.Lock()
		notAdded := pending[added:]
		retry = append(retry, notAdded...)
		if transport == nil && closeErr != nil {
			transport = closeErr
		}
		if transport == nil && ctx.Err() != nil {
			transport = ctx.Err()
		}
		mu.Unlock()
		if transport != nil {
			lastErr = transport
			// Some items made it: the cluster is there but struggling, so
			// try again. Nothing made it: it is gone.
			if written == 0 || ctx.Err() != nil {
				for _, it := range retry {
					failures = append(failures, index.Failure{ID: it.rec.ID, Path: it.rec.Source.Path, Reason: "not written: " + es.redact(transport.Error()), Cause: index.ErrNotWritten})
				}
				if ctx.Err() != nil {
					return failures, ctx.Err()
				}
				if errors.Is(transport, context.DeadlineExceeded) {
					return failures, fmt.Errorf("elasticsearch at %s: bulk write: no answer within %s: %w", es.url, es.cfg.RequestTimeout, index.ErrUnavailable)
				}
				return failures, fmt.Errorf("elasticsearch at %s: bulk write: %s: %w", es.url, es.redact(transport.Error()), index.ErrUnavailable)
			}
		}
		pending = retry
	}
	return failures, nil
}

// encodeAll encodes the records with an id, spread over the cores
// (encoding a batch takes a good part of its write on one core); encode
// must be safe to call so.
func (es *Store) encodeAll(recs []extract.Record, encode func(int, *extract.Record) ([]byte, error)) ([][]byte, []error) {
	bodies := make([][]byte, len(recs))
	errs := make([]error, len(recs))
	index.ForEach(len(recs), 16, func(i int) {
		if recs[i].ID != "" {
			bodies[i], errs[i] = encode(i, &recs[i])
		}
	})
	return bodies, errs
}

// aggSize is the number of groups per page of a grouped Sum (a variable
// so a test can make paging happen).
var aggSize = 1000

type flushCancelKey struct{}

// putItem is one record on its way into the index.
type putItem struct {
	rec  *extract.Record
	body []byte
}

func itemReason(res esutil.BulkIndexerResponseItem) string {
	s := fmt.Sprintf("elasticsearch refused it (%d %s): %s", res.Status, res.Error.Type, res.Error.Reason)
	if res.Error.Cause.Type != "" {
		s += fmt.Sprintf(" (caused by %s: %s)", res.Error.Cause.Type, res.Error.Cause.Reason)
	}
	return s
}

// Refresh makes everything written so far visible to searches. Put does
// not refresh; tests and commands that read right after writing call this.
func (es *Store) Refresh(ctx context.Context) error {
	return es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_refresh", nil, nil)
}

// bulkRefreshInterval is how often the index refreshes during BulkLoad:
// seldom, so a load makes few segments to merge, and still now and then,
// should the setting outlive a load that was killed.
const bulkRefreshInterval = "30s"

// BulkLoad makes the index refresh every bulkRefreshInterval instead of
// every second while a long series of writes runs (Elasticsearch's advice
// for bulk loading: each refresh makes a segment, and many segments a
// merge). Put does not depend on refreshes. The function returned puts
// the setting back and refreshes; an interval of bulkRefreshInterval
// found set (a load that did not end) counts as the default.
func (es *Store) BulkLoad(ctx context.Context) (func(context.Context) error, error) {
	var res map[string]struct {
		Settings struct {
			Index struct {
				RefreshInterval *string `json:"refresh_interval"`
			} `json:"index"`
		} `json:"settings"`
	}
	path := "/" + url.PathEscape(es.alias) + "/_settings/index.refresh_interval"
	if err := es.call(ctx, http.MethodGet, path, nil, &res); err != nil {
		return nil, fmt.Errorf("elasticsearch: read refresh interval: %w", err)
	}
	var prev any // nil: the default
	for _, idx := range res {
		if ri := idx.Settings.Index.RefreshInterval; ri != nil && *ri != bulkRefreshInterval {
			prev = *ri
		}
	}
	set := func(ctx context.Context, v any) error {
		body := map[string]any{"index": map[string]any{"refresh_interval": v}}
		if err := es.call(ctx, http.MethodPut, "/"+url.PathEscape(es.alias)+"/_settings", body, nil); err != nil {
			return fmt.Errorf("elasticsearch: set refresh interval: %w", err)
		}
		return nil
	}
	if err := set(ctx, bulkRefreshInterval); err != nil {
		return nil, err
	}
	return func(ctx context.Context) error {
		err := set(ctx, prev)
		if rerr := es.Refresh(ctx); err == nil {
			err = rerr
		}
		return err
	}, nil
}

// Have reports which ids are stored with the given extractor version.
func (es *Store) Have(ctx context.Context, ids []string, extractor string) (map[string]bool, error) {
	have := map[string]bool{}
	for start := 0; start < len(ids); start += mgetBatch {
		batch := ids[start:min(start+mgetBatch, len(ids))]
		var res struct {
			Docs []struct {
				ID     string `json:"_id"`
				Found  bool   `json:"found"`
				Source struct {
					Extractor string          `json:"extractor"`
					Versions  json.RawMessage `json:"versions"`
				} `json:"_source"`
			} `json:"docs"`
		}
		path := "/" + url.PathEscape(es.alias) + "/_mget?_source_includes=extractor,versions&realtime=true"
		if err := es.call(ctx, http.MethodPost, path, map[string]any{"ids": batch}, &res); err != nil {
			return have, fmt.Errorf("elasticsearch: look up ids: %w", err)
		}
		for _, d := range res.Docs {
			// A record whose versions were not decided (the run stopped
			// between the write and Regroup) is put again.
			if d.Found && d.Source.Extractor == extractor && len(d.Source.Versions) > 0 {
				have[d.ID] = true
			}
		}
	}
	return have, nil
}

// searchQuery builds the bool query for q. Full text is split on spaces; each
// part must occur as a phrase in the agency name or a narrative section, so
// Chinese matches whole words whichever analyzer splits it.
func searchQuery(q index.Query) map[string]any {
	var must, filter []any
	for _, part := range strings.Fields(q.Text) {
		must = append(must, map[string]any{"multi_match": map[string]any{
			"query":  part,
			"type":   "phrase",
			"fields": []string{"agency.text^2", "sections.*"},
		}})
	}
	if q.Year != 0 {
		filter = append(filter, map[string]any{"term": map[string]any{"year": q.Year}})
	}
	if q.Template != "" {
		filter = append(filter, map[string]any{"term": map[string]any{"template": q.Template}})
	}
	if !q.AllVersions {
		filter = append(filter, currentOnly)
	}
	if q.Agency != "" {
		filter = append(filter, map[string]any{"wildcard": map[string]any{"agency": map[string]any{
			"value": "*" + escapeWildcard(q.Agency) + "*",
		}}})
	}
	if q.Region != "" {
		filter = append(filter, map[string]any{"prefix": map[string]any{"region.code": q.Region}})
	}
	if q.Level != "" {
		filter = append(filter, map[string]any{"term": map[string]any{"region.level": q.Level}})
	}
	if len(must) == 0 && len(filter) == 0 {
		return map[string]any{"match_all": map[string]any{}}
	}
	b := map[string]any{}
	if len(must) > 0 {
		b["must"] = must
	}
	if len(filter) > 0 {
		b["filter"] = filter
	}
	return map[string]any{"bool": b}
}

func escapeWildcard(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`)
	return r.Replace(s)
}

// Search runs a full-text query over agency and narrative, best first, or
// lists matching records by agency and year when q.Text is empty.
func (es *Store) Search(ctx context.Context, q index.Query) ([]index.Hit, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	body := map[string]any{
		"query":   searchQuery(q),
		"size":    limit,
		"_source": []string{"id", "agency", "year", "source.path"},
	}
	if strings.TrimSpace(q.Text) == "" {
		body["sort"] = []any{
			map[string]any{"agency": map[string]any{"order": "asc", "missing": "_last"}},
			map[string]any{"year": map[string]any{"order": "asc", "missing": "_last"}},
			map[string]any{"id": "asc"},
		}
	} else {
		body["highlight"] = map[string]any{
			"pre_tags":            []string{"【"},
			"post_tags":           []string{"】"},
			"fragment_size":       120,
			"number_of_fragments": 1,
			"fields": map[string]any{
				"sections.*":  map[string]any{},
				"agency.text": map[string]any{"number_of_fragments": 0},
			},
		}
	}
	var res struct {
		Hits struct {
			Hits []struct {
				ID     string              `json:"_id"`
				Score  *float64            `json:"_score"`
				Source hitSource           `json:"_source"`
				High   map[string][]string `json:"highlight"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_search", body, &res); err != nil {
		return nil, fmt.Errorf("elasticsearch: search: %w", err)
	}
	hits := make([]index.Hit, 0, len(res.Hits.Hits))
	for _, h := range res.Hits.Hits {
		hit := index.Hit{ID: h.ID, Path: h.Source.Source.Path}
		if h.Source.Agency != nil {
			hit.Agency = *h.Source.Agency
		}
		if h.Source.Year != nil {
			hit.Year = *h.Source.Year
		}
		if h.Score != nil {
			hit.Score = *h.Score
		}
		hit.Snippet = snippet(h.High)
		hits = append(hits, hit)
	}
	return hits, nil
}

type hitSource struct {
	Agency *string `json:"agency"`
	Year   *int    `json:"year"`
	Source struct {
		Path string `json:"path"`
	} `json:"source"`
}

// snippet prefers a narrative fragment (in section name order, so the
// choice is stable) over the highlighted agency name.
func snippet(h map[string][]string) string {
	var keys []string
	for k := range h {
		if strings.HasPrefix(k, "sections.") && len(h[k]) > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return h[keys[0]][0]
	}
	if a := h["agency.text"]; len(a) > 0 {
		return a[0]
	}
	return ""
}

// Sum adds up one field of fields.tsv over the records matching q, in one
// total or per year, agency or template (groups in key order; records
// whose group is unknown come first, under Key "").
func (es *Store) Sum(ctx context.Context, field, by string, q index.Query) ([]index.Bucket, error) {
	if !knownField(field) {
		return nil, fmt.Errorf("sum %q: %w (Elasticsearch sums the keys of fields.tsv)", field, index.ErrUnknownField)
	}
	// The fields a group is made of; city and county carry the names above
	// them, so two districts of one name stay apart (index.GroupKey).
	group := map[string][]string{
		"year": {"year"}, "agency": {"agency_id"}, "template": {"template"}, "level": {"region.level"},
		"province": {"region.province"}, "city": {"region.province", "region.city"},
		"county": {"region.province", "region.city", "region.county"},
	}
	sum := map[string]any{"sum": map[string]any{"field": "fields." + field}}
	money := fieldIsMoney(field)
	type sumValue struct {
		Value json.Number `json:"value"`
	}
	if by == "" {
		var res struct {
			Hits struct {
				Total struct {
					Value int `json:"value"`
				} `json:"total"`
			} `json:"hits"`
			Aggs struct {
				S sumValue `json:"s"`
			} `json:"aggregations"`
		}
		body := map[string]any{"query": searchQuery(q), "size": 0, "track_total_hits": true, "aggs": map[string]any{"s": sum}}
		if err := es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_search", body, &res); err != nil {
			return nil, fmt.Errorf("elasticsearch: sum %s: %w", field, err)
		}
		s, err := formatSum(res.Aggs.S.Value, money)
		if err != nil {
			return nil, fmt.Errorf("elasticsearch: sum %s: %w", field, err)
		}
		return []index.Bucket{{Sum: s, Reports: res.Hits.Total.Value}}, nil
	}
	g, ok := group[by]
	if !ok {
		return nil, fmt.Errorf("sum: cannot group by %q: want %s or nothing", by, strings.Join(index.SumGroups, ", "))
	}
	sources := make([]any, len(g))
	for i, f := range g {
		sources[i] = map[string]any{fmt.Sprintf("k%d", i): map[string]any{"terms": map[string]any{"field": f, "missing_bucket": true}}}
	}
	// A composite aggregation, paged, so no group is cut off however many
	// agencies there are; records whose group is unknown form the bucket "".
	var out []index.Bucket
	var after json.RawMessage
	for {
		comp := map[string]any{
			"size":    aggSize,
			"sources": sources,
		}
		if after != nil {
			comp["after"] = after
		}
		body := map[string]any{"query": searchQuery(q), "size": 0, "aggs": map[string]any{
			"g": map[string]any{"composite": comp, "aggs": map[string]any{"s": sum}},
		}}
		var res struct {
			Aggs struct {
				G struct {
					After   json.RawMessage `json:"after_key"`
					Buckets []struct {
						Key   map[string]json.RawMessage `json:"key"`
						Count int                        `json:"doc_count"`
						S     sumValue                   `json:"s"`
					} `json:"buckets"`
				} `json:"g"`
			} `json:"aggregations"`
		}
		if err := es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_search", body, &res); err != nil {
			return nil, fmt.Errorf("elasticsearch: sum %s by %s: %w", field, by, err)
		}
		for _, b := range res.Aggs.G.Buckets {
			s, err := formatSum(b.S.Value, money)
			if err != nil {
				return nil, fmt.Errorf("elasticsearch: sum %s: %w", field, err)
			}
			// The names joined from the top; unknown when the last is.
			key := ""
			for i := range g {
				k := b.Key[fmt.Sprintf("k%d", i)]
				if k == nil || string(k) == "null" {
					if i == len(g)-1 {
						key = ""
					}
					continue
				}
				var ks string
				if json.Unmarshal(k, &ks) != nil {
					ks = string(k) // year: a number
				}
				key += ks
			}
			out = append(out, index.Bucket{Key: key, Sum: s, Reports: b.Count})
		}
		if len(res.Aggs.G.Buckets) < aggSize || res.Aggs.G.After == nil {
			break
		}
		after = res.Aggs.G.After
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	// Groups of several fields whose last is unknown all have key "".
	merged := out[:0]
	for _, b := range out {
		if n := len(merged); n > 0 && merged[n-1].Key == b.Key {
			sum, err := numeral.Add(string(merged[n-1].Sum), string(b.Sum))
			if err != nil {
				return nil, fmt.Errorf("elasticsearch: sum %s: %w", field, err)
			}
			merged[n-1].Sum = extract.Number(sum)
			merged[n-1].Reports += b.Reports
			continue
		}
		merged = append(merged, b)
	}
	return merged, nil
}

// formatSum turns an aggregation's double back into a canonical decimal:
// counts are whole numbers; 万元 amounts have at most moneyDecimals places,
// so rounding there undoes the binary representation error.
func formatSum(v json.Number, money bool) (extract.Number, error) {
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return "", fmt.Errorf("sum %q: %w", v, err)
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("sum %q is not a number", v)
	}
	if !money {
		if math.Abs(f) >= 1<<53 {
			return "", fmt.Errorf("sum %s is too large to be exact", v)
		}
		s, err := numeral.Canonical(strconv.FormatFloat(math.Round(f), 'f', 0, 64))
		if err != nil {
			return "", fmt.Errorf("sum %q: %w", v, err)
		}
		return extract.Number(s), nil
	}
	s, err := numeral.Canonical(strconv.FormatFloat(f, 'f', moneyDecimals, 64))
	if err != nil {
		return "", fmt.Errorf("sum %q: %w", v, err)
	}
	return extract.Number(s), nil
}

// Scan calls fn for every record matching q in export order, decoded
// exactly as it was written.
func (es *Store) Scan(ctx context.Context, q index.Query, fn func(extract.Record) error) error {
	var fnErr error
	err := es.pageSorted(ctx, "/"+url.PathEscape(es.alias)+"/_search", searchQuery(q), byExportOrder, q.Limit, func(hits []rawHit) error {
		for _, h := range hits {
			var r extract.Record
			if err := json.Unmarshal(h.Source, &r); err != nil {
				return fmt.Errorf("record %s: %w", h.ID, err)
			}
			if err := fn(r); err != nil {
				fnErr = err
				return err
			}
		}
		return nil
	})
	if err != nil && fnErr == nil {
		return fmt.Errorf("elasticsearch: scan: %w", err)
	}
	return err
}

// Count returns how many records match q.
func (es *Store) Count(ctx context.Context, q index.Query) (int, error) {
	var res struct {
		Count int `json:"count"`
	}
	err := es.call(ctx, http.MethodPost, "/"+url.PathEscape(es.alias)+"/_count", map[string]any{"query": searchQuery(q)}, &res)
	if err != nil {
		return 0, fmt.Errorf("elasticsearch: count: %w", err)
	}
	return res.Count, nil
}

// Close releases the client's connections.
func (es *Store) Close() error {
	if es.client == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := es.client.Close(ctx)
	if errors.Is(err, elasticsearch.ErrAlreadyClosed) {
		return nil
	}
	return err
}

// drop deletes the alias's indices and its template (for tests).
func (es *Store) drop(ctx context.Context) error {
	idx, err := es.aliasIndices(ctx)
	if err != nil {
		return err
	}
	for _, i := range idx {
		if err := es.call(ctx, http.MethodDelete, "/"+url.PathEscape(i), nil, nil); err != nil {
			return err
		}
	}
	err = es.call(ctx, http.MethodDelete, "/_index_template/"+url.PathEscape(es.alias), nil, nil)
	var re *responseError
	if errors.As(err, &re) && re.Status == http.StatusNotFound {
		return nil
	}
	return err
}

// responseError is an error answer from Elasticsearch.
type responseError struct {
	Status int
	Type   string
	Reason string
}

func (e *responseError) Error() string {
	if e.Type == "" {
		return fmt.Sprintf("status %d: %s", e.Status, e.Reason)
	}
	return fmt.Sprintf("status %d: %s: %s", e.Status, e.Type, e.Reason)
}

// call sends one request and decodes the JSON answer into out. A network
// failure, or a 401/403 or 5xx after the client's retries, wraps
// ErrUnavailable.
func (es *Store) call(ctx context.Context, method, path string, body, out any) error {
	var b []byte
	if body != nil {
		var err error
		if b, err = json.Marshal(body); err != nil {
			return err
		}
	}
	return es.callRaw(ctx, method, path, "application/json", b, out)
}

func (es *Store) callRaw(parent context.Context, method, path, contentType string, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(parent, es.cfg.RequestTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := es.client.Perform(req)
	if err != nil {
		if parent.Err() != nil {
			return parent.Err()
		}
		if ctx.Err() != nil {
			return fmt.Errorf("elasticsearch at %s: %s %s: no answer within %s: %w", es.url, method, path, es.cfg.RequestTimeout, index.ErrUnavailable)
		}
		return fmt.Errorf("elasticsearch at %s: %s: %w", es.url, es.redact(err.Error()), index.ErrUnavailable)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		if parent.Err() != nil {
			return parent.Err()
		}
		return fmt.Errorf("elasticsearch at %s: read answer: %s: %w", es.url, es.redact(err.Error()), index.ErrUnavailable)
	}
	if res.StatusCode >= 300 {
		re := &responseError{Status: res.StatusCode}
		var e struct {
			Error json.RawMessage `json:"error"`
		}
		var detail struct {
			Type   string `json:"type"`
			Reason string `json:"reason"`
		}
		if json.Unmarshal(data, &e) == nil && json.Unmarshal(e.Error, &detail) == nil {
			re.Type, re.Reason = detail.Type, detail.Reason
		} else {
			re.Reason = strings.TrimSpace(string(data[:min(len(data), 300)]))
		}
		re.Reason = es.redact(re.Reason)
		if res.StatusCode == 401 || res.StatusCode == 403 || res.StatusCode >= 500 {
			return fmt.Errorf("elasticsearch at %s: %w (%w)", es.url, re, index.ErrUnavailable)
		}
		return re
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("elasticsearch at %s: decode answer to %s %s: %w", es.url, method, path, err)
	}
	return nil
}

// redact removes secrets from a message that may quote a request.
func (es *Store) redact(s string) string {
	for _, sec := range es.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}

// RedactURL hides the password of a URL string (url.URL.Redacted), and
// everything before an @ when the string does not parse, so a credential
// in ELASTICSEARCH_URL is never printed.
func RedactURL(s string) string {
	if u, err := url.Parse(s); err == nil && (u.User != nil || !strings.Contains(s, "@")) {
		return u.Redacted()
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "xxxxx" + s[i:]
		}
		return "xxxxx" + s[i:]
	}
	return s
}

func redactURL(s string) string { return RedactURL(s) }
