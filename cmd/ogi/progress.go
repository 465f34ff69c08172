package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"ogi/batch"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// progress shows how a run goes: a bar with rate and ETA on a terminal, a
// log line every few seconds otherwise, nothing with --quiet.
type progress interface {
	done(r *batch.Result)
	stop()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(e *env, total int, quiet bool, every time.Duration) progress {
	switch {
	case quiet || total == 0:
		return noProgress{}
	case e.isTerminal:
		p := mpb.New(mpb.WithOutput(e.stderr), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond))
		bar := p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name("ogi "), decor.CountersNoUnit("%d/%d files")),
			mpb.AppendDecorators(
				decor.AverageSpeed(0, " %.1f files/s"),
				decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO),
			),
		)
		return &barProgress{p: p, bar: bar}
	default:
		if every <= 0 {
			every = 5 * time.Second
		}
		return &logProgress{w: e.stderr, total: total, start: time.Now(), every: every, last: time.Now()}
	}
}

type noProgress struct{}

func (noProgress) done(*batch.Result) {}
func (noProgress) stop()              {}

type barProgress struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

func (b *barProgress) done(*batch.Result) { b.bar.Increment() }
func (b *barProgress) stop() {
	b.bar.Abort(false)
	b.p.Wait()
}

// logProgress writes "ogi: 1200/10000 files (12%), 240.1 files/s, ETA 37s"
// at most once per interval, for cron jobs and CI logs.
type logProgress struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	n     int
	start time.Time
	last  time.Time
	every time.Duration
}

func (l *logProgress) done(*batch.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	now := time.Now()
	if now.Sub(l.last) < l.every || l.n == l.total {
		return
	}
	l.last = now
	el := now.Sub(l.start).Seconds()
	rate := float64(l.n) / el
	eta := time.Duration(float64(l.total-l.n)/rate) * time.Second
	fmt.Fprintf(l.w, "ogi: %d/%d files (%d%%), %.1f files/s, ETA %s\n", l.n, l.total, 100*l.n/l.total, rate, eta.Round(time.Second))
}

func (l *logProgress) stop() {}
