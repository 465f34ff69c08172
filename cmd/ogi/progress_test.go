package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"ogi/batch"
)

// TestLogProgressWhenNotATerminal: in a cron job the progress is a log line
// with counts, rate and ETA, at most once per interval.
func TestLogProgressWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	e := &env{stderr: &buf, isTerminal: false}
	p := newProgress(e, 10, false, 30*time.Millisecond)
	if _, ok := p.(*logProgress); !ok {
		t.Fatalf("newProgress off a terminal = %T, want *logProgress", p)
	}
	for i := 0; i < 9; i++ {
		time.Sleep(10 * time.Millisecond)
		p.done(&batch.Result{})
	}
	p.done(&batch.Result{})
	p.stop()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) == 0 || len(lines) > 4 {
		t.Fatalf("got %d progress lines, want 1 to 4 for 100ms at a 30ms interval:\n%s", len(lines), buf.String())
	}
	re := regexp.MustCompile(`^ogi: \d+/10 files \(\d+%\), [\d.]+ files/s, ETA \S+$`)
	for _, l := range lines {
		if !re.MatchString(l) {
			t.Errorf("progress line %q does not match %s", l, re)
		}
	}
}

func TestQuietShowsNoProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&env{stderr: &buf, isTerminal: true}, 10, true, 0)
	for i := 0; i < 10; i++ {
		p.done(&batch.Result{})
	}
	p.stop()
	if buf.Len() != 0 {
		t.Errorf("--quiet wrote %q", buf.String())
	}
}
