package export

import (
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"ogi/extract"
	"ogi/region"
)

// appendRegion writes a region as encoding/json does: its keys in struct
// order, the empty ones left out.
func appendRegion(b []byte, g *region.Region) []byte {
	b = append(b, '{')
	n := 0
	for _, kv := range [...]struct{ k, v string }{
		{"code", g.Code}, {"province", g.Province}, {"city", g.City}, {"county", g.County}, {"town", g.Town}, {"level", string(g.Level)},
	} {
		if kv.v == "" {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendString(b, kv.k)
		b = append(b, ':')
		b = appendString(b, kv.v)
	}
	return append(b, '}')
}

// sortedFieldKeys are the contract's keys in byte order: the order
// encoding/json writes map keys in.
var sortedFieldKeys = func() []string {
	k := slices.Clone(extract.FieldKeys())
	slices.Sort(k)
	return k
}()

// appendRecordJSON appends the record as encoding/json would encode it
// with SetEscapeHTML(false), without reflection or sorting each record's
// maps: a batch writes thousands of records a second, and encoding/json
// spent most of its time sorting the 200 field keys of every record. The
// output is byte for byte what encoding/json gives (TestRecordJSONMatchesStd).
func appendRecordJSON(b []byte, r *extract.Record) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"source":{"path":`...)
	b = appendString(b, r.Source.Path)
	b = append(b, `,"sha256":`...)
	b = appendString(b, r.Source.SHA256)
	b = append(b, `,"format":`...)
	b = appendString(b, r.Source.Format)
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, r.Source.Size, 10)
	if r.Source.URL != "" {
		b = append(b, `,"url":`...)
		b = appendString(b, r.Source.URL)
	}
	if r.Source.FetchedAt != "" {
		b = append(b, `,"fetched_at":`...)
		b = appendString(b, r.Source.FetchedAt)
	}
	if len(r.Source.Extra) > 0 {
		b = append(b, `,"extra":`...)
		b = appendStringMap(b, r.Source.Extra)
	}
	b = append(b, `},"agency":`...)
	b = appendStringPtr(b, r.Agency)
	b = append(b, `,"region":`...)
	if r.Region == nil {
		b = append(b, "null"...)
	} else {
		b = appendRegion(b, r.Region)
	}
	b = append(b, `,"agency_kind":`...)
	b = appendStringPtr(b, r.AgencyKind)
	b = append(b, `,"agency_id":`...)
	b = appendStringPtr(b, r.AgencyID)
	b = append(b, `,"year":`...)
	if r.Year == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*r.Year), 10)
	}
	b = append(b, `,"published":`...)
	b = appendStringPtr(b, r.Published)
	b = append(b, `,"template":`...)
	b = appendStringPtr(b, r.Template)
	b = append(b, `,"report_key":`...)
	b = appendStringPtr(b, r.ReportKey)
	b = append(b, `,"fields":`...)
	if r.Fields == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '{')
		first := true
		eachKeySorted(r.Fields, func(k string, v *extract.Number) {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendString(b, k)
			b = append(b, ':')
			if v == nil || *v == "" {
				b = append(b, "null"...)
			} else {
				b = append(b, *v...)
			}
		})
		b = append(b, '}')
	}
	b = append(b, `,"raw":`...)
	b = appendStringMap(b, r.Raw)
	b = append(b, `,"checks":`...)
	if r.Checks == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range r.Checks {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = appendString(b, c.Name)
			b = append(b, `,"ok":`...)
			b = strconv.AppendBool(b, c.OK)
			b = append(b, `,"detail":`...)
			b = appendString(b, c.Detail)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"warnings":`...)
	if r.Warnings == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, w := range r.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, w)
		}
		b = append(b, ']')
	}
	b = append(b, `,"sections":`...)
	b = appendStringMap(b, r.Sections)
	b = append(b, `,"extractor":`...)
	b = appendString(b, r.Extractor)
	return append(b, '}')
}

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

func appendStringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	first := true
	eachKeySorted(m, func(k, v string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, v)
	})
	return append(b, '}')
}

func appendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as encoding/json does without HTML escaping:
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and
// U+2028/U+2029 escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
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
	return append(b, '"')
}
