package extract

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"ogi/region"
)

// AppendJSON appends r as encoding/json encodes it, byte for byte:
// json.Marshal's output when escapeHTML is set, else that of an Encoder
// with SetEscapeHTML(false), without its newline. It uses no reflection
// and does not sort each record's maps: a batch encodes thousands of
// records a second, and encoding/json spent most of its time sorting the
// 200 field keys of every record. A field value that is not a JSON
// number is an error, as it is for encoding/json.
func AppendJSON(b []byte, r *Record, escapeHTML bool) ([]byte, error) {
	for k, v := range r.Fields {
		if v != nil && *v != "" && !validNumber(string(*v)) {
			return b, fmt.Errorf("field %s: %q is not a number", k, string(*v))
		}
	}
	e := jsonEncoder{b: b, html: escapeHTML}
	e.record(r)
	return e.b, nil
}

// AppendStringMapJSON appends m as encoding/json encodes it (keys in
// byte order), with or without its HTML escaping.
func AppendStringMapJSON(b []byte, m map[string]string, escapeHTML bool) []byte {
	e := jsonEncoder{b: b, html: escapeHTML}
	e.stringMap(m)
	return e.b
}

// jsonEncoder appends JSON to b; html escapes <, > and & as \u003c,
// \u003e and \u0026, as json.Marshal does.
type jsonEncoder struct {
	b    []byte
	html bool
}

func (e *jsonEncoder) raw(s string) { e.b = append(e.b, s...) }

func (e *jsonEncoder) record(r *Record) {
	e.raw(`{"id":`)
	e.string(r.ID)
	e.raw(`,"source":{"path":`)
	e.string(r.Source.Path)
	e.raw(`,"sha256":`)
	e.string(r.Source.SHA256)
	e.raw(`,"format":`)
	e.string(r.Source.Format)
	e.raw(`,"size":`)
	e.b = strconv.AppendInt(e.b, r.Source.Size, 10)
	if r.Source.URL != "" {
		e.raw(`,"url":`)
		e.string(r.Source.URL)
	}
	if r.Source.FetchedAt != "" {
		e.raw(`,"fetched_at":`)
		e.string(r.Source.FetchedAt)
	}
	if len(r.Source.Extra) > 0 {
		e.raw(`,"extra":`)
		e.stringMap(r.Source.Extra)
	}
	e.raw(`},"agency":`)
	e.stringPtr(r.Agency)
	e.raw(`,"region":`)
	if r.Region == nil {
		e.raw("null")
	} else {
		e.region(r.Region)
	}
	e.raw(`,"agency_kind":`)
	e.stringPtr(r.AgencyKind)
	e.raw(`,"agency_id":`)
	e.stringPtr(r.AgencyID)
	e.raw(`,"year":`)
	if r.Year == nil {
		e.raw("null")
	} else {
		e.b = strconv.AppendInt(e.b, int64(*r.Year), 10)
	}
	e.raw(`,"published":`)
	e.stringPtr(r.Published)
	e.raw(`,"template":`)
	e.stringPtr(r.Template)
	e.raw(`,"report_key":`)
	e.stringPtr(r.ReportKey)
	e.raw(`,"fields":`)
	if r.Fields == nil {
		e.raw("null")
	} else {
		e.b = append(e.b, '{')
		first := true
		eachKeySorted(r.Fields, func(k string, v *Number) {
			if !first {
				e.b = append(e.b, ',')
			}
			first = false
			e.string(k)
			e.b = append(e.b, ':')
			if v == nil || *v == "" {
				e.raw("null")
			} else {
				e.raw(string(*v))
			}
		})
		e.b = append(e.b, '}')
	}
	e.raw(`,"raw":`)
	e.stringMap(r.Raw)
	e.raw(`,"checks":`)
	if r.Checks == nil {
		e.raw("null")
	} else {
		e.b = append(e.b, '[')
		for i, c := range r.Checks {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.check(c)
		}
		e.b = append(e.b, ']')
	}
	e.raw(`,"warnings":`)
	if r.Warnings == nil {
		e.raw("null")
	} else {
		e.b = append(e.b, '[')
		for i, w := range r.Warnings {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.string(w)
		}
		e.b = append(e.b, ']')
	}
	e.raw(`,"sections":`)
	e.stringMap(r.Sections)
	e.raw(`,"extractor":`)
	e.string(r.Extractor)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) check(c Check) {
	e.raw(`{"name":`)
	e.string(c.Name)
	e.raw(`,"ok":`)
	e.b = strconv.AppendBool(e.b, c.OK)
	e.raw(`,"detail":`)
	e.string(c.Detail)
	e.b = append(e.b, '}')
}

// region writes a region as encoding/json does: its keys in struct order,
// the empty ones left out.
func (e *jsonEncoder) region(g *region.Region) {
	e.b = append(e.b, '{')
	n := 0
	for _, kv := range [...]struct{ k, v string }{
		{"code", g.Code}, {"province", g.Province}, {"city", g.City}, {"county", g.County}, {"town", g.Town}, {"level", string(g.Level)},
	} {
		if kv.v == "" {
			continue
		}
		if n > 0 {
			e.b = append(e.b, ',')
		}
		n++
		e.string(kv.k)
		e.b = append(e.b, ':')
		e.string(kv.v)
	}
	e.b = append(e.b, '}')
}

// sortedFieldKeys are the contract's keys in byte order: the order
// encoding/json writes map keys in.
var sortedFieldKeys = func() []string {
	k := FieldKeys()
	slices.Sort(k)
	return k
}()

// eachKeySorted calls fn for the entries of m in key byte order. Large
// maps (fields, raw) hold contract keys, so they are walked along the list
// of keys sorted once; anything else is sorted here.
func eachKeySorted[V any](m map[string]V, fn func(string, V)) {
	if len(m) > 16 {
		type kv struct {
			k string
			v V
		}
		var buf [256]kv
		found := buf[:0]
		for _, k := range sortedFieldKeys {
			if v, ok := m[k]; ok {
				found = append(found, kv{k, v})
			}
		}
		if len(found) == len(m) {
			for _, e := range found {
				fn(e.k, e.v)
			}
			return
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fn(k, m[k])
	}
}

func (e *jsonEncoder) stringMap(m map[string]string) {
	if m == nil {
		e.raw("null")
		return
	}
	e.b = append(e.b, '{')
	first := true
	eachKeySorted(m, func(k, v string) {
		if !first {
			e.b = append(e.b, ',')
		}
		first = false
		e.string(k)
		e.b = append(e.b, ':')
		e.string(v)
	})
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) stringPtr(s *string) {
	if s == nil {
		e.raw("null")
		return
	}
	e.string(*s)
}

const hexDigits = "0123456789abcdef"

// jsonPlain[html][c] is whether byte c of valid UTF-8 text is written as
// it is: not a control character, quote or backslash, nor (with html) <, >
// or &, nor 0xE2, the lead byte of U+2028 and U+2029.
var jsonPlain = func() (t [2][256]bool) {
	for c := 0x20; c < 256; c++ {
		plain := c != '"' && c != '\\' && c != 0xE2
		t[0][c] = plain
		t[1][c] = plain && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// string quotes s as encoding/json does: control characters escaped,
// invalid UTF-8 replaced by U+FFFD, U+2028/U+2029 escaped for
// JavaScript, and <, > and & escaped when html is set. Valid text (all
// of it, nearly) is scanned a byte at a time against a table.
func (e *jsonEncoder) string(s string) {
	if !utf8.ValidString(s) {
		e.stringInvalid(s)
		return
	}
	plain := &jsonPlain[0]
	if e.html {
		plain = &jsonPlain[1]
	}
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plain[c] {
			continue
		}
		if c == 0xE2 {
			// U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
			if i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 {
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&1+8])
				i += 2
				start = i + 1
			}
			continue
		}
		b = append(b, s[start:i]...)
		b = appendEscapedASCII(b, c)
		start = i + 1
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

// appendEscapedASCII writes the escape of an ASCII byte that is not
// written as it is.
func appendEscapedASCII(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// stringInvalid is string for text that is not valid UTF-8, a rune at a
// time.
func (e *jsonEncoder) stringInvalid(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!e.html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedASCII(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

// validNumber reports whether s is a JSON number, which encoding/json
// checks for the output of Number.MarshalJSON.
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	start := i
	if n := digits(); n == 0 || (n > 1 && s[start] == '0') {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
