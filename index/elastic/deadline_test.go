package elastic

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"ogi/index"
)

// TestESFrozenNodeHasDeadline: a node that accepts connections and never
// answers fails a request after RequestTimeout (with ErrUnavailable and a
// message saying so) instead of holding the caller.
func TestESFrozenNodeHasDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
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
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	start := time.Now()
	_, err = Open(context.Background(), Config{
		URL: "http://elastic:hunter2@" + ln.Addr().String(), RequestTimeout: 300 * time.Millisecond, MaxRetries: 1, Backoff: 10 * time.Millisecond,
	})
	took := time.Since(start)
	if !errors.Is(err, index.ErrUnavailable) || !strings.Contains(err.Error(), "no answer within 300ms") {
		t.Errorf("Open(frozen node) = %v, want ErrUnavailable saying no answer came", err)
	}
	if err != nil && strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error shows the password: %v", err)
	}
	if took > 5*time.Second {
		t.Errorf("Open took %s against a frozen node with a 300ms request timeout", took)
	}

	// Cancelling the context ends a request at once, deadline or not.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	_, err = Open(ctx, Config{URL: "http://" + ln.Addr().String(), RequestTimeout: time.Minute})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 3*time.Second {
		t.Errorf("Open cancelled after 200ms = %v after %s, want context.Canceled at once", err, time.Since(start))
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://elastic:pw@127.0.0.1:9200": "http://elastic:xxxxx@127.0.0.1:9200",
		"http://127.0.0.1:9200":            "http://127.0.0.1:9200",
		"https://u:p%40ss@host/path":       "https://u:xxxxx@host/path",
		"http://u:pw@[::1":                 "http://xxxxx@[::1",
		"u:pw@host:9200":                   "xxxxx@host:9200",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
