package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ogi/batch"
)

// esURL returns the test cluster's URL. Without one the test is skipped
// loudly, except under CI=true, where it fails.
func esURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ELASTICSEARCH_URL")
	if u == "" {
		msg := "ELASTICSEARCH_URL not set: Elasticsearch CLI integration tests SKIPPED; run make test or scripts/elasticsearch.sh start"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

// deleteIndices removes the indices behind a test alias.
func deleteIndices(t *testing.T, url, alias string) {
	req, _ := http.NewRequest(http.MethodDelete, strings.TrimRight(url, "/")+"/"+alias+"-*", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	req, _ = http.NewRequest(http.MethodDelete, strings.TrimRight(url, "/")+"/_index_template/"+alias+"*", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}

// TestElasticsearchAndSQLiteAgree ingests the same files into both stores
// through the CLI and compares what search, stats and export give.
func TestElasticsearchAndSQLiteAgree(t *testing.T) {
	url := esURL(t)
	ctx := context.Background()
	in := corpusDir(t)
	alias := fmt.Sprintf("ogi-clitest-%d", time.Now().UnixNano())
	t.Cleanup(func() { deleteIndices(t, url, alias) })
	db := filepath.Join(t.TempDir(), "ogi.db")

	_, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--es", url, "--index", alias, in)
	if code != 0 && code != exitPartial {
		t.Fatalf("ingest into Elasticsearch: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCLI(t, ctx, "", "ingest", "--quiet", "--es", url, "--index", alias, in)
	if code != 0 && code != exitPartial {
		t.Fatalf("second ingest: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "; 0 indexed") {
		t.Errorf("second ingest into Elasticsearch should index nothing: %s", errOut)
	}
	if _, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--db", db, in); code != 0 && code != exitPartial {
		t.Fatalf("ingest into SQLite: exit %d: %s", code, errOut)
	}
	es := []string{"--es", url, "--index", alias}
	lite := []string{"--db", db}
	same := func(args ...string) {
		t.Helper()
		a, errA, codeA := runCLI(t, ctx, "", append(append([]string{args[0]}, es...), args[1:]...)...)
		b, errB, codeB := runCLI(t, ctx, "", append(append([]string{args[0]}, lite...), args[1:]...)...)
		if codeA != 0 || codeB != 0 {
			t.Fatalf("%v: exit %d (es: %s) / %d (sqlite: %s)", args, codeA, errA, codeB, errB)
		}
		if a != b {
			t.Errorf("%v differs between stores:\nelasticsearch:\n%s\nsqlite:\n%s", args, a, b)
		}
	}
	same("stats", "--sum", "requests.new.total", "--by", "year", "--format", "csv")
	same("stats", "--sum", "active.fees.amount", "--by", "agency", "--format", "csv")
	same("stats", "--sum", "review.total", "--format", "csv")
	same("export", "--format", "jsonl")
	same("export", "--format", "csv", "--year", "2024")
	for _, by := range []string{"province", "city", "county", "level", "agency"} {
		same("stats", "--sum", "requests.new.total", "--by", by, "--format", "csv")
	}
	same("stats", "--sum", "requests.new.total", "--by", "county", "--region", "湖南省", "--format", "csv")
	same("stats", "--sum", "active.fees.amount", "--by", "agency", "--region", "654221", "--level", "town")
	same("export", "--format", "jsonl", "--region", "成都市")
	// Ranking and snippets differ between the stores; the hits must not.
	a, _, _ := runCLI(t, ctx, "", "search", "--es", url, "--index", alias, "公开", "--region", "四川", "--format", "csv", "--limit", "100")
	b, _, _ := runCLI(t, ctx, "", "search", "--db", db, "公开", "--region", "四川", "--format", "csv", "--limit", "100")
	if ids(a) != ids(b) || len(strings.Fields(ids(a))) != 2 {
		t.Errorf("search 公开 --region 四川: elasticsearch found %s, sqlite %s; want the two Sichuan reports", ids(a), ids(b))
	}

	// Search: the same reports found for an agency name and a two-character word.
	for _, q := range []string{"额玛勒郭楞", "公开"} {
		a, _, _ := runCLI(t, ctx, "", "search", "--es", url, "--index", alias, q, "--format", "csv", "--limit", "100")
		b, _, _ := runCLI(t, ctx, "", "search", "--db", db, q, "--format", "csv", "--limit", "100")
		if ids(a) != ids(b) || ids(a) == "" {
			t.Errorf("search %q: elasticsearch found %s, sqlite %s", q, ids(a), ids(b))
		}
	}
}

// ids returns the sorted id column of a search CSV.
func ids(csvText string) string {
	rows, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil || len(rows) == 0 {
		return ""
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestElasticsearchUnreachable(t *testing.T) {
	_, errOut, code := runCLI(t, context.Background(), "", "search", "--es", "http://user:s3cret@127.0.0.1:1", "公开")
	if code != exitFatal {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errOut, "127.0.0.1:1") {
		t.Errorf("message does not name the URL: %s", errOut)
	}
	if strings.Contains(errOut, "s3cret") {
		t.Errorf("message shows the password: %s", errOut)
	}
}

// TestIngestSurvivesLostNode: the node goes away in the middle of an
// ingest (a proxy in front of it starts dropping every connection after two
// bulk requests). The run stops, exits non-zero and lists what was not
// indexed; the next run, with the node back, indexes exactly the rest.
func TestIngestSurvivesLostNode(t *testing.T) {
	url := esURL(t)
	ctx := context.Background()
	in := corpusDir(t)
	alias := fmt.Sprintf("ogi-clilost-%d", time.Now().UnixNano())
	t.Cleanup(func() { deleteIndices(t, url, alias) })

	target, _ := neturl.Parse(url)
	rp := httputil.NewSingleHostReverseProxy(target)
	var bulks atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if testing.Verbose() {
			t.Logf("proxy: %s %s", r.Method, r.URL.Path)
		}
		if strings.Contains(r.URL.Path, "_bulk") && bulks.Add(1) > 2 {
			hj, ok := w.(http.Hijacker)
			if !ok {
				t.Error("no hijacker")
				return
			}
			c, _, _ := hj.Hijack()
			c.Close()
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()

	sumPath := filepath.Join(t.TempDir(), "summary.json")
	_, errOut, code := runCLI(t, ctx, "", "ingest", "--quiet", "--jobs", "1", "--batch-size", "2", "--es", proxy.URL, "--index", alias, "--summary", sumPath, in)
	if code == 0 || code == exitPartial {
		t.Fatalf("ingest with the node gone: exit %d, want a fatal exit; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "not indexed") {
		t.Errorf("stderr does not list the files not indexed:\n%s", errOut)
	}
	var sum summary
	b, err := os.ReadFile(sumPath)
	if err != nil {
		t.Fatalf("no summary after the failed run: %v", err)
	}
	json.Unmarshal(b, &sum)
	if sum.Indexed == nil || *sum.Indexed == 0 || *sum.Indexed >= sum.Files {
		t.Fatalf("first run indexed %v of %d records, want some but not all", sum.Indexed, sum.Files)
	}
	stored := *sum.Indexed
	if sum.Counts[batch.NotIndexed]+sum.Counts[batch.Interrupted] == 0 {
		t.Errorf("summary counts %v: nothing marked not indexed", sum.Counts)
	}

	_, errOut, code = runCLI(t, ctx, "", "ingest", "--quiet", "--es", url, "--index", alias, "--summary", sumPath, in)
	if code != 0 && code != exitPartial {
		t.Fatalf("second ingest: exit %d: %s", code, errOut)
	}
	b, _ = os.ReadFile(sumPath)
	var sum2 summary
	json.Unmarshal(b, &sum2)
	total := sum2.Counts[batch.OK] + sum2.Counts[batch.Partial] + sum2.Counts[batch.Unchanged] + sum2.Counts[batch.Duplicate]
	if sum2.Counts[batch.Unchanged] != stored || *sum2.Indexed != total-stored-sum2.Counts[batch.Duplicate] {
		t.Errorf("second run: counts %v, indexed %d: want the %d files the first run reported indexed unchanged, and the rest indexed", sum2.Counts, *sum2.Indexed, stored)
	}
	out, _, _ := runCLI(t, ctx, "", "export", "--es", url, "--index", alias, "--format", "jsonl", "--all-versions")
	if n := len(decodeRecords(t, out)); n != total-sum2.Counts[batch.Duplicate] {
		t.Errorf("index holds %d records, want %d (every distinct file once)", n, total-sum2.Counts[batch.Duplicate])
	}
}
