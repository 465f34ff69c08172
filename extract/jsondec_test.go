package extract

import (
	"bytes"
	"encoding/json"
	"reflect"
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
		got, ok := ParseJSON(b)
		if !ok {
			return
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
