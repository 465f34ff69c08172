package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ogi/parser"
	"ogi/region"
)

var update = flag.Bool("update", false, "rewrite the golden files of the fixtures")

// golden is what a fixture's golden file holds: the record and the
// problems met building it.
type golden struct {
	Record   *Record  `json:"record"`
	Problems []string `json:"problems"`
}

// fixtureFiles lists the report fixtures: DOCX, HTML and MHT files.
func fixtureFiles(t testing.TB) []string {
	var out []string
	for _, pat := range []string{"*.docx", "*.html", "*.htm", "*.mht"} {
		m, err := filepath.Glob(filepath.Join("..", "fixtures", pat))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	return out
}

// extractFile reads and extracts one file the way the pipeline does, with
// ID and Source set from its bytes.
func extractFile(t testing.TB, path string) (*Record, []Problem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parser.Read(context.Background(), path, data, parser.Options{})
	if err != nil {
		return nil, nil, err
	}
	rec, probs := Extract(doc)
	Finish(rec, Source{Path: "fixtures/" + filepath.Base(path)}, ID(data), int64(len(data)), string(doc.Format))
	return rec, probs, nil
}

func encodeGolden(g golden) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestGolden compares the record of every fixture with its golden file;
// -update rewrites them.
func TestGolden(t *testing.T) {
	files := fixtureFiles(t)
	if len(files) == 0 {
		t.Skip("no fixtures")
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			rec, probs, err := extractFile(t, path)
			if err != nil {
				// A file the parser refuses is the parser's to golden.
				t.Skipf("parser: %v", err)
			}
			g := golden{Record: rec, Problems: []string{}}
			for _, p := range probs {
				g.Problems = append(g.Problems, p.Error())
			}
			got := encodeGolden(g)
			gp := path + ".golden.json"
			if *update {
				if err := os.WriteFile(gp, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run go test ./extract -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", name, gp, firstDiff(string(want), string(got)))
			}
		})
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + w + "\n  got  " + g
		}
	}
	return ""
}

// TestSeedReport checks the seed report's records by hand, beside the
// golden: every value 0, the blank carried-over natural person null, the
// unlabelled rows identified by position, every check passing.
func TestSeedReport(t *testing.T) {
	for _, name := range []string{"seed-report.docx", "seed-report.html"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "fixtures", name)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("fixture %s not present", name)
			}
			rec, probs, err := extractFile(t, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(probs) > 0 {
				t.Errorf("problems: %v", probs)
			}
			if deref(rec.Agency) != "额敏县额玛勒郭楞蒙古民族乡人民政府" || rec.Year == nil || *rec.Year != 2024 ||
				deref(rec.Published) != "2025-02-18" || deref(rec.Template) != "2021" ||
				deref(rec.ReportKey) != "654221202:额玛勒郭楞蒙古民族乡人民政府/2024" {
				t.Errorf("meta: agency %q year %v published %q template %q report key %q", deref(rec.Agency), rec.Year, deref(rec.Published), deref(rec.Template), deref(rec.ReportKey))
			}
			wantRegion := region.Region{Code: "654221202", Province: "新疆维吾尔自治区", City: "塔城地区", County: "额敏县", Town: "额玛勒郭楞蒙古民族乡", Level: region.Town}
			if rec.Region == nil || *rec.Region != wantRegion || deref(rec.AgencyKind) != "government" || deref(rec.AgencyID) != "654221202:额玛勒郭楞蒙古民族乡人民政府" {
				t.Errorf("region %+v kind %q id %q, want %+v government 654221202:额玛勒郭楞蒙古民族乡人民政府", rec.Region, deref(rec.AgencyKind), deref(rec.AgencyID), wantRegion)
			}
			keys := map[string]bool{}
			for _, f := range Fields() {
				if f.Template != "2019" {
					keys[f.Key] = true
				}
			}
			if len(rec.Fields) != len(keys) {
				t.Errorf("%d fields, want %d", len(rec.Fields), len(keys))
			}
			for k := range keys {
				v, ok := rec.Fields[k]
				want := "0"
				if k == "requests.carried_over.natural_person" {
					want = "null"
				}
				if !ok || showN(v) != want {
					t.Errorf("%s = %s, want %s", k, fmtFields(rec, k), want)
				}
			}
			identities, prose := 0, map[string]bool{}
			for _, c := range rec.Checks {
				if strings.HasPrefix(c.Name, "prose.") {
					prose[c.Name] = c.OK
				} else {
					identities++
				}
			}
			if identities != 7+7+25+3 {
				t.Errorf("%d identity checks, want 42", identities)
			}
			// 未收到…行政复议 in section 四, and table 4 prints 0.
			if ok, found := prose["prose.review"]; !found || !ok || len(prose) != 1 {
				t.Errorf("prose checks = %v, want prose.review passing", prose)
			}
			if f := failing(rec); len(f) > 0 {
				t.Errorf("failing checks: %v", f)
			}
			for _, g := range []string{"（三）不予公开", "（四）无法提供", "（五）不予处理"} {
				if !hasWarning(rec, "sub-row labels missing in "+g+"; rows identified by position") {
					t.Errorf("no position warning for %s in %q", g, rec.Warnings)
				}
			}
			for _, k := range []string{"overview", "problems", "other"} {
				if rec.Sections[k] == "" {
					t.Errorf("section %s empty", k)
				}
			}
			if strings.Contains(rec.Sections["other"], "2025年2月18日") {
				t.Errorf("section other holds the signature date")
			}
		})
	}
}

// TestBlankTemplate: the blank template's cells are U+3000, so every field
// is null, every check passes, and there is no agency, year or date.
func TestBlankTemplate(t *testing.T) {
	path := filepath.Join("..", "fixtures", "template-2021-blank-wps.docx")
	if _, err := os.Stat(path); err != nil {
		t.Skip("blank template not present")
	}
	rec, probs, err := extractFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) > 0 {
		t.Errorf("problems: %v", probs)
	}
	if len(rec.Fields) != 10+175+15 {
		t.Errorf("%d fields, want 200", len(rec.Fields))
	}
	for k, v := range rec.Fields {
		if v != nil {
			t.Errorf("%s = %s, want null", k, *v)
		}
	}
	if f := failing(rec); len(f) > 0 || len(rec.Checks) != 42 {
		t.Errorf("%d checks, failing %v", len(rec.Checks), f)
	}
	if rec.Agency != nil || rec.Year != nil || rec.Published != nil {
		t.Errorf("agency %v year %v published %v, want null", rec.Agency, rec.Year, rec.Published)
	}
}

// TestFixturesNotReports: a fixture from which no table is read carries an
// ErrNotReport or ErrTableNotFound problem.
func TestFixturesNotReports(t *testing.T) {
	for _, path := range fixtureFiles(t) {
		rec, probs, err := extractFile(t, path)
		if err != nil {
			continue
		}
		if len(rec.Fields) == 0 && rec.Template == nil {
			ok := false
			for _, p := range probs {
				if errors.Is(p, ErrNotReport) || errors.Is(p, ErrTableNotFound) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s: no table read and no ErrNotReport/ErrTableNotFound problem: %v", filepath.Base(path), probs)
			}
		}
	}
}
