package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeSkips are README examples the test does not run, with why.
var readmeSkips = map[string]string{
	"ogi ingest --db /data/ogi.db --manifest crawl.jsonl downloads/":                              "writes a store outside the working directory (/data)",
	"ogi ingest --es http://127.0.0.1:9200 --summary run.json --problems problems.csv downloads/": "needs Elasticsearch (the store tests cover it)",
	"ogi gen --out /tmp/corpus": "writes 1000 files outside the working directory (gen has its own tests)",
}

// readmeSkip says whether line is one of readmeSkips (by its start) and
// why.
func readmeSkip(line string) (string, bool) {
	for prefix, why := range readmeSkips {
		if strings.HasPrefix(line, prefix) {
			return why, true
		}
	}
	return "", false
}

// readmeCommands returns the `ogi ...` lines of README's sh blocks.
func readmeCommands(t *testing.T, readme string) []string {
	t.Helper()
	f, err := os.Open(readme)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```"):
			in = !in && line == "```sh"
		case in && strings.HasPrefix(line, "ogi "):
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// shellWords splits a command line as sh would for these examples:
// single and double quotes, a trailing # comment, and `> FILE`.
func shellWords(line string) (args []string, out string) {
	var cur strings.Builder
	have, quote := false, rune(0)
	var words []string
	for _, c := range line {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote, have = c, true
		case c == ' ' || c == '\t':
			if have {
				words = append(words, cur.String())
				cur.Reset()
				have = false
			}
		case c == '#' && !have:
			goto done
		default:
			cur.WriteRune(c)
			have = true
		}
	}
	if have {
		words = append(words, cur.String())
	}
done:
	for i := 0; i < len(words); i++ {
		if words[i] == ">" && i+1 < len(words) {
			out = words[i+1]
			i++
			continue
		}
		args = append(args, words[i])
	}
	return args, out
}

// makeSamples returns the SAMPLES of the Makefile, as absolute paths.
func makeSamples(t *testing.T, root string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "SAMPLES := "); ok {
			var out []string
			for _, p := range strings.Fields(rest) {
				out = append(out, filepath.Join(root, p))
			}
			return out
		}
	}
	t.Fatal("Makefile has no SAMPLES")
	return nil
}

// TestReadmeExamples runs every `ogi` example of the README, as written,
// against a store ingested from the Makefile's samples the way `make run`
// does, in a directory holding the files the examples name (copies of
// the samples); each must exit 0 and give a non-empty answer.
func TestReadmeExamples(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(t, filepath.Join(root, "README.md"))
	if len(cmds) < 15 {
		t.Fatalf("found %d ogi examples in README.md, want them all", len(cmds))
	}
	samples := makeSamples(t, root)
	work := t.TempDir()
	t.Chdir(work)
	// The files the examples name.
	os.Mkdir("reports", 0o755)
	for _, p := range []string{
		// Files the samples already hold, so that `ogi ingest reports/`
		// adds nothing and the read examples see what `make run` stored.
		"samples/report-00000.docx", "samples/report-00001.html",
	} {
		copyFile(t, filepath.Join(root, "fixtures", p), filepath.Join("reports", filepath.Base(p)))
	}
	copyFile(t, filepath.Join(root, "fixtures", "real", "huaian-hongze-2023.docx"), "a.docx")
	copyFile(t, filepath.Join(root, "fixtures", "real", "huaian-hongze-2023.html"), "b.html")
	copyFile(t, filepath.Join(root, "fixtures", "seed-report.docx"), "report.docx")
	copyFile(t, filepath.Join(root, "fixtures", "seed-report.html"), "page.html")

	ctx := context.Background()
	args := append([]string{"ingest", "--quiet", "--db", "ogi.db"}, samples...)
	if _, errOut, code := runCLI(t, ctx, "", args...); code != 0 {
		t.Fatalf("ingest of the samples: exit %d\n%s", code, errOut)
	}
	for _, line := range cmds {
		if why, ok := readmeSkip(line); ok {
			t.Logf("skipped %q: %s", line, why)
			continue
		}
		words, redirect := shellWords(line)
		out, errOut, code := runCLI(t, ctx, "", words[1:]...)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", line, code, errOut)
			continue
		}
		answer := out
		if redirect != "" {
			if err := os.WriteFile(redirect, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for i, w := range words {
			if w == "--out" && i+1 < len(words) {
				b, _ := os.ReadFile(words[i+1])
				answer += string(b)
			}
		}
		if words[1] == "ingest" {
			answer = errOut // ingest answers with its summary line
		}
		// Tables and CSV need a row of data beyond the header line.
		format := ""
		for i, w := range words {
			if w == "--format" && i+1 < len(words) {
				format = words[i+1]
			}
		}
		rows := 1
		switch words[1] {
		case "search", "stats", "export":
			if format != "jsonl" && format != "xlsx" {
				rows = 2
			}
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(answer, "\ufeff")), "\n")
		if strings.TrimSpace(answer) == "" || len(lines) < rows {
			t.Errorf("%s: no answer (stdout %q, stderr %q)", line, out, errOut)
		}
	}
}
