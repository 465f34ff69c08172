package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ogi/batch"
	"ogi/numeral"
	"ogi/parser"
	"ogi/synth"
)

func runDump(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "dump", "[--format text|json] [--charset NAME] FILE...", "ogi dump --format json report.docx")
	format := fs.String("format", "text", "text or json")
	cs := fs.String("charset", "", "character set of HTML input if known (used only if the bytes decode cleanly)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no files", errUsage)
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	failed := 0
	for _, f := range files {
		// Checked first: opening a FIFO would block.
		if _, err := batch.CheckRegular(f); err != nil {
			printProblems(e.stderr, []problemRow{{File: f, Error: err.Error()}}, new(int), 1)
			failed++
			continue
		}
		doc, err := parser.ReadFile(ctx, f, parser.Options{Charset: *cs})
		if err != nil {
			printProblems(e.stderr, []problemRow{{File: f, Error: err.Error()}}, new(int), 1)
			failed++
			continue
		}
		if *format == "json" {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(doc); err != nil {
				return err
			}
			continue
		}
		if err := parser.Dump(w, doc); err != nil {
			return err
		}
	}
	if failed > 0 {
		return errPartial
	}
	return nil
}

func runNumeral(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "numeral", "[--mode strict|lenient|digits] [--jian] < lines", "printf '三万五\\n251000元\\n—\\n' | ogi numeral --mode lenient")
	mode := fs.String("mode", "strict", "strict (table cells), lenient (colloquial forms) or digits (years, codes)")
	jian := fs.Bool("jian", false, "accept 减 as a minus sign (本年增/减 columns)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	m, err := numeral.ParseMode(*mode)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		v, err := numeral.Parse(line, numeral.Options{Mode: m, AllowJian: *jian})
		if err != nil {
			var ne *numeral.Error
			if errors.As(err, &ne) {
				fmt.Fprintf(w, "ERROR: %s\n", ne.Reason)
			} else {
				fmt.Fprintf(w, "ERROR: %v\n", err)
			}
			continue
		}
		fmt.Fprintln(w, v.String())
	}
	return sc.Err()
}

func runGen(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "gen", "--out DIR [--n N] [--format docx,html,pdf] [--seed S]", "ogi gen --out /tmp/corpus --n 1000 --format docx,html,pdf")
	out := fs.String("out", "", "directory to write the reports and truth.jsonl into")
	n := fs.Int("n", 100, "number of reports")
	formats := fs.String("format", "docx,html", "comma-separated formats: docx, html, pdf")
	seed := fs.Int64("seed", 1, "random seed (same seed, same files)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: --out DIR is required", errUsage)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := synth.WriteCorpus(*out, *seed, *n, strings.Split(*formats, ",")); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "ogi: wrote %s and %s\n", plural(*n, "report", "reports"), filepath.Join(*out, "truth.jsonl"))
	return nil
}
