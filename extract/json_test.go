package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"ogi/parser"
	"ogi/region"
	"ogi/synth"
)

func TestValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0.5", "12", "7730.28", "1e5", "-1E-2"} {
		if !validNumber(s) {
			t.Errorf("validNumber(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "1e", "1,2", "+1", "1 "} {
		if validNumber(s) {
			t.Errorf("validNumber(%q) = true, want false", s)
		}
	}
}

func numPtr(s string) *Number { n := Number(s); return &n }

// jsonRecords are records of every shape: generated reports with mess
// and made-up odd ones (HTML characters, control characters, invalid
// UTF-8, keys outside the contract, empty maps).
func jsonRecords(t testing.TB) []Record {
	reps, err := synth.Corpus(7, 40, []string{"docx", "html"})
	if err != nil {
		t.Fatal(err)
	}
	var recs []Record
	for _, rep := range reps {
		doc, err := parser.Read(context.Background(), rep.Name, rep.Data, parser.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := Extract(doc)
		rec.Source = Source{Path: rep.Name, Format: rep.Format, Size: int64(len(rep.Data)), URL: "https://example.gov.cn/a?b=1&c=<2>", Extra: map[string]string{"z": "1", "a": "\u2028\x01\"\\<&>"}}
		recs = append(recs, *rec)
	}
	odd := Record{ID: "odd\xff<>&", Fields: map[string]*Number{"zzz.not.in.contract": numPtr("1"), "aaa": nil, "requests.new.total": numPtr("-3.5")},
		Raw: map[string]string{"b\tc": "\b\f\r\n", "a": "<&>"}, Warnings: []string{"<b>"}, Checks: []Check{{Name: "a&b", Detail: "1 < 2"}}}
	kind, id := "other", "3208:\"x\"<&>"
	partial := Record{ID: "partial", Region: &region.Region{Province: "江苏省", Town: "城关镇\t&", Level: region.Town}, AgencyKind: &kind, AgencyID: &id}
	empty := Record{ID: "empty", Region: &region.Region{}, Sections: map[string]string{}, Warnings: []string{}}
	return append(recs, odd, partial, empty, Record{})
}

func TestAppendJSONMatchesStd(t *testing.T) {
	recs := jsonRecords(t)
	if len(recs) < 40 {
		t.Fatalf("only %d records", len(recs))
	}
	for _, r := range recs {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendJSON(nil, &r, true)
		if err != nil {
			t.Fatalf("AppendJSON(%s): %v", r.Source.Path, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON(%s, escapeHTML) differs from json.Marshal:\n got %s\nwant %s", r.Source.Path, got, want)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		got, _ = AppendJSON([]byte("x"), &r, false)
		if want := append([]byte("x"), bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON(%s) differs from encoding/json without HTML escaping:\n got %s\nwant %s", r.Source.Path, got, want)
		}
	}
}

func TestAppendJSONRefusesBadNumber(t *testing.T) {
	r := Record{ID: "x", Fields: map[string]*Number{"requests.new.total": numPtr("1,234")}}
	if _, err := AppendJSON(nil, &r, true); err == nil {
		t.Error("AppendJSON accepted a field value that is not a JSON number")
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("政府\u2028", "a\x00b<", "12")
	f.Add("\xff\xfe&", "<&>", "-0.5")
	f.Fuzz(func(t *testing.T, a, b, n string) {
		r := Record{ID: a, Agency: &b, Raw: map[string]string{a: b, b: a}, Warnings: []string{a, b},
			Sections: map[string]string{"overview": a}, Fields: map[string]*Number{a: nil}}
		if validNumber(n) {
			r.Fields["requests.new.total"] = numPtr(n)
		}
		got, err := AppendJSON(nil, &r, true)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("differs:\n got %s\nwant %s", got, want)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.Raw); err != nil {
			t.Fatal(err)
		}
		if got, want := AppendStringMapJSON(nil, r.Raw, false), bytes.TrimSuffix(buf.Bytes(), []byte("\n")); !bytes.Equal(got, want) {
			t.Fatalf("AppendStringMapJSON(%q) = %s, want %s", r.Raw, got, want)
		}
	})
}
