package extract

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// stdDecode decodes a record line as load did before ParseJSON: strict,
// one value.
func stdDecode(b []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, err
	}
	if dec.More() {
		return r, errMore
	}
	return r, nil
}

var errMore = json.Unmarshal([]byte("x"), new(int))

// TestParseJSONMatchesStd: every record AppendJSON writes, with and
// without HTML escaping and with white space between tokens, is taken by
// ParseJSON and read as encoding/json reads it.
func TestParseJSONMatchesStd(t *testing.T) {
	for _, r := range jsonRecords(t) {
		for _, html := range []bool{true, false} {
			b, err := AppendJSON(nil, &r, html)
			if err != nil {
				t.Fatal(err)
			}
			var indented bytes.Buffer
			json.Indent(&indented, b, " ", "\t")
			for _, line := range [][]byte{b, indented.Bytes()} {
				got, ok := ParseJSON(line)
				if !ok {
					t.Fatalf("ParseJSON refused a record AppendJSON wrote:\n%q", line[:min(len(line), 400)])
				}
				want, err := stdDecode(line)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("ParseJSON differs from encoding/json on\n%.300s\n got %+v\nwant %+v", line, got, want)
				}
			}
		}
	}
}

// TestParseJSONLeavesTheRest: lines encoding/json reads otherwise (or
// refuses) are left to it.
func TestParseJSONLeavesTheRest(t *testing.T) {
	for _, s := range parseJSONOdd {
		if r, ok := ParseJSON([]byte(s)); ok {
			t.Errorf("ParseJSON took %s as %+v", s, r)
		}
	}
}

var parseJSONOdd = []string{
	`null`,
	`{"ID":"a"}`,                          // encoding/json matches keys regardless of case
	`{"id":"a","colour":"red"}`,           // unknown
	`{"fields":{"a":1},"fields":{"b":2}}`, // encoding/json merges the maps
	`{"id":null}`,                         // encoding/json keeps ""
	`{"year":2024.0}`,                     // not an int
	`{"year":99999999999999999999}`,       // too large
	`{"fields":{"a":"12"}}`,               // a quoted number
	`{"fields":{"a":01}}`,                 // not JSON
	`{"id":"\ud800"}`,                     // a lone surrogate: encoding/json puts U+FFFD
	"{\"id\":\"\xff\"}",                   // invalid UTF-8
	"{\"id\":\"a\tb\"}",                   // a control character
	`{"checks":[{"name":"a","ok":null}]}`, // null bool
	`{"raw":{"a":null}}`,                  // null string in a map
	`{"id":"a"} {"id":"b"}`,               // two values
	`{"id":"a"}x`,                         // trailing bytes
	`{"source":{"size":1.5}}`,             // not an int
	`{"source":{"path":"a","path":"b"}}`,  // given twice
	`{"region":{"level":null}}`,           // null string
	`{"warnings":[null]}`,                 // null string
	`{"id":"a"`,                           // cut short
}

func FuzzParseJSON(f *testing.F) {
	for _, r := range jsonRecords(f) {
		b, _ := AppendJSON(nil, &r, false)
		if len(b) < 4000 {
			f.Add(b)
		}
	}
	for _, s := range parseJSONOdd {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"sections":{"a\u0062":"x","ab":"y"},"fields":{"\u0061":1}}`))
	f.Add([]byte(`{"id":"a\u00e9\ud83d\ude00\n\"","fields":{"x":-0.5e-3,"y":null},"checks":[],"warnings":[],"raw":{},"region":{},"year":-0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, line, ok := ParseJSONLine(b)
		if !ok {
			return
		}
		canonical := line != nil
		if canonical {
			sameWithChecks(t, got, line)
		}
		sameLean(t, b, got, line)
		if again, _ := AppendJSON(nil, &got, false); bytes.Equal(again, b) != canonical {
			t.Fatalf("ParseJSONLine(%q): canonical %v, but AppendJSON writes\n%q", b, canonical, again)
		}
		want, err := stdDecode(b)
		if err != nil {
			t.Fatalf("ParseJSON took %q, which encoding/json refuses: %v", b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseJSON(%q)\n got %+v\nwant %+v", b, got, want)
		}
		if strings.Count(string(b), "{") == 0 {
			t.Fatalf("ParseJSON took %q, which holds no object", b)
		}
	})
}

// TestParseJSONLineCanonical: a line is canonical exactly when AppendJSON
// (without HTML escaping) writes it again byte for byte: every record it
// writes is, and each way of writing the same record otherwise is not.
func TestParseJSONLineCanonical(t *testing.T) {
	check := func(line []byte) bool {
		t.Helper()
		r, l, ok := ParseJSONLine(line)
		canonical := l != nil
		if !ok {
			t.Fatalf("ParseJSONLine refused\n%.300q", line)
		}
		again, err := AppendJSON(nil, &r, false)
		if err != nil {
			t.Fatal(err)
		}
		if same := bytes.Equal(again, line); same != canonical {
			t.Errorf("ParseJSONLine: canonical %v, AppendJSON gives it back %v:\n%.400q", canonical, same, line)
		}
		return canonical
	}
	recs, canonical := jsonRecords(t), 0
	for _, r := range recs {
		b, err := AppendJSON(nil, &r, false)
		if err != nil {
			t.Fatal(err)
		}
		if check(b) {
			canonical++
		}
		html, _ := AppendJSON(nil, &r, true)
		check(html)
		var indented bytes.Buffer
		json.Indent(&indented, b, "", " ")
		if check(indented.Bytes()) {
			t.Errorf("an indented line is canonical")
		}
	}
	// All but the record holding invalid UTF-8, which is written as
	// \ufffd and read back as U+FFFD.
	if canonical != len(recs)-1 {
		t.Errorf("%d of %d lines AppendJSON wrote are canonical, want all but one", canonical, len(recs))
	}
	base := []byte(`{"id":"a","source":{"path":"p/a.docx","sha256":"a","format":"docx","size":12,"url":"https://x.gov.cn/a","fetched_at":"2025-01-02","extra":{"a":"1","b":"2"}},` +
		`"agency":"某局","region":{"code":"320000","province":"江苏省","level":"province"},"agency_kind":null,"agency_id":null,"year":2024,"published":null,"template":"2021",` +
		`"report_key":"k","fields":{"a.b":1,"a.c":null,"b.a":"X"},"raw":{"a.b":"1","a.c":"－"},"checks":[{"name":"n","ok":true,"detail":"d"}],"warnings":["w"],` +
		`"sections":{"一":"x\n\"y\"\\"},"extractor":"v"}`)
	base = bytes.Replace(base, []byte(`"b.a":"X"`), []byte(`"b.a":-2.5`), 1)
	if !check(base) {
		t.Fatalf("the base line is not canonical")
	}
	for _, tt := range []struct{ name, old, new string }{
		{"space after a colon", `"id":"a"`, `"id": "a"`},
		{"space at the end", `"extractor":"v"}`, `"extractor":"v"} `},
		{"members out of order", `"agency_kind":null,"agency_id":null`, `"agency_id":null,"agency_kind":null`},
		{"a member left out", `,"extractor":"v"`, ``},
		{"source members out of order", `"path":"p/a.docx","sha256":"a"`, `"sha256":"a","path":"p/a.docx"`},
		{"an empty url", `"url":"https://x.gov.cn/a"`, `"url":""`},
		{"an empty fetched_at", `"fetched_at":"2025-01-02"`, `"fetched_at":""`},
		{"empty extra", `"extra":{"a":"1","b":"2"}`, `"extra":{}`},
		{"null extra", `"extra":{"a":"1","b":"2"}`, `"extra":null`},
		{"extra keys out of order", `"extra":{"a":"1","b":"2"}`, `"extra":{"b":"2","a":"1"}`},
		{"field keys out of order", `"a.b":1,"a.c":null`, `"a.c":null,"a.b":1`},
		{"raw keys out of order", `"raw":{"a.b":"1","a.c":"－"}`, `"raw":{"a.c":"－","a.b":"1"}`},
		{"region members out of order", `"code":"320000","province":"江苏省"`, `"province":"江苏省","code":"320000"`},
		{"an empty region member", `"level":"province"`, `"level":"province","town":""`},
		{"an escaped slash", `p/a.docx`, `p\/a.docx`},
		{"an escaped letter", `"agency":"某局"`, `"agency":"\u67d0局"`},
		{"an upper-case escape", `x\n`, `x\u000A`},
		{"a long escape for a short one", `x\n`, `x\u000a`},
		{"a raw line separator", `"warnings":["w"]`, "\"warnings\":[\"w\u2028\"]"},
		{"a raw paragraph separator in a key", `"sections":{"一"`, "\"sections\":{\"一\u2029\""},
		{"check members out of order", `"name":"n","ok":true`, `"ok":true,"name":"n"`},
		{"a check member left out", `,"detail":"d"`, ``},
		{"minus zero", `"year":2024`, `"year":-0`},
	} {
		line := bytes.Replace(base, []byte(tt.old), []byte(tt.new), 1)
		if bytes.Equal(line, base) {
			t.Fatalf("%s: %q not in the base line", tt.name, tt.old)
		}
		if check(line) {
			t.Errorf("%s: canonical", tt.name)
		}
	}
	// What AppendJSON writes as escapes is canonical.
	for _, tt := range []struct{ old, new string }{
		{`"w"`, `"w\u2028\u2029\u0001\b\f\r\t<&>"`},
	} {
		if !check(bytes.Replace(base, []byte(tt.old), []byte(tt.new), 1)) {
			t.Errorf("%s: not canonical", tt.new)
		}
	}
}

var extraChecks = []Check{{Name: "versions.agree", OK: false, Detail: "a.b: 1 in x.docx, 2 in \"y\" <x.html>\n"}, {Name: "versions.agree", OK: true}}

// sameWithChecks fails t unless line, with one and with two checks added,
// is what AppendJSON writes of r with them.
func sameWithChecks(t *testing.T, r Record, line *Line) {
	t.Helper()
	for n := range len(extraChecks) + 1 {
		c := r
		if n > 0 {
			c.Checks = append(slices.Clone(r.Checks), extraChecks[:n]...)
		}
		want, err := AppendJSON(nil, &c, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := line.AppendWithChecks([]byte("x"), extraChecks[:n]); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("AppendWithChecks(%d checks) of\n%.300q\n got %.300q\nwant %.300q", n, line.JSON, got, want)
		}
	}
}

// TestLineWithChecks: a line with checks added is what AppendJSON writes
// of its record with them, whether it had checks, none ([]) or null.
func TestLineWithChecks(t *testing.T) {
	kinds := map[string]bool{}
	for _, r := range jsonRecords(t) {
		b, err := AppendJSON(nil, &r, false)
		if err != nil {
			t.Fatal(err)
		}
		got, line, ok := ParseJSONLine(b)
		if !ok || line == nil {
			continue
		}
		switch {
		case got.Checks == nil:
			kinds["null"] = true
		case len(got.Checks) == 0:
			kinds["[]"] = true
		default:
			kinds["some"] = true
		}
		sameWithChecks(t, got, line)
	}
	r := Record{Checks: []Check{}}
	b, _ := AppendJSON(nil, &r, false)
	if got, line, _ := ParseJSONLine(b); line != nil {
		kinds["[]"] = true
		sameWithChecks(t, got, line)
	}
	if len(kinds) != 3 {
		t.Errorf("checks tried: %v, want null, [] and some", kinds)
	}
}

// sameLean fails t unless ParseJSONLineLean reads b as ParseJSONLine did
// (r, line), but for Raw and Sections, which it leaves nil.
func sameLean(t *testing.T, b []byte, r Record, line *Line) {
	t.Helper()
	lean, leanLine, ok := ParseJSONLineLean(b)
	if !ok {
		t.Fatalf("ParseJSONLineLean refused what ParseJSONLine took:\n%.300q", b)
	}
	if (leanLine != nil) != (line != nil) || leanLine != nil && (!bytes.Equal(leanLine.JSON, line.JSON) || leanLine.checksEnd != line.checksEnd) {
		t.Fatalf("ParseJSONLineLean: line %+v, ParseJSONLine's %+v, on\n%.300q", leanLine, line, b)
	}
	if lean.Raw != nil || lean.Sections != nil {
		t.Fatalf("ParseJSONLineLean kept raw or sections")
	}
	r.Raw, r.Sections = nil, nil
	if !reflect.DeepEqual(lean, r) {
		t.Fatalf("ParseJSONLineLean differs from ParseJSONLine on\n%.300s\n got %+v\nwant %+v", b, lean, r)
	}
}

// TestParseJSONLineLean: the lean reading takes and refuses what the full
// one does, gives the same line, and the same record less Raw and
// Sections, on every record and every way of writing one tried above.
func TestParseJSONLineLean(t *testing.T) {
	n := 0
	for _, r := range jsonRecords(t) {
		b, err := AppendJSON(nil, &r, false)
		if err != nil {
			t.Fatal(err)
		}
		html, _ := AppendJSON(nil, &r, true)
		var indented bytes.Buffer
		json.Indent(&indented, b, "", " ")
		for _, line := range [][]byte{b, html, indented.Bytes()} {
			got, l, ok := ParseJSONLine(line)
			if !ok {
				t.Fatalf("ParseJSONLine refused\n%.300q", line)
			}
			sameLean(t, line, got, l)
			n++
		}
	}
	for _, s := range parseJSONOdd {
		if _, _, ok := ParseJSONLineLean([]byte(s)); ok {
			t.Errorf("ParseJSONLineLean took %s", s)
		}
	}
	// Raw and sections keys out of order, and escapes in them.
	for _, s := range []string{
		`{"raw":{"b":"1","a":"2"}}`, `{"sections":{"a":"x\ny","a":"z"}}`, `{"raw":{"a":"\u0041"},"sections":{"\u0062":"\u2028"}}`,
		`{"raw":{"a":"x` + "\u2028" + `"},"sections":null}`, "{\"raw\":{\"a\":\"\xe2\x80\xa8\"}}",
	} {
		got, l, ok := ParseJSONLine([]byte(s))
		if !ok {
			t.Fatalf("ParseJSONLine refused %s", s)
		}
		sameLean(t, []byte(s), got, l)
		n++
	}
	if n < 100 {
		t.Fatalf("only %d lines tried", n)
	}
}
