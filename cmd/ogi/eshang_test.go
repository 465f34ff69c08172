package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// frozenListener accepts connections on loopback and never answers, like
// a node that has stopped responding.
func frozenListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + ln.Addr().String()
}

// freezingProxy passes requests to the real node until the first bulk
// request, which it accepts and never answers (nor any after it).
func freezingProxy(t *testing.T, target string) (string, <-chan struct{}) {
	t.Helper()
	u, err := neturl.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	frozen := make(chan struct{})
	var once sync.Once
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/_bulk") {
			once.Do(func() { close(frozen) })
			select {
			case <-release:
			case <-time.After(5 * time.Minute):
			}
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		close(release)
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.URL, frozen
}

// startIngest starts the ogi binary on dir with the given store flags.
func startIngest(t *testing.T, bin, dir string, stderr *bytes.Buffer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, append(append([]string{"ingest", "--quiet", "--jobs", "1", "--batch-size", "2"}, args...), dir)...)
	cmd.Env = append(os.Environ(), "ELASTICSEARCH_URL=")
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// waitExit waits up to limit for cmd and returns its exit code and how
// long it took after since.
func waitExit(t *testing.T, cmd *exec.Cmd, since time.Time, limit time.Duration) (int, time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return cmd.ProcessState.ExitCode(), time.Since(since)
	case <-time.After(limit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running %s after the signal", limit)
		return -1, 0
	}
}

// TestSIGINTAgainstFrozenNode: a node that accepts connections and never
// answers must not hold an interrupted run: SIGINT ends it with exit 130
// within 10 seconds, whether the run is still opening the store or has
// extracted files and is writing them, and the files not indexed are
// listed. A second SIGINT exits at once.
func TestSIGINTAgainstFrozenNode(t *testing.T) {
	bin := buildOgi(t)
	in := corpusDir(t)

	t.Run("opening", func(t *testing.T) {
		var stderr bytes.Buffer
		cmd := startIngest(t, bin, in, &stderr, "--es", frozenListener(t))
		time.Sleep(time.Second)
		sent := time.Now()
		cmd.Process.Signal(syscall.SIGINT)
		code, took := waitExit(t, cmd, sent, 10*time.Second)
		if code != exitInterrupted {
			t.Errorf("exit %d after %s, want %d; stderr:\n%s", code, took, exitInterrupted, stderr.String())
		}
		t.Logf("exit %d %s after SIGINT", code, took)
	})

	esu := os.Getenv("ELASTICSEARCH_URL")
	if esu == "" {
		t.Log("ELASTICSEARCH_URL not set: the frozen-during-bulk cases are skipped")
		return
	}
	for _, twice := range []bool{false, true} {
		t.Run(fmt.Sprintf("writing/second-signal=%v", twice), func(t *testing.T) {
			alias := fmt.Sprintf("ogi-frozen-%d", time.Now().UnixNano())
			t.Cleanup(func() { deleteIndices(t, esu, alias) })
			proxy, frozen := freezingProxy(t, esu)
			var stderr bytes.Buffer
			sumPath := filepath.Join(t.TempDir(), "summary.json")
			cmd := startIngest(t, bin, in, &stderr, "--es", proxy, "--index", alias, "--summary", sumPath)
			select {
			case <-frozen:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("no bulk request within a minute; stderr:\n%s", stderr.String())
			}
			time.Sleep(300 * time.Millisecond)
			sent := time.Now()
			cmd.Process.Signal(syscall.SIGINT)
			limit := 10 * time.Second
			if twice {
				time.Sleep(200 * time.Millisecond)
				cmd.Process.Signal(syscall.SIGINT)
				limit = 2 * time.Second
			}
			code, took := waitExit(t, cmd, sent, limit)
			t.Logf("exit %d %s after SIGINT", code, took)
			if code != exitInterrupted {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, stderr.String())
			}
			if twice {
				if !strings.Contains(stderr.String(), "interrupted again") {
					t.Errorf("second SIGINT did not stop the run at once; stderr:\n%s", stderr.String())
				}
				return
			}
			// The batch held by the node and the ones after it are listed.
			notIndexed := strings.Count(stderr.String(), ": not indexed: ")
			if notIndexed < 2 {
				t.Errorf("%d files listed as not indexed, want at least the batch in flight; stderr:\n%s", notIndexed, stderr.String())
			}
			b, err := os.ReadFile(sumPath)
			if err != nil || !bytes.Contains(b, []byte(`"not_indexed"`)) {
				t.Errorf("summary does not mark files not indexed (%v):\n%s", err, b)
			}
		})
	}
}

// TestESPasswordNeverPrinted: a password in ELASTICSEARCH_URL or --es
// appears in no help text, usage error or failure message.
func TestESPasswordNeverPrinted(t *testing.T) {
	const secret = "s3cr3t-pw"
	dead := "http://elastic:" + secret + "@127.0.0.1:1"
	getenv := func(k string) string {
		if k == "ELASTICSEARCH_URL" {
			return dead
		}
		return os.Getenv(k)
	}
	ctx := context.Background()
	in := corpusDir(t)
	cases := [][]string{
		{"ingest", "-h"},
		{"search", "-h"},
		{"stats", "-h"},
		{"export", "-h"},
		{"ingest", "--no-such-flag"},
		{"ingest"},
		{"ingest", "--quiet", in},
		{"ingest", "--quiet", "--es", "http://elastic:" + secret + "@[::1", in},
		{"stats", "--sum", "requests.new.total"},
	}
	for _, args := range cases {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv}
		runWith(ctx, e, args)
		if strings.Contains(out.String()+errb.String(), secret) {
			t.Errorf("ogi %s printed the password:\n%s%s", strings.Join(args, " "), out.String(), errb.String())
		}
		if args[len(args)-1] == "-h" && !strings.Contains(errb.String(), "elastic:xxxxx@127.0.0.1:1") {
			t.Errorf("ogi %s: the --es default is not shown redacted:\n%s", strings.Join(args, " "), errb.String())
		}
	}
}
