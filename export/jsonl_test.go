package export

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"ogi/extract"
	"ogi/index/storetest"
	"ogi/parser"
	"ogi/region"
	"ogi/synth"
)

// stdJSONL is the reference: encoding/json without HTML escaping.
func stdJSONL(t testing.TB, r extract.Record) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// recordsForJSON gathers records of every shape: the fixtures' (real and
// made), generated reports with mess, and the store tests' records.
func recordsForJSON(t *testing.T) []extract.Record {
	var recs []extract.Record
	paths, _ := filepath.Glob("../fixtures/*.*")
	real, _ := filepath.Glob("../fixtures/real/*.*")
	for _, p := range append(paths, real...) {
		switch filepath.Ext(p) {
		case ".docx", ".html", ".htm":
		default:
			continue
		}
		doc, err := parser.ReadFile(context.Background(), p, parser.Options{})
		if err != nil {
			continue
		}
		rec, _ := extract.Extract(doc)
		rec.ID, rec.Source = "x", extract.Source{Path: p, Format: string(doc.Format)}
		recs = append(recs, *rec)
	}
	reps, err := synth.Corpus(5, 60, []string{"docx", "html"})
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range reps {
		doc, err := parser.Read(context.Background(), rep.Name, rep.Data, parser.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := extract.Extract(doc)
		rec.Source = extract.Source{Path: rep.Name, Format: rep.Format, Size: int64(len(rep.Data)), URL: "https://example.gov.cn/a?b=1&c=<2>", Extra: map[string]string{"z": "1", "a": "\u2028\x01\"\\"}}
		recs = append(recs, *rec)
	}
	recs = append(recs, storetest.Records(80)...)
	odd := extract.Record{ID: "odd\xff", Fields: map[string]*extract.Number{"zzz.not.in.contract": ptrNum("1"), "aaa": nil, "requests.new.total": ptrNum("-3.5")},
		Raw: map[string]string{"b\tc": "\b\f\r\n", "a": "<&>"}, Warnings: []string{}, Checks: []extract.Check{}}
	kind, id := "other", "3208:\"x\"<&>"
	partial := extract.Record{ID: "partial", Region: &region.Region{Province: "江苏省", Town: "城关镇\t", Level: region.Town}, AgencyKind: &kind, AgencyID: &id}
	empty := extract.Record{ID: "empty", Region: &region.Region{}}
	return append(recs, odd, partial, empty, extract.Record{})
}

func ptrNum(s string) *extract.Number { n := extract.Number(s); return &n }

func TestRecordJSONMatchesStd(t *testing.T) {
	if _, err := os.Stat("../fixtures"); err != nil {
		t.Fatal(err)
	}
	recs := recordsForJSON(t)
	if len(recs) < 100 {
		t.Fatalf("only %d records", len(recs))
	}
	for _, r := range recs {
		want := stdJSONL(t, r)
		got, err := MarshalJSONL(r)
		if err != nil {
			t.Fatalf("%s: %v", r.Source.Path, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: MarshalJSONL differs from encoding/json:\n got %s\nwant %s", r.Source.Path, got, want)
		}
	}
}

func TestMarshalJSONLRefusesBadNumber(t *testing.T) {
	r := extract.Record{ID: "x", Fields: map[string]*extract.Number{"requests.new.total": ptrNum("1,234")}}
	if _, err := MarshalJSONL(r); err == nil {
		t.Error("MarshalJSONL accepted a field value that is not a JSON number")
	}
}

func FuzzRecordJSON(f *testing.F) {
	f.Add("政府\u2028", "a\x00b", "12")
	f.Add("\xff\xfe", "<&>", "-0.5")
	f.Fuzz(func(t *testing.T, a, b, n string) {
		r := extract.Record{ID: a, Agency: &b, Raw: map[string]string{a: b, b: a}, Warnings: []string{a, b},
			Sections: map[string]string{"overview": a}, Fields: map[string]*extract.Number{a: nil}}
		r.Fields["requests.new.total"] = ptrNum(n)
		got, err := MarshalJSONL(r)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		stdErr := enc.Encode(r)
		// Stricter than encoding/json, which also takes other JSON
		// (" 1", "true") from Number.MarshalJSON: never laxer.
		if stdErr != nil && err == nil {
			t.Fatalf("number %q: MarshalJSONL took what encoding/json refuses (%v)", n, stdErr)
		}
		if err != nil {
			return
		}
		if want := buf.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("differs:\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkMarshalJSONL(b *testing.B) {
	reps, err := synth.Corpus(9, 4, []string{"docx"})
	if err != nil {
		b.Fatal(err)
	}
	doc, err := parser.Read(context.Background(), reps[0].Name, reps[0].Data, parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	rec, _ := extract.Extract(doc)
	b.Run("ogi", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			MarshalJSONL(*rec)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			stdJSONL(b, *rec)
		}
	})
}
