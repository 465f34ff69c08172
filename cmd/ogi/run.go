package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"ogi/batch"
	"ogi/extract"
	"ogi/index"
)

// Exit codes (README "Exit codes").
const (
	exitOK          = 0
	exitFatal       = 1
	exitUsage       = 2
	exitPartial     = 3
	exitInterrupted = 130
)

// errUsage marks a command-line mistake (exit 2).
var errUsage = errors.New("usage")

// errPartial marks a run that finished but skipped some files or cells
// (exit 3); the problems report says which.
var errPartial = errors.New("some files or cells were skipped")

// errInterrupted marks a run stopped by SIGINT/SIGTERM (exit 130).
var errInterrupted = batch.ErrInterrupted

func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.Is(err, errUsage):
		return exitUsage
	case errors.Is(err, errPartial):
		return exitPartial
	default:
		return exitFatal
	}
}

// env is what a command sees of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	isTerminal     bool // stderr is a terminal: show a progress bar
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
	hidden  bool
}

func commands() []command {
	return []command{
		{"extract", "read report files and write their records (JSONL, CSV) without any store", runExtract, false},
		{"ingest", "read report files and index their records (SQLite by default, or Elasticsearch)", runIngest, false},
		{"search", "full-text search over indexed reports, with filters", runSearch, false},
		{"stats", "sum a statistic across indexed reports, grouped by year, agency or template", runStats, false},
		{"export", "export indexed records as CSV, long CSV, JSONL or XLSX", runExport, false},
		{"region", "show how names resolve to China's divisions: code, names, level, or the candidates", runRegion, false},
		{"dump", "show a file as the parser sees it: paragraphs and table grids", runDump, false},
		{"numeral", "normalize numerals read from stdin, one per line", runNumeral, false},
		{"gen", "generate synthetic report files with their true values (tests, benchmarks)", runGen, false},
		{"version", "print the extractor version", runVersion, false},
	}
}

// Run is the whole program: it parses args, runs one subcommand and
// returns an error whose kind decides the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runWith(ctx, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv, isTerminal: isTerminal(stderr)}, args)
}

func runWith(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			if err != nil && !errors.Is(err, flag.ErrHelp) {
				switch {
				case errors.Is(err, errUsage):
					fmt.Fprintf(e.stderr, "ogi %s: %v\n", c.name, err)
				case errors.Is(err, errPartial), errors.Is(err, errInterrupted):
					// already reported by the command's summary
				default:
					fmt.Fprintf(e.stderr, "ogi %s: %v\n", c.name, err)
				}
			}
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	fmt.Fprintf(e.stderr, "ogi: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "ogi reads government information disclosure annual reports and indexes their statistics.\n\nUsage: ogi <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		if !c.hidden {
			fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintf(w, "\nRun 'ogi <command> -h' for a command's flags and an example.\n")
}

// newFlags returns a flag set whose usage text shows the command's synopsis
// and example.
func newFlags(e *env, name, synopsis, example string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: ogi %s %s\n\nExample:\n  %s\n\nFlags:\n", name, synopsis, example)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments ("ogi search 公开 --year 2024").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func runVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "ogi version")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, extract.Version)
	return nil
}

// storeFailureText formats a store's refusals for the problems report.
func storeFailureText(f index.Failure) string {
	return strings.TrimSpace(f.Reason)
}
