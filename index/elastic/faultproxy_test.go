package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ogi/extract"
	"ogi/index"
	"ogi/index/storetest"
)

// faultProxy sits between the store and the real node and injects faults
// into bulk requests; everything else passes through unless the node is
// "gone".
type faultProxy struct {
	srv   *httptest.Server
	proxy *httputil.ReverseProxy

	mu    sync.Mutex
	bulks int // bulk requests seen

	// The first N bulk requests are answered 429 without reaching the node.
	reject429 int
	// In the first N bulk answers, every k-th item is turned into a 429
	// (the node did write it; the store must send it again).
	itemReject429, itemRejectEvery int
	// The first N bulk requests lose their connection before reaching the node.
	dropBefore int
	// The first N bulk requests reach the node, then lose their connection
	// before the answer: written, but not confirmed.
	dropAfter int
	// After this many bulk requests (0: never), every request's connection
	// is closed without reaching the node.
	goneAfter int
	gone      bool

	injected int // faults injected, so a test can see its fault happened
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{}
	p.proxy = httputil.NewSingleHostReverseProxy(u)
	director := p.proxy.Director
	p.proxy.Director = func(r *http.Request) {
		director(r)
		r.Header.Del("Accept-Encoding") // keep answers plain so they can be rewritten
	}
	p.proxy.ModifyResponse = p.modify
	p.proxy.ErrorLog = nil
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *faultProxy) URL() string { return p.srv.URL }

func isBulk(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/_bulk") }

func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	bulk := isBulk(r)
	n := 0
	if bulk {
		p.bulks++
		n = p.bulks
		if p.goneAfter > 0 && n > p.goneAfter {
			p.gone = true
		}
	}
	gone := p.gone
	reject := bulk && n <= p.reject429
	dropBefore := bulk && n <= p.dropBefore
	dropAfter := bulk && n <= p.dropAfter
	if gone || reject || dropBefore || dropAfter {
		p.injected++
	}
	p.mu.Unlock()

	switch {
	case gone:
		hangUp(w)
	case reject:
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":{"type":"es_rejected_execution_exception","reason":"rejected execution (injected)"},"status":429}`)
	case dropBefore:
		// Read part of the request, then hang up mid-request.
		io.CopyN(io.Discard, r.Body, 512)
		hangUp(w)
	case dropAfter:
		rec := httptest.NewRecorder()
		p.proxy.ServeHTTP(rec, r)
		hangUp(w)
	default:
		p.proxy.ServeHTTP(w, r)
	}
}

// modify rewrites some items of a bulk answer into 429 rejections.
func (p *faultProxy) modify(res *http.Response) error {
	if !isBulk(res.Request) || res.StatusCode != http.StatusOK {
		return nil
	}
	p.mu.Lock()
	do := p.bulks <= p.itemReject429 && p.itemRejectEvery > 0
	every := p.itemRejectEvery
	p.mu.Unlock()
	if !do {
		return nil
	}
	data, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	var body map[string]any
	if err := json.Unmarshal(data, &body); err != nil {
		return err
	}
	items, _ := body["items"].([]any)
	rewritten := 0
	for i, it := range items {
		if i%every != 0 {
			continue
		}
		for op, v := range it.(map[string]any) {
			m := v.(map[string]any)
			items[i] = map[string]any{op: map[string]any{
				"_index": m["_index"], "_id": m["_id"], "status": 429,
				"error": map[string]any{"type": "es_rejected_execution_exception", "reason": "rejected execution of bulk item (injected)"},
			}}
		}
		rewritten++
	}
	if rewritten > 0 {
		body["errors"] = true
		p.mu.Lock()
		p.injected += rewritten
		p.mu.Unlock()
	}
	out, err := json.Marshal(body)
	if err != nil {
		return err
	}
	res.Body = io.NopCloser(bytes.NewReader(out))
	res.ContentLength = int64(len(out))
	res.Header.Set("Content-Length", strconv.Itoa(len(out)))
	return nil
}

func (p *faultProxy) faults() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.injected
}

func (p *faultProxy) set(f func(*faultProxy)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// storedIDs lists the ids in the alias, read from the real node.
func storedIDs(t *testing.T, alias string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	direct, err := Open(ctx, Config{URL: os.Getenv("ELASTICSEARCH_URL"), Alias: alias})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if err := direct.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range scanAll(t, direct, index.Query{AllVersions: true}) {
		if ids[r.ID] {
			t.Errorf("id %s stored twice", r.ID)
		}
		ids[r.ID] = true
	}
	if n := countAll(t, direct, index.Query{AllVersions: true}); n != len(ids) {
		t.Errorf("Count() = %d, Scan gave %d ids", n, len(ids))
	}
	return ids
}

func TestESFaults(t *testing.T) {
	node := testURL(t)
	const n = 150
	recs := storetest.Records(n)
	tests := []struct {
		name  string
		fault func(*faultProxy)
	}{
		{"429 on whole bulk requests", func(p *faultProxy) { p.reject429 = 3 }},
		{"429 on single items", func(p *faultProxy) { p.itemReject429, p.itemRejectEvery = 4, 3 }},
		{"connection dropped mid-request", func(p *faultProxy) { p.dropBefore = 2 }},
		{"connection dropped after writing", func(p *faultProxy) { p.dropAfter = 2 }},
		{"everything at once", func(p *faultProxy) {
			p.reject429, p.dropBefore, p.dropAfter, p.itemReject429, p.itemRejectEvery = 1, 2, 3, 6, 4
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFaultProxy(t, node)
			es := openTestES(t, Config{URL: p.URL(), MaxRetries: 6, Backoff: 20 * time.Millisecond})
			es.flushBytes = 64 << 10 // many small bulk requests
			p.set(tt.fault)
			failures, err := es.Put(context.Background(), recs)
			if err != nil || len(failures) > 0 {
				t.Fatalf("Put through %s: %v, %d failures %v", tt.name, err, len(failures), failures)
			}
			if p.faults() == 0 {
				t.Fatalf("no fault was injected")
			}
			ids := storedIDs(t, es.alias)
			if len(ids) != n {
				t.Errorf("%d records stored, want %d", len(ids), n)
			}
			for _, r := range recs {
				if !ids[r.ID] {
					t.Errorf("record %s lost", r.ID)
				}
			}
		})
	}
}

func TestESNodeGoneMidRun(t *testing.T) {
	node := testURL(t)
	const n = 200
	recs := storetest.Records(n)
	p := newFaultProxy(t, node)
	es := openTestES(t, Config{URL: p.URL(), MaxRetries: 3, Backoff: 10 * time.Millisecond})
	es.flushBytes = 64 << 10
	p.set(func(p *faultProxy) { p.goneAfter = 4 })

	start := time.Now()
	failures, err := es.Put(context.Background(), recs)
	if !errors.Is(err, index.ErrUnavailable) {
		t.Fatalf("Put with the node gone: err = %v, want ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), p.URL()) {
		t.Errorf("Put error %q does not name %s", err, p.URL())
	}
	t.Logf("Put gave up after %s: %v; %d failures", time.Since(start).Round(time.Millisecond), err, len(failures))

	stored := storedIDs(t, es.alias)
	if len(stored) == 0 || len(stored) == n {
		t.Fatalf("%d of %d records stored; the fault should fall mid-run", len(stored), n)
	}
	failed := map[string]bool{}
	for _, f := range failures {
		if failed[f.ID] {
			t.Errorf("record %s reported twice", f.ID)
		}
		failed[f.ID] = true
		if f.Path == "" || f.Reason == "" {
			t.Errorf("failure %+v: want path and reason", f)
		}
		if !errors.Is(f, index.ErrNotWritten) {
			t.Errorf("failure %+v: cause %v, want ErrNotWritten", f, f.Cause)
		}
	}
	// Failures are exactly the records not written.
	for _, r := range recs {
		if stored[r.ID] == failed[r.ID] {
			t.Errorf("record %s: stored %v, reported failed %v", r.ID, stored[r.ID], failed[r.ID])
		}
	}

	// The node is back: putting the failures completes the set.
	direct := openTestES(t, Config{Alias: es.alias})
	var again []extract.Record
	for _, r := range recs {
		if failed[r.ID] {
			again = append(again, r)
		}
	}
	putAll(t, direct, again)
	ids := storedIDs(t, es.alias)
	if len(ids) != n {
		t.Errorf("after re-Put of %d failures: %d records stored, want %d", len(again), len(ids), n)
	}
	var missing []string
	for _, r := range recs {
		if !ids[r.ID] {
			missing = append(missing, r.ID)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("missing after re-Put: %s", fmt.Sprint(missing))
	}
}
