package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ogi/batch"
	"ogi/extract"
	"ogi/parser"
)

// runCLI calls Run in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, ctx context.Context, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "ELASTICSEARCH_URL" {
			return "" // these tests use the local store
		}
		return os.Getenv(k)
	}}
	err := runWith(ctx, e, args)
	return out.String(), errb.String(), exitCode(err)
}

func fixture(name string) string { return filepath.Join("..", "..", "fixtures", name) }

func TestUsageAndVersion(t *testing.T) {
	ctx := context.Background()
	if _, _, code := runCLI(t, ctx, ""); code != exitUsage {
		t.Errorf("no args: exit %d, want %d", code, exitUsage)
	}
	if _, errOut, code := runCLI(t, ctx, "", "frobnicate"); code != exitUsage || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
	if _, _, code := runCLI(t, ctx, "", "extract", "--format", "xml", "x.docx"); code != exitUsage {
		t.Errorf("bad --format: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := runCLI(t, ctx, "", "extract"); code != exitUsage {
		t.Errorf("extract without paths: exit %d, want %d", code, exitUsage)
	}
	out, _, code := runCLI(t, ctx, "", "version")
	if code != 0 || strings.TrimSpace(out) != extract.Version {
		t.Errorf("version = %q (exit %d), want %q", out, code, extract.Version)
	}
	for _, c := range commands() {
		_, errOut, code := runCLI(t, ctx, "", c.name, "-h")
		if code != 0 || !strings.Contains(errOut, "Example:") {
			t.Errorf("%s -h: exit %d, usage without example: %q", c.name, code, errOut)
		}
	}
}

func TestNumeralCommand(t *testing.T) {
	out, _, code := runCLI(t, context.Background(), "三万五\n251000元\n—\n1,23\n0件\n", "numeral", "--mode", "lenient")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{"35000", "251000", "EMPTY", "ERROR:", "0"}
	if len(lines) != len(want) {
		t.Fatalf("numeral output %q, want %d lines", out, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
}

// badInputs writes one file of every hostile or broken kind a crawl brings.
func badInputs(t *testing.T, dir string) map[string]batch.Outcome {
	t.Helper()
	files := map[string]batch.Outcome{} // name → outcome
	write := func(name string, data []byte, outcome batch.Outcome) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		files[name] = outcome
	}
	write("empty.docx", nil, batch.Failed)
	good, err := os.ReadFile(fixture("seed-report.docx"))
	if err != nil {
		t.Fatal(err)
	}
	write("truncated.docx", good[:len(good)/2], batch.Failed)
	corrupt := append([]byte(nil), good...)
	for i := 200; i < len(corrupt) && i < 4000; i++ {
		corrupt[i] ^= 0x5a
	}
	write("corrupt.docx", corrupt, batch.Failed)
	write("bomb.docx", zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "word/document.xml": bytes.Repeat([]byte{'0'}, 64<<20)}), batch.Failed)
	write("nodoc.docx", zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "docProps/app.xml": []byte("<x/>")}), batch.Failed)
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	write("legacy.doc", ole, batch.Failed)
	enc := append(append([]byte(nil), ole...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)
	write("encrypted.docx", enc, batch.Failed)
	write("garbage.html", bytes.Repeat([]byte{0, 1, 2, 0xff, 0xfe, 7}, 2000), batch.Failed)
	write("page.doc", []byte("<html><head><title>通知</title></head><body><p>这是一个通知，不是年度报告。</p></body></html>"), batch.NotReport)
	write("notreport.html", []byte("<html><body><h1>关于开展安全生产检查的通知</h1><table><tr><td>a</td><td>b</td></tr></table></body></html>"), batch.NotReport)
	deep := strings.Repeat("<table><tr><td>", 5000) + "x" + strings.Repeat("</td></tr></table>", 5000)
	write("deep.html", []byte("<html><body>"+deep+"</body></html>"), "")
	var big strings.Builder
	big.WriteString("<html><body><table>")
	for r := 0; r < 1000; r++ {
		big.WriteString("<tr>")
		for c := 0; c < 100; c++ {
			big.WriteString("<td>0</td>")
		}
		big.WriteString("</tr>")
	}
	big.WriteString("</table></body></html>")
	write("cells100k.html", []byte(big.String()), batch.NotReport)
	// A 50 MB page: refused by the HTML size limit, quickly and by name.
	page := bytes.Repeat([]byte("<p>政府信息公开工作年度报告</p>\n"), 50<<20/40)
	write("huge.html", append([]byte("<html><body>"), page...), batch.Failed)
	// Same bytes as the good report under another name: one record.
	write("a-copy.docx", good, batch.OK)
	write("b-copy.docx", good, batch.Duplicate)
	// A path that cannot be read.
	if err := os.Symlink(filepath.Join(dir, "missing-target"), filepath.Join(dir, "unreadable.docx")); err != nil {
		t.Fatal(err)
	}
	files["unreadable.docx"] = batch.Failed
	return files
}

func zipOf(t *testing.T, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(parts[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBatchSurvivesBadInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	want := badInputs(t, in)
	probs := filepath.Join(dir, "problems.csv")
	sumPath := filepath.Join(dir, "summary.json")
	out, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", "--problems", probs, "--summary", sumPath, in)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, errOut)
	}
	var sum summary
	b, err := os.ReadFile(sumPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	got := map[string]fileSummary{}
	for _, f := range sum.PerFile {
		got[filepath.Base(f.Path)] = f
	}
	for name, outcome := range want {
		f, ok := got[name]
		if !ok {
			t.Errorf("%s: missing from the summary", name)
			continue
		}
		if outcome != "" && f.Outcome != outcome {
			t.Errorf("%s: outcome %s (%s), want %s", name, f.Outcome, f.Error, outcome)
		}
		if name == "huge.html" && !strings.Contains(f.Error, "limit") {
			t.Errorf("huge.html: error %q does not name the limit", f.Error)
		}
		if f.Outcome == batch.Failed && !strings.Contains(f.Error, name) {
			t.Errorf("%s: error %q does not name the file", name, f.Error)
		}
	}
	// Exactly one record: the good report, once.
	if n := strings.Count(strings.TrimSpace(out), "\n") + 1; strings.TrimSpace(out) == "" || n != 1 {
		t.Errorf("got %d records, want 1:\n%s", n, out)
	}
	// The problems report names every failed file.
	f, err := os.Open(probs)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, r := range rows[1:] {
		named[filepath.Base(r[0])] = true
	}
	for name, outcome := range want {
		if (outcome == batch.Failed || outcome == batch.NotReport) && !named[name] {
			t.Errorf("%s: not in the problems report", name)
		}
	}
	if !strings.Contains(errOut, "ogi: ") || !strings.Contains(errOut, "files:") {
		t.Errorf("no summary line on stderr:\n%s", errOut)
	}
}

func TestPanicBecomesFileError(t *testing.T) {
	old := readDocument
	defer func() { readDocument = old }()
	readDocument = func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		if strings.Contains(path, "boom") {
			panic("reader bug")
		}
		return old(ctx, path, data, opts)
	}
	dir := t.TempDir()
	good, _ := os.ReadFile(fixture("seed-report.docx"))
	os.WriteFile(filepath.Join(dir, "boom.docx"), []byte("PK"), 0o644)
	os.WriteFile(filepath.Join(dir, "good.docx"), good, 0o644)
	out, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", dir)
	if code != exitPartial {
		t.Fatalf("exit %d, want 3; stderr %s", code, errOut)
	}
	if !strings.Contains(errOut, "boom.docx") || !strings.Contains(errOut, "panic") {
		t.Errorf("stderr does not report the panic with the file name:\n%s", errOut)
	}
	if !strings.Contains(out, `"id"`) {
		t.Errorf("the good file's record is missing")
	}
}

func TestTimeoutIsReported(t *testing.T) {
	old := readDocument
	defer func() { readDocument = old }()
	readDocument = func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		time.Sleep(2 * time.Second)
		return old(ctx, path, data, opts)
	}
	dir := t.TempDir()
	good, _ := os.ReadFile(fixture("seed-report.docx"))
	os.WriteFile(filepath.Join(dir, "slow.docx"), good, 0o644)
	_, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", "--timeout", "100ms", dir)
	if code != exitPartial || !strings.Contains(errOut, "time limit") || !strings.Contains(errOut, "slow.docx") {
		t.Errorf("exit %d, stderr %q: want exit 3 naming the file and the time limit", code, errOut)
	}
}

func TestOrderAndFromList(t *testing.T) {
	dir := t.TempDir()
	var names []string
	good, _ := os.ReadFile(fixture("seed-report.docx"))
	html, _ := os.ReadFile(fixture("seed-report.html"))
	for i := 0; i < 12; i++ {
		name := filepath.Join(dir, string(rune('a'+i))+".docx")
		data := append(append([]byte(nil), good...), byte(i)) // distinct bytes
		if i%2 == 1 {
			name = filepath.Join(dir, string(rune('a'+i))+".html")
			data = append(append([]byte(nil), html...), []byte(strings.Repeat(" ", i))...)
		}
		os.WriteFile(name, data, 0o644)
		names = append(names, name)
	}
	// Reverse order through --from: output must follow it.
	var list strings.Builder
	for i := len(names) - 1; i >= 0; i-- {
		list.WriteString(names[i] + "\n")
	}
	out, errOut, code := runCLI(t, context.Background(), list.String(), "extract", "--quiet", "--jobs", "4", "--from", "-")
	if code != 0 && code != exitPartial {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	i := len(names) - 1
	for dec.More() {
		var r extract.Record
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		if i < 0 || r.Source.Path != names[i] {
			t.Fatalf("record order: got %s, want %s", r.Source.Path, names[max(i, 0)])
		}
		i--
	}
	if i != -1 {
		t.Errorf("%d records missing", i+1)
	}
}

func TestManifestAttachesSource(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile(fixture("seed-report.docx"))
	p := filepath.Join(dir, "r.docx")
	os.WriteFile(p, good, 0o644)
	man := filepath.Join(dir, "crawl.csv")
	os.WriteFile(man, []byte("path,url,fetched_at,site\n"+p+",https://www.example.gov.cn/r.docx,2025-03-01T10:00:00Z,example\n"), 0o644)
	out, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", "--manifest", man, p)
	if code != 0 && code != exitPartial {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r extract.Record
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Source.URL != "https://www.example.gov.cn/r.docx" || r.Source.FetchedAt != "2025-03-01T10:00:00Z" || r.Source.Extra["site"] != "example" {
		t.Errorf("source = %+v, want the manifest's url, fetched_at and site", r.Source)
	}
}

func TestInterruptedRunWritesSummary(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile(fixture("seed-report.docx"))
	for i := 0; i < 40; i++ {
		os.WriteFile(filepath.Join(dir, "r"+strings.Repeat("x", i)+".docx"), append(append([]byte(nil), good...), byte(i)), 0o644)
	}
	old := readDocument
	defer func() { readDocument = old }()
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	readDocument = func(ctx context.Context, path string, data []byte, opts parser.Options) (*parser.Document, error) {
		time.Sleep(20 * time.Millisecond)
		return old(ctx, path, data, opts)
	}
	go func() { time.Sleep(150 * time.Millisecond); cancel() }()
	sumPath := filepath.Join(t.TempDir(), "s.json")
	out, _, code := runCLI(t, ctx, "", "extract", "--quiet", "--jobs", "2", "--summary", sumPath, dir)
	if code != exitInterrupted {
		t.Fatalf("exit %d, want 130", code)
	}
	var sum summary
	b, err := os.ReadFile(sumPath)
	if err != nil {
		t.Fatalf("summary not written: %v", err)
	}
	json.Unmarshal(b, &sum)
	n = strings.Count(out, "\n")
	if sum.Counts[batch.Interrupted] == 0 || sum.Counts[batch.OK]+sum.Counts[batch.Partial] != n || sum.Files != 40 {
		t.Errorf("summary counts %v for %d records written, want interrupted > 0 and every written record counted", sum.Counts, n)
	}
	_ = io.Discard
}

// TestLimitFlags: a per-document limit set on the command line is applied
// and named in the file's error.
func TestLimitFlags(t *testing.T) {
	for _, tc := range []struct {
		flag, value, file string
	}{
		{"--max-cells", "50", "seed-report.docx"},
		{"--max-cells", "50", "seed-report.html"},
		{"--max-parts", "3", "seed-report.docx"},
	} {
		_, errOut, code := runCLI(t, context.Background(), "", "extract", "--quiet", tc.flag, tc.value, fixture(tc.file))
		if code != exitPartial || !strings.Contains(errOut, tc.file) || !strings.Contains(errOut, "limit") {
			t.Errorf("%s %s on %s: exit %d, stderr %q: want exit 3 naming the file and the limit", tc.flag, tc.value, tc.file, code, errOut)
		}
	}
}
